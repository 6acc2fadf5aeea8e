import Foundation
import Testing
@testable import RidgepointCore

let hfFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/hf")

/// Hugging Face config.json import (issue 16): published configs give the published parameter
/// counts and the catalog's KV bytes; what cannot be mapped is refused.
@Suite struct HFConfigTests {
    func load(_ name: String, warn: @escaping (String) -> Void = { _ in }) throws -> Model {
        try HFConfig.load(hfFixtures.appendingPathComponent(name).path, warn: warn)
    }

    /// Derived N (and A for MoE) against the model cards' counts (exact counts where the card or
    /// the checkpoint index gives them).
    @Test(arguments: [
        ("llama-3.1-8b", 8_030_261_248.0, nil as Double?), ("mistral-7b-v0.1", 7_241_732_096, nil), ("qwen2.5-7b", 7_615_616_512, nil),
        ("qwen3-8b", 8_190_735_360, nil), ("mixtral-8x7b", 46.7e9, 12.9e9), ("qwen3-30b-a3b", 30_532_122_624, 3.3e9),
        ("deepseek-v3", 671e9, 37e9),
    ])
    func publishedCounts(_ name: String, total: Double, active: Double?) throws {
        var warnings: [String] = []
        let m = try load(name) { warnings.append($0) }
        #expect(abs(m.derivedTotalParams / total - 1) < 0.005, "\(name): \(m.derivedTotalParams)")
        if let active { #expect(abs(m.derivedActiveParams / active - 1) < 0.02, "\(name): active \(m.derivedActiveParams)") }
        #expect(warnings.isEmpty, "\(warnings)")
    }

    /// The import agrees with the hand-written catalog entries of the same models.
    @Test func matchesTheCatalog() throws {
        let catalog = try Catalog.builtIn()
        for (fixture, id) in [("llama-3.1-8b", "llama-3.1-8b"), ("mistral-7b-v0.1", "mistral-7b"), ("mixtral-8x7b", "mixtral-8x7b"),
                              ("qwen2.5-7b", "qwen2.5-7b"), ("deepseek-v3", "deepseek-v3")] {
            let m = try load(fixture), c = try catalog.requireModel(id)
            #expect(m.kvElementsPerToken == c.kvElementsPerToken, "\(fixture)")
            #expect(abs(m.derivedTotalParams / c.derivedTotalParams - 1) < 1e-9, "\(fixture)")
            #expect(m.moe == c.moe && m.mla == c.mla && m.qkvBias == c.qkvBias, "\(fixture)")
            #expect(m.slidingWindow == c.slidingWindow, "\(fixture): \(String(describing: m.slidingWindow)) vs \(String(describing: c.slidingWindow))")
        }
        // Qwen3-30B-A3B: 48 MoE layers of 128 experts, 8 per token; Qwen3 8B's explicit head_dim.
        let q = try load("qwen3-30b-a3b")
        #expect(q.moe?.experts == 128 && q.moe?.expertsPerToken == 8 && q.moe?.denseLayers == 0 && q.headDim == 128)
        #expect(try load("qwen3-8b").headDim == 128)
    }

    /// A config whose architecture disagrees with its checkpoint index by more than 2 % is
    /// reported with both numbers; a folder without config.json, broken JSON, an unknown
    /// architecture, a missing or mistyped key are refused with the file and field.
    @Test func checksAndRefusals() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try String(contentsOf: hfFixtures.appendingPathComponent("llama-3.1-8b/config.json"), encoding: .utf8)
        try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try #"{"metadata": {"total_size": 18000000000}, "weight_map": {}}"#.write(to: dir.appendingPathComponent("model.safetensors.index.json"), atomically: true, encoding: .utf8)
        var warnings: [String] = []
        _ = try HFConfig.load(dir.path) { warnings.append($0) }
        #expect(warnings.count == 1 && warnings[0].contains("8.03 B") && warnings[0].contains("9 B"), "\(warnings)")

        func refusal(_ json: String) -> String {
            try? json.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            do { _ = try HFConfig.load(dir.path); return "" } catch { return "\(error)" }
        }
        #expect(refusal(#"{"model_type": "falcon", "architectures": ["FalconForCausalLM"]}"#).contains("supported: Llama (llama)"))
        #expect(refusal(#"{"model_type": "llama", "hidden_size": 4096}"#).contains("num_hidden_layers"))
        #expect(refusal(#"{"model_type": "llama", "num_hidden_layers": true, "hidden_size": 4096}"#).contains("expected a whole number"))
        #expect(refusal("{not json").contains("not valid JSON"))
        #expect(refusal(#"{"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 6, "num_key_value_heads": 4, "intermediate_size": 128, "vocab_size": 100}"#).contains("not a multiple"))
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        do { _ = try HFConfig.load(empty.path); Issue.record("expected an error") } catch { #expect("\(error)".contains("no config.json")) }
    }

    /// In a spec: a path in `models:` (relative to the spec) and `{id, name, config}`.
    @Test func specEntries() throws {
        let catalog = try Catalog.builtIn()
        let specFile = hfFixtures.appendingPathComponent("spec.yaml").path
        let s = try Spec.parse("""
        gpus: [h100]
        models:
          - ./qwen3-8b
          - {id: my-moe, name: My MoE, config: qwen3-30b-a3b/config.json}
        """, file: specFile, catalog: catalog)
        #expect(s.models.map(\.id) == ["qwen3-8b", "my-moe"])
        #expect(s.models[1].name == "My MoE" && s.models[1].moe?.experts == 128)
        do {
            _ = try Spec.parse("models: [./no-such-model]\n", file: specFile, catalog: catalog)
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.file == specFile && e.line == 1 && e.message.contains("no such file"))
        }
        #expect(HFConfig.snapshotName("/c/hub/models--Qwen--Qwen3-8B/snapshots/abc/config.json") == "Qwen3-8B")
    }
}

