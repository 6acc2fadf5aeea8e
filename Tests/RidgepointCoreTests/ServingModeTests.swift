import Foundation
import Testing
@testable import RidgepointCore

/// Speculative decoding, pipeline and expert parallelism, data-parallel attention and
/// disaggregated prefill/decode: each mode's numbers derived by hand.
@Suite struct ServingModeTests {
    // MARK: Speculative decoding

    @Test func expectedTokensPerVerificationStep() {
        func tau(_ k: Int, _ a: Double) -> Double { Speculative(draftTokens: k, acceptance: a, draft: .mtp(layers: 1)).expectedTokens }
        // (1 − 0.8⁴)/(1 − 0.8) = 0.5904/0.2
        #expect(close(tau(3, 0.8), 2.952, rel: 1e-12))
        // (1 − 0.6⁵)/0.4 = 2.3056
        #expect(close(tau(4, 0.6), 2.3056, rel: 1e-12))
        // Every draft accepted: k + 1 tokens.
        #expect(tau(4, 1) == 5)
    }

    /// Llama-3-8B on one H100 SXM, B = 1, S = 512, ideal: a plain step reads 15.08 GB in 4.50 ms.
    /// With three MTP drafts (one layer of 32 each, plus the full 1.05 GB LM head for each drafted
    /// token's logits) and α = 0.8, the verify step passes 4 positions through the same weight read
    /// (still memory-bound); a draft costs 4.50/32 + (31/32) × 1.0507 GB ÷ 3.35 TB/s = 0.444 ms:
    /// TPOT = (4.50 + 3 × 0.444) ÷ 2.952 = 1.98 ms, a 2.3× speed-up.
    @Test func speculationPaysAtBatchOneAndCostsWhenComputeBound() throws {
        let plain = Deployment(gpu: gpu("h100-sxm"), model: model("llama-3-8b"))
        let spec = Speculative(draftTokens: 3, acceptance: 0.8, draft: .mtp(layers: 1))
        let fast = Deployment(gpu: gpu("h100-sxm"), model: model("llama-3-8b"), mode: ServingMode(speculative: spec))
        let base = plain.decode(batch: 1, context: 512)
        #expect(close(base.stepTime, 4.50e-3, rel: 0.005))
        let row = fast.decode(batch: 1, context: 512)
        #expect(close(try #require(row.sequenceTokensPerStep), 2.952, rel: 1e-12))
        #expect(row.step.bound == .memory)
        let tpot = try #require(row.tpot)
        let head = model("llama-3-8b").lmHeadParams * 2 / 3.35e12
        #expect(close(head * 1000, 0.3136, rel: 0.001))
        #expect(close(tpot, (base.stepTime + 3 * (base.stepTime / 32 + head * 31 / 32)) / 2.952, rel: 0.002))
        #expect(close(tpot * 1000, 1.98, rel: 0.005))
        // The gain holds while steps are memory-bound, shrinks as they become compute-bound and
        // turns into a loss once the verify step's k + 1 positions are compute-bound.
        let batches = [1, 16, 64, 256, 1024]
        let gains = batches.map { fast.decode(batch: $0, context: 256).tokensPerSecond / plain.decode(batch: $0, context: 256).tokensPerSecond }
        #expect(gains[0] > 2.2)
        #expect(gains[3] < gains[0] && gains[4] < gains[3], "speed-up falls once compute-bound: \(gains)")
        #expect(gains.last! < 1)
        #expect(fast.decode(batch: 1024, context: 256).step.bound == .compute)
    }

