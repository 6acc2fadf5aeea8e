import Canvas
import CairoBackend
@testable import DocumentLayout
import Foundation
import TestSupport
import Testing

@Suite struct PDFOutputTests {
    let measurer: PangoTextMeasurer
    init() throws { measurer = try PangoTextMeasurer() }

    @Test(.enabled(if: Tool.available("qpdf", "pdffonts", "pdfinfo")))
    func multiPagePDFPassesTheTools() throws {
        let doc = sampleDocument(rows: 300)
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        #expect(laid.pageCount >= 8)
        let pdf = try renderPDF(laid, size: doc.pageSize, measurer: measurer)
        let dir = try makeTempDir("pdf")
        let path = try write(pdf, to: dir, "sample.pdf")

        let check = try #require(try Tool.run("qpdf", ["--check", path]))
        #expect(check.status == 0, "qpdf: \(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("No syntax or stream encoding errors"))

        let fonts = try #require(try Tool.run("pdffonts", [path]))
        let rows = fonts.stdout.split(separator: "\n").dropFirst(2)
        #expect(!rows.isEmpty)
        for row in rows {
            // name type encoding emb sub uni object ID: the "emb" column must be "yes".
            let cols = row.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cols.count >= 7 && cols[cols.count - 5] == "yes", "not embedded: \(row)")
        }

        let info = try #require(try Tool.run("pdfinfo", [path]))
        let fields = pdfinfoFields(info.stdout)
        #expect(fields["Pages"] == String(laid.pageCount))
        #expect(fields["Title"] == "Ridgepoint sample report")
        #expect(fields["Page size"]?.hasSuffix("(A4)") == true)
    }

    @Test(.enabled(if: Tool.available("pdfinfo")))
    func a4AndLetterPageSizes() throws {
        let dir = try makeTempDir("sizes")
        for (size, expected) in [(Size.a4, "595.28 x 841.89 pts (A4)"), (Size.letter, "612 x 792 pts (letter)")] {
            let doc = sampleDocument(rows: 60, pageSize: size)
            let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
            let path = try write(try renderPDF(laid, size: size, measurer: measurer), to: dir, "\(size.width).pdf")
            let info = try #require(try Tool.run("pdfinfo", ["-f", "1", "-l", "\(laid.pageCount)", path]))
            let sizes = info.stdout.split(separator: "\n").filter { $0.hasPrefix("Page") && $0.contains("size:") }
            #expect(sizes.count == laid.pageCount)
            #expect(sizes.allSatisfy { $0.hasSuffix(expected) }, "\(sizes)")
            checkInsideTextArea(laid)
        }
    }

    @Test(.enabled(if: Tool.available("pdftotext")))
    func markupInjectionAppearsLiterally() throws {
        let evil = RichText(plain: "R&D <b>")
        let doc = Document(metadata: DocumentMetadata(title: "R&D <b>"), titlePage: TitlePage(title: evil),
                           runningHeader: evil, blocks: [
                               .heading(level: 1, text: evil, id: "R&D <b>"),
                               .paragraph("Before " + evil + " after."),
                               .table(Table(columns: [TableColumn(evil)], rows: [[evil]], caption: evil)),
                               .note(Note(.erratum, title: evil, paragraphs: [evil])),
                               .code(Markup.escape("if a < b && c > d { print(\"<tt>\") }")),
                           ])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        let pdf = try renderPDF(laid, size: doc.pageSize, measurer: measurer)
        let dir = try makeTempDir("inject")
        let path = try write(pdf, to: dir, "inject.pdf")
        let text = try #require(try Tool.run("pdftotext", ["-layout", path, "-"])).stdout
        #expect(text.contains("1 R&D <b>") || text.contains("1  R&D <b>") || text.contains("1\u{2002} R&D <b>"))
        #expect(text.contains("Before R&D <b> after."))
        #expect(text.contains("if a < b && c > d { print(\"<tt>\") }"))
        #expect(text.components(separatedBy: "R&D <b>").count - 1 >= 8, "\(text)")
        #expect(laid.outline.first?.title == "1 R&D <b>")
        let md = MarkdownWriter.markdown(doc)
        #expect(md.contains("## 1 R&D &lt;b&gt;"))
        #expect(md.contains("Before R&D &lt;b&gt; after."))
    }
}

