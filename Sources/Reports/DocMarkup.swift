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
/// Text is escaped for Pango; only the markers above become markup. A backslash escapes the
/// next character (`\*` is a literal asterisk).
public enum DocMarkup {
    /// One parsed line-level element.
    public enum Element: Equatable {
        case heading(level: Int, text: String, id: String?)
        case paragraph(String)
        case bullets([String])
        case numbered([String])
        case formula(String)
        case directive(Directive)
        case note(kind: NoteKind, title: String?, paragraphs: [String])
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
        var list: (numbered: Bool, items: [String])?
        var note: (kind: NoteKind, title: String?, paras: [String], current: [String], line: Int)?
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
            throw DocMarkupError(line: n.line, message: "the '::: \(n.kind.rawValue)' block is never closed with a ':::' line")
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
            throw DocMarkupError(line: lineNo, message: "a ':::' line needs a directive name (chart, table, note, warning, erratum, pagebreak, …)")
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

    /// Converts inline markers to Pango markup, escaping everything else.
    public static func inline(_ s: String) -> String {
        var out = ""
        var chars = Array(s)
        var i = 0
        // Open styles, innermost last: closing one that is not innermost closes the inner ones
        // first and reopens them after (`**a *b** c*` → <b>a <i>b</i></b><i> c</i>), so the
        // output is balanced by construction.
        var open: [String] = []
        func toggle(_ tag: String) {
            guard let k = open.lastIndex(of: tag) else { out += "<\(tag)>"; open.append(tag); return }
            let inner = open[(k + 1)...]
            for t in inner.reversed() { out += "</\(t)>" }
            out += "</\(tag)>"
            open.remove(at: k)
            for t in inner { out += "<\(t)>" }
        }
        func closing(_ c: Character, from j: Int) -> Int? {
            var k = j
            while k < chars.count { if chars[k] == "\\" { k += 2; continue }; if chars[k] == c { return k }; k += 1 }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count { out += Markup.escape(String(chars[i + 1])); i += 2; continue }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*" { toggle("b"); i += 2; continue }
            if c == "*" { toggle("i"); i += 1; continue }
            if c == "`", let end = closing("`", from: i + 1) {
                out += "<tt>" + Markup.escape(String(chars[(i + 1)..<end])) + "</tt>"; i = end + 1; continue
            }
            if (c == "_" || c == "^"), i + 1 < chars.count, chars[i + 1] == "{", let end = closing("}", from: i + 2) {
                let inner = inline(String(chars[(i + 2)..<end]))
                out += c == "_" ? Markup.sub(inner) : Markup.sup(inner); i = end + 1; continue
            }
            out += Markup.escape(String(c)); i += 1
        }
        for t in open.reversed() { out += "</\(t)>" }
        chars = []
        return out
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
