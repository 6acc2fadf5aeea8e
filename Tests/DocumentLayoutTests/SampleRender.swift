import Canvas
import CairoBackend
@testable import DocumentLayout
import Foundation
import TestSupport
import Testing

/// Writes the sample document as PDF (and page SVGs) into $RIDGEPOINT_DOC_SAMPLES, for looking at.
@Test(.enabled(if: ProcessInfo.processInfo.environment["RIDGEPOINT_DOC_SAMPLES"] != nil))
func renderSampleDocument() throws {
    let dir = ProcessInfo.processInfo.environment["RIDGEPOINT_DOC_SAMPLES"] ?? "/tmp"
    let measurer = try PangoTextMeasurer()
    for (name, size) in [("a4", Size.a4), ("letter", Size.letter)] {
        let doc = sampleDocument(pageSize: size)
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        let pdf = try renderPDF(laid, size: size, measurer: measurer)
        try Data(pdf).write(to: URL(fileURLWithPath: "\(dir)/sample-\(name).pdf"))
        let md = MarkdownWriter.markdown(doc)
        try md.write(toFile: "\(dir)/sample-\(name).md", atomically: true, encoding: .utf8)
    }
    // Oversized content: a huge figure, a paragraph longer than a page, a long note, long code.
    var doc = Document(metadata: DocumentMetadata(title: "stress"), tableOfContents: false, runningHeader: "Stress",
                       blocks: [.heading(level: 1, text: "Huge things", id: "huge")])
    doc.blocks.append(.figure(sampleFigure(width: 2000, height: 3000, caption: "Huge")))
    doc.blocks.append(.paragraph((Array(repeating: filler, count: 40).joined(separator: " ")).rich))
    doc.blocks.append(.note(Note(.warning, title: ("Long").rich, paragraphs: (Array(repeating: filler, count: 30)).map(\.rich))))
    doc.blocks.append(.code((0..<120).map { "line \($0) = compute(\($0))" }.joined(separator: "\n")))
    doc.blocks.append(.bullets((Array(repeating: filler + " " + filler, count: 10)).map(\.rich)))
    doc.blocks.append(.note(Note(.answerSpace, title: "Exercise 3", paragraphs: [], minHeight: 5000)))
    let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
    try Data(try renderPDF(laid, size: doc.pageSize, measurer: measurer)).write(to: URL(fileURLWithPath: "\(dir)/stress.pdf"))
}
