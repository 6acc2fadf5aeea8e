import Foundation

/// A user-facing error: where it happened (file, line, column, field), what was expected,
/// and, where one exists, a suggestion. All of Ridgepoint's input errors are values of this type.
///
/// Rendered as `FILE:LINE:COL: error: FIELD: MESSAGE` followed by an optional `help:` line, e.g.
/// `spec.yaml:4:9: error: gpus[1]: unknown GPU 'h100-sxn'` / `help: did you mean 'h100-sxm'?`
public struct RidgepointError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// Dotted path of the offending field, e.g. `gpus[2].bandwidth_tbs`.
    public var field: String?
    public var message: String
    public var help: String?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil,
                message: String, help: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.field = field
        self.message = message; self.help = help
    }

    public var description: String {
        var loc = ""
        if let file { loc = file }
        if let line { loc += (loc.isEmpty ? "line " : ":") + "\(line)" }
        if let column, line != nil { loc += ":\(column)" }
        var s = loc.isEmpty ? "error: " : "\(loc): error: "
        if let field, !field.isEmpty { s += "\(field): " }
        s += message
        if let help { s += "\n  help: \(help)" }
        return s
    }
}

/// Nearest-name suggestions by edit distance, as in "did you mean 'h100-sxm'?".
public enum Suggest {
    /// Edit distance between two strings, case-insensitive: insertions, deletions, substitutions
    /// and swaps of two neighbouring characters ("bf61" → "bf16") each count one.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        // Three rows of the optimal-string-alignment table: i − 2, i − 1 and i.
        var before = [Int](repeating: 0, count: y.count + 1), prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { cur[j] = min(cur[j], before[j - 2] + 1) }
            }
            (before, prev, cur) = (prev, cur, before)
        }
        return prev[y.count]
    }

    /// The candidate closest to `name`, if it is close enough to be a plausible misspelling
    /// (distance ≤ a third of the name's length, at least 1: one slip in a short name, ".gif" is
    /// not ".pdf") or `name` is a prefix of it.
    public static func nearest(_ name: String, in candidates: [String]) -> String? {
        let lower = name.lowercased()
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(lower, c)
            if let b = best, d > b.distance || (d == b.distance && c >= b.name) { continue }
            best = (c, d)
        }
        guard let (cand, d) = best else { return nil }
        if d <= max(1, lower.count / 3) { return cand }
        if let p = candidates.sorted().first(where: { $0.lowercased().hasPrefix(lower) && lower.count >= 2 }) { return p }
        return nil
    }

    /// "did you mean 'x'?" or nil.
    public static func help(_ name: String, in candidates: [String]) -> String? {
        nearest(name, in: candidates).map { "did you mean '\($0)'?" }
    }
}
