import Foundation
import Testing

/// `ridgepoint exercises` on the built binary: editions, specs, the errata register, -o files.
@Suite(.serialized) struct ExercisesCommandTests {
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

    /// Lecture notes as Markdown with -o write their charts beside the file, making the chart
    /// folders (they used to fail with "does the folder exist?" in a fresh folder).
    @Test func lectureMarkdownWritesItsCharts() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let md = dir.appendingPathComponent("notes.md")
        let r = try ridgepoint(["exercises", "--document", "lecture", "--format", "md", "-o", md.path])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: md, encoding: .utf8)
        let links = text.split(separator: "(").compactMap { $0.split(separator: ")").first }.filter { $0.hasPrefix("charts/") }
        #expect(links.count >= 5)
        for link in links { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(String(link)).path), "\(link)") }
    }
}
