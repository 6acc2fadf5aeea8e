import Foundation

/// Decode (one new token per sequence) or prefill (a whole prompt).
public enum Phase: String, Sendable, Codable, CaseIterable { case decode, prefill }

/// What limits a step.
public enum Bound: String, Sendable, Codable { case compute, memory, interconnect }

/// One replica: a model served on `gpus` identical GPUs with tensor parallelism, at given
/// precisions, efficiencies and counting convention. All derived quantities are in SI units.
public struct Deployment: Sendable, Hashable {
    public var gpu: GPU
    public var model: Model
    /// n: GPUs per replica (tensor parallel degree).
    public var gpus: Int
    public var weights: WeightFormat
    public var kv: KVFormat
    public var efficiency: Efficiency
    public var convention: Convention
    /// Fraction of memory kept free for activations, workspace and fragmentation (0…0.9).
    public var reserveFraction: Double
    /// $/GPU-hour used for cost (the GPU's default unless overridden).
    public var usdPerHour: Double
    /// Bytes per activation element exchanged in all-reduces (bf16).
    public var activationBytes: Double = 2

    public init(gpu: GPU, model: Model, gpus: Int = 1, weights: WeightFormat = .bf16, kv: KVFormat = .bf16,
                efficiency: Efficiency = .ideal, convention: Convention = .physical, reserveFraction: Double = 0.1,
                usdPerHour: Double? = nil) {
        self.gpu = gpu; self.model = model; self.gpus = max(1, gpus); self.weights = weights; self.kv = kv
        self.efficiency = efficiency; self.convention = convention; self.reserveFraction = reserveFraction
        self.usdPerHour = usdPerHour ?? gpu.price.usdPerHour
    }

    // MARK: Hardware of the replica

    /// Precision the matrix math runs in.
    public var computePrecision: Precision { gpu.computePrecision(for: weights) }
    /// Π per GPU at the compute precision (dense, or sparse under a seed-003 convention), FLOP/s.
    public var peakPerGPU: Double { gpu.peak(computePrecision, sparse: convention.sparsePeak) ?? 0 }
    /// Π·n·e_c, FLOP/s.
    public var peakFlops: Double { peakPerGPU * Double(gpus) * efficiency.compute }
    /// β·n·e_m, bytes/s.
    public var bandwidth: Double { gpu.bandwidth * Double(gpus) * efficiency.memory }
    /// Ridge point of the replica, Π_eff/β_eff, FLOP/byte (equal to the GPU's Π/β when ideal).
    public var ridge: Double { peakFlops / bandwidth }
    /// C_mem·n, bytes.
    public var capacityBytes: Double { gpu.memoryBytes * Double(gpus) }
    /// Capacity less the reserve, bytes.
    public var usableBytes: Double { capacityBytes * (1 - reserveFraction) }
    /// Per-direction link bandwidth × e_net, bytes/s (the datasheet figure counts both directions).
    public var linkBandwidth: Double { gpu.interconnectBandwidth / 2 * efficiency.interconnect }
    /// $/s for the whole replica.
    public var dollarsPerSecond: Double { usdPerHour * Double(gpus) / 3600 }

    // MARK: Model at these precisions

    /// N·b_w: weight bytes resident in memory.
    public var weightBytes: Double { model.totalParams * weights.bytes }
    /// KV-cache bytes per token (across all layers), before tensor-parallel replication.
    public var kvBytesPerToken: Double { model.kvBytesPerToken(kv.bytes) }
    /// How many copies of each KV head the replica keeps: with n > h_kv ranks the heads are
    /// replicated (n/h_kv), and an MLA latent is shared by all heads so every rank holds it.
    public var kvReplication: Double {
        if model.mla != nil { return Double(gpus) }
        return max(1, Double(gpus) / Double(model.kvHeads))
    }
    /// Weight bytes a step that processes `tokens` tokens reads, under the convention
    /// (MoE: only the experts the tokens touch).
    public func weightBytesRead(tokens: Double) -> Double {
        model.paramsTouched(tokens: tokens) * weights.bytes * convention.weightReadFactor
    }

    /// Attention FLOPs per cached token under the convention (0 when the convention ignores them).
    public var attentionFlopsPerContextToken: Double {
        convention.attentionFlops ? model.attentionFlopsPerContextToken : 0
    }

    // MARK: Steps

