import Foundation

/// One evaluated cell of the matrix.
public struct Cell: Sendable {
    public var deployment: Deployment
    public var result: StepResult
    public var gpu: GPU { deployment.gpu }
    public var model: Model { deployment.model }
}

/// The evaluated matrix of a spec, in a fixed order: GPU, model, GPUs per replica, phase,
/// batch, context (each in the spec's order).
public struct Sweep: Sendable {
    public var spec: Spec
    public init(spec: Spec) { self.spec = spec }

    /// The deployment of `gpu` × `model` on `n` GPUs under the spec's settings.
    public func deployment(_ gpu: GPU, _ model: Model, gpus n: Int) -> Deployment {
        Deployment(gpu: gpu, model: model, gpus: n, weights: spec.weights, kv: spec.kv, efficiency: spec.efficiency,
                   convention: spec.convention, reserveFraction: spec.memoryReserve)
    }

    /// Calls `body` for every cell in order without storing them (for very large sweeps).
    public func forEachCell(_ body: (Cell) throws -> Void) rethrows {
        for g in spec.gpus {
            for m in spec.models {
                for n in spec.gpusPerReplica {
                    let d = deployment(g, m, gpus: n)
                    for phase in spec.phases {
                        for b in spec.batchSizes {
                            for s in spec.contexts {
                                let r = phase == .decode ? d.decode(batch: b, context: s) : d.prefill(batch: b, context: s)
                                try body(Cell(deployment: d, result: r))
                            }
                        }
                    }
                }
            }
        }
    }

    public var cells: [Cell] {
        var out: [Cell] = []
        out.reserveCapacity(spec.cellCount)
        forEachCell { out.append($0) }
        return out
    }
}

/// Writers for `ridgepoint eval`: CSV, JSON, an aligned terminal table and a GitHub table.
public enum EvalFormat: String, CaseIterable, Sendable { case table, csv, json, md }

public enum EvalWriter {
    /// The CSV header. The first 21 columns are a stable contract; more may follow.
    public static let csvColumns = [
        "gpu", "model", "phase", "batch", "context", "gpus", "weights", "kv", "flops", "bytes", "intensity", "ridge",
        "bound", "step_s", "tokens_per_s", "weight_bytes", "kv_bytes_per_token", "memory_bytes", "capacity_bytes",
        "fits", "usd_per_mtok",
        // extensions
        "compute_s", "memory_s", "interconnect_s", "weight_bytes_read", "kv_bytes_step", "usd_per_mtok_weights",
        "usd_per_mtok_kv", "usd_per_mtok_compute", "usd_per_gpu_hour", "compute_precision", "efficiency", "convention",
    ]

    /// A number as `%.6g` (`inf`/`nan` never occur for valid specs; written as empty).
    @inline(__always) static func num(_ x: Double) -> String { x.isFinite ? FastFormat.g(x, 6) : "" }

    static func csvFields(_ c: Cell) -> [String] {
        let d = c.deployment, r = c.result
        return [
            d.gpu.id, d.model.id, r.phase.rawValue, String(r.batch), String(r.context), String(d.gpus),
            d.weights.rawValue, d.kv.rawValue, num(r.flops), num(r.bytes), num(r.intensity), num(d.ridge),
            r.bound.rawValue, num(r.stepTime), num(r.tokensPerSecond), num(d.weightBytes), num(d.kvBytesPerToken),
            num(r.memoryBytes), num(r.capacityBytes), r.fits ? "true" : "false", num(r.usdPerMtok),
            num(r.computeTime), num(r.memoryTime), num(r.interconnectTime), num(r.weightBytesRead), num(r.kvBytes),
            num(r.usdPerMtokWeights), num(r.usdPerMtokKV), num(r.usdPerMtokCompute), num(d.usdPerHour),
            d.computePrecision.rawValue, d.efficiency.name, d.convention.name,
        ]
    }

    /// Quotes a CSV field when it holds a comma, quote or newline (RFC 4180).
    static func csvQuote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Streams the CSV of `sweep` to `write`, in chunks of about 64 KiB that end at row ends.
    ///
    /// The same bytes as joining `csvFields(_:)` (each through `csvQuote`) with commas, row by row,
    /// but written straight into a byte buffer: the text of per-deployment fields is built once per
    /// deployment and numbers go through `FastFormat` (`%.6g`, exactly), so a million-cell sweep
    /// takes about a second instead of half a minute. `CSVWriterTests` checks the equivalence.
    public static func writeCSV(_ sweep: Sweep, to write: (String) throws -> Void) rethrows {
        let spec = sweep.spec
        let flushAt = 1 << 16
        var capacity = flushAt * 2
        var buf = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buf.deallocate() }
        var n = 0

        @inline(__always) func put(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { src in
                guard let base = src.baseAddress else { return }
                (buf + n).update(from: base, count: src.count)
                n += src.count
            }
        }
        @inline(__always) func put(_ byte: UInt8) { buf[n] = byte; n += 1 }
        @inline(__always) func putNumber(_ x: Double) {
            if x.isFinite { n += FastFormat.write(x, sig: 6, to: buf + n) }
        }

        func text(_ fields: [String]) -> [UInt8] { Array(fields.map(csvQuote).joined(separator: ",").utf8) }
        let comma = UInt8(ascii: ",")
        let header = Array((csvColumns.joined(separator: ",") + "\n").utf8)
        put(header)
        let compute = Array("compute,".utf8), memory = Array("memory,".utf8), interconnect = Array("interconnect,".utf8)
        let yes = Array("true,".utf8), no = Array("false,".utf8)
        let numberBytes = 17 * FastFormat.maxBytes + 2 * 20 + 40

