import Testing
@testable import RidgepointCore

/// The corrections of the evaluation layer, each number derived by hand from the catalog's
/// datasheet and config.json figures.
@Suite struct PhysicsCorrectionTests {
    let h100 = gpu("h100-sxm")

    // MARK: 1. Embeddings

    /// Llama-3-8B (V = 128,256, d = 4,096, untied): the input table (0.525 B parameters) is a
    /// gather of one row, the LM head is read in full. Bytes at B = 1, S = 512:
    /// (8.030 − 2 × 0.525) × 10⁹ × 2 + 0.525 × 10⁹ × 2 + 4,096 × 2 + 512 × 131,072 = 15.077 GB,
    /// over 3.35 TB/s: 4.50 ms (streaming all N parameters gave 4.81 ms).
    @Test func llama3DecodeIs4_50ms() {
        let m = model("llama-3-8b")
        let vd = 128_256.0 * 4_096
        let body = m.totalParams - 2 * vd
        let bytes = body * 2 + vd * 2 + 4_096 * 2 + 512 * 131_072
        let r = Deployment(gpu: h100, model: m).decode(batch: 1, context: 512)
        #expect(close(r.bytes, bytes, rel: 1e-12))
        #expect(close(r.stepTime, bytes / 3.35e12, rel: 1e-12))
        #expect(close(r.stepTime, 4.50e-3, rel: 0.001))
        #expect(close((m.totalParams * 2 + 512 * 131_072) / 3.35e12, 4.81e-3, rel: 0.001))
        // FLOPs: the body's 2·(A − 2Vd) per token, the LM head's 2·V·d for the one logit row,
        // attention 4·L·h_q·d_h per cached token.
        let flops = 2 * body + 2 * vd + 4 * 32 * 32 * 128 * 512
        #expect(close(r.flops, flops, rel: 1e-12))
    }

    /// Prefill computes logits for the last position of each prompt only: B = 2 prompts of 1,000
    /// tokens cost 2·(A − 2Vd)·2,000 + 2·V·d·2 + a·1,000²/2·2 FLOPs.
    @Test func prefillLogitsForTheLastPositionOnly() {
        let m = model("llama-3-8b")
        let vd = 128_256.0 * 4_096
        let body = m.totalParams - 2 * vd
        let a = 4.0 * 32 * 32 * 128
        let r = Deployment(gpu: h100, model: m).prefill(batch: 2, context: 1_000)
        #expect(close(r.flops, 2 * body * 2_000 + 2 * vd * 2 + a * 1_000 * 1_000 / 2 * 2, rel: 1e-12))
        // Weights: the body and the head once, plus 2,000 gathered rows; KV written for 2,000 tokens.
        #expect(close(r.weightBytesRead, body * 2 + vd * 2 + 2_000 * 4_096 * 2, rel: 1e-12))
        #expect(close(r.kvBytes, 2_000 * 131_072, rel: 1e-12))
    }

    /// Tied embeddings: the one table is the LM head (read in full), no separate gather.
    @Test func tiedEmbeddingsAreReadOnceAsTheHead() {
        var m = model("llama-3-8b")
        m.tiedEmbeddings = true
        let vd = 128_256.0 * 4_096
        let d = Deployment(gpu: h100, model: m)
        #expect(close(d.weightBytesRead(tokens: 64), (m.totalParams - vd) * 2 + vd * 2, rel: 1e-12))
        #expect(close(d.flopsPerGeneratedToken, 2 * (m.activeParams - vd) + 2 * vd, rel: 1e-12))
    }

    // MARK: 2. Memory as the device reports it

