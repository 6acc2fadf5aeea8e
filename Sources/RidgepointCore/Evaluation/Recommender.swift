import Foundation
import RidgepointFormatting

/// One serving configuration considered for a workload: a replica at one batch of concurrent
/// requests, evaluated by the request step model.
public struct Candidate: Sendable {
    public var row: EvalRow
    public var slo: SLO
    public var deployment: Deployment { row.deployment }
    /// Concurrent requests per replica.
    public var batch: Int { Int(row.batch) }
    /// The row's request metrics; a placeholder with zero rate and infinite cost if the row has none.
    public var request: RequestMetrics { row.request ?? RequestMetrics(ttft: 0, tpot: nil, e2e: 0, requestsPerSecond: 0, usdPerRequest: .infinity, prefillSeconds: 0, decodeSeconds: 0, usdPerMtokInput: 0, usdPerMtokOutput: 0) }
    /// Rented cost of one request, US dollars.
    public var usdPerRequest: Double { request.usdPerRequest }
    /// Time to first token, seconds.
    public var ttft: Double { request.ttft }
    /// Time per output token, seconds (0 for one-token requests).
    public var tpot: Double { request.tpot ?? 0 }
    public var fits: Bool { row.fits }
    /// Whether TPOT is within `slo.tpotMs` (true when no target is set).
    public var meetsTPOT: Bool { slo.tpotMs.map { tpot * 1000 <= $0 * (1 + 1e-12) } ?? true }
    /// Whether TTFT is within `slo.ttftMs` (true when no target is set).
    public var meetsTTFT: Bool { slo.ttftMs.map { ttft * 1000 <= $0 * (1 + 1e-12) } ?? true }
    /// Fits in memory, meets both targets, uses a TP degree engines accept and holds at least `minimumBatch`.
    public var acceptable: Bool { fits && meetsTPOT && meetsTTFT && deployment.tensorParallelSupported && row.batch >= Double(minimumBatch) }
    /// Data-parallel attention needs a sequence on every GPU of a stage.
    public var minimumBatch: Int { deployment.dpAttention ? deployment.tp : 1 }
    /// The serving mode in words: `TP 8 · EP 8 · DP attention`.
    public var modeLabel: String { deployment.mode.label(tp: deployment.tp) }
    /// Output tokens per second per GPU.
    public var tokensPerSecondPerGPU: Double { row.tokensPerSecondPerGPU }
    /// All-in dollars per million output tokens.
    public var usdPerMtok: Double { row.usdPerMtok }
}

/// The best configuration of one GPU for a workload, or why it has none.
public struct GPUOption: Sendable {
    public var gpu: GPU
    /// The cheapest acceptable configuration; nil when none qualifies (see `whyNot`).
    public var best: Candidate?
    /// Why no configuration qualifies (nil when `best` exists).
    public var whyNot: String?
    /// For a GPU that fails: its fastest configuration that fits, and by how much it misses
    /// the SLO (0.12 = 12 % over the target), if the SLO is what it misses.
    public var miss: Double?
}

/// The recommendation for one workload of one model under its SLO.
public struct Recommendation: Sendable {
    public var model: Model
    public var workload: Workload
    /// Every GPU's best option, cheapest first; GPUs without a qualifying configuration last,
    /// nearest miss first.
    public var options: [GPUOption]
    /// Spare capacity the fleet keeps above the stated request rate (0.2 = 20 %).
    public var headroom: Double = 0.2
    public var slo: SLO { workload.slo }
    /// The cheapest acceptable configuration on rental cost (nil: no GPU qualifies).
    public var winner: Candidate? { options.first?.best }
    /// The nearest alternative: the next cheapest qualifying GPU.
    public var runnerUp: Candidate? { options.count > 1 ? options[1].best : nil }

    /// Replicas of the winner needed for the workload's request rate with the headroom (nil
    /// when the workload states no rate).
    public var replicas: Int? { fleet(.rented)?.replicas }

    /// The runner-up in a few words for tables: "B200 ×1 $0.0020 (+26 %)", or why none qualifies.
    public var runnerUpShort: String {
        guard let w = winner else { return "" }
        guard let r = runnerUp else { return runnerUpReason }
        return "\(r.deployment.gpu.shortName) ×\(r.deployment.gpus) $\(Fmt.usd3(r.usdPerRequest * 1000)) (+\(Fmt.percent(r.usdPerRequest / w.usdPerRequest - 1)))"
    }

