import Canvas
import CairoBackend
@testable import DocumentLayout
import Foundation
import TestSupport
import Testing

/// Rows of a plain table: `n` rows of 4 cells, the first cell "row i".
func plainTable(_ n: Int, caption: String? = "A long table") -> Table {
    Table(columns: [TableColumn("Name"), TableColumn("Kind"), TableColumn("Value", alignment: .right),
                    TableColumn("Share", alignment: .right)],
          rows: (0..<n).map(plainRow).rich,
          caption: caption?.rich)
}

func plainRow(_ i: Int) -> [String] {
    let kind = i % 2 == 0 ? "even" : "odd"
    let share = String(format: "%.2f %%", Double(i) / 3)
    return ["row \(i)", kind, String(i * 37), share]
}

let filler = "Memory bandwidth sets the decode step time at small batch sizes, because every token reads all "
    + "weights and the KV cache once; batching amortises the weight reads until the ridge point is reached."

/// Every item of every page stays in the text area, except header/footer items in the margins.
func checkInsideTextArea(_ laid: LaidOutDocument, style: DocumentStyle = .init()) {
    for (i, page) in laid.pages.enumerated() {
        let area = laid.textAreas[i]
        let pageRect = Rect(origin: .zero, size: page.size)
        func ok(_ r: Rect) -> Bool {
            guard pageRect.contains(r, tolerance: 0.01) else { return false }
            if area.contains(r, tolerance: 0.5) { return true }
            // Header zone (above the text area) or footer zone (below it), within the text column.
            let inColumn = r.minX >= area.minX - 0.5 && r.maxX <= area.maxX + 0.5
            return inColumn && (r.maxY <= area.minY + 0.01 || r.minY >= area.maxY - 0.01)
        }
        for item in page.items {
            switch item {
            case .text(let t, let f):
                #expect(ok(f), "page \(i): text \(t.markup.prefix(40)) at \(f) leaves the text area \(area)")
            case .fill(let r, _), .box(let r, _):
                if r.width <= 1 && r.height <= 1 { continue }
                #expect(area.contains(r, tolerance: 0.5), "page \(i): rect \(r) leaves the text area")
            case .figure(let f):
                #expect(area.contains(f.frame, tolerance: 0.5), "page \(i): figure \(f.frame) leaves the text area")
            case .line(let a, let b, _):
                #expect(ok(Rect(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(a.x - b.x), height: abs(a.y - b.y))),
                        "page \(i): line \(a)–\(b) leaves the text area")
            case .link(_, let r):
                #expect(area.contains(r, tolerance: 0.5))
            case .destination(_, let p):
                #expect(pageRect.contains(p))
            }
        }
    }
}

@Suite struct LayoutTests {
    let measurer: PangoTextMeasurer
    init() throws { measurer = try PangoTextMeasurer() }

