import ArgumentParser
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Selectors shared by `eval` and `chart`: a spec file and command-line overrides.
struct MatrixOptions: ParsableArguments {
    @Argument(help: "A spec file (YAML). Without one, the embedded default spec is used.", completion: Completions.specFile)
    var spec: String?

    @Option(name: .customLong("gpu"), help: "GPU ids, comma-separated (e.g. h100-sxm,h200).", completion: Completions.gpus)
    var gpus: String?
    @Option(name: .customLong("model"), help: "Model ids or config.json paths, comma-separated (e.g. llama-3-70b).", completion: Completions.models)
    var models: String?
    @Option(name: .customLong("batch"), help: "Batch sizes, comma-separated.")
    var batches: String?
    @Option(name: .customLong("context"), help: "Context lengths in tokens, comma-separated.")
    var contexts: String?
    @Option(help: "decode, prefill, request, both (decode and prefill) or all; or a comma-separated list.")
    var phase: String?
    @Option(name: .customLong("input-tokens"), help: "Prompt tokens per request (a workload for --phase request).")
    var inputTokens: Int?
    @Option(name: .customLong("output-tokens"), help: "Generated tokens per request (a workload for --phase request).")
    var outputTokens: Int?
    @Option(name: .customLong("gpus-per-replica"), help: "GPUs per replica (tensor parallel), comma-separated.")
    var gpusPerReplica: String?
    @Option(help: "Weight format: bf16, fp16, fp8, int8, int4, fp4.", completion: .list(WeightFormat.allCases.map(\.rawValue)))
    var weights: String?
    @Option(help: "KV-cache format: bf16, fp16, fp8, int8.", completion: .list(KVFormat.allCases.map(\.rawValue)))
    var kv: String?
    @OptionGroup var efficiencyOptions: EfficiencyOptions
    @OptionGroup var servingFlags: ServingFlags
    @Option(help: "physical (default), textbook, seed-002 or seed-003.", completion: Completions.conventions)
    var convention: String?

    /// The spec with every given flag applied.
    func resolve() throws -> Spec {
        let catalog = try Catalog.builtIn()
        var spec = try spec.map { try Spec.load(path: $0, catalog: catalog, validate: false) } ?? Spec.defaultSpec(catalog: catalog, validate: false)
        // Phase 2 of the spec: the flags replace what the file (or the default spec) says, and the
        // spec remembers which values came from which flag (`Spec.origins`), so that the checks
        // below (phase 3, `validate`) name the flag rather than the file.
        if let gpus { spec.set(\.gpus, try Self.gpus(gpus, in: spec.catalog), key: "gpus", from: "--gpu") }
        if let models { spec.set(\.models, try Self.models(models, in: spec.catalog), key: "models", from: "--model") }
        if let batches { spec.set(\.batchSizes, try ints(batches, "--batch", min: 1, max: 1_000_000), key: "batch_sizes", from: "--batch") }
        if let contexts { spec.set(\.contexts, try ints(contexts, "--context", min: 0, max: 100_000_000), key: "contexts", from: "--context") }
        if let gpusPerReplica {
            spec.set(\.gpusPerReplica, try ints(gpusPerReplica, "--gpus-per-replica", min: 1, max: 4096), key: "gpus_per_replica", from: "--gpus-per-replica")
        }
        if let phase {
            let names = ["decode", "prefill", "request", "both", "all"]
            var phases: [Phase] = []
            for item in try list(phase, "--phase") {
                switch item.lowercased() {
                case "both": phases += [.decode, .prefill]
                case "all": phases += Phase.allCases
                default:
                    guard let p = Phase(rawValue: item.lowercased()) else {
                        throw Messages.unknown("phase", item, field: "--phase", among: names)
                    }
                    phases.append(p)
                }
            }
            spec.set(\.phases, Phase.allCases.filter(phases.contains), key: "phases", from: "--phase")
        }
        if inputTokens != nil || outputTokens != nil {
            guard let i = inputTokens, let o = outputTokens else {
                throw Messages.needs("a request workload", "both --input-tokens and --output-tokens", field: inputTokens == nil ? "--input-tokens" : "--output-tokens")
            }
            guard (1...100_000_000).contains(i) else { throw Messages.expected("1 to 100,000,000 tokens", got: "\(i)", field: "--input-tokens") }
            guard (1...100_000_000).contains(o) else { throw Messages.expected("1 to 100,000,000 tokens", got: "\(o)", field: "--output-tokens") }
            spec.set(\.workloads, [Workload(name: "\(Fmt.grouped(i)) in / \(Fmt.grouped(o)) out", inputTokens: i, outputTokens: o, slo: spec.slo,
                                              origin: "--input-tokens/--output-tokens")], key: "workloads", from: "--input-tokens/--output-tokens")
            if phase == nil { spec.set(\.phases, [.request], key: "phases", from: "--input-tokens/--output-tokens") }
        }
        if let weights { spec.set(\.weights, try choice(weights, "--weights", WeightFormat.self), key: "weights", from: "--weights") }
        if let kv { spec.set(\.kv, try choice(kv, "--kv", KVFormat.self), key: "kv", from: "--kv") }
        try efficiencyOptions.apply(to: &spec)
        try servingFlags.apply(to: &spec)
        if let convention {
            guard let c = Convention.named(convention) else {
                throw Messages.unknown("convention", convention, field: "--convention", among: Convention.all.map(\.name))
            }
            spec.set(\.convention, c, key: "convention", from: "--convention")
        }
        try spec.validate()
        return spec
    }

