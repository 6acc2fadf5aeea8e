import Canvas
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Plain text of Teaching prose (written in the Pango subset) for JSON: read as rich text,
/// written with `_x` for subscripts and `^x` for superscripts.
func plainText(_ markup: String) -> String { markup.rich.plainText }

extension Quantity {
    var json: JSONValue {
        switch value {
        case .number(let x): return .number(JSONValue.rounded(x, significantDigits: significantDigits))
        case .text(let s): return .string(s)
        }
    }
}

extension JSONValue {
    /// `x` rounded to `n` significant digits (0.7000000000000001 → 0.7, 295.34328 → 295.3 at 4).
    static func rounded(_ x: Double, significantDigits n: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        return Double(Fmt.g(x, max(1, n))) ?? x
    }
}

extension Exercise {
    /// The exercise as JSON: parameters and (instructor edition) answers, steps and errata.
    public var json: JSONValue {
        var kv: [(String, JSONValue)] = [
            ("id", .string(id)), ("family", .string(family.rawValue)), ("title", .string(plainText(title))),
            ("source", .string(source)), ("convention", .string(convention)),
            ("question", .string(plainText(question))),
            ("parts", .array(parts.map { .string(plainText($0)) })),
            ("parameters", .object(given.map { ($0.key, $0.json) })),
            ("parameter_units", .object(given.filter { $0.value.number != nil }.map { ($0.key, .string($0.unit)) })),
        ]
        if !answers.isEmpty {
            kv.append(("answers", .object(answers.map { ($0.key, $0.json) })))
            kv.append(("answer_units", .object(answers.map { ($0.key, .string($0.unit)) })))
        }
        if !steps.isEmpty {
            kv.append(("steps", .array(steps.map { s in
                .object([("title", .string(plainText(s.title))), ("formula", .string(plainText(s.formula))),
                         ("substitution", .string(plainText(s.substitution))), ("result_key", .string(s.result.key)),
                         ("result", s.result.json), ("unit", .string(s.result.unit)),
                         ("interpretation", .string(plainText(s.interpretation)))])
            })))
        }
        kv.append(("errata", .array(errata.map(\.json))))
        return .object(kv)
    }
}

extension ExerciseSheet {
    /// `{"title":…,"variant":…,"edition":…,"convention":…,"exercises":[…]}` with a trailing newline.
    public var jsonText: String {
        JSONValue.object([
            ("title", .string(title)), ("variant", .number(Double(variant))), ("edition", .string(edition.rawValue)),
            ("convention", .string(convention)), ("description", .string(plainText(description))),
            ("exercises", .array(exercises.map(\.json))),
            ("errata", .array(Teaching.distinctErrata(exercises).map(\.json))),
        ]).rendered() + "\n"
    }
}

extension Erratum {
    /// An erratum as JSON. A register entry carries its id, seed file, verbatim quote and the
    /// printed / recomputed / correct values; a convention comparison has a null id and seed.
    public var json: JSONValue {
        if let r = entry {
            return .object([
                ("id", .string(r.id)), ("seed", .string(r.seed)), ("seed_file", .string(r.seedFile)),
                ("location", .string(r.location)), ("line", .number(Double(r.line))), ("quote", .string(r.quote)),
                ("printed", r.printed.map(JSONValue.string) ?? .null), ("recomputed", r.recomputed.map(JSONValue.string) ?? .null),
                ("correct", .string(r.correct)), ("why", .string(r.why)), ("kind", .string(r.kind.rawValue)), ("convention", .null),
            ])
        }
        return .object([
            ("id", .null), ("seed", .null), ("seed_file", .null), ("location", .string(plainText(location))), ("line", .null),
            ("quote", .null), ("printed", .string(plainText(printed))), ("recomputed", .null),
            ("correct", .string(plainText(correct))), ("why", .string(plainText(reason))), ("kind", .string("convention")),
            ("convention", convention.map { .string($0) } ?? .null),
        ])
    }
}

extension Teaching {
    /// The errata of `exercises`, each register entry once, in order of appearance.
    public static func distinctErrata(_ exercises: [Exercise]) -> [Erratum] {
        var seen = Set<String>(), out: [Erratum] = []
        for e in exercises {
            for x in e.errata where seen.insert(x.entry?.id ?? "\(e.id)|\(x.location)|\(x.printed)").inserted { out.append(x) }
        }
        return out
    }
}