    /// A draft model runs its own k decode steps on the same GPUs and holds its own weights and KV.
    @Test func draftModelCostsItsOwnSteps() throws {
        let target = model("llama-3-70b"), draft = model("llama-3-8b")
        let spec = Speculative(draftTokens: 4, acceptance: 0.7, draft: .model(draft))
        let d = Deployment(gpu: gpu("h100-sxm"), model: target, gpus: 4, mode: ServingMode(speculative: spec))
        let plainDraft = Deployment(gpu: gpu("h100-sxm"), model: draft, gpus: 4)
        let w = StepWork.decode(batch: 8, context: 1024)
        var verify = w; verify.decodePositions = 5
        let expected = d.step(verify).stepTime + 4 * plainDraft.step(w).stepTime
        #expect(close(d.servedStep(w).stepTime, expected, rel: 1e-12))
        let row = d.request(Workload(name: "chat", inputTokens: 1000, outputTokens: 250), batch: 8)
        let held = d.weightBytes + 8 * 1250 * d.kvBytesPerCachedToken + plainDraft.weightBytes + 8 * 1250 * plainDraft.kvBytesPerCachedToken
        #expect(close(row.memoryBytes, held, rel: 1e-12))
        // The draft prefills the prompt too (its KV is needed): part of TTFT.
        let chunk = PromptChunk(count: 1, tokens: 1000)
        #expect(close(d.draftPrefillTime(chunk), plainDraft.step(.prefill(batch: 1, tokens: 1000)).stepTime, rel: 1e-12))
        // A decode row holds the draft too.
        let decode = d.decode(batch: 8, context: 1250)
        #expect(close(decode.memoryBytes, held, rel: 1e-12))
    }

    // MARK: Pipeline parallelism

    /// Llama-3-70B in two stages of one H100 each: one sequence passes both stages in turn — no
    /// faster than one GPU holding the whole model — plus one activation hop (6 µs + 8,192 × 2 B
    /// over 450 GB/s). Two sequences fill the pipeline as two micro-batches: twice the tokens in
    /// the same time.
    @Test func pipelineStagesAddLatencyAndMicroBatchesFillThem() throws {
        let g = gpu("h100-sxm"), m = model("llama-3-70b")
        let one = Deployment(gpu: g, model: m, gpus: 1)
        let pp = Deployment(gpu: g, model: m, gpus: 1, mode: ServingMode(pp: 2))
        #expect(pp.gpus == 2 && pp.tp == 1 && pp.replicaGPUs == 2)
        #expect(pp.capacityBytes == 2 * one.capacityBytes)
        let hop = 6e-6 + 8192.0 * 2 / 450e9
        #expect(close(pp.allReduceTime(tokens: 1), hop, rel: 1e-9))
        let b1 = pp.decode(batch: 1, context: 2048)
        #expect(close(b1.stepTime, one.decode(batch: 1, context: 2048).stepTime + hop, rel: 1e-9))
        let b2 = pp.decode(batch: 2, context: 2048)
        #expect(close(b2.stepTime, b1.stepTime, rel: 1e-12))
        #expect(close(b2.tokensPerSecond, 2 * b1.tokensPerSecond, rel: 1e-12))
        // Beyond pp sequences a micro-batch carries B/pp of them.
        let b16 = pp.decode(batch: 16, context: 2048)
        #expect(close(b16.stepTime, one.decode(batch: 8, context: 2048).stepTime + pp.allReduceTime(tokens: 8), rel: 1e-9))
        // A lone prompt chunk (the one whose TTFT is timed) rides whole in one micro-batch: the
        // step is that micro-batch's pass; the FLOPs are those of the whole step.
        var w = StepWork.decode(batch: 16, context: 2048)
        w.prompts = [PromptChunk(count: 1, tokens: 2048)]
        var heavy = StepWork.decode(batch: 8, context: 2048)
        heavy.prompts = w.prompts
        let r = pp.step(w)
        #expect(close(r.stepTime, one.step(heavy).stepTime + pp.allReduceTime(tokens: heavy.tokens), rel: 1e-9))
        #expect(close(r.flops, one.step(w).flops, rel: 1e-9))
        // Tensor parallelism over the same two GPUs halves the latency instead.
        let tp2 = Deployment(gpu: g, model: m, gpus: 2)
        #expect(tp2.decode(batch: 1, context: 2048).stepTime < 0.6 * b1.stepTime)
    }

    // MARK: Expert parallelism and data-parallel attention

