import Foundation

/// One serving configuration considered for a workload: a replica at one batch size.
public struct Candidate: Sendable {
    public var deployment: Deployment
    public var batch: Int
    public var context: Int
    public var decode: StepResult
    /// Prefill of one prompt of `context` tokens on the replica, seconds.
    public var ttft: Double
    public var meetsTPOT: Bool
    public var meetsTTFT: Bool
    public var fits: Bool { decode.fits }
    public var usdPerMtok: Double { decode.usdPerMtok }
    public var tpot: Double { decode.stepTime }
    public var acceptable: Bool { fits && meetsTPOT && meetsTTFT }
    /// Decode tokens/s per GPU.
    public var tokensPerSecondPerGPU: Double { decode.tokensPerSecond / Double(deployment.gpus) }
}

/// The best configuration of one GPU for a workload, or why it has none.
public struct GPUOption: Sendable {
    public var gpu: GPU
    public var best: Candidate?
    /// Why no configuration qualifies (nil when `best` exists).
    public var whyNot: String?
}

/// The recommendation for one workload (a model at a context length under the spec's SLO).
public struct Recommendation: Sendable {
    public var model: Model
    public var context: Int
    public var slo: SLO
    /// Every GPU's best option, cheapest first; GPUs without a qualifying configuration last.
    public var options: [GPUOption]
    public var winner: Candidate? { options.first?.best }
    public var runnerUp: Candidate? { options.count > 1 ? options[1].best : nil }

    /// The runner-up in a few words for tables: "b200 $0.020 (+26 %)", or why no other GPU qualifies.
    public var runnerUpShort: String {
        guard let w = winner else { return "" }
        guard let r = runnerUp else { return runnerUpReason }
        return "\(r.deployment.gpu.id) ×\(r.deployment.gpus) $\(Recommender.money(r.usdPerMtok)) (+\(Fmt.g((r.usdPerMtok / w.usdPerMtok - 1) * 100, 2)) %)"
    }

    /// One sentence on why the runner-up lost (or why there is none).
    public var runnerUpReason: String {
        guard let w = winner else { return "no GPU meets the targets" }
        guard let r = runnerUp else {
            if options.count > 1, let why = options[1].whyNot { return "\(options[1].gpu.id) \(why)" }
            return "no other GPU qualifies"
        }
        let extra = (r.usdPerMtok / w.usdPerMtok - 1) * 100
        return "\(r.deployment.gpu.id) costs $\(Recommender.money(r.usdPerMtok))/Mtok, \(Fmt.g(extra, 2)) % more than \(w.deployment.gpu.id)'s $\(Recommender.money(w.usdPerMtok))"
    }
}

/// Picks, per workload, the GPU and replica size with the lowest decode $/Mtok that meets the
/// TPOT and TTFT targets and fits in memory, over the spec's replica sizes and batch sizes.
public enum Recommender {
    public static func money(_ x: Double) -> String { x < 0.01 ? Fmt.g(x, 2) : Fmt.fixed(x, x < 10 ? 3 : 2) }

    public static func candidates(_ spec: Spec, gpu: GPU, model: Model, context: Int) -> [Candidate] {
        let sweep = Sweep(spec: spec)
        var out: [Candidate] = []
        for n in spec.gpusPerReplica.sorted() {
            let d = sweep.deployment(gpu, model, gpus: n)
            let ttft = d.prefill(batch: 1, context: max(1, context)).stepTime
            for b in spec.batchSizes.sorted() {
                let r = d.decode(batch: b, context: context)
                out.append(Candidate(deployment: d, batch: b, context: context, decode: r, ttft: ttft,
                                     meetsTPOT: spec.slo.tpotMs.map { r.stepTime * 1000 <= $0 } ?? true,
                                     meetsTTFT: spec.slo.ttftMs.map { ttft * 1000 <= $0 } ?? true))
            }
        }
        return out
    }

    public static func option(_ spec: Spec, gpu: GPU, model: Model, context: Int) -> GPUOption {
        let cs = candidates(spec, gpu: gpu, model: model, context: context)
        let ok = cs.filter(\.acceptable)
        if let best = ok.min(by: { a, b in
            a.usdPerMtok != b.usdPerMtok ? a.usdPerMtok < b.usdPerMtok
                : (a.deployment.gpus != b.deployment.gpus ? a.deployment.gpus < b.deployment.gpus : a.batch < b.batch)
        }) {
            return GPUOption(gpu: gpu, best: best, whyNot: nil)
        }
        return GPUOption(gpu: gpu, best: nil, whyNot: reason(cs, spec: spec))
    }

    /// Why none of `cs` qualifies, naming the closest miss.
    static func reason(_ cs: [Candidate], spec: Spec) -> String {
        guard let any = cs.first else { return "was not evaluated" }
        let fitting = cs.filter(\.fits)
        if fitting.isEmpty {
            let maxN = cs.map(\.deployment.gpus).max() ?? 1
            let d = cs.first { $0.deployment.gpus == maxN }?.deployment ?? any.deployment
            if !d.weightsFit {
                return "cannot hold the \(Fmt.g(d.weightBytes / 1e9, 3)) GB of weights even on \(maxN) GPU\(maxN == 1 ? "" : "s")"
            }
            return "runs out of memory for the KV cache at \(Fmt.grouped(any.context)) tokens even at batch \(cs.map(\.batch).min() ?? 1)"
        }
        if let t = spec.slo.ttftMs, !fitting.contains(where: \.meetsTTFT) {
            let best = fitting.map(\.ttft).min() ?? 0
            return "misses the \(Fmt.g(t, 4)) ms TTFT target (best \(Fmt.g(best * 1000, 3)) ms)"
        }
        if let t = spec.slo.tpotMs {
            let best = fitting.filter(\.meetsTTFT).map(\.tpot).min() ?? 0
            return "misses the \(Fmt.g(t, 4)) ms TPOT target (best \(Fmt.g(best * 1000, 3)) ms)"
        }
        return "has no qualifying configuration"
    }

    public static func recommend(_ spec: Spec, model: Model, context: Int) -> Recommendation {
        let opts = spec.gpus.map { option(spec, gpu: $0, model: model, context: context) }
        let sorted = opts.enumerated().sorted { a, b in
            switch (a.element.best, b.element.best) {
            case let (x?, y?): return x.usdPerMtok != y.usdPerMtok ? x.usdPerMtok < y.usdPerMtok : a.offset < b.offset
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return a.offset < b.offset
            }
        }.map(\.element)
        return Recommendation(model: model, context: context, slo: spec.slo, options: sorted)
    }

    /// One recommendation per model at each of the spec's contexts.
    public static func all(_ spec: Spec) -> [Recommendation] {
        spec.models.flatMap { m in spec.contexts.map { recommend(spec, model: m, context: $0) } }
    }
}
