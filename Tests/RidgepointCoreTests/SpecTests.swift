import Testing
@testable import RidgepointCore

/// Spec parsing: valid specs, custom hardware, and one test per error kind with its exact message.
@Suite struct SpecTests {
    func parse(_ yaml: String) throws -> Spec { try Spec.parse(yaml, file: "spec.yaml", catalog: catalog) }

    func message(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "no error" } catch { return "\(error)" }
    }

    /// Valid-looking input that would make a run take hours is refused where it is read.
    @Test func listsAndTextsAreBounded() throws {
        let many = (1...20_000).map(String.init).joined(separator: ", ")
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\nbatch_sizes: [\(many)]\n")
                == "spec.yaml:3:14: error: batch_sizes: the list has 20,000 entries; the limit is 10,000\n  help: a report cannot show that many; sample the range (e.g. powers of two) or split it into several specs")
        let long = String(repeating: "source text ", count: 300)
        #expect(message("gpus: [{id: c, memory_gb: 8, bandwidth_tbs: 1, bf16_tflops: 10, usd_per_hour: 1, notes: \"\(long)\"}]\nmodels: [llama-3-8b]\n")
                    .contains("error: gpus[0].notes: the text is 3,600 characters long; the limit is 2,000"))
        let gpus = (0..<201).map { "{id: g\($0), memory_gb: 8, bandwidth_tbs: 1, bf16_tflops: 10, usd_per_hour: 1}" }.joined(separator: ", ")
        #expect(message("gpus: [\(gpus)]\nmodels: [llama-3-8b]\n").contains("error: gpus: the list has 201 entries; the limit is 200"))
    }

    @Test func minimalSpec() throws {
        let s = try parse("gpus: [H100]\nmodels: [Llama-2-70b-hf]\n")
        #expect(s.gpus.map(\.id) == ["h100-sxm"])
        #expect(s.models.map(\.id) == ["llama-2-70b"])
        #expect(s.batchSizes == [1, 8, 32, 128, 512])
        #expect(s.cellCount == 1 * 1 * 5 * 3 * 1 * 2)
    }

    @Test func fullSpecWithCustomEntries() throws {
        let s = try parse("""
        title: Serving Llama-3-70B
        template: procurement
        formats: [pdf, svg, png, csv, md]
        gpus: [H100-SXM, h200, {name: my-card, bandwidth_tbs: 2.0, memory_gb: 96, bf16_tflops: 500, interconnect_gbs: 400, usd_per_hour: 1.5}]
        models: [llama-3-70b, mixtral-8x7b, {id: tiny, layers: 2, hidden_size: 256, attention_heads: 4, intermediate_size: 512, vocab_size: 1000}]
        batch_sizes: [1, 8, 32, 128, 512]
        contexts: [512, 4096, 32768]
        precision: {weights: fp8, kv: fp8}
        gpus_per_replica: [1, 2, 4, 8]
        slo: {tpot_ms: 50, ttft_ms: 500}
        efficiency: calibrated
        convention: seed-003
        prices: {h200: 3.1}
        """)
        #expect(s.gpus.count == 3)
        let card = s.gpus[2]
        #expect(card.id == "my-card" && card.bandwidth == 2e12 && card.memoryBytes == 96e9 && card.peak(.bf16) == 500e12)
        #expect(card.origin == "spec.yaml:4")
        #expect(s.gpus[1].price.usdPerHour == 3.1)
        #expect(s.models[2].headDim == 64 && s.models[2].kvHeads == 4)
        #expect(s.weights == .fp8 && s.kv == .fp8 && s.efficiency == .calibrated && s.convention == .seed003)
        #expect(s.slo.tpotMs == 50 && s.slo.ttftMs == 500)
    }

    @Test func customGPUBasedOnCatalogEntry() throws {
        let s = try parse("gpus: [{id: h100-cheap, base: h100-sxm, usd_per_hour: 1.2}]\nmodels: [llama-3-8b]\n")
        #expect(s.gpus[0].bandwidth == gpu("h100-sxm").bandwidth)
        #expect(s.gpus[0].price.usdPerHour == 1.2)
        #expect(s.catalog.gpu("h100-cheap") != nil)
    }

    @Test func invalidYAML() {
        #expect(message("gpus: [h100\nmodels: [x]\n") == "spec.yaml:2:7: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)")
    }

    @Test func unknownKeySuggestsNearest() {
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\nbatch_size: [1]\n") ==
            "spec.yaml:3:1: error: batch_size: unknown key 'batch_size'\n  help: did you mean 'batch_sizes'?")
    }

    @Test func unknownGPUSuggestsNearest() {
        #expect(message("gpus: [h100-sxn]\nmodels: [llama-3-8b]\n") ==
            "spec.yaml:1:8: error: gpus[0]: unknown GPU 'h100-sxn'\n  help: did you mean 'h100-sxm'?")
    }

    @Test func unknownModelSuggestsNearest() {
        #expect(message("gpus: [h100]\nmodels: [lama-3-70b]\n") ==
            "spec.yaml:2:10: error: models[0]: unknown model 'lama-3-70b'\n  help: did you mean 'llama-3-70b'?")
    }

    @Test func wrongType() {
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\nbatch_sizes: [1, eight]\n") ==
            "spec.yaml:3:18: error: batch_sizes[1]: expected a whole number, got 'eight'")
        #expect(message("gpus: h100\nmodels: [llama-3-8b]\nslo: 50\n") ==
            "spec.yaml:3:6: error: slo: expected a mapping (key: value pairs), got '50'")
    }

    @Test func nonPositiveNaNInfiniteAndAbsurdNumbers() {
        let base = "models: [llama-3-8b]\ngpus: [{name: g, memory_gb: 80, bf16_tflops: 100, usd_per_hour: 1, bandwidth_tbs: "
        #expect(message(base + "-2}]\n") == "spec.yaml:2:83: error: gpus[0].bandwidth_tbs: expected a positive number (TB/s), got -2")
        #expect(message(base + "0}]\n") == "spec.yaml:2:83: error: gpus[0].bandwidth_tbs: expected a positive number (TB/s), got 0")
        #expect(message(base + ".nan}]\n") == "spec.yaml:2:83: error: gpus[0].bandwidth_tbs: expected a number (TB/s), got '.nan'")
        #expect(message(base + "nan}]\n") == "spec.yaml:2:83: error: gpus[0].bandwidth_tbs: expected a finite number, got 'nan'")
        #expect(message(base + "inf}]\n") == "spec.yaml:2:83: error: gpus[0].bandwidth_tbs: expected a finite number, got 'inf'")
        #expect(message(base + "5e9}]\n") == "spec.yaml:2:83: error: gpus[0].bandwidth_tbs: 5e9 TB/s is implausibly large (limit 1000)")
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\nbatch_sizes: [0]\n") ==
            "spec.yaml:3:15: error: batch_sizes[0]: expected a whole number ≥ 1, got 0")
    }

    @Test func emptyListsAndDuplicates() {
        #expect(message("gpus: []\nmodels: [llama-3-8b]\n") == "spec.yaml:1:7: error: gpus: expected at least one GPU")
        #expect(message("gpus: [h100, H100-SXM]\nmodels: [llama-3-8b]\n") ==
            "spec.yaml:1:14: error: gpus[1]: GPU 'h100-sxm' is listed twice\n  help: remove the repeated entry")
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\ncontexts: [512, 512]\n") ==
            "spec.yaml:3:17: error: contexts[1]: context length '512' is listed twice\n  help: remove the repeated entry")
    }

    @Test func missingRequiredLists() {
        #expect(message("models: [llama-3-8b]\n") == "spec.yaml:1:1: error: the spec names no GPUs\n  help: add e.g. `gpus: [h100-sxm, h200]`")
    }

    @Test func customGPUMissingField() {
        #expect(message("gpus: [{name: g, memory_gb: 80, bf16_tflops: 100, usd_per_hour: 1}]\nmodels: [llama-3-8b]\n") ==
            "spec.yaml:1:8: error: gpus[0]: missing required field 'bandwidth_tbs'")
    }

    @Test func unsafeNamesAreRefused() {
        #expect(message("gpus: [{name: ../../etc/x, memory_gb: 80, bandwidth_tbs: 1, bf16_tflops: 100, usd_per_hour: 1}]\nmodels: [llama-3-8b]\n") ==
            "spec.yaml:1:15: error: gpus[0].name: invalid id '../../etc/x': it contains '..'\n  help: use letters, digits, '.', '_', '-' or '+', e.g. 'my-gpu-2'")
    }

    @Test func matrixTooLargeIsRefusedBeforeWork() {
        let many = (1...5000).map(String.init).joined(separator: ", ")
        let m = message("gpus: [h100, h200]\nmodels: [llama-3-8b, llama-3-70b]\nbatch_sizes: [\(many)]\ncontexts: [\(many)]\n")
        #expect(m.hasPrefix("spec.yaml:1: error: the matrix has 200,000,000 cells (2 GPUs × 2 models × 5,000 batch sizes × 5,000 contexts × 1 replica size × 1 serving mode × 2 phases); the limit is 20,000,000"))
    }

    @Test func unknownEnumValues() {
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\nprecision: {weights: fq8}\n") ==
            "spec.yaml:3:22: error: precision.weights: unknown weight format 'fq8'\n  help: did you mean 'fp8'?")
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\nconvention: seed-03\n") ==
            "spec.yaml:3:13: error: convention: unknown convention 'seed-03'\n  help: did you mean 'seed-003'?")
    }

    @Test func defaultSpecParses() throws {
        let s = try Spec.defaultSpec(catalog: catalog)
        #expect(s.gpus.count >= 4 && s.models.count >= 3)
    }
}

