import DocumentLayout
import Foundation
import Testing
@testable import RidgepointCore
@testable import Teaching

/// The seed articles, when this checkout sits beside them (`../shared/seeds`); CI's clean clone
/// has no copy, and the quote checks are skipped there.
let seedsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/seeds")
let seedsAvailable = FileManager.default.fileExists(atPath: seedsFolder.path)

/// The errata register (issue 15): every wrong statement of the five seeds, computed.
@Suite struct ErrataRegisterTests {
    let register: ErrataRegister
    init() throws { register = try ErrataRegister.builtIn() }

    /// Every stored statement has its computation and every computation a statement; ids are
    /// unique and all five seeds are covered, qualitative errors included.
    @Test func coversTheFiveSeedsOncePerStatement() throws {
        let ids = register.entries.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids) == Set(RegisterComputations.table.keys))
        #expect(register.seedFiles.map { String($0.prefix(3)) } == ["000", "001", "002", "003", "004"])
        for k in RegisterEntry.Kind.allCases { #expect(register.entries.contains { $0.kind == k }, "\(k)") }
        for e in register.entries {
            #expect(!e.quote.isEmpty && !e.correct.isEmpty && !e.why.isEmpty && e.line > 0, "\(e.id)")
            #expect(e.id.hasPrefix(e.seed + "-"), "\(e.id) in \(e.seedFile)")
            // No stray interpolation or non-finite number reaches a reader.
            for text in [e.correct, e.why, e.recomputed ?? ""] {
                #expect(text.range(of: #"\b(nan|inf|Optional)\b"#, options: .regularExpression) == nil, "\(e.id): \(text)")
            }
        }
        // The qualitative errors the issue names.
        #expect(register.entry("003-091")?.correct.contains("Not monotonic") == true)
        #expect(register.entry("001-054")?.quote.contains("~1% of peak") == true)
        #expect(register.entry("002-025")?.quote.contains("double C doubles optimal B") == true)
    }

    /// Every quote is in its seed file, word for word, on the line given.
    @Test(.enabled(if: seedsAvailable, "the seed articles are not beside this checkout"))
    func quotesAreVerbatim() throws {
        for e in register.entries {
            let text = try String(contentsOf: seedsFolder.appendingPathComponent(e.seedFile), encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            #expect(e.line <= lines.count && lines[e.line - 1].contains(e.quote), "\(e.id): not on line \(e.line) of \(e.seedFile)")
        }
    }

    /// The numbers agree with their reasons: spot checks traced to the seeds and datasheets.
    @Test func numbersAreComputed() throws {
        let ex5c = try #require(register.entry("003-433"))
        #expect(ex5c.printed == "B† ≈ 1,182" && ex5c.recomputed == "B† ≈ 844" && ex5c.correct.hasPrefix("B† ≈ 211"))
        #expect(ex5c.why.contains("knee 825") && ex5c.why.contains("206 physically"))
        // H100 over H200 at B = 1,000: the seed's ≈40 % is the physical lead, so the entry agrees with it.
        let ex5b = try #require(register.entry("003-431"))
        #expect(ex5b.correct.contains("ahead by 40 %") && ex5b.recomputed?.contains("18.5 %") == true)
        #expect(register.entry("003-045")?.recomputed == "B < 2·I*: B ≈ 1,182 (H100), 312 (A100)")
        #expect(register.entry("001-054")?.correct.contains("0.34 %") == true)
        #expect(register.entry("000-089")?.correct.contains("no more than 62 tokens at B = 225") == true)
        #expect(register.entry("004-001b")?.correct.contains("47.9 tokens/s") == true)
        #expect(register.entry("004-001b")?.correct.contains("23.9 tokens/s") == true)
        #expect(register.entry("003-204b")?.correct.hasPrefix("≈ 53,400 tokens") == true)
        #expect(register.entry("003-231")?.correct == "S* ≈ 122,070 tokens")
        // The fast-mode entry is computed in physical terms, consistent with its reason.
        let fast = try #require(register.entry("002-009a"))
        #expect(fast.correct.contains("133 sequences") && fast.correct.contains("80–2,400×"))
    }

    /// Boxes in the sheets and the lecture notes are register entries, word for word, and cite
    /// only the register; other data get none.
    @Test func boxesComeFromTheRegister() throws {
        var cited = Set<String>()
        for c in [Convention.physical, .seed002, .seed003] {
            let s = try sheet(convention: c, edition: .instructor)
            let w = try worked(WorkedOptions(convention: c))
            for e in s.exercises + w {
                for box in e.errata {
                    let entry = try #require(box.entry, "\(e.id): a box outside the register")
                    #expect(register.entry(entry.id) == entry)
                    #expect(box == entry.erratum)
                    cited.insert(entry.id)
                }
            }
        }
        let referenced = Set(Teaching.registerIDs.values.flatMap { $0 } + WorkedExamples.registerIDs.values.flatMap { $0 })
        #expect(referenced.isSubset(of: Set(register.entries.map(\.id))), "\(referenced.subtracting(register.entries.map(\.id)))")
        #expect(cited == referenced)
        // Other hardware, model or variant: no seed errata.
        for s in [try sheet(gpuA: "h100", gpuB: "mi300x"), try sheet(variant: 3), try sheet(model: "llama-3-8b")] {
            #expect(s.exercises.allSatisfy { $0.errata.isEmpty } && !s.seedInstance)
        }
        #expect(try worked(WorkedOptions(gpu: "mi300x")).allSatisfy { $0.errata.isEmpty })
    }

    /// JSON: the register's contract keys, and the sheet's `errata` list (empty when there are none).
    @Test func jsonKeys() throws {
        let json = register.jsonText
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == register.entries.count)
        for e in entries {
            for k in ["id", "seed_file", "location", "line", "quote", "printed", "recomputed", "correct", "why", "kind"] {
                #expect(e.keys.contains(k), "\(k)")
            }
        }
        let sheetJSON = try #require(try JSONSerialization.jsonObject(with: Data(try sheet().jsonText.utf8)) as? [String: Any])
        let errata = try #require(sheetJSON["errata"] as? [[String: Any]])
        #expect(errata.count == Set(Teaching.registerIDs.values.flatMap { $0 }).count)
        #expect(errata.allSatisfy { ($0["seed_file"] as? String)?.hasPrefix("003_") == true })
        let other = try #require(try JSONSerialization.jsonObject(with: Data(try sheet(gpuA: "h100", gpuB: "mi300x").jsonText.utf8)) as? [String: Any])
        #expect((other["errata"] as? [Any])?.isEmpty == true)
    }

    /// The register document: a section per seed, an entry per statement; appendix placement.
    @Test func documents() throws {
        let doc = register.document()
        var headings: [String] = []
        for case .heading(let level, let text, _) in doc.blocks where level == 1 { headings.append(text.words) }
        #expect(headings.filter { $0.hasPrefix("Seed ") }.count == 5)
        let md = MarkdownWriter.markdown(doc)
        #expect(md.contains("Erratum 003-433") && md.contains("Its own method gives"))
        let s = try sheet(edition: .instructor)
        let appendix = TeachingDocuments.sheet(s, errata: .appendix)
        let boxes = TeachingDocuments.sheet(s, errata: .boxes)
        func notes(_ d: Document) -> Int { d.blocks.filter { if case .note(let n) = $0 { return n.kind == .erratum }; return false }.count }
        #expect(notes(boxes) == s.exercises.reduce(0) { $0 + $1.errata.count })
        #expect(notes(appendix) == Teaching.distinctErrata(s.exercises).count)
        #expect(MarkdownWriter.markdown(appendix).contains("Appendix: errata of the sources"))
    }
}

/// Given data list each datum once, and name what the solutions use.
@Suite struct GivenDataTests {
    @Test func eachKeyOnceAndTheShapeGiven() throws {
        let all = try worked() + (try sheet()).exercises
        for e in all {
            let keys = e.given.map(\.key)
            #expect(Set(keys).count == keys.count, "\(e.id): \(keys)")
        }
        let prefill = try example("we-prefill")
        for k in ["layers", "query_heads", "head_dim", "vocab_size", "hidden_size"] { #expect(prefill.givenValue(k) != nil, "we-prefill lacks \(k)") }
    }
}
