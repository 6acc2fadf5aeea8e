import Foundation
import RidgepointFormatting

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

    /// The notes every output of `spec` prints, in order; the physics notes follow its convention, and notes
    /// on sliding windows, serving modes and the maximum context appear only where they apply.
    public static func notes(for spec: Spec) -> [AssumptionNote] {
        var n: [AssumptionNote] = []
        let refined = spec.convention.refinements
        if refined {
            n.append(.init(id: "physics.decode", title: "Decode step",
                text: "FLOPs = 2·(A − E)·B + 2·V·d·B + 4·L·h_q·d_h·S·B: the body's multiply-adds (A active parameters less E, the embedding and LM-head parameters), the LM head's logits for each of the B sequences, and attention (QKᵀ and AV) over the S cached tokens (MLA in absorbed form). Bytes = the body's weights (MoE: the experts touched) + the LM head + the B gathered rows of the input embedding (B·d values; the table is not streamed) + B·S·(KV bytes per token). Step time = max(FLOPs/(Π·e_c), bytes/(β·e_m)) + all-reduces + per-step overhead (+ a per-sequence overhead × B where the efficiency has one, e.g. fitted to measurements); TPOT = step time; tokens/s = B/step."))
            n.append(.init(id: "physics.prefill", title: "Prefill (TTFT)",
                text: "FLOPs = 2·(A − E)·B·S + 2·V·d·B + 2·L·h_q·d_h·S²·B: the body over every prompt token, logits for the last position of each prompt only (as serving engines compute them), and causal attention; bytes = weights read + the prompts' KV written. TTFT = the prefill time of B prompts of S tokens; tokens/s counts prompt tokens."))
        } else {
            n.append(.init(id: "physics.decode", title: "Decode step",
                text: "FLOPs = 2·A·B (+ attention where the convention counts it); bytes = N·b_w (× the convention's read factor; MoE: the experts touched) + B·S·(KV bytes per token); step time = max(FLOPs/Π, bytes/β); tokens/s = B/step; TPOT = step time. The seed's arithmetic streams every parameter, embeddings included."))
            n.append(.init(id: "physics.prefill", title: "Prefill (TTFT)",
                text: "FLOPs = 2·A·B·S (+ causal attention where counted); bytes = weights read + KV written; TTFT = prefill step time for B prompts of S tokens; tokens/s counts prompt tokens."))
        }
        do {
            n.append(.init(id: "physics.request", title: "Requests (continuous batching)",
                text: "A request reads I prompt tokens and writes O output tokens; B requests share the replica in steady state (continuous batching). Decode steps attend over the mean context I + O/2 (exact in steady state, where the batch holds sequences at evenly spread stages). Each sequence leaves after O − 1 decode steps, so B/(O − 1) prompts arrive per step; they are prefilled in chunks of at most \(Fmt.grouped(spec.serving.prefillChunkTokens)) tokens that ride along the decode steps and share their weight read (chunked prefill). The average step — B decode tokens plus B/(O − 1) prompts' chunks — sets TPOT; requests/s = B/((O − 1)·TPOT); TTFT is the sum over the prompt's chunks of an average step with that chunk added (no queueing); e2e = TTFT + (O − 1)·TPOT; $/request = n·$/GPU-hour/3600 ÷ requests/s, split into input and output token prices in proportion to the time each phase would take on its own. Memory must hold the weights and B sequences at I + O tokens. The recommender considers every batch that fits, meets both targets and uses a tensor-parallel degree serving engines accept (solving for the largest), and picks the cheapest per request."))
        }
        n.append(.init(id: "physics.moe", title: "Mixture of experts",
            text: "A step over T tokens reads the non-expert weights plus the routed experts it touches, E·(1 − (1 − k/E)^T) per MoE layer, assuming uniform independent top-k routing; at large T every expert is read. FLOPs use the active parameters A."))
        let windowed = spec.models.filter { $0.slidingWindow != nil }
        if !windowed.isEmpty {
            n.append(.init(id: "physics.window", title: "Sliding-window attention",
                text: windowed.map { m in "\(m.name) attends over its last \(Fmt.grouped(m.slidingWindow ?? 0)) tokens"
                    + (m.slidingWindowLayers.map { " on \($0) of its \(m.layers) layers (the others attend over the whole context)" } ?? "") }.joined(separator: "; ")
                    + ": on a windowed layer decode steps read and attend over min(S, window) cached tokens, prefill attends over at most the window per position, and a sequence holds at most the window's KV (a rolling cache)."))
        }
        let beyond = Sweep(spec: spec).contextWarnings
        if !beyond.isEmpty {
            n.append(.init(id: "physics.context", title: "Beyond the maximum context",
                text: beyond.map { "\($0.model.name) supports \(Fmt.grouped($0.max)) tokens; rows up to \(Fmt.grouped($0.asked)) are evaluated anyway and flagged (beyond_max_context = true)" }.joined(separator: "; ") + "."))
        }
        n += servingNotes(spec)
        var ignored = ["activation traffic", "the KV write of each newly decoded token",
                       "overlap of communication with compute (\(spec.modes.contains { $0.ep > 1 } ? "all-reduces and all-to-alls add" : "all-reduces add") to the step time)",
                       "queueing of requests", "preemption"]
        if spec.models.contains(where: { $0.moe != nil }) { ignored.append("expert load imbalance (routing is taken as uniform)") }
        if spec.modes.contains(where: { $0.pp > 1 }) { ignored.append("pipeline warm-up") }
        if spec.modes.contains(where: { $0.disaggregated != nil }) { ignored.append("overlap of the KV transfer with the prefill") }
        n.append(.init(id: "physics.ignored", title: "Not modelled",
            text: { let t = Fmt.sentenceList(ignored); return t.prefix(1).uppercased() + t.dropFirst() + "." }()))
        // Efficiency, per GPU where the factors differ.
        let effs = spec.gpus.map { ($0, spec.efficiency.resolve(for: $0)) }
        var eText = "Achieved fraction of peak and fixed per-step overhead (\(spec.efficiency.name)): "
        eText += effs.map { g, e in "\(g.shortName): \(e.factorsSummary)" }.joined(separator: "; ") + ". Sources: "
        var seen = Set<String>()
        eText += effs.compactMap { g, e in seen.insert(e.source).inserted ? "\(g.shortName): \(e.source)" : nil }.joined(separator: " | ") + "."
        let overheads = Set(effs.map(\.1.overheadSource).filter { !$0.isEmpty }).sorted()
        if !overheads.isEmpty { eText += " Per-step overhead: " + overheads.joined(separator: " | ") + "." }
        n.append(.init(id: "efficiency", title: "Efficiency (\(spec.efficiency.name))", text: eText))
        n.append(.init(id: "convention", title: "Convention (\(spec.convention.name))", text: spec.convention.summary + "."))
        n.append(.init(id: "precision", title: "Precision",
            text: "Weights \(spec.storage.summary); KV cache \(spec.kv.rawValue) (\(Fmt.number(spec.kv.bytes)) B/element). Matrix math runs on fp8 (fp4) tensor cores for fp8 (fp4) weights where the GPU has them; otherwise, and for int8/int4, the weights are dequantised to bf16 (fp16 on parts without bf16). Π is the dense tensor peak\(spec.convention.anySparsePeak ? " (2:4-sparse for " + spec.convention.sparsePeakArchitectures.joined(separator: " and ") + " under this convention)" : "")."))
        let capText: String
        if refined {
            capText = "Capacity is what each device reports to software (nvidia-smi or rocm-smi; e.g. an \"80 GB\" H100 SXM shows 81,559 MiB = 85.5 GB): "
                + spec.gpus.map { g in "\(g.shortName) \(Fmt.bytes(g.usableMemoryBytes, sig: 4))\(g.reportedMemoryBytes == nil ? " (datasheet; no reported figure)" : "")" }.joined(separator: ", ") + "."
        } else {
            capText = "Capacity is the datasheet figure (1 GB = 10⁹ bytes), as the seed uses it."
        }
        n.append(.init(id: "memory", title: "Memory fit",
            text: "Fits when weights + KV ≤ capacity × (1 − \(Fmt.number(spec.memoryReserve, sig: 3))) summed over the replica's GPUs; the reserve covers activations, workspace and fragmentation. \(capText) Paged concurrency uses 16-token blocks and \(spec.meanSequenceTokens) tokens per sequence."))
        var par = "n GPUs multiply Π, β and capacity by n; each layer adds two ring all-reduces of the step's activations (T·d_model bf16 values), each costing α plus 2(n−1)/n of the message over half the datasheet's bidirectional link bandwidth × e_net (α–β model). "
        par += "Inside a GPU's scale-up domain the link and α are the catalog's: " + spec.gpus.map { g in
            "\(g.shortName) \(g.links.name.isEmpty ? "link" : g.links.name) α \(Fmt.duration(g.links.allReduceLatency)), \(g.links.domain) GPUs"
        }.joined(separator: "; ") + ". Replicas larger than the domain cross the scale-out network at its bandwidth and α (link = scale-out). "
        par += "Degrees that do not split the attention heads evenly are flagged (tp_supported = false) and never recommended. KV heads are replicated when n exceeds h_kv (an MLA latent on every rank)."
        if !refined { par += " Under this convention all-reduces carry no latency." }
        n.append(.init(id: "parallelism", title: "Tensor parallelism", text: par))
        n.append(.init(id: "cost", title: "Cost",
            text: "$/Mtok = n × ($/GPU-hour ÷ 3600) × step time ÷ tokens per step × 10⁶. The weight, KV and compute terms are each term's time priced the same way; the total follows the larger of compute and memory time plus all-reduces and overhead. Request rows price the request: $/request = n × $/GPU-hour ÷ 3600 ÷ requests/s."))
        let econ = spec.economics
        n.append(.init(id: "ownership", title: "Power and ownership",
            text: "Board power (watts) is the GPU's maximum board or module power (tdp_w) × the GPUs of the replica, drawn whenever the replica is busy; host CPUs, NICs and switches are not counted. Energy per token = watts × step time ÷ tokens of the step, at the boards; the facility draws PUE × that (PUE \(Fmt.number(econ.power.pue)), electricity $\(Fmt.fixed(econ.power.usdPerKwh, 3))/kWh). An owned GPU costs per busy hour: purchase price ÷ (\(Fmt.number(econ.ownership.years)) years × 8,760 h × \(Fmt.number(econ.ownership.utilisation * 100)) % utilisation) + $\(Fmt.number(econ.ownership.hostingUsdPerGpuMonth)) hosting per GPU-month (energy excluded) ÷ (730 h × the same utilisation) + board kW × PUE × $/kWh. Owning beats renting above the utilisation at which the two hourly costs meet. Purchase prices include the GPU's share of its server and are assumptions (catalog ranges) unless the spec sets capex_usd. A fleet has ⌈requests/s × (1 + \(Fmt.number(spec.headroom * 100)) % headroom) ÷ requests/s of one replica⌉ replicas; rented fleets are held 730 hours a month, owned fleets pay amortisation, hosting and the energy of their busy hours. The sensitivity analysis varies each uncertain input by ±\(Fmt.number(spec.sensitivityRange * 100)) % (purchase prices over their stated range), one at a time, and searches a quarter to four times each input for the value at which the cheapest GPU changes; the \(Sensitivity.contenders) cheapest GPUs of each workload compete."))
        if spec.workloads.isEmpty {
            n.append(.init(id: "workloads", title: "Workloads",
                text: "The spec states no workloads, so each context S stands for a workload of S input tokens and \(Spec.derivedOutputTokens) output tokens under the spec's SLO\(spec.slo.isEmpty ? " (none)" : "")."))
        }
        var prices: [String] = []
        for g in spec.gpus {
            prices.append("\(g.shortName) $\(Fmt.fixed(g.price.usdPerHour, 2))/GPU-h (\(g.price.asOf.isEmpty ? "" : g.price.asOf + ", ")\(g.price.source))")
        }
        n.append(.init(id: "prices", title: "Prices", text: prices.joined(separator: "; ") + "."))
        var gs: [String] = []
        for g in spec.gpus {
            let d = spec.deployment(g, spec.models[0], gpus: 1)
            gs.append("\(g.shortName): \(Fmt.number(d.peakPerGPU / 1e12, sig: 5)) TFLOPS \(d.computePrecision.rawValue), \(Fmt.number(d.bandwidthPerGPU / 1e12, sig: 4)) TB/s, \(Fmt.number(g.memoryBytes / 1e9, sig: 4)) GB (\(g.sources["compute"] ?? g.origin))")
        }
        n.append(.init(id: "sources.gpus", title: "GPU figures", text: gs.joined(separator: "; ") + "."))
        var ms: [String] = []
        for m in spec.models {
            ms.append("\(m.name): N = \(Fmt.number(m.totalParams / 1e9, sig: 4)) B, A = \(Fmt.number(m.activeParams / 1e9, sig: 4)) B, KV \(Fmt.grouped(Int(m.kvBytesPerToken(spec.kv.bytes)))) B/token (\(m.attentionKind.rawValue); \(m.source))")
        }
        n.append(.init(id: "sources.models", title: "Model figures", text: ms.joined(separator: "; ") + "."))
        return n
    }

    /// One note per serving mode kind the spec sweeps, with its physics (`serving.*` ids); the
    /// report's serving section prints the same paragraphs.
    public static func servingNotes(_ spec: Spec) -> [AssumptionNote] {
        var n: [AssumptionNote] = []
        let modes = spec.modes
        let pps = Set(modes.map(\.pp)).filter { $0 > 1 }.sorted()
        if !pps.isEmpty {
            n.append(.init(id: "serving.pp", title: "Pipeline parallelism (PP \(pps.map(String.init).joined(separator: ", ")))",
                text: "A replica of tp × pp GPUs holds 1/pp of the layers (their weights and KV) on each stage of tp GPUs. One sequence's step passes every stage in turn, so it is no faster than one stage holding the whole model, and activations (T·d_model bf16 values) cross pp − 1 stage boundaries, each α plus the message over the link. The B sequences split into m = min(pp, B) micro-batches that follow each other through the stages: in one pass all m advance, so tokens/s = B ÷ (the pass of B/m sequences + hops), and with m < pp the pipeline idles 1 − m/pp of the time (a bubble). Each micro-batch reads its stage's weights again. A prompt being prefilled travels with only its micro-batch's share of the decode tokens, so at large batches PP's TTFT can be lower than that of TP over one stage."))
        }
        let eps = Set(modes.map(\.ep)).filter { $0 > 1 }.sorted()
        if !eps.isEmpty || modes.contains(where: \.dpAttention) {
            let dense = spec.models.contains { $0.moe == nil || $0.isDeclared }
            let epText = eps.isEmpty ? "" : "With expert parallelism (EP \(eps.map(String.init).joined(separator: ", "))) each GPU holds whole experts — 1/ep of them — instead of a 1/tp slice of every expert. Under tensor-parallel attention every GPU holds every token, so an MoE layer still ends in an all-reduce; under data-parallel attention it dispatches and combines its tokens with two all-to-alls, each α plus (T/tp)·k·(ep − 1)/ep·d_model bf16 values per GPU over the scale-up link (the routed activations that leave their GPU). Expert load is taken as even.\(dense ? " Dense models run without it." : "") "
            n.append(.init(id: "serving.ep", title: eps.isEmpty ? "Data-parallel attention" : "Expert parallelism and data-parallel attention",
                text: epText + (modes.contains(where: \.dpAttention) ? "With data-parallel attention each GPU runs attention for its own B/tp sequences and keeps only their KV (an MLA latent is stored once, not on every rank), at the price of a full copy of the non-expert weights (attention, dense layers, shared experts) on every GPU, read by each every step; attention and dense-layer all-reduces disappear. It needs at least one sequence per GPU. A lone prompt's non-expert math runs on the one GPU that holds it (the others wait at the next MoE exchange), which TTFT includes; the sequences of the average step are taken as spread evenly." : "")))
        }
        let specs = modes.compactMap(\.speculative)
        if !specs.isEmpty {
            let list = specs.map { "k = \($0.draftTokens), α = \(Fmt.g($0.acceptance, 3)) → τ = \(Fmt.number($0.expectedTokens, sig: 3)) with \($0.draftCost)" }
            n.append(.init(id: "serving.speculative", title: "Speculative decoding",
                text: "A draft proposes k tokens per sequence and the target verifies them in one step of k + 1 positions; each drafted token is accepted with probability α until the first rejection, so a sequence advances τ = (1 − α^(k+1)) ÷ (1 − α) tokens per step (\(list.joined(separator: "; "))). The verify step reads the weights and each sequence's KV once but computes k + 1 positions (k + 1 times the FLOPs and logits); the draft adds k decode steps of the draft model on the same GPUs (its weights and KV held beside the target's), or, for multi-token-prediction heads of f layers, f/L of a target decode step plus the full LM head each. The draft also prefills each prompt (a draft model's prefill, or f/L of the target's), counted in TTFT but not in throughput. TPOT = (verify + drafts) ÷ τ. At small batches the memory-bound verify step costs about one step, so the gain approaches τ; as the batch becomes compute-bound the verify step costs up to k + 1 steps and speculation loses."))
        }
        let splits = modes.compactMap(\.disaggregated)
        if !splits.isEmpty {
            let links = Set(splits.map { $0.linkBandwidth.map { "\(Fmt.number($0 / 1e9, sig: 4)) GB/s" } ?? "each GPU's scale-out network (one direction)" }).sorted()
            n.append(.init(id: "serving.disaggregated", title: "Disaggregated prefill and decode (P:D = \(splits.map { "\($0.prefillGPUs):\($0.decodeGPUs)" }.joined(separator: ", ")))",
                text: "Prompts are prefilled on a pool of P GPUs and generated on a pool of D GPUs, each pool a whole number of replicas. A prefill replica runs prompts without decode steps beside them, one chunk after another (prompts shorter than a chunk are prefilled several at a time, up to a chunk of tokens); each prompt's KV cache — input tokens × KV bytes per token — then crosses \(links.joined(separator: " or ")) to a decode replica, and that transfer time is part of the TTFT. Decode replicas run decode-only steps, so prefill no longer slows their TPOT. The two pools complete min(P/n × prefill rate, D/n × decode rate) requests/s between them and cost (P + D) GPUs × $/GPU-hour; the split is balanced when P/D = decode rate ÷ prefill rate, a ratio that grows with the decode batch. Each split is compared with colocated serving of the same workload on the same GPUs."))
        }
        return n
    }

    /// The notes as a bulleted list under an `Assumptions` heading, ending with a newline.
    public static func text(for spec: Spec, style: Style) -> String {
        let ns = notes(for: spec)
        switch style {
        case .plain:
            return "Assumptions:\n" + ns.map { "- \($0.title): \($0.text)" }.joined(separator: "\n") + "\n"
        case .markdown:
            return "**Assumptions**\n\n" + ns.map { "- **\($0.title)**: \($0.text)" }.joined(separator: "\n") + "\n"
        }
    }

    /// The assumptions as one JSON object: efficiency per GPU, convention, precision, serving
    /// modes, workloads and notes.
    public static func json(for spec: Spec) -> JSONValue {
        func n(_ x: Double) -> JSONValue { .significant(x, 6) }
        func n(_ x: Double?) -> JSONValue { x.map { .significant($0, 6) } ?? .null }
        let effs = spec.gpus.map { g -> JSONValue in
            let e = spec.efficiency.resolve(for: g)
            return .object([("gpu", .string(g.id)), ("compute", n(e.compute)), ("memory", n(e.memory)),
                            ("interconnect", n(e.interconnect)), ("overhead_s", n(e.overhead)), ("source", .string(e.source))])
        }
        let storage = spec.storage
        let modes = spec.modes.map { m -> JSONValue in
            let sp = m.speculative.map { s -> JSONValue in
                let draft: (String, JSONValue)
                switch s.draft {
                case .model(let d): draft = ("draft_model", .string(d.id))
                case .mtp(let f): draft = ("mtp", n(f))
                }
                return .object([("draft_tokens", .integer(s.draftTokens)), ("acceptance", n(s.acceptance)), draft,
                                ("tokens_per_step", n(s.expectedTokens))])
            } ?? .null
            let dg = m.disaggregated.map {
                JSONValue.object([("prefill_gpus", .integer($0.prefillGPUs)), ("decode_gpus", .integer($0.decodeGPUs)),
                                  ("link_gbs", n($0.linkBandwidth.map { $0 / 1e9 }))])
            } ?? .null
            return .object([("pp", .integer(m.pp)), ("ep", .integer(m.ep)), ("dp_attention", .bool(m.dpAttention)),
                            ("speculative", sp), ("disaggregated", dg)])
        }
        let workloads = spec.effectiveWorkloads.map { w -> JSONValue in
            .object([("name", .string(w.name)), ("input_tokens", .integer(w.inputTokens)), ("output_tokens", .integer(w.outputTokens)),
                     ("tpot_ms", n(w.slo.tpotMs)), ("ttft_ms", n(w.slo.ttftMs)), ("requests_per_s", n(w.requestsPerSecond))])
        }
        return .object([
            ("efficiency", .object([("name", .string(spec.efficiency.name)), ("gpus", .array(effs))])),
            ("convention", .object([
                ("name", .string(spec.convention.name)), ("weight_read_factor", n(spec.convention.weightReadFactor)),
                ("sparse_peak_architectures", .array(spec.convention.sparsePeakArchitectures.map { .string($0) })),
                ("memory_streams", .string(spec.convention.memoryStreams.rawValue)), ("refinements", .bool(spec.convention.refinements)),
            ])),
            ("precision", .object([
                ("weights", .string(spec.weights.rawValue)), ("group_size", storage.effectiveGroupSize.map { .integer($0) } ?? .null),
                ("bits_per_weight", n(storage.bodyBytesPerWeight * 8)), ("embeddings", .string(storage.embeddings.rawValue)),
                ("kv", .string(spec.kv.rawValue)),
            ])),
            ("memory_reserve", n(spec.memoryReserve)),
            ("prefill_chunk_tokens", .integer(spec.serving.prefillChunkTokens)),
            ("serving_modes", .array(modes)),
            ("workloads", .array(workloads)),
            ("notes", .array(notes(for: spec).map { .object([("id", .string($0.id)), ("title", .string($0.title)), ("text", .string($0.text))]) })),
        ])
    }
}
