import Canvas

/// Paginates a `Document` into a `LaidOutDocument`.
///
/// Page order: the title page (if any), the table of contents (if `tableOfContents` and there are
/// headings of level 1–2), then the body. Every page but the title page carries the running
/// header and a "page N of M" footer. Page numbers are physical (the title page is page 1).
public enum DocumentLayoutEngine {
    /// Lays out `doc`, measuring text with `measurer` (use `PangoTextMeasurer` so that the result
    /// matches what `CairoCanvas` draws). Throws when markup is invalid or the page is too small.
    public static func layout(_ doc: Document, style: DocumentStyle = .init(), measurer: TextMeasurer) throws -> LaidOutDocument {
        let size = doc.pageSize
        let area = style.textArea(pageSize: size)
        guard size.width.isFinite, size.height.isFinite, area.width >= 72, area.height >= 72 else {
            throw DocumentLayoutError.invalidPageSize(size)
        }
        let m = Measure(measurer)

        // 1. The body, with page indices relative to its first page.
        let flow = FlowBuilder(doc: doc, style: style, measure: m, area: area)
        try flow.run(doc.blocks)
        let body = flow.finishedPages()

        // 2. Title page.
        var pages: [LaidOutPage] = []
        if let tp = doc.titlePage {
            pages.append(LaidOutPage(size: size, role: .title, label: "Title",
                                     items: try titlePageItems(tp, style: style, measure: m, area: area)))
        }

        // 3. Table of contents: its length shifts every body page number, so lay it out with a
        // guessed page count, then again with the count it produced, until the two agree.
        let entries = flow.headings.filter { $0.level <= 2 }
        var toc = TOCResult(pages: [], records: [])
        if doc.tableOfContents && !entries.isEmpty {
            var reserved = 1
            for _ in 0..<8 {
                let offset = pages.count + reserved
                toc = try TOCBuilder(style: style, measure: m, area: area, numbered: doc.numberHeadings)
                    .layout(entries, firstBodyPage: offset)
                if toc.pages.count == reserved { break }
                reserved = toc.pages.count
            }
        }
        let tocStart = pages.count
        for items in toc.pages {
            pages.append(LaidOutPage(size: size, role: .contents, label: "", items: items))
        }
        let bodyStart = pages.count
        for items in body {
            pages.append(LaidOutPage(size: size, role: .body, label: "", items: items))
        }
        if pages.isEmpty { pages.append(LaidOutPage(size: size, role: .body, label: "", items: [])) }

        // 4. Header, footer, labels.
        let total = pages.count
        for i in pages.indices where pages[i].role != .title {
            pages[i].label = String(i + 1)
            pages[i].items += try headerFooter(page: i + 1, of: total, header: doc.runningHeader, style: style,
                                               measure: m, size: size, area: area)
        }

        // 5. Records and outline.
        let headings = flow.headings.map { h -> HeadingRecord in
            var r = h; r.page += bodyStart; return r
        }
        let tocRecords = toc.records.map { r -> TOCRecord in
            var x = r; x.page += tocStart; return x
        }
        var outline: [OutlineItem] = []
        var lastTop: Int? = nil
        for h in headings where h.level <= 2 {
            let title = h.number.isEmpty ? h.title : "\(h.number) \(h.title)"
            if h.level == 1 {
                outline.append(OutlineItem(title: title, destination: h.destination, parent: nil, level: 1))
                lastTop = outline.count - 1
            } else {
                outline.append(OutlineItem(title: title, destination: h.destination, parent: lastTop, level: lastTop == nil ? 1 : 2))
            }
        }
        return LaidOutDocument(metadata: doc.metadata, pages: pages, outline: outline, headings: headings,
                               tocEntries: tocRecords, textAreas: pages.map { style.textArea(pageSize: $0.size) })
    }

    // MARK: Title page