    /// One sentence on the nearest alternative (or why there is none).
    public var runnerUpReason: String {
        guard let w = winner else { return "no GPU meets the targets" }
        if options.count == 1 { return "only the \(w.deployment.gpu.shortName) was compared" }
        guard let r = runnerUp else {
            if options.count > 1, let why = options[1].whyNot { return "\(options[1].gpu.shortName) \(why)" }
            return "no other GPU qualifies"
        }
        let extra = r.usdPerRequest / w.usdPerRequest - 1
        if r.deployment.gpu.id == w.deployment.gpu.id {
            return "\(r.deployment.gpu.shortName) ×\(r.deployment.gpus) at $\(Fmt.usd3(r.usdPerRequest * 1000)) per 1,000 requests, \(Fmt.percent(extra)) more"
        }
        return "the \(r.deployment.gpu.shortName) ×\(r.deployment.gpus) at $\(Fmt.usd3(r.usdPerRequest * 1000)) per 1,000 requests, \(Fmt.percent(extra)) more than the winner's $\(Fmt.usd3(w.usdPerRequest * 1000))"
    }
}

/// Picks, per workload and model, the GPU, replica size and batch with the lowest cost per
/// request that meets the workload's TPOT and TTFT targets, fits in memory and uses a
/// tensor-parallel degree serving engines accept. The batch is solved for, not limited to the
/// spec's grid: the largest batch that meets every constraint is a candidate beside the grid's
/// smaller ones, and where the cost no longer falls with the batch the smaller one wins.
public enum Recommender {
    /// The request row of `d` at `batch` for `workload`.
    static func evaluate(_ d: Deployment, _ workload: Workload, _ serving: ServingOptions, batch: Int) -> EvalRow {
        RequestStep(workload: workload, serving: serving).evaluate(d, batch: Double(batch))
    }

