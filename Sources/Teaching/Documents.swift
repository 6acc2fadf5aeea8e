import Canvas
import DocumentLayout
import Foundation
import RidgepointCore

/// Builds `Document`s (exercise sheets, lecture notes) from exercises.
public enum TeachingDocuments {
    static let units = "Units: GB = 10" + Markup.sup("9") + " B and GiB = 2" + Markup.sup("30") + " B; TB/s = 10" + Markup.sup("12")
        + " B/s; TFLOPS = 10" + Markup.sup("12") + " FLOP/s; $/Mtok = dollars per million tokens."

    /// An exercise sheet: title page, an introduction, one section per exercise (given data,
    /// questions, then answer space or the worked solution with errata).
    public static func sheet(_ sheet: ExerciseSheet, pageSize: Size = .a4, errata: ErrataPlacement = .boxes) -> Document {
        let editionName = sheet.edition == .student ? "Student edition" : "Instructor edition"
        var blocks: [Block] = [
            .heading(level: 1, text: "About these exercises", id: "about"),
            .paragraph(intro(sheet).rich),
            .paragraph(units.rich),
        ]
        for (n, e) in sheet.exercises.enumerated() {
            if n > 0 { blocks.append(.pageBreak) }
            blocks += exerciseBlocks(e, number: n + 1, edition: sheet.edition, level: 1, errata: errata)
        }
        if errata == .appendix && sheet.edition == .instructor {
            let appendix = errataAppendix(sheet.exercises, level: 1)
            if !appendix.isEmpty { blocks.append(.pageBreak); blocks += appendix }
        }
        let title = sheet.title
        return Document(
            metadata: DocumentMetadata(title: "\(title) (\(editionName.lowercased()), variant \(sheet.variant))",
                                       author: "Ridgepoint", subject: "Exercises on LLM inference economics: roofline, KV cache, cost per token",
                                       keywords: "roofline, LLM inference, exercises, \(sheet.edition.rawValue), variant \(sheet.variant)",
                                       creator: "ridgepoint"),
            pageSize: pageSize,
            titlePage: TitlePage(title: RichText(plain: title), subtitle: "\(editionName) · variant \(sheet.variant) · \(Markup.escape(sheet.convention)) convention",
                                 lines: [sheet.description.rich, "Every number is computed by the Ridgepoint engine.", units.rich]),
            tableOfContents: true, numberHeadings: false,
            runningHeader: "\(Markup.escape(title)) — \(editionName.lowercased()), variant \(sheet.variant)",
            blocks: blocks)
    }

    static func intro(_ sheet: ExerciseSheet) -> String {
        var s = "Five exercises on why LLM decoding is limited by memory bandwidth and what that means for batching and GPU choice. "
        s += "The given data of each exercise are all you need; a calculator suffices. "
        if sheet.edition == .student {
            s += "Write your working in the boxes; your teacher has the solutions for the same variant (\(sheet.variant))."
        } else {
            s += "Each solution is worked step by step: the formula, the numbers substituted with their units, the result and what it means. "
            let physical = sheet.convention == "physical" || sheet.convention == "textbook"
            s += physical
                ? "The physics is the correct one (weights read once per step, dense tensor peaks, memory streams adding). "
                : "The solutions follow the \(Markup.escape(sheet.convention)) convention, not the physics. "
            if sheet.seedInstance {
                s += "Where seed 003 printed something wrong, an erratum box quotes it, gives the correct value and says why (the same entries as the errata register, <tt>ridgepoint exercises --document errata</tt>)."
            } else {
                s += "These are not seed 003's numbers, so no seed erratum applies to them"
                s += physical ? "." : "; boxes compare the \(Markup.escape(sheet.convention)) convention's answers with the physical ones."
            }
        }
        return s
    }

