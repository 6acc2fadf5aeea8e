import Testing
@testable import RidgepointCore

/// The request-level step model (continuous batching with chunked prefill) and the recommender
/// that searches it.
@Suite struct RequestModelTests {
    let h100 = gpu("h100-sxm")
    let m = model("llama-3-8b")

    /// One sequence (B = 1) of 1,000 tokens in and 101 out on an H100, ideal: S̄ = 1,000 + 101/2 =
    /// 1,050.5; every decode step carries 1/100 of the next prompt. The average step moves the
    /// weights (15.010 GB), 11 gathered rows, 1,050.5 cached tokens and 10 new tokens of KV
    /// (131,072 B each): 15.148 GB over 3.35 TB/s = 4.522 ms of TPOT.
    @Test func singleSequenceByHand() {
        let w = Workload(name: "t", inputTokens: 1_000, outputTokens: 101)
        let d = Deployment(gpu: h100, model: m)
        let row = RequestStep(workload: w).evaluate(d, batch: 1)
        let vd = 128_256.0 * 4_096, body = m.totalParams - 2 * vd
        let a = 4.0 * 32 * 32 * 128
        let share = 1.0 / 100
        let tokens = 1 + share * 1_000
        let flops = 2 * body * tokens + 2 * vd * (1 + share) + a * (1_050.5 + share * 1_000 * 1_000 / 2)
        let bytes = body * 2 + vd * 2 + tokens * 4_096 * 2 + (1_050.5 + share * 1_000) * 131_072
        #expect(close(row.flops, flops, rel: 1e-12))
        #expect(close(row.bytes, bytes, rel: 1e-12))
        #expect(close(row.tpot ?? 0, bytes / 3.35e12, rel: 1e-12))
        #expect(close(row.tpot ?? 0, 4.522e-3, rel: 0.001))
        // requests/s = B / ((O − 1)·TPOT)
        #expect(close(row.request?.requestsPerSecond ?? 0, 1 / (100 * bytes / 3.35e12), rel: 1e-12))
    }

    /// The identities every request row keeps, for dense and MoE models, one GPU and several.
    @Test func identities() {
        let w = Workload(name: "chat", inputTokens: 2_000, outputTokens: 250)
        for (g, mod, n) in [("h100-sxm", "llama-3.1-70b", 4), ("mi300x", "mixtral-8x7b", 1), ("b200", "deepseek-v3", 8)] {
            let d = Deployment(gpu: gpu(g), model: model(mod), gpus: n, weights: mod == "deepseek-v3" ? .fp8 : .bf16)
            for b in [1.0, 16, 200] {
                let row = RequestStep(workload: w).evaluate(d, batch: b)
                let q = row.request!
                let tpot = row.tpot!
                #expect(close(q.requestsPerSecond * 249 * tpot, b, rel: 1e-9), "\(g) B=\(b)")
                #expect(close(q.e2e, q.ttft + 249 * tpot, rel: 1e-12))
                #expect(close(q.usdPerRequest, d.usdPerHour * Double(n) / 3600 / q.requestsPerSecond, rel: 1e-12))
                #expect(close(q.prefillSeconds + q.decodeSeconds, 1 / q.requestsPerSecond, rel: 1e-9))
                #expect(close(2_000 * q.usdPerMtokInput + 250 * q.usdPerMtokOutput, q.usdPerRequest * 1e6, rel: 1e-9))
                #expect(close(row.tokensPerSecond, q.requestsPerSecond * 250, rel: 1e-9))
                #expect(close(row.usdPerMtok, q.usdPerRequest / 250 * 1e6, rel: 1e-9))
                #expect(row.stepTime == tpot)
                #expect(q.ttft > 0 && tpot > 0)
            }
        }
    }

