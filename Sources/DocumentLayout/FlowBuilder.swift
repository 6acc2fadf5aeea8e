import Canvas

/// Places the body blocks onto pages (page indices relative to the first body page).
final class FlowBuilder {
    let doc: Document
    let style: DocumentStyle
    let m: Measure
    let area: Rect
    let splitter: TextSplitter

    private(set) var pages: [[PageItem]] = []
    private var items: [PageItem] = []
    private var y: Double
    /// Nothing of the flow placed on the current page yet.
    private var atTop = true
    /// Only headings placed on the current page so far (then blocks split or shrink rather than move).
    private var onlyHeadings = true
    private var pendingGap = 0.0
    private var container: Container?

    private(set) var headings: [HeadingRecord] = []
    private var counters: [Int] = []
    private var usedIDs: Set<String> = ["toc"]
    private var figureNumber = 0
    private var tableNumber = 0

    private static let eps = 0.01

    /// A box drawn behind flow content (notes, code), possibly over several pages.
    struct Container {
        var fill: Color
        var border: Color
        var bar: Color?
        var padding: Double
        /// Index in `items` and y where the box's segment on the current page starts.
        var startIndex: Int
        var startY: Double
        var minHeight: Double
    }

    init(doc: Document, style: DocumentStyle, measure: Measure, area: Rect) {
        self.doc = doc; self.style = style; self.m = measure; self.area = area
        self.splitter = TextSplitter(measure: measure)
        y = area.minY
    }

    // MARK: Page state

    private var bottom: Double { area.maxY - (container?.padding ?? 0) }

    private func newPage() {
        closeContainerSegment()
        pages.append(items)
        items = []
        y = area.minY
        atTop = true
        onlyHeadings = true
        pendingGap = 0
        suppressNextGap = false
        if container != nil {
            container?.startIndex = 0
            container?.startY = y
            y += container?.padding ?? 0
        }
    }

    func finishedPages() -> [[PageItem]] {
        var p = pages
        if !items.isEmpty || p.isEmpty && doc.titlePage == nil { p.append(items) }
        return p
    }

    /// Vertical space the next element needs above it.
    private var gapNow: Double { atTop || suppressNextGap ? 0 : pendingGap }
    private func fits(_ h: Double) -> Bool { y + gapNow + h <= bottom + Self.eps }
    private var remaining: Double { bottom - y - gapNow }
    private func gap(_ g: Double) { if !suppressNextGap { pendingGap = max(pendingGap, g) } }
    /// Starts an element at the current position (consumes the pending gap).
    private func begin(heading: Bool = false) {
        y += gapNow
        pendingGap = 0
        suppressNextGap = false
        atTop = false
        if !heading { onlyHeadings = false }
    }

    private func openContainer(fill: Color, border: Color, bar: Color?, padding: Double, minHeight: Double = 0) {
        begin()
        container = Container(fill: fill, border: border, bar: bar, padding: padding, startIndex: items.count,
                              startY: y, minHeight: minHeight)
        y += padding
        suppressNextGap = true   // no gap above the first thing inside
    }

    private func closeContainerSegment() {
        guard let c = container else { return }
        let bottomY = min(y + c.padding, area.maxY)
        let rect = Rect(x: area.minX, y: c.startY, width: area.width, height: max(0, bottomY - c.startY))
        var deco: [PageItem] = [.fill(rect, c.fill), .box(rect, StrokeStyle(color: c.border, width: 0.7))]
        if let bar = c.bar {
            deco.append(.fill(Rect(x: rect.minX, y: rect.minY, width: 3, height: rect.height), bar))
        }
        items.insert(contentsOf: deco, at: min(c.startIndex, items.count))
    }

    private func closeContainer() {
        guard let c = container else { return }
        if y + c.padding - c.startY < c.minHeight {
            y = min(c.startY + c.minHeight - c.padding, area.maxY - c.padding)
        }
        closeContainerSegment()
        y = min(y + c.padding, area.maxY)
        container = nil
        atTop = false
        onlyHeadings = false
    }

    // MARK: Blocks

