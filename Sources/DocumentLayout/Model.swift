import Canvas

/// A document to lay out: metadata, page size, an optional title page and a flow of blocks.
/// Reports, lecture notes and exercise sheets are all built as `Document` values; the layout
/// engine paginates them onto a `Canvas` (PDF, one SVG per page) and `MarkdownWriter` writes
/// them as Markdown.
///
/// Text fields are `RichText` (runs of text in nested styles). The layout engine turns them
/// into Pango markup, `MarkdownWriter` into Markdown. A string literal is read as the Pango
/// subset (`RichText(markup:)`); `RichText(plain:)` takes user text as it is.
public struct Document: Sendable {
    public var metadata: DocumentMetadata
    public var pageSize: Size
    public var titlePage: TitlePage?
    /// Insert a table of contents (linked entries with page numbers) after the title page.
    public var tableOfContents: Bool
    /// Number headings 1, 1.1, 1.1.1.
    public var numberHeadings: Bool
    /// Running header text (markup) on every page but the title page; footer shows "page N of M".
    public var runningHeader: RichText?
    public var blocks: [Block]

    public init(metadata: DocumentMetadata, pageSize: Size = .a4, titlePage: TitlePage? = nil,
                tableOfContents: Bool = true, numberHeadings: Bool = true, runningHeader: RichText? = nil,
                blocks: [Block] = []) {
        self.metadata = metadata; self.pageSize = pageSize; self.titlePage = titlePage
        self.tableOfContents = tableOfContents; self.numberHeadings = numberHeadings
        self.runningHeader = runningHeader; self.blocks = blocks
    }
}

/// The first page of a document.
public struct TitlePage: Sendable, Hashable {
    /// Rich text.
    public var title: RichText
    public var subtitle: RichText?
    /// Lines under the subtitle (author, date, version, one-line summary), markup.
    public var lines: [RichText]
    public init(title: RichText, subtitle: RichText? = nil, lines: [RichText] = []) {
        self.title = title; self.subtitle = subtitle; self.lines = lines
    }
}

/// Horizontal alignment of a table column.
public enum ColumnAlignment: Sendable, Hashable { case left, right, center }

/// One column of a table: header markup, alignment (numbers right-aligned), and a relative width.
public struct TableColumn: Sendable, Hashable {
    public var title: RichText
    public var alignment: ColumnAlignment
    /// Relative width weight; nil sizes the column from its content.
    public var weight: Double?
    public init(_ title: RichText, alignment: ColumnAlignment = .left, weight: Double? = nil) {
        self.title = title; self.alignment = alignment; self.weight = weight
    }
}

/// A table that breaks across pages, repeating its header row on each page.
public struct Table: Sendable, Hashable {
    public var columns: [TableColumn]
    /// Rows of markup cells (each row has `columns.count` cells).
    public var rows: [[RichText]]
    /// Numbered caption ("Table 3: …"), markup.
    public var caption: RichText?
    /// Font size of the cells in points.
    public var fontSize: Double
    public init(columns: [TableColumn], rows: [[RichText]], caption: RichText? = nil, fontSize: Double = 8.5) {
        self.columns = columns; self.rows = rows; self.caption = caption; self.fontSize = fontSize
    }
}

/// A vector figure (a chart) drawn by a closure into a box of `size` points whose top-left is
/// the origin, with a numbered caption. `file` names the image written beside Markdown output.
public struct Figure: Sendable {
    public var size: Size
    /// Numbered caption ("Figure 2: …"), markup.
    public var caption: RichText
    /// Relative path of the SVG/PNG written beside the Markdown page (nil: figure omitted there).
    public var file: String?
    /// Alternative text for Markdown.
    public var alt: String
    public var draw: @Sendable (Canvas) throws -> Void
    public init(size: Size, caption: RichText, file: String? = nil, alt: String = "", draw: @escaping @Sendable (Canvas) throws -> Void) {
        self.size = size; self.caption = caption; self.file = file; self.alt = alt; self.draw = draw
    }
}

/// The kind of a boxed note, which sets its colour and label.
public enum NoteKind: String, Sendable, Hashable {
    case note, warning, erratum, solution, answerSpace
}

/// A boxed note: a kind, an optional title and paragraphs of markup.
public struct Note: Sendable, Hashable {
    public var kind: NoteKind
    public var title: RichText?
    public var paragraphs: [RichText]
    /// Minimum height in points (for blank answer space in student editions).
    public var minHeight: Double
    /// Blank answer space that grows to share the rest of the page: a run of such notes that ends
    /// the page (a page break or the document's end follows) divides the space left below it
    /// equally, so a student sheet leaves no page mostly empty.
    public var fillsPage: Bool
    public init(_ kind: NoteKind, title: RichText? = nil, paragraphs: [RichText], minHeight: Double = 0, fillsPage: Bool = false) {
        self.kind = kind; self.title = title; self.paragraphs = paragraphs; self.minHeight = minHeight; self.fillsPage = fillsPage
    }
}

/// One block of the document flow.
public enum Block: Sendable {
    /// A heading of level 1…3 (numbered when the document numbers headings), with an anchor id
    /// used for links, the table of contents and the PDF outline.
    case heading(level: Int, text: RichText, id: String)
    case paragraph(RichText)
    /// A short paragraph that introduces the next block ("Step 2. …" before its formula): kept on
    /// the same page as the start of that block, like a heading, but not numbered or listed.
    case lead(RichText)
    case bullets([RichText])
    case numbered([RichText])
    case table(Table)
    case figure(Figure)
    case note(Note)
    /// A displayed formula line (markup), centred.
    case formula(RichText)
    /// Monospaced, preformatted text (escaped plain text).
    case code(String)
    case pageBreak
    case spacer(Double)
}
