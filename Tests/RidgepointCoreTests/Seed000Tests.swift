import Testing
@testable import RidgepointCore

/// Seed 000 (000_409c7688731bbbd7.txt): the arithmetic-intensity threshold, Llama-2-13B on an
/// A100 SXM 80GB stated as 312 TFLOPS and "approximately 2 TB/s".
@Suite struct Seed000Tests {
    let a100 = statedGPU("a100-stated", tflops: 312, tbs: 2.0, gb: 80)
    /// The seed's arithmetic: every parameter streamed, F = 2·N per token, datasheet capacity.
    var d: Deployment { Deployment(gpu: a100, model: model("llama-2-13b"), convention: .textbook, reserveFraction: 0) }
    /// The same GPU figures with the physical refinements (embedding gather, logits of the new token only).
    var phys: Deployment { Deployment(gpu: a100, model: model("llama-2-13b"), reserveFraction: 0) }

    @Test func ridgePointIs156() { #expect(d.ridge == 156) }

    /// With the catalog's 2.039 TB/s the physical ridge is 153.
    @Test func catalogRidgeIs153() { #expect(close(gpu("a100-80gb").ridge()!, 153.0, rel: 0.002)) }

    @Test func weightStreamIs26GBAnd13ms() {
        #expect(close(d.weightBytes, 26e9, rel: 0.002))
        let r = d.decode(batch: 1, context: 0)
        #expect(close(r.memoryTime, 0.013, rel: 0.002))
        #expect(close(r.computeTime, 83e-6, rel: 0.01))   // "83 microseconds"
        #expect(r.bound == .memory)
        #expect(r.computeTime / r.stepTime < 0.01)        // "active for less than 1% of the step"
    }

    /// The seed's throughput table (weights only): 76, 760, 3,800, 7,600, 11,800, 12,100 tokens/s.
    @Test func throughputTable() {
        let tps = { (b: Int) in d.decode(batch: b, context: 0).tokensPerSecond }
        #expect(close(tps(1), 76, rel: 0.02))
        #expect(close(tps(10), 760, rel: 0.02))
        #expect(close(tps(50), 3_800, rel: 0.02))
        #expect(close(tps(100), 7_600, rel: 0.02))
        #expect(close(tps(156), 11_800, rel: 0.02))
        // Erratum: above the ridge the roofline plateaus at Π/(2N) ≈ 11,985 tokens/s; the seed's
        // 12,100 at B = 300 exceeds the compute roof.
        let plateau = 312e12 / (2 * d.model.totalParams)
        #expect(close(tps(300), plateau, rel: 1e-9))
        #expect(tps(300) < 12_000)
    }

    /// Physically the input embedding is a gather (no FLOPs) and only the LM head's logits add
    /// FLOPs: F = 2·(A − 2·V·d) + 2·V·d = 2·(A − V·d) = 2 × (13.016 − 0.164) × 10⁹, so the roof is
    /// 312 × 10¹² / 25.70 × 10⁹ = 12,138 tokens/s — the seed's "~12,100" at B = 300 is within 0.3 %.
    /// At B = 1 the step reads (N − V·d)·2 B = 25.70 GB: 12.85 ms, 77.8 tokens/s (seed: ~76).
    @Test func physicalThroughputWithTheEmbeddingGather() {
        let m = phys.model
        let vd = Double(m.vocabSize) * Double(m.hiddenSize)
        #expect(vd == 163_840_000)
        let roof = 312e12 / (2 * (m.activeParams - vd))
        #expect(close(roof, 12_138, rel: 0.0005))
        #expect(close(phys.decode(batch: 300, context: 0).tokensPerSecond, roof, rel: 1e-9))
        #expect(abs(12_100 / roof - 1) < 0.005)
        let r1 = phys.decode(batch: 1, context: 0)
        #expect(close(r1.weightBytesRead, (m.totalParams - vd) * 2 + Double(m.hiddenSize) * 2, rel: 1e-12))
        #expect(close(r1.stepTime, 12.85e-3, rel: 0.001))
        #expect(close(r1.tokensPerSecond, 77.8, rel: 0.001))
    }

    @Test func balanceBatchEqualsRidgeForDenseBF16() { #expect(close(d.balanceBatch, 156, rel: 1e-9)) }

    /// KV per token 819,200 B ("≈ 800 KB" is 800 KiB); 2,048 tokens ≈ 1.68 GB (the seed's "1.6 GB" is 1.56 GiB).
    @Test func kvPerSequence() {
        #expect(d.kvBytesPerToken == 819_200)
        #expect(d.kvBytesPerToken / 1024 == 800)
        #expect(close(d.kvBytesPerToken * 2048, 1.678e9, rel: 0.001))
    }

    /// Pre-allocated vs paged concurrency. The seed's own arithmetic (54 GB / 1.6 GB ≈ 33 and
    /// 54 GB / 240 MB ≈ 225) uses rounded KiB-as-KB figures; the engine gives 32 and 216.
    @Test func concurrencyPreallocatedVsPaged() {
        #expect(Int(54e9 / 1.6e9) == 33)
        #expect(Int(54e9 / 240e6) == 225)
        #expect(d.maxConcurrentPreallocated(maxTokens: 2048) == 32)
        #expect(d.maxConcurrentPaged(meanTokens: 300, blockTokens: 16) == 216)
        // "33 is 21% of the 156 needed"
        #expect(close(33.0 / 156, 0.21, rel: 0.01))
    }

    /// The A100 80GB shows 81,920 MiB = 85.90 GB to software, not 80 GB: with the weights'
    /// 26.03 GB the KV budget is 59.87 GB, i.e. ⌊59.87/1.678⌋ = 35 pre-allocated sequences of 2,048
    /// tokens and ⌊59.87 GB / (304 × 819,200 B)⌋ = 240 paged ones (no reserve, as the seed).
    @Test func concurrencyAtTheReportedCapacity() {
        let real = Deployment(gpu: gpu("a100-80gb"), model: model("llama-2-13b"), reserveFraction: 0)
        #expect(real.capacityBytes == 81_920 * 1_048_576)
        #expect(close(real.kvBudgetBytes, 85_899_345_920 - real.weightBytes, rel: 1e-12))
        #expect(close(real.kvBudgetBytes, 59.87e9, rel: 0.001))
        #expect(real.maxConcurrentPreallocated(maxTokens: 2048) == 35)
        #expect(real.maxConcurrentPaged(meanTokens: 300, blockTokens: 16) == 240)
    }

    /// GQA: Llama-2-70B's 8 KV heads store 327,680 B/token (320 KiB), 8× less than MHA with 64.
    @Test func gqaSaving() {
        let m = model("llama-2-70b")
        #expect(m.kvBytesPerToken(2) == 327_680)
        #expect(m.mhaKVBytesPerToken(2) / m.kvBytesPerToken(2) == 8)
    }

    /// B = 1 vs B = 156: "a 155x difference".
    @Test func batchingGain() {
        let gain = d.decode(batch: 156, context: 0).tokensPerSecond / d.decode(batch: 1, context: 0).tokensPerSecond
        #expect(close(gain, 155.9, rel: 0.01))
    }
}