@Suite struct MarkdownTests {
    @Test func smallDocumentExactly() {
        let doc = Document(
            metadata: DocumentMetadata(title: "ignored"),
            titlePage: TitlePage(title: "Cost <i>per</i> token", subtitle: "A short note", lines: ["Ridgepoint", "2024"]),
            blocks: [
                .heading(level: 1, text: "Roofline", id: "r"),
                .paragraph(("The <b>ridge point</b> I\(Markup.sup("*")) = Π/β; h\(Markup.sub("kv")) uses <tt>bf16</tt>. "
                           + Markup.escape("R&D <b> a*b_c") + " <span foreground='#D55E00'>red</span>.").rich),
                .bullets(["one <b>bold </b>word", "two"]),
                .numbered(["first", "second"]),
                .heading(level: 2, text: "Numbers", id: "n"),
                .table(Table(columns: [TableColumn("GPU"), TableColumn("Tok/s", alignment: .right), TableColumn("Note", alignment: .center)],
                             rows: [["H100", "1,234.5", "a | b"], ["A100", "987.0", "<i>x</i>"]], caption: "Throughput")),
                .figure(Figure(size: Size(100, 50), caption: "A chart", file: "fig/chart.svg", alt: "chart") { _ in }),
                .figure(Figure(size: Size(100, 50), caption: "Not in Markdown") { _ in }),
                .note(Note(.erratum, paragraphs: ["Row 2 was wrong.", "Fixed in v2."])),
                .note(Note(.warning, title: "Careful", paragraphs: ["Check units."])),
                .formula("E = m·c\(Markup.sup("2"))"),
                .code(Markup.escape("let x = a < b\nprint(\"```\")")),
                .pageBreak,
                .heading(level: 3, text: "Deep", id: "d"),
            ])
        let expected = """
        # Cost *per* token

        *A short note*

        Ridgepoint

        2024

        ## 1 Roofline

        The **ridge point** I<sup>\\*</sup> = Π/β; h<sub>kv</sub> uses `bf16`. R&D &lt;b&gt; a\\*b\\_c red.

        - one **bold** word
        - two

        1. first
        2. second

        ### 1.1 Numbers

        **Table 1:** Throughput

        | GPU | Tok/s | Note |
        | --- | ---: | :---: |
        | H100 | 1,234.5 | a \\| b |
        | A100 | 987.0 | *x* |

        ![chart](fig/chart.svg)

        *Figure 1: A chart*

        > **Erratum:** Row 2 was wrong.
        >
        > Fixed in v2.

        > **Warning:** Careful
        >
        > Check units.

        &emsp;&emsp;E = m·c<sup>2</sup>

        ````
        let x = a < b
        print("```")
        ````

        #### 1.1.1 Deep

        """
        let md = MarkdownWriter.markdown(doc)
        #expect(md == expected)
        #expect(MarkdownWriter.markdown(doc) == md)
    }

    @Test func inlineConversion() {
        #expect(MarkdownWriter.inline("<b><i>both</i></b>") == "***both***")
        #expect(MarkdownWriter.inline("<b></b>empty") == "empty")
        #expect(MarkdownWriter.inline("x<sub>2</sub>") == "x<sub>2</sub>")
        #expect(MarkdownWriter.inline("<span weight='bold'>w</span>") == "**w**")
        #expect(MarkdownWriter.inline("# not a heading") == "\\# not a heading")
        #expect(MarkdownWriter.inline("1. not a list") == "1\\. not a list")
        #expect(MarkdownWriter.inline("&#x3C0; &amp;amp;") == "π &amp;amp;")
        #expect(MarkdownWriter.inline("<tt>a|b</tt>", context: .tableCell) == "`a\\|b`")
        // Italic inside italic keeps one emphasis (no early close).
        #expect(MarkdownWriter.inline("<i>reads all <i>N</i> weights</i>") == "*reads all N weights*")
    }
}

/// `pdfinfo` output as key → trimmed value.
func pdfinfoFields(_ s: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in s.split(separator: "\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return out
}
