import Foundation

/// Tokens of `count` prompts that one step prefills: each prompt contributes `tokens` new tokens
/// on top of `cached` tokens earlier chunks stored. With `chunkTokens` set, the tokens stand for a
/// whole prompt prefilled in chunks of that size (each chunk reads the KV of the chunks before
/// it) — the work of all its chunks at once, for steady-state averages. Counts may be real-valued.
public struct PromptChunk: Sendable, Hashable {
    /// Prompts of this shape in the step (real-valued for steady-state averages).
    public var count: Double
    /// New tokens of each prompt this step passes through the model.
    public var tokens: Double
    /// Tokens of each prompt already in the KV cache from earlier chunks.
    public var cached: Double
    /// Whether this chunk ends its prompts, so their last position's logits are computed.
    public var finishes: Bool
    /// Chunk size when `tokens` spans several chunks (nil: one chunk).
    public var chunkTokens: Double?
    public init(count: Double, tokens: Double, cached: Double = 0, finishes: Bool = true, chunkTokens: Double? = nil) {
        self.count = count; self.tokens = tokens; self.cached = cached; self.finishes = finishes; self.chunkTokens = chunkTokens
    }
}

extension Model {
    /// Cached tokens the chunks of one prompt read back: Σ over chunks of min(cached before the
    /// chunk, window), for `tokens` new tokens after `cached` in chunks of `chunk`.
    func chunkedKVReads(cached: Double, tokens: Double, chunk: Double?) -> Double {
        guard let c = chunk, c > 0, tokens > c else { return attendedContext(cached) }
        let n = (tokens / c).rounded(.up)           // chunks; cached before chunk k is cached + k·c
        let full = n * cached + c * n * (n - 1) / 2
        guard let w = slidingWindow.map(Double.init) else { return full }
        // Chunks starting before the window fills read cached + k·c; the rest read the window
        // (on the windowed layers; full layers read everything).
        let below = Swift.min(n, Swift.max(0, ((w - cached) / c).rounded(.up)))
        let windowed = below * cached + c * below * (below - 1) / 2 + (n - below) * w
        let share = windowedLayerShare
        return share * windowed + (1 - share) * full
    }
}

/// The work one step of a replica does: sequences that each generate one token, and prompt
/// tokens being prefilled — alone, or together in one step (continuous batching with chunked
/// prefill). Counts may be real-valued (for curves, solvers and steady-state averages).
public struct StepWork: Sendable, Hashable {
    /// B: sequences that each generate one token this step.
    public var decodeSequences: Double = 0
    /// S: tokens each decoding sequence has cached (it attends over them).
    public var decodeContext: Double = 0
    /// Positions each decoding sequence passes through the model: 1, or k + 1 when a
    /// speculative step verifies k drafted tokens (they share one read of the sequence's KV).
    public var decodePositions: Double = 1
    /// Prompt chunks prefilled in this step.
    public var prompts: [PromptChunk] = []

    /// `decodePositions` starts at 1 (`servedStep` raises it for speculative verification).
    public init(decodeSequences: Double = 0, decodeContext: Double = 0, prompts: [PromptChunk] = []) {
        self.decodeSequences = decodeSequences; self.decodeContext = decodeContext; self.prompts = prompts
    }

    /// A decode step: `batch` sequences with `context` tokens cached each.
    public static func decode(batch: Double, context: Double) -> StepWork {
        StepWork(decodeSequences: batch, decodeContext: context)
    }
    /// A prefill step: `batch` whole prompts of `tokens` tokens.
    public static func prefill(batch: Double, tokens: Double) -> StepWork {
        StepWork(prompts: [PromptChunk(count: batch, tokens: tokens)])
    }

    /// Tokens that pass through the weights: B·q + Σ prompts × chunk.
    public var tokens: Double { decodeSequences * decodePositions + prompts.reduce(0) { $0 + $1.count * $1.tokens } }
    /// Positions whose logits are computed: every decoding position, and the last position of
    /// each prompt the step finishes (serving engines compute no logits for the others).
    public var logitPositions: Double { decodeSequences * decodePositions + prompts.reduce(0) { $0 + ($1.finishes ? $1.count : 0) } }
    /// Sequences in the step: decoding ones and prompts.
    public var sequences: Double { decodeSequences + prompts.reduce(0) { $0 + $1.count } }