    /// The blocks of one exercise or worked example. `level` is the heading level of its title.
    public static func exerciseBlocks(_ e: Exercise, number: Int?, edition: Edition, level: Int, errata: ErrataPlacement = .boxes) -> [Block] {
        let e = e.forEdition(edition)
        let sub = min(level + 1, 3)
        let prefix = number.map { e.family == .worked ? "Example \($0): " : "Exercise \($0): " } ?? ""
        var b: [Block] = [
            .heading(level: level, text: (prefix + e.title).rich, id: e.id),
            .paragraph("<i>\(Markup.escape(e.source)) · \(Markup.escape(e.convention)) convention</i>"),
            .paragraph(e.question.rich),
        ]
        if !e.given.isEmpty {
            b.append(.table(Table(columns: [TableColumn("Given", weight: 3), TableColumn("Value", alignment: .right, weight: 2)],
                                  rows: e.given.map { [$0.label.rich, $0.display.rich] },
                                  caption: "Given data (\(e.id))")))
        }
        if !e.parts.isEmpty {
            b.append(.numbered(e.parts.map(\.rich)))
        }
        if edition == .student {
            // Space sized to the question (a longer part asks for more working), then grown to
            // share whatever the page has left, so no page of the sheet is left mostly empty.
            for (i, part) in e.parts.enumerated() {
                b.append(.note(Note(.answerSpace, title: "Working for part \(i + 1)", paragraphs: [],
                                    minHeight: answerSpace(for: part), fillsPage: true)))
            }
            if e.parts.isEmpty { b.append(.note(Note(.answerSpace, title: "Working", paragraphs: [], minHeight: 160, fillsPage: true))) }
            return b
        }
        if !e.steps.isEmpty {
            b.append(.heading(level: sub, text: "Solution", id: "\(e.id)-solution"))
            for (k, s) in e.steps.enumerated() {
                b.append(.lead("<b>Step \(k + 1). \(s.title)</b>"))
                b.append(.formula(s.formula.rich))
                b.append(.paragraph(("= " + s.substitution).rich))
                b.append(.paragraph("⇒ \(s.result.label) = <b>\(s.result.display)</b>"))
                if let t = s.table {
                    b.append(.table(Table(columns: t.columns.enumerated().map { TableColumn($0.element.rich, alignment: t.numericColumns.contains($0.offset) ? .right : .left) },
                                          rows: t.rows.map { $0.map(\.rich) }, caption: "\(s.title) (\(e.id))".rich)))
                }
                b.append(.paragraph("<i>\(s.interpretation)</i>"))
            }
        }
        if !e.answers.isEmpty {
            b.append(.heading(level: sub, text: "Answers", id: "\(e.id)-answers"))
            b.append(.table(Table(columns: [TableColumn("Answer", weight: 4), TableColumn("Key", weight: 2), TableColumn("Value", alignment: .right, weight: 3)],
                                  rows: e.answers.map { [$0.label.rich, .code($0.key), $0.display.rich] },
                                  caption: "Answers (\(e.id))", fontSize: 8)))
        }
        if errata == .boxes { b += e.errata.map(erratumBox) }
        if let r = e.remark { b.append(.note(Note(.note, paragraphs: [r.rich]))) }
        return b
    }

    /// The least working space for a part, in points: a line or two for a single number, more for
    /// parts that ask for several values, a table or an explanation.
    static func answerSpace(for part: String) -> Double {
        let text = plainText(part).lowercased()
        var h = 56.0
        if text.count > 80 { h += 24 }
        for word in ["each", "table", "every", "compare", "explain", "why", "simplify", "derive", "which"] where text.contains(word) { h += 16 }
        return min(h, 160)
    }

