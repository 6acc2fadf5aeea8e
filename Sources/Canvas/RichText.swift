/// Inline rich text: runs of plain text inside nested styles. The document model stores it,
/// the template reader produces it, and each output converts it in one place: to Pango markup
/// for drawing (`pangoMarkup`), to Markdown (`DocumentLayout.MarkdownWriter`), to plain text
/// for JSON (`plainText`). Styles are nested nodes, so emphasis is balanced by construction.
///
/// ```swift
/// let t: RichText = [.text("Ridge point "), .styled(.emphasis, [.text("I")]), .styled(.sup, [.text("*")])]
/// t.pangoMarkup   // "Ridge point <i>I</i><span size='smaller' rise='4pt'>*</span>"
/// t.plainText     // "Ridge point I^*"
/// ```
///
/// Swift code that still writes the Pango subset (`<b> <i> <tt> <small>`, `Markup.sub/sup`) goes
/// through `RichText(markup:)`, the only reader of that subset; string literals do the same.
public struct RichText: Sendable, Hashable {
    /// An inline style. `link` carries its target (a URL or `#anchor`); Pango has no links, so
    /// drawn text shows the words and the PDF link is a separate rectangle.
    public enum Style: Sendable, Hashable {
        case strong, emphasis, code, sub, sup, small
        case link(String)
    }

    public indirect enum Node: Sendable, Hashable {
        case text(String)
        case styled(Style, [Node])
    }

    public var nodes: [Node]

    public init(_ nodes: [Node] = []) { self.nodes = nodes }
    /// Plain text, no styles.
    public init(plain: String) { nodes = plain.isEmpty ? [] : [.text(plain)] }

    public static let empty = RichText()
    public var isEmpty: Bool { nodes.allSatisfy { if case .text(let s) = $0 { return s.isEmpty } else { return false } } }

    public static func + (a: RichText, b: RichText) -> RichText { RichText(a.nodes + b.nodes) }
    public static func += (a: inout RichText, b: RichText) { a.nodes += b.nodes }

    /// One step of a depth-first walk: what writers consume.
    public enum Event: Sendable, Hashable {
        case open(Style)
        case text(String)
        case close(Style)
    }

    /// The nodes flattened to open/text/close events, in order.
    public var events: [Event] {
        var out: [Event] = []
        func walk(_ ns: [Node]) {
            for n in ns {
                switch n {
                case .text(let s): out.append(.text(s))
                case .styled(let st, let inner):
                    out.append(.open(st)); walk(inner); out.append(.close(st))
                }
            }
        }
        walk(nodes)
        return out
    }

    // MARK: - To Pango markup (drawing)

    /// Pango markup: text escaped, styles as `<b> <i> <tt> <small>` and the sub/superscript spans
    /// of `Markup.sub/sup` (which render correctly under a scaled CTM).
    public var pangoMarkup: String {
        var out = ""
        for e in events {
            switch e {
            case .text(let s): out += Markup.escape(s)
            case .open(let st): out += Self.pangoTags(st).open
            case .close(let st): out += Self.pangoTags(st).close
            }
        }
        return out
    }

    static func pangoTags(_ s: Style) -> (open: String, close: String) {
        switch s {
        case .strong: return ("<b>", "</b>")
        case .emphasis: return ("<i>", "</i>")
        case .code: return ("<tt>", "</tt>")
        case .small: return ("<small>", "</small>")
        case .sub: return ("<span size='smaller' rise='-2pt'>", "</span>")
        case .sup: return ("<span size='smaller' rise='4pt'>", "</span>")
        case .link: return ("", "")
        }
    }

    // MARK: - To plain text (JSON, search, outlines)

    /// The words without styles; a subscript is written `_x` and a superscript `^x`, so that
    /// "I<sub>kv</sub>" reads "I_kv" in JSON.
    public var plainText: String {
        var out = ""
        for e in events {
            switch e {
            case .text(let s): out += s
            case .open(.sub): out += "_"
            case .open(.sup): out += "^"
            default: break
            }
        }
        return out
    }

