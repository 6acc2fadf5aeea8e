import Foundation
import Testing

/// `ridgepoint eval` on the built binary: CSV/JSON/Markdown contracts, examples, conventions, model imports.
@Suite struct EvalCommandTests {
    @Test func csvHeaderIsTheContract() throws {
        let r = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3-8b", "--batch", "1,64", "--context", "4096", "--phase", "decode", "--gpus-per-replica", "1", "--format", "csv"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("gpu,model,phase,batch,context,gpus,weights,kv,flops,bytes,intensity,ridge,bound,step_s,tokens_per_s,weight_bytes,kv_bytes_per_token,memory_bytes,capacity_bytes,fits,usd_per_mtok"))
        #expect(lines.count == 3)
        let f = lines[1].split(separator: ",").map(String.init)
        #expect(f[0] == "h100-sxm" && f[1] == "llama-3-8b" && f[2] == "decode" && f[3] == "1" && f[4] == "4096" && f[5] == "1")
        #expect(f[12] == "memory" && f[19] == "true" && f[16] == "131072")
    }

    @Test func jsonCarriesAssumptions() throws {
        let r = try ridgepoint(["eval", "--gpu", "h200", "--model", "mixtral-8x7b", "--batch", "8", "--context", "1024", "--phase", "both", "--gpus-per-replica", "1", "--efficiency", "calibrated", "--format", "json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let rows = obj?["rows"] as? [[String: Any]]
        #expect(rows?.count == 2)
        #expect(rows?.first?["usd_per_mtok"] is Double)
        let a = obj?["assumptions"] as? [String: Any]
        // Calibrated factors are per GPU: the H200's BF16 matmul reaches 794.5 of 989 TFLOPS (0.80).
        let eff = (a?["efficiency"] as? [String: Any])?["gpus"] as? [[String: Any]]
        #expect(eff?.first?["gpu"] as? String == "h200")
        #expect(eff?.first?["compute"] as? Double == 0.8)
        #expect(eff?.first?["memory"] as? Double == 0.85)
        #expect(eff?.first?["overhead_s"] as? Double == 0.0003)
        #expect((a?["notes"] as? [Any])?.isEmpty == false)
    }

    @Test func markdownIsAGitHubTable() throws {
        let r = try ridgepoint(["eval", "--gpu", "l4", "--model", "mistral-7b", "--batch", "1", "--context", "512", "--phase", "decode", "--gpus-per-replica", "1", "--format", "md"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("| GPU | model | phase |"))
        #expect(r.stdout.contains("|---|---|---|---:|"))
    }

    @Test func examplesEvaluate() throws {
        for ex in ["examples/llama-70b-procurement.yaml", "examples/custom-hardware.yaml", "examples/seed-003-exercise-5.yaml",
                   "examples/speculative.yaml", "examples/pipeline.yaml", "examples/deepseek-ep.yaml", "examples/disaggregated.yaml",
                   "examples/buy-or-rent.yaml"] {
            let r = try ridgepoint(["eval", ex, "--format", "csv"])
            #expect(r.status == 0, "\(ex): \(r.stderr)")
            #expect(r.stderr.isEmpty)
        }
        let custom = try ridgepoint(["eval", "examples/custom-hardware.yaml", "--format", "table"])
        #expect(custom.stdout.contains("my-card") && custom.stdout.contains("h100-reserved") && custom.stdout.contains("my-moe"))
        #expect(custom.stdout.contains("Assumptions:"))
        #expect(custom.stdout.contains("H100 SXM $2.75/GPU-h"))
    }

    /// Each serving mode example evaluates, and its rows name their mode.
    @Test func servingModeExamplesNameTheirModes() throws {
        let r = try ridgepoint(["eval", "examples/deepseek-ep.yaml", "--phase", "decode", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        for key in ["tp8,", "tp8-ep8,", "tp8-dpattn,", "tp8-ep8-dpattn,"] { #expect(r.stdout.contains(key), "\(key)") }
        let bad = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3-70b", "--pp", "200"])
        #expect(bad.status != 0 && bad.stderr.contains("--pp: pp 200 is larger than the 80 layers"))
    }

    @Test func seedConventionReproducesSeed003() throws {
        let r = try ridgepoint(["eval", "examples/seed-003-exercise-5.yaml", "--batch", "1", "--format", "csv"])
        let row = r.stdout.split(separator: "\n")[1].split(separator: ",").map(String.init)
        // Exercise 5(a): 119.6 tokens/s on the H100 at B = 1 (a 7B model as 6.74 B parameters: 124.2).
        #expect(row[0] == "h100-sxm" && row[32] == "seed-003")
        #expect(abs(Double(row[10])! - 0.5) < 0.01)
    }

    @Test func modelFromAConfigFolder() throws {
        let r = try ridgepoint(["eval", "--model", "Tests/Fixtures/hf/qwen3-8b", "--gpu", "h100", "--batch", "1", "--context", "1024", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("qwen3-8b"))
        let bad = try ridgepoint(["eval", "--model", "./Tests/Fixtures/hf/nope", "--gpu", "h100"])
        #expect(bad.status == 1 && bad.stderr.contains("nope") && bad.stderr.contains("no such file"))
    }

    @Test func statedCountThatTheArchitectureContradictsWarns() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("s.yaml")
        try """
        gpus: [h100]
        models:
          - {id: mine, layers: 40, hidden_size: 5120, attention_heads: 40, intermediate_size: 27648, vocab_size: 152064, published_params_b: 14}
        batch_sizes: [1]
        contexts: [1024]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let r = try ridgepoint(["eval", spec.path, "--format", "csv"])
        #expect(r.status == 0 && r.stderr.contains("warning:") && r.stderr.contains("published_params_b: 14") && r.stderr.contains("22.74"))
    }
}
