import Foundation

/// A way of running a replica that the evaluation layer can price: one decode step, one
/// prefill, or a whole request under continuous batching. Each turns a deployment and a batch
/// (concurrent sequences or prompts, possibly real-valued for curves) into an `EvalRow`. A new
/// serving mode is a new type conforming to this protocol.
public protocol StepModel: Sendable {
    var phase: Phase { get }
    /// The value of the row's `context` column.
    var context: Int { get }
    /// The row of `d` at `batch` sequences (decode), prompts (prefill) or concurrent requests.
    func evaluate(_ d: SharedDeployment, batch: Double) -> EvalRow
}

extension StepModel {
    /// The row of `d` at `batch`, wrapping it in a `SharedDeployment` of its own.
    public func evaluate(_ d: Deployment, batch: Double) -> EvalRow { evaluate(SharedDeployment(d), batch: batch) }
    public func evaluate(_ d: Deployment, batch: Int) -> EvalRow { evaluate(SharedDeployment(d), batch: Double(batch)) }
}

/// One decode step: `batch` sequences each generate a token with `context` tokens cached.
/// TPOT = step time; tokens/s and $/Mtok count the B generated tokens.
public struct DecodeStep: StepModel {
    /// S: tokens cached per decoding sequence.
    public var context: Int
    public init(context: Int) { self.context = context }
    public var phase: Phase { .decode }
    public func evaluate(_ d: SharedDeployment, batch: Double) -> EvalRow {
        var r = d.value.servedStep(.decode(batch: batch, context: Double(context)))
        r.memoryBytes = d.value.decodingBytes(sequences: batch, context: Double(context))
        let tau = d.value.tokensPerDecodeStep
        return EvalRow(deployment: d, phase: .decode, batch: batch, context: context, step: r, tokensPerStep: batch * tau,
                       peakContext: context, tpot: r.stepTime / tau, sequenceTokensPerStep: tau)
    }
}

/// Prefill of `batch` prompts of `context` tokens at once; the step time is the TTFT of a prompt
/// that arrives alone. tokens/s and $/Mtok count prompt tokens.
public struct PrefillStep: StepModel {
    /// Prompt tokens per sequence.
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
    /// The chunk size prompts are prefilled in.
    public var serving: ServingOptions
    public init(workload: Workload, serving: ServingOptions = .default) { self.workload = workload; self.serving = serving }
    public var phase: Phase { .request }
    /// The workload's input tokens (the row's `context` column).
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
        if let split = d.mode.disaggregated, workload.outputTokens > 1 { return disaggregated(shared, split, batch: b) }
        let input = Double(workload.inputTokens), output = Double(workload.outputTokens)
        let peak = workload.peakContext
        let held = d.weightBytes + b * d.model.attendedContext(Double(peak)) * d.kvBytesPerCachedToken

        if workload.outputTokens <= 1 {
            // Prefill only: B prompts per step, one token out of each. Disaggregated pools do it
            // on their P prefill GPUs (the decode pool idles, and is still paid for).
            var r = d.step(.prefill(batch: b, tokens: input))
            r.memoryBytes = held
            let prefillReplicas = d.mode.disaggregated.map { Double($0.prefillGPUs) / Double(d.replicaGPUs) } ?? 1
            let rps = b / r.stepTime * prefillReplicas
            let usd = d.usdPerRequest(requestsPerSecond: rps, .rented) ?? .infinity
            let metrics = RequestMetrics(ttft: r.stepTime, tpot: nil, e2e: r.stepTime, requestsPerSecond: rps,
                                         usdPerRequest: usd, prefillSeconds: 1 / rps, decodeSeconds: 0,
                                         usdPerMtokInput: usd / input * 1e6, usdPerMtokOutput: 0,
                                         usdPerRequestOwned: d.usdPerRequest(requestsPerSecond: rps, .owned), joulesPerRequest: d.watts.map { $0 / rps })
            return EvalRow(deployment: shared, phase: .request, batch: b, context: workload.inputTokens, workload: workload, step: r,
                           tokensPerStep: rps * output * r.stepTime, peakContext: peak, ttft: r.stepTime, tpot: nil, request: metrics)
        }

