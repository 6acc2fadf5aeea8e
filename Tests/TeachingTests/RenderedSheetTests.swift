import Foundation
import Testing
import TestSupport

/// The rendered exercise sheets (seed 003's instance) pass the same checks as reports: `qpdf
/// --check`, every font embedded (`pdffonts`), an outline (`qpdf --json`), text extractable.
/// Runs the built `ridgepoint` binary.
@Suite(.serialized) struct RenderedSheetTests {
    static func binary() -> URL { Ridgepoint.binary }
    static func run(_ exe: URL, _ args: [String]) throws -> ChildProcess.Result { try ChildProcess.run(exe, args) }
    static func tool(_ name: String) -> URL? { Tool.path(name).map { URL(fileURLWithPath: $0) } }

    static func tempDir() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("ridgepoint-teaching-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// Seed 003, instructor edition: a valid PDF with embedded fonts and an outline naming every exercise.
    @Test func seed003InstructorPDF() throws {
        let exe = Self.binary()
        try #require(FileManager.default.isExecutableFile(atPath: exe.path), "build the ridgepoint binary first")
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("key.pdf").path
        let r = try Self.run(exe, ["exercises", "--edition", "instructor", "--convention", "seed-003", "--format", "pdf", "-o", pdf])
        #expect(r.status == 0, "\(r.stderr)")
        let head = try #require(FileManager.default.contents(atPath: pdf))
        #expect(head.starts(with: Data("%PDF-".utf8)))
        if let qpdf = Self.tool("qpdf") {
            let check = try Self.run(qpdf, ["--check", pdf])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            let json = try Self.run(qpdf, ["--json", "--json-key=outlines", pdf])
            for title in ["Exercise 1:", "Exercise 2:", "Exercise 3:", "Exercise 4:", "Exercise 5:"] {
                #expect(json.stdout.contains(title), "outline lacks \(title)")
            }
        }
        if let pdffonts = Self.tool("pdffonts") {
            let f = try Self.run(pdffonts, [pdf])
            let rows = f.stdout.split(separator: "\n").dropFirst(2)
            #expect(!rows.isEmpty)
            for row in rows {
                let cols = row.split(separator: " ", omittingEmptySubsequences: true)
                // name type… encoding emb sub uni object ID: "emb" is the fifth column from the end.
                #expect(cols.count >= 6 && cols[cols.count - 5] == "yes", "font not embedded: \(row)")
            }
        }
        if let pdftotext = Self.tool("pdftotext") {
            let t = try Self.run(pdftotext, [pdf, "-"])
            #expect(t.stdout.contains("1,182") || t.stdout.contains("1,181"))
            #expect(t.stdout.contains("Erratum"))
        }
    }

    /// Student edition PDF: valid, and its text contains no solution.
    @Test func seed003StudentPDFAndSVG() throws {
        let exe = Self.binary()
        try #require(FileManager.default.isExecutableFile(atPath: exe.path), "build the ridgepoint binary first")
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("sheet.pdf").path
        let r = try Self.run(exe, ["exercises", "--edition", "student", "--format", "pdf", "-o", pdf])
        #expect(r.status == 0, "\(r.stderr)")
        if let qpdf = Self.tool("qpdf") { #expect(try Self.run(qpdf, ["--check", pdf]).status == 0) }
        if let pdftotext = Self.tool("pdftotext") {
            let t = try Self.run(pdftotext, [pdf, "-"]).stdout
            #expect(!t.contains("Solution") && !t.contains("Erratum") && !t.contains("122,070") && !t.contains("295.3"))
        }
        let svg = dir.appendingPathComponent("sheet.svg").path
        let s = try Self.run(exe, ["exercises", "--edition", "student", "--format", "svg", "-o", svg])
        #expect(s.status == 0, "\(s.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".svg") }
        #expect(files.contains("sheet-1.svg") && files.contains("sheet-2.svg"))
    }

    /// JSON to stdout; errors name the flag and suggest the nearest id; pdf without -o is refused.
    @Test func commandLineErrors() throws {
        let exe = Self.binary()
        try #require(FileManager.default.isExecutableFile(atPath: exe.path), "build the ridgepoint binary first")
        let ok = try Self.run(exe, ["exercises", "--variant", "3", "--edition", "student"])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("{") && !ok.stdout.contains("\"answers\""))
        let bad = try Self.run(exe, ["exercises", "--gpu", "h100-sxn"])
        #expect(bad.status == 1 && bad.stderr.contains("did you mean 'h100-sxm'?"))
        let noOut = try Self.run(exe, ["exercises", "--format", "pdf"])
        #expect(noOut.status == 1 && noOut.stderr.contains("-o"))
        let conv = try Self.run(exe, ["exercises", "--convention", "seed003"])
        #expect(conv.status == 1 && conv.stderr.contains("seed-003"))
    }
}
