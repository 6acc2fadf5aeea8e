import Foundation
import RidgepointFormatting
import RidgepointResources

/// A run description: the matrix to evaluate and how to report it (the YAML spec file).
public struct Spec: Sendable {
    public var title: String = "Ridgepoint report"
    public var template: String = "procurement"
    public var formats: [String] = ["pdf", "svg", "png", "csv", "json", "md"]
    public var gpus: [GPU] = []
    public var models: [Model] = []
    public var batchSizes: [Int] = [1, 8, 32, 128, 512]
    public var contexts: [Int] = [512, 4096, 32768]
    public var phases: [Phase] = [.decode, .prefill]
    /// Weight format of the transformer body.
    public var weights: WeightFormat = .bf16
    /// Values per quantisation scale (nil: the format's default).
    public var groupSize: Int?
    /// Format of the embeddings and LM head (nil: 16-bit).
    public var embeddings: WeightFormat?
    public var kv: KVFormat = .bf16
    public var gpusPerReplica: [Int] = [1]
    /// Latency targets of workloads that state none (and of the workloads derived from contexts).
    public var slo: SLO = SLO()
    /// Measured operating points (`measurements:`), for `efficiency: fitted` and the overlays.
    public var measurements: [MeasuredPoint] = []
    /// Request-level workloads; when empty, one per context is derived (`effectiveWorkloads`).
    public var workloads: [Workload] = []
    /// Output tokens of the workloads derived from contexts.
    public static let derivedOutputTokens = 256
    public var serving: ServingOptions = .default
    /// Serving modes swept beside the tensor-parallel degrees (`serving:`); plain TP by default.
    public var modes: [ServingMode] = [.plain]
    /// Where each top-level value came from, by spec key (`batch_sizes`, `serving`, …): a line of
    /// the spec file, or the command-line flag that replaced it. A key absent here has its
    /// built-in default. Errors found after parsing point at this origin (`location(of:)`).
    public var origins: [String: ValueOrigin] = [:]
    public var efficiency: EfficiencyPolicy = .ideal
    public var convention: Convention = .physical
    /// Fraction of GPU memory reserved for activations and workspace.
    public var memoryReserve: Double = 0.10
    /// Mean tokens a sequence holds, for paged-concurrency figures.
    public var meanSequenceTokens: Int = 300
    public var pageSize: String = "a4"
    /// Edition of the teaching material (`edition:`, `render --edition`): `student` (no
    /// solutions, the default) or `instructor`.
    public var edition: String = "student"
    public static let editions = ["student", "instructor"]
    /// Energy price, PUE and ownership terms (`power:`, `ownership:`).
    public var economics: Economics = .default
    /// Spare capacity a fleet keeps above a workload's stated request rate (`headroom:`, 0.2 = 20 %).
    public var headroom: Double = 0.2
    /// How far each uncertain input is varied in the sensitivity analysis (`sensitivity: {range: 0.2}`).
    public var sensitivityRange: Double = 0.2
    /// Catalog after the spec's custom entries and price overrides.
    public var catalog: Catalog
    /// The file the spec came from (or `<default>`).
    public var file: String = "<default>"

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Sets `keyPath` to `value` from the command-line flag `flag`: the resolved spec remembers
    /// that `key` now comes from the flag, so an error about it names the flag, not the spec file.
    public mutating func set<T>(_ keyPath: WritableKeyPath<Spec, T>, _ value: T, key: String, from flag: String) {
        self[keyPath: keyPath] = value
        origins[key] = .flag(flag)
    }

    /// Where an error about `key` should point: the flag that set it, else the spec file and the
    /// line of the key (the file alone for a default), with the key as the field.
    public func location(of key: String) -> (file: String?, line: Int?, field: String) {
        switch origins[key] {
        case .flag(let f)?: return (nil, nil, f)
        case .file(let f, let line)?: return (f, line, key)
        case nil: return (file, nil, key)
        }
    }