        let chunks = self.chunks
        // With speculative decoding a sequence advances τ tokens per step, so it leaves after
        // (O − 1)/τ steps and B·τ/(O − 1) prompts arrive per step.
        let tau = d.tokensPerDecodeStep
        let share = b * tau / (output - 1)          // prompts arriving per decode step
        let decodeOnly = StepWork.decode(batch: b, context: workload.meanDecodeContext)
        var averageWork = decodeOnly
        averageWork.prompts = [PromptChunk(count: share, tokens: input, cached: 0, finishes: true,
                                           chunkTokens: Double(max(1, serving.prefillChunkTokens)))]
        var avg = d.servedStep(averageWork)
        avg.memoryBytes = d.decodingBytes(sequences: b, context: Double(peak))
        let tpot = avg.stepTime / tau
        let rps = b / ((output - 1) * tpot)
        var ttft = 0.0, prefillAlone = 0.0
        for c in chunks {
            var withChunk = averageWork
            withChunk.prompts.append(c)
            ttft += d.servedStep(withChunk).stepTime + d.draftPrefillTime(c)
            prefillAlone += d.step(StepWork(prompts: [c])).stepTime
        }
        let decodeAlone = (output - 1) * d.servedStep(decodeOnly).stepTime / (b * tau)
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
                       tokensPerStep: rps * output * avg.stepTime, peakContext: peak, ttft: ttft, tpot: tpot, request: metrics,
                       sequenceTokensPerStep: tau)
    }

    /// Prefill on a pool of P GPUs, decode on a pool of D GPUs, each a whole number of replicas;
    /// `batch` is the sequences each decode replica holds.
    ///
    /// - A decode replica runs decode-only steps at the mean context: TPOT = step ÷ τ and it
    ///   finishes B/((O − 1)·TPOT) requests per second.
    /// - A prefill replica prefills prompts without decode beside them, its chunks one after the
    ///   other (prompts shorter than a chunk are batched up to a chunk): TTFT = the prompt's
    ///   chunks alone + `kv_transfer_s`, the prompt's KV (I × KV bytes per token) over the link.
    /// - The pools finish min(P/n × prefill rate, D/n × decode rate) requests per second; the
    ///   balanced P:D is decode rate ÷ prefill rate (GPU-seconds of each phase per request).
    /// - $/request = (P + D) GPUs × price ÷ requests/s; input and output tokens split it in
    ///   proportion to the GPU-seconds each pool spends per request.
    func disaggregated(_ shared: SharedDeployment, _ split: Disaggregation, batch b: Double) -> EvalRow {
        let d = shared.value
        let input = Double(workload.inputTokens), output = Double(workload.outputTokens)
        let n = Double(d.replicaGPUs)
        let tau = d.tokensPerDecodeStep
        var avg = d.servedStep(.decode(batch: b, context: workload.meanDecodeContext))
        avg.memoryBytes = d.decodingBytes(sequences: b, context: Double(workload.peakContext))
        let tpot = avg.stepTime / tau
        let decodeRate = b / ((output - 1) * tpot)
        let prefillOne = chunks.reduce(0.0) { $0 + d.step(StepWork(prompts: [$1])).stepTime + d.draftPrefillTime($1) }
        let chunk = Double(max(1, serving.prefillChunkTokens))
        let prefillRate: Double
        if input >= chunk {
            // Long prompts one after another; with pipeline stages pp of them are in flight.
            prefillRate = Double(d.pp) / prefillOne
        } else {
            let together = (chunk / input).rounded(.down)
            prefillRate = together / d.step(.prefill(batch: together, tokens: input)).stepTime
        }
        let transfer = d.kvTransferTime(tokens: input)
        let prefillReplicas = Double(split.prefillGPUs) / n, decodeReplicas = Double(split.decodeGPUs) / n
        let rps = Swift.min(prefillReplicas * prefillRate, decodeReplicas * decodeRate)
        let ttft = prefillOne + transfer
        let usd = d.usdPerRequest(requestsPerSecond: rps, .rented) ?? .infinity
        let inputShare = Double(split.prefillGPUs) / Double(split.prefillGPUs + split.decodeGPUs)
        let metrics = RequestMetrics(ttft: ttft, tpot: tpot, e2e: ttft + (output - 1) * tpot, requestsPerSecond: rps,
                                     usdPerRequest: usd, prefillSeconds: inputShare / rps, decodeSeconds: (1 - inputShare) / rps,
                                     usdPerMtokInput: usd * inputShare / input * 1e6,
                                     usdPerMtokOutput: usd * (1 - inputShare) / output * 1e6,
                                     usdPerRequestOwned: d.usdPerRequest(requestsPerSecond: rps, .owned), joulesPerRequest: d.watts.map { $0 / rps },
                                     kvTransfer: transfer, balancedPrefillToDecode: decodeRate / prefillRate)
        return EvalRow(deployment: shared, phase: .request, batch: b, context: workload.inputTokens, workload: workload, step: avg,
                       tokensPerStep: rps * output * avg.stepTime, peakContext: workload.peakContext, ttft: ttft, tpot: tpot,
                       request: metrics, sequenceTokensPerStep: tau)
    }
}

