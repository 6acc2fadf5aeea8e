import Foundation
import RidgepointFormatting

/// Formats of `ridgepoint eval`.
public enum EvalFormat: String, CaseIterable, Sendable { case table, csv, json, md }

/// Writers of the evaluated matrix. Every one of them reads the columns of `EvalSchema`, so a
/// column added there appears in the CSV, the JSON and (if it belongs to a view) the tables.
public enum EvalWriter {
    /// The CSV header: every schema column, the first 21 a stable contract.
    public static var csvColumns: [String] { EvalSchema.names }

    /// Streams the CSV of `sweep` to `write`, in chunks of about 64 KiB that end at row ends.
    /// Numbers are `%.6g` (through `FastFormat`), text is quoted when it holds a comma, quote or
    /// line break (RFC 4180), `.empty` is an empty cell.
    public static func writeCSV(_ sweep: Sweep, to write: (String) throws -> Void) rethrows {
        try writeCSVBytes(sweep) { try write(String(decoding: $0, as: UTF8.self)) }
    }

    /// The same CSV as raw UTF-8 chunks (no intermediate strings: the fast path for files and stdout).
    public static func writeCSVBytes(_ sweep: Sweep, to write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let out = ByteWriter()
        out.append(csvColumns.joined(separator: ","))
        out.append(byte: 0x0A)
        let columns = EvalColumnID.allCases
        try sweep.forEachRow { row in
            var first = true
            for c in columns {
                if !first { out.append(byte: 0x2C) }
                first = false
                switch row.value(c) {
                case .text(let s): out.appendCSVField(s)
                case .integer(let n): out.appendInt(n)
                case .number(let x): if x.isFinite { out.appendNumber(x) }
                case .boolean(let b): out.append(b ? "true" : "false")
                case .empty: break
                }
            }
            out.append(byte: 0x0A)
            if out.count >= 1 << 16 { try out.flush(write) }
        }
        try out.flush(write)
    }

    public static func csv(_ sweep: Sweep) -> String {
        var s = ""
        writeCSV(sweep) { s += $0 }
        return s
    }

    /// Streams the JSON document of `sweep`: `{"assumptions": {…}, "columns": [{name, unit,
    /// meaning}…], "rows": [{column: value, …}, …]}`; empty values are `null`.
    public static func writeJSON(_ sweep: Sweep, to write: (String) throws -> Void) rethrows {
        try writeJSONBytes(sweep) { try write(String(decoding: $0, as: UTF8.self)) }
    }

    /// The same JSON as raw UTF-8 chunks.
    public static func writeJSONBytes(_ sweep: Sweep, to write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let out = ByteWriter()
        // The head is a JSONValue laid out like the rows: one member per line down to the
        // assumptions' entries (and each note), everything deeper on one line.
        let layout = JSONLayout(expandedDepth: 2, expandedKeys: ["notes"])
        let columns = JSONValue.array(EvalSchema.columns.map {
            .object([("name", .string($0.name)), ("unit", .string($0.unit)), ("meaning", .string($0.meaning))])
        })
        out.append("{\n  \"assumptions\": " + Assumptions.json(for: sweep.spec).rendered(layout, depth: 1)
                   + ",\n  \"columns\": " + columns.rendered(layout, depth: 1) + ",\n  \"rows\": [")
        let keys = EvalColumnID.allCases.map { JSON.string($0.rawValue) + ": " }
        let ids = EvalColumnID.allCases
        var firstRow = true
        try sweep.forEachRow { row in
            out.append(firstRow ? "\n    {" : ",\n    {")
            firstRow = false
            for (i, c) in ids.enumerated() {
                if i > 0 { out.append(", ") }
                out.append(keys[i])
                switch row.value(c) {
                case .text(let s): out.append(JSON.string(s))
                case .integer(let n): out.appendInt(n)
                case .number(let x): if x.isFinite { out.appendNumber(x) } else { out.append("null") }
                case .boolean(let b): out.append(b ? "true" : "false")
                case .empty: out.append("null")
                }
            }
            out.append(byte: 0x7D)
            if out.count >= 1 << 16 { try out.flush(write) }
        }
        out.append("\n  ]\n}\n")
        try out.flush(write)
    }

    public static func json(_ sweep: Sweep) -> String {
        var s = ""
        writeJSON(sweep) { s += $0 }
        return s
    }

    // MARK: Human tables

    /// The columns the human tables show for rows of `phases`.
    static func view(for spec: Spec) -> [EvalColumn] {
        var names = view(for: Set(spec.phases)).map(\.name)
        // Serving modes: which mode a row is, and what it adds.
        if spec.modes.contains(where: { !$0.isPlain }), let i = names.firstIndex(of: "gpus") {
            var extra = ["serving"]
            if spec.modes.contains(where: { $0.speculative != nil }) && !(Set(spec.phases) == [.prefill]) { extra.append("tokens_per_step") }
            if spec.modes.contains(where: { $0.disaggregated != nil }) && spec.phases.contains(.request) { extra.append("kv_transfer_s") }
            names.insert(contentsOf: extra, at: i + 1)
        }
        return names.compactMap(EvalSchema.column)
    }

