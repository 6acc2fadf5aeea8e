import Foundation

/// Thresholds and capacities derived from a deployment's coefficients and its step function.
extension Deployment {
    /// Balance batch B* = Π·W / (β·F): the batch at which reading every weight (all experts)
    /// takes as long as the matrix math of B tokens (KV traffic ignored). With F = 2·A and
    /// W = N·b_w this is DESIGN's (Π/β)·(N·b_w)/(2·A); dense bf16: B* = I*; MoE: × N/A.
    public var balanceBatch: Double {
        ridge * weightBytesRead(tokens: 0, expertTokens: .infinity) / flopsPerGeneratedToken
    }

    /// The context S beyond which no batch size reaches the compute roof in decode. As B grows the
    /// weight read is amortised away and each sequence costs F + a·S FLOPs against kv·S bytes,
    /// so compute-bound decode needs S < F·β / (Π·kv − a·β) (nil: never limited — the attention
    /// FLOPs outgrow the KV traffic, or a sliding window caps the KV read below the limit).
    public var computeBoundContextLimit: Double? {
        let denom = peakFlops * kvBytesPerCachedToken - attentionFlopsPerContextToken * bandwidth
        guard denom > 0 else { return nil }
        let limit = flopsPerGeneratedToken * bandwidth / denom
        if let w = model.slidingWindow, model.windowedLayerShare >= 1, limit >= Double(w) { return nil }
        return limit
    }

    /// The same limit without the attention FLOPs: F·β/(Π·kv), i.e. 2·A·β/(Π·kv) for a step of
    /// F = 2·A FLOPs per token (the textbook form of the compute-bound context limit).
    public var computeBoundContextLimitWeightsOnly: Double {
        flopsPerGeneratedToken * bandwidth / (peakFlops * kvBytesPerCachedToken)
    }

    /// Smallest batch whose decode step at `context` is compute-bound (the knee of the
    /// throughput curve), or nil if none is. Solved on the step function, so MoE expert coverage,
    /// the embedding gather and the convention are honoured.
    public func kneeBatch(context: Int) -> Double? {
        func computeBound(_ b: Double) -> Bool {
            let r = step(.decode(batch: b, context: Double(context)))
            return r.computeTime >= r.memoryTime
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
        weightBytesRead(tokens: Double(batch)) / (Double(batch) * kvBytesPerCachedToken)
    }

    /// Context at which attention FLOPs equal the other FLOPs of a generated token: S = F / a.
    public var attentionDominanceContext: Double { flopsPerGeneratedToken / model.attentionFlopsPerContextToken }

    /// Time to read the weights a step over `tokens` tokens reads (MoE: the experts of
    /// `expertTokens` routed tokens; `.infinity`: all of them), seconds: the latency floor.
    public func weightReadTime(tokens: Double, expertTokens: Double) -> Double {
        weightBytesRead(tokens: tokens, expertTokens: expertTokens) / bandwidth
    }

    /// Ridge point of one GPU at its datasheet peaks, Π/β (no efficiency), FLOP/byte.
    public var datasheetRidge: Double { peakPerGPU / bandwidthPerGPU }

    /// Decode tokens/s on the compute roof: Π / F (per replica).
    public var computeRoofTokensPerSecond: Double { peakFlops / flopsPerGeneratedToken }
    /// Decode tokens/s per sequence while memory-bound on the weights alone: β / W_read(1).
    public var weightBoundTokensPerSecondPerSequence: Double { bandwidth / weightBytesRead(tokens: 1) }

    // MARK: Memory fit and concurrency

    /// Bytes left for the KV cache after weights and the reserve.
    public var kvBudgetBytes: Double { Swift.max(0, usableBytes - weightBytes) }

    /// Whether the weights alone fit in the usable memory.
    public var weightsFit: Bool { weightBytes <= usableBytes }

    /// KV bytes one sequence of `tokens` tokens holds (a sliding window caps it).
    public func kvBytesPerSequence(tokens: Int) -> Double {
        model.attendedContext(Double(tokens)) * kvBytesPerCachedToken
    }

    /// Sequences that fit when each pre-allocates KV for `maxTokens` tokens.
    public func maxConcurrentPreallocated(maxTokens: Int) -> Int {
        let per = kvBytesPerSequence(tokens: maxTokens)
        return per > 0 ? Int((kvBudgetBytes / per).rounded(.down)) : 0
    }

    /// Sequences that fit when KV is paged in blocks of `blockTokens` and each sequence holds
    /// `meanTokens` tokens (rounded up to whole blocks).
    public func maxConcurrentPaged(meanTokens: Int, blockTokens: Int = 16) -> Int {
        let held = Int(model.attendedContext(Double(meanTokens)))
        let blocks = (held + blockTokens - 1) / blockTokens
        let per = Double(blocks * blockTokens) * kvBytesPerCachedToken
        return per > 0 ? Int((kvBudgetBytes / per).rounded(.down)) : 0
    }

    /// Largest batch whose sequences of `context` tokens fit in usable memory (0 if the weights
    /// alone do not; `Int.max` when they hold no KV).
    /// A speculative draft's weights and per-sequence KV count against the same memory.
    public func maxBatchThatFits(context: Int) -> Int {
        guard weightsFit else { return 0 }
        let draftFixed = draftMemoryBytes(sequences: 0, context: Double(context))
        let per = kvBytesPerSequence(tokens: context) + draftMemoryBytes(sequences: 1, context: Double(context)) - draftFixed
        guard draftFixed <= kvBudgetBytes else { return 0 }
        guard per > 0 else { return Int.max }
        let n = (kvBudgetBytes - draftFixed) / per
        return n >= Double(Int.max) ? Int.max : Int(n.rounded(.down))
    }
}

/// Comparisons between two deployments across batch sizes.
public enum Comparison {
    /// Decode tokens per dollar of `d` at `batch` (real-valued) and `context`.
    public static func tokensPerDollar(_ d: Deployment, batch: Double, context: Int) -> Double {
        DecodeStep(context: context).evaluate(d, batch: batch).tokensPerSecond / d.dollarsPerSecond
    }

