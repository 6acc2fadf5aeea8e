import Canvas
import CairoBackend
@testable import DocumentLayout
import Foundation
import Testing

@Suite struct EdgeCaseTests {
    let measurer: PangoTextMeasurer
    init() throws { measurer = try PangoTextMeasurer() }

    @Test func emptyDocumentsHaveOnePage() throws {
        let empty = try DocumentLayoutEngine.layout(Document(metadata: DocumentMetadata()), measurer: measurer)
        #expect(empty.pageCount == 1)
        let emptyTexts: [String] = empty.pages.flatMap(\.texts).map(\.text.markup)
        #expect(emptyTexts == ["page 1 of 1"])
        let titleOnly = try DocumentLayoutEngine.layout(Document(metadata: DocumentMetadata(), titlePage: TitlePage(title: "T")),
                                                        measurer: measurer)
        #expect(titleOnly.pageCount == 1)
        #expect(titleOnly.pages.first?.role == PageRole.title)
        #expect(!titleOnly.pages[0].texts.contains { $0.text.markup.hasPrefix("page ") }, "no footer on the title page")
        _ = try renderPDF(titleOnly, size: .a4, measurer: measurer)
    }

    @Test func invalidInputThrows() throws {
        // Rich text cannot hold invalid markup: "R&D" is text and lays out; invalid markup given
        // to the canvas directly is still refused by Pango.
        _ = try DocumentLayoutEngine.layout(Document(metadata: DocumentMetadata(), blocks: [.paragraph(RichText(plain: "R&D <b>"))]), measurer: measurer)
        #expect(throws: CairoError.self) { _ = try measurer.measure(TextBlock("R&D")) }
        #expect(throws: DocumentLayoutError.self) {
            _ = try DocumentLayoutEngine.layout(Document(metadata: DocumentMetadata(), pageSize: Size(100, 100)), measurer: measurer)
        }
        #expect(throws: DocumentLayoutError.self) {
            _ = try DocumentLayoutEngine.layout(Document(metadata: DocumentMetadata(), blocks: [.table(Table(columns: [], rows: []))]),
                                                measurer: measurer)
        }
    }

    @Test func pageBreaksSpacersAndNumbering() throws {
        let doc = Document(metadata: DocumentMetadata(), tableOfContents: false, numberHeadings: true, blocks: [
            .heading(level: 1, text: "A", id: "a"), .paragraph("x"), .pageBreak, .pageBreak,
            .heading(level: 2, text: "B", id: "b"), .spacer(40), .paragraph("y"),
            .heading(level: 1, text: "C", id: "c"), .heading(level: 3, text: "D", id: "d"),
            .figure(sampleFigure()), .table(plainTable(3)), .figure(sampleFigure()), .table(plainTable(2, caption: nil)), .table(plainTable(2)),
        ])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        #expect(laid.headings.map(\.number) == ["1", "1.1", "2", "2.0.1"])
        let headingPages: [Int] = laid.headings.map(\.page)
        #expect(headingPages.first == 0)
        #expect(headingPages.dropFirst().allSatisfy { $0 == 1 })
        let texts = laid.pages.flatMap(\.texts).map(\.text.markup)
        #expect(texts.contains { $0.hasPrefix("<b>Figure 2:</b>") })
        #expect(texts.contains { $0.hasPrefix("<b>Table 2:</b>") })
        #expect(!texts.contains { $0.hasPrefix("<b>Table 3:</b>") })
        // The spacer really moves the next paragraph down by 40 pt (plus paragraph spacing).
        let b = try #require(laid.headings.first { $0.title == "B" })
        let y = try #require(laid.pages[b.page].texts.first { $0.text.markup.contains(">y<") })
        let distance: Double = y.frame.minY - b.frame.maxY
        #expect(distance >= 40)
    }

    @Test func unnumberedHeadingsAndNoTOC() throws {
        let doc = Document(metadata: DocumentMetadata(), tableOfContents: false, numberHeadings: false,
                           blocks: [.heading(level: 1, text: ("Plain").rich, id: "p"), .paragraph((filler).rich)])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        #expect(laid.headings.first?.number == "")
        #expect(laid.outline.first?.title == "Plain")
        #expect(!laid.pages.contains { $0.role == .contents })
        #expect(MarkdownWriter.markdown(doc).hasPrefix("## Plain\n"))
    }
}
