import Foundation
import RidgepointFormatting
import RidgepointResources

/// The built-in GPU and model catalogs (YAML files compiled into the executable), plus any
/// custom entries a spec adds or overrides. Look-ups are case-insensitive and accept aliases.
public struct Catalog: Sendable {
    public private(set) var gpus: [GPU]
    public private(set) var models: [Model]

    public init(gpus: [GPU], models: [Model]) { self.gpus = gpus; self.models = models }

    /// A fingerprint of the shipped catalog files (outputs depend on them).
    public static let resourceFingerprint: String = {
        Fingerprint.hex(["gpus.yaml", "models.yaml"].map { (try? loadResource($0).text) ?? "" }.joined(separator: "\u{1}"))
    }()

    /// The catalog shipped with Ridgepoint.
    public static func builtIn() throws -> Catalog {
        let g = try loadResource("gpus.yaml")
        let m = try loadResource("models.yaml")
        return Catalog(gpus: try parseGPUs(g.text, file: g.name), models: try parseModels(m.text, file: m.name))
    }

    /// A catalog file compiled into the executable (`RidgepointResources`).
    static func loadResource(_ name: String) throws -> (text: String, name: String) {
        guard let text = EmbeddedResources.text("catalog/\(name)") else {
            throw Messages.missingResource("the built-in catalog file", file: "catalog/\(name)")
        }
        return (text, "catalog/\(name)")
    }

    // MARK: Look-up

    static func key(_ s: String) -> String { s.lowercased() }

    public func gpu(_ name: String) -> GPU? {
        let k = Catalog.key(name)
        return gpus.first { Catalog.key($0.id) == k } ?? gpus.first { $0.aliases.contains { Catalog.key($0) == k } }
    }
    public func model(_ name: String) -> Model? {
        let k = Catalog.key(name)
        return models.first { Catalog.key($0.id) == k } ?? models.first { $0.aliases.contains { Catalog.key($0) == k } }
    }

    /// Every id and alias, for suggestions.
    public var gpuNames: [String] { gpus.flatMap { [$0.id] + $0.aliases } }
    public var modelNames: [String] { models.flatMap { [$0.id] + $0.aliases } }

    /// The GPU named `name`, or an error with the nearest known id.
    public func requireGPU(_ name: String, at value: (file: String?, line: Int?, column: Int?, field: String?) = (nil, nil, nil, nil)) throws -> GPU {
        if let g = gpu(name) { return g }
        throw Messages.Catalogs.unknownEntry("GPU", name, nearest: Suggest.nearest(name, in: gpuNames).map { gpu($0)?.id ?? $0 },
                                             all: gpus.map(\.id), listCommand: "gpus")
            .at(file: value.file, line: value.line, column: value.column, field: value.field)
    }
    public func requireModel(_ name: String, at value: (file: String?, line: Int?, column: Int?, field: String?) = (nil, nil, nil, nil)) throws -> Model {
        if let m = model(name) { return m }
        // A Hugging Face config.json, or the folder of a downloaded snapshot (relative to the
        // spec that names it).
        if HFConfig.looksLikePath(name) || FileManager.default.fileExists(atPath: Catalog.resolve(name, against: value.file)) {
            do {
                return try HFConfig.load(name, relativeTo: value.file.map { ($0 as NSString).deletingLastPathComponent })
            } catch var e as RidgepointError {
                if e.file == name || e.file == nil { e.file = value.file ?? e.file; e.line = value.line; e.column = value.column; e.field = value.field
                    e.message = "\(name): " + e.message }
                throw e
            }
        }
        throw Messages.Catalogs.unknownEntry("model", name, nearest: Catalog.nearestModel(name, in: models)?.id,
                                             all: models.map(\.id), listCommand: "models")
            .at(file: value.file, line: value.line, column: value.column, field: value.field)
    }