    static func titlePageItems(_ tp: TitlePage, style: DocumentStyle, measure m: Measure, area: Rect) throws -> [PageItem] {
        var blocks: [(TextBlock, Double)] = []   // block, gap before
        blocks.append((TextBlock(tp.title, font: style.titleFont, color: style.headingColor, width: area.width), 0))
        if let s = tp.subtitle {
            blocks.append((TextBlock(s, font: style.subtitleFont, color: style.muted, width: area.width), 10))
        }
        for (k, line) in tp.lines.enumerated() {
            blocks.append((TextBlock(line, font: style.titleLineFont, color: style.text, width: area.width), k == 0 ? 28 : 5))
        }
        var sizes: [Size] = []
        for (b, _) in blocks { sizes.append(try m.metrics(b).size) }
        let total = zip(blocks, sizes).reduce(0) { $0 + $1.0.1 + $1.1.height } + 40
        var y = area.minY + max(0, min(area.height * 0.26, area.height - total))
        var items: [PageItem] = [.fill(Rect(x: area.minX, y: y, width: 64, height: 4), style.accent)]
        y += 22
        for ((b, gap), s) in zip(blocks, sizes) {
            y += gap
            if y + s.height > area.maxY { break }
            items.append(.text(b, frame: Rect(origin: Point(area.minX, y), size: s)))
            y += s.height
        }
        if y + 24 <= area.maxY {
            items.append(.line(from: Point(area.minX, y + 22), to: Point(area.maxX, y + 22),
                               style: StrokeStyle(color: style.rule, width: 0.6)))
        }
        return items
    }

    // MARK: Header and footer

    static func headerFooter(page: Int, of total: Int, header: RichText?, style: DocumentStyle, measure m: Measure,
                             size: Size, area: Rect) throws -> [PageItem] {
        var items: [PageItem] = []
        let thin = StrokeStyle(color: style.rule, width: 0.5)
        if let header, !header.isEmpty {
            let ruleY = area.minY - style.headerOffset + 12
            let tb = TextBlock(header, font: style.header, color: style.muted, width: area.width)
            let s = try m.metrics(tb).size
            items.append(.text(tb, frame: Rect(origin: Point(area.minX, max(0, ruleY - 3 - s.height)), size: s)))
            items.append(.line(from: Point(area.minX, ruleY), to: Point(area.maxX, ruleY), style: thin))
        }
        let ruleY = area.maxY + style.footerOffset - 6
        items.append(.line(from: Point(area.minX, ruleY), to: Point(area.maxX, ruleY), style: thin))
        let tb = TextBlock("page \(page) of \(total)", font: style.footer, color: style.muted)
        let s = try m.metrics(tb).size
        items.append(.text(tb, frame: Rect(origin: Point(area.maxX - s.width, ruleY + 4), size: s)))
        return items
    }
}

/// Measures through the caller's measurer, with a cache (layouts of long tables measure the same
/// strings repeatedly during splitting and the TOC passes).
final class Measure {
    let measurer: TextMeasurer
    private var cache: [TextBlock: TextMetrics] = [:]
    init(_ measurer: TextMeasurer) { self.measurer = measurer }
    func metrics(_ t: TextBlock) throws -> TextMetrics {
        if let m = cache[t] { return m }
        let m = try measurer.measure(t)
        cache[t] = m
        return m
    }
}

// MARK: - Table of contents

struct TOCResult {
    var pages: [[PageItem]]
    var records: [TOCRecord]
}

struct TOCBuilder {
    let style: DocumentStyle
    let measure: Measure
    let area: Rect
    let numbered: Bool

    func layout(_ entries: [HeadingRecord], firstBodyPage: Int) throws -> TOCResult {
        var pages: [[PageItem]] = []
        var records: [TOCRecord] = []
        var items: [PageItem] = []
        let titleBlock = TextBlock("Contents", font: style.headingFont(1), color: style.headingColor, width: area.width)
        let ts = try measure.metrics(titleBlock).size
        items.append(.text(titleBlock, frame: Rect(origin: area.origin, size: ts)))
        var y = area.minY + ts.height + 4
        items.append(.line(from: Point(area.minX, y), to: Point(area.maxX, y), style: StrokeStyle(color: style.rule, width: 0.6)))
        y += 14
        let pageColumn = 30.0
        let leader = StrokeStyle(color: style.muted, width: 0.9, dash: [0, 3.2], cap: .round)
        for (k, e) in entries.enumerated() {
            let level1 = e.level == 1
            let indent = level1 ? 0.0 : 18.0
            let numberWidth = numbered ? (level1 ? 22.0 : 30.0) : 0
            var font = style.tocEntry
            font.bold = level1
            let gapBefore = level1 && k > 0 ? 7.0 : 2.0
            let titleX = area.minX + indent + numberWidth
            let titleWidth = area.maxX - pageColumn - 14 - titleX
            let markup = Markup.escape(e.title)
            let tb = TextBlock(markup, font: font, color: style.text, width: titleWidth)
            let tm = try measure.metrics(tb)
            if y + gapBefore + tm.size.height > area.maxY {
                pages.append(items); items = []; y = area.minY
            } else if k > 0 {
                y += gapBefore
            }
            let pageNumber = e.page + firstBodyPage + 1
            if numbered && !e.number.isEmpty {
                let nb = TextBlock(Markup.escape(e.number), font: font, color: style.text)
                let ns = try measure.metrics(nb).size
                items.append(.text(nb, frame: Rect(origin: Point(area.minX + indent, y), size: ns)))
            }
            items.append(.text(tb, frame: Rect(origin: Point(titleX, y), size: tm.size)))
            // Last line: where the leader starts and the page number sits.
            let lastTop = tm.lineExtents.last?.lowerBound ?? 0
            var lastWidth = tm.size.width
            if tm.lineCount > 1, let (_, tail) = try TextSplitter(measure: measure).split(tb, lines: tm.lineCount - 1, mode: .words) {
                lastWidth = try measure.metrics(tail).size.width
            }
            let pb = TextBlock(String(pageNumber), font: font, color: style.text)
            let ps = try measure.metrics(pb).size
            items.append(.text(pb, frame: Rect(origin: Point(area.maxX - ps.width, y + lastTop), size: ps)))
            let baseline = y + lastTop + tm.baseline
            let x0 = titleX + lastWidth + 6, x1 = area.maxX - ps.width - 6
            if x1 - x0 > 6 {
                items.append(.line(from: Point(x0, baseline), to: Point(x1, baseline), style: leader))
            }
            let rect = Rect(x: area.minX + indent, y: y, width: area.width - indent, height: tm.size.height)
            items.append(.link(.destination(e.destination), rect: rect))
            records.append(TOCRecord(destination: e.destination, printedPage: pageNumber, page: pages.count, rect: rect))
            y += tm.size.height
        }
        pages.append(items)
        return TOCResult(pages: pages, records: records)
    }
}