    func run(_ blocks: [Block]) throws {
        for (i, block) in blocks.enumerated() {
            switch block {
            case .heading(let level, let text, let id):
                try heading(level: level, text: text, id: id, following: Array(blocks[(i + 1)...]))
            case .paragraph(let text):
                gap(style.paragraphSpacing)
                try flowText(paragraphBlock(text, width: area.width), x: area.minX)
                gap(style.paragraphSpacing)
            case .lead(let text):
                // Keep with the next block: this paragraph plus the first piece of what follows.
                let tb = paragraphBlock(text, width: area.width)
                // The next block's own space above it counts too (a formula or note takes blockSpacing).
                let need = (try m.metrics(tb).size.height) + Swift.max(style.paragraphSpacing, style.blockSpacing)
                    + (try leadHeight(Array(blocks[(i + 1)...]), depth: 0))
                if !atTop && !fits(need) && need <= area.height { newPage() }
                gap(style.paragraphSpacing)
                try flowText(tb, x: area.minX)
                gap(style.paragraphSpacing)
            case .bullets(let items):
                try list(items, numbered: false)
            case .numbered(let items):
                try list(items, numbered: true)
            case .table(let t):
                try table(t)
            case .figure(let f):
                try figure(f)
            case .note(let n):
                try note(n.fillsPage ? try grownToFill(n, at: i, in: blocks) : n)
            case .formula(let f):
                try formula(f)
            case .code(let c):
                try code(c)
            case .pageBreak:
                if !atTop { newPage() }
            case .spacer(let h):
                guard h > 0, h.isFinite else { break }
                if y + gapNow + h <= bottom { y += gapNow + h; pendingGap = 0; atTop = false } else { newPage() }
            }
        }
    }

    // MARK: Text helpers

    private func lineHeightMarkup(_ markup: String) -> String {
        style.lineHeight == 1 ? markup : "<span line_height='\(style.lineHeight)'>\(markup)</span>"
    }

    private func paragraphBlock(_ text: RichText, width: Double) -> TextBlock {
        TextBlock(lineHeightMarkup(text.pangoMarkup), font: style.body, color: style.text, width: width)
    }

    /// Height of the smallest first piece a text may be split into (orphan control).
    private func minLead(_ t: TextBlock) throws -> Double {
        let mt = try m.metrics(t)
        if mt.lineExtents.count <= 3 { return mt.size.height }
        return mt.lineExtents[1].upperBound
    }

    /// Places a text block, splitting it between lines across pages when needed. `marker` is
    /// drawn beside its first line (list bullets).
    private func flowText(_ block: TextBlock, x: Double, marker: TextBlock? = nil, markerX: Double = 0,
                          splitMode: TextSplitter.Mode = .words) throws {
        var current = block
        var first = true
        while true {
            let mt = try m.metrics(current)
            let n = max(mt.lineExtents.count, 1)
            if fits(mt.size.height) || (atTop && n == 1) || (atTop && mt.lineExtents.isEmpty) {
                // Place whole (a single line on an empty page always goes, even if taller).
                begin()
                place(current, at: Point(x, y), metrics: mt, marker: first ? marker : nil, markerX: markerX)
                y += mt.size.height
                return
            }
            let avail = remaining
            var k = mt.lineExtents.prefix { $0.upperBound <= avail + Self.eps }.count
            if atTop || onlyHeadings {
                if n - k == 1 && k >= 3 { k -= 1 }
                k = max(k, atTop ? 1 : 0)
            } else {
                if n <= 3 { k = 0 }                    // too short to split well: move it
                if n - k < 2 { k = n - 2 }              // no widow
                if k < 2 { k = 0 }                      // no orphan
            }
            if k == 0 {
                newPage()
                continue
            }
            guard let (head, tail) = try splitter.split(current, lines: k, mode: splitMode) else {
                if atTop {
                    // Unsplittable and too tall: draw it anyway (cannot happen with real text).
                    begin()
                    place(current, at: Point(x, y), metrics: mt, marker: first ? marker : nil, markerX: markerX)
                    y += mt.size.height
                    return
                }
                newPage()
                continue
            }
            let hm = try m.metrics(head)
            begin()
            place(head, at: Point(x, y), metrics: hm, marker: first ? marker : nil, markerX: markerX)
            y += hm.size.height
            first = false
            current = tail
            newPage()
        }
    }

    private func place(_ t: TextBlock, at p: Point, metrics mt: TextMetrics, marker: TextBlock?, markerX: Double) {
        if let marker, let ms = try? m.metrics(marker) {
            // Align the marker's baseline with the first line's.
            let my = p.y + mt.baseline - ms.baseline
            items.append(.text(marker, frame: Rect(origin: Point(markerX, max(my, p.y)), size: ms.size)))
        }
        items.append(.text(t, frame: Rect(origin: p, size: mt.size)))
    }