    /// The largest batch (≤ `upper`) whose request meets `ok`, by bisection (`ok` must hold for
    /// every smaller batch when it holds for a larger one); 0 if even batch 1 fails.
    static func largest(upTo upper: Int, from lower: Int = 1, _ ok: (Int) -> Bool) -> Int {
        guard upper >= lower, ok(lower) else { return 0 }
        if ok(upper) { return upper }
        var lo = lower, hi = upper
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if ok(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The smallest batch in `lower…upper` for which `ok` holds (`ok` must hold for every larger
    /// batch when it holds for a smaller one, and hold at `upper`).
    static func smallest(from lower: Int, upTo upper: Int, _ ok: (Int) -> Bool) -> Int {
        // One past the largest batch where it does not hold yet.
        let below = largest(upTo: upper, from: lower) { !ok($0) }
        return below == 0 ? lower : below + 1
    }

    /// The candidates worth comparing for `gpu` × `model` at each replica size: the largest
    /// feasible batch and the grid's batches below it.
    /// Every serving mode the spec allows is searched beside each replica size.
    public static func candidates(_ spec: Spec, gpu: GPU, model: Model, workload: Workload) -> [Candidate] {
        var out: [Candidate] = []
        for n in spec.gpusPerReplica.sorted() {
            for mode in spec.modes where spec.applies(mode, model: model, tp: n) {
                let d = spec.deployment(gpu, model, gpus: n, mode: mode)
                let lower = mode.dpAttention ? n : 1
                let fitLimit = min(d.maxBatchThatFits(context: workload.peakContext), 1_000_000)
                let bMax = largest(upTo: fitLimit, from: lower) { b in
                    Candidate(row: evaluate(d, workload, spec.serving, batch: b), slo: workload.slo).acceptable
                }
                var batches = Set(spec.batchSizes.filter { $0 >= lower && $0 <= max(bMax, lower) })
                batches.insert(max(bMax, lower))
                // Disaggregated pools stop getting cheaper once the prefill pool is the limit:
                // the smallest batch at that cost is a candidate too (lower TPOT, same price).
                if mode.disaggregated != nil, bMax > lower {
                    let floor = evaluate(d, workload, spec.serving, batch: bMax).request?.usdPerRequest ?? 0
                    let b = smallest(from: lower, upTo: bMax) { b in
                        (evaluate(d, workload, spec.serving, batch: b).request?.usdPerRequest ?? .infinity) <= floor * (1 + 1e-6)
                    }
                    batches.insert(b)
                }
                for b in batches.sorted() {
                    out.append(Candidate(row: evaluate(d, workload, spec.serving, batch: b), slo: workload.slo))
                }
            }
        }
        return out
    }

    /// The cheapest acceptable candidate of `gpu`, or why it has none and by how much its nearest one misses.
    public static func option(_ spec: Spec, gpu: GPU, model: Model, workload: Workload) -> GPUOption {
        let cs = candidates(spec, gpu: gpu, model: model, workload: workload)
        if let best = cs.filter(\.acceptable).min(by: cheaper) {
            return GPUOption(gpu: gpu, best: best, whyNot: nil, miss: nil)
        }
        let (why, miss) = reason(cs, workload: workload, spec: spec, gpu: gpu, model: model)
        return GPUOption(gpu: gpu, best: nil, whyNot: why, miss: miss)
    }

    /// Cheaper per request; costs within a millionth of each other tie (on the compute roof the
    /// cost no longer falls with the batch), and ties go to fewer GPUs, then the smaller batch
    /// (lower latency for the same price).
    public static func cheaper(_ a: Candidate, _ b: Candidate) -> Bool {
        if abs(a.usdPerRequest - b.usdPerRequest) > 1e-6 * max(a.usdPerRequest, b.usdPerRequest) {
            return a.usdPerRequest < b.usdPerRequest
        }
        if a.deployment.gpus != b.deployment.gpus { return a.deployment.gpus < b.deployment.gpus }
        return a.batch < b.batch
    }

    /// Why none of `cs` qualifies, naming the closest miss and how far it is.
    static func reason(_ cs: [Candidate], workload: Workload, spec: Spec, gpu: GPU, model: Model) -> (String, Double?) {
        let sizes = spec.gpusPerReplica.sorted()
        let deps = sizes.map { spec.deployment(gpu, model, gpus: $0) }
        let supported = deps.filter(\.tensorParallelSupported)
        if supported.isEmpty {
            return ("cannot split \(model.attentionHeads) attention heads evenly over \(sizes.map(String.init).joined(separator: ", ")) GPUs", nil)
        }
        let holding = supported.filter { $0.maxBatchThatFits(context: workload.peakContext) >= 1 }
        if holding.isEmpty {
            let biggest = supported.last ?? deps[deps.count - 1]
            if !biggest.weightsFit {
                return ("cannot hold the \(Fmt.bytes(biggest.weightBytes, sig: 3)) of weights even on \(Fmt.gpus(biggest.gpus))", nil)
            }
            return ("runs out of memory for one sequence of \(Fmt.grouped(workload.peakContext)) tokens even on \(Fmt.gpus(biggest.gpus))", nil)
        }
        // Each replica size at batch 1: its lowest latencies; the closest to the SLO decides.
        let ones = holding.map { Candidate(row: evaluate($0, workload, spec.serving, batch: 1), slo: workload.slo) }
        func over(_ c: Candidate) -> Double {
            var worst = 0.0
            if let t = workload.slo.ttftMs { worst = max(worst, c.ttft * 1000 / t - 1) }
            if let t = workload.slo.tpotMs { worst = max(worst, c.tpot * 1000 / t - 1) }
            return worst
        }
        guard let near = ones.min(by: { over($0) < over($1) }) else { return ("has no qualifying configuration", nil) }
        let miss = over(near)
        var parts: [String] = []
        if let t = workload.slo.ttftMs, !near.meetsTTFT {
            parts.append("misses the \(Fmt.number(t, sig: 4)) ms TTFT target by \(Fmt.percent(near.ttft * 1000 / t - 1)) (\(Fmt.number(near.ttft * 1000, sig: 3)) ms)")
        }
        if let t = workload.slo.tpotMs, !near.meetsTPOT {
            parts.append("misses the \(Fmt.number(t, sig: 4)) ms TPOT target by \(Fmt.percent(near.tpot * 1000 / t - 1)) (\(Fmt.number(near.tpot * 1000, sig: 3)) ms)")
        }
        if parts.isEmpty { return ("has no qualifying configuration", nil) }
        return (parts.joined(separator: " and ") + " at best (\(Fmt.gpus(near.deployment.gpus)), batch 1)", miss)
    }

    /// Every GPU's option, qualifying ones cheapest first, then the rest nearest miss first (ties: spec order).
    public static func recommend(_ spec: Spec, model: Model, workload: Workload) -> Recommendation {
        let opts = spec.gpus.map { option(spec, gpu: $0, model: model, workload: workload) }
        let sorted = opts.enumerated().sorted { a, b in
            switch (a.element.best, b.element.best) {
            case let (x?, y?): return x.usdPerRequest != y.usdPerRequest ? x.usdPerRequest < y.usdPerRequest : a.offset < b.offset
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none):
                let ma = a.element.miss ?? .infinity, mb = b.element.miss ?? .infinity
                return ma != mb ? ma < mb : a.offset < b.offset
            }
        }.map(\.element)
        return Recommendation(model: model, workload: workload, options: sorted, headroom: spec.headroom)
    }

    /// One recommendation per model and workload (the spec's, or one per context).
    public static func all(_ spec: Spec) -> [Recommendation] {
        spec.models.flatMap { m in spec.effectiveWorkloads.map { recommend(spec, model: m, workload: $0) } }
    }
}