    func list(_ s: String, _ flag: String) throws -> [String] { try Self.split(s, flag) }

    /// `--gpu a,b`: catalog GPUs, each once (aliases of one GPU count as the same).
    static func gpus(_ s: String, in catalog: Catalog) throws -> [GPU] {
        try unique(split(s, "--gpu").map { try catalog.requireGPU($0, at: (nil, nil, nil, "--gpu")) }, id: \.id, flag: "--gpu")
    }

    /// `--model a,b`: catalog models or config.json paths, each once.
    static func models(_ s: String, in catalog: Catalog) throws -> [Model] {
        try unique(split(s, "--model").map { try catalog.requireModel($0, at: (nil, nil, nil, "--model")) }, id: \.id, flag: "--model")
    }

    static func unique<T>(_ xs: [T], id: (T) -> String, flag: String) throws -> [T] {
        var seen = Set<String>()
        for x in xs where !seen.insert(id(x)).inserted { throw Messages.listedTwice(id(x), field: flag) }
        return xs
    }

    /// A comma-separated list without empty or repeated entries.
    static func split(_ s: String, _ flag: String) throws -> [String] {
        let items = s.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if items.isEmpty || items.contains(where: \.isEmpty) {
            throw Messages.expected("a comma-separated list without empty entries", got: "'\(s)'", field: flag)
        }
        var seen = Set<String>()
        for i in items where !seen.insert(i.lowercased()).inserted {
            throw Messages.listedTwice(i, field: flag)
        }
        return items
    }

    func ints(_ s: String, _ flag: String, min: Int, max: Int) throws -> [Int] {
        try list(s, flag).map { item in
            guard let v = Int(item) else { throw Messages.expected("whole numbers", got: "'\(item)'", field: flag) }
            guard v >= min else { throw Messages.expected("values ≥ \(min)", got: "\(v)", field: flag) }
            guard v <= max else { throw Messages.implausiblyLarge(v, limit: max, field: flag) }
            return v
        }
    }

    func choice<E: RawRepresentable & CaseIterable>(_ s: String, _ flag: String, _: E.Type) throws -> E where E.RawValue == String {
        if let e = E(rawValue: s.lowercased()) { return e }
        let names = E.allCases.map(\.rawValue)
        throw Messages.unknown("value", s, field: flag, among: names)
    }
}

/// `--efficiency` and the measurements it may be fitted to, shared by `eval`, `chart` and `render`.
struct EfficiencyOptions: ParsableArguments {
    @Option(help: "ideal, calibrated (per-GPU published factors and a per-step overhead) or fitted (fitted to --measurements).")
    var efficiency: String?
    @Option(help: "Measurement files (CSV, or vLLM result JSON with --measurement-gpu), comma-separated; with --efficiency fitted.")
    var measurements: String?
    @Option(name: .customLong("measurement-gpu"), help: "The GPU that ran the vLLM result files given with --measurements.")
    var measurementGPU: String?
    @Option(name: .customLong("measurement-gpus"), help: "GPUs per replica in those vLLM runs (default 1).")
    var measurementGPUs: Int?

    /// Applies the flags to `spec`: reads the measurements, then sets the efficiency (fitting it
    /// to every measurement the spec and the flags provide for `fitted`).
    func apply(to spec: inout Spec) throws {
        if let measurements {
            spec.measurements = try MatrixOptions.split(measurements, "--measurements").flatMap {
                try MeasurementReader.load($0, catalog: spec.catalog, gpu: measurementGPU, gpus: measurementGPUs)
            }
        }
        if measurements != nil, efficiency == nil, case .fitted = spec.efficiency { try spec.useFittedEfficiency() }
        if let efficiency {
            if efficiency.lowercased() == "fitted" {
                guard !spec.measurements.isEmpty else {
                    throw Messages.needs("fitted efficiency", "measurements", field: "--efficiency", help: "add --measurements FILE.csv (or `measurements:` in the spec)")
                }
                try spec.useFittedEfficiency()
            } else {
                guard let e = EfficiencyPolicy.named(efficiency) else {
                    throw Messages.unknown("efficiency preset", efficiency, field: "--efficiency", among: ["ideal", "calibrated", "fitted"])
                }
                spec.efficiency = e
            }
        }
    }
}

