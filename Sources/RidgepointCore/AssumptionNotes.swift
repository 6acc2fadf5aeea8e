import Foundation

/// One named assumption the numbers depend on, printed with every output.
public struct AssumptionNote: Sendable, Hashable {
    /// Stable id, e.g. `physics.decode`.
    public var id: String
    public var title: String
    public var text: String
}

/// The assumptions behind an evaluated spec, centralised so every output states the same.
public enum Assumptions {
    public enum Style { case plain, markdown }

    public static func notes(for spec: Spec) -> [AssumptionNote] {
        var n: [AssumptionNote] = []
        n.append(.init(id: "physics.decode", title: "Decode step",
            text: "FLOPs = 2·A·B + 4·L·h_q·d_h·S·B (weights, then QKᵀ and AV over the S cached tokens; MLA in absorbed form); bytes = weights read + B·S·(KV bytes per token); step time = max(FLOPs/Π, bytes/β) + all-reduce time; tokens/s = B/step; TPOT = step time."))
        n.append(.init(id: "physics.prefill", title: "Prefill (TTFT)",
            text: "FLOPs = 2·A·B·S + 2·L·h_q·d_h·S²·B (causal attention); bytes = weights read + KV written; TTFT = prefill step time for B prompts of S tokens; tokens/s counts prompt tokens."))
        n.append(.init(id: "physics.moe", title: "Mixture of experts",
            text: "A step over T tokens reads the non-expert weights plus the routed experts it touches, E·(1 − (1 − k/E)^T) per MoE layer, assuming uniform independent top-k routing; at large T every expert is read. FLOPs use the active parameters A."))
        n.append(.init(id: "physics.ignored", title: "Not modelled",
            text: "Activation traffic, the KV write of the new decode token, kernel-launch and scheduling overheads, and overlap of communication with compute (all-reduces are added to the step time)."))
        let e = spec.efficiency
        n.append(.init(id: "efficiency", title: "Efficiency (\(e.name))",
            text: "Achieved fraction of peak: compute e_c = \(Fmt.g(e.compute, 3)), memory e_m = \(Fmt.g(e.memory, 3)), interconnect e_net = \(Fmt.g(e.interconnect, 3)). Source: \(e.source)."))
        n.append(.init(id: "convention", title: "Convention (\(spec.convention.name))", text: spec.convention.summary + "."))
        n.append(.init(id: "precision", title: "Precision",
            text: "Weights \(spec.weights.rawValue) (\(Fmt.g(spec.weights.bytes)) B/param), KV cache \(spec.kv.rawValue) (\(Fmt.g(spec.kv.bytes)) B/element). Matrix math runs in fp8 for fp8 weights on GPUs with fp8 tensor cores, otherwise in bf16 (fp16 on parts without bf16); int8/int4 are weight-only formats. Π is the \(spec.convention.sparsePeak ? "2:4-sparse" : "dense") tensor peak."))
        n.append(.init(id: "memory", title: "Memory fit",
            text: "Fits when weights + KV(B, S) ≤ capacity × (1 − \(Fmt.g(spec.memoryReserve, 3))) summed over the replica's GPUs; the reserve covers activations, workspace and fragmentation. Capacities are datasheet GB (1 GB = 10⁹ bytes). Paged concurrency uses 16-token blocks and \(spec.meanSequenceTokens) tokens per sequence."))
        n.append(.init(id: "parallelism", title: "Tensor parallelism",
            text: "n GPUs multiply Π, β and capacity by n; each layer adds two ring all-reduces of B·d_model bf16 activations, moving 2(n−1)/n of the message per GPU at half the datasheet's bidirectional link bandwidth × e_net. KV heads are replicated when n exceeds h_kv (an MLA latent on every rank)."))
        n.append(.init(id: "cost", title: "Cost",
            text: "$/Mtok = n × ($/GPU-hour ÷ 3600) × step time ÷ tokens per step × 10⁶. The weight, KV and compute terms are each term's time priced the same way; the total follows the larger of compute and memory time."))
        var prices: [String] = []
        for g in spec.gpus {
            prices.append("\(g.id) $\(Fmt.fixed(g.price.usdPerHour, 2))/GPU-h (\(g.price.asOf.isEmpty ? "" : g.price.asOf + ", ")\(g.price.source))")
        }
        n.append(.init(id: "prices", title: "Prices", text: prices.joined(separator: "; ") + "."))
        var gs: [String] = []
        for g in spec.gpus {
            let p = g.computePrecision(for: spec.weights)
            gs.append("\(g.id): \(Fmt.g((g.peak(p, sparse: spec.convention.sparsePeak) ?? 0) / 1e12, 5)) TFLOPS \(p.rawValue), \(Fmt.g(g.bandwidth / 1e12, 4)) TB/s, \(Fmt.g(g.memoryBytes / 1e9, 4)) GB (\(g.sources["compute"] ?? g.origin))")
        }
        n.append(.init(id: "sources.gpus", title: "GPU figures", text: gs.joined(separator: "; ") + "."))
        var ms: [String] = []
        for m in spec.models {
            ms.append("\(m.id): N = \(Fmt.g(m.totalParams / 1e9, 4)) B, A = \(Fmt.g(m.activeParams / 1e9, 4)) B, KV \(Fmt.grouped(Int(m.kvBytesPerToken(spec.kv.bytes)))) B/token (\(m.attentionKind.rawValue); \(m.source))")
        }
        n.append(.init(id: "sources.models", title: "Model figures", text: ms.joined(separator: "; ") + "."))
        return n
    }

    public static func text(for spec: Spec, style: Style) -> String {
        let ns = notes(for: spec)
        switch style {
        case .plain:
            return "Assumptions:\n" + ns.map { "- \($0.title): \($0.text)" }.joined(separator: "\n") + "\n"
        case .markdown:
            return "**Assumptions**\n\n" + ns.map { "- **\($0.title)**: \($0.text)" }.joined(separator: "\n") + "\n"
        }
    }

    public static func json(for spec: Spec, indent: String) -> String {
        var parts: [String] = []
        parts.append("\(indent)  \"efficiency\": {\"name\": \(JSON.string(spec.efficiency.name)), \"compute\": \(JSON.number(spec.efficiency.compute)), \"memory\": \(JSON.number(spec.efficiency.memory)), \"interconnect\": \(JSON.number(spec.efficiency.interconnect))}")
        parts.append("\(indent)  \"convention\": {\"name\": \(JSON.string(spec.convention.name)), \"weight_read_factor\": \(JSON.number(spec.convention.weightReadFactor)), \"sparse_peak\": \(spec.convention.sparsePeak), \"memory_streams\": \(JSON.string(spec.convention.memoryStreams.rawValue))}")
        parts.append("\(indent)  \"precision\": {\"weights\": \(JSON.string(spec.weights.rawValue)), \"kv\": \(JSON.string(spec.kv.rawValue))}")
        parts.append("\(indent)  \"memory_reserve\": \(JSON.number(spec.memoryReserve))")
        let notes = notes(for: spec).map { "\(indent)    {\"id\": \(JSON.string($0.id)), \"title\": \(JSON.string($0.title)), \"text\": \(JSON.string($0.text))}" }
        parts.append("\(indent)  \"notes\": [\n" + notes.joined(separator: ",\n") + "\n\(indent)  ]")
        return "{\n" + parts.joined(separator: ",\n") + "\n\(indent)}"
    }
}
