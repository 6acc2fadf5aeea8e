import Testing
@testable import RidgepointCore

/// Seed 002 (002_490133254dd7c0b7.txt): Reiner Pope's roofline bounds, cost hyperbola and
/// balance batch for MoE.
@Suite struct Seed002Tests {
    /// "FLOPs/mem_bw ~300" holds for H100, B200 and GB200 in dense BF16 — but the A100's is 153.
    @Test func hardwareRatioNear300() {
        for id in ["h100-sxm", "b200", "gb200"] { #expect(abs(gpu(id).ridge()! - 300) < 25, "\(id)") }
        #expect(gpu("a100-80gb").ridge()! < 160)
    }

    /// Erratum: the balance batch is 300·(N/A), not 300·(A/N). For DeepSeek-V3 (671 B total,
    /// 37.6 B active) at a ridge of 300 it is ≈ 5,400; the seed's "B ~ 2400" used an expert ratio (8).
    @Test func balanceBatchUsesNOverA() {
        let ridge300 = statedGPU("ridge-300", tflops: 600, tbs: 2.0)
        let d = Deployment(gpu: ridge300, model: model("deepseek-v3"), convention: .seed002)
        #expect(close(d.balanceBatch, 300 * d.model.totalParams / d.model.activeParams, rel: 1e-9))
        #expect(close(d.balanceBatch, 5_361, rel: 0.005))
        #expect(300 * (d.model.activeParams / d.model.totalParams) < 20)   // the seed's formula as written
        #expect(300 * 8 == 2400)
    }

    /// Physically the weights read are N − V·d (the input table is gathered) and a token costs
    /// 2·(A − V·d) FLOPs: DeepSeek-V3 (V·d = 129,280 × 7,168 = 0.927 B) gives
    /// B* = 300 × (671.0 − 0.927)/(37.6 − 0.927) ≈ 5,490.
    @Test func physicalBalanceBatch() {
        let ridge300 = statedGPU("ridge-300", tflops: 600, tbs: 2.0)
        let d = Deployment(gpu: ridge300, model: model("deepseek-v3"))
        let vd = 129_280.0 * 7_168
        let expected = 300 * (d.model.totalParams - vd) / (d.model.activeParams - vd)
        #expect(close(d.balanceBatch, expected, rel: 1e-9))
        #expect(close(d.balanceBatch, 5_489, rel: 0.002))
    }

    /// Erratum: the two memory streams add. Seed 002's max() is reproduced under `seed-002`.
    @Test func memoryStreamsAddUnlessSeedConvention() {
        let h100 = gpu("h100-sxm"), m = model("llama-3-8b")
        let phys = Deployment(gpu: h100, model: m).decode(batch: 64, context: 32768)
        let seed = Deployment(gpu: h100, model: m, convention: .seed002).decode(batch: 64, context: 32768)
        #expect(close(phys.memoryTime, phys.weightTime + phys.kvTime, rel: 1e-12))
        #expect(close(seed.memoryTime, max(seed.weightTime, seed.kvTime), rel: 1e-12))
        #expect(phys.stepTime > seed.stepTime)
        #expect(close(phys.kvTime, 64 * 32768 * 131_072 / 3.35e12, rel: 1e-9))
    }

    /// The weight-fetch latency floor reads all N only when every expert is touched: at B = 1 an
    /// MoE step reads the active parameters; at large batch it approaches N.
    @Test func moeLatencyFloorDependsOnBatch() {
        let m = model("deepseek-v3")
        #expect(close(m.paramsTouched(tokens: 1), m.activeParams, rel: 1e-12))
        #expect(close(m.paramsTouched(tokens: 8192), m.totalParams, rel: 0.001))
        #expect(m.expectedExpertsTouched(tokens: 32) > 160 && m.expectedExpertsTouched(tokens: 32) < 170)
        // On a 72-GPU NVL72 rack (fp8 weights) the all-experts floor is ≈ 1.2 ms.
        let rack = Deployment(gpu: gpu("gb200"), model: m, gpus: 72, weights: .fp8)
        #expect(close(m.totalParams * 1 / (72 * 8e12), 1.165e-3, rel: 0.01))
        #expect(rack.decode(batch: 4096, context: 0).weightTime < 1.2e-3)
    }

    /// Cost per token = latency / B: the weight term falls as 1/B, KV and compute terms are flat,
    /// and for a dense model the B = 1 cost over the compute floor equals the balance batch.
    @Test func costHyperbola() {
        let d = Deployment(gpu: gpu("h100-sxm"), model: model("llama-3-70b"), gpus: 2)
        let r1 = d.decode(batch: 1, context: 2048), r8 = d.decode(batch: 8, context: 2048)
        // 8× apart: the weight read is the same at B = 1 and 8 but for 7 more gathered embedding rows.
        #expect(close(r1.usdPerMtokWeights / r8.usdPerMtokWeights, 8, rel: 1e-5))
        #expect(close(r1.usdPerMtokKV, r8.usdPerMtokKV, rel: 1e-9))
        #expect(close(r1.usdPerMtokCompute, r8.usdPerMtokCompute, rel: 0.01))
        let single = Deployment(gpu: gpu("h100-sxm"), model: model("llama-2-13b"), convention: .seed002)
        let ratio = single.decode(batch: 1, context: 0).usdPerMtok / single.decode(batch: 1, context: 0).usdPerMtokCompute
        #expect(close(ratio, single.balanceBatch, rel: 1e-9))
    }

    /// The context beyond which no batch is compute-bound: 2·A·β/(Π·kv) (attention FLOPs ignored).
    @Test func computeBoundContextLimit() {
        let d = Deployment(gpu: gpu("h100-sxm"), model: model("llama-3-8b"), convention: .seed002)
        let expected = 2 * d.model.activeParams * 3.35e12 / (989.4e12 * 131_072)
        #expect(close(d.computeBoundContextLimit!, expected, rel: 1e-9))
        #expect(close(expected, 414.9, rel: 0.01))
        #expect(d.kneeBatch(context: 300) != nil)
        #expect(d.kneeBatch(context: 500) == nil)
        // With attention FLOPs counted (physical) the limit moves out a little.
        let p = Deployment(gpu: gpu("h100-sxm"), model: model("llama-3-8b"))
        #expect(p.computeBoundContextLimit! > p.computeBoundContextLimitWeightsOnly)
    }
}
