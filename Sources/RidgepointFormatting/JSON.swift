import Foundation

/// The one JSON writer of Ridgepoint: a `JSONValue` tree with ordered keys, written by
/// `rendered(_:)` under a `JSONLayout`. Streamed documents (the matrix's rows) write their rows
/// with the same string escaping (`JSON.string`) and the same number format (`Fmt.g`).
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number written exactly: whole numbers below 10^15 as integers, others in Swift's
    /// shortest round-trip form (0.0001, 2.5e-07); non-finite as null.
    case number(Double)
    /// A number to `sig` significant figures (`%g`, e.g. 0.365899, 1e-07); non-finite as null.
    case significant(Double, Int)
    case integer(Int)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// A string, or null when absent.
    public static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    /// The value as text: every container one member per line under `.pretty`, members and
    /// items on one line below the layout's depth (`{"a": 1, "b": [2, 3]}`). No trailing newline.
    /// `depth` is the depth of this value in a document being assembled around it.
    public func rendered(_ layout: JSONLayout = .pretty, depth: Int = 0, key: String? = nil) -> String {
        var out = ""
        write(to: &out, layout, depth: depth, key: key)
        return out
    }

    func write(to out: inout String, _ layout: JSONLayout, depth: Int, key: String?) {
        switch self {
        case .object(var members):
            if members.isEmpty { out += "{}"; return }
            if layout.sortedKeys { members.sort { $0.0 < $1.0 } }
            container("{", "}", members.count, layout, depth: depth, key: key, to: &out) { i, out in
                out += JSON.string(members[i].0) + layout.colon
                members[i].1.write(to: &out, layout, depth: depth + 1, key: members[i].0)
            }
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            container("[", "]", items.count, layout, depth: depth, key: key, to: &out) { i, out in
                items[i].write(to: &out, layout, depth: depth + 1, key: nil)
            }
        case .string(let s): out += JSON.string(s)
        case .number(let x): out += JSON.exact(x)
        case .significant(let x, let sig): out += x.isFinite ? Fmt.g(x, sig) : "null"
        case .integer(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    private func container(_ open: String, _ close: String, _ count: Int, _ layout: JSONLayout, depth: Int, key: String?,
                           to out: inout String, member: (Int, inout String) -> Void) {
        out += open
        if layout.expands(depth: depth, key: key) {
            let pad = String(repeating: layout.indent, count: depth + 1)
            for i in 0..<count {
                out += (i == 0 ? "\n" : ",\n") + pad
                member(i, &out)
            }
            out += "\n" + String(repeating: layout.indent, count: depth) + close
        } else {
            for i in 0..<count {
                if i > 0 { out += ", " }
                member(i, &out)
            }
            out += close
        }
    }
}

/// How a `JSONValue` is laid out: which containers get one member per line (those above
/// `expandedDepth`, and those under one of `expandedKeys`), the indent and the key separator.
public struct JSONLayout: Sendable {
    public var expandedDepth: Int
    public var expandedKeys: Set<String>
    public var indent = "  "
    public var colon = ": "
    public var sortedKeys = false

    public init(expandedDepth: Int, expandedKeys: Set<String> = [], colon: String = ": ", sortedKeys: Bool = false) {
        self.expandedDepth = expandedDepth; self.expandedKeys = expandedKeys
        self.colon = colon; self.sortedKeys = sortedKeys
    }

    /// Every container one member per line.
    public static let pretty = JSONLayout(expandedDepth: .max)

    func expands(depth: Int, key: String?) -> Bool { depth < expandedDepth || key.map(expandedKeys.contains) == true }
}

/// JSON's string escaping and exact number form, shared by `JSONValue` and the streamed writers.
public enum JSON {
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Six significant figures (`%g`), null when not finite: the number format of the matrix,
    /// calibration and assumptions documents.
    public static func number(_ x: Double) -> String { x.isFinite ? Fmt.g(x, 6) : "null" }

    /// Whole numbers below 10^15 as integers, others in Swift's shortest round-trip form.
    public static func exact(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
