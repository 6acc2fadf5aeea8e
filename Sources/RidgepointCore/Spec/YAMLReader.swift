import Foundation
import RidgepointFormatting
import Yams

/// Bounds on what a spec or catalog may ask for, so that every valid input renders in bounded
/// time and memory (each checked where the value is read, with a message naming it).
public enum InputLimits {
    /// Entries in any one list (batch sizes, contexts, …).
    public static let listEntries = 10_000
    /// GPUs, models or workloads in one spec.
    public static let entities = 200
    /// Characters in any one text value (titles, sources, notes, names).
    public static let textCharacters = 2_000
}

/// A YAML node together with where it came from, for precise error messages.
///
/// Readers check types, ranges and keys and throw `RidgepointError`s that name the file,
/// line, column and field path.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }
    /// How outputs name the file: its base name only, so that the bytes of a report do not
    /// depend on how the path was spelled (`x.yaml`, `../specs/x.yaml`, `/home/…/x.yaml`) or on
    /// the working folder. Error messages keep the path as given.
    var displayName: String { (file as NSString).lastPathComponent }
    var column: Int? { node.mark?.column }

    func error(_ message: String, help: String? = nil) -> RidgepointError {
        error(MessageText(message, help: help))
    }

    /// `text` at this node: its file, line, column and field path.
    func error(_ text: MessageText) -> RidgepointError {
        text.at(file: file, line: line, column: column, field: path.isEmpty ? nil : path)
    }

    /// Parses `text` into the root value; YAML syntax errors become `RidgepointError`s.
    static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw Messages.Reading.emptyYAML.at(file: file, line: 1)
            }
            return YAMLValue(node: node, path: "", file: file)
        } catch let e as RidgepointError {
            throw e
        } catch let e as YamlError {
            throw YAMLValue.convert(e, file: file)
        } catch {
            throw Messages.Reading.invalidYAML("\(error)").at(file: file)
        }
    }

    static func convert(_ e: YamlError, file: String) -> RidgepointError {
        switch e {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
             .composer(let ctx, let problem, let mark, _):
            let context = ctx.map { " (\($0.text))" } ?? ""
            return Messages.Reading.invalidYAML(problem + context).at(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let dups, let ctx):
            return Messages.Reading.duplicateKeys(dups).at(file: file, line: ctx.mark.line, column: ctx.mark.column)
        case .reader(let problem, _, _, _):
            return Messages.Reading.invalidYAML(problem).at(file: file)
        default:
            return Messages.Reading.invalidYAML("\(e)").at(file: file)
        }
    }

    private func child(_ node: Node, _ sub: String) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? sub : (sub.hasPrefix("[") ? path + sub : path + "." + sub), file: file)
    }

    var isNull: Bool {
        if case .scalar(let s) = node { return s.tag.description.hasSuffix("null") || (s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)) }
        return false
    }

    /// The entries of a mapping, in file order, refusing keys outside `allowed` (with a
    /// suggestion) and repeated keys.
    func mapping(allowed: [String]) throws -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let m) = node else { throw error(Messages.Text.expected("a mapping (key: value pairs)", got: kindName)) }
        var seen = Set<String>()
        var out: [(String, YAMLValue)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else { throw error(Messages.Reading.keysArePlainNames) }
            let key = ks.string
            let value = child(v, key)
            if !allowed.contains(key) {
                throw Messages.Reading.unknownKey(key, allowed: allowed).at(file: file, line: k.mark?.line, column: k.mark?.column, field: value.path)
            }
            if !seen.insert(key).inserted {
                throw Messages.Text.listedTwice("key '\(key)'", help: "remove one of the two entries").at(file: file, line: k.mark?.line, column: k.mark?.column, field: value.path)
            }
            out.append((key, value))
        }
        return out
    }

    /// Like `mapping(allowed:)` but as a dictionary.
    func fields(allowed: [String]) throws -> [String: YAMLValue] {
        Dictionary(uniqueKeysWithValues: try mapping(allowed: allowed).map { ($0.key, $0.value) })
    }

    var kindName: String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// A list of at most `maxCount` entries (`InputLimits`): every list Ridgepoint reads is
    /// bounded, so that no valid-looking input makes a run take hours.
    func sequence(maxCount: Int = InputLimits.listEntries) throws -> [YAMLValue] {
        guard case .sequence(let s) = node else { throw error(Messages.Text.expected("a list", got: kindName)) }
        if s.count > maxCount {
            throw error(Messages.Text.tooManyEntries(Fmt.grouped(s.count), limit: Fmt.grouped(maxCount)))
        }
        return s.enumerated().map { child($0.element, "[\($0.offset)]") }
    }

    /// A list, or a single scalar treated as a one-element list.
    func sequenceOrScalar(maxCount: Int = InputLimits.listEntries) throws -> [YAMLValue] {
        if case .scalar = node { return [self] }
        return try sequence(maxCount: maxCount)
    }

    /// A text value of at most `InputLimits.textCharacters` characters.
    func string() throws -> String {
        guard case .scalar(let s) = node else { throw error(Messages.Text.expected("a text value", got: kindName)) }
        if s.string.utf8.count > InputLimits.textCharacters * 4 || s.string.count > InputLimits.textCharacters {
            throw error(Messages.Reading.textTooLong(Fmt.grouped(s.string.count), limit: Fmt.grouped(InputLimits.textCharacters),
                                                     help: "shorten it: a source or note is a citation, not a document"))
        }
        return s.string
    }

    func nonEmptyString(maxLength: Int = 200) throws -> String {
        let s = try string().trimmingCharacters(in: .whitespaces)
        if s.isEmpty { throw error(Messages.Text.expected("a non-empty text value", got: "an empty one")) }
        if s.count > maxLength { throw error(Messages.Reading.textTooLong("\(s.count)", limit: "\(maxLength)")) }
        return s
    }

    func bool() throws -> Bool {
        let s = try string().lowercased()
        switch s {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(Messages.Text.expected("true or false", got: "'\(s)'"))
        }
    }

    /// A finite number; `range` bounds it (both ends inclusive unless `positive`).
    func number(positive: Bool = true, allowZero: Bool = false, min: Double = 0, max: Double = 1e30, unit: String = "") throws -> Double {
        guard case .scalar(let s) = node else { throw error(Messages.Text.expected("a number", got: kindName)) }
        let raw = s.string.replacingOccurrences(of: "_", with: "")
        guard let v = Double(raw) else { throw error(Messages.Text.expected("a number" + (unit.isEmpty ? "" : " (\(unit))"), got: "'\(s.string)'")) }
        guard v.isFinite else { throw error(Messages.Text.expected("a finite number", got: "'\(s.string)'")) }
        if positive && (v < 0 || (!allowZero && v == 0)) {
            throw error(Messages.Text.expected("a \(allowZero ? "non-negative" : "positive") number" + (unit.isEmpty ? "" : " (\(unit))"), got: s.string))
        }
        if v > max { throw error(Messages.Text.implausiblyLarge(s.string + (unit.isEmpty ? "" : " " + unit), limit: Fmt.g(max))) }
        if v != 0 && v < min { throw error(Messages.Text.implausiblySmall(s.string + (unit.isEmpty ? "" : " " + unit), minimum: Fmt.g(min))) }
        return v
    }

    func integer(min: Int = 1, max: Int = Int(Int32.max)) throws -> Int {
        guard case .scalar(let s) = node else { throw error(Messages.Text.expected("a whole number", got: kindName)) }
        let raw = s.string.replacingOccurrences(of: "_", with: "")
        guard let d = Double(raw), d.isFinite, d == d.rounded(), let v = Int(exactly: d) else {
            throw error(Messages.Text.expected("a whole number", got: "'\(s.string)'"))
        }
        if v < min { throw error(Messages.Text.expected("a whole number ≥ \(min)", got: "\(v)")) }
        if v > max { throw error(Messages.Text.implausiblyLarge("\(v)", limit: "\(max)")) }
        return v
    }
}