extension Deployment {
    /// τ: tokens a decoding sequence advances per step (1 without speculative decoding).
    public var tokensPerDecodeStep: Double { mode.speculative?.expectedTokens ?? 1 }

    /// A step as the serving mode runs it. With speculative decoding every decoding sequence
    /// verifies k + 1 positions in the target's step (one weight and KV read, k + 1 times the
    /// FLOPs), and the draft's k decode steps are added: a draft model's steps on the same GPUs,
    /// or MTP heads costing f of the target's L layers plus its full LM head per drafted token.
    public func servedStep(_ w: StepWork) -> StepResult {
        guard let s = mode.speculative, w.decodeSequences > 0 else { return step(w) }
        var verify = w
        verify.decodePositions = Double(s.draftTokens + 1)
        var r = step(verify)
        r.add(draftStep(s, batch: w.decodeSequences, context: w.decodeContext), times: Double(s.draftTokens))
        return r
    }

    /// The draft's own prefill of a prompt chunk (it needs the prompt's KV too): a draft model's
    /// prefill on the same GPUs, or f/L of the target's. Counted in TTFT; the throughput leaves
    /// it out (it rides along the draft's decode steps).
    public func draftPrefillTime(_ c: PromptChunk) -> Double {
        guard let s = mode.speculative else { return 0 }
        switch s.draft {
        case .model(let m): return draftDeployment(m).step(StepWork(prompts: [c])).stepTime
        case .mtp(let f): return step(StepWork(prompts: [c])).stepTime * f / Double(max(1, model.layers))
        }
    }

    /// One draft step of `batch` sequences at `context` cached tokens.
    func draftStep(_ s: Speculative, batch: Double, context: Double) -> StepResult {
        switch s.draft {
        case .model(let m):
            return draftDeployment(m).step(.decode(batch: batch, context: context))
        case .mtp(let f):
            // f layers' worth of the body, but the whole LM head: every drafted token needs its
            // logits over the full vocabulary.
            let share = f / Double(max(1, model.layers))
            var r = step(.decode(batch: batch, context: context))
            r.scale(by: share)
            let headBytes = k.lmHeadParams * k.embeddingBytes * k.readFactor * (1 - share)
            let headFlops = lmHeadFlopsPerLogit * batch * (1 - share)
            let tc = headFlops / peakFlops, tm = headBytes / bandwidth
            r.flops += headFlops; r.weightBytesRead += headBytes
            r.computeTime += tc; r.weightTime += tm; r.memoryTime += tm
            r.stepTime += Swift.max(tc, tm)
            return r
        }
    }

    /// The draft model on this replica's GPUs (tensor parallel over all of them, plain mode).
    func draftDeployment(_ m: Model) -> Deployment {
        Deployment(gpu: gpu, model: m, gpus: replicaGPUs, kv: kv, efficiency: efficiency, convention: convention,
                   reserveFraction: reserveFraction, usdPerHour: usdPerHour, storage: storage, economics: economics)
    }

