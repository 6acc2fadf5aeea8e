import Foundation
import Testing
@testable import RidgepointCore

/// Every constructor of the message catalogue, with its exact text: the one place a wording is
/// asserted. Call-site tests check only that the right message comes out.
@Suite struct MessagesTests {
    @Test func namesAndValues() {
        #expect(Messages.unknown("format", "jsn", field: "--format", among: ["table", "json", "csv"]).description
                == "error: --format: unknown format 'jsn'\n  help: did you mean 'json'?")
        #expect(Messages.unknown("catalog", "zzzzzz", field: "kind", among: ["gpus", "models"]).description
                == "error: kind: unknown catalog 'zzzzzz'\n  help: use gpus or models")
        #expect(Messages.unknown("file extension", ".gif", field: "-o", among: [".svg", ".png", ".pdf"], file: "x.gif").description
                == "x.gif: error: -o: unknown file extension '.gif'\n  help: use .svg, .png or .pdf")
        #expect(Messages.expected("whole numbers", got: "'x'", field: "--batch").description == "error: --batch: expected whole numbers, got 'x'")
        #expect(Messages.expected("1…32 drafted tokens", got: "40", field: "--speculative", help: "e.g. 4:0.7").description
                == "error: --speculative: expected 1…32 drafted tokens, got 40\n  help: e.g. 4:0.7")
        #expect(Messages.missing("chart type", field: "TYPE", help: "use roofline").description == "error: TYPE: missing chart type\n  help: use roofline")
        #expect(Messages.listedTwice("h100", field: "--gpu").description == "error: --gpu: 'h100' is listed twice")
        #expect(Messages.implausiblyLarge(10_000_000, limit: 1_000_000, field: "--batch").description
                == "error: --batch: 10000000 is implausibly large (limit 1000000)")
        #expect(Messages.needs("fitted efficiency", "measurements", field: "--efficiency").description
                == "error: --efficiency: fitted efficiency needs measurements")
    }

    @Test func filesAndFolders() {
        #expect(Messages.noSuchSpecFile("s.yaml").description == "s.yaml: error: no such spec file")
        #expect(Messages.noSuchSpecFile("evl", orSubcommand: true).description == "evl: error: no such spec file (and no subcommand of that name)")
        #expect(Messages.alreadyExists("r.yaml").description == "r.yaml: error: already exists\n  help: pass --force to overwrite it, or name another file")
        #expect(Messages.missingResource("the starter spec").description == "error: this build of Ridgepoint lacks the starter spec")
        #expect(Messages.invalidJSON("r.json", "bad token").description == "r.json: error: not valid JSON: bad token")
        #expect(Messages.cannotWrite("a.json", "No space left on device", diskFull: true).description
                == "a.json: error: cannot write the file (disk full?): No space left on device")
        #expect(Messages.cannotWrite("m.tsv", "Permission denied", what: "the manifest").description == "m.tsv: error: cannot write the manifest: Permission denied")
        #expect(Messages.cannotWrite("/dev/x", "Bad file", what: "").description == "/dev/x: error: cannot write: Bad file")
        #expect(Messages.cannotWriteStandardOutput("Broken pipe").description == "error: cannot write to standard output: Broken pipe")
        #expect(Messages.isAFolder("out").description == "out: error: is a folder, not a file")
        #expect(Messages.notAFolder("out").description == "out: error: the output path exists and is not a folder")
        #expect(Messages.cannotCreateFolder("out", "denied", output: true).description == "out: error: cannot create the output folder: denied")
        #expect(Messages.refusedFileName("../x", "it leaves the folder").description
                == "../x: error: refusing to write an output file with this name: it leaves the folder")
        #expect(Messages.vanished("f").description == "f: error: the file vanished right after it was written")
        #expect(Messages.cannotMoveIntoPlace("f", "EXDEV").description == "f: error: cannot move the new file into place: EXDEV")
        #expect(Messages.cannotLock("out", "denied").description == "out: error: cannot create the lock file: denied")
        #expect(Messages.folderInUse("out").description
                == "out: error: another ridgepoint run is writing to this folder\n  help: wait for it to finish, or choose another folder with -o")
    }

    @Test func decisionsAndLists() {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        #expect(Messages.cannotRender("the roofline chart", Boom()).description == "error: cannot render the roofline chart: boom")
        #expect(Messages.noQualifyingGPU(models: ["A", "B"], purpose: "there is nothing to rank").description
                == "error: no GPU qualifies for any workload of A, B, so there is nothing to rank\n  help: relax the workloads' latency targets (slo), allow more GPUs per replica, or add GPUs")
        #expect(Messages.list([]) == "" && Messages.list(["a"]) == "a" && Messages.list(["a", "b", "c"]) == "a, b or c")
        #expect(Messages.list(["a", "b"], conjunction: "and") == "a and b")
    }

    /// The located texts spec and catalog readers attach to a YAML node.
    @Test func textsForSpecAndCatalogNodes() {
        typealias T = Messages.Text
        #expect(T.missingField("name", help: "e.g. `{name: chat}`") == MessageText("missing required field 'name'", help: "e.g. `{name: chat}`"))
        #expect(T.atLeastOne("GPU") == MessageText("expected at least one GPU"))
        #expect(T.listedTwice("model 'x'", help: "remove the repeated entry") == MessageText("model 'x' is listed twice", help: "remove the repeated entry"))
        #expect(T.implausiblyLarge("5e9 W", limit: "1e+06") == MessageText("5e9 W is implausibly large (limit 1e+06)"))
        #expect(T.implausiblySmall("0.0001 B", minimum: "0.001") == MessageText("0.0001 B is implausibly small (minimum 0.001)"))
        #expect(T.tooManyEntries("20,000", limit: "10,000").message == "the list has 20,000 entries; the limit is 10,000")
        #expect(T.exceeds("kv_heads (9)", "attention_heads (8)") == MessageText("kv_heads (9) exceeds attention_heads (8)"))
        #expect(T.notAMultiple("attention_heads (10)", of: "kv_heads (4)") == MessageText("attention_heads (10) is not a multiple of kv_heads (4)"))
        #expect(T.eitherNotBoth("draft_model", "mtp") == MessageText("give either draft_model or mtp, not both"))
        #expect(T.expected("a number (W)", got: "'lots'").at(file: "s.yaml", line: 3, column: 9, field: "gpus[0].tdp_w").description
                == "s.yaml:3:9: error: gpus[0].tdp_w: expected a number (W), got 'lots'")
    }

    @Test func measurementAndCSVTexts() {
        typealias M = Messages.Measurements
        #expect(M.emptyFile(requiredColumns: ["gpu", "model"]) == MessageText("the measurement file is empty; expected a header line", help: "start with: gpu,model"))
        #expect(M.tooManyRows(200_001, limit: 200_000) == MessageText("200001 measurements; the limit is 200000", help: "split the file, or sample the runs"))
        #expect(M.rowWidth(3, header: 5) == MessageText("the row has 3 fields; the header has 5", help: "quote a value that contains a comma"))
        #expect(M.rowWidth(1, header: 10).message == "the row has 1 field; the header has 10")
        #expect(M.nothingMeasured.message == "nothing measured: tpot_ms, ttft_ms and output_tokens_per_s are all empty")
        #expect(M.noGPU(file: "run.json").help == "pass --gpu ID (and --gpus N), or list it in the spec as `measurements: [{file: run.json, gpu: h100-sxm, gpus: 1}]`")
        #expect(M.noConcurrencyLimit == MessageText("no concurrency limit was set, so the batch is unknown", help: "run the benchmark with --max-concurrency N"))
        #expect(M.noRequestCompleted.message == "no request completed" && M.noTokens.message == "fewer than one token per request")
        #expect(Messages.CSV.quoteInsideField.help == "quote the whole field and double the quotes inside it: \"say \"\"hi\"\"\"")
        #expect(Messages.CSV.textAfterQuote == MessageText("text after a closing quote", help: "put the comma right after the closing quote"))
        #expect(Messages.CSV.unclosedQuote.message == "a quoted field is not closed")
    }

    @Test func templateTexts() {
        typealias T = Messages.Templates
        #expect(T.unknownTemplate("wikki", builtIn: ["procurement", "wiki"]).help == "did you mean 'wiki'? (or a folder holding report.mustache)")
        #expect(T.unknownTemplate("zzzzzzzz", builtIn: ["procurement", "wiki"]) == MessageText("no built-in template or template folder by this name",
                                                                                       help: "use procurement, wiki or a folder holding report.mustache"))
        #expect(T.noMainFile("report.mustache").message == "the template folder has no report.mustache")
        #expect(T.tooManyFiles(300, limit: 256).message == "the template folder has 300 .mustache files; the limit is 256")
        #expect(T.leadsOutside(to: "/etc/passwd") == MessageText("the template file leads outside the template folder (to /etc/passwd)",
                                                                 help: "copy the file into the folder instead of linking to it"))
        #expect(T.notRegularFile.message == "the template file is not a regular file")
        #expect(T.fileTooLarge(2_000_000, limit: 1_000_000).message == "the template file is 2000000 bytes; the limit is 1000000")
        #expect(T.filesTooLarge(limit: 4_000_000).message == "the template files add up to more than 4000000 bytes")
        #expect(T.notUTF8.message == "cannot read the template file as UTF-8 text")
        #expect(T.wouldOverwrite == MessageText("the file exists; not overwriting it", help: "choose an empty folder"))
        #expect(T.syntax("unclosed section", near: "{{#models}}") == MessageText("template syntax error: unclosed section", help: "near: {{#models}}"))
        #expect(T.notRendered.message == "the template could not be rendered")
        #expect(T.dynamicPartial == MessageText("dynamic partials ({{>*name}}) are not supported", help: "name the partial directly, e.g. {{> header}}"))
        #expect(T.partialCycle("loop", chain: "loop → loop") == MessageText("partial 'loop' includes itself (loop → loop)", help: "remove the cycle of partials"))
        #expect(T.tooDeep(limit: 64) == MessageText("sections and partials nest more than 64 deep here", help: "flatten the template"))
        #expect(T.unclosedBlock("note").message == "the '::: note' block is never closed with a ':::' line")
        #expect(T.directiveWithoutName.message == "a ':::' line needs a directive name (chart, table, note, warning, erratum, pagebreak, …)")
        #expect(T.badName("name=a/b", "contains '/'") == MessageText("name=a/b: contains '/'", help: "use letters, digits, '.', '_', '-' or '+'"))
        #expect(T.chartsPerPairOnly.message == "expected '::: charts per-pair [kinds=roofline,cost-hyperbola]'")
        #expect(T.tooManyCharts(limit: 2000).message == "the report would draw more than 2000 charts")
        #expect(T.workloadOutOfRange(4, count: 3) == MessageText("workload=4 is out of range", help: "the spec has 3 workloads; number them from 1"))
        #expect(T.workloadOutOfRange(2, count: 1).help == "the spec has 1 workload; number them from 1")
        #expect(T.calibrationNeedsMeasurements.message == "the calibration table needs measurements of the spec's GPUs")
    }

    @Test func readingAndSpecTexts() {
        typealias R = Messages.Reading
        #expect(R.noSuchFile("spec file") == MessageText("no such spec file"))
        #expect(R.cannotRead("spec file", "Permission denied") == MessageText("cannot read the spec file: Permission denied"))
        #expect(R.notRegular("spec file").message == "the spec file is not a regular file")
        #expect(R.tooLarge("spec file", bytes: "9000000", limit: 8_000_000).message == "the spec file is too large: 9000000 bytes; the limit is 8000000 bytes")
        #expect(R.notUTF8("spec file").message == "the spec file is not UTF-8 text")
        #expect(R.emptyYAML.message == "the file is empty; expected a YAML mapping")
        #expect(R.invalidYAML("found unexpected end of stream").message == "invalid YAML: found unexpected end of stream")
        #expect(R.duplicateKeys(["gpus"]) == MessageText("duplicate key 'gpus' in a mapping", help: "each key may appear once; remove or merge the repeated entries"))
        #expect(R.unknownKey("batch_size", allowed: ["batch_sizes", "contexts"]) == MessageText("unknown key 'batch_size'", help: "did you mean 'batch_sizes'?"))
        #expect(R.unknownKey("zzzzzzzz", allowed: ["a", "b"]).help == "allowed keys: a, b")
        #expect(R.keysArePlainNames.message == "mapping keys must be plain names")
        typealias S = Messages.Specs
        #expect(S.noGPUs == MessageText("the spec names no GPUs", help: "add e.g. `gpus: [h100-sxm, h200]`"))
        #expect(S.noModels == MessageText("the spec names no models", help: "add e.g. `models: [llama-3-70b]`"))
        #expect(S.priceWithoutValues.message == "expected usd_per_hour and/or capex_usd")
        #expect(S.tpGivenTwice == MessageText("the tensor-parallel degree is given twice, as gpus_per_replica and serving.tp", help: "keep one of them"))
        #expect(S.fittedNeedsMeasurements.message == "efficiency: fitted needs measurements to fit")
        #expect(S.unknownEfficiency("idel").help == "did you mean 'ideal'?")
        #expect(S.noScaleOut(gpu: "x", domain: 8, replica: 16) == MessageText(
            "GPU 'x' links 8 GPUs and has no scale-out bandwidth, so it cannot form replicas of 16 GPUs",
            help: "add `scale_out_gbs: <GB/s>` to its entry, or use replicas of at most 8 GPUs"))
        #expect(S.noInterconnect(gpu: "x", replica: 2).message == "GPU 'x' has no interconnect bandwidth, so it cannot form replicas of 2 GPUs")
        #expect(S.zeroContextPrefill() == MessageText("a context of 0 tokens cannot be prefilled", help: "use contexts of at least 1 token, or `phases: [decode]`"))
        #expect(S.zeroContextPrefill(flags: true).help == "use --context values of at least 1 token, or --phase decode")
        #expect(S.matrixTooLarge(cells: 24_000_000, gpus: 6, models: 1, batches: 2000, contexts: 2000, replicaSizes: 1, modes: 1, phases: 1, limit: 20_000_000)
                == MessageText("the matrix has 24,000,000 cells (6 GPUs × 1 model × 2,000 batch sizes × 2,000 contexts × 1 replica size × 1 serving mode × 1 phase); the limit is 20,000,000",
                               help: "split the run or shorten some lists"))
        #expect(S.matrixTooLarge(cells: nil, gpus: 2, models: 2, batches: 2, contexts: 2, replicaSizes: 2, modes: 2, phases: 2, limit: 10).message.hasPrefix("the matrix has more than 9e18 cells (2 GPUs"))
        #expect(S.noKVNetwork("L40S", flags: true).help == "give the link bandwidth as a third number, e.g. --disaggregated 1:1:50 (GB/s)")
        #expect(S.splitNotWholeReplicas(prefill: 1, decode: 2, sizes: [2], flags: true).help == "give --disaggregated P:D with P and D multiples of 2")
        #expect(S.epNotATPDegree(8, tp: [1], flags: true).help == "add --gpus-per-replica 8")
        #expect(S.dpAttentionBatch(tp: 8, smallestBatch: 1, flags: true).help == "use --batch values of at least 8, or drop --dp-attention")
        #expect(Messages.count(1, "GPU") == "1 GPU" && Messages.count(2_000, "batch size") == "2,000 batch sizes" && Messages.count(2, "child", plural: "children") == "2 children")
        #expect(S.tooManyModes("5,000", limit: 1_000).message == "the lists sweep 5,000 combinations of modes; the limit is 1000")
        #expect(S.mtpFalse.message == "mtp: false leaves the speculation without a draft")
        #expect(S.ppAboveLayers(200, layers: 80, model: "Llama 3 70B") == MessageText("pp 200 is larger than the 80 layers of Llama 3 70B", help: "use at most 80 pipeline stages"))
        #expect(S.epWithoutExperts(3, models: ["Llama 3 70B"]).message == "ep 3 needs a mixture-of-experts model; Llama 3 70B has no experts")
        #expect(S.epAboveExperts(16, experts: 8, model: "Mixtral").message == "ep 16 is larger than the 8 experts of Mixtral")
        #expect(S.epNotATPDegree(8, tp: [1, 2]).message == "ep 8 spreads the experts over a replica's tensor-parallel GPUs, but gpus_per_replica is 1, 2")
        #expect(S.dpAttentionBatch(tp: 8, smallestBatch: 4).help == "use batch sizes of at least 8, or drop data-parallel attention")
        #expect(S.splitNotWholeReplicas(prefill: 1, decode: 3, sizes: [2, 4]) == MessageText("1:3 GPUs is not a whole number of replicas of 2 or 4 GPUs",
                                                                                          help: "give prefill_gpus and decode_gpus as multiples of 2"))
        #expect(S.noKVNetwork("L40S").message == "L40S has no scale-out network to ship the KV cache over")
        #expect(R.textTooLong("3,000", limit: "2,000").message == "the text is 3,000 characters long; the limit is 2,000")
        #expect(Messages.unknownHelpTopic("evl", topics: ["eval", "render"]) == "error: no help topic 'evl'\n  help: did you mean 'eval'?")
        #expect(S.speculationWithoutDraft.message == "the speculation needs a draft")
    }

    @Test func catalogChartAndTeachingTexts() {
        typealias C = Messages.Catalogs
        #expect(C.unknownEntry("GPU", "h100-sxn", nearest: "h100-sxm", all: ["h100-sxm"], listCommand: "gpus").help == "did you mean 'h100-sxm'?")
        #expect(C.unknownEntry("model", "zz", nearest: nil, all: ["a", "b"], listCommand: "models")
                == MessageText("unknown model 'zz'", help: "known models: a, b; `ridgepoint catalog models` lists them"))
        #expect(C.reportedAboveDatasheet(mib: "200000", datasheetGB: "80").message == "200000 MiB reported is more than the 80 GB of the datasheet")
        #expect(C.sparseBelowDense(sparse: "900", dense: "989").message == "sparse peak 900 TFLOPS is below the dense peak 989")
        #expect(C.missingSixteenBitPeak.message == "missing a bf16 or fp16 peak")
        #expect(C.missingPurchasePrice.message == "missing the purchase price")
        #expect(C.boundBeyondPrice("low_usd", "40,000", "above", price: "30,000").message == "low_usd 40,000 is above the price 30,000")
        #expect(C.missingPrice(custom: true).help == "add `usd_per_hour: <dollars per GPU-hour>`")
        #expect(C.missingCalibrationSource.message == "missing 'source' for the calibration factors")
        #expect(C.noHeadDim(hidden: 100, heads: 7).message == "missing 'head_dim' and hidden_size 100 is not a multiple of attention_heads 7")
        #expect(C.invalidID("a/b", "contains '/'").message == "invalid id 'a/b': contains '/'")
        #expect(C.noSuchModelPath.message == "no such file or folder" && C.noConfigJSON.message == "the folder holds no config.json")
        #expect(C.unsupportedArchitecture("bert", architecture: "BertModel", supported: "Llama (llama)").message
                == "cannot map model_type 'bert' (BertModel) to Ridgepoint's architecture model")
        typealias H = Messages.Charts
        #expect(H.needsData("tornado", "a model and a workload").description == "error: the tornado chart needs a model and a workload")
        #expect(H.overCapacity("roofline", gpus: 4, models: "1", contexts: "any number of", got: "6, 3 and 3").message
                == "one roofline chart draws at most 4 GPUs, 1 models and any number of contexts; got 6, 3 and 3")
        #expect(H.noWinner("M", "chat").message == "no GPU qualifies for M, chat, so there is no winner to vary")
        #expect(H.nothingToVary("M", "chat").message == "the tornado chart of M, chat has no input to vary")
        #expect(H.noMeasuredPoint(gpus: ["h100-sxm"], models: ["m"]).message == "the parity chart has no measured point for h100-sxm and m")
        typealias E = Messages.Teaching
        #expect(E.sameGPU("h100-sxm").description == "error: --compare-gpu: GPU B is the same as GPU A ('h100-sxm')\n  help: compare two different GPUs, e.g. --gpu h100-sxm --compare-gpu h200")
        #expect(E.tooFewPricedGPUs.message == "the catalog needs at least two priced GPUs for exercise variants")
        #expect(E.noModelsForVariants.message == "the catalog has no models for exercise variants")
        #expect(E.noComputation("003-231").description == "errata/statements.json: error: 003-231: no computation for this statement")
    }

    /// New errors go through the catalogue: no source file outside it writes a message literal
    /// into an error (`message: "…"`, `.error("…")`, `DirectiveError(message:`).
    @Test func noMessageIsWrittenOutsideTheCatalogue() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let allowed: Set<String> = ["Messages.swift", "Diagnostics.swift", "EmbeddedResources.swift"]
        var offenders: [String] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for f in files where f.hasSuffix(".swift") && !allowed.contains((f as NSString).lastPathComponent) {
            let text = try String(contentsOf: sources.appendingPathComponent(f), encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("message: \"") || line.contains("error(\"") || line.contains("refuse(\"") && line.contains(", \"")
                || line.contains("DirectiveError(message:") || line.contains("\"error: ") {
                // The builder's prefix of a directive's own message composes, it words nothing.
                if line.contains("\\(e.message)") || line.contains("@available") { continue }
                offenders.append("\(f):\(i + 1)")
            }
        }
        #expect(!files.isEmpty)
        #expect(offenders.isEmpty, "messages written outside Messages.swift: \(offenders)")
    }
}

/// Suggestions: one slip in a short name, a third of a long one; a swap of neighbours is one slip.
@Suite struct SuggestTests {
    @Test func nearMissesAndNot() {
        #expect(Suggest.distance("bf61", "bf16") == 1)
        #expect(Suggest.distance("h100-sxn", "h100-sxm") == 1)
        #expect(Suggest.distance("abc", "") == 3)
        #expect(Suggest.nearest("bf61", in: ["bf16", "fp8"]) == "bf16")
        #expect(Suggest.nearest("jsn", in: ["json", "csv", "md"]) == "json")
        #expect(Suggest.nearest(".gif", in: [".svg", ".png", ".pdf"]) == nil)
        #expect(Suggest.nearest("lama-3-70b", in: ["llama-3-70b", "llama-3-8b"]) == "llama-3-70b")
        #expect(Suggest.nearest("xyz", in: ["json", "csv"]) == nil)
    }
}