        for g in spec.gpus {
            for m in spec.models {
                for replicas in spec.gpusPerReplica {
                    let d = sweep.deployment(g, m, gpus: replicas)
                    // Per-deployment text: everything that does not depend on phase, batch or context.
                    let lead = text([d.gpu.id, d.model.id]) + [comma]
                    let afterContext = [comma] + text([String(d.gpus), d.weights.rawValue, d.kv.rawValue]) + [comma]
                    let ridge = Array(num(d.ridge).utf8) + [comma]
                    let sizes = Array((num(d.weightBytes) + "," + num(d.kvBytesPerToken) + ",").utf8)
                    let tail = [comma] + text([num(d.usdPerHour), d.computePrecision.rawValue, d.efficiency.name,
                                               d.convention.name]) + [UInt8(ascii: "\n")]
                    let rowMax = lead.count + afterContext.count + ridge.count + sizes.count + tail.count + 32 + numberBytes
                    if rowMax > capacity - flushAt {
                        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: flushAt + rowMax)
                        bigger.update(from: buf, count: n)
                        buf.deallocate()
                        buf = bigger
                        capacity = flushAt + rowMax
                    }
                    for phase in spec.phases {
                        let phaseText = text([phase.rawValue]) + [comma]
                        for b in spec.batchSizes {
                            for s in spec.contexts {
                                let r = phase == .decode ? d.decode(batch: b, context: s) : d.prefill(batch: b, context: s)
                                put(lead)
                                put(phaseText)
                                n += FastFormat.writeInt(r.batch, to: buf + n); put(comma)
                                n += FastFormat.writeInt(r.context, to: buf + n)
                                put(afterContext)
                                putNumber(r.flops); put(comma)
                                putNumber(r.bytes); put(comma)
                                putNumber(r.intensity); put(comma)
                                put(ridge)
                                switch r.bound {
                                case .compute: put(compute)
                                case .memory: put(memory)
                                case .interconnect: put(interconnect)
                                }
                                putNumber(r.stepTime); put(comma)
                                putNumber(r.tokensPerSecond); put(comma)
                                put(sizes)
                                putNumber(r.memoryBytes); put(comma)
                                putNumber(r.capacityBytes); put(comma)
                                put(r.fits ? yes : no)
                                putNumber(r.usdPerMtok); put(comma)
                                putNumber(r.computeTime); put(comma)
                                putNumber(r.memoryTime); put(comma)
                                putNumber(r.interconnectTime); put(comma)
                                putNumber(r.weightBytesRead); put(comma)
                                putNumber(r.kvBytes); put(comma)
                                putNumber(r.usdPerMtokWeights); put(comma)
                                putNumber(r.usdPerMtokKV); put(comma)
                                putNumber(r.usdPerMtokCompute)
                                put(tail)
                                if n >= flushAt {
                                    try write(String(decoding: UnsafeBufferPointer(start: buf, count: n), as: UTF8.self))
                                    n = 0
                                }
                            }
                        }
                    }
                }
            }
        }
        try write(String(decoding: UnsafeBufferPointer(start: buf, count: n), as: UTF8.self))
    }

    public static func csv(_ sweep: Sweep) -> String {
        var out = ""
        writeCSV(sweep) { out += $0 }
        return out
    }

    // MARK: Table and Markdown

    static let tableHeader = ["GPU", "model", "phase", "B", "S", "n", "I (FLOP/B)", "ridge", "bound", "step", "tokens/s", "fits", "$/Mtok"]

    static func tableRow(_ c: Cell) -> [String] {
        let r = c.result
        return [c.gpu.id, c.model.id, r.phase.rawValue, String(r.batch), String(r.context), String(c.deployment.gpus),
                Fmt.sigGrouped(r.intensity, 3), Fmt.sigGrouped(c.deployment.ridge, 3), r.bound.rawValue,
                Fmt.duration(r.stepTime), Fmt.sigGrouped(r.tokensPerSecond, 3), r.fits ? "yes" : "no",
                Recommender.money(r.usdPerMtok)]
    }
    static let rightAligned: Set<Int> = [3, 4, 5, 6, 7, 9, 10, 12]

    public static func table(_ sweep: Sweep) -> String {
        alignedTable(tableHeader, sweep.cells.map(tableRow), right: rightAligned)
            + "\n" + Assumptions.text(for: sweep.spec, style: .plain)
    }

    public static func markdown(_ sweep: Sweep) -> String {
        markdownTable(tableHeader, sweep.cells.map(tableRow), right: rightAligned)
            + "\n" + Assumptions.text(for: sweep.spec, style: .markdown)
    }

    /// Columns padded to their widest cell (`right`: right-aligned), a dashed rule under the header.
    static func alignedTable(_ header: [String], _ rows: [[String]], right: Set<Int>) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, f) in r.enumerated() { widths[i] = max(widths[i], f.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, f in
                let pad = String(repeating: " ", count: widths[i] - f.count)
                return right.contains(i) ? pad + f : f + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }

    /// A GitHub table (`---:` for right-aligned columns, `|` escaped in cells).
    static func markdownTable(_ header: [String], _ rows: [[String]], right: Set<Int>) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n|"
        out += header.indices.map { right.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + r.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return out
    }

    // MARK: JSON

    /// The JSON document of `sweep` as one string (see `writeJSON` for large matrices).
    public static func json(_ sweep: Sweep) -> String {
        var out = ""
        writeJSON(sweep) { out += $0 }
        return out
    }
}

/// Minimal deterministic JSON helpers (key order is the caller's).
public enum JSON {
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
    public static func number(_ x: Double) -> String { x.isFinite ? Fmt.g(x, 6) : "null" }
}
