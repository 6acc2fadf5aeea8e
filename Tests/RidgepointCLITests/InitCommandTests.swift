import Foundation
import Testing

/// `ridgepoint init` on the built binary.
@Suite struct InitCommandTests {
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
}