// MARK: - Splitting text between lines

struct TextSplitter {
    let measure: Measure
    enum Mode { case words, lines }

    /// Splits `block` into a head of at most `lines` lines and the rest, at a word boundary
    /// (`.words`) or a newline (`.lines`), keeping markup balanced. Nil when no split point
    /// gives a non-empty head within `lines` lines.
    func split(_ block: TextBlock, lines: Int, mode: Mode) throws -> (TextBlock, TextBlock)? {
        guard lines >= 1 else { return nil }
        let tokens = MarkupText.tokenize(block.markup)
        if let r = try split(block, tokens: tokens, lines: lines, mode: mode) { return r }
        guard mode == .words else {
            // A single source line taller than the space: fall back to word breaks within it.
            return try split(block, lines: lines, mode: .words)
        }
        return try split(block, tokens: MarkupText.characterTokens(tokens), lines: lines, mode: .words)
    }

    private func split(_ block: TextBlock, tokens: [MarkupToken], lines: Int, mode: Mode) throws -> (TextBlock, TextBlock)? {
        var candidates: [Int] = []
        var seenText = false
        for (i, t) in tokens.enumerated() {
            switch t {
            case .text: seenText = true
            case .space(let s):
                guard seenText, i + 1 < tokens.count else { continue }
                if mode == .lines && !s.contains("\n") { continue }
                candidates.append(i)
            default: break
            }
        }
        func parts(_ c: Int) -> (TextBlock, TextBlock) {
            let (h, t): (String, String)
            switch mode {
            case .words: (h, t) = MarkupText.split(tokens, at: c, dropBreak: true, trimFollowingSpace: true)
            case .lines: (h, t) = Self.splitAtNewline(tokens, at: c)
            }
            var head = block, tail = block
            head.markup = h; tail.markup = t
            return (head, tail)
        }
        var lo = 0, hi = candidates.count - 1, best: Int? = nil
        while lo <= hi {
            let mid = (lo + hi) / 2
            let (head, _) = parts(candidates[mid])
            if try measure.metrics(head).lineCount <= lines { best = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        guard let b = best else { return nil }
        let result = parts(candidates[b])
        guard !MarkupText.plain(result.1.markup).allSatisfy(\.isWhitespace) else { return nil }
        return result
    }

    /// Splits at the first newline of the whitespace token `index`; whitespace after it (indentation) stays.
    static func splitAtNewline(_ tokens: [MarkupToken], at index: Int) -> (String, String) {
        guard case .space(let s) = tokens[index], let nl = s.firstIndex(of: "\n") else {
            return MarkupText.split(tokens, at: index, dropBreak: true, trimFollowingSpace: false)
        }
        let before = String(s[..<nl]), after = String(s[s.index(after: nl)...])
        var t = tokens
        t[index] = .space(before)
        let (head, tail) = MarkupText.split(t, at: index + 1, dropBreak: false, trimFollowingSpace: false)
        // The indentation after the newline starts the tail (whitespace outside the reopened tags).
        return (head, after + tail)
    }
}