/// gpt-oss: alternating sliding-window and full layers, MoE in every layer, MXFP4 experts.
@Suite struct GptOssTests {
    @Test func mappedWithHalfItsLayersWindowed() throws {
        var warnings: [String] = []
        let m = try HFConfig.load(hfFixtures.appendingPathComponent("gpt-oss-20b").path) { warnings.append($0) }
        #expect(m.slidingWindow == 128 && m.slidingWindowLayers == 12 && m.windowedLayerShare == 0.5)
        #expect(m.moe?.experts == 32 && m.moe?.expertsPerToken == 4 && m.qkvBias)
        // OpenAI's model card: 20.9 B parameters (3.6 B active, counting the unembedding but not the input table).
        #expect(abs(m.derivedTotalParams / 20.91e9 - 1) < 0.01, "\(m.derivedTotalParams)")
        #expect(abs((m.derivedActiveParams - m.inputEmbeddingParams) / 3.61e9 - 1) < 0.02, "\(m.derivedActiveParams)")
        #expect(warnings.count == 1 && warnings[0].contains("MXFP4"))
        // KV: 2·L·h_kv·d_h·2 B per token; at 8,192 tokens the windowed half holds 128.
        #expect(m.kvElementsPerToken * 2 == 49_152)
        #expect(m.attendedContext(8192) == 0.5 * 128 + 0.5 * 8192)
        #expect(m.attendedContext(100) == 100)
        let windowedPairs: Double = 128 * 128 / 2 + (8192 - 128) * 128
        let fullPairs: Double = 8192 * 8192 / 2
        #expect(m.causalPairs(8192) == 0.5 * windowedPairs + 0.5 * fullPairs)
    }

    /// The catalog entries agree with the import, and a half-windowed model still runs out of
    /// compute-bound contexts (its full layers keep growing).
    @Test func catalogEntries() throws {
        let catalog = try Catalog.builtIn()
        let c = try catalog.requireModel("gpt-oss-20b")
        let m = try HFConfig.load(hfFixtures.appendingPathComponent("gpt-oss-20b").path) { _ in }
        #expect(c.kvElementsPerToken == m.kvElementsPerToken && c.moe == m.moe && c.slidingWindowLayers == 12)
        #expect(abs(c.derivedTotalParams / m.derivedTotalParams - 1) < 1e-9)
        let big = try catalog.requireModel("openai/gpt-oss-120b")
        #expect(abs(big.derivedTotalParams / 116.83e9 - 1) < 0.01 && big.slidingWindowLayers == 18)
        let d = Deployment(gpu: try catalog.requireGPU("h100-sxm"), model: big, weights: .fp4)
        #expect(d.computeBoundContextLimit != nil)
    }
}
