import Canvas
import DocumentLayout
import Foundation
import RidgepointFormatting

/// A value of a given datum: a number (SI base units) or a text (an id, a name).
public enum Value: Sendable, Hashable {
    case number(Double)
    case text(String)

    public var number: Double? { if case .number(let x) = self { return x }; return nil }
}

/// A named quantity with an explicit unit: a given datum, a step's result or an answer.
///
/// `value` is in the unit named by `unit` (SI base units: B, B/s, FLOP/s, s, tokens/s, $/h; a
/// fraction is unit `1`). `display` is the markup shown in documents (it may add a second unit,
/// e.g. "16 GB (16 × 10⁹ B)"; GB always means 10⁹ B and GiB 2³⁰ B).
public struct Quantity: Sendable, Hashable {
    /// Stable key (snake_case) used in JSON, e.g. `ridge_a`.
    public var key: String
    /// Label markup, e.g. "Ridge point of A100 (I<sup>*</sup>)".
    public var label: String
    public var value: Value
    public var unit: String
    /// Markup shown in documents: the value with its unit.
    public var display: String
    /// Significant digits the value is shown with, at least 6 (JSON carries it rounded to these, so no
    /// binary noise such as 0.7000000000000001 reaches a learning platform).
    public var significantDigits: Int = 4

    public init(key: String, label: String, value: Value, unit: String, display: String, significantDigits: Int = 4) {
        self.key = key; self.label = label; self.value = value; self.unit = unit; self.display = display
        self.significantDigits = significantDigits
    }

    /// A number shown with `Num.markup` and its unit.
    public static func number(_ key: String, _ label: String, _ x: Double, _ unit: String, sig: Int = 4,
                              display: String? = nil) -> Quantity {
        Quantity(key: key, label: label, value: .number(x), unit: unit,
                 display: display ?? batchDisplay(key, x, unit, sig: sig) ?? Num.withUnit(x, unit, sig: sig), significantDigits: max(sig, 6))
    }

    /// A batch is a whole number of sequences: a real-valued crossover or knee is shown with the
    /// batch it means, rounded up ("295.3, i.e. a batch of 296 sequences"). The value itself
    /// (JSON, tables) stays real.
    static func batchDisplay(_ key: String, _ x: Double, _ unit: String, sig: Int) -> String? {
        guard unit == "sequences", key.contains("batch"), x.isFinite, x > 0, x < 1e9, x != x.rounded() else { return nil }
        // Keep one decimal of a large value, so "5,488.7" does not read as the whole batch it rounds to.
        let digits = max(sig, Int(floor(log10(x))) + 2)
        let shown = Num.markup(x, sig: digits), whole = Fmt.grouped(Int(x.rounded(.up)))
        return shown == whole ? "\(whole) sequences" : "\(shown), i.e. a batch of \(whole) sequences"
    }

    public static func text(_ key: String, _ label: String, _ s: String) -> Quantity {
        Quantity(key: key, label: label, value: .text(s), unit: "", display: Markup.escape(s))
    }
}

/// A small table carried by a step (a row per GPU, per batch size …); cells are markup.
public struct StepTable: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[String]]
    /// Columns that hold numbers (right-aligned).
    public var numericColumns: Set<Int>
    public init(columns: [String], rows: [[String]], numericColumns: Set<Int> = []) {
        self.columns = columns; self.rows = rows; self.numericColumns = numericColumns
    }
}

/// One step of a worked solution: the formula, the values substituted with their units, the
/// result, and one sentence saying what it means.
public struct Step: Sendable, Hashable {
    /// Short heading markup, e.g. "(a) Ridge point of the A100".
    public var title: String
    /// The formula in symbols (markup with sub/superscripts), e.g. "I<sup>*</sup> = Π / β".
    public var formula: String
    /// The same formula with the numbers and units substituted (markup).
    public var substitution: String
    /// The result with its unit.
    public var result: Quantity
    /// One sentence of interpretation (markup).
    public var interpretation: String
    /// Optional table (for steps that evaluate the formula for several inputs).
    public var table: StepTable?

    public init(title: String, formula: String, substitution: String, result: Quantity, interpretation: String,
                table: StepTable? = nil) {
        self.title = title; self.formula = formula; self.substitution = substitution; self.result = result
        self.interpretation = interpretation; self.table = table
    }
}