    /// The same step with every count divided by `m` (one of m pipeline micro-batches).
    func split(into m: Double) -> StepWork {
        guard m != 1 else { return self }
        var w = self
        w.decodeSequences /= m
        for i in w.prompts.indices { w.prompts[i].count /= m }
        return w
    }
}

/// The evaluated cost of one step of one deployment: FLOPs, bytes and the time of each term.
/// Times in seconds, bytes in bytes, FLOPs for the whole replica.
public struct StepResult: Sendable, Hashable {
    public var work: StepWork
    /// FLOPs of the step for the whole replica (every pipeline micro-batch).
    public var flops: Double
    /// Bytes moved to or from memory this step (weights read + KV read and written).
    public var bytes: Double { weightBytesRead + kvBytes }
    /// Weight bytes the step reads under the convention (MoE: the experts it touches).
    public var weightBytesRead: Double
    /// KV-cache bytes read (decode context, earlier prompt chunks) and written (prompt tokens).
    public var kvBytes: Double
    /// Compute term, seconds: one pass's FLOPs at the effective peak (pp = 1: the whole step's), plus
    /// any speculative draft steps and the wait a lone prompt causes under data-parallel attention.
    public var computeTime: Double
    /// Time to read one pass's weight bytes (pp = 1: the step's) at the effective bandwidth, seconds.
    public var weightTime: Double
    /// Time to read and write one pass's KV bytes (pp = 1: the step's) at the effective bandwidth, seconds.
    public var kvTime: Double
    /// Weight and KV time combined under the convention (they add on one bus).
    public var memoryTime: Double
    /// All-reduce time: latency and bytes of every collective.
    public var interconnectTime: Double
    /// Fixed per-step overhead of the efficiency model.
    public var overheadTime: Double
    /// max(compute, memory) + interconnect + overhead.
    public var stepTime: Double
    /// The largest term: compute or memory, unless the collectives or the overhead exceed both.
    public var bound: Bound
    /// Weights plus the KV the step's sequences hold, bytes.
    public var memoryBytes: Double
    /// Memory of all the replica's GPUs, bytes.
    public var capacityBytes: Double
    /// Capacity less the reserve fraction, bytes.
    public var usableBytes: Double

    /// The slowest term.
    static func bound(compute tc: Double, memory tm: Double, interconnect tn: Double, overhead to: Double) -> Bound {
        let roof = Swift.max(tc, tm)
        if to > roof && to > tn { return .overhead }
        if tn > roof { return .interconnect }
        return tc >= tm ? .compute : .memory
    }

    /// Arithmetic intensity F/Q, FLOP/byte.
    public var intensity: Double { flops / bytes }
    /// Achieved FLOP/s (F/t).
    public var achievedFlops: Double { flops / stepTime }
    /// Whether `memoryBytes` ≤ `usableBytes`.
    public var fits: Bool { memoryBytes <= usableBytes }
}

extension Deployment {
    /// The one step formula of Ridgepoint.
    ///
    /// - FLOPs F = (2·(A − embeddings))·T + 2·V·d·(logit positions) + a·(attended pairs), with T
    ///   the tokens through the weights and a = 4·L·h_q·d_h the attention FLOPs per attended
    ///   context token (decode: B·min(S, window); prefill: the causal pairs of each chunk).
    /// - Bytes Q = weights read (body, LM head, gathered embedding rows) + KV read + KV written.
    /// - Time t = max(F/(Π·n·e_c), Q/(β·n·e_m)) + all-reduces + per-step overhead.
    ///
    /// Example: Llama-3-8B on an H100 SXM, B = 1, S = 512, ideal: 15.01 GB of weights (the
    /// 0.53 B-parameter input table is a gather of one row) + 67.1 MB of KV over 3.35 TB/s
    /// = 4.50 ms.
    ///
    /// With pp pipeline stages the step's sequences split into m = min(pp, sequences)
    /// micro-batches that follow each other through the stages: the step time is one
    /// micro-batch's pass through all stages (each on tp GPUs) plus pp − 1 activation hops, and
    /// in that time the m micro-batches all advance (a bubble of 1 − m/pp when m < pp). FLOPs
    /// and bytes are those of all m micro-batches; the time terms those of one pass. A lone
    /// prompt chunk rides whole in one micro-batch, whose pass then sets the step time.
    public func step(_ whole: StepWork) -> StepResult {
        var r = pipelined(whole)
        // Data-parallel attention: a lone prompt lives on one GPU, so its attention and other
        // non-expert math run there alone, and the MoE layers' exchange makes the others wait:
        // of its non-expert FLOPs F, (tp − 1)/tp more than the even spread assumed.
        if dpAttention && tp > 1 {
            var extra = 0.0
            for p in whole.prompts where p.count <= 1 && p.chunkTokens == nil {
                let pairs = model.causalPairs(p.cached + p.tokens) - model.causalPairs(p.cached)
                let f = p.count * (2 * k.fixedBodyParams * p.tokens + attentionFlopsPerContextToken * pairs)
                extra += f * Double(tp - 1) / peakFlops
            }
            if extra > 0 { r.computeTime += extra; r.stepTime += extra }
        }
        return r
    }