    /// Whether `key`'s value came from a command-line flag.
    public func fromFlag(_ key: String) -> Bool {
        if case .flag? = origins[key] { return true } else { return false }
    }

    /// How the weights are stored (format, group scales, embeddings).
    public var storage: WeightStorage { WeightStorage(weights, groupSize: groupSize, embeddings: embeddings) }

    /// The workloads request rows and recommendations use: the spec's, or one per context
    /// (input = the context, output = `derivedOutputTokens`, the spec's SLO).
    public var effectiveWorkloads: [Workload] {
        if !workloads.isEmpty { return workloads }
        return contexts.map { c in
            Workload(name: "\(Fmt.grouped(max(1, c))) in / \(Spec.derivedOutputTokens) out", inputTokens: max(1, c),
                     outputTokens: Spec.derivedOutputTokens, slo: slo, requestsPerSecond: nil,
                     origin: "derived from context \(Fmt.grouped(c))")
        }
    }

    /// The deployment of `gpu` × `model` on `n` GPUs under this spec's precisions, efficiency,
    /// convention, reserve and prices.
    public func deployment(_ gpu: GPU, _ model: Model, gpus n: Int, mode: ServingMode = .plain) -> Deployment {
        Deployment(gpu: gpu, model: model, gpus: n, kv: kv, efficiency: efficiency.resolve(for: gpu), convention: convention,
                   reserveFraction: memoryReserve, storage: storage, economics: economics, mode: mode)
    }

    /// Cells the matrix evaluates.
    /// Exactly the rows `Sweep` produces: a serving mode counts only for the models, replica
    /// sizes and phases it applies to (`applies`, `Sweep.shown`).
    public var cellCount: Int {
        func mul(_ xs: [Int]) -> Int { xs.reduce(1) { a, b in a.multipliedReportingOverflow(by: b).overflow ? Int.max : a * b } }
        func add(_ a: Int, _ b: Int) -> Int { a.addingReportingOverflow(b).overflow ? Int.max : a + b }
        let perPhase = phases.map { $0 == .request ? effectiveWorkloads.count : contexts.count }
        var perGPU = 0
        for m in models {
            for n in gpusPerReplica {
                var seen: Set<Sweep.PhaseMode> = []
                for mode in modes where applies(mode, model: m, tp: n) {
                    for (i, phase) in phases.enumerated() where seen.insert(Sweep.PhaseMode(phase: i, mode: Sweep.shown(mode, in: phase))).inserted {
                        perGPU = add(perGPU, perPhase[i])
                    }
                }
            }
        }
        return mul([gpus.count, batchSizes.count, perGPU])
    }

    /// The most cells a run accepts; larger matrices are refused before any work.
    public static let maxCells = 20_000_000

    public static var allowedKeys: [String] { SpecSchema.root.keys }
    /// `pages` writes the report as one SVG per page (pages/report-NNN.svg); `svg`/`png` are the charts.
    public static let allowedFormats = ["pdf", "svg", "png", "csv", "json", "md", "pages"]