/// Where a source article went wrong: what it printed, the correct value, and why they differ.
public struct Erratum: Sendable, Hashable {
    /// Seed file number, e.g. "003".
    public var seed: String
    /// Where in the seed, e.g. "Exercise 1(b)".
    public var location: String
    /// What the seed prints (or what its convention gives), markup.
    public var printed: String
    /// The correct value, markup.
    public var correct: String
    /// Why they differ, markup.
    public var reason: String
    /// Set when `printed` is what a counting convention gives (computed), not the seed's words:
    /// the box then says so instead of attributing the numbers to the seed.
    public var convention: String? = nil
    /// The errata register's entry when the box is one of them (then `printed` is the seed's quote);
    /// nil for a box that compares two conventions.
    public var entry: RegisterEntry? = nil
    public init(seed: String, location: String, printed: String, correct: String, reason: String, convention: String? = nil) {
        self.seed = seed; self.location = location; self.printed = printed; self.correct = correct; self.reason = reason
        self.convention = convention
    }
}

/// The families of generated exercises (seed 003's five) and worked examples.
public enum ExerciseFamily: String, Sendable, Hashable, CaseIterable {
    case batchCrossover = "batch-size-crossover"
    case utilisation = "utilisation-at-batch-1"
    case kvIntensity = "kv-cache-intensity"
    case batchDoubling = "batch-doubling-diagnostic"
    case costEffectiveness = "cost-effectiveness"
    case worked = "worked-example"
}

/// Where a sheet prints the sources' errata: in a box after each solution, gathered in an
/// appendix, or not at all.
public enum ErrataPlacement: String, Sendable, Hashable, CaseIterable {
    case none, boxes, appendix
}

/// Student (questions and given data, space to work) or instructor (worked solutions, answers, errata).
public enum Edition: String, Sendable, Hashable, CaseIterable {
    case student, instructor
}

/// One exercise or worked example: the question, the given data, and (instructor edition) the
/// step-by-step solution, the answers and the errata of the source.
public struct Exercise: Sendable, Hashable {
    /// "ex1" … "ex5" for exercises, "we-…" for worked examples.
    public var id: String
    public var family: ExerciseFamily
    public var title: String
    /// Where the exercise comes from, e.g. "Seed 003, Exercise 1".
    public var source: String
    /// Counting convention the solution uses (`physical`, `seed-002`, `seed-003`).
    public var convention: String
    /// Introductory markup of the question.
    public var question: String
    /// The parts to answer, markup ("(a) …" numbering is added by the document).
    public var parts: [String]
    /// The given data, in order.
    public var given: [Quantity]
    /// The worked solution (empty in the student edition).
    public var steps: [Step]
    /// The answers in order, each a number with its unit (empty in the student edition).
    public var answers: [Quantity]
    /// Where the source went wrong (empty in the student edition).
    public var errata: [Erratum]
    /// A closing remark for the instructor (markup; empty in the student edition).
    public var remark: String?

    public init(id: String, family: ExerciseFamily, title: String, source: String, convention: String, question: String,
                parts: [String], given: [Quantity], steps: [Step] = [], answers: [Quantity] = [], errata: [Erratum] = [],
                remark: String? = nil) {
        self.id = id; self.family = family; self.title = title; self.source = source; self.convention = convention
        // One row per datum: a key given twice (the model's shape and an exercise's own list) is kept once.
        var seen = Set<String>()
        self.question = question; self.parts = parts; self.given = given.filter { seen.insert($0.key).inserted }
        self.steps = steps; self.answers = answers
        self.errata = errata; self.remark = remark
    }

    /// The answers as ordered (key, value) pairs.
    public var answerValues: [(key: String, value: Double)] {
        answers.compactMap { q in q.value.number.map { (q.key, $0) } }
    }

    /// The answer named `key`.
    public func answer(_ key: String) -> Double? { answers.first { $0.key == key }?.value.number }

    /// The given datum named `key`.
    public func givenValue(_ key: String) -> Value? { given.first { $0.key == key }?.value }

    /// This exercise as the edition shows it: the student edition drops steps, answers, errata and remarks.
    public func forEdition(_ edition: Edition) -> Exercise {
        guard edition == .student else { return self }
        var e = self
        e.steps = []; e.answers = []; e.errata = []; e.remark = nil
        return e
    }
}

/// A set of exercises generated for one variant, convention and edition.
public struct ExerciseSheet: Sendable {
    public var title: String
    public var variant: Int
    public var edition: Edition
    public var convention: String
    /// One line per choice made (GPUs, model, prices), markup.
    public var description: String
    public var exercises: [Exercise]
    /// True when the sheet uses seed 003's own numbers (variant 0, no GPU or model replaced): only
    /// then can the seed's statements be corrected on it.
    public var seedInstance: Bool

    public init(title: String, variant: Int, edition: Edition, convention: String, description: String, exercises: [Exercise],
                seedInstance: Bool = false) {
        self.title = title; self.variant = variant; self.edition = edition; self.convention = convention
        self.description = description; self.exercises = exercises; self.seedInstance = seedInstance
    }

    /// The exercise with `id`.
    public func exercise(_ id: String) -> Exercise? { exercises.first { $0.id == id } }
}