    /// One decode step: `batch` sequences, each with `context` tokens already cached.
    ///
    /// FLOPs F = 2·A·B + a·S·B (a = attention FLOPs per cached token); bytes Q = weights read +
    /// B·S·kv; t = max(F/Π, Q/β) + t_allreduce. Example: Llama-2-13B on an A100 (β = 2 TB/s),
    /// B = 1, S = 0: Q ≈ 26 GB, t ≈ 13 ms, ≈ 77 tokens/s.
    public func decode(batch: Int, context: Int) -> StepResult {
        let b = Double(batch), s = Double(context)
        let flops = 2 * model.activeParams * b + attentionFlopsPerContextToken * s * b
        let wRead = weightBytesRead(tokens: b)
        let kvRead = b * s * kvBytesPerToken * kvReplication
        let resident = weightBytes + b * s * kvBytesPerToken * kvReplication
        return step(.decode, batch: batch, context: context, flops: flops, weightRead: wRead, kvBytes: kvRead,
                    allReduceTokens: b, tokens: b, resident: resident)
    }

    /// Prefill of `batch` prompts of `context` tokens (causal attention); its time is the TTFT.
    ///
    /// F = 2·A·B·S + a·S²·B/2; bytes = weights read + KV written (B·S·kv).
    public func prefill(batch: Int, context: Int) -> StepResult {
        let b = Double(batch), s = Double(context)
        let flops = 2 * model.activeParams * b * s + attentionFlopsPerContextToken * s * s / 2 * b
        let wRead = weightBytesRead(tokens: b * s)
        let kvWrite = b * s * kvBytesPerToken * kvReplication
        return step(.prefill, batch: batch, context: context, flops: flops, weightRead: wRead, kvBytes: kvWrite,
                    allReduceTokens: b * s, tokens: b * s, resident: weightBytes + kvWrite)
    }

    /// All-reduce time for `tokens` activations: two ring all-reduces per layer, each moving
    /// 2(n−1)/n × tokens·d·bytes per GPU over the per-direction link bandwidth.
    public func allReduceTime(tokens: Double) -> Double {
        guard gpus > 1 else { return 0 }
        let n = Double(gpus)
        let message = tokens * Double(model.hiddenSize) * activationBytes
        let perGPU = 2 * Double(model.layers) * 2 * (n - 1) / n * message
        guard linkBandwidth > 0 else { return .infinity }
        return perGPU / linkBandwidth
    }

    private func step(_ phase: Phase, batch: Int, context: Int, flops: Double, weightRead: Double, kvBytes: Double,
                      allReduceTokens: Double, tokens: Double, resident: Double) -> StepResult {
        let tc = flops / peakFlops
        let tw = weightRead / bandwidth, tkv = kvBytes / bandwidth
        let tm = convention.memoryStreams == .sum ? tw + tkv : Swift.max(tw, tkv)
        let tn = allReduceTime(tokens: allReduceTokens)
        let t = Swift.max(tc, tm) + tn
        let bound: Bound = tn > Swift.max(tc, tm) ? .interconnect : (tc >= tm ? .compute : .memory)
        let perMtok = dollarsPerSecond / tokens * 1e6
        return StepResult(
            phase: phase, batch: batch, context: context, flops: flops, bytes: weightRead + kvBytes,
            weightBytesRead: weightRead, kvBytes: kvBytes, computeTime: tc, weightTime: tw, kvTime: tkv,
            memoryTime: tm, interconnectTime: tn, stepTime: t, bound: bound, tokensPerStep: tokens,
            memoryBytes: resident, capacityBytes: capacityBytes, usableBytes: usableBytes,
            usdPerMtok: t * perMtok, usdPerMtokWeights: tw * perMtok, usdPerMtokKV: tkv * perMtok,
            usdPerMtokCompute: tc * perMtok, usdPerMtokInterconnect: tn * perMtok)
    }

    // MARK: Derived thresholds

    /// Balance batch B* = (Π/β)·(N·b_w)/(2·A): the batch at which the weight fetch takes as long
    /// as the matrix math (KV traffic ignored; all experts touched). Dense bf16: B* = I*.
    public var balanceBatch: Double {
        ridge * model.totalParams * weights.bytes * convention.weightReadFactor / (2 * model.activeParams)
    }

    /// The context S beyond which no batch size reaches the compute roof in decode:
    /// S_max = 2·A·β / (Π·kv − a·β), where a is the attention FLOPs per cached token (nil: never).
    /// Without the attention term this is DESIGN's 2·A·β/(Π·kv).
    public var computeBoundContextLimit: Double? {
        let kv = kvBytesPerToken * kvReplication
        let denom = peakFlops * kv - attentionFlopsPerContextToken * bandwidth
        guard denom > 0 else { return nil }
        return 2 * model.activeParams * bandwidth / denom
    }

    /// The same limit without the attention FLOPs: 2·A·β/(Π·kv) (DESIGN.md's form).
    public var computeBoundContextLimitWeightsOnly: Double {
        2 * model.activeParams * bandwidth / (peakFlops * kvBytesPerToken * kvReplication)
    }