    // MARK: Headings

    private func safeID(_ raw: String) -> String {
        var s = ""
        var lastDash = false
        for u in raw.unicodeScalars {
            let ok = (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9") || u == "_" || u == "." || u == "-"
            if ok { s.unicodeScalars.append(u); lastDash = u == "-" } else if !lastDash && !s.isEmpty { s += "-"; lastDash = true }
        }
        while s.hasSuffix("-") { s.removeLast() }
        if s.isEmpty { s = "section" }
        var candidate = s
        var k = 2
        while usedIDs.contains(candidate) { candidate = "\(s)-\(k)"; k += 1 }
        usedIDs.insert(candidate)
        return candidate
    }

    private func headingBlock(level: Int, text: RichText, number: String) -> TextBlock {
        let markup = number.isEmpty ? text.pangoMarkup : "\(number)\u{2002} \(text.pangoMarkup)"
        return TextBlock(markup, font: style.headingFont(level), color: style.headingColor, width: area.width)
    }

    private func headingNumber(_ level: Int) -> String {
        guard doc.numberHeadings else { return "" }
        let l = max(1, level)
        while counters.count < l { counters.append(0) }
        counters = Array(counters.prefix(l))
        counters[l - 1] += 1
        return counters.map(String.init).joined(separator: ".")
    }

    private func heading(level: Int, text: RichText, id: String, following: [Block]) throws {
        let level = min(max(level, 1), 6)
        let number = headingNumber(level)
        let tb = headingBlock(level: level, text: text, number: number)
        let mt = try m.metrics(tb)
        let ruleSpace = level == 1 ? 5.0 : 0
        gap(style.spaceBefore(level))
        // Keep with the next block: the heading plus the first piece of what follows must fit.
        let lead = try leadHeight(following, depth: 0)
        let need = mt.size.height + ruleSpace + style.spaceAfter(level) + lead
        if !atTop && !fits(need) && need <= area.height { newPage() }
        if !atTop && !fits(mt.size.height) { newPage() }
        // A block that moves whole to the next page (a note, a figure, a short table at the foot
        // of a page) would leave the heading stranded: take the heading along.
        if !atTop, let whole = try movesWhole(following.first, after: mt.size.height + ruleSpace + style.spaceAfter(level)) , whole { newPage() }
        begin(heading: true)
        let dest = safeID(id)
        items.append(.destination(dest, at: Point(area.minX, max(0, y - 6))))
        items.append(.text(tb, frame: Rect(origin: Point(area.minX, y), size: mt.size)))
        headings.append(HeadingRecord(level: level, number: number, title: text.words, destination: dest,
                                      page: pages.count, frame: Rect(origin: Point(area.minX, y), size: mt.size)))
        y += mt.size.height
        if level == 1 {
            y += 3
            items.append(.line(from: Point(area.minX, y), to: Point(area.maxX, y),
                               style: StrokeStyle(color: style.rule, width: 0.6)))
            y += 2
        }
        // The space after a heading replaces the next block's space before.
        y += style.spaceAfter(level)
        pendingGap = 0
        suppressNextGap = true
    }

    /// After a heading, the next block starts right below it (its own space-before is dropped).
    private var suppressNextGap = false

    /// Height of the smallest piece of `blocks[0]` that must stay with a preceding heading.
    /// Whether `block`, placed after `used` more points on this page, would move whole to the
    /// next page (mirrors the rules of `note`, `figure` and `table`).
    private func movesWhole(_ block: Block?, after used: Double) throws -> Bool? {
        guard let block else { return nil }
        let left = remaining - used
        switch block {
        case .note(let n):
            let h = try noteHeight(n)
            return h > left && fitsOnEmptyPage(h)
        case .figure(let f):
            let p = try prepareFigure(f, number: 0, maxHeight: area.height * 0.6)
            let h = p.frameSize.height + 6 + p.captionSize.height
            return h > left && h <= area.height
        case .table(let t):
            let p = try prepareTable(t, number: 0)
            let whole = p.wholeHeight
            return whole > left && whole <= area.height && left < 0.25 * area.height
        default:
            return nil
        }
    }

    private func leadHeight(_ blocks: [Block], depth: Int) throws -> Double {
        guard let b = blocks.first, depth < 4 else { return 0 }
        switch b {
        case .heading(let level, let text, _):
            let mt = try m.metrics(headingBlock(level: level, text: text, number: doc.numberHeadings ? "0.0" : ""))
            return style.spaceBefore(level) + mt.size.height + style.spaceAfter(level) + (level == 1 ? 5 : 0)
                + (try leadHeight(Array(blocks.dropFirst()), depth: depth + 1))
        case .paragraph(let t):
            return try minLead(paragraphBlock(t, width: area.width))
        case .lead(let t):
            return (try m.metrics(paragraphBlock(t, width: area.width)).size.height) + Swift.max(style.paragraphSpacing, style.blockSpacing)
                + (try leadHeight(Array(blocks.dropFirst()), depth: depth + 1))
        case .bullets(let xs), .numbered(let xs):
            guard let f = xs.first else { return 0 }
            return try minLead(paragraphBlock(f, width: area.width - style.listIndent))
        case .table(let t):
            let prepared = try prepareTable(t, number: 0)
            return prepared.leadHeight
        case .figure(let f):
            let p = try prepareFigure(f, number: 0, maxHeight: area.height * 0.6)
            return p.frameSize.height + 6 + p.captionSize.height
        case .note(let n):
            let h = try noteHeight(n)
            return min(h, 3 * style.body.size * 1.3 + 2 * style.notePadding)
        case .formula(let f):
            return try m.metrics(formulaBlock(f)).size.height
        case .code(let c):
            return try minLead(codeBlock(c)) + 2 * style.codePadding
        case .pageBreak, .spacer:
            return 0
        }
    }

    // MARK: Lists

    private func list(_ entries: [RichText], numbered: Bool) throws {
        gap(style.paragraphSpacing)
        for (k, e) in entries.enumerated() {
            let markerText = numbered ? "\(k + 1)." : "•"
            let width = area.width - style.listIndent
            let marker = TextBlock(markerText, font: style.body, color: numbered ? style.text : style.muted)
            if k > 0 { gap(style.listItemSpacing) }
            try flowText(paragraphBlock(e, width: width), x: area.minX + style.listIndent,
                         marker: marker, markerX: area.minX + (numbered ? 0 : 4))
        }
        gap(style.paragraphSpacing)
    }

    // MARK: Formula and code

    private func formulaBlock(_ f: RichText) -> TextBlock {
        TextBlock(f, font: style.body.sized(style.body.size + 1), color: style.text, width: area.width, alignment: .center)
    }

    private func formula(_ f: RichText) throws {
        gap(style.blockSpacing)
        let tb = formulaBlock(f)
        let mt = try m.metrics(tb)
        if !fits(mt.size.height) && !atTop && !(onlyHeadings && mt.lineCount > 1) { newPage() }
        try flowCentered(tb, metrics: mt)
        gap(style.blockSpacing)
    }

    private func flowCentered(_ tb: TextBlock, metrics mt: TextMetrics) throws {
        if fits(mt.size.height) || atTop {
            begin()
            let x = area.minX + (area.width - mt.size.width) / 2
            items.append(.text(tb, frame: Rect(origin: Point(x, y), size: mt.size)))
            y += mt.size.height
        } else {
            try flowText(tb, x: area.minX)
        }
    }

    private func codeBlock(_ c: String) -> TextBlock {
        TextBlock(c, font: style.code, color: style.text, width: area.width - 2 * style.codePadding - 4)
    }

    private func code(_ c: String) throws {
        gap(style.blockSpacing)
        let tb = codeBlock(c)
        let mt = try m.metrics(tb)
        let total = mt.size.height + 2 * style.codePadding
        let lead = try minLead(tb) + 2 * style.codePadding
        if !fits(total) && !atTop && (fitsOnEmptyPage(total) || lead > remaining) {
            newPage()
        }
        openContainer(fill: style.codeBackground, border: style.codeBorder, bar: nil, padding: style.codePadding)
        try flowText(tb, x: area.minX + style.codePadding + 2, splitMode: .lines)
        closeContainer()
        gap(style.blockSpacing)
    }

    private func fitsOnEmptyPage(_ h: Double) -> Bool { h <= area.height + Self.eps }

    // MARK: Notes

    private func noteParts(_ n: Note) -> (label: TextBlock, paragraphs: [TextBlock]) {
        let ns = style.noteStyle(n.kind)
        let inner = area.width - 2 * style.notePadding - 4
        var label: String
        if n.kind == .answerSpace {
            label = "<span size='smaller' style='italic' foreground='\(ns.labelColor.hexString)'>work space</span>"
            if let t = n.title { label += "\n<b>\(t.pangoMarkup)</b>" }
        } else {
            label = "<b><span foreground='\(ns.labelColor.hexString)'>\(Markup.escape(ns.label))</span></b>"
            if let t = n.title { label += "<b>: \(t.pangoMarkup)</b>" }
        }
        let lb = TextBlock(label, font: style.body, color: style.text, width: inner)
        return (lb, n.paragraphs.map { paragraphBlock($0, width: inner) })
    }

    private func noteHeight(_ n: Note) throws -> Double {
        let (label, paras) = noteParts(n)
        var h = try m.metrics(label).size.height
        for p in paras { h += 4 + (try m.metrics(p).size.height) }
        return max(h + 2 * style.notePadding, n.minHeight)
    }

    /// `n` (the first of the page-filling notes from `i` on) with its share of the space left on
    /// the page: only when the run of such notes is followed by a page break or the end.
    private func grownToFill(_ n: Note, at i: Int, in blocks: [Block]) throws -> Note {
        guard container == nil else { return n }
        var run: [Note] = []
        var j = i
        while j < blocks.count, case .note(let m) = blocks[j], m.fillsPage { run.append(m); j += 1 }
        if j < blocks.count, case .pageBreak = blocks[j] {} else if j < blocks.count { return n }
        // Where the first note will start: on this page if it fits, else at the top of the next.
        let first = try noteHeight(n)
        if !fits(first) && !atTop && fitsOnEmptyPage(first) { newPage() }
        // The notes of the run that fit on this page share what it has left (the rest start the
        // next page and share that one).
        let spacing = style.blockSpacing
        var used = atTop ? 0 : max(pendingGap, spacing)
        var count = 0
        for m in run {
            let h = try noteHeight(m) + (count > 0 ? spacing : 0)
            guard y + used + h <= bottom - 1 else { break }
            used += h; count += 1
        }
        let extra = bottom - y - used - 1
        guard count > 0, extra > 0 else { return n }
        var grown = n
        grown.minHeight = max(n.minHeight, first + extra / Double(count))
        return grown
    }

    private func note(_ n: Note) throws {
        gap(style.blockSpacing)
        let ns = style.noteStyle(n.kind)
        let total = try noteHeight(n)
        let minHeight = min(n.minHeight, area.height)
        if !fits(total) && !atTop && (fitsOnEmptyPage(total) || !onlyHeadings) { newPage() }
        openContainer(fill: ns.fill, border: ns.border, bar: ns.border, padding: style.notePadding, minHeight: minHeight)
        let (label, paras) = noteParts(n)
        let x = area.minX + style.notePadding + 4
        try flowText(label, x: x)
        for p in paras {
            gap(4)
            try flowText(p, x: x)
        }
        closeContainer()
        gap(style.blockSpacing)
    }

    // MARK: Figures

    struct PreparedFigure {
        var scale: Double
        var frameSize: Size
        var caption: TextBlock
        var captionSize: Size
    }

    private func figureCaption(_ f: Figure, number: Int) -> TextBlock {
        let label = number > 0 ? "Figure \(number):" : "Figure 00:"
        return TextBlock("<b>\(label)</b> \(f.caption.pangoMarkup)", font: style.caption, color: style.text, width: area.width,
                         alignment: .center)
    }

    private func prepareFigure(_ f: Figure, number: Int, maxHeight: Double) throws -> PreparedFigure {
        let caption = figureCaption(f, number: number)
        let cs = try m.metrics(caption).size
        let w = f.size.width.isFinite && f.size.width > 0 ? f.size.width : 1
        let h = f.size.height.isFinite && f.size.height > 0 ? f.size.height : 1
        var scale = min(1, area.width / w)
        let maxFigure = max(20, min(maxHeight, area.height) - 6 - cs.height)
        if h * scale > maxFigure { scale = maxFigure / h }
        return PreparedFigure(scale: scale, frameSize: Size(w * scale, h * scale), caption: caption, captionSize: cs)
    }

    /// A figure that needs at most 1/0.82 of the space left on the page is shrunk to fit it
    /// rather than moved to the next page (charts are vector drawings; text stays legible).
    static let figureShrinkLimit = 0.82

    private func figure(_ f: Figure) throws {
        figureNumber += 1
        gap(style.blockSpacing)
        var p = try prepareFigure(f, number: figureNumber, maxHeight: area.height)
        var total = p.frameSize.height + 6 + p.captionSize.height
        if !fits(total) && !atTop {
            if remaining >= Self.figureShrinkLimit * total {
                // Nearly fits: a slightly smaller figure beats a half-empty page.
                p = try prepareFigure(f, number: figureNumber, maxHeight: remaining)
                total = p.frameSize.height + 6 + p.captionSize.height
                if !fits(total) { newPage() }
            } else if onlyHeadings && remaining > 0.4 * total {
                // Right under its heading: shrink to the space left rather than strand the heading.
                p = try prepareFigure(f, number: figureNumber, maxHeight: remaining)
                total = p.frameSize.height + 6 + p.captionSize.height
                if !fits(total) { newPage() }
            } else {
                newPage()
            }
        }
        begin()
        let fx = area.minX + (area.width - p.frameSize.width) / 2
        let frame = Rect(origin: Point(fx, y), size: p.frameSize)
        items.append(.figure(PlacedFigure(number: figureNumber, size: f.size, frame: frame, scale: p.scale, draw: f.draw)))
        y += p.frameSize.height + 6
        let cx = area.minX + (area.width - p.captionSize.width) / 2
        items.append(.text(p.caption, frame: Rect(origin: Point(cx, y), size: p.captionSize)))
        y += p.captionSize.height
        gap(style.blockSpacing)
    }

    // MARK: Tables

    struct PreparedTable {
        var widths: [Double]
        var caption: TextBlock?
        var captionHeight: Double
        var header: [TextBlock]
        var headerHeight: Double
        var rows: [[TextBlock]]
        var rowHeights: [Double]
        var number: Int
        var captionMarkup: String?
        /// Caption, header and the first rows: what must fit for the table to start on a page.
        var leadHeight: Double { captionHeight + headerHeight + rowHeights.prefix(FlowBuilder.tableLeadRows).reduce(0, +) }
        /// The whole table on one page.
        var wholeHeight: Double { captionHeight + headerHeight + rowHeights.reduce(0, +) }
    }

    /// `cells`: the rows' cells as Pango markup (converted once per table by the caller).
    private func cellWidths(_ t: Table, cells: [[String]]) throws -> [Double] {
        let n = t.columns.count
        let padX = style.tableCellPaddingX
        let font = style.body.sized(t.fontSize)
        var natural = [Double](repeating: 0, count: n)
        // The widest unbreakable word of each column (header words and short cells): a column is
        // never made narrower than that, so words are not broken mid-way ("GP-Us").
        var minimum = [Double](repeating: 0, count: n)
        for c in 0..<n {
            var w = try m.metrics(TextBlock(t.columns[c].title, font: font.bolded())).size.width
            for word in t.columns[c].title.words.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) {
                minimum[c] = max(minimum[c], try m.metrics(TextBlock(Markup.escape(word), font: font.bolded())).size.width)
            }
            for row in cells where c < row.count {
                let cw = try m.metrics(TextBlock(row[c], font: font)).size.width
                w = max(w, cw)
                if !row[c].contains(" ") { minimum[c] = max(minimum[c], cw) }
            }
            natural[c] = w + 2 * padX + 0.5
            minimum[c] += 2 * padX + 0.5
        }
        let avail = area.width
        let weighted = (0..<n).filter { (t.columns[$0].weight ?? 0) > 0 }
        var widths = natural
        if weighted.isEmpty {
            let total = natural.reduce(0, +)
            if total <= avail {
                widths = natural.map { $0 + ($0 / max(total, 1)) * (avail - total) }
            } else {
                // Water-filling: narrow columns keep their width, wide ones share the rest.
                var fixed = Set<Int>()
                var share = avail / Double(n)
                for _ in 0..<n {
                    let free = (0..<n).filter { !fixed.contains($0) }
                    let fixedTotal = fixed.reduce(0) { $0 + natural[$1] }
                    share = (avail - fixedTotal) / Double(max(free.count, 1))
                    let newlyFixed = free.filter { natural[$0] <= share }
                    if newlyFixed.isEmpty { break }
                    fixed.formUnion(newlyFixed)
                }
                let free = (0..<n).filter { !fixed.contains($0) }
                let freeNatural = free.reduce(0) { $0 + natural[$1] }
                let freeSpace = avail - fixed.reduce(0) { $0 + natural[$1] }
                for c in 0..<n {
                    widths[c] = fixed.contains(c) ? natural[c] : natural[c] / max(freeNatural, 1) * freeSpace
                }
            }
        } else {
            let unweighted = (0..<n).filter { !weighted.contains($0) }
            var fixedTotal = unweighted.reduce(0) { $0 + natural[$1] }
            let cap = avail * 0.6
            if fixedTotal > cap {
                for c in unweighted { widths[c] = natural[c] / fixedTotal * cap }
                fixedTotal = cap
            }
            let totalWeight = weighted.reduce(0) { $0 + (t.columns[$1].weight ?? 0) }
            for c in weighted { widths[c] = (avail - fixedTotal) * (t.columns[c].weight ?? 0) / totalWeight }
        }
        let minW = 2 * padX + t.fontSize
        widths = widths.map { max($0, minW) }
        // Raise columns below their minimum, taking the width from columns that have slack.
        let floors = (0..<n).map { max(minimum[$0], minW) }
        if floors.reduce(0, +) <= avail {
            for _ in 0..<n {
                let deficit = (0..<n).reduce(0.0) { $0 + max(0, floors[$1] - widths[$1]) }
                if deficit <= 0.01 { break }
                let slack = (0..<n).filter { widths[$0] > floors[$0] }
                let slackTotal = slack.reduce(0.0) { $0 + (widths[$1] - floors[$1]) }
                guard slackTotal > 0 else { break }
                let take = min(deficit, slackTotal)
                for c in slack { widths[c] -= (widths[c] - floors[c]) / slackTotal * take }
                for c in 0..<n where widths[c] < floors[c] { widths[c] = floors[c] }
            }
        }
        let sum = widths.reduce(0, +)
        if sum > avail { widths = widths.map { $0 * avail / sum } }
        return widths
    }