    /// Parses spec YAML `text` from `file` against the built-in `catalog` (phase 1: values with
    /// their origins). With `validate` (the default) the checks of the whole spec run too; the
    /// command line passes false, applies its flags, then calls `validate()` itself, so a flag can
    /// fix what the file alone would fail and an error names whichever set the value.
    public static func parse(_ text: String, file: String, catalog: Catalog, validate: Bool = true) throws -> Spec {
        let root = try YAMLValue.parse(text, file: file)
        let f = try root.fields(allowed: allowedKeys)
        var spec = Spec(catalog: catalog)
        spec.file = file
        for (key, value) in f { spec.origins[key] = .file(file, line: value.line) }
        if let v = f["title"] { spec.title = try v.nonEmptyString(maxLength: 200) }
        if let v = f["template"] { spec.template = try v.nonEmptyString(maxLength: 4096) }
        if let v = f["formats"] {
            let items = try v.sequenceOrScalar()
            if items.isEmpty { throw v.error(Messages.Text.atLeastOne("output format", help: "use " + Messages.list(allowedFormats, conjunction: "and/or"))) }
            spec.formats = try items.map { item in
                let s = try item.string().lowercased()
                guard allowedFormats.contains(s) else {
                    throw item.error(Messages.Text.unknown("format", s, among: allowedFormats))
                }
                return s
            }
            try noDuplicates(spec.formats, items, what: "format")
        }
        if let v = f["convention"] {
            let s = try v.string()
            guard let c = Convention.named(s) else {
                throw v.error(Messages.Text.unknown("convention", s, among: Convention.all.map(\.name)))
            }
            spec.convention = c
        }
        var wantsFitted: YAMLValue? = nil
        if let v = f["efficiency"] {
            if case .scalar = v.node, (try v.string()).lowercased() == "fitted" { wantsFitted = v } else { spec.efficiency = try parseEfficiency(v) }
        }
        if let v = f["precision"] {
            let p = try v.fields(allowed: SpecSchema.precision.keys)
            if let w = p["weights"] { spec.weights = try parseEnum(w, WeightFormat.self, what: "weight format") }
            if let k = p["kv"] { spec.kv = try parseEnum(k, KVFormat.self, what: "KV format") }
            if let g = p["group_size"] { spec.groupSize = try g.integer(min: 1, max: 1_000_000) }
            if let e = p["embeddings"] { spec.embeddings = try parseEnum(e, WeightFormat.self, what: "embedding format") }
        }
        if let v = f["memory_reserve"] {
            let r = try v.number(allowZero: true, max: 0.9)
            spec.memoryReserve = r
        }
        if let v = f["power"] {
            let p = try v.fields(allowed: SpecSchema.power.keys)
            if let x = p["usd_per_kwh"] { spec.economics.power.usdPerKwh = try x.number(allowZero: true, max: 100, unit: "$/kWh") }
            if let x = p["pue"] { spec.economics.power.pue = try x.number(min: 1, max: 5, unit: "") }
        }
        if let v = f["ownership"] {
            let o = try v.fields(allowed: SpecSchema.ownership.keys)
            if let x = o["years"] { spec.economics.ownership.years = try x.number(min: 0.25, max: 30, unit: "years") }
            if let x = o["utilisation"] ?? o["utilization"] {
                spec.economics.ownership.utilisation = try x.number(min: 0.01, max: 1, unit: "(fraction of hours busy, e.g. 0.7)")
            }
            if let x = o["hosting_usd_per_gpu_month"] {
                spec.economics.ownership.hostingUsdPerGpuMonth = try x.number(allowZero: true, max: 1e6, unit: "$/GPU-month")
            }
        }
        if let v = f["headroom"] { spec.headroom = try v.number(allowZero: true, max: 10, unit: "(fraction, e.g. 0.2 for 20 %)") }
        if let v = f["sensitivity"] {
            let sf = try v.fields(allowed: SpecSchema.sensitivity.keys)
            if let x = sf["range"] { spec.sensitivityRange = try x.number(min: 0.01, max: 0.9, unit: "(fraction, e.g. 0.2 for ±20 %)") }
        }
        if let v = f["mean_sequence_tokens"] { spec.meanSequenceTokens = try v.integer(max: 100_000_000) }
        if let v = f["page_size"] {
            let s = try v.string().lowercased()
            guard ["a4", "letter"].contains(s) else { throw v.error(Messages.Text.unknown("page size", s, among: ["a4", "letter"])) }
            spec.pageSize = s
        }
        if let v = f["edition"] {
            let s = try v.string().lowercased()
            guard editions.contains(s) else { throw v.error(Messages.Text.unknown("edition", s, among: editions)) }
            spec.edition = s
        }
        if let v = f["phases"] {
            let items = try v.sequenceOrScalar()
            if items.isEmpty { throw v.error(Messages.Text.atLeastOne("phase (decode, prefill)")) }
            spec.phases = try items.map { try parseEnum($0, Phase.self, what: "phase") }
            try noDuplicates(spec.phases.map(\.rawValue), items, what: "phase")
        }
        if let v = f["batch_sizes"] { spec.batchSizes = try intList(v, max: 1_000_000, what: "batch size") }
        if let v = f["contexts"] { spec.contexts = try intList(v, max: 100_000_000, what: "context length", min: 0) }
        if let v = f["gpus_per_replica"] { spec.gpusPerReplica = try intList(v, max: 4096, what: "GPU count") }
        if let v = f["slo"] { spec.slo = try parseSLO(v) }
        if let v = f["workloads"] {
            let items = try v.sequence(maxCount: InputLimits.entities)
            if items.isEmpty { throw v.error(Messages.Text.atLeastOne("workload", help: "e.g. `workloads: [{name: chat, input_tokens: 1000, output_tokens: 250}]`")) }
            spec.workloads = try items.map { try parseWorkload($0, defaultSLO: spec.slo) }
            try noDuplicates(spec.workloads.map(\.name), items, what: "workload")
        }
        // Models before GPUs is irrelevant; custom entries update the catalog as they are read.
        if let v = f["models"] {
            spec.models = try entities(v, kind: "model", id: \.id) { item in
                let f = try item.fields(allowed: SpecSchema.customModel.keys)
                if f["base"] != nil && f["config"] != nil { throw item.error(Messages.Text.eitherNotBoth("'base'", "'config'")) }
                // `config: PATH` (a config.json or a snapshot folder, relative to this spec) is the base.
                let base = try f["base"].map { b in try spec.catalog.requireModel(try b.string(), at: (b.file, b.line, b.column, b.path)) }
                    ?? f["config"].map { c in
                        let path = try c.nonEmptyString(maxLength: 4096)
                        do {
                            return try HFConfig.load(path, relativeTo: (file as NSString).deletingLastPathComponent)
                        } catch var e as RidgepointError {
                            e.message = "config \(path): " + e.message
                            if e.file == path { e.file = c.file; e.line = c.line; e.column = c.column; e.field = c.path }
                            throw e
                        }
                    }
                let m = try Catalog.parseModel(item, base: base, custom: true)
                spec.catalog.upsert(m)
                return m
            } named: { item in try spec.catalog.requireModel(try item.nonEmptyString(), at: (item.file, item.line, item.column, item.path)) }
        }
        if let v = f["gpus"] {
            spec.gpus = try entities(v, kind: "GPU", id: \.id) { item in
                let f = try item.fields(allowed: SpecSchema.customGPU.keys)
                var base = try f["base"].map { b in try spec.catalog.requireGPU(try b.string(), at: (b.file, b.line, b.column, b.path)) }
                // `{id: h100, efficiency: …}` without `base`: the catalog entry, with the keys given overriding it.
                if base == nil, let idNode = f["id"], let known = spec.catalog.gpu(try idNode.string()) { base = known }
                var g = try Catalog.parseGPU(item, base: base, custom: true)
                if let b = base, f["base"] == nil {
                    g.id = b.id; g.aliases = b.aliases
                    if f["name"] == nil { g.name = b.name; if f["short_name"] == nil { g.shortNameOverride = b.shortNameOverride } }
                }
                spec.catalog.upsert(g)
                return g
            } named: { item in try spec.catalog.requireGPU(try item.nonEmptyString(), at: (item.file, item.line, item.column, item.path)) }
        }
        if let v = f["prices"] {
            for (k, pv) in try v.mapping(allowed: spec.catalog.gpuNames + spec.catalog.gpus.map(\.id)) {
                let g = try spec.catalog.requireGPU(k, at: (pv.file, pv.line, pv.column, pv.path))
                var updated = g
                if case .mapping = pv.node {
                    let pf = try pv.fields(allowed: SpecSchema.priceOverride.keys)
                    if pf.isEmpty { throw pv.error(Messages.Specs.priceWithoutValues) }
                    if let x = pf["usd_per_hour"] {
                        updated.price = Price(usdPerHour: try x.number(min: 0.0001, max: 10_000, unit: "$/GPU-hour"), asOf: "",
                                              source: "price override in \(pv.displayName)")
                    }
                    if let x = pf["capex_usd"] {
                        updated.capex = Capex(usd: try x.number(min: 1, max: 1e8, unit: "$"), source: "purchase price override in \(pv.displayName)")
                    }
                } else {
                    updated.price = Price(usdPerHour: try pv.number(min: 0.0001, max: 10_000, unit: "$/GPU-hour"), asOf: "",
                                          source: "price override in \(pv.displayName)")
                }
                spec.catalog.upsert(updated)
                spec.gpus = spec.gpus.map { $0.id == g.id ? updated : $0 }
            }
        }
        if let v = f["serving"] {
            if f["gpus_per_replica"] != nil, (try v.fields(allowed: Spec.servingKeys))["tp"] != nil {
                throw v.error(Messages.Specs.tpGivenTwice)
            }
            try spec.parseServing(v)
        }
        if spec.gpus.isEmpty { throw root.error(Messages.Specs.noGPUs) }
        if spec.models.isEmpty { throw root.error(Messages.Specs.noModels) }
        // Measurements resolve through the catalog with the spec's custom entries.
        if let v = f["measurements"] { spec.measurements = try parseMeasurements(v, catalog: spec.catalog) }
        if let v = wantsFitted {
            guard !spec.measurements.isEmpty else {
                throw v.error(Messages.Specs.fittedNeedsMeasurements)
            }
            try spec.useFittedEfficiency()
        }
        if validate { try spec.validate() }
        return spec
    }