    static func view(for phases: Set<Phase>) -> [EvalColumn] {
        let step = ["gpu", "model", "phase", "batch", "context", "gpus", "intensity", "ridge", "bound", "step_s", "tokens_per_s",
                    "fits", "usd_per_mtok"]
        let request = ["gpu", "model", "workload", "batch", "gpus", "bound", "ttft_s", "tpot_s", "e2e_s", "requests_per_s",
                       "tokens_per_s", "fits", "usd_per_request", "usd_per_mtok_input", "usd_per_mtok_output"]
        var names: [String]
        if phases == [.request] {
            names = request
        } else if phases.contains(.request) {
            names = step.filter { $0 != "usd_per_mtok" } + ["workload", "ttft_s", "tpot_s", "requests_per_s", "usd_per_request", "usd_per_mtok"]
        } else {
            names = step
        }
        return names.compactMap(EvalSchema.column)
    }

    /// A value as the human tables show it.
    static func human(_ v: EvalValue, _ style: HumanStyle) -> String {
        switch v {
        case .empty: return ""
        case .text(let s): return s
        case .boolean(let b): return b ? "yes" : "no"
        case .integer(let n): return style == .count ? Fmt.grouped(n) : String(n)
        case .number(let x):
            switch style {
            case .duration: return Fmt.duration(x)
            case .money: return Fmt.money(x)
            case .plainInteger: return Fmt.g(x, 6)
            default: return Fmt.sigGrouped(x, 3)
            }
        }
    }

    static func rightAligned(_ cols: [EvalColumn]) -> Set<Int> {
        Set(cols.indices.filter { ![.text, .yesNo].contains(cols[$0].style) })
    }

    static func humanRows(_ rows: [EvalRow], _ cols: [EvalColumn]) -> [[String]] {
        rows.map { r in cols.map { human($0.value(r), $0.style) } }
    }

    public static func table(_ sweep: Sweep) -> String {
        let rows = sweep.rows
        let cols = view(for: sweep.spec)
        return TextTable.aligned(cols.map(\.header), humanRows(rows, cols), right: rightAligned(cols))
            + "\n" + Assumptions.text(for: sweep.spec, style: .plain)
    }

    public static func markdown(_ sweep: Sweep) -> String {
        let rows = sweep.rows
        let cols = view(for: sweep.spec)
        return TextTable.markdown(cols.map(\.header), humanRows(rows, cols), right: rightAligned(cols))
            + "\n" + Assumptions.text(for: sweep.spec, style: .markdown)
    }

    /// `eval --columns`: every column with its unit and meaning.
    public static func columnsTable(format: EvalFormat) -> String {
        let header = ["column", "unit", "meaning"]
        let rows = EvalSchema.columns.map { [$0.name, $0.unit, $0.meaning] }
        return CatalogListing.render(header, rows, format: format, right: [])
    }
}

/// Plain-text tables: aligned columns for terminals, GitHub tables for Markdown.
public enum TextTable {
    /// Columns padded to their widest cell (`right`: right-aligned), a dashed rule under the header.
    public static func aligned(_ header: [String], _ rows: [[String]], right: Set<Int>) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, f) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], f.count) } }
        func line(_ r: [String]) -> String {
            var s = r.enumerated().map { i, f in
                let pad = String(repeating: " ", count: max(0, widths[i] - f.count))
                return right.contains(i) ? pad + f : f + pad
            }.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }

    /// A GitHub table (`---:` for right-aligned columns, `|` escaped in cells).
    public static func markdown(_ header: [String], _ rows: [[String]], right: Set<Int>) -> String {
        MarkdownTable.lines(header: header, separators: header.indices.map { right.contains($0) ? "---:" : "---" },
                            rows: rows.map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } })
            .joined(separator: "\n") + "\n"
    }
}

/// A growable byte buffer for the streaming writers. Every append first makes room for what it
/// writes (`reserve`), so no column, however long its text, can overrun it.
final class ByteWriter {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 17) {
        self.capacity = capacity
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }
    deinit { base.deallocate() }

    /// Makes room for `n` more bytes.
    @inline(__always) private func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }
    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = c
    }

    @inline(__always) func append(byte: UInt8) { reserve(1); base[count] = byte; count += 1 }
    func append(_ s: String) {
        var s = s
        s.withUTF8 { u in
            reserve(u.count)
            if let p = u.baseAddress { (base + count).update(from: p, count: u.count) }
            count += u.count
        }
    }
    @inline(__always) func appendInt(_ n: Int) {
        reserve(24)
        count += FastFormat.writeInt(n, to: base + count)
    }
    @inline(__always) func appendNumber(_ x: Double) {
        reserve(FastFormat.maxBytes)
        count += FastFormat.write(x, sig: 6, to: base + count)
    }
    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    func appendCSVField(_ s: String) {
        var s = s
        s.withUTF8 { u in
            var needsQuotes = false
            for b in u where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needsQuotes = true; break }
            if !needsQuotes {
                reserve(u.count)
                if let p = u.baseAddress { (base + count).update(from: p, count: u.count) }
                count += u.count
                return
            }
            reserve(2 * u.count + 2)
            base[count] = 0x22; count += 1
            for b in u {
                if b == 0x22 { base[count] = 0x22; count += 1 }
                base[count] = b; count += 1
            }
            base[count] = 0x22; count += 1
        }
    }
    /// Hands the bytes so far to `body` and empties the buffer.
    func flush(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try body(UnsafeRawBufferPointer(start: base, count: count))
        count = 0
    }
    /// The bytes so far as a string; the buffer is emptied.
    func takeString() -> String {
        let s = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        count = 0
        return s
    }
}
