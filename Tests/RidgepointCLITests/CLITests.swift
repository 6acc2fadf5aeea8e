import Foundation
import Testing

/// End-to-end: runs the built `ridgepoint` binary on example specs and checks exit codes and output.
struct Run { var status: Int32; var stdout: String; var stderr: String }

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func binary() -> URL {
    // The test bundle sits next to the products (…/.build/debug/RidgepointPackageTests.xctest).
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("ridgepoint").path) {
        dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("ridgepoint")
}

func ridgepoint(_ args: [String], cwd: URL = packageRoot, env: [String: String] = [:], executable: URL? = nil) throws -> Run {
    let p = Process()
    p.executableURL = executable ?? binary()
    p.arguments = args
    p.currentDirectoryURL = cwd
    if !env.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func tempDir() -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("ridgepoint-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

@Suite struct EvalCommandTests {
    /// A sheet printed without options is the student edition (no answers), and its JSON
    /// numbers carry no binary noise.
    @Test func exercisesDefaultToTheStudentEdition() throws {
        let r = try ridgepoint(["exercises", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"edition\": \"student\""))
        #expect(!r.stdout.contains("\"answers\""))
        let i = try ridgepoint(["exercises", "--format", "json", "--edition", "instructor"])
        #expect(i.stdout.contains("\"answers\""))
        let noise = try NSRegularExpression(pattern: "\\d\\.\\d*(0000000|9999999)\\d")
        #expect(noise.firstMatch(in: i.stdout, range: NSRange(i.stdout.startIndex..., in: i.stdout)) == nil, "float noise in exercise JSON")
    }

    /// A spec gives the sheet its GPUs, model, prices and custom entries.
    @Test func exercisesReadASpec() throws {
        let r = try ridgepoint(["exercises", "examples/custom-hardware.yaml", "--format", "md"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("H100-SXM at $2.75/h") && r.stdout.contains("$1.85/h"), "spec prices and the custom GPU")
        #expect(!r.stdout.contains("the numbers of seed 003"))
        let bad = try ridgepoint(["exercises", "no-such-spec.yaml"])
        #expect(bad.status != 0 && bad.stderr.contains("no such spec file"))
    }

    /// Each serving mode example evaluates, and its rows name their mode.
    @Test func servingModeExamplesNameTheirModes() throws {
        let r = try ridgepoint(["eval", "examples/deepseek-ep.yaml", "--phase", "decode", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        for key in ["tp8,", "tp8-ep8,", "tp8-dpattn,", "tp8-ep8-dpattn,"] { #expect(r.stdout.contains(key), "\(key)") }
        let bad = try ridgepoint(["eval", "--gpu", "h100", "--model", "llama-3-70b", "--pp", "200"])
        #expect(bad.status != 0 && bad.stderr.contains("--pp: pp 200 is larger than the 80 layers"))
    }

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

    @Test func seedConventionReproducesSeed003() throws {
        let r = try ridgepoint(["eval", "examples/seed-003-exercise-5.yaml", "--batch", "1", "--format", "csv"])
        let row = r.stdout.split(separator: "\n")[1].split(separator: ",").map(String.init)
        // Exercise 5(a): 119.6 tokens/s on the H100 at B = 1 (a 7B model as 6.74 B parameters: 124.2).
        #expect(row[0] == "h100-sxm" && row[32] == "seed-003")
        #expect(abs(Double(row[10])! - 0.5) < 0.01)
    }
}

@Suite struct ErrorTests {
    @Test func unknownGPUFlagSuggests() throws {
        let r = try ridgepoint(["eval", "--gpu", "h100-sxn"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "error: --gpu: unknown GPU 'h100-sxn'\n  help: did you mean 'h100-sxm'?\n")
    }

    @Test func badSpecFileNamesFileLineAndField() throws {
        let dir = tempDir()
        let spec = dir.appendingPathComponent("bad.yaml")
        try "gpus: [h100]\nmodels: [llama-3-8b]\nbatch_sizes: [1, -4]\n".write(to: spec, atomically: true, encoding: .utf8)
        let r = try ridgepoint(["eval", spec.path])
        #expect(r.status == 1)
        #expect(r.stderr == "\(spec.path):3:18: error: batch_sizes[1]: expected a whole number ≥ 1, got -4\n")
    }

    @Test func missingSpecFile() throws {
        let r = try ridgepoint(["eval", "/nonexistent/spec.yaml"])
        #expect(r.status == 1)
        #expect(r.stderr == "/nonexistent/spec.yaml: error: no such spec file\n")
    }

    @Test func badFlagValues() throws {
        let r = try ridgepoint(["eval", "--batch", "1,x"])
        #expect(r.status == 1 && r.stderr == "error: --batch: expected whole numbers, got 'x'\n")
        let c = try ridgepoint(["eval", "--convention", "seed-03"])
        #expect(c.status == 1 && c.stderr.contains("did you mean 'seed-003'?"))
    }

    @Test func badSpecLeavesOutputUntouched() throws {
        let dir = tempDir()
        let spec = dir.appendingPathComponent("bad.yaml")
        try "gpus: [h100]\nmodels: [nope]\n".write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try ridgepoint(["render", spec.path, "-o", out.path, "--quiet"])
        #expect(r.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

@Suite struct CatalogAndDefaultRunTests {
    @Test func catalogListsWithSources() throws {
        let g = try ridgepoint(["catalog", "gpus", "--format", "csv"])
        #expect(g.status == 0)
        #expect(g.stdout.split(separator: "\n").count == 18)   // header + 17 GPUs
        for id in ["b300", "gb300", "h20", "mi325x", "mi355x"] { #expect(g.stdout.contains("\n\(id),"), "\(id)") }
        #expect(g.stdout.contains("h100-sxm") && g.stdout.contains("datasheet"))
        let m = try ridgepoint(["catalog", "models"])
        #expect(m.status == 0 && m.stdout.contains("deepseek-v3") && m.stdout.contains("MLA"))
    }

    @Test func defaultRunWritesOutputsAndIsIdempotent() throws {
        let dir = tempDir()
        let r = try ridgepoint(["-o", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = dir.appendingPathComponent("out/matrix.csv")
        let first = try Data(contentsOf: csv)
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("gpu,model,phase,"))
        let mtime = try FileManager.default.attributesOfItem(atPath: csv.path)[.modificationDate] as? Date
        let again = try ridgepoint(["-o", dir.appendingPathComponent("out").path])
        #expect(again.status == 0)
        #expect(again.stderr.contains("wrote nothing (unchanged)"))
        #expect(try Data(contentsOf: csv) == first)
        #expect(try FileManager.default.attributesOfItem(atPath: csv.path)[.modificationDate] as? Date == mtime)
    }
}

/// `exercises --document errata` and `--errata` (issue 15).
@Suite struct ErrataRegisterCommandTests {
    @Test func registerInEveryFormat() throws {
        let j = try ridgepoint(["exercises", "--document", "errata", "--format", "json"])
        #expect(j.status == 0 && j.stdout.contains("\"seed_file\": \"004_972c7b33d6c3e50f.txt\""))
        let md = try ridgepoint(["exercises", "--document", "errata", "--format", "md"])
        #expect(md.status == 0 && md.stdout.contains("# Seed 002"))
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("errata.pdf").path
        let r = try ridgepoint(["exercises", "--document", "errata", "--format", "pdf", "-o", pdf])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((try? Data(contentsOf: URL(fileURLWithPath: pdf)).prefix(5)) == Data("%PDF-".utf8))
    }

    @Test func errataPlacement() throws {
        let none = try ridgepoint(["exercises", "--edition", "instructor", "--errata", "none", "--format", "md"])
        #expect(none.status == 0 && !none.stdout.contains("Erratum") && !none.stdout.contains("says:"))
        let app = try ridgepoint(["exercises", "--edition", "instructor", "--errata", "appendix", "--format", "md"])
        #expect(app.status == 0 && app.stdout.contains("Appendix: errata of the sources"))
        let bad = try ridgepoint(["exercises", "--errata", "apendix"])
        #expect(bad.status != 0 && bad.stderr.contains("--errata") && bad.stderr.contains("appendix"))
    }
}

/// A downloaded model with one flag (issue 16): `--model PATH` reads its config.json.
@Suite struct ModelImportCommandTests {
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

/// CLI conventions (issue 16): init, schema, exit codes, hints.
@Suite struct CLIConventionTests {
    @Test func initWritesASpecThatEvaluates() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("my.yaml").path
        let r = try ridgepoint(["init", file])
        #expect(r.status == 0 && r.stderr.contains("wrote"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("ridgepoint eval \(file)") && text.contains("yaml-language-server"))
        let e = try ridgepoint(["eval", file, "--format", "csv"])
        #expect(e.status == 0 && e.stdout.split(separator: "\n").count > 10, "\(e.stderr)")
        let again = try ridgepoint(["init", file])
        #expect(again.status == 1 && again.stderr.contains("already exists") && again.stderr.contains("--force"))
        #expect(try ridgepoint(["init", file, "--force"]).status == 0)
    }

    @Test func schemaIsPrinted() throws {
        let r = try ridgepoint(["schema"])
        #expect(r.status == 0 && r.stdout.contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\""))
    }

    /// 0 success, 1 bad input or failure, 2 usage error; nothing else.
    @Test func exitCodes() throws {
        #expect(try ridgepoint(["--version"]).status == 0)
        #expect(try ridgepoint(["eval", "--help"]).status == 0)
        #expect(try ridgepoint(["eval", "--bogus"]).status == 2)
        #expect(try ridgepoint(["eval", "--gpu"]).status == 2)
        #expect(try ridgepoint(["eval", "--gpu", "h1000"]).status == 1)
        #expect(try ridgepoint(["eval", "no-such.yaml"]).status == 1)
        let help = try ridgepoint(["help", "nonsense"])
        #expect(help.status == 2 && help.stderr.contains("no help topic 'nonsense'"))
        #expect(try ridgepoint(["help", "eval"]).status == 0)
        let gpus = try ridgepoint(["gpus"])
        #expect(gpus.status == 2 && gpus.stderr.contains("did you mean `ridgepoint catalog gpus`?"))
        let typo = try ridgepoint(["evl"])
        #expect(typo.status == 2 && typo.stderr.contains("did you mean `ridgepoint eval`?"))
    }
}

/// Shell completions offer catalog ids (issue 16).
@Suite struct CompletionTests {
    @Test func scriptsAndCatalogIDs() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try ridgepoint(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdout.contains("---completion") && r.stdout.contains("exercises"), "\(shell)")
        }
        // What the generated scripts call back: the word being completed, after a comma.
        let r = try ridgepoint(["---completion", "eval", "--", "--gpu", "3", "11", "ridgepoint", "eval", "--gpu", "h100-sxm,h2"])
        #expect(Set(r.stdout.split(separator: "\n").map(String.init)) == ["h100-sxm,h200", "h100-sxm,h20"])
        let m = try ridgepoint(["---completion", "exercises", "--", "--model", "3", "5", "ridgepoint", "exercises", "--model", "qwen2"])
        #expect(m.stdout.contains("qwen2.5-7b") && !m.stdout.contains("llama"))
    }
}

/// `ridgepoint manual`: a man page from the help text, every subcommand in it, plain ASCII roff.
@Suite struct ManualTests {
    @Test func manPageCoversEverySubcommand() throws {
        let r = try ridgepoint(["manual"])
        #expect(r.status == 0 && r.stdout.hasPrefix(".TH RIDGEPOINT 1"))
        for name in ["render", "eval", "chart", "calibrate", "catalog", "exercises", "templates", "init", "schema", "manual"] {
            #expect(r.stdout.contains(".SS \(name)\n"), "\(name)")
        }
        let ascii = r.stdout.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
        #expect(r.stdout.contains(".SH EXIT STATUS"))
    }
}

/// The done-when of issue 16: a downloaded model folder gets a report with one flag.
@Suite struct BringYourOwnModelReportTests {
    @Test func reportForAModelFolder() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ridgepoint(["render", "--model", "Tests/Fixtures/hf/qwen3-8b", "-o", dir.path, "--format", "md", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOf: dir.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(md.hasPrefix("# qwen3-8b — GPU comparison") && md.contains("for qwen3-8b"))
        #expect(!md.contains("Serving Llama 3.1 and Mixtral"))   // the default spec's title named other models
    }
}

/// `-o FILE` writes go through the one atomic writer; a device or a link is written through,
/// never replaced.
@Suite(.serialized) struct OutputFileTests {
    @Test func devicesAndLinks() throws {
        let full = try ridgepoint(["exercises", "--format", "json", "-o", "/dev/full"])
        #expect(full.status == 1 && full.stderr.contains("/dev/full") && full.stderr.contains("No space left"))
        let attrs = try FileManager.default.attributesOfItem(atPath: "/dev/full")
        #expect(attrs[.type] as? FileAttributeType == .typeCharacterSpecial, "/dev/full was replaced by a file")
        let out = try ridgepoint(["exercises", "--format", "json", "-o", "/dev/stdout"])
        #expect(out.status == 0 && out.stdout.contains("\"exercises\""))
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("link.json").path, real = dir.appendingPathComponent("real.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(try ridgepoint(["exercises", "--format", "json", "-o", link]).status == 0)
        #expect((try FileManager.default.destinationOfSymbolicLink(atPath: link)) == real)
        #expect(FileManager.default.contents(atPath: real).map { !$0.isEmpty } == true)
        let folder = try ridgepoint(["exercises", "--format", "json", "-o", dir.path])
        #expect(folder.status == 1 && folder.stderr.contains("is a folder"))
    }
}

/// Help, --version and completion scripts to a full disk: an error, not a silent success.
@Suite struct FullStdoutTests {
    @Test func helpToDevFull() throws {
        for args in [["--help"], ["--version"], ["--generate-completion-script", "bash"], ["schema"]] {
            let p = Process()
            p.executableURL = binary()
            p.arguments = args
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
            let err = Pipe(); p.standardError = err
            try p.run(); p.waitUntilExit()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 1 && text.contains("No space left"), "\(args): \(p.terminationStatus) \(text)")
        }
    }
}
