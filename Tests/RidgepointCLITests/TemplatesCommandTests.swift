import Foundation
import Testing
import TestSupport

/// `ridgepoint templates` on the built binary: list, export, and rendering an exported copy.
@Suite struct TemplatesCommandTests {
    @Test func listNamesTheBuiltInTemplates() throws {
        let r = try ridgepoint(["templates"])
        #expect(r.status == 0 && r.stdout == "procurement\treport.mustache\nwiki\treport.mustache\nteaching\treport.mustache\n")
    }

    /// An exported template renders like the built-in one; a second export never overwrites.
    @Test func exportNeverOverwritesAndTheCopyRenders() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("wiki").path
        let r = try ridgepoint(["templates", "export", "wiki", folder])
        #expect(r.status == 0 && r.stderr.contains("render with --template \(folder)"))
        let again = try ridgepoint(["templates", "export", "wiki", folder])
        #expect(again.status == 1 && again.stderr.contains("the file exists; not overwriting it"))
        let typo = try ridgepoint(["templates", "export", "wikki", dir.appendingPathComponent("x").path])
        #expect(typo.status == 1 && typo.stderr.contains("did you mean 'wiki'?"))
        let args = ["render", "examples/custom-hardware.yaml", "--format", "md", "--quiet"]
        let mine = try ridgepoint(args + ["--template", folder, "-o", dir.appendingPathComponent("a").path])
        let builtIn = try ridgepoint(args + ["--template", "wiki", "-o", dir.appendingPathComponent("b").path])
        #expect(mine.status == 0 && builtIn.status == 0, "\(mine.stderr) \(builtIn.stderr)")
        let a = try String(contentsOf: dir.appendingPathComponent("a/index.md"), encoding: .utf8)
        let b = try String(contentsOf: dir.appendingPathComponent("b/index.md"), encoding: .utf8)
        #expect(a == b)
    }
}