    /// Switches to factors fitted to `measurements` (per GPU; the others stay calibrated).
    public mutating func useFittedEfficiency() throws {
        var base = self
        base.efficiency = .calibrated
        var byGPU: [String: Efficiency] = [:]
        for fit in Calibration.fitAll(measurements, spec: base, leaveOneOut: false) { byGPU[fit.gpu.id] = fit.efficiency }
        efficiency = .fitted(byGPU)
    }

    /// `measurements: [runs.csv, {file: run.json, gpu: h100-sxm, gpus: 1}]`, paths relative to the spec.
    static func parseMeasurements(_ v: YAMLValue, catalog: Catalog) throws -> [MeasuredPoint] {
        let base = (v.file as NSString).deletingLastPathComponent
        var out: [MeasuredPoint] = []
        for item in try v.sequenceOrScalar(maxCount: InputLimits.entities) {
            var path: String, gpu: String? = nil, gpus: Int? = nil
            if case .mapping = item.node {
                let f = try item.fields(allowed: SpecSchema.measurement.keys)
                guard let p = f["file"] else { throw item.error(Messages.Text.missingField("file")) }
                path = try p.nonEmptyString(maxLength: 4096)
                gpu = try f["gpu"]?.nonEmptyString(maxLength: 64)
                gpus = try f["gpus"]?.integer(min: 1, max: 4096)
            } else {
                path = try item.nonEmptyString(maxLength: 4096)
            }
            if !path.hasPrefix("/") && !path.lowercased().hasPrefix("builtin:") && !base.isEmpty && !base.hasPrefix("<") { path = base + "/" + path }
            do {
                out += try MeasurementReader.load(path, catalog: catalog, gpu: gpu, gpus: gpus)
            } catch let e as RidgepointError where e.file == nil {
                throw item.error(e.message, help: e.help)
            }
        }
        return out
    }

