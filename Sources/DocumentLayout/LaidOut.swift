import Canvas

/// A figure placed on a page: the drawing closure, drawn from (0, 0) in its own `size`, is shown
/// scaled by `scale` with its top-left at `frame.origin` and clipped to `frame`.
public struct PlacedFigure: Sendable, Equatable {
    /// Figure number (1-based), as printed in the caption.
    public var number: Int
    /// The size the figure draws in (before scaling).
    public var size: Size
    /// Where it is shown on the page (size · scale).
    public var frame: Rect
    /// Factor from the figure's own `size` to its `frame`.
    public var scale: Double
    public var draw: @Sendable (Canvas) throws -> Void

    /// Compares everything but the drawing closure.
    public static func == (a: PlacedFigure, b: PlacedFigure) -> Bool {
        a.number == b.number && a.size == b.size && a.frame == b.frame && a.scale == b.scale
    }
}

/// One positioned drawing operation of a laid-out page.
public enum PageItem: Sendable, Equatable {
    /// A text block whose logical rectangle is `frame` (origin = where it is drawn, size = measured).
    case text(TextBlock, frame: Rect)
    /// A straight line (rules, dotted TOC leaders).
    case line(from: Point, to: Point, style: StrokeStyle)
    /// A filled rectangle (zebra stripes, note and code backgrounds).
    case fill(Rect, Color)
    /// A stroked rectangle outline.
    case box(Rect, StrokeStyle)
    case figure(PlacedFigure)
    /// A clickable area.
    case link(LinkTarget, rect: Rect)
    /// A named destination (heading anchors).
    case destination(String, at: Point)
}

/// What a page is for.
public enum PageRole: String, Sendable, Hashable {
    case title, contents, body
}

/// One laid-out page.
public struct LaidOutPage: Sendable, Equatable {
    /// Page size, points.
    public var size: Size
    public var role: PageRole
    /// Page label for PDF viewers ("Title", "2", …).
    public var label: String
    /// Items in drawing order (backgrounds before what sits on them).
    public var items: [PageItem]

    /// Every text block with its frame.
    public var texts: [(text: TextBlock, frame: Rect)] {
        items.compactMap { if case .text(let t, let f) = $0 { return (t, f) } else { return nil } }
    }
    /// Every clickable area on the page with its target.
    public var links: [(target: LinkTarget, rect: Rect)] {
        items.compactMap { if case .link(let t, let r) = $0 { return (t, r) } else { return nil } }
    }
    public var destinations: [String] {
        items.compactMap { if case .destination(let n, _) = $0 { return n } else { return nil } }
    }
    public var figures: [PlacedFigure] {
        items.compactMap { if case .figure(let f) = $0 { return f } else { return nil } }
    }
}

/// A PDF bookmark: `parent` is the index of the parent entry in `LaidOutDocument.outline`.
public struct OutlineItem: Sendable, Hashable {
    public var title: String
    public var destination: String
    /// Index of the parent entry in the outline; nil for a top-level entry.
    public var parent: Int?
    /// 1 for a top-level entry, 2 for a level-2 heading that follows a level-1 one.
    public var level: Int
}

/// Where a heading ended up.
public struct HeadingRecord: Sendable, Hashable {
    public var level: Int
    /// "1.2" (empty when headings are not numbered).
    public var number: String
    /// Plain text of the heading (markup removed).
    public var title: String
    /// The (sanitised, unique) destination name at the heading.
    public var destination: String
    /// 0-based index of the page it is on.
    public var page: Int
    /// The heading's rectangle on its page.
    public var frame: Rect
}

/// One table-of-contents line.
public struct TOCRecord: Sendable, Hashable {
    /// Destination of the heading the line links to.
    public var destination: String
    /// The page number printed at the right (1-based physical page number).
    public var printedPage: Int
    /// 0-based index of the page holding this TOC line.
    public var page: Int
    /// The line's clickable rectangle on its page.
    public var rect: Rect
}

/// The result of `DocumentLayoutEngine.layout`: pages of positioned items, plus the outline and
/// records of headings and TOC lines for inspection. Draw it with `draw(on:)` (all pages, PDF)
/// or `drawPage(_:on:)` (one page, e.g. one SVG per page).
public struct LaidOutDocument: Sendable, Equatable {
    public var metadata: DocumentMetadata
    public var pages: [LaidOutPage]
    /// PDF bookmarks in order (level-1 and level-2 headings); a parent precedes its children.
    public var outline: [OutlineItem]
    /// Every heading in document order, with where it ended up.
    public var headings: [HeadingRecord]
    public var tocEntries: [TOCRecord]
    /// The text area of each page (page rect minus margins), same order as `pages`.
    public var textAreas: [Rect]

    public var pageCount: Int { pages.count }

    /// Draws every page: the first on the canvas as created, then `beginPage(size:)` before each
    /// further page. `labelPage` is called once per page, right after it begins, with its label
    /// (pass `CairoCanvas.setPageLabel` for PDF page labels). Outline entries are added after the
    /// last page.
    public func draw(on canvas: Canvas, labelPage: ((String) -> Void)? = nil) throws {
        for (i, page) in pages.enumerated() {
            if i > 0 { canvas.beginPage(size: page.size) }
            labelPage?(page.label)
            try Self.drawItems(page.items, on: canvas, links: true)
        }
        var ids: [Int] = []
        for item in outline {
            let parent = item.parent.flatMap { ids.indices.contains($0) ? ids[$0] : nil }
            let id = canvas.addOutlineEntry(item.title, destination: item.destination, parent: parent, open: item.level == 1)
            ids.append(id)
        }
    }

    /// Draws page `index` alone on `canvas` (for one-file-per-page output such as SVG). Links are
    /// left out (their destinations may be on other pages); destinations are kept.
    public func drawPage(_ index: Int, on canvas: Canvas) throws {
        guard pages.indices.contains(index) else {
            throw DocumentLayoutError.pageOutOfRange(index, pages.count)
        }
        try Self.drawItems(pages[index].items, on: canvas, links: false)
    }

    static func drawItems(_ items: [PageItem], on canvas: Canvas, links: Bool) throws {
        for item in items {
            switch item {
            case .text(let t, let frame):
                try canvas.draw(t, at: frame.origin)
            case .line(let a, let b, let style):
                canvas.stroke(.line(a, b), style: style)
            case .fill(let r, let c):
                canvas.fill(.rect(r), color: c)
            case .box(let r, let style):
                canvas.stroke(.rect(r), style: style)
            case .figure(let f):
                canvas.save()
                canvas.clip(to: f.frame)
                defer { canvas.restore() }
                try f.draw(canvas.transformed(by: .scale(f.scale, thenTranslateTo: f.frame.origin)))
            case .link(let target, let rect):
                if links { canvas.addLink(target, rect: rect) }
            case .destination(let name, let p):
                canvas.addDestination(name, at: p)
            }
        }
    }
}

/// Errors of the layout engine.
public enum DocumentLayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    case pageOutOfRange(Int, Int)
    case invalidPageSize(Size)
    case invalidTable(String)

    public var description: String {
        switch self {
        case .pageOutOfRange(let i, let n): return "page \(i) out of range (document has \(n) pages)"
        case .invalidPageSize(let s): return "page size \(s.width) × \(s.height) pt leaves no text area"
        case .invalidTable(let what): return "invalid table: \(what)"
        }
    }
}
