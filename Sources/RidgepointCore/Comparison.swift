import Foundation

/// Comparisons between two deployments across batch sizes.
public enum Comparison {
    /// Decode tokens per dollar of `d` at `batch` and `context`.
    public static func tokensPerDollar(_ d: Deployment, batch: Double, context: Int) -> Double {
        // Continuous batch: interpolate the step the same way the engine does for integers.
        let r = d.decodeContinuous(batch: batch, context: context)
        return r.tokens / r.time / d.dollarsPerSecond
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

/// The time terms of a decode step, seconds.
public struct DecodeTerms: Sendable, Hashable {
    public var compute: Double, weights: Double, kv: Double, interconnect: Double, total: Double
    public var flops: Double, bytes: Double
}

extension Deployment {
    /// The decode step for a real-valued batch (for curves and crossovers), split into terms.
    public func decodeTerms(batch b: Double, context: Int) -> DecodeTerms {
        let s = Double(context)
        let flops = 2 * model.activeParams * b + attentionFlopsPerContextToken * s * b
        let wBytes = weightBytesRead(tokens: b), kvBytes = b * s * kvBytesPerToken * kvReplication
        let tw = wBytes / bandwidth, tkv = kvBytes / bandwidth
        let tm = convention.memoryStreams == .sum ? tw + tkv : Swift.max(tw, tkv)
        let tn = allReduceTime(tokens: b)
        let tc = flops / peakFlops
        return DecodeTerms(compute: tc, weights: tw, kv: tkv, interconnect: tn, total: Swift.max(tc, tm) + tn,
                           flops: flops, bytes: wBytes + kvBytes)
    }

    /// The decode step for a real-valued batch: time and tokens.
    public func decodeContinuous(batch b: Double, context: Int) -> (time: Double, tokens: Double) {
        (decodeTerms(batch: b, context: context).total, b)
    }

    /// $/Mtok for `seconds` of the replica spread over `tokens` tokens.
    public func usdPerMtok(seconds: Double, tokens: Double) -> Double { dollarsPerSecond * seconds / tokens * 1e6 }
}

/// Arithmetic intensity of one linear layer y = W·x, W of M×K, applied to T tokens.
///
/// FLOPs 2·M·K·T; bytes b·M·K for the weights plus, when `activations` is set, b·(K·T + M·T)
/// for the input and output. Example (seed 001): M = K = 4096, T = 1, bf16 → 33.5 MFLOP over
/// 33.5 MB, intensity ≈ 1 FLOP/byte.
public struct LinearLayer: Sendable {
    public var m: Int, k: Int, tokens: Int
    public var bytesPerElement: Double
    public var activations: Bool
    public init(m: Int, k: Int, tokens: Int, bytesPerElement: Double = 2, activations: Bool = true) {
        self.m = m; self.k = k; self.tokens = tokens; self.bytesPerElement = bytesPerElement; self.activations = activations
    }
    public var flops: Double { 2 * Double(m) * Double(k) * Double(tokens) }
    public var bytes: Double {
        let w = Double(m) * Double(k)
        let a = activations ? Double(k) * Double(tokens) + Double(m) * Double(tokens) : 0
        return bytesPerElement * (w + a)
    }
    public var intensity: Double { flops / bytes }
}
