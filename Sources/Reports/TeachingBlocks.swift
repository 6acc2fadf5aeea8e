import DocumentLayout
import Foundation
import RidgepointCharts
import RidgepointCore
import Teaching

/// Exercise and worked-example blocks for templates (the `teaching` template uses them):
///
/// - `::: worked-examples [section=roofline|decode|kv-cache|prefill|economics] [edition=instructor|student] [charts=KIND,KIND]`
///   a lecture section (heading, explanation, worked examples computed for the spec's first GPU
///   and model), with the named charts inserted after the explanation;
/// - `::: exercises [edition=instructor|student] [variant=N]` the five exercises for the spec's
///   first two GPUs and first model (variant N > 0 draws its own instance).
extension ReportBuilder {
    static let sections = ["roofline", "decode", "kv-cache", "prefill", "economics"]

    func edition(_ d: DocMarkup.Directive) throws -> Edition {
        // The directive's own `edition=` wins; else the spec's (`edition:`, `render --edition`), student by default.
        switch d.options["edition"]?.lowercased() ?? spec.edition {
        case "instructor": return .instructor
        case "student": return .student
        case let other: throw DirectiveError(Messages.Text.unknown("edition", other, among: ["instructor", "student"]))
        }
    }

    func teachingBlocks(_ d: DocMarkup.Directive, state: inout BuildState) throws -> [Block] {
        let ed = try edition(d)
        if d.name == "exercises" {
            var variant = 0
            if let v = d.options["variant"] {
                guard let n = Int(v), (0...1_000_000).contains(n) else { throw DirectiveError(Messages.Text.expected("variant=N, a whole number ≥ 0", got: "'\(v)'")) }
                variant = n
            }
            let opts = TeachingOptions(variant: variant, gpuA: variant == 0 ? spec.gpus.first?.id : nil,
                                       gpuB: variant == 0 ? spec.gpus.dropFirst().first?.id : nil,
                                       model: variant == 0 ? spec.models.first?.id : nil, convention: spec.convention, edition: ed)
            let sheet = try Teaching.exerciseSheet(opts, catalog: spec.catalog)
            return sheet.exercises.enumerated().flatMap { n, e in TeachingDocuments.exerciseBlocks(e, number: n + 1, edition: ed, level: 2) }
        }
        let worked = try WorkedExamples.all(WorkedOptions(gpu: spec.gpus.first?.id, model: spec.models.first?.id, convention: spec.convention),
                                            catalog: spec.catalog)
        var sections = TeachingDocuments.lectureSections(worked: worked, edition: ed)
        if let want = d.options["section"] {
            guard let s = sections.first(where: { $0.id == want }) else {
                throw DirectiveError(Messages.Text.unknown("section", want, among: ReportBuilder.sections))
            }
            sections = [s]
        }
        let charts = try (d.options["charts"].map { $0.split(separator: ",").map(String.init) } ?? []).map { k -> ChartKind in
            guard let kind = ChartKind.named(k) else { throw DirectiveError(Messages.Text.unknown("chart type", k, among: ChartKind.allCases.map(\.rawValue))) }
            return kind
        }
        var out: [Block] = []
        for s in sections {
            var blocks = s.blocks
            let figs = try sectionFigures(charts, state: &state)
            blocks.insert(contentsOf: figs, at: min(s.introCount, blocks.count))
            // Keep anchors unique across sections and the template's own headings.
            blocks = blocks.map { b in
                if case .heading(let level, let text, let id) = b { return .heading(level: level, text: text, id: state.unique(id)) }
                return b
            }
            out += blocks
        }
        return out
    }
}

/// The charts of the lecture notes, by section: the same figures the teaching template draws,
/// for `exercises --document lecture` (one teaching document model with charts and editions).
public enum LectureCharts {
    /// Section id → the chart kinds it shows after its explanation.
    public static let sectionCharts: [(section: String, charts: [ChartKind])] = [
        ("roofline", [.roofline, .ridgeGenerations]), ("decode", [.throughput, .latency]),
        ("kv-cache", [.kvCache, .concurrency]), ("economics", [.cost, .tokensPerDollar]),
    ]

    /// Figure blocks per section id, drawn for `spec` (its GPUs and first model).
    public static func figures(spec: Spec, version: String) throws -> [String: [Block]] {
        let builder = ReportBuilder(spec: spec, template: try TemplateSet.load("teaching", relativeTo: nil), version: version)
        var state = ReportBuilder.BuildState()
        var out: [String: [Block]] = [:]
        for (section, kinds) in sectionCharts {
            out[section] = try builder.sectionFigures(kinds, state: &state)
        }
        return out
    }
}

extension ReportBuilder {
    /// The figures of `kinds` for a lecture section: comparisons over the spec's GPUs, the rest for
    /// its first GPU; one model (every model for the KV-cache chart).
    func sectionFigures(_ kinds: [ChartKind], state: inout BuildState) throws -> [Block] {
        var figs: [Block] = []
        for kind in kinds {
            var sub = spec
            if ![.roofline, .latency, .tokensPerDollar, .kvCache].contains(kind) { sub.gpus = Array(spec.gpus.prefix(1)) }
            if kind != .kvCache { sub.models = Array(spec.models.prefix(1)) }
            figs += try figures(kind, sub, name: ChartName(role: kind.role), recs: [], state: &state)
        }
        return figs
    }
}
