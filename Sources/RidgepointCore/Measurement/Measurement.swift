import Foundation
import RidgepointFormatting
import RidgepointResources

/// One measured operating point: `batch` concurrent requests of `inputTokens` in and
/// `outputTokens` out, served by a replica of `gpus` GPUs, and what was measured (any of TPOT,
/// TTFT and output throughput of the replica).
public struct MeasuredPoint: Sendable, Equatable {
    public var gpu: GPU
    public var model: Model
    public var gpus: Int
    public var batch: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// Mean time per output token, ms.
    public var tpotMs: Double?
    /// Mean time to first token, ms.
    public var ttftMs: Double?
    /// Output tokens per second of the whole replica.
    public var outputTokensPerSecond: Double?
    public var source: String
    public var weights: WeightFormat?
    public var kv: KVFormat?
    public var engine: String
    public var engineVersion: String
    public var date: String
    public var notes: String
    /// `file:line` (CSV) or `file` (JSON) it was read from.
    public var origin: String
    /// How the benchmark batched requests: `continuous` (a serving run under a concurrency
    /// limit, the default) or `static` (B requests started together, as offline benchmarks do).
    public var batching: Batching = .continuous

    public enum Batching: String, Sendable, Equatable, CaseIterable { case continuous, `static` }

    public init(gpu: GPU, model: Model, gpus: Int, batch: Int, inputTokens: Int, outputTokens: Int, tpotMs: Double? = nil,
                ttftMs: Double? = nil, outputTokensPerSecond: Double? = nil, source: String, weights: WeightFormat? = nil,
                kv: KVFormat? = nil, engine: String = "", engineVersion: String = "", date: String = "", notes: String = "",
                origin: String = "", batching: Batching = .continuous) {
        self.gpu = gpu; self.model = model; self.gpus = gpus; self.batch = batch; self.inputTokens = inputTokens
        self.outputTokens = outputTokens; self.tpotMs = tpotMs; self.ttftMs = ttftMs; self.outputTokensPerSecond = outputTokensPerSecond
        self.source = source; self.weights = weights; self.kv = kv; self.engine = engine; self.engineVersion = engineVersion
        self.date = date; self.notes = notes; self.origin = origin; self.batching = batching
    }

    /// Whether anything was measured.
    public var hasMetric: Bool { tpotMs != nil || ttftMs != nil || outputTokensPerSecond != nil }
}

/// Reads measurement files: Ridgepoint's CSV format and the JSON `vllm bench serve --save-result` writes.
public enum MeasurementReader {
    /// The CSV header: these columns, in any order; the optional ones may be left out.
    public static let requiredColumns = ["gpu", "model", "gpus", "batch", "input_tokens", "output_tokens", "tpot_ms", "ttft_ms",
                                         "output_tokens_per_s", "source"]
    public static let optionalColumns = ["weights", "kv", "engine", "engine_version", "date", "notes", "batching"]
    public static let maxFileBytes = 16 << 20
    public static let maxRows = 10_000

    /// Reads `path`: `.json` as a vLLM result (GPU and count from `gpu`/`gpus`), anything else as CSV.
    /// The measurement sets compiled into Ridgepoint, by the name a spec or flag uses.
    public static let builtIn = ["builtin:published": "measurements/published.csv"]

    public static func load(_ path: String, catalog: Catalog, gpu: String? = nil, gpus: Int? = nil) throws -> [MeasuredPoint] {
        if let resource = builtIn[path.lowercased()] {
            guard let text = EmbeddedResources.text(resource) else {
                throw Messages.missingResource("the built-in measurements", file: path)
            }
            return try csv(text, file: (resource as NSString).lastPathComponent, catalog: catalog)
        }
        if path.lowercased().hasPrefix("builtin:") {
            throw Messages.Text.unknown("built-in measurement set", path, among: builtIn.keys.sorted()).at(file: path)
        }
        let text = try Spec.readTextFile(path, what: "measurement file", limit: maxFileBytes)
        if path.lowercased().hasSuffix(".json") {
            return [try vllm(text, file: path, catalog: catalog, gpu: gpu, gpus: gpus)]
        }
        return try csv(text, file: path, catalog: catalog)
    }

    // MARK: CSV

