import Foundation

/// A way of running a replica that the evaluation layer can price: one decode step, one
/// prefill, or a whole request under continuous batching. Each turns a deployment and a batch
/// (concurrent sequences or prompts, possibly real-valued for curves) into an `EvalRow`. A new
/// serving mode is a new type conforming to this protocol.
public protocol StepModel: Sendable {
    var phase: Phase { get }
    /// The value of the row's `context` column.
    var context: Int { get }
    func evaluate(_ d: SharedDeployment, batch: Double) -> EvalRow
}

extension StepModel {
    public func evaluate(_ d: Deployment, batch: Double) -> EvalRow { evaluate(SharedDeployment(d), batch: batch) }
    public func evaluate(_ d: Deployment, batch: Int) -> EvalRow { evaluate(SharedDeployment(d), batch: Double(batch)) }
}

/// One decode step: `batch` sequences each generate a token with `context` tokens cached.
/// TPOT = step time; tokens/s and $/Mtok count the B generated tokens.
public struct DecodeStep: StepModel {
    public var context: Int
    public init(context: Int) { self.context = context }
    public var phase: Phase { .decode }
    public func evaluate(_ d: SharedDeployment, batch: Double) -> EvalRow {
        let r = d.value.step(.decode(batch: batch, context: Double(context)))
        return EvalRow(deployment: d, phase: .decode, batch: batch, context: context, step: r, tokensPerStep: batch,
                       peakContext: context, tpot: r.stepTime)
    }
}

/// Prefill of `batch` prompts of `context` tokens at once; the step time is the TTFT of a prompt
/// that arrives alone. tokens/s and $/Mtok count prompt tokens.
public struct PrefillStep: StepModel {
    public var context: Int
    public init(context: Int) { self.context = context }
    public var phase: Phase { .prefill }
    public func evaluate(_ d: SharedDeployment, batch: Double) -> EvalRow {
        let r = d.value.step(.prefill(batch: batch, tokens: Double(context)))
        return EvalRow(deployment: d, phase: .prefill, batch: batch, context: context, step: r, tokensPerStep: batch * Double(context),
                       peakContext: context, ttft: r.stepTime)
    }
}

/// A request of `workload.inputTokens` in and `workload.outputTokens` out, served with
/// continuous batching and chunked prefill at `batch` concurrent sequences, in steady state.
///
/// - The decode batch holds B sequences at evenly spread stages of generation, so a decode step
///   attends over the mean context S̄ = I + O/2 (exact in steady state; a step's cost is linear in
///   the context its batch holds).
/// - Every sequence leaves after O − 1 decode steps, so B/(O − 1) new prompts arrive per step. A
///   prompt is prefilled in chunks of at most `serving.prefillChunkTokens` tokens that ride along
///   decode steps (sharing their weight read); the average step therefore carries the B decode
///   tokens plus B/(O − 1) prompts' chunks. Its time is the TPOT.
/// - requests/s = B / ((O − 1)·TPOT); e2e = TTFT + (O − 1)·TPOT.
/// - TTFT is the sum, over the prompt's chunks, of an average step with that chunk added (no
///   queueing).
/// - $/request = n·price/3600 ÷ requests/s; input and output tokens split that cost in proportion
///   to the time each phase would take on its own (the prompt's chunks without the decode batch,
///   against (O − 1)·t_decode/B).
/// - A request of one output token is a prefill only: B prompts share a step.
/// - The row's flops, bytes and time terms are those of the average step; memory holds the
///   weights and B sequences at I + O tokens.
public struct RequestStep: StepModel {
    public var workload: Workload
    public var serving: ServingOptions
    public init(workload: Workload, serving: ServingOptions = .default) { self.workload = workload; self.serving = serving }
    public var phase: Phase { .request }
    public var context: Int { workload.inputTokens }

    /// The chunks one prompt of this workload is prefilled in.
    var chunks: [PromptChunk] {
        let input = Double(workload.inputTokens)
        let size = Double(max(1, serving.prefillChunkTokens))
        var out: [PromptChunk] = []
        var cached = 0.0
        while cached < input {
            let c = Swift.min(size, input - cached)
            out.append(PromptChunk(count: 1, tokens: c, cached: cached, finishes: cached + c >= input))
            cached += c
        }
        return out
    }