    /// Batch sizes in `range` where the deployment with the most decode tokens per dollar
    /// changes, among those whose batch fits (`limits[i]`: the largest batch deployment `i`
    /// holds). The leader is found on a 400-step log grid (one evaluation per deployment and
    /// step) and each change refined by bisection on the two leaders' difference.
    public static func leadChanges(_ deps: [Deployment], context: Int, range: ClosedRange<Double>,
                                   limits: [Double]) -> [(batch: Double, from: Int, to: Int)] {
        guard deps.count > 1, range.lowerBound > 0, range.upperBound > range.lowerBound else { return [] }
        let steps = 400
        let l0 = log(range.lowerBound), l1 = log(range.upperBound)
        func leader(_ x: Double) -> Int? {
            var best: (Int, Double)? = nil
            for (i, d) in deps.enumerated() where x <= limits[i] {
                let v = tokensPerDollar(d, batch: x, context: context)
                if let b = best, v <= b.1 { continue }
                best = (i, v)
            }
            return best?.0
        }
        var out: [(batch: Double, from: Int, to: Int)] = []
        var prevX = range.lowerBound, prev = leader(prevX)
        for k in 1...steps {
            let x = exp(l0 + (l1 - l0) * Double(k) / Double(steps))
            let cur = leader(x)
            if let a = prev, let b = cur, a != b, x <= limits[a] {
                // Both still fit at x: the curves cross between prevX and x.
                func diff(_ t: Double) -> Double {
                    log(tokensPerDollar(deps[a], batch: t, context: context)) - log(tokensPerDollar(deps[b], batch: t, context: context))
                }
                var lo = prevX, hi = x
                let loPositive = diff(lo) > 0
                for _ in 0..<50 {
                    let mid = (lo + hi) / 2
                    if (diff(mid) > 0) == loPositive { lo = mid } else { hi = mid }
                }
                out.append((batch: (lo + hi) / 2, from: a, to: b))
            }
            prevX = x; prev = cur
        }
        return out
    }

    /// Batch sizes in `range` where tokens per dollar of `a` and `b` cross (a − b changes sign),
    /// found on a log grid and refined by bisection.
    public static func crossoverBatches(_ a: Deployment, _ b: Deployment, context: Int,
                                        range: ClosedRange<Double> = 1...100_000) -> [Double] {
        func diff(_ x: Double) -> Double {
            log(tokensPerDollar(a, batch: x, context: context)) - log(tokensPerDollar(b, batch: x, context: context))
        }
        var out: [Double] = []
        let steps = 400
        let l0 = log(range.lowerBound), l1 = log(range.upperBound)
        var prevX = range.lowerBound, prev = diff(prevX)
        for i in 1...steps {
            let x = exp(l0 + (l1 - l0) * Double(i) / Double(steps))
            let v = diff(x)
            if (prev < 0) != (v < 0) && abs(prev - v) > 1e-12 {
                var lo = prevX, hi = x
                for _ in 0..<80 {
                    let mid = (lo + hi) / 2
                    if (diff(lo) < 0) == (diff(mid) < 0) { lo = mid } else { hi = mid }
                }
                out.append((lo + hi) / 2)
            }
            prevX = x; prev = v
        }
        return out
    }
}

/// Arithmetic intensity of one linear layer y = W·x, W of M×K, applied to T tokens.
///
/// FLOPs 2·M·K·T; bytes b·M·K for the weights plus, when `activations` is set, b·(K·T + M·T)
/// for the input and output. Example (seed 001): M = K = 4096, T = 1, bf16 → 33.5 MFLOP over
/// 33.5 MB, intensity ≈ 1 FLOP/byte.
public struct LinearLayer: Sendable {
    /// M output features, K input features, T tokens multiplied.
    public var m: Int, k: Int, tokens: Int
    /// Bytes per weight and activation element (2: bf16).
    public var bytesPerElement: Double
    /// Whether the input and output activations count toward the bytes.
    public var activations: Bool
    public init(m: Int, k: Int, tokens: Int, bytesPerElement: Double = 2, activations: Bool = true) {
        self.m = m; self.k = k; self.tokens = tokens; self.bytesPerElement = bytesPerElement; self.activations = activations
    }
    /// 2·M·K·T.
    public var flops: Double { 2 * Double(m) * Double(k) * Double(tokens) }
    /// b·M·K, plus b·(K·T + M·T) with `activations`.
    public var bytes: Double {
        let w = Double(m) * Double(k)
        let a = activations ? Double(k) * Double(tokens) + Double(m) * Double(tokens) : 0
        return bytesPerElement * (w + a)
    }
    /// FLOP/byte.
    public var intensity: Double { flops / bytes }
}