    /// nvidia-smi shows 81,559 MiB on an H100 SXM: 85.52 GB, not 80. Llama-3-70B in bf16
    /// (141.1 GB) fits on two of them with the 10 % reserve: 2 × 85.52 × 0.9 = 153.9 GB, leaving
    /// 12.83 GB — nine sequences of 4,096 tokens (1.342 GB each), where 2 × 80 GB would hold two.
    @Test func capacityAsReported() {
        #expect(h100.usableMemoryBytes == 81_559 * 1_048_576)
        #expect(gpu("a100-80gb").usableMemoryBytes == 81_920 * 1_048_576)
        let m = model("llama-3-70b")
        let one = Deployment(gpu: h100, model: m)
        #expect(!one.weightsFit)
        let two = Deployment(gpu: h100, model: m, gpus: 2)
        #expect(close(two.usableBytes, 2 * 85_520_809_984 * 0.9, rel: 1e-12))
        #expect(two.weightsFit)
        #expect(two.maxBatchThatFits(context: 4_096) == Int((two.usableBytes - m.totalParams * 2) / (4_096 * 327_680)))
        #expect(two.maxBatchThatFits(context: 4_096) == 9)
        // The seed's datasheet capacity: 2 × 80 × 0.9 = 144 GB → 2 sequences.
        #expect(Deployment(gpu: h100, model: m, gpus: 2, convention: .textbook).maxBatchThatFits(context: 4_096) == 2)
    }

    // MARK: 3. Collective latency

    /// Llama-3.1-70B on 8 H100s at B = 1: 2 × 80 all-reduces, each α = 6 µs plus
    /// 2·(7/8)·(8,192 × 2 B) = 28,672 B over 450 GB/s per direction (0.064 µs): 160 × 6.064 µs = 0.970 ms.
    @Test func allReduceLatencyDominatesAtBatchOne() {
        let d = Deployment(gpu: h100, model: model("llama-3.1-70b"), gpus: 8)
        #expect(d.link == .scaleUp)
        let each = 6e-6 + 2 * 7.0 / 8 * 8_192 * 2 / 450e9
        #expect(close(d.allReduceTime(tokens: 1), 160 * each, rel: 1e-12))
        #expect(close(d.decode(batch: 1, context: 0).interconnectTime, 0.970e-3, rel: 0.001))
    }

    /// Sixteen H100s exceed the 8-GPU NVLink domain: the all-reduces cross the 400 Gb/s scale-out
    /// network (100 GB/s both ways, 50 per direction) at α = 25 µs: 160 × (25 µs + 2·(15/16)·
    /// 16,384 B / 50 GB/s) = 4.098 ms.
    @Test func beyondTheDomainUsesScaleOut() {
        let d = Deployment(gpu: h100, model: model("llama-3.1-70b"), gpus: 16)
        #expect(d.link == .scaleOut)
        #expect(close(d.allReduceTime(tokens: 1), 160 * (25e-6 + 2 * 15.0 / 16 * 16_384 / 50e9), rel: 1e-12))
        #expect(close(d.allReduceTime(tokens: 1), 4.098e-3, rel: 0.001))
    }