    public func evaluate(_ shared: SharedDeployment, batch b: Double) -> EvalRow {
        let d = shared.value
        let input = Double(workload.inputTokens), output = Double(workload.outputTokens)
        let peak = workload.peakContext
        let held = d.weightBytes + b * d.model.attendedContext(Double(peak)) * d.kvBytesPerCachedToken

        if workload.outputTokens <= 1 {
            // Prefill only: B prompts per step, one token out of each.
            var r = d.step(.prefill(batch: b, tokens: input))
            r.memoryBytes = held
            let rps = b / r.stepTime
            let usd = d.usdPerRequest(requestsPerSecond: rps, .rented) ?? .infinity
            let metrics = RequestMetrics(ttft: r.stepTime, tpot: nil, e2e: r.stepTime, requestsPerSecond: rps,
                                         usdPerRequest: usd, prefillSeconds: 1 / rps, decodeSeconds: 0,
                                         usdPerMtokInput: usd / input * 1e6, usdPerMtokOutput: 0,
                                         usdPerRequestOwned: d.usdPerRequest(requestsPerSecond: rps, .owned), joulesPerRequest: d.watts.map { $0 / rps })
            return EvalRow(deployment: shared, phase: .request, batch: b, context: workload.inputTokens, workload: workload, step: r,
                           tokensPerStep: rps * output * r.stepTime, peakContext: peak, ttft: r.stepTime, tpot: nil, request: metrics)
        }

        let chunks = self.chunks
        let share = b / (output - 1)          // prompts arriving per decode step
        let decodeOnly = StepWork.decode(batch: b, context: workload.meanDecodeContext)
        var averageWork = decodeOnly
        averageWork.prompts = [PromptChunk(count: share, tokens: input, cached: 0, finishes: true,
                                           chunkTokens: Double(max(1, serving.prefillChunkTokens)))]
        var avg = d.step(averageWork)
        avg.memoryBytes = held
        let tpot = avg.stepTime
        let rps = b / ((output - 1) * tpot)
        var ttft = 0.0, prefillAlone = 0.0
        for c in chunks {
            var withChunk = averageWork
            withChunk.prompts.append(c)
            ttft += d.step(withChunk).stepTime
            prefillAlone += d.step(StepWork(prompts: [c])).stepTime
        }
        let decodeAlone = (output - 1) * d.step(decodeOnly).stepTime / b
        // Split the replica's time per request between the phases in proportion to the time each
        // would take on its own: prefill riding along a memory-bound decode step adds little time,
        // but it still uses the compute it runs on.
        let inputShare = prefillAlone / (prefillAlone + decodeAlone)
        let prefillSeconds = inputShare / rps, decodeSeconds = (1 - inputShare) / rps
        let usd = d.usdPerRequest(requestsPerSecond: rps, .rented) ?? .infinity
        let metrics = RequestMetrics(ttft: ttft, tpot: tpot, e2e: ttft + (output - 1) * tpot, requestsPerSecond: rps,
                                     usdPerRequest: usd, prefillSeconds: prefillSeconds, decodeSeconds: decodeSeconds,
                                     usdPerMtokInput: d.dollarsPerSecond * prefillSeconds / input * 1e6,
                                     usdPerMtokOutput: d.dollarsPerSecond * decodeSeconds / output * 1e6,
                                     usdPerRequestOwned: d.usdPerRequest(requestsPerSecond: rps, .owned), joulesPerRequest: d.watts.map { $0 / rps })
        return EvalRow(deployment: shared, phase: .request, batch: b, context: workload.inputTokens, workload: workload, step: avg,
                       tokensPerStep: rps * output * tpot, peakContext: peak, ttft: ttft, tpot: tpot, request: metrics)
    }
}

/// What a request costs and how long it takes, for `phase = request` rows.
public struct RequestMetrics: Sendable, Hashable {
    /// Time to first token, s.
    public var ttft: Double
    /// Mean time per output token after the first, s (nil for one-token requests).
    public var tpot: Double?
    /// End-to-end latency, TTFT + (O − 1)·TPOT, s.
    public var e2e: Double
    public var requestsPerSecond: Double
    public var usdPerRequest: Double
    /// Replica time per request spent prefilling and decoding, s (they add to 1/requests_per_s).
    public var prefillSeconds: Double
    public var decodeSeconds: Double
    public var usdPerMtokInput: Double
    public var usdPerMtokOutput: Double
    /// Cost per request with owned GPUs (nil without a purchase price or board power).
    public var usdPerRequestOwned: Double? = nil
    /// Energy at the boards per request, J (nil without board power).
    public var joulesPerRequest: Double? = nil
}

extension Deployment {
    /// The evaluated decode row: `batch` sequences with `context` tokens cached each.
    public func decode(batch: Double, context: Int) -> EvalRow { DecodeStep(context: context).evaluate(self, batch: batch) }
    public func decode(batch: Int, context: Int) -> EvalRow { decode(batch: Double(batch), context: context) }
    /// The evaluated prefill row: `batch` prompts of `context` tokens.
    public func prefill(batch: Int, context: Int) -> EvalRow { PrefillStep(context: context).evaluate(self, batch: Double(batch)) }
    /// The evaluated request row: `batch` concurrent requests of `workload`.
    public func request(_ workload: Workload, batch: Int, serving: ServingOptions = .default) -> EvalRow {
        RequestStep(workload: workload, serving: serving).evaluate(self, batch: Double(batch))
    }
}

/// A static batch (what offline benchmarks such as TensorRT-LLM's `gptSessionBenchmark`, vLLM's
/// `benchmark_latency.py` or LMDeploy's `profile_generation` measure): B requests start
/// together, their prompts are prefilled in one step, then O − 1 decode steps follow at the mean
/// context; nothing joins until all finish.
public struct StaticBatchMetrics: Sendable, Hashable {
    /// The prefill of all B prompts, s (every request's first token waits for it).
    public var ttft: Double
    /// One decode step at the mean context I + O/2, s.
    public var tpot: Double
    /// Output tokens per second of the replica: B·O over the batch's whole time.
    public var outputTokensPerSecond: Double
}

extension Deployment {
    /// `batch` requests of `workload` run as one static batch.
    public func staticBatch(_ workload: Workload, batch: Int) -> StaticBatchMetrics {
        let prefill = self.prefill(batch: batch, context: workload.inputTokens).stepTime
        let decode = self.decode(batch: batch, context: workload.inputTokens + workload.outputTokens / 2).stepTime
        let total = prefill + Double(max(0, workload.outputTokens - 1)) * decode
        return StaticBatchMetrics(ttft: prefill, tpot: decode,
                                  outputTokensPerSecond: Double(batch * workload.outputTokens) / max(total, .leastNonzeroMagnitude))
    }
}