extension SpecTests {
    @Test func replicasNeedAnInterconnect() {
        #expect(message("gpus: [{id: c, memory_gb: 10, bandwidth_tbs: 1, bf16_tflops: 10, usd_per_hour: 1}]\nmodels: [llama-3-8b]\ngpus_per_replica: [1, 4]\n") ==
            "spec.yaml:3: error: gpus_per_replica: GPU 'c' has no interconnect bandwidth, so it cannot form replicas of 4 GPUs\n  help: add `interconnect_gbs: <GB/s>` to its entry, or use gpus_per_replica: [1]")
    }

    @Test func prefillNeedsTokens() {
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\ncontexts: [0, 512]\n") ==
            "spec.yaml:3: error: contexts: a context of 0 tokens cannot be prefilled\n  help: use contexts of at least 1 token, or `phases: [decode]`")
        #expect(message("gpus: [h100]\nmodels: [llama-3-8b]\ncontexts: [0, 512]\nphases: [decode]\n") == "no error")
    }
}

/// The spec in phases: parsed values remember their file and line, flags that replace them are
/// remembered as the flag, and the checks after both (`validate`) point at whichever set the value.
@Suite struct SpecOriginTests {
    func parse(_ yaml: String) throws -> Spec { try Spec.parse(yaml, file: "spec.yaml", catalog: catalog) }