    /// Combinations the physics cannot evaluate: multi-GPU replicas of a GPU without an
    /// interconnect, and prefill of a zero-token prompt.
    func checkConsistency() throws {
        let replicas = location(of: "gpus_per_replica")
        if let n = gpusPerReplica.filter({ $0 > 1 }).min(),
           let g = gpus.first(where: { $0.interconnectBandwidth > 0 && n > $0.links.domain && $0.links.scaleOutBandwidth <= 0 }) {
            throw Messages.Specs.noScaleOut(gpu: g.id, domain: g.links.domain, replica: n).at(file: replicas.file, line: replicas.line, field: replicas.field)
        }
        if let n = gpusPerReplica.filter({ $0 > 1 }).min(), let g = gpus.first(where: { $0.interconnectBandwidth <= 0 }) {
            throw Messages.Specs.noInterconnect(gpu: g.id, replica: n).at(file: replicas.file, line: replicas.line, field: replicas.field)
        }
        if phases.contains(.prefill), contexts.contains(0) {
            let c = location(of: "contexts")
            throw Messages.Specs.zeroContextPrefill(flags: fromFlag("contexts") || fromFlag("phases")).at(file: c.file, line: c.line, field: c.field)
        }
    }

    /// Refuses matrices larger than `maxCells`, before any work.
    func checkSize() throws {
        let n = cellCount
        if n > Spec.maxCells {
            // The size comes from several lists: name the flags that set any of them, else the file.
            let flags = ["gpus", "models", "batch_sizes", "contexts", "gpus_per_replica", "serving", "phases"].compactMap { key -> String? in
                if case .flag(let f)? = origins[key] { return f } else { return nil }
            }
            throw Messages.Specs.matrixTooLarge(cells: n == Int.max ? nil : n, gpus: gpus.count, models: models.count, batches: batchSizes.count,
                                                contexts: contexts.count, replicaSizes: gpusPerReplica.count, modes: modes.count,
                                                phases: phases.count, limit: Spec.maxCells).at(file: flags.isEmpty ? file : nil, line: flags.isEmpty ? 1 : nil,
                                                        field: flags.isEmpty ? nil : flags.joined(separator: ", "))
        }
    }

