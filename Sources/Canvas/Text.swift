/// Horizontal alignment of the lines of a text block within its width.
public enum TextAlignment: Sendable, Hashable { case left, center, right }

/// Font selection for a text block; sizes in points.
public struct Font: Sendable, Hashable {
    /// A family the project pins (see `FontFamily`); the backend checks it resolved.
    public var family: String
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public init(family: String = FontFamily.sans, size: Double = 10, bold: Bool = false, italic: Bool = false) {
        self.family = family; self.size = size; self.bold = bold; self.italic = italic
    }
    public func sized(_ s: Double) -> Font { var f = self; f.size = s; return f }
    public func bolded(_ b: Bool = true) -> Font { var f = self; f.bold = b; return f }
}

/// The font families Ridgepoint uses (DejaVu, pinned through the project's fontconfig file).
public enum FontFamily {
    public static let sans = "DejaVu Sans"
    public static let serif = "DejaVu Serif"
    public static let mono = "DejaVu Sans Mono"
}

/// A block of text to lay out: Pango markup (already escaped where it holds user text),
/// a font, a colour, an optional wrap width and an alignment.
public struct TextBlock: Sendable, Hashable {
    /// Pango markup. Use `Markup.escape` on any user-provided string before embedding it.
    public var markup: String
    public var font: Font
    public var color: Color
    /// Wrap width in points; nil lays the text out on its natural width (lines break only at `\n`).
    public var width: Double?
    public var alignment: TextAlignment
    public init(_ markup: String, font: Font = Font(), color: Color = .black, width: Double? = nil,
                alignment: TextAlignment = .left) {
        self.markup = markup; self.font = font; self.color = color; self.width = width; self.alignment = alignment
    }
    /// A block of rich text (converted to Pango markup here, once).
    public init(_ text: RichText, font: Font = Font(), color: Color = .black, width: Double? = nil,
                alignment: TextAlignment = .left) {
        self.init(text.pangoMarkup, font: font, color: color, width: width, alignment: alignment)
    }
}

/// The measured size of a laid-out `TextBlock`, in points.
public struct TextMetrics: Sendable, Hashable {
    /// Logical width and height (what a box around the text must enclose).
    public var size: Size
    /// Distance from the top of the logical rectangle to the first line's baseline.
    public var baseline: Double
    public var lineCount: Int
    /// Top and bottom of each line relative to the top of the block (for page breaking).
    public var lineExtents: [ClosedRange<Double>]
    public init(size: Size, baseline: Double, lineCount: Int, lineExtents: [ClosedRange<Double>] = []) {
        self.size = size; self.baseline = baseline; self.lineCount = lineCount; self.lineExtents = lineExtents
    }
}

/// Pango markup helpers.
public enum Markup {
    /// Escapes `& < > ' "` so that arbitrary user text can be placed inside markup verbatim.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            default:
                // Control characters other than newline and tab are not valid in markup.
                if let a = ch.asciiValue, a < 0x20, a != 0x0A, a != 0x09 { out += " " } else { out.append(ch) }
            }
        }
        return out
    }
    /// A subscript that renders correctly under a scaled CTM (Pango 1.50 draws `<sub>` about twice
    /// too large when the cairo CTM is scaled, as for a 150-dpi PNG).
    public static func sub(_ inner: String) -> String { "<span size='smaller' rise='-2pt'>\(inner)</span>" }
    /// A superscript that renders correctly under a scaled CTM.
    public static func sup(_ inner: String) -> String { "<span size='smaller' rise='4pt'>\(inner)</span>" }
}

/// Measures text exactly as the drawing backend will lay it out.
public protocol TextMeasurer: AnyObject {
    /// Lays out `text` and returns its logical size; throws on invalid markup.
    func measure(_ text: TextBlock) throws -> TextMetrics
}
