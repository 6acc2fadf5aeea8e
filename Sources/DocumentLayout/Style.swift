import Canvas

/// Colours of one kind of boxed note.
public struct NoteStyle: Sendable, Hashable {
    /// Label shown in bold before the title ("Note", "Warning", …).
    public var label: String
    /// Colour of the box outline and of its left bar.
    public var border: Color
    public var fill: Color
    /// Colour of the label text.
    public var labelColor: Color
    public init(label: String, border: Color, fill: Color, labelColor: Color) {
        self.label = label; self.border = border; self.fill = fill; self.labelColor = labelColor
    }
}

/// Fonts, margins, spacing and colours of a laid-out document. The defaults give a clean A4/Letter
/// report look (DejaVu Sans 10 pt body, 56 pt margins); every field can be changed.
public struct DocumentStyle: Sendable, Hashable {
    // MARK: Fonts
    /// Font of paragraphs and list items; tables use it at their own `fontSize`, formulas 1 pt larger.
    public var body: Font
    /// Heading fonts for levels 1, 2, 3 (deeper levels use the last).
    public var headings: [Font]
    public var caption: Font
    public var code: Font
    public var header: Font
    public var footer: Font
    public var titleFont: Font
    public var subtitleFont: Font
    public var titleLineFont: Font
    public var tocEntry: Font

    // MARK: Geometry
    /// Page margins in points (the text area is the page minus these).
    public var marginTop: Double
    public var marginBottom: Double
    public var marginLeft: Double
    public var marginRight: Double
    /// Line-height factor applied to body text, lists and notes (Pango `line_height`); 1 = the font's own.
    public var lineHeight: Double
    /// Space above and below each paragraph, points.
    public var paragraphSpacing: Double
    /// Space above headings of level 1, 2, 3 and below them.
    public var headingSpaceBefore: [Double]
    public var headingSpaceAfter: [Double]
    /// Space above and below formulas, code blocks, notes, figures and tables, points.
    public var blockSpacing: Double
    /// Indent of list item text from the left of the text area, points.
    public var listIndent: Double
    /// Space between list items, points.
    public var listItemSpacing: Double
    /// Inner padding of note boxes, points.
    public var notePadding: Double
    public var codePadding: Double
    /// Horizontal padding inside table cells, points.
    public var tableCellPaddingX: Double
    /// Vertical padding inside table cells, points.
    public var tableCellPaddingY: Double
    /// Distance of the running header's baseline area above the text area, and of the footer below it.
    public var headerOffset: Double
    public var footerOffset: Double

    // MARK: Colours
    public var text: Color
    /// Colour of headings, the contents title and the document title.
    public var headingColor: Color
    public var muted: Color
    /// Colour of the thin rules: under level-1 headings, on the title and contents pages, header and footer.
    public var rule: Color
    public var accent: Color
    public var tableHeaderFill: Color
    /// Background of alternate table rows.
    public var tableStripe: Color
    public var codeBackground: Color
    public var codeBorder: Color
    /// Box style of each note kind; `noteStyle(_:)` falls back to a grey box.
    public var notes: [NoteKind: NoteStyle]

    public init() {
        body = Font(family: FontFamily.sans, size: 10)
        headings = [Font(family: FontFamily.sans, size: 16, bold: true),
                    Font(family: FontFamily.sans, size: 13, bold: true),
                    Font(family: FontFamily.sans, size: 11, bold: true)]
        caption = Font(family: FontFamily.sans, size: 8.5, italic: true)
        code = Font(family: FontFamily.mono, size: 8.5)
        header = Font(family: FontFamily.sans, size: 8)
        footer = Font(family: FontFamily.sans, size: 8)
        titleFont = Font(family: FontFamily.sans, size: 26, bold: true)
        subtitleFont = Font(family: FontFamily.sans, size: 15)
        titleLineFont = Font(family: FontFamily.sans, size: 10.5)
        tocEntry = Font(family: FontFamily.sans, size: 10)

        marginTop = 56; marginBottom = 56; marginLeft = 56; marginRight = 56
        lineHeight = 1.2
        paragraphSpacing = 6
        headingSpaceBefore = [18, 14, 10]
        headingSpaceAfter = [8, 6, 4]
        blockSpacing = 10
        listIndent = 16
        listItemSpacing = 3
        notePadding = 8
        codePadding = 6
        tableCellPaddingX = 4
        tableCellPaddingY = 2.5
        headerOffset = 22
        footerOffset = 16

        text = Color(hex: 0x1A1A1A)
        headingColor = Color(hex: 0x1F3A5F)
        muted = Color(hex: 0x666666)
        rule = Color(hex: 0x9AA5B1)
        accent = Color(hex: 0x1F3A5F)
        tableHeaderFill = Color(hex: 0xE8EDF2)
        tableStripe = Color(hex: 0xF5F7F9)
        codeBackground = Color(hex: 0xF4F5F7)
        codeBorder = Color(hex: 0xDDE1E6)
        notes = [
            .note: NoteStyle(label: "Note", border: Color(hex: 0x5B7083), fill: Color(hex: 0xEEF2F5),
                             labelColor: Color(hex: 0x3E5366)),
            .warning: NoteStyle(label: "Warning", border: Color(hex: 0xE69F00), fill: Color(hex: 0xFFF6E0),
                                labelColor: Color(hex: 0x9A6A00)),
            .erratum: NoteStyle(label: "Erratum", border: Color(hex: 0xD55E00), fill: Color(hex: 0xFCEEE5),
                                labelColor: Color(hex: 0xB34E00)),
            .solution: NoteStyle(label: "Solution", border: Color(hex: 0x009E73), fill: Color(hex: 0xE8F6F1),
                                 labelColor: Color(hex: 0x00735A)),
            .answerSpace: NoteStyle(label: "Work space", border: Color(hex: 0xBBBBBB), fill: Color(hex: 0xFAFAFA),
                                    labelColor: Color(hex: 0x888888)),
        ]
    }

    /// The note style for `kind` (a neutral grey box if the dictionary lacks it).
    public func noteStyle(_ kind: NoteKind) -> NoteStyle {
        notes[kind] ?? NoteStyle(label: kind.rawValue.capitalized, border: rule, fill: tableStripe, labelColor: text)
    }

    /// The heading font for `level` (1-based).
    public func headingFont(_ level: Int) -> Font {
        guard let last = headings.last else { return body.bolded() }
        return headings.indices.contains(level - 1) ? headings[level - 1] : last
    }

    func spaceBefore(_ level: Int) -> Double {
        headingSpaceBefore.indices.contains(level - 1) ? headingSpaceBefore[level - 1] : (headingSpaceBefore.last ?? 8)
    }

    func spaceAfter(_ level: Int) -> Double {
        headingSpaceAfter.indices.contains(level - 1) ? headingSpaceAfter[level - 1] : (headingSpaceAfter.last ?? 4)
    }

    /// The text area of a page of `size`.
    public func textArea(pageSize size: Size) -> Rect {
        Rect(x: marginLeft, y: marginTop, width: max(1, size.width - marginLeft - marginRight),
             height: max(1, size.height - marginTop - marginBottom))
    }
}

private extension String {
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}