    public func validate() throws { try checkSize(); try checkConsistency(); try checkServing() }

    static func parseEfficiency(_ v: YAMLValue) throws -> EfficiencyPolicy {
        if case .scalar = v.node {
            let s = try v.string()
            guard let e = EfficiencyPolicy.named(s) else {
                throw v.error(Messages.Specs.unknownEfficiency(s))
            }
            return e
        }
        return .custom(try Catalog.parseEfficiency(v, name: "custom", defaultSource: "set in \(v.displayName)", allowSource: false))
    }

    static func parseSLO(_ v: YAMLValue) throws -> SLO {
        let s = try v.fields(allowed: SpecSchema.slo.keys)
        return SLO(tpotMs: try s["tpot_ms"]?.number(min: 0.001, max: 1e7, unit: "ms"),
                   ttftMs: try s["ttft_ms"]?.number(min: 0.001, max: 1e8, unit: "ms"))
    }

    static func parseWorkload(_ v: YAMLValue, defaultSLO: SLO) throws -> Workload {
        let f = try v.fields(allowed: SpecSchema.workload.keys)
        guard let n = f["name"] else { throw v.error(Messages.Text.missingField("name", help: "e.g. `{name: chat, input_tokens: 1000, output_tokens: 250}`")) }
        guard let i = f["input_tokens"] else { throw v.error(Messages.Text.missingField("input_tokens")) }
        guard let o = f["output_tokens"] else { throw v.error(Messages.Text.missingField("output_tokens")) }
        let name = try n.nonEmptyString(maxLength: 80)
        return Workload(name: name, inputTokens: try i.integer(min: 1, max: 100_000_000), outputTokens: try o.integer(min: 1, max: 100_000_000),
                        slo: try f["slo"].map(parseSLO) ?? defaultSLO,
                        requestsPerSecond: try f["requests_per_s"]?.number(min: 1e-9, max: 1e9, unit: "requests/s"),
                        origin: "\(v.displayName):\(v.line ?? 0)")
    }

    static func parseEnum<E: RawRepresentable & CaseIterable>(_ v: YAMLValue, _: E.Type, what: String) throws -> E where E.RawValue == String {
        let s = try v.string().lowercased()
        if let e = E(rawValue: s) { return e }
        let names = E.allCases.map(\.rawValue)
        throw v.error(Messages.Text.unknown(what, s, among: names))
    }

