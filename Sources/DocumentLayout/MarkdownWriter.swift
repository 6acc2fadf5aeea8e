import Canvas
import RidgepointFormatting

/// Writes a `Document` as GitHub-flavoured Markdown: the same headings (with their numbers),
/// figure and table numbers as the laid-out pages. Output is deterministic and ends with one newline.
public enum MarkdownWriter {
    /// `imageFormats` says which image files exist beside the Markdown (`svg`, `png`): figures
    /// link the SVG when there is one, else the PNG, else show only their caption.
    public static func markdown(_ doc: Document, imageFormats: Set<String> = ["svg"]) -> String {
        var out: [String] = []   // blocks, joined by blank lines
        if let tp = doc.titlePage {
            out.append("# " + inline(tp.title, context: .heading))
            if let s = tp.subtitle { out.append("*" + inline(s, context: .heading) + "*") }
            for line in tp.lines { out.append(inline(line)) }
        } else if !doc.metadata.title.isEmpty {
            out.append("# " + escapeText(doc.metadata.title))
        }
        var counters: [Int] = []
        var figure = 0, table = 0
        for block in doc.blocks {
            switch block {
            case .heading(let level, let text, _):
                let l = min(max(level, 1), 5)
                var number = ""
                if doc.numberHeadings {
                    while counters.count < l { counters.append(0) }
                    counters = Array(counters.prefix(l))
                    counters[l - 1] += 1
                    number = counters.map(String.init).joined(separator: ".") + " "
                }
                out.append(String(repeating: "#", count: l + 1) + " " + number + inline(text, context: .heading))
            case .paragraph(let text), .lead(let text):
                out.append(inline(text))
            case .bullets(let items):
                out.append(items.map { "- " + inline($0, context: .listItem) }.joined(separator: "\n"))
            case .numbered(let items):
                out.append(items.enumerated().map { "\($0.offset + 1). " + inline($0.element, context: .listItem) }.joined(separator: "\n"))
            case .table(let t):
                var lines: [String] = []
                if let c = t.caption {
                    table += 1
                    out.append("**Table \(table):** " + inline(c))
                }
                lines += MarkdownTable.lines(
                    header: t.columns.map { cell($0.title) },
                    separators: t.columns.map { c -> String in
                        switch c.alignment {
                        case .left: return " --- "
                        case .right: return " ---: "
                        case .center: return " :---: "
                        }
                    },
                    rows: t.rows.map { row in (0..<t.columns.count).map { $0 < row.count ? cell(row[$0]) : "" } })
                out.append(lines.joined(separator: "\n"))
            case .figure(let f):
                figure += 1
                if let file = f.file {
                    let alt = f.alt.isEmpty ? f.caption.words : f.alt
                    let stem = file.hasSuffix(".svg") || file.hasSuffix(".png") ? String(file.dropLast(4)) : file
                    let ext = imageFormats.contains("svg") ? "svg" : (imageFormats.contains("png") ? "png" : nil)
                    let caption = "*Figure \(figure): " + inline(f.caption, context: .emphasis) + "*"
                    if let ext {
                        out.append("![\(escapeAlt(alt))](\(escapeURL(stem + "." + ext)))\n\n" + caption)
                    } else {
                        out.append(caption)
                    }
                }
            case .note(let n):
                let label = n.kind == .answerSpace ? "Work space" : (DocumentStyle().notes[n.kind]?.label ?? n.kind.rawValue)
                var paras = n.paragraphs.map { inline($0) }
                var first = "**\(label):**"
                if let t = n.title {
                    first += " " + inline(t)
                } else if !paras.isEmpty {
                    first += " " + paras.removeFirst()
                }
                var lines = quoteLines(first)
                for p in paras { lines.append(">"); lines += quoteLines(p) }
                out.append(lines.joined(separator: "\n"))
            case .formula(let f):
                out.append("&emsp;&emsp;" + inline(f))
            case .code(let c):
                let text = RichText.unescape(c)
                var fence = "```"
                while text.contains(fence) { fence += "`" }
                out.append(fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence)
            case .pageBreak, .spacer:
                break
            }
        }
        return out.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    private static func quoteLines(_ s: String) -> [String] {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }
    }

    private static func cell(_ text: RichText) -> String {
        inline(text, context: .tableCell)
    }