    @Test func parsedValuesRememberTheirLine() throws {
        let spec = try parse("gpus: [h100]\nmodels: [llama-3-8b]\n\ncontexts: [512, 4096]\n")
        #expect(spec.origins["contexts"] == .file("spec.yaml", line: 4))
        #expect(spec.origins["batch_sizes"] == nil)
        #expect(spec.location(of: "contexts") == ("spec.yaml", 4, "contexts"))
        #expect(spec.location(of: "batch_sizes") == ("spec.yaml", nil, "batch_sizes"))
        #expect(ValueOrigin.file("spec.yaml", line: 4).description == "spec.yaml:4" && ValueOrigin.flag("--batch").description == "--batch")
    }

    @Test func aFlagReplacesTheValueAndItsOrigin() throws {
        var spec = try parse("gpus: [h100]\nmodels: [llama-3-8b]\nphases: [prefill]\ncontexts: [512]\n")
        spec.set(\.contexts, [0, 512], key: "contexts", from: "--context")
        #expect(spec.contexts == [0, 512] && spec.fromFlag("contexts") && !spec.fromFlag("phases"))
        #expect(spec.location(of: "contexts") == (nil, nil, "--context"))
        // The check names the flag, not the spec file the other values came from.
        #expect(throws: RidgepointError.self) { try spec.validate() }
        do { try spec.validate() } catch {
            #expect("\(error)" == "error: --context: a context of 0 tokens cannot be prefilled\n  help: use --context values of at least 1 token, or --phase decode")
        }
    }

    @Test func anErrorInTheFileNamesTheLineOfItsKey() {
        do {
            _ = try parse("gpus: [h100]\nmodels: [llama-3-8b]\nphases: [prefill]\ncontexts: [0]\n")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "spec.yaml:4: error: contexts: a context of 0 tokens cannot be prefilled\n  help: use contexts of at least 1 token, or `phases: [decode]`")
        }
    }
}
