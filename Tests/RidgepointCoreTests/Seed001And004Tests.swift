import Testing
@testable import RidgepointCore

/// Seed 001 (001_7eb4e348028268f4.txt) and seed 004 (004_972c7b33d6c3e50f.txt): H100 SXM at
/// 989 TFLOPS dense BF16 and 3.35 TB/s, GEMV vs GEMM, decode ceilings.
@Suite struct Seed001And004Tests {
    let h100 = gpu("h100-sxm")

    @Test func ridgeIs295() {
        #expect(close(h100.ridge()!, 295.3, rel: 0.001))
        #expect(close(989e12 / 3.35e12, 295, rel: 0.002))
    }

    /// A 4096×4096 BF16 GEMV: 33.5 MFLOP over 33.5 MB, ≈ 1 FLOP/byte; the input vector is 8 KB (0.02 %).
    @Test func gemvIntensityIsOne() {
        let l = LinearLayer(m: 4096, k: 4096, tokens: 1)
        #expect(close(l.flops, 33.5e6, rel: 0.002))
        #expect(close(LinearLayer(m: 4096, k: 4096, tokens: 1, activations: false).bytes, 33.5e6, rel: 0.002))
        #expect(close(l.intensity, 1, rel: 0.001))
        #expect(4096 * 2 == 8192)
    }

    /// Batching M tokens: intensity ≈ M (32 → ≈ 32; 4096 → thousands, compute-bound).
    @Test func batchedIntensityIsAboutM() {
        #expect(close(LinearLayer(m: 4096, k: 4096, tokens: 32).intensity, 32, rel: 0.02))
        #expect(LinearLayer(m: 4096, k: 4096, tokens: 4096).intensity > 1000)
        #expect(LinearLayer(m: 4096, k: 4096, tokens: 256).intensity < h100.ridge()!)  // "still memory-bound, but close"
    }

    /// A 7B model at B = 1: 2·7e9 / 3.35e12 ≈ 4.2 ms, ≈ 240 tokens/s.
    @Test func sevenBFloor() {
        let d = Deployment(gpu: h100, model: model("llama-2-7b").declaring(params: 7e9))
        let r = d.decode(batch: 1, context: 0)
        #expect(close(r.stepTime, 4.18e-3, rel: 0.002))
        #expect(close(r.tokensPerSecond, 239, rel: 0.005))
    }

    /// 70B in fp16 (140 GB) on one H100: ≈ 24 tokens/s ceiling. Seed 004's "25–30 per second"
    /// exceeds that ceiling, and 140 GB of weights do not fit in 80 GB: two GPUs are needed.
    @Test func seventyBCeilingAndFit() {
        let d = Deployment(gpu: h100, model: model("llama-2-70b").declaring(params: 70e9))
        let r = d.decode(batch: 1, context: 0)
        #expect(close(r.tokensPerSecond, 23.9, rel: 0.005))
        #expect(r.tokensPerSecond < 25)
        #expect(!d.weightsFit)
        #expect(Deployment(gpu: h100, model: model("llama-2-70b"), gpus: 2).weightsFit)
    }

    /// Seed 004: a 4,000-token prompt through a 70B model is compute-bound and takes ≈ 0.6 s
    /// ("a few hundred milliseconds"), ≈ 300× the per-token rate of decode ("roughly 100x").
    @Test func prefillIsComputeBound() {
        let d = Deployment(gpu: h100, model: model("llama-3-70b"))
        let p = d.prefill(batch: 1, context: 4000)
        #expect(p.bound == .compute)
        #expect(p.stepTime > 0.5 && p.stepTime < 0.7)
        let ratio = p.tokensPerSecond / d.decode(batch: 1, context: 4000).tokensPerSecond
        #expect(ratio > 250 && ratio < 350)
    }

    /// Seed 001 (quoting Horace He): an A100 loads ≈ 400 G numbers/s (FP32) and does ≈ 20 TFLOP/s,
    /// which is ≈ 50 operations per number loaded — not "roughly 100".
    @Test func horaceRatioIsFifty() {
        let a = gpu("a100-40gb")
        let numbersPerSecond = a.bandwidth / 4
        #expect(close(numbersPerSecond, 389e9, rel: 0.01))
        #expect(close(a.peak(.fp32)! / numbersPerSecond, 50, rel: 0.02))
    }

    /// MoE: DeepSeek-V4-Pro's ~49 B active of ~1.6 T reads ≈ 3 % of its weight bytes per token.
    @Test func moeActiveFraction() { #expect(close(49.0 / 1600, 0.0306, rel: 0.01)) }

    /// FP8 weights halve the bytes and double the B = 1 token rate — in the seed's arithmetic,
    /// where every parameter is in fp8.
    @Test func quantisationSpeedsDecode() {
        let bf = Deployment(gpu: h100, model: model("llama-3-8b"), convention: .textbook).decode(batch: 1, context: 0)
        let f8 = Deployment(gpu: h100, model: model("llama-3-8b"), weights: .fp8, convention: .textbook).decode(batch: 1, context: 0)
        #expect(close(f8.tokensPerSecond / bf.tokensPerSecond, 2, rel: 1e-9))
        #expect(close(f8.intensity / bf.intensity, 2, rel: 1e-9))
    }

    /// An fp8 checkpoint keeps its embeddings and LM head in bf16. Llama-3-8B: body 6.980 B
    /// parameters, V·d = 0.525 B. B = 1 reads 2 × 6.980 + 2 × 0.525 = 15.01 GB in bf16 and
    /// 6.980 + 2 × 0.525 = 8.030 GB in fp8 (plus one gathered row each): 1.87× faster, not 2×.
    @Test func fp8CheckpointKeepsSixteenBitEmbeddings() {
        let m = model("llama-3-8b")
        let vd = Double(m.vocabSize) * Double(m.hiddenSize)
        let body = m.totalParams - 2 * vd
        #expect(close(body, 6.980e9, rel: 0.001))
        let bf = Deployment(gpu: h100, model: m).decode(batch: 1, context: 0)
        let f8 = Deployment(gpu: h100, model: m, weights: .fp8).decode(batch: 1, context: 0)
        #expect(close(bf.weightBytesRead, 2 * body + 2 * vd + 2 * 4096, rel: 1e-12))
        #expect(close(f8.weightBytesRead, body + 2 * vd + 2 * 4096, rel: 1e-12))
        #expect(close(f8.tokensPerSecond / bf.tokensPerSecond, (2 * body + 2 * vd) / (body + 2 * vd), rel: 1e-5))
        #expect(close(f8.tokensPerSecond / bf.tokensPerSecond, 1.869, rel: 0.001))
    }
}
