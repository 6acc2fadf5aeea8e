import ArgumentParser
import Foundation
import RidgepointCore

/// Selectors shared by `eval` and `chart`: a spec file and command-line overrides.
struct MatrixOptions: ParsableArguments {
    @Argument(help: "A spec file (YAML). Without one, the embedded default spec is used.")
    var spec: String?

    @Option(name: .customLong("gpu"), help: "GPU ids, comma-separated (e.g. h100-sxm,h200).")
    var gpus: String?
    @Option(name: .customLong("model"), help: "Model ids, comma-separated (e.g. llama-3-70b).")
    var models: String?
    @Option(name: .customLong("batch"), help: "Batch sizes, comma-separated.")
    var batches: String?
    @Option(name: .customLong("context"), help: "Context lengths in tokens, comma-separated.")
    var contexts: String?
    @Option(help: "decode, prefill or both.")
    var phase: String?
    @Option(name: .customLong("gpus-per-replica"), help: "GPUs per replica (tensor parallel), comma-separated.")
    var gpusPerReplica: String?
    @Option(help: "Weight format: bf16, fp16, fp8, int8, int4.")
    var weights: String?
    @Option(help: "KV-cache format: bf16, fp16, fp8, int8.")
    var kv: String?
    @Option(help: "ideal (default) or calibrated.")
    var efficiency: String?
    @Option(help: "physical (default), seed-002 or seed-003.")
    var convention: String?

    /// The spec with every given flag applied.
    func resolve() throws -> Spec {
        let catalog = try Catalog.builtIn()
        var spec = try spec.map { try Spec.load(path: $0, catalog: catalog) } ?? Spec.defaultSpec(catalog: catalog)
        if let gpus { spec.gpus = try list(gpus, "--gpu").map { try spec.catalog.requireGPU($0, at: (nil, nil, nil, "--gpu")) } }
        if let models { spec.models = try list(models, "--model").map { try spec.catalog.requireModel($0, at: (nil, nil, nil, "--model")) } }
        if let batches { spec.batchSizes = try ints(batches, "--batch", min: 1, max: 1_000_000) }
        if let contexts { spec.contexts = try ints(contexts, "--context", min: 0, max: 100_000_000) }
        if let gpusPerReplica { spec.gpusPerReplica = try ints(gpusPerReplica, "--gpus-per-replica", min: 1, max: 4096) }
        if let phase {
            switch phase.lowercased() {
            case "decode": spec.phases = [.decode]
            case "prefill": spec.phases = [.prefill]
            case "both": spec.phases = [.decode, .prefill]
            default: throw RidgepointError(field: "--phase", message: "unknown phase '\(phase)'",
                                           help: Suggest.help(phase, in: ["decode", "prefill", "both"]) ?? "use decode, prefill or both")
            }
        }
        if let weights { spec.weights = try choice(weights, "--weights", WeightFormat.self) }
        if let kv { spec.kv = try choice(kv, "--kv", KVFormat.self) }
        if let efficiency {
            guard let e = Efficiency.named(efficiency) else {
                throw RidgepointError(field: "--efficiency", message: "unknown efficiency preset '\(efficiency)'",
                                      help: Suggest.help(efficiency, in: ["ideal", "calibrated"]) ?? "use ideal or calibrated")
            }
            spec.efficiency = e
        }
        if let convention {
            guard let c = Convention.named(convention) else {
                throw RidgepointError(field: "--convention", message: "unknown convention '\(convention)'",
                                      help: Suggest.help(convention, in: Convention.all.map(\.name)) ?? "use physical, seed-002 or seed-003")
            }
            spec.convention = c
        }
        try spec.validate()
        return spec
    }

    func list(_ s: String, _ flag: String) throws -> [String] {
        let items = s.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if items.isEmpty || items.contains(where: \.isEmpty) {
            throw RidgepointError(field: flag, message: "expected a comma-separated list without empty entries, got '\(s)'")
        }
        var seen = Set<String>()
        for i in items where !seen.insert(i.lowercased()).inserted {
            throw RidgepointError(field: flag, message: "'\(i)' is listed twice")
        }
        return items
    }

    func ints(_ s: String, _ flag: String, min: Int, max: Int) throws -> [Int] {
        try list(s, flag).map { item in
            guard let v = Int(item) else { throw RidgepointError(field: flag, message: "expected whole numbers, got '\(item)'") }
            guard v >= min else { throw RidgepointError(field: flag, message: "expected values ≥ \(min), got \(v)") }
            guard v <= max else { throw RidgepointError(field: flag, message: "\(v) is implausibly large (limit \(max))") }
            return v
        }
    }

    func choice<E: RawRepresentable & CaseIterable>(_ s: String, _ flag: String, _: E.Type) throws -> E where E.RawValue == String {
        if let e = E(rawValue: s.lowercased()) { return e }
        let names = E.allCases.map(\.rawValue)
        throw RidgepointError(field: flag, message: "unknown value '\(s)'", help: Suggest.help(s, in: names) ?? "choose from \(names.joined(separator: ", "))")
    }
}