    /// The same styles with `transform` applied to every text run (e.g. binding numbers to units).
    public func mapText(_ transform: (String) -> String) -> RichText {
        func walk(_ ns: [Node]) -> [Node] {
            ns.map { n in
                switch n {
                case .text(let s): return .text(transform(s))
                case .styled(let st, let inner): return .styled(st, walk(inner))
                }
            }
        }
        return RichText(walk(nodes))
    }

    /// The words only, with no sub/superscript marks (outline entries, alt text).
    public var words: String {
        events.reduce(into: "") { if case .text(let s) = $1 { $0 += s } }
    }

    // MARK: - From the Pango subset

    /// Reads the Pango subset Ridgepoint writes: `<b>`/`<strong>`, `<i>`/`<em>`, `<tt>`/`<code>`,
    /// `<small>`, `<sub>`/`<sup>`, spans with a `rise` (negative: subscript) or `baseline_shift`,
    /// and spans whose weight is bold, style italic or family monospace; entities
    /// (`&amp; &lt; &gt; &apos; &quot; &#N; &#xH;`) are decoded. Any other tag keeps its text and
    /// loses its style; an unclosed tag is closed at the end, a stray close tag is ignored.
    public init(markup: String) {
        var b = Builder()
        var text = ""
        func flush() { b.append(Self.unescape(text)); text = "" }
        var i = markup.startIndex
        while i < markup.endIndex {
            let c = markup[i]
            if c == "<", let end = Self.tagEnd(markup, from: i) {
                flush()
                let tag = markup[markup.index(after: i)..<end]
                if tag.hasPrefix("/") {
                    b.close()
                } else if !tag.hasSuffix("/") {
                    b.open(Self.style(of: tag))
                }
                i = markup.index(after: end)
                continue
            }
            text.append(c)
            i = markup.index(after: i)
        }
        flush()
        self = b.build()
    }

    /// Builds rich text from a stream of texts, opened and closed styles: what the Pango-subset
    /// reader (`init(markup:)`) and the template reader (`DocMarkup.inline`) both produce.
    /// Balanced by construction: `close` without an open group is ignored, `build` closes what is
    /// left open, an empty styled group leaves nothing, and adjacent texts are joined.
    public struct Builder {
        /// Open groups, innermost last; the first is the root. A nil style is a group without a
        /// style (an unknown tag): its content joins the enclosing group when it closes.
        private var frames: [(style: Style?, nodes: [Node])] = [(nil, [])]

        public init() {}

        public mutating func append(_ text: String) {
            if !text.isEmpty { frames[frames.count - 1].nodes.append(.text(text)) }
        }
        public mutating func append(_ node: Node) { frames[frames.count - 1].nodes.append(node) }
        public mutating func open(_ style: Style?) { frames.append((style, [])) }

        /// Closes the innermost open group.
        public mutating func close() {
            guard frames.count > 1 else { return }
            let top = frames.removeLast()
            if let st = top.style {
                if !top.nodes.isEmpty { frames[frames.count - 1].nodes.append(.styled(st, top.nodes)) }
            } else {
                frames[frames.count - 1].nodes += top.nodes
            }
        }

        /// Opens `style`, or closes it when it is open: the groups inside it are closed first and
        /// reopened after, so `**a *b** c*` gives strong(a, emphasis(b)), emphasis(c).
        public mutating func toggle(_ style: Style) {
            guard let k = frames.lastIndex(where: { $0.style == style }), k > 0 else { open(style); return }
            let inner = frames[(k + 1)...].map(\.style)
            while frames.count > k { close() }
            for st in inner { open(st) }
        }

        public mutating func build() -> RichText {
            while frames.count > 1 { close() }
            return RichText(RichText.merged(frames[0].nodes))
        }
    }

    /// Index of the `>` that ends the tag starting at `start`, skipping quoted attribute values.
    static func tagEnd(_ s: String, from start: String.Index) -> String.Index? {
        var quote: Character?
        var j = s.index(after: start)
        while j < s.endIndex {
            let d = s[j]
            if let q = quote { if d == q { quote = nil } } else if d == "'" || d == "\"" { quote = d } else if d == ">" { return j }
            j = s.index(after: j)
        }
        return nil
    }