/// `--pp`, `--ep`, `--dp-attention`, `--speculative`, `--disaggregated`, shared by `eval`,
/// `chart` and `render`: one serving mode that replaces the spec's (`serving:`).
struct ServingFlags: ParsableArguments {
    @Option(help: "Pipeline stages per replica (a replica has gpus-per-replica × pp GPUs).")
    var pp: Int?
    @Option(help: "Spread an MoE model's experts over N GPUs (N = --gpus-per-replica).")
    var ep: Int?
    @Flag(name: .customLong("dp-attention"), help: "Data-parallel attention: each GPU keeps its own sequences' KV (MLA latent not copied).")
    var dpAttention = false
    @Option(help: "Speculative decoding K:ALPHA[:DRAFT]: K drafted tokens, acceptance ALPHA; DRAFT a model id or mtp[=LAYERS] (default mtp, one layer per drafted token).")
    var speculative: String?
    @Option(help: "Disaggregated prefill/decode P:D[:GBPS]: P prefill GPUs, D decode GPUs, KV link in GB/s (default: the GPUs' scale-out network).")
    var disaggregated: String?

    var isEmpty: Bool { pp == nil && ep == nil && !dpAttention && speculative == nil && disaggregated == nil }

    /// Replaces the spec's serving modes with the one the flags describe.
    func apply(to spec: inout Spec) throws {
        guard !isEmpty else { return }
        var mode = ServingMode.plain
        if let pp {
            guard (1...1024).contains(pp) else { throw Messages.expected("1…1024 pipeline stages", got: "\(pp)", field: "--pp") }
            mode.pp = pp
        }
        if let ep {
            guard (1...4096).contains(ep) else { throw Messages.expected("1…4096 GPUs", got: "\(ep)", field: "--ep") }
            mode.ep = ep
        }
        mode.dpAttention = dpAttention
        if let speculative { mode.speculative = try Self.parseSpeculative(speculative, catalog: spec.catalog) }
        if let disaggregated { mode.disaggregated = try Self.parseDisaggregated(disaggregated) }
        spec.set(\.modes, [mode], key: "serving", from: "--pp/--ep/--dp-attention/--speculative/--disaggregated")
    }

    static func parseSpeculative(_ s: String, catalog: Catalog) throws -> Speculative {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let help = "e.g. --speculative 3:0.7 (MTP) or --speculative 4:0.6:llama-3.1-8b"
        guard (2...3).contains(parts.count), let k = Int(parts[0]), let a = Double(parts[1]) else {
            throw Messages.expected("K:ALPHA[:DRAFT]", got: "'\(s)'", field: "--speculative", help: help)
        }
        guard (1...32).contains(k) else { throw Messages.expected("1…32 drafted tokens", got: "\(k)", field: "--speculative", help: help) }
        guard a.isFinite, a > 0, a <= 1 else {
            throw Messages.expected("an acceptance rate in (0, 1]", got: parts[1], field: "--speculative", help: help)
        }
        var draft = Speculative.Draft.mtp(layers: 1)
        if parts.count == 3 {
            let d = parts[2]
            if d.lowercased() == "mtp" {
                draft = .mtp(layers: 1)
            } else if d.lowercased().hasPrefix("mtp=") {
                guard let f = Double(d.dropFirst(4)), f.isFinite, f > 0, f <= 64 else {
                    throw Messages.expected("mtp=LAYERS with 0 < LAYERS ≤ 64", got: "'\(d)'", field: "--speculative", help: help)
                }
                draft = .mtp(layers: f)
            } else {
                draft = .model(try catalog.requireModel(d, at: (nil, nil, nil, "--speculative")))
            }
        }
        return Speculative(draftTokens: k, acceptance: a, draft: draft)
    }

    static func parseDisaggregated(_ s: String) throws -> Disaggregation {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let help = "e.g. --disaggregated 1:3 (1 prefill GPU, 3 decode GPUs) or 2:6:50 (KV over 50 GB/s)"
        guard (2...3).contains(parts.count), let p = Int(parts[0]), let d = Int(parts[1]), (1...4096).contains(p), (1...4096).contains(d) else {
            throw Messages.expected("P:D[:GBPS] with 1…4096 GPUs in each pool", got: "'\(s)'", field: "--disaggregated", help: help)
        }
        var link: Double? = nil
        if parts.count == 3 {
            guard let g = Double(parts[2]), g.isFinite, g > 0, g <= 1e6 else {
                throw Messages.expected("a link bandwidth in GB/s", got: "'\(parts[2])'", field: "--disaggregated", help: help)
            }
            link = g * 1e9
        }
        return Disaggregation(prefillGPUs: p, decodeGPUs: d, linkBandwidth: link)
    }
}
