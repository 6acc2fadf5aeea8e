import DocumentLayout
import Foundation
import Testing
@testable import RidgepointCore
@testable import Teaching

/// Editions and variants (issue 6), on seed 003's five exercise families.
@Suite struct EditionVariantTests {
    /// Same N twice gives byte-identical JSON; different N give different instances.
    @Test func variantsAreDeterministicAndDiffer() throws {
        var seen: [String: Int] = [:]
        for n in 1...12 {
            let a = try sheet(variant: n).jsonText, b = try sheet(variant: n).jsonText
            #expect(a == b, "variant \(n)")
            let params = try sheet(variant: n, edition: .student).jsonText
            #expect(seen[params] == nil, "variant \(n) repeats variant \(seen[params] ?? -1)")
            seen[params] = n
        }
        #expect(try sheet(variant: 0).jsonText != sheet(variant: 1).jsonText)
    }

    /// SplitMix64 is the published generator (first outputs for seed 0).
    @Test func splitMixReferenceValues() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    /// The student and instructor editions of a variant share every given datum.
    @Test func editionsShareParameters() throws {
        for n in [0, 2, 5] {
            for c in [Convention.physical, .seed003] {
                let s = try sheet(variant: n, convention: c, edition: .student)
                let i = try sheet(variant: n, convention: c, edition: .instructor)
                #expect(s.exercises.map(\.given) == i.exercises.map(\.given))
                #expect(s.exercises.map(\.question) == i.exercises.map(\.question))
            }
        }
    }

    /// The student edition carries no answers, steps or errata — not in JSON, not in Markdown.
    @Test func studentEditionContainsNoAnswer() throws {
        for n in [0, 4] {
            let student = try sheet(variant: n, edition: .student)
            let instructor = try sheet(variant: n)
            for e in student.exercises { #expect(e.answers.isEmpty && e.steps.isEmpty && e.errata.isEmpty && e.remark == nil) }
            let json = student.jsonText
            #expect(!json.contains("\"answers\"") && !json.contains("\"steps\""))
            // Learning platforms get a stable key: "errata" is always there, empty in the student edition.
            #expect(json.contains("\"errata\": []") && !json.contains("\"quote\""))
            let md = MarkdownWriter.markdown(TeachingDocuments.sheet(student))
            for (s, e) in zip(student.exercises, instructor.exercises) {
                let givenText = s.given.map(\.display).joined(separator: " ") + s.question + s.parts.joined()
                for a in e.answers {
                    guard let x = a.value.number, x != 0, x != 1, x != 2 else { continue }
                    for text in [Num.markup(x), Num.plain(x)] where text.count >= 4 && !givenText.contains(text) {
                        #expect(!md.contains(text), "variant \(n) \(e.id).\(a.key) = \(text) appears in the student sheet")
                        #expect(!json.contains(text), "variant \(n) \(e.id).\(a.key) = \(text) appears in the student JSON")
                    }
                }
            }
            // The instructor edition does show them.
            let imd = MarkdownWriter.markdown(TeachingDocuments.sheet(instructor))
            #expect(imd.contains("Solution"))
        }
    }

    /// GPU A, GPU B and the model can be chosen; unknown ids suggest the nearest name.
    @Test func chosenGPUsAndModel() throws {
        let s = try sheet(gpuA: "h100", gpuB: "mi300x", model: "llama-3-8b")
        let e1 = try ex(s, "ex1")
        #expect(e1.givenValue("gpu_a") == .text("H100-SXM") && e1.givenValue("gpu_b") == .text("MI300X"))
        #expect(close(e1.answer("ridge_a"), 295.3, rel: 0.001))
        #expect(close(try ex(s, "ex5").answer("crossover_batch") ?? -1, try ex(s, "ex5").answer("crossover_batch") ?? -2))
        do {
            _ = try sheet(gpuA: "h100-sxn")
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.help?.contains("h100-sxm") == true)
        }
        #expect(throws: RidgepointError.self) { try sheet(gpuA: "h100", gpuB: "h100-sxm") }
    }

