import CairoBackend
import DocumentLayout
import Foundation
import Testing
@testable import Reports
@testable import RidgepointCore

/// The embedded default spec rendered as a user gets it: PDF validity, metadata, fonts, the
/// outline, table-of-contents links, and a `pdftotext` transcript kept as a golden file
/// (re-record with RIDGEPOINT_RECORD_GOLDEN=1; the run then fails on purpose).
@Suite(.serialized) struct DefaultReportTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/default-report.txt")

    @Test func defaultReport() throws {
        let spec = try Spec.defaultSpec(catalog: catalog)
        let dir = tempDir("default")
        var s = spec
        s.formats = ["pdf"]
        let summary = try render(s, into: dir)
        let pdf = dir + "/report.pdf"
        #expect(summary.pages > 10)

        #expect(try run("qpdf", ["--check", pdf]).status == 0)
        var info: [String: String] = [:]
        for line in try run("pdfinfo", [pdf]).out.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            info[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        #expect(info["Title"] == spec.title)
        #expect(info["Creator"] == "ridgepoint test")
        #expect(info["Pages"] == "\(summary.pages)")
        #expect(info["Page size"] == "595.28 x 841.89 pts (A4)")
        #expect(info["Keywords"]?.contains("h100-sxm") == true)
        #expect(info["Tagged"] == "yes")

        let fonts = try run("pdffonts", [pdf]).out.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty && fonts.allSatisfy { $0.contains(" yes yes yes ") || $0.contains(" yes yes ") }, "not embedded: \(fonts)")

        // Outline and named destinations: every top-level section is a bookmark whose destination
        // sits on the page the layout put the heading on.
        let laid = try DocumentLayoutEngine.layout(try ReportBuilder(spec: spec, template: try TemplateSet.load("procurement", relativeTo: nil), version: "test").build().document,
                                                   measurer: try PangoTextMeasurer())
        let dests = try run("pdfinfo", ["-dests", pdf]).out
        for h in laid.headings where h.level == 1 {
            let line = dests.split(separator: "\n").first { $0.hasSuffix("\"\(h.destination)\"") }
            #expect(line != nil, "no destination for \(h.destination)")
            if let line { #expect(line.trimmingCharacters(in: .whitespaces).hasPrefix("\(h.page + 1) "), "\(h.destination) on the wrong page: \(line)") }
        }
        let titles = laid.outline.filter { $0.level == 1 }.map(\.title)
        for t in ["Executive summary", "Comparison by model", "Assumptions and sources", "Glossary"] {
            #expect(titles.contains { $0.hasSuffix(t) }, "outline lacks \(t): \(titles)")
        }
        // The TOC prints each heading's page number.
        for entry in laid.tocEntries {
            let h = laid.headings.first { $0.destination == entry.destination }
            #expect(h != nil && entry.printedPage == (h?.page ?? -1) + 1, "TOC entry \(entry.destination) prints \(entry.printedPage)")
        }
        #expect(!laid.tocEntries.isEmpty)

        let transcript = try run("pdftotext", ["-layout", pdf, "-"]).out
        if ProcessInfo.processInfo.environment["RIDGEPOINT_RECORD_GOLDEN"] == "1" {
            try transcript.write(to: DefaultReportTests.golden, atomically: true, encoding: .utf8)
            Issue.record("Recorded new baseline at \(DefaultReportTests.golden.path); unset RIDGEPOINT_RECORD_GOLDEN and run again")
            return
        }
        let expected = try String(contentsOf: DefaultReportTests.golden, encoding: .utf8)
        #expect(transcript == expected, "the default report's text changed; inspect it and re-record deliberately")
    }
}