    private func prepareTable(_ t: Table, number: Int) throws -> PreparedTable {
        let n = t.columns.count
        guard n > 0 else { throw DocumentLayoutError.invalidTable("no columns") }
        guard t.fontSize.isFinite, t.fontSize > 0 else { throw DocumentLayoutError.invalidTable("font size \(t.fontSize)") }
        let cells = t.rows.map { $0.map(\.pangoMarkup) }
        let widths = try cellWidths(t, cells: cells)
        let font = style.body.sized(t.fontSize)
        let padX = style.tableCellPaddingX, padY = style.tableCellPaddingY
        func cell(_ s: String, _ c: Int, bold: Bool) -> TextBlock {
            let a: TextAlignment
            switch t.columns[c].alignment { case .left: a = .left; case .right: a = .right; case .center: a = .center }
            return TextBlock(s, font: bold ? font.bolded() : font, color: style.text, width: max(1, widths[c] - 2 * padX), alignment: a)
        }
        let header = (0..<n).map { cell(t.columns[$0].title.pangoMarkup, $0, bold: true) }
        var headerHeight = 0.0
        for h in header { headerHeight = max(headerHeight, try m.metrics(h).size.height) }
        headerHeight += 2 * padY
        var rows: [[TextBlock]] = []
        var heights: [Double] = []
        for r in cells {
            let blocks = (0..<n).map { c in cell(c < r.count ? r[c] : "", c, bold: false) }
            var h = 0.0
            for b in blocks { h = max(h, try m.metrics(b).size.height) }
            rows.append(blocks)
            heights.append(h + 2 * padY)
        }
        var caption: TextBlock? = nil
        var captionHeight = 0.0
        if let c = t.caption {
            let tb = TextBlock("<b>Table \(max(number, 1)):</b> \(c.pangoMarkup)", font: style.caption, color: style.text, width: area.width)
            caption = tb
            captionHeight = try m.metrics(tb).size.height + 4
        }
        return PreparedTable(widths: widths, caption: caption, captionHeight: captionHeight, header: header,
                             headerHeight: headerHeight, rows: rows, rowHeights: heights, number: number,
                             captionMarkup: t.caption?.pangoMarkup)
    }