    /// Memory `sequences` decoding sequences of `context` tokens hold: the weights, their KV and
    /// the draft's weights and KV.
    func decodingBytes(sequences: Double, context: Double) -> Double {
        weightBytes + sequences * model.attendedContext(context) * kvBytesPerCachedToken + draftMemoryBytes(sequences: sequences, context: context)
    }

    /// Memory the draft needs beside the target for `sequences` sequences of `context` tokens:
    /// a draft model's weights and KV, or f/L of the target's (the MTP layers).
    public func draftMemoryBytes(sequences: Double, context: Double) -> Double {
        guard let s = mode.speculative else { return 0 }
        switch s.draft {
        case .model(let m):
            let dd = draftDeployment(m)
            return dd.weightBytes + sequences * m.attendedContext(context) * dd.kvBytesPerCachedToken
        case .mtp(let f):
            let share = f / Double(max(1, model.layers))
            return share * (weightBytes + sequences * model.attendedContext(context) * kvBytesPerCachedToken)
        }
    }

    /// Bytes/s of the link a disaggregated prompt's KV crosses: the spec's `link_gbs`, else
    /// each of the replica's GPUs sending its share over its scale-out link (one direction).
    public var kvTransferBandwidth: Double {
        if let b = mode.disaggregated?.linkBandwidth { return b }
        return Double(replicaGPUs) * gpu.links.scaleOutBandwidth / 2
    }

    /// kv_transfer_s: the KV a prompt of `tokens` tokens leaves (bytes per token, unreplicated;
    /// a sliding window keeps only the window) over the link.
    public func kvTransferTime(tokens: Double) -> Double {
        let bw = kvTransferBandwidth
        return bw > 0 ? model.attendedContext(tokens) * kvBytesPerToken / bw : .infinity
    }
}

extension StepResult {
    /// Adds `times` copies of `o` (a step run after this one): FLOPs, bytes and every time term.
    mutating func add(_ o: StepResult, times n: Double) {
        flops += n * o.flops; weightBytesRead += n * o.weightBytesRead; kvBytes += n * o.kvBytes
        computeTime += n * o.computeTime; weightTime += n * o.weightTime; kvTime += n * o.kvTime
        memoryTime += n * o.memoryTime; interconnectTime += n * o.interconnectTime; overheadTime += n * o.overheadTime
        stepTime += n * o.stepTime
        bound = StepResult.bound(compute: computeTime, memory: memoryTime, interconnect: interconnectTime, overhead: overheadTime)
    }

    /// Scales FLOPs, bytes and times by `f` (a fraction of a step).
    mutating func scale(by f: Double) {
        flops *= f; weightBytesRead *= f; kvBytes *= f
        computeTime *= f; weightTime *= f; kvTime *= f; memoryTime *= f; interconnectTime *= f; overheadTime *= f; stepTime *= f
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
    /// Requests completed per second in steady state, by the replica (disaggregated: by both pools).
    public var requestsPerSecond: Double
    /// Rented cost of one request, US dollars: the billed GPUs' $/s ÷ `requestsPerSecond`.
    public var usdPerRequest: Double
    /// Replica time per request spent prefilling and decoding, s (they add to 1/requests_per_s).
    public var prefillSeconds: Double
    /// Replica time per request attributed to decoding, s.
    public var decodeSeconds: Double
    /// The prefill share of `usdPerRequest`, per million input tokens.
    public var usdPerMtokInput: Double
    /// The decode share of `usdPerRequest`, per million output tokens.
    public var usdPerMtokOutput: Double
    /// Cost per request with owned GPUs (nil without a purchase price or board power).
    public var usdPerRequestOwned: Double? = nil
    /// Energy at the boards per request, J (nil without board power).
    public var joulesPerRequest: Double? = nil
    /// Disaggregated serving: time to ship the prompt's KV to the decode pool, s.
    public var kvTransfer: Double? = nil
    /// Disaggregated serving: the P:D GPU ratio at which neither pool waits for the other.
    public var balancedPrefillToDecode: Double? = nil
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