    /// One erratum as a box: a register entry quotes the seed; a convention comparison says
    /// which convention gives the numbers, attributing nothing to a seed.
    public static func erratumBox(_ x: Erratum) -> Block {
        if let r = x.entry {
            // The quote is verbatim, LaTeX source included: shown as source text.
            var ps = ["<b>Seed \(r.seed) says:</b> <tt>" + Markup.escape(r.quote) + "</tt>"]
            if let p = r.printed { ps.append("<b>Printed:</b> " + Markup.escape(p)) }
            if let c = r.recomputed { ps.append("<b>Its own method gives:</b> " + Markup.escape(c)) }
            ps += ["<b>Correct:</b> \(x.correct)", "<b>Why:</b> \(x.reason)"]
            return .note(Note(.erratum, title: "seed \(r.seed) (\(Markup.escape(r.seedFile))), \(x.location) · erratum \(r.id)".rich, paragraphs: ps.map(\.rich)))
        }
        return .note(Note(.note, title: "\(x.location): compared with the physics",
                          paragraphs: [(x.convention.map { "<b>The \(Markup.escape($0)) convention gives:</b> " } ?? "") + x.printed,
                                       "<b>Physically:</b> \(x.correct)", "<b>Why:</b> \(x.reason)"].map(\.rich)))
    }

    /// The errata of `exercises` gathered in one appendix (register entries once each, in order).
    static func errataAppendix(_ exercises: [Exercise], level: Int) -> [Block] {
        let boxes = Teaching.distinctErrata(exercises).map(erratumBox)
        guard !boxes.isEmpty else { return [] }
        return [.heading(level: level, text: "Appendix: errata of the sources", id: "errata-appendix"),
                .paragraph("Where the source articles printed something wrong, with the correct value and why; the full list is the errata register (<tt>ridgepoint exercises --document errata</tt>).")] + boxes
    }

    // MARK: Lecture notes

    /// One section of the lecture notes: a heading, explanation paragraphs and worked examples.
    /// Charts can be spliced in by appending `.figure` blocks to `blocks` (or inserting after `introCount`).
    public struct Section: Sendable {
        public var id: String
        public var title: String
        /// Blocks: the level-1 heading, the explanation paragraphs (the first `introCount` blocks), then the examples.
        public var blocks: [Block]
        /// Number of leading blocks (heading + explanation) before the first worked example.
        public var introCount: Int
    }

    static let sectionPlan: [(id: String, title: String, intro: [String], examples: [String])] = [
        ("roofline", "The roofline: compute or bandwidth?", [
            "A GPU has two independent limits: how fast it does arithmetic (Π, FLOP/s) and how fast it moves bytes from memory (β, B/s). A computation that does <i>F</i> FLOPs on <i>Q</i> bytes takes at least max(<i>F</i>/Π, <i>Q</i>/β). Its arithmetic intensity <i>I</i> = <i>F</i>/<i>Q</i> decides which term wins: below the ridge point <i>I</i>" + Markup.sup("*") + " = Π/β memory is the limit, above it compute is.",
            "A matrix-vector product uses each weight once, so its intensity is about one FLOP per byte in BF16 — hundreds of times below any modern ridge. Sharing each weight read among many tokens raises the intensity in proportion; storing the weights in fewer bits does the same.",
        ], ["we-ridge", "we-gemv-gemm", "we-quantisation"]),
        ("decode", "Decode is a bandwidth problem", [
            "Generating a token reads every weight once. For one request that read, not the arithmetic, sets the time per token, so the single-request speed is bandwidth divided by the model's size in bytes. Batching shares the read among sequences: throughput rises linearly until the compute roof, then stays flat.",
        ], ["we-decode-floor", "we-throughput-batch", "we-bandwidth-saturation"]),
        ("kv-cache", "The KV cache", [
            "Each sequence keeps the keys and values of its past tokens. This cache takes memory — which caps how many sequences can run together — and is read in full every step. Unlike the weights, it is not shared across the batch, so at long contexts it can dominate the traffic and prevent any batch from reaching the compute roof.",
        ], ["we-kv-concurrency", "we-mha-gqa", "we-kv-vs-weights", "we-attention-dominance", "we-kv-compute-context"]),
        ("prefill", "Prefill is a compute problem", [
            "Prefill runs the whole prompt through the model at once: every weight read serves all prompt tokens, so the intensity is in the thousands and the time to first token is set by the tensor cores.",
        ], ["we-prefill"]),
        ("economics", "The economics of batching", [
            "Cost per token is the step time times the price, divided by the tokens the step produces. The weight read is a fixed cost per step that batching divides away; the compute and KV costs grow with the batch, so the cost falls as a hyperbola onto a floor. Where the floor begins, at the balance batch, depends on the ridge point and, for mixture-of-experts models, on how many experts each step touches.",
        ], ["we-balance-batch", "we-cost-hyperbola", "we-latency-floor", "we-fast-mode", "we-moe-coverage", "we-static-continuous"]),
    ]

