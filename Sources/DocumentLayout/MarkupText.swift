import Canvas

/// A token of Pango markup: tags, runs of text (entities kept as written) and breakable whitespace.
enum MarkupToken: Equatable {
    case open(name: String, raw: String)
    case close(name: String, raw: String)
    /// A self-closing tag (`<br/>`-like); kept as written.
    case empty(raw: String)
    case text(String)
    /// A run of whitespace (spaces, tabs, newlines) — a possible line-break point.
    case space(String)

    var raw: String {
        switch self {
        case .open(_, let r), .close(_, let r), .empty(let r): return r
        case .text(let s), .space(let s): return s
        }
    }
}

enum MarkupText {
    /// Splits markup into tokens. Malformed input is kept as text (Pango will report it when drawn).
    static func tokenize(_ s: String) -> [MarkupToken] {
        var tokens: [MarkupToken] = []
        let chars = Array(s)
        var i = 0
        var text = ""
        var space = ""
        func flushText() { if !text.isEmpty { tokens.append(.text(text)); text = "" } }
        func flushSpace() { if !space.isEmpty { tokens.append(.space(space)); space = "" } }
        while i < chars.count {
            let c = chars[i]
            if c == "<" {
                // Find the closing '>' outside quotes.
                var j = i + 1
                var quote: Character? = nil
                while j < chars.count {
                    let d = chars[j]
                    if let q = quote { if d == q { quote = nil } } else if d == "'" || d == "\"" { quote = d } else if d == ">" { break }
                    j += 1
                }
                if j >= chars.count { text.append(contentsOf: String(chars[i...])); break }
                flushText(); flushSpace()
                let raw = String(chars[i...j])
                let inner = chars[(i + 1)..<j]
                if inner.first == "/" {
                    let name = String(inner.dropFirst().prefix { !$0.isWhitespace && $0 != ">" })
                    tokens.append(.close(name: name.lowercased(), raw: raw))
                } else if inner.last == "/" {
                    tokens.append(.empty(raw: raw))
                } else {
                    let name = String(inner.prefix { !$0.isWhitespace && $0 != "/" })
                    tokens.append(.open(name: name.lowercased(), raw: raw))
                }
                i = j + 1
                continue
            }
            if c == " " || c == "\n" || c == "\t" || c == "\r\n" {
                flushText()
                space.append(c)
            } else {
                flushSpace()
                text.append(c)
            }
            i += 1
        }
        flushText(); flushSpace()
        return tokens
    }

    /// Breaks text tokens into single characters (entities kept whole), every boundary a break
    /// point: the fallback for words wider than a line.
    static func characterTokens(_ tokens: [MarkupToken]) -> [MarkupToken] {
        var out: [MarkupToken] = []
        for t in tokens {
            guard case .text(let s) = t else { out.append(t); continue }
            var units: [String] = []
            var entity: String? = nil
            for ch in s {
                if var e = entity {
                    e.append(ch)
                    if ch == ";" || e.count > 12 { units.append(e); entity = nil } else { entity = e }
                } else if ch == "&" {
                    entity = "&"
                } else {
                    units.append(String(ch))
                }
            }
            if let e = entity { units.append(e) }
            for (k, u) in units.enumerated() {
                if k > 0 { out.append(.space("")) }
                out.append(.text(u))
            }
        }
        return out
    }

    /// The markup before token `index` (with open tags closed) and after it (with them reopened).
    /// The whitespace token at `index` is dropped; with `trimFollowingSpace` so is whitespace after it.
    static func split(_ tokens: [MarkupToken], at index: Int, dropBreak: Bool, trimFollowingSpace: Bool) -> (String, String) {
        var stack: [(name: String, raw: String)] = []
        var head = ""
        for t in tokens[..<index] {
            head += t.raw
            switch t {
            case .open(let n, let r): stack.append((n, r))
            case .close(let n, _):
                if let k = stack.lastIndex(where: { $0.name == n }) { stack.remove(at: k) }
            default: break
            }
        }
        for s in stack.reversed() { head += "</\(s.name)>" }
        var tail = stack.map(\.raw).joined()
        var j = index
        if dropBreak, j < tokens.count, case .space = tokens[j] { j += 1 }
        if trimFollowingSpace {
            while j < tokens.count, case .space = tokens[j] { j += 1 }
        }
        for t in tokens[j...] { tail += t.raw }
        return (head, tail)
    }

    /// Plain text of markup: tags removed, entities decoded.
    static func plain(_ markup: String) -> String {
        var out = ""
        for t in tokenize(markup) {
            switch t {
            case .text(let s), .space(let s): out += RichText.unescape(s)
            default: break
            }
        }
        return out
    }
}