    /// DeepSeek-V3 in FP8 on 8 H200s. Under TP 8 every rank keeps the whole MLA latent (70,272 B
    /// per token in bf16), 8 copies; with data-parallel attention a sequence's KV lives on one
    /// GPU, at the price of a copy of the non-expert body on each.
    @Test func dataParallelAttentionHoldsSeveralTimesTheSequences() throws {
        let g = gpu("h200"), m = model("deepseek-v3")
        let tp = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8)
        let dp = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8, mode: ServingMode(ep: 8, dpAttention: true))
        #expect(tp.kvBytesPerToken == 70_272)
        #expect(tp.kvBytesPerCachedToken == 8 * 70_272)
        #expect(dp.kvBytesPerCachedToken == 70_272)
        let nonExpertBody = m.nonExpertParams - m.embeddingStorageParams
        #expect(close(dp.weightBytes - tp.weightBytes, 7 * nonExpertBody * dp.storage.bodyBytesPerWeight, rel: 1e-12))
        let ratio = Double(dp.maxBatchThatFits(context: 4096)) / Double(tp.maxBatchThatFits(context: 4096))
        #expect(ratio > 4, "EP 8 + DP attention holds \(ratio)× the sequences of TP 8")
        #expect(dp.tensorParallelSupported)
    }

    /// With tensor-parallel attention every GPU holds every token, so experts spread over the
    /// GPUs (EP 8) still end each MoE layer in an all-reduce: the same 2 × 61 collectives as TP 8.
    /// With data-parallel attention the attention and the 3 dense layers need none, and each of
    /// the 58 MoE layers dispatches and combines: each GPU sends its T/8 tokens' activations to the
    /// k = 8 routed experts, 7/8 of them on other GPUs.
    @Test func expertParallelAllToAll() {
        let g = gpu("h200"), m = model("deepseek-v3")
        let tokens = 256.0
        let alpha = g.links.allReduceLatency, bw = g.links.bandwidth / 2
        let perToken = 7168.0 * 2
        let tp = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8)
        let ep = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8, mode: ServingMode(ep: 8))
        let allReduces = 122 * (alpha + 2 * 7.0 / 8 * tokens * perToken / bw)
        #expect(close(tp.allReduceTime(tokens: tokens), allReduces, rel: 1e-12))
        #expect(close(ep.allReduceTime(tokens: tokens), allReduces, rel: 1e-12))
        let dp = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8, mode: ServingMode(ep: 8, dpAttention: true))
        let allToAlls = 2 * 58 * (alpha + tokens / 8 * 8 * 7.0 / 8 * perToken / bw)
        #expect(close(dp.allReduceTime(tokens: tokens), allToAlls, rel: 1e-12))
        // Experts sliced (no EP) under data-parallel attention: one all-reduce's worth per MoE layer.
        let dpOnly = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8, mode: ServingMode(dpAttention: true))
        #expect(close(dpOnly.allReduceTime(tokens: tokens), 58 * (alpha + 2 * 7.0 / 8 * tokens * perToken / bw), rel: 1e-12))
    }

    /// Under data-parallel attention a lone prompt's non-expert math runs on the one GPU holding
    /// it: a 2,000-token DeepSeek-V3 prefill on 8 H200s takes longer than with TP attention.
    @Test func dataParallelAttentionPrefillsALonePromptOnOneGPU() {
        let g = gpu("h200"), m = model("deepseek-v3")
        let tp = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8)
        let dp = Deployment(gpu: g, model: m, gpus: 8, weights: .fp8, mode: ServingMode(ep: 8, dpAttention: true))
        let w = StepWork(prompts: [PromptChunk(count: 1, tokens: 2000)])
        let even = dp.pipelined(w)
        let pairs = m.causalPairs(2000)
        let nonExpert = 2 * (m.nonExpertParams - m.embeddingStorageParams) * 2000 + dp.attentionFlopsPerContextToken * pairs
        #expect(close(dp.step(w).stepTime, even.stepTime + nonExpert * 7 / dp.peakFlops, rel: 1e-9))
        #expect(dp.step(w).stepTime > tp.step(w).stepTime)
    }

    // MARK: Disaggregated prefill/decode

    /// Llama-3-8B (131,072 KV bytes per token in bf16), 2,000-token prompts, KV shipped over a
    /// 25 GB/s link: 2,000 × 131,072 ÷ 25e9 = 10.49 ms, added to the prefill for the TTFT.
    @Test func disaggregatedServingShipsTheKVAndBalancesPools() throws {
        let g = gpu("h100-sxm"), m = model("llama-3-8b")
        let w = Workload(name: "rag", inputTokens: 2000, outputTokens: 200)
        let split = Disaggregation(prefillGPUs: 1, decodeGPUs: 3, linkBandwidth: 25e9)
        let d = Deployment(gpu: g, model: m, gpus: 1, mode: ServingMode(disaggregated: split))
        #expect(d.gpus == 4)
        let row = d.request(w, batch: 32)
        let req = try #require(row.request)
        #expect(close(try #require(req.kvTransfer), 2000 * 131_072 / 25e9, rel: 1e-12))
        #expect(close(try #require(req.kvTransfer) * 1000, 10.49, rel: 0.001))
        let plain = Deployment(gpu: g, model: m, gpus: 1)
        let prefill = plain.step(.prefill(batch: 1, tokens: 2000)).stepTime
        #expect(close(req.ttft, prefill + 2000 * 131_072 / 25e9, rel: 1e-12))
        // Decode replicas run decode-only steps.
        let tpot = plain.step(.decode(batch: 32, context: w.meanDecodeContext)).stepTime
        #expect(close(try #require(row.tpot), tpot, rel: 1e-12))
        // Throughput: the slower pool decides.
        let decodeRate = 32 / (199 * tpot), prefillRate = 1 / prefill
        #expect(close(req.requestsPerSecond, min(1 * prefillRate, 3 * decodeRate), rel: 1e-12))
        #expect(close(try #require(req.balancedPrefillToDecode), decodeRate / prefillRate, rel: 1e-12))
        #expect(close(req.usdPerRequest, 4 * g.price.usdPerHour / 3600 / req.requestsPerSecond, rel: 1e-12))
        // A sliding-window model ships only the window it keeps: Mistral 7B (4,096) at 8,000 tokens.
        let mistral = Deployment(gpu: g, model: model("mistral-7b"), gpus: 1, mode: ServingMode(disaggregated: split))
        #expect(close(mistral.kvTransferTime(tokens: 8000), 4096 * mistral.kvBytesPerToken / 25e9, rel: 1e-12))
        // At the balanced ratio neither pool waits: P/n × prefill rate = D/n × decode rate.
        let r = try #require(req.balancedPrefillToDecode)
        #expect(close(r * prefillRate, decodeRate, rel: 1e-12))
    }

    // MARK: Spec and sweep

    @Test func servingListsSweepModes() throws {
        let spec = try Spec.parse("""
            gpus: [h200]
            models: [deepseek-v3, llama-3-8b]
            gpus_per_replica: [8]
            batch_sizes: [8, 64]
            contexts: [1024]
            phases: [decode, prefill]
            precision: {weights: fp8}
            serving: {ep: [1, 8], dp_attention: [false, true], speculative: [off, {draft_tokens: 2, acceptance: 0.7, mtp: 1}]}
            """, file: "s.yaml", catalog: catalog)
        #expect(spec.modes.count == 8)
        let rows = Sweep(spec: spec).rows
        let keys = Set(rows.map { ($0.value(.model), $0.value(.phase), $0.value(.serving)) }.map { "\($0.0)|\($0.1)|\($0.2)" })
        // DeepSeek: 8 modes in decode; prefill ignores speculation (4 layouts).
        #expect(keys.filter { $0.hasPrefix("text(\"deepseek-v3\")|text(\"decode\")") }.count == 8)
        #expect(keys.filter { $0.hasPrefix("text(\"deepseek-v3\")|text(\"prefill\")") }.count == 4)
        // Llama 3 8B is dense: no EP rows.
        #expect(!keys.contains { $0.contains("llama-3-8b") && $0.contains("ep8") })
        #expect(keys.filter { $0.hasPrefix("text(\"llama-3-8b\")|text(\"decode\")") }.count == 4)
        #expect(rows.count == 2 * (8 + 4) + 2 * (4 + 2))
    }

    @Test func impossibleCombinationsNameTheirField() {
        func message(_ serving: String, models: String = "[deepseek-v3]", batches: String = "[16]", tp: String = "[8]") -> String {
            do {
                _ = try Spec.parse("gpus: [h200]\nmodels: \(models)\ngpus_per_replica: \(tp)\nbatch_sizes: \(batches)\nserving: \(serving)\n",
                                   file: "s.yaml", catalog: catalog)
                return ""
            } catch { return "\(error)" }
        }
        #expect(message("{pp: 100}").contains("serving.pp: pp 100 is larger than the 61 layers of DeepSeek-V3"))
        #expect(message("{ep: 512}").contains("serving.ep: ep 512 is larger than the 256 experts of DeepSeek-V3"))
        #expect(message("{ep: 8}", models: "[llama-3-8b]").contains("serving.ep: ep 8 needs a mixture-of-experts model"))
        #expect(message("{ep: 4}").contains("add 4 to gpus_per_replica"))
        #expect(message("{dp_attention: true}", batches: "[1, 16]").contains("serving.dp_attention: data-parallel attention over 8 GPUs needs at least 8 sequences"))
        #expect(message("{speculative: {draft_tokens: 3, acceptance: 0.7}}").contains("the speculation needs a draft"))
        #expect(message("{speculative: {draft_tokens: 3, acceptance: 0.7, mtp: 1, draft_model: llama-3-8b}}").contains("either draft_model or mtp"))
        #expect(message("{speculative: {draft_tokens: 3, acceptance: 1.5, mtp: 1}}").contains("implausibly large"))
        #expect(message("{speculative: {draft_tokens: 3, acceptance: 0.7, draft_model: llama-9}}").contains("unknown model 'llama-9'"))
        #expect(message("{disaggregated: {prefill_gpus: 4, decode_gpus: 12}}").contains("serving.disaggregated: 4:12 GPUs is not a whole number of replicas of 8 GPUs"))
        #expect(message("{tp: [8]}").contains("given twice"))
        // In a sweep a split need fit only some replica sizes: 8:24 fits TP 8 though not TP 8 × PP 2.
        #expect(message("{pp: [1, 2], disaggregated: [off, {prefill_gpus: 8, decode_gpus: 24, link_gbs: 50}]}", batches: "[16]") == "")
        #expect(message("{pipeline: 2}").contains("pipeline"))
    }

    /// The recommender searches the modes and names the one it picks.
    @Test func recommenderPicksAndNamesAMode() throws {
        let spec = try Spec.parse("""
            gpus: [h200]
            models: [deepseek-v3]
            gpus_per_replica: [8]
            batch_sizes: [8, 64, 256]
            precision: {weights: fp8}
            workloads: [{name: chat, input_tokens: 2000, output_tokens: 500}]
            serving: {ep: [1, 8], dp_attention: [false, true]}
            """, file: "s.yaml", catalog: catalog)
        let rec = Recommender.recommend(spec, model: spec.models[0], workload: spec.workloads[0])
        let w = try #require(rec.winner)
        // Holding ~6× the sequences, data-parallel attention serves the most requests per GPU
        // (with or without EP: an all-to-all moves the bytes of an all-reduce, with one more α).
        #expect(w.deployment.dpAttention)
        #expect(w.modeLabel.hasPrefix("TP 8 · ") && w.modeLabel.hasSuffix("DP attention"))
        #expect(w.batch >= 8)
        let plainTP = spec.deployment(spec.gpus[0], spec.models[0], gpus: 8)
        let best = Recommender.candidates(spec, gpu: spec.gpus[0], model: spec.models[0], workload: spec.workloads[0])
            .filter { $0.acceptable && $0.deployment.mode == .plain }.min { $0.usdPerRequest < $1.usdPerRequest }
        #expect(try #require(best).usdPerRequest > 2 * w.usdPerRequest, "plain TP 8 on \(plainTP.gpus) GPUs costs over twice as much")
    }
}

@Suite struct ServingModeLimitTests {
    @Test func aHugeModeSweepIsRefusedBeforeWork() {
        let many = (1...60).map(String.init).joined(separator: ", ")
        do {
            _ = try Spec.parse("gpus: [h200]\nmodels: [deepseek-v3]\nserving: {pp: [\(many)], ep: [\(many)]}\n", file: "s.yaml", catalog: catalog)
            Issue.record("accepted 3,600 modes")
        } catch {
            #expect("\(error)".contains("the lists sweep 3,600 combinations of modes; the limit is 256"))
        }
    }
}