    func pipelined(_ whole: StepWork) -> StepResult {
        guard k.pp > 1 else { return pass(whole) }
        let m = Swift.min(k.pp, Swift.max(1, whole.sequences))
        guard m > 1 else { return pass(whole) }
        // A lone prompt (one chunk of one request, e.g. the one whose TTFT is being timed) rides
        // in one micro-batch whole; everything else divides evenly. The step is the pass of the
        // heaviest micro-batch; FLOPs and bytes count every micro-batch.
        var rest = whole
        rest.prompts = whole.prompts.filter { !($0.count <= 1 && $0.chunkTokens == nil) }
        let lone = whole.prompts.filter { $0.count <= 1 && $0.chunkTokens == nil }
        var light = rest.split(into: m)
        if lone.isEmpty {
            var r = pass(light)
            r.work = whole
            r.flops *= m; r.weightBytesRead *= m; r.kvBytes *= m
            r.memoryBytes = weightBytes + (r.memoryBytes - weightBytes) * m
            return r
        }
        let lightResult = pass(light)
        light.prompts += lone
        var r = pass(light)
        r.work = whole
        r.flops += (m - 1) * lightResult.flops
        r.weightBytesRead += (m - 1) * lightResult.weightBytesRead
        r.kvBytes += (m - 1) * lightResult.kvBytes
        r.memoryBytes += (m - 1) * (lightResult.memoryBytes - weightBytes)
        return r
    }

    /// One pass of `w` through the whole model on one stage's tp GPUs (with pp = 1, the step).
    func pass(_ w: StepWork) -> StepResult {
        let t = w.tokens
        let decodeHeld = w.decodeSequences * model.attendedContext(w.decodeContext)
        var attended = decodeHeld * w.decodePositions, kvReadTokens = decodeHeld, kvWriteTokens = 0.0, held = decodeHeld
        for p in w.prompts {
            attended += p.count * (model.causalPairs(p.cached + p.tokens) - model.causalPairs(p.cached))
            kvReadTokens += p.count * model.chunkedKVReads(cached: p.cached, tokens: p.tokens, chunk: p.chunkTokens)
            kvWriteTokens += p.count * p.tokens
            held += p.count * model.attendedContext(p.cached + p.tokens)
        }
        let flops = bodyFlopsPerToken * t + lmHeadFlopsPerLogit * w.logitPositions + attentionFlopsPerContextToken * attended
        let weightRead = weightBytesRead(tokens: t)
        let kvc = kvBytesPerCachedToken
        let kvRead = kvReadTokens * kvc, kvWrite = kvWriteTokens * kvc
        let tc = flops / peakFlops
        let tw = weightRead / bandwidth, tkv = (kvRead + kvWrite) / bandwidth
        let tm = convention.memoryStreams == .sum ? tw + tkv : Swift.max(tw, tkv)
        let tn = allReduceTime(tokens: t)
        let to = efficiency.overhead + efficiency.overheadPerSequence * w.sequences
        let roof = Swift.max(tc, tm)
        let bound = StepResult.bound(compute: tc, memory: tm, interconnect: tn, overhead: to)
        return StepResult(
            work: w, flops: flops, weightBytesRead: weightRead, kvBytes: kvRead + kvWrite, computeTime: tc, weightTime: tw,
            kvTime: tkv, memoryTime: tm, interconnectTime: tn, overheadTime: to, stepTime: roof + tn + to, bound: bound,
            memoryBytes: weightBytes + held * kvc, capacityBytes: capacityBytes, usableBytes: usableBytes)
    }

    /// $/Mtok for `seconds` of the replica spread over `tokens` tokens.
    public func usdPerMtok(seconds: Double, tokens: Double) -> Double { dollarsPerSecond * seconds / tokens * 1e6 }
}
