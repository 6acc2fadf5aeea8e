import CairoBackend
import Canvas
import DocumentLayout
import Foundation
@testable import Reports
@testable import RidgepointCore
import RidgepointOutput
import Teaching
import Testing
import TestSupport

let catalog: Catalog = { do { return try Catalog.builtIn() } catch { fatalError("catalog: \(error)") } }()

func smallSpec(title: String = "Small test report", formats: String = "[pdf, svg, png, csv, json, md, pages]", extra: String = "") throws -> Spec {
    try Spec.parse("""
    title: \(title)
    formats: \(formats)
    gpus: [h100-sxm, h200]
    models: [llama-3-8b]
    batch_sizes: [1, 16, 128]
    contexts: [1024, 8192]
    gpus_per_replica: [1, 2]
    slo: {tpot_ms: 40, ttft_ms: 1500}
    \(extra)
    """, file: "small.yaml", catalog: catalog)
}

func tempDir(_ tag: String) -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("rp-report-\(tag)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

/// Runs a checking tool (qpdf, pdftotext, …) through the tests' one child-process helper.
func run(_ tool: String, _ args: [String]) throws -> (status: Int32, out: String) {
    let r = try Tool.run(tool, args)
    return (r?.status ?? 127, r?.stdout ?? "")
}

func render(_ spec: Spec, into dir: String, template: String = "procurement", jobs: Int = 2) throws -> RenderSummary {
    try ReportRenderer.render(spec: spec, template: try TemplateSet.load(template, relativeTo: nil),
                              options: RenderOptions(outputDirectory: dir, jobs: jobs), version: "test")
}

@Suite(.serialized) struct ReportTests {
    @Test func templateSyntaxErrorNamesFileAndLine() throws {
        let dir = tempDir("tpl")
        try "# Heading\n\n{{#models}}\nunclosed\n".write(toFile: dir + "/report.mustache", atomically: true, encoding: .utf8)
        let t = try TemplateSet.load(dir, relativeTo: nil)
        do {
            _ = try ReportBuilder(spec: try smallSpec(), template: t, version: "test").build()
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.file == dir + "/report.mustache")
            #expect(e.line != nil)
            #expect(e.message.hasPrefix("template syntax error"))
        }
    }

    @Test func unknownDirectiveNamesFileAndLine() throws {
        let dir = tempDir("tpl2")
        try "# Heading\n\nText.\n\n::: chart rooflin model={{#models}}{{id}}{{/models}}\n".write(toFile: dir + "/report.mustache", atomically: true, encoding: .utf8)
        let t = try TemplateSet.load(dir, relativeTo: nil)
        do {
            _ = try ReportBuilder(spec: try smallSpec(), template: t, version: "test").build()
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.description == "\(dir)/report.mustache:5: error: ::: chart rooflin model=llama-3-8b: unknown chart type 'rooflin'\n  help: did you mean 'roofline'?")
        }
    }

    @Test func unknownTemplateSuggests() {
        #expect(throws: RidgepointError.self) { try TemplateSet.load("procurment", relativeTo: nil) }
        do { _ = try TemplateSet.load("procurment", relativeTo: nil) } catch {
            #expect("\(error)".contains("did you mean 'procurement'?"))
        }
    }

    @Test func markupInjectionAppearsLiterally() throws {
        let dir = tempDir("inject")
        _ = try render(try smallSpec(title: "\"R&D <b> *not bold*\"", formats: "[pdf, md]"), into: dir)
        let text = try run("pdftotext", [dir + "/report.pdf", "-"]).out
        #expect(text.contains("R&D <b> *not bold*"))
        let md = try String(contentsOfFile: dir + "/index.md", encoding: .utf8)
        // Markdown shows `<b>` literally as &lt;b&gt; and keeps the asterisks with backslashes.
        #expect(md.contains("# R&D &lt;b&gt; \\*not bold\\*"))
    }

    @Test func rendersEveryOutputAndIsIdempotent() throws {
        let dir = tempDir("idem")
        let spec = try smallSpec()
        let first = try render(spec, into: dir)
        #expect(first.written.contains("report.pdf") && first.written.contains("index.md") && first.written.contains("matrix.csv"))
        #expect(first.written.contains("charts/llama-3-8b/roofline.svg"))
        #expect(first.written.contains("charts/llama-3-8b/roofline.png"))
        #expect(first.written.contains("charts/llama-3-8b/cost-best.svg"))
        #expect(first.written.contains("charts/llama-3-8b/h200/roofline.svg"))
        #expect(first.written.contains("charts/kv-cache.svg"))
        #expect(first.written.contains("pages/report-001.svg"))
        let files = first.written
        var before: [String: (Data, Date)] = [:]
        for f in files {
            let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/" + f)
            before[f] = (try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f)), attrs[.modificationDate] as? Date ?? Date())
        }
        let second = try render(spec, into: dir)
        #expect(second.written.isEmpty, "rewrote \(second.written)")
        for f in files {
            let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/" + f)
            #expect(attrs[.modificationDate] as? Date == before[f]?.1, "\(f) was touched")
        }
        // A fresh folder gives byte-identical files (single-threaded this time).
        let other = tempDir("idem2")
        _ = try render(spec, into: other, jobs: 1)
        for f in files {
            #expect(try Data(contentsOf: URL(fileURLWithPath: other + "/" + f)) == before[f]?.0, "\(f) differs between runs")
        }
    }

    @Test func changedPriceRerendersOnlyWhatItAffects() throws {
        let dir = tempDir("incr")
        _ = try render(try smallSpec(), into: dir)
        let changed = try render(try smallSpec(extra: "prices: {h200: 9.99}"), into: dir)
        #expect(changed.written.contains("report.pdf"))
        #expect(changed.written.contains("charts/llama-3-8b/tokens-per-dollar.svg"))
        #expect(!changed.written.contains("charts/llama-3-8b/h100-sxm/roofline.svg"))
        #expect(!changed.written.contains("charts/kv-cache.svg"))
        // A price change renames nothing: every chart file of the first run is still produced.
        #expect(changed.removed.isEmpty, "removed \(changed.removed)")
    }

    @Test func secondRunIsRefusedWhileLocked() throws {
        let dir = tempDir("lock")
        let lock = try OutputLock(directory: dir)
        defer { lock.release() }
        #expect(throws: RidgepointError.self) { _ = try render(try smallSpec(formats: "[csv]"), into: dir) }
    }

    @Test func wikiTemplateRenders() throws {
        let dir = tempDir("wiki")
        let s = try render(try smallSpec(formats: "[md, svg]"), into: dir, template: "wiki")
        #expect(s.written.contains("index.md"))
        let md = try String(contentsOfFile: dir + "/index.md", encoding: .utf8)
        #expect(md.contains("charts/llama-3-8b/roofline.svg"))
        // Links only formats that were written.
        #expect(!md.contains(".png"))
    }

    /// A PNG-only wiki run links the PNGs; a Markdown-only run links no image at all (none
    /// exists) and says so in the caption.
    @Test func indexLinksOnlyFilesThatExist() throws {
        let png = tempDir("wiki-png")
        _ = try render(try smallSpec(formats: "[md, png]"), into: png, template: "wiki")
        let md = try String(contentsOfFile: png + "/index.md", encoding: .utf8)
        #expect(md.contains("charts/llama-3-8b/roofline.png") && !md.contains(".svg"))
        let bare = tempDir("wiki-md")
        _ = try render(try smallSpec(formats: "[md]"), into: bare, template: "wiki")
        let md2 = try String(contentsOfFile: bare + "/index.md", encoding: .utf8)
        #expect(!md2.contains(".svg") && !md2.contains(".png") && !md2.contains("]("), "\(md2.prefix(600))")
        #expect(!FileManager.default.fileExists(atPath: bare + "/charts"))
    }

    /// A CSV/JSON-only render evaluates the matrix and builds no chart or document.
    @Test func dataOnlyRenderDrawsNothing() throws {
        let dir = tempDir("csv-only")
        let s = try render(try smallSpec(formats: "[csv, json]"), into: dir)
        #expect(s.charts == 0 && s.pages == 0)
        #expect(Set(s.written) == ["matrix.csv", "matrix.json"])
    }

    /// A spec whose template would draw thousands of charts is refused with a message naming
    /// the directive, before any file is written.
    @Test func chartCountIsBounded() throws {
        let gpus = (0..<200).map { "{id: g\($0), memory_gb: 80, bandwidth_tbs: 3, bf16_tflops: 900, usd_per_hour: 2}" }.joined(separator: ", ")
        let spec = try Spec.parse("gpus: [\(gpus)]\nmodels: [llama-3-8b, llama-3-70b, mistral-7b, llama-2-7b, llama-2-13b, qwen2.5-7b]\nbatch_sizes: [1]\ncontexts: [512]\nformats: [svg]\n",
                                  file: "many.yaml", catalog: catalog)
        let dir = tempDir("many-charts") + "/out"
        do {
            _ = try render(spec, into: dir)
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.description.contains("templates/procurement/report.mustache:") && e.description.contains("more than \(ReportLimits.maxCharts) charts"), "\(e)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    /// More GPUs than a roofline shows: two rooflines, each captioned with what it draws, and
    /// every GPU in one of them.
    @Test func crowdedChartsAreSplitNotTruncated() throws {
        let dir = tempDir("split")
        let spec = try Spec.parse("""
            title: Six GPUs
            formats: [svg, md]
            template: wiki
            gpus: [h100-sxm, h200, a100-80gb, b200, mi300x, l40s, h100-pcie]
            models: [llama-3-8b]
            batch_sizes: [1, 8, 64]
            contexts: [2048]
            """, file: "six.yaml", catalog: catalog)
        let s = try render(spec, into: dir, template: "wiki")
        #expect(s.written.contains("charts/llama-3-8b/roofline.svg") && s.written.contains("charts/llama-3-8b/roofline-2.svg"))
        #expect(s.written.contains("charts/llama-3-8b/latency.svg") && s.written.contains("charts/llama-3-8b/latency-2.svg"))
        let md = try String(contentsOfFile: dir + "/index.md", encoding: .utf8)
        let names = spec.gpus.map(\.shortName)
        #expect(md.contains("Roofline of \(names[0..<4].joined(separator: ", ")) for Llama 3 8B"), "\(names)")
        #expect(md.contains("Roofline of \(names[4...].joined(separator: ", ")) for Llama 3 8B"))
        #expect(md.contains("Part 2 of 2"))
    }
}

@Suite(.serialized) struct TeachingTemplateTests {
    @Test func lectureNotesRenderWithWorkedExamplesChartsAndExercises() throws {
        let spec = try Spec.parse("""
        title: Lecture notes
        template: teaching
        edition: instructor
        formats: [pdf, md, svg]
        gpus: [a100-80gb, h100-sxm]
        models: [llama-2-13b]
        batch_sizes: [1, 8, 32, 156, 512]
        contexts: [512, 2048, 8192]
        gpus_per_replica: [1, 2]
        """, file: "teach.yaml", catalog: catalog)
        let dir = tempDir("teach")
        let s = try render(spec, into: dir, template: "teaching")
        #expect(s.pages > 20)
        #expect(try run("qpdf", ["--check", dir + "/report.pdf"]).status == 0)
        let text = try run("pdftotext", [dir + "/report.pdf", "-"]).out
        for needle in ["The roofline: compute or bandwidth?", "Example 1: The ridge point", "Ridge point of the A100-80GB = 153 FLOP/byte",
                       "Exercise 1: Batch-size crossover", "Roofline: Llama 2 13B", "Answers"] {
            #expect(text.contains(needle), "missing: \(needle)")
        }
        let md = try String(contentsOfFile: dir + "/index.md", encoding: .utf8)
        #expect(md.contains("charts/llama-2-13b/roofline.svg"))
    }

    /// The teaching template's edition comes from the spec (`render --edition`): student by
    /// default — questions and working space, no solutions, answers or errata — instructor on request.
    @Test func teachingTemplateEditions() throws {
        var spec = try Spec.parse("""
        template: teaching
        formats: [md]
        gpus: [a100-80gb, h100-sxm]
        models: [llama-2-13b]
        """, file: "teach.yaml", catalog: catalog)
        #expect(spec.edition == "student")
        let student = try ReportBuilder(spec: spec, template: try TemplateSet.load("teaching", relativeTo: nil), version: "t").build()
        let sm = MarkdownWriter.markdown(student.document)
        #expect(sm.contains("student edition") && sm.contains("Working for part 1"))
        #expect(!sm.contains("### Answers") && !sm.contains("Solution") && !sm.contains("Step 1."))
        spec.edition = "instructor"
        let instructor = try ReportBuilder(spec: spec, template: try TemplateSet.load("teaching", relativeTo: nil), version: "t").build()
        let im = MarkdownWriter.markdown(instructor.document)
        #expect(im.contains("instructor edition") && im.contains("Step 1.") && im.contains("Answers"))
        do {
            _ = try Spec.parse("edition: instrutor\n", file: "e.yaml", catalog: catalog)
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.description.contains("instructor"))
        }
    }

    /// `exercises --document lecture` carries the same charts as the teaching template.
    @Test func lectureNotesGetTheTemplatesCharts() throws {
        var spec = Spec(catalog: catalog)
        spec.gpus = [try catalog.requireGPU("a100-80gb"), try catalog.requireGPU("h100-sxm")]
        spec.models = [try catalog.requireModel("llama-2-7b")]
        let figures = try LectureCharts.figures(spec: spec, version: "t")
        for (section, kinds) in LectureCharts.sectionCharts {
            #expect((figures[section]?.count ?? 0) >= kinds.count, "\(section)")
        }
        let doc = TeachingDocuments.lectureNotes(worked: try WorkedExamples.all(catalog: catalog), sheet: nil, edition: .student, figures: figures)
        let n = doc.blocks.filter { if case .figure = $0 { return true }; return false }.count
        #expect(n == figures.values.reduce(0) { $0 + $1.count })
    }

    /// No heading is left alone at the foot of a page in the teaching documents: something of
    /// its section follows it on the same page (a note, figure or short table that moves to the
    /// next page takes its heading along).
    @Test func noStrandedHeadingsInTeachingDocuments() throws {
        let measurer = try PangoTextMeasurer()
        let sheet = try Teaching.exerciseSheet(TeachingOptions(edition: .instructor), catalog: catalog)
        let docs = [
            TeachingDocuments.sheet(sheet),
            TeachingDocuments.lectureNotes(worked: try WorkedExamples.all(catalog: catalog), sheet: sheet, edition: .instructor),
            try ErrataRegister.builtIn().document(),
        ]
        for doc in docs {
            let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
            for h in laid.headings {
                let page = laid.pages[h.page]
                guard page.role == .body else { continue }
                // Below the heading, not the running footer ("page N of M").
                let footerTop = page.texts.filter { $0.text.markup.hasPrefix("page ") }.map(\.frame.minY).min() ?? page.size.height
                func inBody(_ r: Rect) -> Bool { r.minY > h.frame.maxY + 0.5 && r.maxY < footerTop - 4 }
                let below = page.items.contains { item in
                    switch item {
                    case .text(_, let frame): return inBody(frame)
                    case .box(let r, _), .fill(let r, _): return inBody(r)
                    case .figure(let f): return inBody(f.frame)
                    default: return false
                    }
                }
                #expect(below, "\(doc.metadata.title): heading '\(h.title)' is the last thing on page \(h.page + 1)")
            }
            // A step's title ("Step 2. …") stays with its formula.
            for (n, page) in laid.pages.enumerated() where page.role == .body {
                let body = page.texts.filter { !$0.text.markup.hasPrefix("page ") }
                guard let last = body.max(by: { $0.frame.minY < $1.frame.minY }) else { continue }
                #expect(!last.text.markup.contains("<b>Step "), "\(doc.metadata.title): '\(last.text.markup)' ends page \(n + 1)")
            }
        }
    }

    @Test func unknownSectionNamesTemplateLine() throws {
        let dir = tempDir("teach-err")
        try "# Notes\n\n::: worked-examples section=rooflne\n".write(toFile: dir + "/report.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try ReportBuilder(spec: try smallSpec(), template: try TemplateSet.load(dir, relativeTo: nil), version: "t").build()
            Issue.record("expected an error")
        } catch let e as RidgepointError {
            #expect(e.description == "\(dir)/report.mustache:3: error: ::: worked-examples section=rooflne: unknown section 'rooflne'\n  help: did you mean 'roofline'?")
        }
    }
}
