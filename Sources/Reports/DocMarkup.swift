import Canvas
import DocumentLayout
import Foundation
import RidgepointCore

/// The text a report template renders to: a small Markdown-like language, one construct per line.
///
/// ```
/// # Heading {#anchor}          levels 1–3 (#, ##, ###); the anchor is optional
/// A paragraph, **bold**, *italic*, `code`, I_{kv}, 10^{12}; blank lines separate paragraphs.
/// - bullet item
/// 1. numbered item
/// $$ I^{*} = Π / β $$          a displayed formula
/// ::: chart KIND key=value …   a figure (see `Directive`)
/// ::: table NAME key=value …   a generated table
/// ::: note|warning|erratum [Title] … :::   a boxed note (closed by a line `:::`)
/// ::: pagebreak
/// ```
/// Inline text becomes `RichText`; only the markers above become styles. A backslash escapes the
/// next character (`\*` is a literal asterisk).
public enum DocMarkup {
    /// One parsed line-level element.
    public enum Element: Equatable {
        case heading(level: Int, text: RichText, id: String?)
        case paragraph(RichText)
        case bullets([RichText])
        case numbered([RichText])
        case formula(RichText)
        case directive(Directive)
        case note(kind: NoteKind, title: RichText?, paragraphs: [RichText])
        case pageBreak
    }

    /// A `::: name arg key=value` line, with the template line it came from.
    public struct Directive: Equatable {
        public var name: String
        public var args: [String]
        public var options: [String: String]
        /// 1-based line in the rendered text.
        public var line: Int
        public var text: String
    }

    /// Parses rendered template text; errors carry the rendered line number.
    public static func parse(_ text: String) throws -> [Element] {
        var out: [Element] = []
        var para: [String] = []
        var list: (numbered: Bool, items: [RichText])?
        var note: (kind: NoteKind, title: String?, paras: [RichText], current: [String], line: Int)?
        func flushPara() {
            if !para.isEmpty { out.append(.paragraph(inline(para.joined(separator: " ")))); para = [] }
        }
        func flushList() {
            if let l = list { out.append(l.numbered ? .numbered(l.items) : .bullets(l.items)); list = nil }
        }
        let lines = text.components(separatedBy: "\n")
        for (i, raw) in lines.enumerated() {
            let lineNo = i + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var n = note {
                if line == ":::" {
                    if !n.current.isEmpty { n.paras.append(inline(n.current.joined(separator: " "))) }
                    out.append(.note(kind: n.kind, title: n.title.map(inline), paragraphs: n.paras))
                    note = nil
                } else if line.isEmpty {
                    if !n.current.isEmpty { n.paras.append(inline(n.current.joined(separator: " "))); n.current = [] }
                    note = n
                } else {
                    n.current.append(line); note = n
                }
                continue
            }
            if line.isEmpty { flushPara(); flushList(); continue }
            if line.hasPrefix(":::") {
                flushPara(); flushList()
                let d = try directive(line, line: lineNo)
                switch d.name {
                case "pagebreak": out.append(.pageBreak)
                case "note", "warning", "erratum", "solution":
                    let kind = NoteKind(rawValue: d.name) ?? .note
                    let title = d.args.isEmpty ? nil : d.args.joined(separator: " ")
                    note = (kind, title, [], [], lineNo)
                default: out.append(.directive(d))
                }
                continue
            }
            if let h = heading(line) { flushPara(); flushList(); out.append(h); continue }
            if line.hasPrefix("$$") && line.hasSuffix("$$") && line.count >= 4 {
                flushPara(); flushList()
                out.append(.formula(inline(String(line.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces))))
                continue
            }
            if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flushPara()
                if list?.numbered == true { flushList() }
                if list == nil { list = (false, []) }
                list?.items.append(inline(String(line.dropFirst(2))))
                continue
            }
            if let r = line.range(of: #"^\d+\. "#, options: .regularExpression) {
                flushPara()
                if list?.numbered == false { flushList() }
                if list == nil { list = (true, []) }
                list?.items.append(inline(String(line[r.upperBound...])))
                continue
            }
            if list != nil { flushList() }
            para.append(line)
        }
        if let n = note {
            throw DocMarkupError(line: n.line, message: Messages.Templates.unclosedBlock(n.kind.rawValue).message)
        }
        flushPara(); flushList()
        return out
    }

    static func heading(_ line: String) -> Element? {
        var level = 0
        for c in line { if c == "#" { level += 1 } else { break } }
        guard (1...3).contains(level), line.count > level, line[line.index(line.startIndex, offsetBy: level)] == " " else { return nil }
        var text = String(line.dropFirst(level + 1)).trimmingCharacters(in: .whitespaces)
        var id: String?
        if let r = text.range(of: #"\s*\{#([A-Za-z0-9._-]+)\}$"#, options: .regularExpression) {
            id = String(text[r]).trimmingCharacters(in: CharacterSet(charactersIn: " {#}"))
            text.removeSubrange(r)
        }
        return .heading(level: level, text: inline(text), id: id)
    }

    static func directive(_ line: String, line lineNo: Int) throws -> Directive {
        let body = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
        let words = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else {
            throw DocMarkupError(line: lineNo, message: Messages.Templates.directiveWithoutName.message)
        }
        var args: [String] = [], opts: [String: String] = [:]
        for w in words.dropFirst() {
            if let eq = w.firstIndex(of: "="), eq != w.startIndex {
                opts[String(w[..<eq]).lowercased()] = String(w[w.index(after: eq)...])
            } else {
                args.append(w)
            }
        }
        return Directive(name: name, args: args, options: opts, line: lineNo, text: line)
    }

    /// Reads the inline markers into rich text: `**strong**`, `*emphasis*`, `` `code` ``,
    /// `_{sub}`, `^{sup}`, a backslash before a literal character; everything else is text.
    public static func inline(_ s: String) -> RichText {
        let chars = Array(s)
        // Overlapping markers (`**a *b** c*`) are balanced by the builder's toggle.
        var b = RichText.Builder()
        var text = ""
        func flush() { b.append(text); text = "" }
        func closing(_ c: Character, from j: Int) -> Int? {
            var k = j
            while k < chars.count { if chars[k] == "\\" { k += 2; continue }; if chars[k] == c { return k }; k += 1 }
            return nil
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count { text.append(chars[i + 1]); i += 2; continue }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*" { flush(); b.toggle(.strong); i += 2; continue }
            if c == "*" { flush(); b.toggle(.emphasis); i += 1; continue }
            if c == "`", let end = closing("`", from: i + 1) {
                flush()
                b.append(.styled(.code, [.text(String(chars[(i + 1)..<end]))]))
                i = end + 1; continue
            }
            if (c == "_" || c == "^"), i + 1 < chars.count, chars[i + 1] == "{", let end = closing("}", from: i + 2) {
                flush()
                let inner = inline(String(chars[(i + 2)..<end]))
                if !inner.nodes.isEmpty { b.append(.styled(c == "_" ? .sub : .sup, inner.nodes)) }
                i = end + 1; continue
            }
            text.append(c); i += 1
        }
        flush()
        return b.build()
    }

    /// Escapes text so that it passes through `inline` unchanged (for template values).
    public static func escapeText(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\*`_^{}#$:".contains(c) { out.append("\\") }
            if c == "\n" || c == "\r" { out.append(" "); continue }
            out.append(c)
        }
        return out
    }
}

/// An error in rendered template text (line numbers are of the rendered text).
public struct DocMarkupError: Error, Equatable {
    public var line: Int
    public var message: String
}