    /// Lecture-notes sections mixing explanation with the worked examples (instructor edition:
    /// worked solutions; student edition: questions only).
    public static func lectureSections(worked: [Exercise], edition: Edition, errata: ErrataPlacement = .boxes,
                                       figures: [String: [Block]] = [:]) -> [Section] {
        var n = 0
        return sectionPlan.map { plan in
            var blocks: [Block] = [.heading(level: 1, text: plan.title.rich, id: plan.id)] + plan.intro.map { .paragraph($0.rich) }
            blocks += figures[plan.id] ?? []
            let introCount = blocks.count
            for id in plan.examples {
                guard let e = worked.first(where: { $0.id == id }) else { continue }
                n += 1
                blocks += exerciseBlocks(e, number: n, edition: edition, level: 2, errata: errata)
            }
            return Section(id: plan.id, title: plan.title, blocks: blocks, introCount: introCount)
        }
    }

    /// Lecture notes: title page, conventions, the sections, then the exercise sheet's exercises.
    public static func lectureNotes(worked: [Exercise], sheet: ExerciseSheet?, edition: Edition, title: String = "Memory-bound inference",
                                    pageSize: Size = .a4, errata: ErrataPlacement = .boxes, figures: [String: [Block]] = [:]) -> Document {
        var blocks: [Block] = [
            .heading(level: 1, text: "How to read these notes", id: "conventions"),
            .paragraph("Every number below is computed by Ridgepoint's roofline engine from the given data; the worked examples follow the calculations of the source articles and show, in erratum boxes, where those articles went wrong."),
            .paragraph(units.rich),
        ]
        for s in lectureSections(worked: worked, edition: edition, errata: errata, figures: figures) { blocks += s.blocks }
        if let sheet {
            blocks.append(.pageBreak)
            blocks.append(.heading(level: 1, text: "Exercises", id: "exercises"))
            blocks.append(.paragraph(intro(sheet).rich))
            for (n, e) in sheet.exercises.enumerated() { blocks += exerciseBlocks(e, number: n + 1, edition: edition, level: 2, errata: errata) }
        }
        if errata == .appendix && edition == .instructor {
            let appendix = errataAppendix(worked + (sheet?.exercises ?? []), level: 1)
            if !appendix.isEmpty { blocks.append(.pageBreak); blocks += appendix }
        }
        let editionName = edition == .student ? "Student edition" : "Instructor edition"
        return Document(
            metadata: DocumentMetadata(title: "\(title): lecture notes (\(editionName.lowercased()))", author: "Ridgepoint",
                                       subject: "Lecture notes on LLM inference economics", keywords: "roofline, KV cache, batching, cost per token",
                                       creator: "ridgepoint"),
            pageSize: pageSize,
            titlePage: TitlePage(title: RichText(plain: title), subtitle: "Lecture notes · \(editionName.lowercased())",
                                 lines: (sheet.map { [$0.description.rich] } ?? []) + ["Every number is computed by the Ridgepoint engine.", units.rich]),
            tableOfContents: true, numberHeadings: true, runningHeader: RichText(plain: title + " — lecture notes"), blocks: blocks)
    }
}

