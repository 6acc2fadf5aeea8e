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
    /// The words of `markup`'s plain text (split at spaces and newlines).
    static func plainWords(_ markup: String) -> [String] {
        plain(markup).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    static func plain(_ markup: String) -> String {
        var out = ""
        for t in tokenize(markup) {
            switch t {
            case .text(let s), .space(let s): out += unescape(s)
            default: break
            }
        }
        return out
    }

    /// Decodes the XML entities Pango accepts (`&amp; &lt; &gt; &apos; &quot; &#NN; &#xHH;`).
    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "&", let semi = s[i...].firstIndex(of: ";"), s.distance(from: i, to: semi) <= 12 {
                let name = String(s[s.index(after: i)..<semi])
                var decoded: String? = nil
                switch name {
                case "amp": decoded = "&"
                case "lt": decoded = "<"
                case "gt": decoded = ">"
                case "apos": decoded = "'"
                case "quot": decoded = "\""
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16),
                       let u = Unicode.Scalar(v) {
                        decoded = String(Character(u))
                    } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) {
                        decoded = String(Character(u))
                    }
                }
                if let d = decoded {
                    out += d
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(c)
            i = s.index(after: i)
        }
        return out
    }

    /// Value of attribute `name` in a raw tag such as `<span size='smaller' rise='-2pt'>`.
    static func attribute(_ name: String, in raw: String) -> String? {
        let chars = Array(raw)
        let key = Array(name)
        var i = 0
        while i + key.count < chars.count {
            let before = i == 0 ? " " : chars[i - 1]
            if before.isWhitespace, Array(chars[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < chars.count, chars[j].isWhitespace { j += 1 }
                if j < chars.count, chars[j] == "=" {
                    j += 1
                    while j < chars.count, chars[j].isWhitespace { j += 1 }
                    if j < chars.count, chars[j] == "'" || chars[j] == "\"" {
                        let q = chars[j]
                        var k = j + 1
                        while k < chars.count, chars[k] != q { k += 1 }
                        return String(chars[(j + 1)..<min(k, chars.count)])
                    }
                }
            }
            i += 1
        }
        return nil
    }
}