    static func intList(_ v: YAMLValue, max: Int, what: String, min: Int = 1) throws -> [Int] {
        let items = try v.sequenceOrScalar()
        if items.isEmpty { throw v.error(Messages.Text.atLeastOne(what)) }
        let values = try items.map { try $0.integer(min: min, max: max) }
        try noDuplicates(values.map(String.init), items, what: what)
        return values
    }

    /// A spec's `models:` or `gpus:`: a name or a list, each entry a catalog name (`named`) or a
    /// mapping describing a custom entry (`custom`); at least one, at most `InputLimits.entities`,
    /// no id twice.
    static func entities<T>(_ v: YAMLValue, kind: String, id: (T) -> String,
                            custom: (YAMLValue) throws -> T, named: (YAMLValue) throws -> T) throws -> [T] {
        let items = try v.sequenceOrScalar(maxCount: InputLimits.entities)
        if items.isEmpty { throw v.error(Messages.Text.atLeastOne(kind)) }
        let out = try items.map { item in
            if case .mapping = item.node { return try custom(item) }
            return try named(item)
        }
        try noDuplicates(out.map(id), items, what: kind)
        return out
    }

    static func noDuplicates(_ names: [String], _ items: [YAMLValue], what: String) throws {
        var seen = Set<String>()
        for (n, item) in zip(names, items) where !seen.insert(n.lowercased()).inserted {
            throw item.error(Messages.Text.listedTwice("\(what) '\(n)'", help: "remove the repeated entry"))
        }
    }

    /// The spec compiled into Ridgepoint (`ridgepoint` with no arguments renders it).
    public static func defaultSpec(catalog: Catalog, validate: Bool = true) throws -> Spec {
        guard let text = EmbeddedResources.text("specs/default.yaml") else {
            throw Messages.missingResource("the default spec", file: "specs/default.yaml")
        }
        return try parse(text, file: "<default spec>", catalog: catalog, validate: validate)
    }

    /// The largest spec file Ridgepoint reads.
    public static let maxFileBytes = 4_000_000

    /// Reads and parses the spec at `path`: a regular file (or a link to one) of at most
    /// `maxFileBytes`, checked before anything is read.
    public static func load(path: String, catalog: Catalog, validate: Bool = true) throws -> Spec {
        let text = try readTextFile(path, what: "spec file", limit: maxFileBytes)
        return try parse(text, file: path, catalog: catalog, validate: validate)
    }

    /// The UTF-8 text of a regular file, its type and size checked before it is read.
    public static func readTextFile(_ path: String, what: String, limit: Int) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { throw Messages.Reading.noSuchFile(what).at(file: path) }
            throw Messages.Reading.cannotRead(what, Messages.osError).at(file: path)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw Messages.Reading.notRegular(what).at(file: path)
        }
        guard st.st_size <= limit else {
            throw Messages.Reading.tooLarge(what, bytes: "\(st.st_size)", limit: limit).at(file: path)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Messages.Reading.cannotRead(what, Messages.osError).at(file: path) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count <= limit {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, limit + 1 - count) }
            if n < 0 { if errno == EINTR { continue }; throw Messages.Reading.cannotRead(what, Messages.osError).at(file: path) }
            if n == 0 { break }
            count += n
        }
        guard count <= limit else {
            throw Messages.Reading.tooLarge(what, bytes: "more than \(limit)", limit: limit).at(file: path)
        }
        guard let text = String(validating: bytes[0..<count], as: UTF8.self) else {
            throw Messages.Reading.notUTF8(what).at(file: path)
        }
        return text
    }
}

/// Where a spec value came from.
public enum ValueOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A spec file and the line of its key.
    case file(String, line: Int?)
    /// A command-line flag, e.g. `--batch`.
    case flag(String)

    /// `spec.yaml:4` or `--batch`.
    public var description: String {
        switch self {
        case .file(let f, let line): return line.map { "\(f):\($0)" } ?? f
        case .flag(let f): return f
        }
    }
}