    /// The catalog model a mistyped or unknown name most likely means: the same family ("llama",
    /// "qwen", …) first, then the nearest size ("70B" must not suggest 405B), then the nearest
    /// spelling; nil when nothing shares the family and no spelling is close.
    static func nearestModel(_ name: String, in models: [Model]) -> Model? {
        func normal(_ s: String) -> String {
            var n = s.lowercased()
            if let slash = n.lastIndex(of: "/") { n = String(n[n.index(after: slash)...]) }
            for suffix in ["-instruct", "-chat", "-hf", "-base", "-it"] where n.hasSuffix(suffix) { n = String(n.dropLast(suffix.count)) }
            return n.replacingOccurrences(of: "meta-llama-", with: "llama-").replacingOccurrences(of: "meta-", with: "")
        }
        func family(_ s: String) -> String { String(s.prefix { $0.isLetter }) }
        func size(_ s: String) -> Double? {
            guard let r = s.range(of: #"(\d+(\.\d+)?)(x(\d+(\.\d+)?))?b"#, options: .regularExpression) else { return nil }
            let parts = s[r].dropLast().split(separator: "x").compactMap { Double($0) }
            return parts.reduce(1, *)
        }
        /// "llama-3.2-70b" → "llama3.2", "qwen3-30b-a3b" → "qwen3": the family with its version.
        func release(_ s: String) -> String {
            let base = s.range(of: #"-?\d+(\.\d+)?(x\d+(\.\d+)?)?b(-.*)?$"#, options: .regularExpression).map { String(s[..<$0.lowerBound]) } ?? s
            return base.replacingOccurrences(of: "-", with: "")
        }
        let key = normal(name), fam = family(key), want = size(key), rel = release(key)
        let sameFamily = models.filter { family(normal($0.id)) == fam && !fam.isEmpty }
        guard !sameFamily.isEmpty else {
            return Suggest.nearest(key, in: models.map(\.id)).flatMap { n in models.first { $0.id == n } }
        }
        func sizeGap(_ m: Model) -> Double {
            guard let want, let have = size(normal(m.id)) else { return 10 }
            return abs(log(have / want))
        }
        return sameFamily.min { a, b in
            // Nearest size (log ratio), with the same release worth a small step of it: Qwen3-7B →
            // qwen3-8b rather than qwen2.5-7b, but llama-3-405b → llama-3.1-405b, not llama-3-70b.
            let ga = sizeGap(a) + (release(normal(a.id)) == rel ? 0 : 0.5)
            let gb = sizeGap(b) + (release(normal(b.id)) == rel ? 0 : 0.5)
            if abs(ga - gb) > 1e-9 { return ga < gb }
            return Suggest.distance(key, normal(a.id)) < Suggest.distance(key, normal(b.id))
        }
    }

    /// `path` relative to the folder of `file` (a spec), unless absolute or without a file.
    static func resolve(_ path: String, against file: String?) -> String {
        guard !path.hasPrefix("/"), let file, file != "<default>" else { return path }
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? path : (dir as NSString).appendingPathComponent(path)
    }

    /// Adds `g`, replacing a GPU with the same id.
    public mutating func upsert(_ g: GPU) {
        if let i = gpus.firstIndex(where: { Catalog.key($0.id) == Catalog.key(g.id) }) { gpus[i] = g } else { gpus.append(g) }
    }
    public mutating func upsert(_ m: Model) {
        if let i = models.firstIndex(where: { Catalog.key($0.id) == Catalog.key(m.id) }) { models[i] = m } else { models.append(m) }
    }

    // MARK: Parsing

    static let gpuKeys = ["id", "name", "short_name", "aliases", "vendor", "architecture", "year", "form_factor", "memory_type",
                          "memory_gb", "memory_reported_mib", "bandwidth_tbs", "interconnect", "interconnect_gbs",
                          "interconnect_latency_us", "scale_up_domain", "scale_out_gbs", "scale_out_latency_us", "tdp_w",
                          "peak_tflops", "price", "capex_usd", "capex", "calibration", "sources", "notes"]
    /// Extra keys accepted for custom GPUs in a spec.
    static let customGPUKeys = gpuKeys + ["base", "bf16_tflops", "fp8_tflops", "usd_per_hour", "efficiency"]
    static let sourceKeys = ["compute", "memory", "reported_memory", "interconnect", "latency", "scale_out", "power", "price", "efficiency"]

    static func parseGPUs(_ text: String, file: String) throws -> [GPU] {
        try parseEntries(text, file: file, key: "gpus", kind: "GPU") { try parseGPU($0, base: nil, custom: false) } id: { $0.id }
    }

    static func parseModels(_ text: String, file: String) throws -> [Model] {
        try parseEntries(text, file: file, key: "models", kind: "model") { try parseModel($0, base: nil, custom: false) } id: { $0.id }
    }

    /// The list under `key` of a catalog file (`gpus:` or `models:`), each entry read by `parse`;
    /// two entries with one id are refused.
    static func parseEntries<T>(_ text: String, file: String, key: String, kind: String,
                                parse: (YAMLValue) throws -> T, id: (T) -> String) throws -> [T] {
        let root = try YAMLValue.parse(text, file: file)
        let top = try root.fields(allowed: [key, "version"])
        guard let list = top[key] else { throw root.error(Messages.Text.missingField(key, help: "a catalog file lists its \(kind)s under `\(key):`")) }
        var out: [T] = []
        for v in try list.sequence() {
            let entry = try parse(v)
            if out.contains(where: { id($0) == id(entry) }) { throw v.error(Messages.Text.listedTwice("\(kind) id '\(id(entry))'")) }
            out.append(entry)
        }
        return out
    }

    static let precisionKeys = Precision.allCases.map(\.rawValue)

    /// A GPU with every field empty, to fill from a spec entry without `base:`.
    static func blankGPU(_ id: String) -> GPU {
        GPU(id: id, name: id, aliases: [], vendor: "", architecture: "", year: nil, formFactor: "", memoryType: "",
            memoryBytes: 0, reportedMemoryBytes: nil, bandwidth: 0,
            links: Links(name: "", bandwidth: 0, allReduceLatency: 0, domain: 1, scaleOutBandwidth: 0, scaleOutLatency: 0),
            tdpWatts: nil, peaks: [:], price: Price(usdPerHour: 0, asOf: "", source: ""), calibration: nil,
            efficiencyOverride: nil, sources: [:], notes: "", origin: "")
    }

    /// Reads efficiency factors: `{compute, memory, interconnect, overhead_us[, source]}`; missing
    /// factors are 1 (the pure roofline) and a missing overhead is 0.
    static func parseEfficiency(_ x: YAMLValue, name: String, defaultSource: String, allowSource: Bool) throws -> Efficiency {
        let f = try x.fields(allowed: SpecSchema.efficiency.keys + (allowSource ? ["source", "overhead_source"] : []))
        func factor(_ k: String) throws -> Double {
            guard let y = f[k] else { return 1 }
            return try y.number(min: 0.01, max: 1, unit: "fraction of peak")
        }
        var e = Efficiency(name: name, compute: try factor("compute"), memory: try factor("memory"),
                           interconnect: try factor("interconnect"),
                           overhead: try (f["overhead_us"]?.number(allowZero: true, min: 0.001, max: 1e6, unit: "µs") ?? 0) * 1e-6,
                           source: try f["source"]?.string() ?? defaultSource,
                           overheadSource: try f["overhead_source"]?.string() ?? (f["overhead_us"] != nil ? defaultSource : ""))
        e.overheadPerSequence = try (f["overhead_per_sequence_us"]?.number(allowZero: true, min: 0.001, max: 1e5, unit: "µs per sequence") ?? 0) * 1e-6
        return e
    }

    /// Reads one GPU entry. With `base`, missing fields are inherited from it.
    static func parseGPU(_ v: YAMLValue, base: GPU?, custom: Bool) throws -> GPU {
        let f = try v.fields(allowed: custom ? customGPUKeys : gpuKeys)
        func req(_ k: String) throws -> YAMLValue {
            guard let x = f[k] else { throw v.error(Messages.Text.missingField("\(k)")) }
            return x
        }
        let idValue = f["id"] ?? f["name"]
        guard let idNode = idValue else { throw v.error(Messages.Text.missingField("id", help: "or give 'name'")) }
        let id = try SafeName.check(try idNode.nonEmptyString(maxLength: 64), at: idNode)
        var g = base ?? blankGPU(id)
        g.id = id
        g.name = try f["name"]?.nonEmptyString() ?? id
        if f["id"] != nil, let n = f["name"] { g.name = try n.nonEmptyString() }
        g.aliases = try f["aliases"].map { try $0.sequence().map { try $0.nonEmptyString(maxLength: 64) } } ?? []
        if let x = f["short_name"] {
            g.shortNameOverride = try x.nonEmptyString(maxLength: 40)
        } else if let b = base, f["name"] != nil || id != b.id {
            g.shortNameOverride = ""   // a renamed entry takes its short name from its own name
        }
        if let x = f["vendor"] { g.vendor = try x.string() }
        if let x = f["architecture"] { g.architecture = try x.string() }
        if let x = f["year"] { g.year = try x.integer(min: 1990, max: 2100) }
        if let x = f["form_factor"] { g.formFactor = try x.string() }
        if let x = f["memory_type"] { g.memoryType = try x.string() }
        if let x = try f["memory_gb"] ?? (base == nil ? req("memory_gb") : nil) {
            g.memoryBytes = try x.number(min: 0.001, max: 100_000, unit: "GB") * 1e9
            // A new datasheet capacity without a reported one: the reported figure of the base no longer applies.
            if f["memory_reported_mib"] == nil { g.reportedMemoryBytes = nil }
        }
        if let x = f["memory_reported_mib"] {
            let mib = try x.number(min: 1, max: 1e8, unit: "MiB")
            g.reportedMemoryBytes = mib * 1_048_576
            if g.reportedMemoryBytes! > g.memoryBytes * 1.2 {
                throw x.error(Messages.Catalogs.reportedAboveDatasheet(mib: Fmt.g(mib), datasheetGB: Fmt.g(g.memoryBytes / 1e9)))
            }
        }
        if let x = try f["bandwidth_tbs"] ?? (base == nil ? req("bandwidth_tbs") : nil) {
            g.bandwidth = try x.number(min: 0.001, max: 1000, unit: "TB/s") * 1e12
        }
        if let x = f["interconnect"] { g.links.name = try x.string() }
        if let x = f["interconnect_gbs"] { g.links.bandwidth = try x.number(allowZero: true, min: 0.01, max: 1e6, unit: "GB/s") * 1e9 }
        if let x = f["interconnect_latency_us"] { g.links.allReduceLatency = try x.number(allowZero: true, min: 0.01, max: 1e5, unit: "µs") * 1e-6 }
        if let x = f["scale_up_domain"] { g.links.domain = try x.integer(min: 1, max: 100_000) }
        if let x = f["scale_out_gbs"] { g.links.scaleOutBandwidth = try x.number(allowZero: true, min: 0.01, max: 1e6, unit: "GB/s") * 1e9 }
        if let x = f["scale_out_latency_us"] { g.links.scaleOutLatency = try x.number(allowZero: true, min: 0.01, max: 1e6, unit: "µs") * 1e-6 }
        if base == nil && custom && f["scale_up_domain"] == nil && g.links.bandwidth > 0 {
            // A custom card with a link and no stated domain: assume an 8-GPU node.
            g.links.domain = 8
        }
        if let x = f["tdp_w"] { g.tdpWatts = try x.number(min: 0.1, max: 100_000, unit: "W") }
        if let x = f["peak_tflops"] {
            var peaks = base?.peaks ?? [:]
            for (k, pv) in try x.mapping(allowed: precisionKeys) {
                let pf = try pv.fields(allowed: ["dense", "sparse"])
                guard let d = pf["dense"] else { throw pv.error(Messages.Text.missingField("dense")) }
                let dense = try d.number(min: 0.001, max: 1e6, unit: "TFLOPS") * 1e12
                let sparse = try pf["sparse"].map { try $0.number(min: 0.001, max: 2e6, unit: "TFLOPS") * 1e12 }
                if let s = sparse, s < dense, let sv = pf["sparse"] {
                    throw sv.error(Messages.Catalogs.sparseBelowDense(sparse: Fmt.g(s / 1e12), dense: Fmt.g(dense / 1e12)))
                }
                guard let precision = Precision(rawValue: k) else { throw pv.error(Messages.Text.unknown("precision", k, among: Precision.allCases.map(\.rawValue))) }
                peaks[precision] = Peak(dense: dense, sparse: sparse)
            }
            g.peaks = peaks
        }
        if let x = f["bf16_tflops"] {
            let d = try x.number(min: 0.001, max: 1e6, unit: "TFLOPS") * 1e12
            g.peaks[.bf16] = Peak(dense: d, sparse: 2 * d)
            if base == nil || g.peaks[.fp16] == nil { g.peaks[.fp16] = Peak(dense: d, sparse: 2 * d) }
        }
        if let x = f["fp8_tflops"] {
            let d = try x.number(min: 0.001, max: 2e6, unit: "TFLOPS") * 1e12
            g.peaks[.fp8] = Peak(dense: d, sparse: 2 * d)
        }
        if g.peaks[.bf16] == nil && g.peaks[.fp16] == nil {
            throw v.error(Messages.Catalogs.missingSixteenBitPeak)
        }
        if let x = f["price"] {
            let p = try x.fields(allowed: ["usd_per_hour", "as_of", "source"])
            guard let u = p["usd_per_hour"] else { throw x.error(Messages.Text.missingField("usd_per_hour")) }
            g.price = Price(usdPerHour: try u.number(min: 0.0001, max: 10_000, unit: "$/h"), asOf: try p["as_of"]?.string() ?? "",
                            source: try p["source"]?.string() ?? "")
        }
        if let x = f["usd_per_hour"] {
            g.price = Price(usdPerHour: try x.number(min: 0.0001, max: 10_000, unit: "$/h"), asOf: "", source: "spec file \(v.displayName)")
        }
        // `capex_usd: N` is the purchase price; `capex: {low_usd, high_usd, as_of, source}` its
        // provenance and range (`capex: {usd: N, …}` is accepted too).
        let capexUSD = try f["capex_usd"].map { try $0.number(min: 1, max: 1e8, unit: "$") }
        if let x = f["capex"] {
            let p = try x.fields(allowed: ["usd", "low_usd", "high_usd", "as_of", "source"])
            guard let usd = try capexUSD ?? p["usd"].map({ try $0.number(min: 1, max: 1e8, unit: "$") }) else {
                throw x.error(Messages.Catalogs.missingPurchasePrice)
            }
            let low = try p["low_usd"]?.number(min: 1, max: 1e8, unit: "$")
            let high = try p["high_usd"]?.number(min: 1, max: 1e8, unit: "$")
            if let l = low, l > usd, let lv = p["low_usd"] { throw lv.error(Messages.Catalogs.boundBeyondPrice("low_usd", Fmt.number(l), "above", price: Fmt.number(usd))) }
            if let h = high, h < usd, let hv = p["high_usd"] { throw hv.error(Messages.Catalogs.boundBeyondPrice("high_usd", Fmt.number(h), "below", price: Fmt.number(usd))) }
            g.capex = Capex(usd: usd, lowUsd: low, highUsd: high, asOf: try p["as_of"]?.string() ?? "", source: try p["source"]?.string() ?? "")
        } else if let usd = capexUSD {
            g.capex = Capex(usd: usd, asOf: "", source: custom ? "spec file \(v.displayName)" : "")
        }
        if g.price.usdPerHour <= 0 {
            throw v.error(Messages.Catalogs.missingPrice(custom: custom))
        }
        if let x = f["calibration"] {
            g.calibration = try parseEfficiency(x, name: "calibrated", defaultSource: "", allowSource: true)
            if g.calibration?.source.isEmpty == true { throw x.error(Messages.Catalogs.missingCalibrationSource) }
        }
        if let x = f["efficiency"] {
            g.efficiencyOverride = try parseEfficiency(x, name: "custom", defaultSource: "set for \(id) in \(v.displayName)", allowSource: true)
        }
        if let x = f["sources"] {
            var s = base?.sources ?? [:]
            for (k, sv) in try x.mapping(allowed: sourceKeys) { s[k] = try sv.string() }
            g.sources = s
        }
        if let x = f["notes"] { g.notes = try x.string() }
        if custom {
            g.origin = "\(v.displayName):\(v.line ?? 0)"
            if let b = base { g.notes = "custom entry based on \(b.id)" + (g.notes.isEmpty || g.notes == b.notes ? "" : "; " + g.notes) }
            if g.sources.isEmpty { g.sources["compute"] = "user-supplied in \(v.displayName)" }
        } else {
            g.origin = "catalog"
        }
        if g.links.domain < 1 { g.links.domain = 1 }
        return g
    }

    static let modelKeys = ["id", "name", "aliases", "family", "layers", "hidden_size", "attention_heads", "kv_heads",
                            "head_dim", "intermediate_size", "vocab_size", "tied_embeddings", "qkv_bias", "max_context",
                            "published_params_b", "published_active_params_b", "source", "params_source", "moe", "mla", "sliding_window",
                            "sliding_window_layers"]

    static func parseModel(_ v: YAMLValue, base: Model?, custom: Bool) throws -> Model {
        let f = try v.fields(allowed: custom ? modelKeys + ["base", "config"] : modelKeys)
        guard let idNode = f["id"] ?? f["name"] else { throw v.error(Messages.Text.missingField("id", help: "or give 'name'")) }
        let id = try SafeName.check(try idNode.nonEmptyString(maxLength: 64), at: idNode)
        func int(_ k: String, min: Int = 1, max: Int) throws -> Int? {
            if let x = f[k] { return try x.integer(min: min, max: max) }
            if base == nil { throw v.error(Messages.Text.missingField("\(k)")) }
            return nil
        }
        var m = base ?? Model(id: id, name: id, aliases: [], family: "", layers: 0, hiddenSize: 0, attentionHeads: 0,
                              kvHeads: 0, headDim: 0, intermediateSize: 0, vocabSize: 0, tiedEmbeddings: false,
                              qkvBias: false, maxContext: nil, slidingWindow: nil, moe: nil, mla: nil, publishedParams: nil,
                              publishedActiveParams: nil, declaredParams: nil, declaredActiveParams: nil, source: "", paramsSource: "", origin: "")
        m.id = id
        m.name = try (f["id"] != nil ? f["name"] : nil)?.nonEmptyString() ?? (base?.name ?? id)
        if base != nil { m.name = try f["name"]?.nonEmptyString() ?? id }
        m.aliases = try f["aliases"].map { try $0.sequence().map { try $0.nonEmptyString(maxLength: 64) } } ?? []
        if let x = f["family"] { m.family = try x.string() }
        if let x = try int("layers", max: 10_000) { m.layers = x }
        if let x = try int("hidden_size", max: 1_000_000) { m.hiddenSize = x }
        if let x = try int("attention_heads", max: 100_000) { m.attentionHeads = x }
        if let x = f["kv_heads"] { m.kvHeads = try x.integer(max: 100_000) } else if base == nil { m.kvHeads = m.attentionHeads }
        if let x = f["head_dim"] { m.headDim = try x.integer(max: 100_000) } else if base == nil {
            guard m.hiddenSize % m.attentionHeads == 0 else {
                throw v.error(Messages.Catalogs.noHeadDim(hidden: m.hiddenSize, heads: m.attentionHeads))
            }
            m.headDim = m.hiddenSize / m.attentionHeads
        }
        if let x = try int("intermediate_size", max: 10_000_000) { m.intermediateSize = x }
        if let x = try int("vocab_size", max: 100_000_000) { m.vocabSize = x }
        if let x = f["tied_embeddings"] { m.tiedEmbeddings = try x.bool() }
        if let x = f["qkv_bias"] { m.qkvBias = try x.bool() }
        if let x = f["max_context"] { m.maxContext = try x.integer(max: 100_000_000) }
        if let x = f["sliding_window"] { m.slidingWindow = x.isNull ? nil : try x.integer(max: 100_000_000) }
        if let x = f["sliding_window_layers"] { m.slidingWindowLayers = try x.integer(min: 0, max: 10_000) }
        if let l = m.slidingWindowLayers, l > m.layers {
            throw (f["sliding_window_layers"] ?? v).error(Messages.Text.exceeds("sliding_window_layers (\(l))", "layers (\(m.layers))"))
        }
        // A base's published counts describe the base: a changed architecture drops them.
        let architectureKeys = ["layers", "hidden_size", "attention_heads", "kv_heads", "head_dim", "intermediate_size", "vocab_size",
                                "tied_embeddings", "qkv_bias", "moe", "mla"]
        if base != nil, architectureKeys.contains(where: { f[$0] != nil }) {
            m.publishedParams = nil; m.publishedActiveParams = nil
        }
        if let x = f["published_params_b"] { m.publishedParams = try x.number(max: 1e6, unit: "billion") * 1e9 }
        if let x = f["published_active_params_b"] { m.publishedActiveParams = try x.number(max: 1e6, unit: "billion") * 1e9 }
        if let x = f["source"] { m.source = try x.string() }
        if let x = f["params_source"] { m.paramsSource = try x.string() }
        if let x = f["moe"] {
            let e = try x.fields(allowed: ["experts", "experts_per_token", "shared_experts", "expert_intermediate_size", "dense_layers"])
            func mi(_ k: String, min: Int = 1) throws -> Int {
                guard let y = e[k] else { throw x.error(Messages.Text.missingField(k)) }
                return try y.integer(min: min, max: 100_000)
            }
            let moe = MoE(experts: try mi("experts"), expertsPerToken: try mi("experts_per_token"),
                          sharedExperts: try e["shared_experts"]?.integer(min: 0, max: 1000) ?? 0,
                          expertIntermediateSize: try mi("expert_intermediate_size"),
                          denseLayers: try e["dense_layers"]?.integer(min: 0, max: 10_000) ?? 0)
            if moe.expertsPerToken > moe.experts {
                throw e["experts_per_token"]!.error(Messages.Text.exceeds("experts_per_token (\(moe.expertsPerToken))", "experts (\(moe.experts))"))
            }
            m.moe = moe
        }
        if let x = f["mla"] {
            let a = try x.fields(allowed: ["q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"])
            func ai(_ k: String, min: Int = 1) throws -> Int {
                guard let y = a[k] else { throw x.error(Messages.Text.missingField(k)) }
                return try y.integer(min: min, max: 1_000_000)
            }
            m.mla = MLA(qLoraRank: try ai("q_lora_rank", min: 0), kvLoraRank: try ai("kv_lora_rank"),
                        qkNopeHeadDim: try ai("qk_nope_head_dim"), qkRopeHeadDim: try ai("qk_rope_head_dim", min: 0),
                        vHeadDim: try ai("v_head_dim"))
        }
        if m.kvHeads > m.attentionHeads {
            throw (f["kv_heads"] ?? v).error(Messages.Text.exceeds("kv_heads (\(m.kvHeads))", "attention_heads (\(m.attentionHeads))"))
        }
        if m.attentionHeads % m.kvHeads != 0 {
            throw (f["kv_heads"] ?? v).error(Messages.Text.notAMultiple("attention_heads (\(m.attentionHeads))", of: "kv_heads (\(m.kvHeads))"))
        }
        if let d = m.moe?.denseLayers, d > m.layers { throw v.error(Messages.Text.exceeds("moe.dense_layers (\(d))", "layers (\(m.layers))")) }
        // A stated count that the architecture contradicts is most likely a typo in one of them.
        if custom, m.declaredParams == nil {
            for (stated, derived, what) in [(m.publishedParams, m.derivedTotalParams, "published_params_b"),
                                             (m.publishedActiveParams, m.derivedActiveParams, "published_active_params_b")] {
                if let stated, stated > 0, abs(derived - stated) > 0.02 * stated {
                    Warnings.emit("\(v.displayName):\(v.line ?? 0): model '\(m.id)' states \(what): \(Fmt.g(stated / 1e9, 4)) but its architecture gives \(Fmt.g(derived / 1e9, 4)) B parameters; check layers, hidden_size, intermediate_size and vocab_size")
                }
            }
        }
        m.origin = custom ? "\(v.displayName):\(v.line ?? 0)" : "catalog"
        if custom && m.source.isEmpty { m.source = "user-supplied in \(v.displayName)" }
        return m
    }
}

/// Checks names that may end up in file names or markup.
public enum SafeName {
    /// Accepts ids made of letters, digits, `.`, `_`, `-`, `+` (no slashes, no `..`, no control
    /// characters), at most 64 characters.
    static func check(_ s: String, at v: YAMLValue) throws -> String {
        if let problem = problem(s) { throw v.error(Messages.Catalogs.invalidID(String(s.prefix(40)), problem)) }
        return s
    }
    public static func problem(_ s: String, maxLength: Int = 64) -> String? {
        if s.isEmpty { return "it is empty" }
        if s.count > maxLength { return "it is longer than \(maxLength) characters" }
        if s == "." || s.contains("..") { return "it contains '..'" }
        let ok = s.unicodeScalars.allSatisfy { c in
            (c.value < 128 && (CharacterSet.alphanumerics.contains(c) || "._-+".unicodeScalars.contains(c)))
        }
        return ok ? nil : "it contains characters other than ASCII letters, digits, '.', '_', '-' and '+'"
    }
}