    /// A 20,000-token prompt is prefilled in chunks of 8,192, 8,192 and 3,616 tokens; the grouped
    /// average step does exactly the work of those chunks summed (FLOPs and bytes), including the
    /// KV each chunk reads back (0, 8,192 and 16,384 cached tokens).
    @Test func chunkedPromptAsOneGroup() {
        let d = Deployment(gpu: h100, model: model("llama-3.1-8b"))
        let share = 0.37
        let grouped = d.step(StepWork(decodeSequences: 8, decodeContext: 20_100,
                                      prompts: [PromptChunk(count: share, tokens: 20_000, chunkTokens: 8_192)]))
        let explicit = d.step(StepWork(decodeSequences: 8, decodeContext: 20_100, prompts: [
            PromptChunk(count: share, tokens: 8_192, cached: 0, finishes: false),
            PromptChunk(count: share, tokens: 8_192, cached: 8_192, finishes: false),
            PromptChunk(count: share, tokens: 3_616, cached: 16_384, finishes: true),
        ]))
        #expect(close(grouped.flops, explicit.flops, rel: 1e-12))
        #expect(close(grouped.kvBytes, explicit.kvBytes, rel: 1e-12))
        #expect(close(grouped.weightBytesRead, explicit.weightBytesRead, rel: 1e-12))
        // With a sliding window (Mistral, 4,096) the chunks read at most the window.
        let mis = Deployment(gpu: h100, model: model("mistral-7b"))
        let g2 = mis.step(StepWork(prompts: [PromptChunk(count: 1, tokens: 20_000, chunkTokens: 8_192)]))
        let e2 = mis.step(StepWork(prompts: [
            PromptChunk(count: 1, tokens: 8_192, cached: 0, finishes: false),
            PromptChunk(count: 1, tokens: 8_192, cached: 8_192, finishes: false),
            PromptChunk(count: 1, tokens: 3_616, cached: 16_384, finishes: true),
        ]))
        #expect(close(g2.kvBytes, e2.kvBytes, rel: 1e-12))
        #expect(close(g2.flops, e2.flops, rel: 1e-12))
    }

    /// TTFT of a chunked prompt is the sum of its chunks' steps, each beside the average step.
    @Test func ttftSumsTheChunks() {
        let w = Workload(name: "long", inputTokens: 20_000, outputTokens: 100)
        let d = Deployment(gpu: h100, model: model("llama-3.1-8b"))
        let step = RequestStep(workload: w)
        #expect(step.chunks.map(\.tokens) == [8_192, 8_192, 3_616])
        let row = step.evaluate(d, batch: 4)
        var avg = StepWork.decode(batch: 4, context: 20_050)
        avg.prompts = [PromptChunk(count: 4.0 / 99, tokens: 20_000, chunkTokens: 8_192)]
        let expected = step.chunks.reduce(0.0) { t, c in
            var w = avg; w.prompts.append(c); return t + d.step(w).stepTime
        }
        #expect(close(row.ttft ?? 0, expected, rel: 1e-12))
        // A shorter chunk budget means more, shorter steps and a longer TTFT here (each step also
        // carries the decode batch).
        let small = RequestStep(workload: w, serving: ServingOptions(prefillChunkTokens: 2_048)).evaluate(d, batch: 4)
        #expect((small.ttft ?? 0) > (row.ttft ?? 0))
    }

    /// One output token: the request is a prefill; B prompts share a step.
    @Test func prefillOnlyRequests() {
        let w = Workload(name: "classify", inputTokens: 500, outputTokens: 1)
        let d = Deployment(gpu: h100, model: m)
        let row = RequestStep(workload: w).evaluate(d, batch: 8)
        let p = d.prefill(batch: 8, context: 500)
        #expect(row.tpot == nil)
        #expect(close(row.ttft ?? 0, p.stepTime, rel: 1e-12))
        #expect(close(row.request?.requestsPerSecond ?? 0, 8 / p.stepTime, rel: 1e-12))
        #expect(EvalSchema.column("tpot_s")?.value(row) == .empty)
    }

    // MARK: The recommender