    static func style(of tag: Substring) -> Style? {
        let name = tag.prefix { !$0.isWhitespace }.lowercased()
        switch name {
        case "b", "strong": return .strong
        case "i", "em": return .emphasis
        case "tt", "code": return .code
        case "small": return .small
        case "sub": return .sub
        case "sup": return .sup
        case "span":
            func value(_ key: String) -> Substring? {
                guard let r = tag.range(of: " " + key + "=") else { return nil }
                let rest = tag[r.upperBound...]
                // Quoted ('…' or "…") or bare up to the next space.
                if let q = rest.first, q == "'" || q == "\"" { return rest.dropFirst().prefix { $0 != q } }
                return rest.prefix { !$0.isWhitespace && $0 != "/" }
            }
            if let rise = value("rise") { return rise.hasPrefix("-") ? .sub : .sup }
            if let shift = value("baseline_shift") { return shift == "subscript" ? .sub : .sup }
            if let w = value("weight") ?? value("font_weight"), ["bold", "heavy", "ultrabold", "700", "800", "900"].contains(w) { return .strong }
            if let st = value("style") ?? value("font_style"), st == "italic" || st == "oblique" { return .emphasis }
            if let f = value("font_family") ?? value("face"), f.lowercased().contains("mono") { return .code }
            return nil
        default: return nil
        }
    }

    /// Adjacent text nodes joined, at every depth (parsing splits text at dropped tags).
    static func merged(_ ns: [Node]) -> [Node] {
        var out: [Node] = []
        for n in ns {
            switch n {
            case .text(let b):
                if case .text(let a)? = out.last { out[out.count - 1] = .text(a + b) } else { out.append(n) }
            case .styled(let st, let inner): out.append(.styled(st, merged(inner)))
            }
        }
        return out
    }

    /// Decodes the XML entities Pango accepts.
    public static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "&", let semi = s[i...].firstIndex(of: ";"), s.distance(from: i, to: semi) <= 12 {
                let name = String(s[s.index(after: i)..<semi])
                var decoded: String?
                switch name {
                case "amp": decoded = "&"
                case "lt": decoded = "<"
                case "gt": decoded = ">"
                case "apos": decoded = "'"
                case "quot": decoded = "\""
                default:
                    // Digits only: UInt32 would also accept a sign ("&#+65;").
                    let hex = name.dropFirst(2), dec = name.dropFirst()
                    if name.hasPrefix("#x") || name.hasPrefix("#X"), !hex.isEmpty, hex.allSatisfy(\.isHexDigit),
                       let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) {
                        decoded = String(Character(u))
                    } else if name.hasPrefix("#"), !dec.isEmpty, dec.allSatisfy(\.isASCII), dec.allSatisfy(\.isNumber),
                              let v = UInt32(dec), let u = Unicode.Scalar(v) {
                        decoded = String(Character(u))
                    }
                }
                if let d = decoded { out += d; i = s.index(after: semi); continue }
            }
            out.append(c)
            i = s.index(after: i)
        }
        return out
    }
}

extension RichText: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    /// A literal is read as the Pango subset (`RichText(markup:)`).
    public init(stringLiteral value: String) { self.init(markup: value) }
}

extension RichText: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Node...) { self.init(elements) }
}

public extension RichText {
    static func strong(_ t: RichText) -> RichText { RichText([.styled(.strong, t.nodes)]) }
    static func code(_ s: String) -> RichText { RichText([.styled(.code, [.text(s)])]) }
}

public extension String {
    /// This string, written in the Pango subset, as rich text (`RichText(markup:)`): for code
    /// that still composes that subset (report tables, the Teaching model's prose).
    var rich: RichText { RichText(markup: self) }
}

public extension Array where Element == [String] {
    /// Rows of cells written in the Pango subset, as rich text.
    var rich: [[RichText]] { map { $0.map(\.rich) } }
}

public extension DefaultStringInterpolation {
    /// Interpolating rich text into a string would print its structure, not its words: convert
    /// it explicitly (`pangoMarkup`, `plainText`, `words`). A compile error, on purpose.
    @available(*, unavailable, message: "convert RichText explicitly: .pangoMarkup, .plainText or .words")
    mutating func appendInterpolation(_ value: RichText) {}
    @available(*, unavailable, message: "convert RichText explicitly: .pangoMarkup, .plainText or .words")
    mutating func appendInterpolation(_ value: RichText?) {}
}