    /// Rows a table keeps with its caption and header (and a heading with the table).
    static let tableLeadRows = 3

    private func table(_ t: Table) throws {
        if t.caption != nil { tableNumber += 1 }
        let p = try prepareTable(t, number: t.caption != nil ? tableNumber : 0)
        gap(style.blockSpacing)
        let lead = p.leadHeight, whole = p.wholeHeight
        if !atTop && !fits(whole) && (!fits(lead) || (whole <= area.height && !onlyHeadings && remaining < 0.25 * area.height)) {
            newPage()
        }
        begin()
        try tableTop(p, continued: false)
        let padX = style.tableCellPaddingX, padY = style.tableCellPaddingY
        let ruleStyle = StrokeStyle(color: style.text.withAlpha(0.75), width: 0.8)
        for (r, row) in p.rows.enumerated() {
            let h = p.rowHeights[r]
            // The last row never goes to a page alone: when it would not fit beside the one
            // before it, both move on.
            let lastAlone = r == p.rows.count - 2 && p.rows.count >= 4 && y + h <= area.maxY + Self.eps
                && y + h + p.rowHeights[r + 1] > area.maxY + Self.eps
            if (y + h > area.maxY + Self.eps || lastAlone) && y > area.minY + p.captionHeight + p.headerHeight + 1 {
                items.append(.line(from: Point(area.minX, y), to: Point(area.maxX, y), style: ruleStyle))
                newPage()
                begin()
                try tableTop(p, continued: true)
            }
            if r % 2 == 1 {
                items.append(.fill(Rect(x: area.minX, y: y, width: p.widths.reduce(0, +), height: h), style.tableStripe))
            }
            var x = area.minX
            for (c, cell) in row.enumerated() {
                let mt = try m.metrics(cell)
                items.append(.text(cell, frame: Rect(origin: Point(cellX(x, p.widths[c], mt.size.width, cell.alignment, padX), y + padY),
                                                     size: mt.size)))
                x += p.widths[c]
            }
            y += h
        }
        items.append(.line(from: Point(area.minX, y), to: Point(area.minX + p.widths.reduce(0, +), y), style: ruleStyle))
        y += 1
        gap(style.blockSpacing)
    }

