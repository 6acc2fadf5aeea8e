import Foundation
import Testing

/// `ridgepoint render` (the default command) on the built binary.
@Suite struct RenderCommandTests {
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

    @Test func reportForAModelFolder() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ridgepoint(["render", "--model", "Tests/Fixtures/hf/qwen3-8b", "-o", dir.path, "--format", "md", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOf: dir.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(md.hasPrefix("# qwen3-8b — GPU comparison") && md.contains("for qwen3-8b"))
        #expect(!md.contains("Serving Llama 3.1 and Mixtral"))   // the default spec's title named other models
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