    /// Smallest batch whose decode step at `context` is compute-bound (the knee of the
    /// throughput curve), or nil if none is (context beyond the limit). Solved numerically, so
    /// MoE expert coverage and the convention are honoured.
    public func kneeBatch(context: Int) -> Double? {
        func computeBound(_ b: Double) -> Bool {
            let flops = 2 * model.activeParams * b + attentionFlopsPerContextToken * Double(context) * b
            let tw = weightBytesRead(tokens: b) / bandwidth
            let tkv = b * Double(context) * kvBytesPerToken * kvReplication / bandwidth
            let tm = convention.memoryStreams == .sum ? tw + tkv : Swift.max(tw, tkv)
            return flops / peakFlops >= tm
        }
        var hi = 1.0
        while !computeBound(hi) {
            hi *= 2
            if hi > 1e9 { return nil }
        }
        if hi == 1 { return 1 }
        var lo = hi / 2
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if computeBound(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Context at which one sequence's KV reads equal the weight reads of a step at `batch`:
    /// S = W_read / (B·kv).
    public func kvWeightCrossoverContext(batch: Int = 1) -> Double {
        weightBytesRead(tokens: Double(batch)) / (Double(batch) * kvBytesPerToken * kvReplication)
    }

    /// Context at which attention FLOPs equal the weight FLOPs per token: S = 2·A / a.
    public var attentionDominanceContext: Double { 2 * model.activeParams / model.attentionFlopsPerContextToken }

    // MARK: Memory fit and concurrency

    /// Bytes left for the KV cache after weights and the reserve.
    public var kvBudgetBytes: Double { Swift.max(0, usableBytes - weightBytes) }

    /// Whether the weights alone fit in the usable memory.
    public var weightsFit: Bool { weightBytes <= usableBytes }

    /// Sequences that fit when each pre-allocates KV for `maxTokens` tokens.
    public func maxConcurrentPreallocated(maxTokens: Int) -> Int {
        let per = Double(maxTokens) * kvBytesPerToken * kvReplication
        return per > 0 ? Int((kvBudgetBytes / per).rounded(.down)) : 0
    }

    /// Sequences that fit when KV is paged in blocks of `blockTokens` and each sequence holds
    /// `meanTokens` tokens (rounded up to whole blocks).
    public func maxConcurrentPaged(meanTokens: Int, blockTokens: Int = 16) -> Int {
        let blocks = (meanTokens + blockTokens - 1) / blockTokens
        let per = Double(blocks * blockTokens) * kvBytesPerToken * kvReplication
        return per > 0 ? Int((kvBudgetBytes / per).rounded(.down)) : 0
    }

    /// Largest batch whose decode at `context` fits in usable memory (0 if the weights alone do not).
    public func maxBatchThatFits(context: Int) -> Int {
        let per = Double(context) * kvBytesPerToken * kvReplication
        guard weightsFit else { return 0 }
        guard per > 0 else { return Int.max }
        return Int((kvBudgetBytes / per).rounded(.down))
    }
}

/// The evaluated cost of one step (decode or prefill) of one deployment. Times in seconds,
/// bytes in bytes, FLOPs for the whole replica.
public struct StepResult: Sendable, Hashable {
    public var phase: Phase
    public var batch: Int
    public var context: Int
    public var flops: Double
    /// Bytes moved from/to memory this step (weights read + KV read or written).
    public var bytes: Double
    public var weightBytesRead: Double
    public var kvBytes: Double
    public var computeTime: Double
    public var weightTime: Double
    public var kvTime: Double
    public var memoryTime: Double
    public var interconnectTime: Double
    /// TPOT for decode, TTFT for prefill.
    public var stepTime: Double
    public var bound: Bound
    /// Tokens produced (decode: B) or consumed (prefill: B·S) by the step.
    public var tokensPerStep: Double
    /// Memory the step needs resident: weights + KV.
    public var memoryBytes: Double
    public var capacityBytes: Double
    public var usableBytes: Double
    public var usdPerMtok: Double
    public var usdPerMtokWeights: Double
    public var usdPerMtokKV: Double
    public var usdPerMtokCompute: Double
    public var usdPerMtokInterconnect: Double

    /// Arithmetic intensity F/Q, FLOP/byte.
    public var intensity: Double { flops / bytes }
    /// Tokens per second for the replica.
    public var tokensPerSecond: Double { tokensPerStep / stepTime }
    /// Achieved FLOP/s (F/t).
    public var achievedFlops: Double { flops / stepTime }
    public var fits: Bool { memoryBytes <= usableBytes }
}
