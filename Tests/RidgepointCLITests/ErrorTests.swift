import Foundation
import Testing
import TestSupport

/// Input errors and exit codes common to every subcommand: 0 success, 1 bad input, 2 usage; specific messages.
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

    @Test func helpToDevFull() throws {
        for args in [["--help"], ["--version"], ["--generate-completion-script", "bash"], ["schema"]] {
            let r = try Ridgepoint.run(args, stdout: .file("/dev/full"))
            #expect(r.status == 1 && r.stderr.contains("No space left"), "\(args): \(r.status) \(r.stderr)")
        }
    }

    /// A value given by a flag is reported as the flag's, even when the rest comes from a spec
    /// file (the file used to be named for a flag's mistake).
    @Test func flagErrorsNameTheFlagNotTheSpecFile() throws {
        let r = try ridgepoint(["eval", "examples/custom-hardware.yaml", "--context", "0", "--phase", "prefill"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: --context: a context of 0 tokens cannot be prefilled\n  help: use --context values of at least 1 token, or --phase decode\n")
    }

    /// The file is checked after the flags: a flag can fix what the file alone would fail, and
    /// the same GPU named twice (by id and alias) is refused.
    @Test func flagsApplyBeforeTheSpecIsChecked() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("zero.yaml")
        try "gpus: [h100]\nmodels: [llama-3-8b]\nphases: [prefill]\ncontexts: [0]\n".write(to: spec, atomically: true, encoding: .utf8)
        let bad = try ridgepoint(["eval", spec.path, "--format", "csv"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("\(spec.path):4: error: contexts: a context of 0 tokens cannot be prefilled"))
        let fixed = try ridgepoint(["eval", spec.path, "--context", "512", "--format", "csv"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let twice = try ridgepoint(["eval", "--gpu", "h100-sxm,H100", "--model", "llama-3-8b"])
        #expect(twice.status == 1 && twice.stderr == "error: --gpu: 'h100-sxm' is listed twice\n")
        let render = try ridgepoint(["render", "examples/custom-hardware.yaml", "--gpu", "h100-sxm,h100", "-o", dir.appendingPathComponent("out").path, "--quiet"])
        #expect(render.status == 1 && render.stderr == "error: --gpu: 'h100-sxm' is listed twice\n")
    }
}