    private func cellX(_ x: Double, _ w: Double, _ textW: Double, _ a: TextAlignment, _ padX: Double) -> Double {
        switch a {
        case .left: return x + padX
        case .right: return x + w - padX - textW
        case .center: return x + (w - textW) / 2
        }
    }

    /// Caption (with "(continued)" on later pages) and the header row.
    private func tableTop(_ p: PreparedTable, continued: Bool) throws {
        let tableWidth = p.widths.reduce(0, +)
        if var cap = p.caption {
            if continued { cap.markup += " <span style='normal' foreground='\(style.muted.hexString)'>(continued)</span>" }
            let cm = try m.metrics(cap)
            items.append(.text(cap, frame: Rect(origin: Point(area.minX, y), size: cm.size)))
            y += cm.size.height + 4
        } else if continued {
            let cap = TextBlock("(continued)", font: style.caption, color: style.muted, width: area.width)
            let cm = try m.metrics(cap)
            items.append(.text(cap, frame: Rect(origin: Point(area.minX, y), size: cm.size)))
            y += cm.size.height + 4
        }
        let ruleStyle = StrokeStyle(color: style.text.withAlpha(0.75), width: 0.8)
        items.append(.fill(Rect(x: area.minX, y: y, width: tableWidth, height: p.headerHeight), style.tableHeaderFill))
        items.append(.line(from: Point(area.minX, y), to: Point(area.minX + tableWidth, y), style: ruleStyle))
        var x = area.minX
        for (c, cell) in p.header.enumerated() {
            let mt = try m.metrics(cell)
            items.append(.text(cell, frame: Rect(origin: Point(cellX(x, p.widths[c], mt.size.width, cell.alignment, style.tableCellPaddingX),
                                                               y + style.tableCellPaddingY), size: mt.size)))
            x += p.widths[c]
        }
        y += p.headerHeight
        items.append(.line(from: Point(area.minX, y), to: Point(area.minX + tableWidth, y),
                           style: StrokeStyle(color: style.text.withAlpha(0.75), width: 0.5)))
    }
}