    /// Every generated string is well-formed Pango markup (user strings escaped).
    @Test func markupIsWellFormed() throws {
        var docs = [TeachingDocuments.sheet(try sheet()), TeachingDocuments.sheet(try sheet(convention: .seed003)),
                    TeachingDocuments.sheet(try sheet(variant: 9, edition: .student))]
        docs.append(TeachingDocuments.lectureNotes(worked: try worked(), sheet: try sheet(), edition: .instructor))
        for d in docs {
            for s in markupStrings(d.blocks) { #expect(wellFormedMarkup(s), "\(s)") }
            if let t = d.titlePage { for s in ([t.title] + t.lines + [t.subtitle].compactMap({ $0 })).map(\.pangoMarkup) { #expect(wellFormedMarkup(s), "\(s)") } }
        }
    }

    /// Lecture-note sections can be spliced: each starts with its heading, explanation first.
    @Test func lectureSectionsForSplicing() throws {
        let sections = TeachingDocuments.lectureSections(worked: try worked(), edition: .instructor)
        #expect(sections.count == 5)
        for s in sections {
            guard case .heading(1, _, let id) = s.blocks.first else { Issue.record("no heading"); continue }
            #expect(id == s.id)
            #expect(s.introCount >= 2 && s.blocks.count > s.introCount)
        }
        #expect(try worked().count == 18)
    }
}

/// Attribution and whole batches (issue 15).
@Suite struct AttributionTests {
    /// Boxes that show what a counting convention computes say so; they never attribute the
    /// computed numbers to the seed. Switching the convention keeps seed 003 as the source.
    @Test func conventionBoxesAreNotSeedQuotes() throws {
        for convention in [Convention.physical, .seed003, .seed002] {
            let s = try sheet(convention: convention, edition: .instructor)
            for e in s.exercises {
                #expect(e.source.contains("003"), "\(e.id) under \(convention.name): \(e.source)")
                // Seed 003's own instance: every box is a register entry about seed 003.
                for box in e.errata {
                    let entry = try #require(box.entry, "\(e.id): \(box.location)")
                    #expect(entry.seedFile.hasPrefix("003_") && box.convention == nil)
                }
            }
            // The same statements under every convention.
            #expect(s.exercises.map { $0.errata.compactMap(\.entry?.id) } == (try sheet(convention: .physical, edition: .instructor)).exercises.map { $0.errata.compactMap(\.entry?.id) })
        }
        // On other data a seed convention is compared with the physics, attributed to the convention only.
        let other = try sheet(convention: .seed003, edition: .instructor, gpuA: "h100", gpuB: "mi300x")
        let ex1 = try #require(other.exercises.first)
        let conventionBox = try #require(ex1.errata.first)
        #expect(conventionBox.convention == "seed-003" && conventionBox.entry == nil && conventionBox.seed.isEmpty)
        #expect(conventionBox.printed.contains("590.7"))
        guard case .note(let note) = TeachingDocuments.erratumBox(conventionBox) else { Issue.record("not a note"); return }
        #expect(!note.paragraphs.map(\.words).joined().contains("Seed 003") && note.paragraphs[0].words.contains("seed-003 convention gives"))
    }

    /// A sheet for other hardware does not claim the seed's numbers and prints no seed errata.
    @Test func otherHardwareGetsNoSeedErrata() throws {
        let s = try sheet(convention: .physical, edition: .instructor, gpuA: "h100", gpuB: "mi300x")
        #expect(!s.description.contains("the numbers of seed 003"))
        #expect(s.exercises.allSatisfy { $0.errata.isEmpty }, "\(s.exercises.map { $0.errata.count })")
        // Asking for the seed's convention on that hardware still compares it with the physics.
        let seed = try sheet(convention: .seed003, edition: .instructor, gpuA: "h100", gpuB: "mi300x")
        #expect(seed.exercises.contains { !$0.errata.isEmpty })
    }

    /// Llama 3 70B on 2 H100s at 2,048 tokens holds 19 sequences: the cost-hyperbola example says
    /// its B = 64 and 512 rows do not fit, and why they are still shown.
    @Test func operatingPointsThatDoNotFitAreSaidToNotFit() throws {
        let e = try example("we-cost-hyperbola")
        let step = try #require(e.steps.first)
        #expect(step.interpretation.contains("64 and 512 do not fit"), "\(step.interpretation)")
        #expect(step.table?.columns.last == "fits")
    }

    /// A real-valued crossover is shown with the whole batch it means.
    @Test func batchesAreWholeSequences() throws {
        let s = try sheet(convention: .physical, edition: .instructor)
        let ex1 = try #require(s.exercises.first)
        let q = try #require(ex1.answers.first { $0.key == "crossover_batch_b" })
        #expect(q.display.contains("295.3, i.e. a batch of 296 sequences"))
        #expect(q.value.number.map { abs($0 - 295.34) < 0.01 } == true, "the value itself stays real")
    }
}