    @Test func longTableContinuesWithRepeatedHeader() throws {
        let doc = Document(metadata: DocumentMetadata(title: "t"), tableOfContents: false, runningHeader: "Header",
                           blocks: [.paragraph((filler).rich), .table(plainTable(300))])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        // Pages holding table rows, and the row order across them.
        var rowPages: [Int] = []
        var seen: [String] = []
        for (i, page) in laid.pages.enumerated() {
            let rows = page.texts.filter { $0.text.markup.hasPrefix("row ") }
            if !rows.isEmpty { rowPages.append(i) }
            seen += rows.sorted { $0.frame.minY < $1.frame.minY }.map(\.text.markup)
        }
        #expect(seen == (0..<300).map { "row \($0)" })
        #expect(rowPages.count >= 4)
        #expect(rowPages == Array(rowPages[0]...(rowPages.last ?? 0)))
        for (k, p) in rowPages.enumerated() {
            let page = laid.pages[p]
            let header = page.texts.filter { $0.text.markup == "Name" && $0.text.font.bold }
            #expect(header.count == 1, "page \(p) has the header row once")
            let firstRow = page.texts.filter { $0.text.markup.hasPrefix("row ") }.map(\.frame.minY).min() ?? 0
            if let h = header.first { #expect(h.frame.maxY < firstRow) }
            let captions = page.texts.filter { $0.text.markup.contains("A long table") }
            #expect(captions.count == 1)
            let continued = captions.first?.text.markup.contains("(continued)") ?? false
            #expect(continued == (k > 0), "page \(p): '(continued)' only on continuation pages")
            if k > 0 {
                // The caption and header row are the first things at the top of the text area.
                let area = laid.textAreas[p]
                let top = page.texts.filter { area.contains($0.frame, tolerance: 0.5) }.map(\.frame.minY).min() ?? 0
                #expect(abs((captions.first?.frame.minY ?? -1) - top) < 0.01)
                #expect(abs(top - area.minY) < 0.01)
            }
        }
        checkInsideTextArea(laid)

        // Drawing records the same texts at the same places.
        let rec = RecordingCanvas(size: doc.pageSize, measurer: measurer)
        try laid.draw(on: rec)
        #expect(rec.pageCount == laid.pageCount)
        let recorded = rec.texts.filter { $0.text.markup.hasPrefix("row ") }
        #expect(recorded.count == 300)
        for r in recorded {
            let match = laid.pages[r.page].texts.contains { $0.text == r.text && abs($0.frame.minX - r.box.minX) < 1e-9
                && abs($0.frame.minY - r.box.minY) < 1e-9 && abs($0.frame.width - r.box.width) < 1e-6 }
            #expect(match)
        }
    }

    /// A spacer pushes a heading towards the bottom in small steps: the heading must always share
    /// its page with the start of the next block.
    @Test func headingsNeverEndAPage() throws {
        let style = DocumentStyle()
        let area = style.textArea(pageSize: .a4)
        var movedAtLeastOnce = false
        for drop in stride(from: 10.0, through: 150, by: 7) {
            for variant in 0..<3 {
                var blocks: [Block] = [.spacer(area.height - drop), .heading(level: 1, text: "Heading under test", id: "h")]
                switch variant {
                case 0: blocks.append(.paragraph((filler + " " + filler + " " + filler).rich))
                case 1: blocks += [.heading(level: 2, text: ("A subsection").rich, id: "s"), .paragraph((filler).rich)]
                default: blocks.append(.table(plainTable(30)))
                }
                let doc = Document(metadata: DocumentMetadata(), tableOfContents: false, blocks: blocks)
                let laid = try DocumentLayoutEngine.layout(doc, style: style, measurer: measurer)
                for h in laid.headings {
                    let page = laid.pages[h.page]
                    let below = page.texts.filter { t in
                        t.frame.minY >= h.frame.maxY - 0.01 && laid.textAreas[h.page].contains(t.frame, tolerance: 0.5)
                            && !laid.headings.contains { $0.page == h.page && $0.frame == t.frame }
                    }
                    #expect(!below.isEmpty, "drop \(drop) variant \(variant): heading '\(h.title)' ends page \(h.page)")
                    if h.page == 1 { movedAtLeastOnce = true }
                }
                checkInsideTextArea(laid)
            }
        }
        #expect(movedAtLeastOnce, "some case must put the heading at the bottom of page 1")
    }

    @Test func nothingLeavesTheTextArea() throws {
        for size in [Size.a4, Size.letter] {
            var doc = sampleDocument(rows: 300, pageSize: size)
            // Oversized content: a huge figure, a paragraph longer than a page, a tall note, long code.
            doc.blocks.append(.figure(sampleFigure(width: 2000, height: 3000, caption: "Huge")))
            doc.blocks.append(.paragraph((Array(repeating: filler, count: 40).joined(separator: " ")).rich))
            doc.blocks.append(.note(Note(.warning, title: ("Long").rich, paragraphs: (Array(repeating: filler, count: 30)).map(\.rich))))
            doc.blocks.append(.code((0..<120).map { "line \($0) = compute(\($0))" }.joined(separator: "\n")))
            doc.blocks.append(.bullets((Array(repeating: filler + " " + filler, count: 30)).map(\.rich)))
            doc.blocks.append(.note(Note(.answerSpace, paragraphs: [], minHeight: 5000)))
            let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
            checkInsideTextArea(laid)
            #expect(laid.pages.allSatisfy { $0.size == size })
            let huge = laid.pages.flatMap(\.figures).filter { $0.size.width == 2000 }
            #expect(huge.count == 1 && (huge.first?.scale ?? 1) < 0.3)
        }
    }

    /// Answer space that fills the page: a run of such notes before a page break shares the space
    /// left on the page; boxes that do not fit start the next page and share that one; a run that
    /// something else follows keeps its own height.
    @Test func answerSpaceFillsThePage() throws {
        func boxes(_ blocks: [Block]) throws -> [[Rect]] {
            let doc = Document(metadata: DocumentMetadata(), tableOfContents: false, blocks: blocks)
            let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
            checkInsideTextArea(laid)
            return laid.pages.map { p in p.items.compactMap { if case .box(let r, _) = $0 { return r }; return nil } }
        }
        let space = { Block.note(Note(.answerSpace, title: "Working", paragraphs: [], minHeight: 60, fillsPage: true)) }
        let filled = try boxes([.paragraph((filler).rich), space(), space(), .pageBreak, .paragraph((filler).rich)])
        let page = try #require(filled.first)
        #expect(page.count == 2)
        let bottom = try #require(page.last).maxY
        #expect(bottom > Size.a4.height - 90, "last box ends at \(bottom)")
        #expect(abs(page[0].height - page[1].height) < 1 && page[0].height > 200)
        // Too many boxes for one page: the first page is filled, the rest fill the next.
        let many = try boxes([.spacer(500)] + (0..<6).map { _ in space() })
        #expect(many.count == 2 && many.allSatisfy { ($0.last?.maxY ?? 0) > Size.a4.height - 90 })
        // Followed by a paragraph on the same page: natural height.
        let natural = try boxes([space(), .paragraph((filler).rich)])
        #expect(abs((natural.first?.first?.height ?? 0) - 60) < 1)
    }

    @Test func paragraphsSplitBetweenLinesWithoutLosingText() throws {
        let words = (0..<2000).map { "w\($0)" }
        let text = "<b>Start</b> " + words.joined(separator: " ") + " <i>end of it</i>"
        let doc = Document(metadata: DocumentMetadata(), tableOfContents: false,
                           blocks: [.spacer(300), .paragraph((text).rich), .paragraph((filler).rich)])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        #expect(laid.pageCount >= 3)
        let pieces = laid.pages.flatMap { p in p.texts.filter { $0.text.markup.contains("w1") || $0.text.markup.contains("end of") || $0.text.markup.contains("Start") } }
        let joined = pieces.map { MarkupText.plain($0.text.markup) }.joined(separator: " ")
        #expect(joined == MarkupText.plain(text))
        #expect(pieces.count >= 3)
        for p in pieces {
            let m = try measurer.measure(p.text)
            #expect(m.lineCount >= 2, "no orphan or widow line")
            try PangoTextMeasurer.validate(markup: p.text.markup)
        }
        checkInsideTextArea(laid)
    }

    @Test func tableOfContentsLinksAndPageNumbers() throws {
        // Enough headings for a TOC of several pages, so that its length shifts every page number.
        var blocks: [Block] = []
        for i in 0..<70 {
            blocks.append(.heading(level: i % 3 == 0 ? 1 : 2, text: ("Section \(i) " + (i % 5 == 0 ? filler : "")).rich, id: "sec \(i % 40)"))
            blocks.append(.paragraph((filler).rich))
            if i % 7 == 0 { blocks.append(.table(plainTable(25, caption: nil))) }
        }
        let doc = Document(metadata: DocumentMetadata(title: "TOC"), titlePage: TitlePage(title: "TOC test"),
                           runningHeader: "TOC test", blocks: blocks)
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        let tocPages = laid.pages.indices.filter { laid.pages[$0].role == .contents }
        #expect(tocPages.count >= 2)
        #expect(laid.pages.first?.role == .title)
        #expect(laid.tocEntries.count == laid.headings.filter { $0.level <= 2 }.count)
        // Destinations are unique and safe.
        let dests = laid.pages.flatMap(\.destinations)
        #expect(Set(dests).count == dests.count)
        #expect(dests.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } })
        for e in laid.tocEntries {
            let destPage = laid.pages.indices.first { laid.pages[$0].destinations.contains(e.destination) }
            let heading = laid.headings.first { $0.destination == e.destination }
            #expect(destPage != nil && destPage == heading?.page)
            #expect(e.printedPage == (destPage ?? -1) + 1)
            // The link on the TOC page, and the number printed at the right of the entry.
            let page = laid.pages[e.page]
            #expect(page.links.contains { $0.target == .destination(e.destination) && $0.rect == e.rect })
            let printed = page.texts.filter { $0.text.markup == String(e.printedPage) && e.rect.contains($0.frame, tolerance: 0.5)
                && abs($0.frame.maxX - laid.textAreas[e.page].maxX) < 0.01 }
            #expect(printed.count == 1)
            // The footer of the heading's page shows the same number.
            if let d = destPage {
                #expect(laid.pages[d].texts.contains { $0.text.markup == "page \(d + 1) of \(laid.pageCount)" })
            }
        }
        checkInsideTextArea(laid)
        // The PDF accepts every link (finish() throws on a link to an undefined destination).
        let pdf = try renderPDF(laid, size: doc.pageSize, measurer: measurer)
        if Tool.available("qpdf") {
            let dir = try makeTempDir("toc")
            let path = try write(pdf, to: dir, "toc.pdf")
            let r = try Tool.run("qpdf", ["--check", path])
            #expect(r?.status == 0)
        }
    }

    @Test func outlineMirrorsHeadings() throws {
        let laid = try DocumentLayoutEngine.layout(sampleDocument(rows: 20), measurer: measurer)
        let top = laid.headings.filter { $0.level <= 2 }
        #expect(laid.outline.map(\.destination) == top.map(\.destination))
        #expect(laid.outline.map(\.title).first == "1 Introduction")
        for (i, o) in laid.outline.enumerated() {
            if o.level == 1 { #expect(o.parent == nil) } else {
                let p = try #require(o.parent)
                #expect(p < i && laid.outline[p].level == 1)
            }
        }
        let rec = RecordingCanvas(size: .a4, measurer: measurer)
        try laid.draw(on: rec)
        var ids: [Int: String] = [:]
        var outlineOps: [(String, String, Int?)] = []
        var defined = Set<String>()
        for (_, op) in rec.operations {
            if case .outline(let t, let d, let parent, let id) = op { ids[id] = d; outlineOps.append((t, d, parent)) }
            if case .destination(let n, _) = op { defined.insert(n) }
        }
        #expect(outlineOps.count == laid.outline.count)
        for (k, op) in outlineOps.enumerated() {
            #expect(defined.contains(op.1))
            #expect(op.0 == laid.outline[k].title)
            if let p = op.2 { #expect(ids[p] == laid.outline[laid.outline[k].parent ?? -1].destination) }
        }
        // Three heading levels, numbered 1, 1.1, 1.1.1.
        #expect(laid.headings.map(\.number).contains("2.1.1"))
        let level3 = Set(laid.headings.filter { $0.level == 3 }.map(\.destination))
        #expect(!laid.outline.contains { level3.contains($0.destination) })
    }

    @Test func layoutIsDeterministic() throws {
        let doc = sampleDocument(rows: 80)
        let a = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        let b = try DocumentLayoutEngine.layout(doc, measurer: try PangoTextMeasurer())
        #expect(a == b)
        let pa = try renderPDF(a, size: doc.pageSize, measurer: measurer)
        let pb = try renderPDF(b, size: doc.pageSize, measurer: try PangoTextMeasurer())
        #expect(pa == pb)
    }

    @Test func duplicateAndUnsafeIDsBecomeUniqueNames() throws {
        let doc = Document(metadata: DocumentMetadata(), tableOfContents: true, blocks: [
            .heading(level: 1, text: "A", id: "same"), .heading(level: 1, text: "B", id: "same"),
            .heading(level: 1, text: "C", id: "ünï (code) 'x'"), .heading(level: 1, text: "D", id: ""),
            .heading(level: 2, text: "E", id: "toc"),
        ])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        #expect(laid.headings.map(\.destination) == ["same", "same-2", "n-code-x", "section", "toc-2"])
        _ = try renderPDF(laid, size: doc.pageSize, measurer: measurer)
    }

    @Test func svgPerPage() throws {
        let doc = sampleDocument(rows: 40)
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        for i in laid.pages.indices {
            let svg = try CairoCanvas.render(format: .svg, size: laid.pages[i].size, measurer: measurer) { c in
                try laid.drawPage(i, on: c)
            }
            #expect(String(decoding: svg.prefix(200), as: UTF8.self).contains("<svg"))
        }
        #expect(throws: DocumentLayoutError.self) {
            try laid.drawPage(laid.pageCount, on: RecordingCanvas(size: .a4, measurer: measurer))
        }
    }

    @Test func scaledFigureDrawsInsideItsFrame() throws {
        let doc = Document(metadata: DocumentMetadata(), tableOfContents: false,
                           blocks: [.figure(sampleFigure(width: 966, height: 300, caption: "wide"))])
        let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
        let f = try #require(laid.pages.first?.figures.first)
        #expect(abs(f.scale - 0.5) < 0.01)
        let rec = RecordingCanvas(size: .a4, measurer: measurer)
        try laid.draw(on: rec)
        for (_, op) in rec.operations {
            if case .fill(let p, _) = op, let b = p.bounds, b.width > 1 { #expect(f.frame.contains(b, tolerance: 0.01)) }
        }
        #expect(rec.operations.contains { if case .clip(let r) = $0.op { return r == f.frame } else { return false } })
    }
}