    /// The batch is solved for, not taken from the grid: with `batch_sizes: [1]` the chat workload
    /// still gets a batch in the hundreds, the largest that meets TPOT ≤ 30 ms (or, where the cost
    /// stops falling, a smaller one of the same cost).
    @Test func solvesForTheBatch() throws {
        let spec = try Spec.parse("""
            gpus: [h100]
            models: [llama-3.1-8b]
            batch_sizes: [1]
            gpus_per_replica: [1]
            workloads: [{name: chat, input_tokens: 1000, output_tokens: 250, slo: {tpot_ms: 30, ttft_ms: 500}}]
            """, file: "t.yaml", catalog: catalog)
        let rec = Recommender.all(spec)[0]
        let w = try #require(rec.winner)
        #expect(w.batch > 100)
        #expect(w.tpot * 1000 <= 30 && w.ttft * 1000 <= 500 && w.fits)
        let d = spec.deployment(spec.gpus[0], spec.models[0], gpus: 1)
        let next = Candidate(row: d.request(spec.workloads[0], batch: w.batch + 1), slo: spec.workloads[0].slo)
        #expect(!next.acceptable || next.usdPerRequest >= w.usdPerRequest * (1 - 1e-6))
        #expect(w.usdPerRequest < Candidate(row: d.request(spec.workloads[0], batch: 1), slo: spec.workloads[0].slo).usdPerRequest)
    }

    /// A replica size that does not split the heads is never recommended; a GPU whose only
    /// replica sizes are such says why.
    @Test func unsupportedTensorParallelIsNeverRecommended() throws {
        let spec = try Spec.parse("""
            gpus: [h100, h200]
            models: [llama-3.1-70b]
            gpus_per_replica: [3, 6]
            workloads: [{name: chat, input_tokens: 1000, output_tokens: 250}]
            """, file: "t.yaml", catalog: catalog)
        let rec = Recommender.all(spec)[0]
        #expect(rec.winner == nil)
        #expect(rec.options.allSatisfy { $0.whyNot?.contains("cannot split 64 attention heads evenly") == true })
        let mixed = try Spec.parse("""
            gpus: [h100]
            models: [llama-3.1-70b]
            gpus_per_replica: [3, 4]
            workloads: [{name: chat, input_tokens: 1000, output_tokens: 250}]
            """, file: "t.yaml", catalog: catalog)
        #expect(Recommender.all(mixed)[0].winner?.deployment.gpus == 4)
    }

    /// A GPU that misses a target says by how much at its fastest configuration, and the
    /// runner-up is the nearest qualifying alternative.
    @Test func missesAreQuantified() throws {
        let spec = try Spec.parse("""
            gpus: [l40s, h100, h200]
            models: [llama-3.1-70b]
            gpus_per_replica: [4, 8]
            workloads: [{name: chat, input_tokens: 1000, output_tokens: 250, slo: {tpot_ms: 15}}]
            """, file: "t.yaml", catalog: catalog)
        let rec = Recommender.all(spec)[0]
        #expect(rec.winner != nil)
        let l40s = try #require(rec.options.first { $0.gpu.id == "l40s" })
        #expect(l40s.best == nil)
        #expect(l40s.whyNot?.contains("misses the 15 ms TPOT target by") == true)
        #expect((l40s.miss ?? 0) > 0)
        #expect(rec.options.last?.gpu.id == "l40s")
    }

    /// Without `workloads:` each context becomes one: S tokens in, 256 out, the spec's SLO.
    @Test func workloadsDerivedFromContexts() throws {
        let spec = try Spec.parse("gpus: [h100]\nmodels: [llama-3.1-8b]\ncontexts: [0, 4096]\nphases: [decode]\nslo: {tpot_ms: 40}\n", file: "t.yaml", catalog: catalog)
        let ws = spec.effectiveWorkloads
        #expect(ws.map(\.inputTokens) == [1, 4_096])
        #expect(ws.allSatisfy { $0.outputTokens == 256 && $0.slo.tpotMs == 40 })
    }
}