    public static func csv(_ text: String, file: String, catalog: Catalog) throws -> [MeasuredPoint] {
        let records = try CSVReader.records(text, file: file)
        guard let header = records.first else {
            throw Messages.Measurements.emptyFile(requiredColumns: requiredColumns).at(file: file, line: 1)
        }
        var index: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() {
            let n = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard requiredColumns.contains(n) || optionalColumns.contains(n) else {
                throw Messages.Text.unknown("column", n, among: requiredColumns + optionalColumns).at(file: file, line: header.line, field: n)
            }
            if index[n] != nil { throw Messages.Text.listedTwice("column '\(n)'").at(file: file, line: header.line, field: n) }
            index[n] = i
        }
        for c in requiredColumns where index[c] == nil {
            throw Messages.Text.missing("column '\(c)'", help: "the header must name " + requiredColumns.joined(separator: ",")).at(file: file, line: header.line, field: c)
        }
        if records.count - 1 > maxRows {
            throw Messages.Measurements.tooManyRows(records.count - 1, limit: maxRows).at(file: file)
        }
        var out: [MeasuredPoint] = []
        for r in records.dropFirst() {
            if r.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ c: String) -> String {
                guard let i = index[c], i < r.fields.count else { return "" }
                return r.fields[i].trimmingCharacters(in: .whitespaces)
            }
            func fail(_ c: String, _ text: MessageText) -> RidgepointError { text.at(file: file, line: r.line, field: c) }
            guard r.fields.count == header.fields.count else {
                throw Messages.Measurements.rowWidth(r.fields.count, header: header.fields.count).at(file: file, line: r.line)
            }
            func int(_ c: String, min: Int, max: Int) throws -> Int {
                let s = cell(c)
                guard let v = Int(s) else { throw fail(c, Messages.Text.expected("a whole number", got: s.isEmpty ? "an empty cell" : "'\(s)'")) }
                guard v >= min, v <= max else { throw fail(c, Messages.Text.expected("\(min)…\(max)", got: "\(v)")) }
                return v
            }
            func number(_ c: String) throws -> Double? {
                let s = cell(c)
                if s.isEmpty { return nil }
                guard let v = Double(s), v.isFinite, v > 0 else { throw fail(c, Messages.Text.expected("a positive number or an empty cell", got: "'\(s)'")) }
                return v
            }
            let gpuName = cell("gpu"), modelName = cell("model")
            let g = try catalog.requireGPU(gpuName, at: (file, r.line, nil, "gpu"))
            let m = try catalog.requireModel(modelName, at: (file, r.line, nil, "model"))
            var w: WeightFormat? = nil, k: KVFormat? = nil
            if !cell("weights").isEmpty {
                guard let v = WeightFormat(rawValue: cell("weights").lowercased()) else {
                    throw fail("weights", Messages.Text.unknown("weight format", cell("weights"), among: WeightFormat.allCases.map(\.rawValue)))
                }
                w = v
            }
            if !cell("kv").isEmpty {
                guard let v = KVFormat(rawValue: cell("kv").lowercased()) else {
                    throw fail("kv", Messages.Text.unknown("KV format", cell("kv"), among: KVFormat.allCases.map(\.rawValue)))
                }
                k = v
            }
            let source = cell("source")
            guard !source.isEmpty else { throw fail("source", Messages.Text.missing("source", help: "say where the number comes from (a URL, a run id)")) }
            func batching() throws -> MeasuredPoint.Batching {
                if cell("batching").isEmpty { return .continuous }
                guard let b = MeasuredPoint.Batching(rawValue: cell("batching").lowercased()) else {
                    throw fail("batching", Messages.Text.unknown("batching", cell("batching"), among: ["continuous", "static"]))
                }
                return b
            }
            let meas = MeasuredPoint(
                gpu: g, model: m, gpus: try int("gpus", min: 1, max: 4096), batch: try int("batch", min: 1, max: 1_000_000),
                inputTokens: try int("input_tokens", min: 1, max: 100_000_000), outputTokens: try int("output_tokens", min: 1, max: 100_000_000),
                tpotMs: try number("tpot_ms"), ttftMs: try number("ttft_ms"), outputTokensPerSecond: try number("output_tokens_per_s"),
                source: source, weights: w, kv: k, engine: cell("engine"), engineVersion: cell("engine_version"), date: cell("date"),
                notes: cell("notes"), origin: "\((file as NSString).lastPathComponent):\(r.line)", batching: try batching())
            guard meas.hasMetric else {
                throw Messages.Measurements.nothingMeasured.at(file: file, line: r.line)
            }
            out.append(meas)
        }
        return out
    }

    // MARK: vLLM

    /// One vLLM benchmark result (`vllm bench serve --save-result`, formerly
    /// `benchmarks/benchmark_serving.py`): the model from `model_id`, the batch from
    /// `max_concurrency` (required: a run without a concurrency limit has no fixed batch), the
    /// mean request shape from `total_input_tokens` and `total_output_tokens` over `completed`,
    /// and `mean_tpot_ms`, `mean_ttft_ms`, `output_throughput`.
    public static func vllm(_ text: String, file: String, catalog: Catalog, gpu: String?, gpus: Int?) throws -> MeasuredPoint {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw Messages.invalidJSON(file, error.localizedDescription)
        }
        guard let o = object as? [String: Any] else { throw Messages.Text.expected("a JSON object at the top level", got: "another value").at(file: file) }
        func fail(_ key: String, _ text: MessageText) -> RidgepointError { text.at(file: file, field: "$." + key) }
        func number(_ key: String, required: Bool = true) throws -> Double? {
            guard let v = o[key], !(v is NSNull) else {
                if required { throw fail(key, Messages.Text.missingField(key, help: "a vLLM result written by `vllm bench serve --save-result` has it")) }
                return nil
            }
            guard !(v is String), let n = v as? NSNumber, n.doubleValue.isFinite, n.doubleValue >= 0 else {
                throw fail(key, Messages.Text.expected("a number", got: "\(v)"))
            }
            return n.doubleValue
        }
        guard let modelID = o["model_id"] as? String, !modelID.isEmpty else { throw fail("model_id", Messages.Text.missingField("model_id")) }
        let model = try catalog.requireModel(modelID, at: (file, nil, nil, "$.model_id"))
        guard let gpuName = gpu else {
            throw Messages.Measurements.noGPU(file: (file as NSString).lastPathComponent).at(file: file)
        }
        let g = try catalog.requireGPU(gpuName, at: (nil, nil, nil, "--gpu"))
        guard let concurrency = try number("max_concurrency", required: false), concurrency >= 1 else {
            throw fail("max_concurrency", Messages.Measurements.noConcurrencyLimit)
        }
        let completed = try number("completed") ?? 0
        guard completed >= 1 else { throw fail("completed", Messages.Measurements.noRequestCompleted) }
        let input = (try number("total_input_tokens") ?? 0) / completed
        let output = (try number("total_output_tokens") ?? 0) / completed
        guard input >= 1, output >= 1 else { throw fail("total_output_tokens", Messages.Measurements.noTokens) }
        let date = (o["date"] as? String) ?? ""
        return MeasuredPoint(
            gpu: g, model: model, gpus: gpus ?? 1, batch: Int(concurrency.rounded()), inputTokens: Int(input.rounded()),
            outputTokens: Int(output.rounded()), tpotMs: try number("mean_tpot_ms", required: false).flatMap { $0 > 0 ? $0 : nil },
            ttftMs: try number("mean_ttft_ms", required: false).flatMap { $0 > 0 ? $0 : nil },
            outputTokensPerSecond: try number("output_throughput", required: false).flatMap { $0 > 0 ? $0 : nil },
            source: "vLLM benchmark \((file as NSString).lastPathComponent)", engine: "vllm", date: date,
            origin: (file as NSString).lastPathComponent)
    }
}

/// RFC 4180 CSV: fields separated by commas, optionally in double quotes (a quote inside a
/// quoted field is doubled), records ended by LF or CRLF; a quoted field may span lines.
public enum CSVReader {
    /// A field as written: quoted when it holds a comma, quote or line break.
    public static func quote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// The line the record starts on (1-based).
        public var line: Int
    }

    public static func records(_ text: String, file: String) throws -> [Record] {
        var out: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false, quotedField = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            out.append(Record(fields: fields, line: recordLine))
            fields = []; field = ""; quotedField = false
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty && !quotedField else {
                    throw Messages.CSV.quoteInsideField.at(file: file, line: line)
                }
                inQuotes = true; quotedField = true
            case ",":
                fields.append(field); field = ""; quotedField = false
            case "\r" where i + 1 < chars.count && chars[i + 1] == "\n":
                break
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                if quotedField {
                    throw Messages.CSV.textAfterQuote.at(file: file, line: line)
                }
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw Messages.CSV.unclosedQuote.at(file: file, line: recordLine) }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return out
    }
}