    /// 64 query and 8 KV heads split over 2, 4, 8 and 16 GPUs, not over 3 or 6 (vLLM refuses).
    @Test func tensorParallelDegreesMustDivideTheHeads() {
        let m = model("llama-3.1-70b")
        for n in [1, 2, 4, 8, 16, 32, 64] { #expect(Deployment(gpu: h100, model: m, gpus: n).tensorParallelSupported, "\(n)") }
        for n in [3, 5, 6, 12] { #expect(!Deployment(gpu: h100, model: m, gpus: n).tensorParallelSupported, "\(n)") }
        // Mixtral has 32 heads and 8 KV heads: 16 splits the query heads and replicates the KV heads twice.
        #expect(Deployment(gpu: h100, model: model("mixtral-8x7b"), gpus: 16).tensorParallelSupported)
    }

    // MARK: 4. Sliding windows and context limits

    /// Mistral 7B v0.1 attends over its last 4,096 tokens: at S = 8,192 a decode step reads and
    /// attends over 4,096 cached tokens per sequence, and a sequence holds 4,096 tokens of KV.
    @Test func slidingWindowCapsKVAndAttention() {
        let m = model("mistral-7b")
        #expect(m.slidingWindow == 4_096)
        let d = Deployment(gpu: h100, model: m)
        let at8k = d.decode(batch: 4, context: 8_192), at4k = d.decode(batch: 4, context: 4_096)
        #expect(at8k.kvBytes == 4 * 4_096 * 131_072)
        #expect(at8k.flops == at4k.flops)
        #expect(at8k.memoryBytes == at4k.memoryBytes)
        // Prefill pairs: 4,096²/2 within the window, then 4,096 per later position.
        let pairs = 4_096.0 * 4_096 / 2 + (8_192 - 4_096) * 4_096
        #expect(m.causalPairs(8_192) == pairs)
        #expect(d.maxBatchThatFits(context: 100_000) == d.maxBatchThatFits(context: 4_096))
    }

    /// A context beyond the model's maximum is evaluated but flagged.
    @Test func beyondMaxContextIsFlagged() throws {
        let spec = try Spec.parse("gpus: [h100]\nmodels: [llama-3-8b, llama-3.1-8b]\nbatch_sizes: [1]\ncontexts: [8192, 16384]\nphases: [decode]\n",
                                  file: "t.yaml", catalog: catalog)
        let rows = Sweep(spec: spec).rows
        let flags = rows.map { "\($0.model.id)@\($0.context)=\($0.beyondMaxContext)" }
        #expect(flags == ["llama-3-8b@8192=false", "llama-3-8b@16384=true", "llama-3.1-8b@8192=false", "llama-3.1-8b@16384=false"])
        let w = Sweep(spec: spec).contextWarnings
        #expect(w.count == 1 && w[0].model.id == "llama-3-8b" && w[0].asked == 16_384 && w[0].max == 8_192)
        #expect(EvalSchema.column("beyond_max_context")?.value(rows[1]) == .boolean(true))
    }

    // MARK: 5. Quantised checkpoints

    /// int4 with a 16-bit scale per 128 weights stores 4.125 bits; NVFP4 an 8-bit scale per 16
    /// (4.5 bits), MXFP4 per 32 (4.25 bits). Embeddings and LM head stay bf16.
    @Test func groupScalesAndSixteenBitEmbeddings() {
        #expect(WeightStorage(.int4).bodyBytesPerWeight == 0.515625)
        #expect(WeightStorage(.fp4).bodyBytesPerWeight == 0.5625)
        #expect(WeightStorage(.fp4, groupSize: 32).bodyBytesPerWeight == 0.53125)
        #expect(WeightStorage(.fp8).bodyBytesPerWeight == 1)
        #expect(WeightStorage(.int4).embeddings == .bf16)
        let m = model("llama-3-8b")
        let vd = 128_256.0 * 4_096
        let d = Deployment(gpu: h100, model: m, weights: .int4)
        #expect(close(d.weightBytes, (m.totalParams - 2 * vd) * 0.515625 + 2 * vd * 2, rel: 1e-12))
    }

    /// fp4 weights run on fp4 tensor cores where the part has them (B200: 9,000 dense TFLOPS);
    /// the H100 has none, so they dequantise to bf16 (989.4).
    @Test func fp4MathFollowsTheGPU() {
        let m = model("llama-3.1-70b")
        let b = Deployment(gpu: gpu("b200"), model: m, weights: .fp4)
        #expect(b.computePrecision == .fp4 && b.peakPerGPU == 9_000e12)
        let h = Deployment(gpu: h100, model: m, weights: .fp4)
        #expect(h.computePrecision == .bf16 && h.peakPerGPU == 989.4e12)
        #expect(Deployment(gpu: gpu("a100-80gb"), model: m, weights: .fp8).computePrecision == .bf16)
    }

    // MARK: 6. Seed conventions

    /// seed-003 quotes sparse peaks for Hopper and Blackwell only, and 8 TB/s for B200:
    /// H100 1,978.9/3.35 = 590.7, A100 80GB dense 312/2.039 = 153, B200 4,500/8 = 562.5 (the seed's
    /// 563); physically B200 is 2,250/7.7 = 292.
    @Test func seed003Conventions() {
        let m = model("llama-3-8b")
        #expect(close(Deployment(gpu: h100, model: m, convention: .seed003).ridge, 590.7, rel: 0.0005))
        #expect(close(Deployment(gpu: gpu("a100-80gb"), model: m, convention: .seed003).ridge, 153.0, rel: 0.002))
        #expect(Deployment(gpu: gpu("b200"), model: m, convention: .seed003).ridge == 562.5)
        #expect(close(Deployment(gpu: gpu("b200"), model: m).ridge, 292.2, rel: 0.001))
        #expect(gpu("b200").bandwidth == 7.7e12)
    }

    // MARK: 7. Per-GPU efficiency

    /// `calibrated` takes each GPU's own measurements: H100 e_c 0.80, MI300X 0.51 (668.4 of 1,300
    /// TFLOPS), and a 300 µs per-step overhead; a spec can set a GPU's factors.
    @Test func perGPUEfficiency() throws {
        #expect(EfficiencyPolicy.calibrated.resolve(for: h100).compute == 0.80)
        #expect(EfficiencyPolicy.calibrated.resolve(for: gpu("mi300x")).compute == 0.51)
        #expect(EfficiencyPolicy.calibrated.resolve(for: gpu("mi300x")).memory == 0.79)
        #expect(EfficiencyPolicy.calibrated.resolve(for: gpu("p100")) == .calibratedGeneric)
        let spec = try Spec.parse("""
            gpus: [{id: h100, efficiency: {compute: 0.7, memory: 0.9, overhead_us: 120}}, mi300x]
            models: [llama-3-8b]
            efficiency: calibrated
            """, file: "t.yaml", catalog: catalog)
        #expect(spec.gpus[0].id == "h100-sxm")
        let d = spec.deployment(spec.gpus[0], spec.models[0], gpus: 1)
        #expect(d.efficiency.compute == 0.7 && d.efficiency.memory == 0.9 && close(d.efficiency.overhead, 120e-6, rel: 1e-12))
        #expect(spec.deployment(spec.gpus[1], spec.models[0], gpus: 1).efficiency.compute == 0.51)
        // The overhead adds to every step: 15.08 GB / (3.35 TB/s × 0.9) + 120 µs.
        let r = d.decode(batch: 1, context: 512)
        #expect(close(r.stepTime, r.bytes / (3.35e12 * 0.9) + 120e-6, rel: 1e-12))
    }

    /// DeepSeek-V3 in fp8 on 8 B200s at B = 1: ideal 1.35 ms (0.62 ms of weights, 0.74 ms of
    /// 122 all-reduces at 6 µs); calibrated adds e_m = 0.85 and 0.3 ms of overhead: 1.76 ms.
    @Test func moeLatencyFloorIsNotOptimistic() {
        let m = model("deepseek-v3")
        let ideal = Deployment(gpu: gpu("b200"), model: m, gpus: 8, weights: .fp8).decode(batch: 1, context: 1_024)
        let cal = Deployment(gpu: gpu("b200"), model: m, gpus: 8, weights: .fp8,
                             efficiency: EfficiencyPolicy.calibrated.resolve(for: gpu("b200"))).decode(batch: 1, context: 1_024)
        #expect(close(ideal.interconnectTime, 122 * (6e-6 + 2 * 7.0 / 8 * 7_168 * 2 / 900e9), rel: 1e-9))
        #expect(close(ideal.stepTime, 1.354e-3, rel: 0.002))
        #expect(close(cal.stepTime, 1.765e-3, rel: 0.002))
        #expect(cal.stepTime > 1.5e-3)
    }
}
