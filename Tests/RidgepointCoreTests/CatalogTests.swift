import Testing
@testable import RidgepointCore

@Suite struct CatalogTests {
    @Test func everyRequiredIDResolves() {
        for id in ["p100", "v100", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "gb200", "mi300x", "l4", "l40s"] {
            #expect(catalog.gpu(id) != nil, "missing GPU \(id)")
        }
        for id in ["llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b", "llama-3-70b", "llama-3.1-405b", "mistral-7b",
                   "mixtral-8x7b", "deepseek-v3", "qwen2.5-7b", "qwen2.5-72b"] {
            #expect(catalog.model(id) != nil, "missing model \(id)")
        }
    }

    @Test func aliasesAreCaseInsensitive() {
        #expect(catalog.gpu("H100")?.id == "h100-sxm")
        #expect(catalog.gpu("H100-SXM5-80GB")?.id == "h100-sxm")
        #expect(catalog.gpu("A100-SXM4-80GB")?.id == "a100-80gb")
        #expect(catalog.gpu("h100-SXM")?.id == "h100-sxm")
        #expect(catalog.model("Llama-2-70b-hf")?.id == "llama-2-70b")
        #expect(catalog.model("META-LLAMA/LLAMA-2-70B-HF")?.id == "llama-2-70b")
    }

    @Test func aliasesAreUnique() {
        var seen: [String: String] = [:]
        for g in catalog.gpus { for n in [g.id] + g.aliases {
            #expect(seen[n.lowercased()] == nil || seen[n.lowercased()] == g.id, "\(n) names two GPUs")
            seen[n.lowercased()] = g.id
        } }
    }

    /// Published KV bytes per token in bf16 (2 · L · h_kv · d_h · 2).
    @Test(arguments: [("llama-2-7b", 524_288.0), ("llama-2-13b", 819_200), ("llama-2-70b", 327_680), ("llama-3-8b", 131_072)])
    func kvBytesPerTokenMatchPublishedValues(id: String, bytes: Double) {
        #expect(model(id).kvBytesPerToken(2) == bytes)
    }

    /// DeepSeek-V3's MLA cache: (kv_lora_rank 512 + rope 64) values × 61 layers × 2 bytes.
    @Test func mlaCacheIsTheLatentNotGQA() {
        let m = model("deepseek-v3")
        #expect(m.attentionKind == .mla)
        #expect(m.kvBytesPerToken(2) == 70_272)
        #expect(m.kvBytesPerToken(2) < m.mhaKVBytesPerToken(2) / 50)
    }

    /// Derived parameter counts agree with the model cards within 1 %.
    @Test func derivedParameterCountsMatchModelCards() {
        for m in catalog.models {
            guard let p = m.publishedParams else { Issue.record("\(m.id) has no published count"); continue }
            #expect(close(m.totalParams, p, rel: 0.01), "\(m.id): derived \(m.totalParams / 1e9) B vs published \(p / 1e9) B")
            if let a = m.publishedActiveParams {
                // OpenAI counts gpt-oss's active parameters without the input embedding table (a gather).
                let derived = m.family == "gpt-oss" ? m.activeParams - m.inputEmbeddingParams : m.activeParams
                #expect(close(derived, a, rel: 0.02), "\(m.id): derived active \(derived / 1e9) B vs \(a / 1e9) B")
            }
        }
        #expect(close(model("llama-2-7b").totalParams, 6_738_415_616, rel: 1e-9))
        #expect(close(model("mixtral-8x7b").totalParams, 46.70e9, rel: 0.002))
        #expect(close(model("mixtral-8x7b").activeParams, 12.88e9, rel: 0.003))
        #expect(close(model("deepseek-v3").totalParams, 671e9, rel: 0.002))
        #expect(close(model("deepseek-v3").activeParams, 37e9, rel: 0.02))
    }

    /// Dense and sparse peaks are carried separately; sparse is twice dense where given, except
    /// NVFP4 on Blackwell Ultra, whose dense rate is about three quarters of its sparse one (14 of 18 PF on
    /// B300, 15 of 20 on GB300, as NVIDIA prints them).
    @Test func densePeaksAreNotSparsePeaks() {
        let h = gpu("h100-sxm")
        #expect(close(h.peak(.bf16)!, 989.4e12, rel: 0.001))
        #expect(close(h.peak(.bf16, sparse: true)!, 1978.9e12, rel: 0.001))
        #expect(close(gpu("b200").peak(.bf16)!, 2250e12, rel: 0.001))
        for g in catalog.gpus {
            for (p, peak) in g.peaks {
                guard let s = peak.sparse else { continue }
                if p == .fp4 && ["b300", "gb300"].contains(g.id) { #expect(s / peak.dense > 1.25 && s / peak.dense < 1.34, "\(g.id) fp4"); continue }
                #expect(close(s, 2 * peak.dense, rel: 0.03), "\(g.id) \(p)")
            }
            #expect(!g.sources.isEmpty && !g.price.source.isEmpty && !g.price.asOf.isEmpty, "\(g.id) lacks sources")
        }
    }

    @Test func suggestionsFindNearestID() {
        #expect(catalog.gpu(Suggest.nearest("h100-sxn", in: catalog.gpuNames) ?? "")?.id == "h100-sxm")
        #expect(catalog.model(Suggest.nearest("lama-3-70b", in: catalog.modelNames) ?? "")?.id == "llama-3-70b")
        #expect(Suggest.distance("kitten", "sitting") == 3)
        #expect(Suggest.nearest("zzzzzzzzzz", in: catalog.gpuNames) == nil)
    }

    /// Unknown model names: the same family first, then the nearest size (the same release worth a
    /// little), then spelling — never a 405B for a 70B.
    @Test func modelSuggestionsRankByFamilyAndSize() {
        func hint(_ name: String) -> String? { Catalog.nearestModel(name, in: catalog.models)?.id }
        #expect(hint("meta-llama/Llama-3.2-70B-Instruct")?.hasSuffix("-70b") == true)
        #expect(hint("Qwen/Qwen3-7B") == "qwen3-8b")
        #expect(hint("llama-3-405b") == "llama-3.1-405b")
        #expect(hint("mixtral-8x22b") == "mixtral-8x7b")
        #expect(hint("lama-3-8b") == "llama-3-8b")
        do {
            _ = try catalog.requireModel("meta-llama/Llama-3.2-70B-Instruct")
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.help?.contains("70b") == true && e.help?.contains("405b") == false)
        } catch { Issue.record("\(error)") }
    }
}