    private static func escapeAlt(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "[", "]", "\\": out += "\\" + String(ch)
            case "\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    private static func escapeURL(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            default: out.append(ch)
            }
        }
        return out
    }

    enum Context { case paragraph, heading, listItem, tableCell, emphasis }

    /// Escapes Markdown syntax characters in plain text.
    static func escapeText(_ s: String, context: Context = .paragraph) -> String {
        var out = ""
        var it = Array(s)
        var i = 0
        while i < it.count {
            let ch = it[i]
            switch ch {
            case "\\", "*", "_", "`", "[", "]":
                out += "\\" + String(ch)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&":
                // Only where it would start an entity reference.
                var j = i + 1
                while j < it.count, it[j].isLetter || it[j].isNumber || it[j] == "#" { j += 1 }
                out += (j > i + 1 && j < it.count && it[j] == ";") ? "&amp;" : "&"
            case "|" where context == .tableCell:
                out += "\\|"
            case "\n":
                out += context == .tableCell ? "<br>" : (context == .heading ? " " : "\n")
            default:
                out.append(ch)
            }
            i += 1
        }
        it = []
        return out
    }

    /// Converts rich text to Markdown: strong → `**`, emphasis → `*` (`_` inside an emphasised
    /// caption), code → a code span, sub/superscripts → `<sub>`/`<sup>`; small text and link
    /// styles keep only their words. Markers wrap only non-empty text, whitespace stays outside
    /// closing markers, and a style nested in itself adds no second marker.
    static func inline(_ text: RichText, context: Context = .paragraph) -> String {
        enum Kind { case bold, italic, code, sub, sup, none }
        var stack: [Kind] = []
        var out = ""
        var pending: [String] = []     // opening markers not yet written (no text seen yet)
        var code: String? = nil         // collecting a code span
        var codeDepth = 0

        func marker(_ k: Kind, open: Bool) -> String {
            switch k {
            case .bold: return "**"
            case .italic: return context == .emphasis ? "_" : "*"
            case .sub: return open ? "<sub>" : "</sub>"
            case .sup: return open ? "<sup>" : "</sup>"
            case .code, .none: return ""
            }
        }
        func kind(_ style: RichText.Style) -> Kind {
            switch style {
            case .strong: return .bold
            case .emphasis: return .italic
            case .code: return .code
            case .sub: return .sub
            case .sup: return .sup
            case .small, .link: return .none
            }
        }
        func emitText(_ s: String) {
            if code != nil { code? += s; return }
            let isSpace = s.allSatisfy { $0.isWhitespace }
            if !pending.isEmpty && !isSpace {
                out += pending.joined()
                pending = []
            }
            out += escapeText(s, context: context)
        }
        for e in text.events {
            switch e {
            case .text(let s):
                // Whitespace and words separately: an opening marker waits for the first word.
                for run in Self.spaceRuns(s) { emitText(run) }
            case .open(let style):
                var k = kind(style)
                // A style already open (italic inside italic) adds no marker: "*a *b* c*" would
                // close the outer emphasis early.
                if k != .none && k != .code && stack.contains(k) { k = .none }
                stack.append(k)
                if code != nil {
                    if k == .code { codeDepth += 1 }
                    continue
                }
                if k == .code { code = ""; codeDepth = 1; continue }
                let mk = marker(k, open: true)
                if !mk.isEmpty { pending.append(mk) }
            case .close:
                guard let k = stack.popLast() else { continue }
                if code != nil {
                    if k == .code { codeDepth -= 1 }
                    if codeDepth == 0, let c = code {
                        code = nil
                        if !pending.isEmpty { out += pending.joined(); pending = [] }
                        var fence = "`"
                        while c.contains(fence) { fence += "`" }
                        let body = context == .tableCell ? c.replacingPipes() : c
                        let pad = c.hasPrefix("`") || c.hasSuffix("`") ? " " : ""
                        out += fence + pad + body + pad + fence
                    }
                    continue
                }
                let mk = marker(k, open: false)
                guard !mk.isEmpty else { continue }
                let opening = marker(k, open: true)
                if let last = pending.last, last == opening {
                    pending.removeLast()   // empty span: drop both markers
                    continue
                }
                // Keep trailing whitespace outside the closing marker ("**a** b", not "**a **b").
                var trailing = ""
                while let c = out.last, c == " " || c == "\n" { trailing = String(c) + trailing; out.removeLast() }
                out += mk + trailing
            }
        }
        if let c = code { out += "`" + c + "`" }
        var result = out.trimmingCharacters(in: " ")
        // Block syntax at the very start of a line would change the meaning.
        if context != .tableCell, let f = result.first, "#>+-".contains(f) {
            result = "\\" + result
        } else if context != .tableCell, let dot = result.firstIndex(of: "."), result[..<dot].allSatisfy(\.isNumber),
                  !result[..<dot].isEmpty, result.index(after: dot) == result.endIndex || result[result.index(after: dot)] == " " {
            result.insert("\\", at: dot)
        }
        return result
    }
}

extension MarkdownWriter {
    /// `s` cut into alternating runs of whitespace (space, tab, newline) and of other characters.
    static func spaceRuns(_ s: String) -> [String] {
        var runs: [String] = []
        var cur = "", curIsSpace = false
        for ch in s {
            let sp = ch == " " || ch == "\n" || ch == "\t" || ch == "\r\n"
            if !cur.isEmpty && sp != curIsSpace { runs.append(cur); cur = "" }
            cur.append(ch); curIsSpace = sp
        }
        if !cur.isEmpty { runs.append(cur) }
        return runs
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
    func replacingPipes() -> String {
        var out = ""
        for ch in self { if ch == "|" { out += "\\|" } else { out.append(ch) } }
        return out
    }
}
