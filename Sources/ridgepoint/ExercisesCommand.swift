import ArgumentParser
import CairoBackend
import Canvas
import DocumentLayout
import Foundation
import RidgepointFormatting
import Reports
import RidgepointCore
import RidgepointOutput
import Teaching

/// `ridgepoint exercises`: exercise sheets (seed 003's five families) and lecture notes with
/// worked examples, for any GPU pair and model, as JSON, Markdown, PDF or SVG.
struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "Exercise sheets with worked solutions (student or instructor edition, numbered variants).",
        discussion: """
            Variant 0 is seed 003's own instance; --variant N (N ≥ 1) draws GPUs, model, prices and batch \
            sizes deterministically from the catalog. --gpu is GPU A, --compare-gpu GPU B, --model the model. \
            json and md go to stdout unless -o is given; pdf and svg need -o (svg writes FILE-1.svg, FILE-2.svg, …). \
            --document lecture writes lecture notes: explanations and worked examples, then the exercises. \
            --document errata writes the errata register: every wrong statement in the five seed articles, \
            quoted verbatim with its location, the printed value, the article's own method redone, the \
            correct value and why. \
            With a spec, its first two GPUs, first model, convention, prices and custom entries are used \
            unless --gpu, --compare-gpu, --model or --convention say otherwise.
            """)

    @Argument(help: "A spec file (YAML) whose GPUs, model, convention, prices and custom entries the sheet uses.", completion: Completions.specFile)
    var spec: String?

    @Option(name: .customLong("gpu"), help: "GPU A (catalog id or alias).", completion: Completions.gpus)
    var gpu: String?
    @Option(name: .customLong("compare-gpu"), help: "GPU B (catalog id or alias).", completion: Completions.gpus)
    var compareGPU: String?
    @Option(help: "Model (catalog id, alias or config.json path).", completion: Completions.models)
    var model: String?
    @Option(help: "Variant number: 0 is the seed's own instance.")
    var variant: Int = 0
    @Option(help: "student (the default: questions and data, no answers) or instructor (with the solutions).", completion: Completions.editions)
    var edition: String = "student"
    @Option(help: "physical (default, or the spec's), textbook, seed-002 or seed-003.", completion: Completions.conventions)
    var convention: String?
    @Option(help: "json, md, pdf or svg.", completion: .list(["json", "md", "pdf", "svg"]))
    var format: String = "json"
    @Option(help: "exercises (the sheet), lecture (lecture notes with worked examples and the exercises) or errata (the errata register of the seed articles).", completion: .list(["exercises", "lecture", "errata"]))
    var document: String = "exercises"
    @Option(help: "Where the instructor edition prints the sources' errata: boxes (after each solution, the default), appendix (gathered at the end) or none.", completion: .list(["boxes", "appendix", "none"]))
    var errata: String = "boxes"
    @Option(name: .customLong("page-size"), help: "a4 or letter.", completion: .list(["a4", "letter"]))
    var pageSize: String = "a4"
    @Option(name: .shortAndLong, help: "Output file (required for pdf and svg).")
    var output: String?

    func run() throws {
        try reportingErrors {
            let specFile = try spec.map { try Spec.load(path: $0, catalog: Catalog.builtIn()) }
            let options = try resolveOptions(specFile)
            let fmt = format.lowercased()
            let formats = ["json", "md", "pdf", "svg"]
            guard formats.contains(fmt) else {
                throw Messages.unknown("format", format, field: "--format", among: formats)
            }
            let kinds = ["exercises", "lecture", "errata"]
            guard kinds.contains(document.lowercased()) else {
                throw Messages.unknown("document", document, field: "--document", among: kinds)
            }
            guard let placement = ErrataPlacement(rawValue: errata.lowercased()) else {
                throw Messages.unknown("errata placement", errata, field: "--errata", among: ErrataPlacement.allCases.map(\.rawValue))
            }
            let size: Size
            switch pageSize.lowercased() {
            case "a4": size = .a4
            case "letter": size = .letter
            default: throw Messages.unknown("page size", pageSize, field: "--page-size", among: ["a4", "letter"])
            }
            if (fmt == "pdf" || fmt == "svg") && output == nil {
                throw Messages.needs("\(fmt) output", "a file", field: "-o", help: "e.g. -o exercises.\(fmt)")
            }
            let catalog = try specFile.map(\.catalog) ?? Catalog.builtIn()
            if document.lowercased() == "errata" {
                // The register is about the seeds' own statements: GPUs, models and conventions
                // chosen for a sheet do not change it.
                let register = try ErrataRegister.builtIn()
                switch fmt {
                case "json": try write(Data(register.jsonText.utf8))
                case "md": try write(Data(MarkdownWriter.markdown(register.document(pageSize: size)).utf8))
                default:
                    if let output { try DocumentRendering.write(register.document(pageSize: size), format: fmt == "pdf" ? .pdf : .svg, to: output) }
                }
                return
            }
            var sheet = try Teaching.exerciseSheet(options, catalog: catalog)
            let lecture = document.lowercased() == "lecture"
            // The sheet's GPUs and model, resolved once for the worked examples and the charts.
            let instance = lecture ? try ExerciseInstance.make(options, catalog: catalog) : nil
            var worked = lecture
                ? try WorkedExamples.all(workedOptions(options, instance), catalog: catalog)
                    .map { $0.forEdition(options.edition) }
                : []
            if placement == .none {
                for i in sheet.exercises.indices { sheet.exercises[i].errata = [] }
                for i in worked.indices { worked[i].errata = [] }
            }
            // Lecture notes carry the teaching template's charts (PDF and SVG; Markdown when it is
            // written to a file, with the chart SVGs beside it).
            let charts = lecture && (fmt == "pdf" || fmt == "svg" || (fmt == "md" && output != nil))
            let figures = charts ? try LectureCharts.figures(spec: chartSpec(specFile, options, instance, catalog: catalog), version: RidgepointVersion.string) : [:]
            switch fmt {
            case "json":
                var text = sheet.jsonText
                if lecture {
                    text = JSONValue.object([
                        ("title", .string("Memory-bound inference: lecture notes")), ("variant", .number(Double(sheet.variant))),
                        ("edition", .string(options.edition.rawValue)), ("convention", .string(options.convention.name)),
                        ("worked_examples", .array(worked.map(\.json))),
                        ("exercises", .array(sheet.exercises.map(\.json))),
                        ("errata", .array(Teaching.distinctErrata(worked + sheet.exercises).map(\.json))),
                    ]).rendered() + "\n"
                }
                try write(Data(text.utf8))
            case "md":
                let doc = lecture ? TeachingDocuments.lectureNotes(worked: worked, sheet: sheet, edition: options.edition, pageSize: size,
                                                                   errata: placement, figures: figures)
                                  : TeachingDocuments.sheet(sheet, pageSize: size, errata: placement)
                if let output { try DocumentRendering.writeFigures(doc, besides: output) }
                try write(Data(MarkdownWriter.markdown(doc).utf8))
            default:
                guard let output else { return }
                let doc = lecture ? TeachingDocuments.lectureNotes(worked: worked, sheet: sheet, edition: options.edition, pageSize: size,
                                                                   errata: placement, figures: figures)
                                  : TeachingDocuments.sheet(sheet, pageSize: size, errata: placement)
                try DocumentRendering.write(doc, format: fmt == "pdf" ? .pdf : .svg, to: output)
            }
        }
    }

    /// The sheet's options: the flags, else the spec `s` (if given), else the defaults.
    func resolveOptions(_ s: Spec?) throws -> TeachingOptions {
        guard variant >= 0 else {
            throw Messages.expected("a variant number ≥ 0", got: "\(variant)", field: "--variant")
        }
        guard let ed = Edition(rawValue: edition.lowercased()) else {
            throw Messages.unknown("edition", edition, field: "--edition", among: Edition.allCases.map(\.rawValue))
        }
        var conv = s?.convention ?? .physical
        if let convention {
            guard let c = Convention.named(convention) else {
                throw Messages.unknown("convention", convention, field: "--convention", among: Convention.all.map(\.name))
            }
            conv = c
        }
        let gpus = s?.gpus.map(\.id) ?? []
        return TeachingOptions(variant: variant, gpuA: gpu ?? gpus.first, gpuB: compareGPU ?? (gpus.count > 1 ? gpus[1] : nil),
                               model: model ?? s?.models.first?.id, convention: conv, edition: ed)
    }

    /// The worked examples follow the sheet: its GPU A and model when chosen, or drawn by `--variant N`.
    func workedOptions(_ o: TeachingOptions, _ instance: ExerciseInstance?) -> WorkedOptions {
        guard o.variant > 0, o.gpuA == nil || o.model == nil, let inst = instance else {
            return WorkedOptions(gpu: o.gpuA, model: o.model, convention: o.convention)
        }
        return WorkedOptions(gpu: o.gpuA ?? inst.ex1A.id, model: o.model ?? inst.model.id, convention: o.convention)
    }

    /// The spec the lecture notes' charts are drawn for: the given spec, else the sheet's GPUs
    /// (their catalog entries) and model.
    func chartSpec(_ s: Spec?, _ o: TeachingOptions, _ instance: ExerciseInstance?, catalog: Catalog) -> Spec {
        if var s {
            s.convention = o.convention
            return s
        }
        guard let inst = instance else { return Spec(catalog: catalog) }
        func base(_ g: GPU) -> GPU {
            guard let r = g.id.range(of: "-seed", options: .backwards) else { return g }
            return catalog.gpu(String(g.id[..<r.lowerBound])) ?? g
        }
        var gpus: [GPU] = []
        for g in [inst.ex1A, inst.ex1B, inst.ex5A, inst.ex5B].map(base) where !gpus.contains(where: { $0.id == g.id }) { gpus.append(g) }
        var spec = Spec(catalog: catalog)
        spec.gpus = gpus
        spec.models = [catalog.model(inst.model.id) ?? inst.model]
        spec.convention = o.convention
        return spec
    }

    func write(_ data: Data) throws {
        if let output { try OutputDirectory.writeAtomically(data, to: output) } else { try data.withUnsafeBytes { try emitBytes($0) } }
    }
}

/// Lays out a document with Pango and writes it as one PDF or one SVG per page.
enum DocumentRendering {
    /// Writes each figure of `doc` that names a file as SVG in the folder of `path` (for Markdown).
    static func writeFigures(_ doc: Document, besides path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let measurer = try PangoTextMeasurer()
        var files: [(String, [UInt8])] = []
        for case .figure(let f) in doc.blocks {
            guard let name = f.file else { continue }
            let bytes = try CairoCanvas.render(format: .svg, size: f.size, metadata: doc.metadata, measurer: measurer) { canvas in try f.draw(canvas) }
            files.append(((dir.isEmpty ? "" : dir + "/") + name, bytes))
        }
        for (name, bytes) in files {
            // Figures name files in subfolders (charts/<model>/…): make them first.
            let folder = (name as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                    throw Messages.cannotCreateFolder(folder, (error as NSError).localizedDescription)
                }
            }
            try OutputDirectory.writeAtomically(Data(bytes), to: name)
        }
    }

    static func write(_ doc: Document, format: OutputFormat, to path: String) throws {
        do {
            let measurer = try PangoTextMeasurer()
            let laid = try DocumentLayoutEngine.layout(doc, measurer: measurer)
            switch format {
            case .svg:
                let base = path.hasSuffix(".svg") ? String(path.dropLast(4)) : path
                var files: [(String, [UInt8])] = []
                for (i, page) in laid.pages.enumerated() {
                    let bytes = try CairoCanvas.render(format: .svg, size: page.size, metadata: doc.metadata, measurer: measurer) { canvas in
                        try laid.drawPage(i, on: canvas)
                    }
                    files.append(("\(base)-\(i + 1).svg", bytes))
                }
                // Render every page first, then write: nothing is written if a page fails.
                for (name, bytes) in files { try OutputDirectory.writeAtomically(Data(bytes), to: name) }
            default:
                let bytes = try CairoCanvas.render(format: .pdf, size: doc.pageSize, metadata: doc.metadata, measurer: measurer) { canvas in
                    try laid.draw(on: canvas, labelPage: { canvas.setPageLabel($0) })
                }
                try OutputDirectory.writeAtomically(Data(bytes), to: path)
            }
        } catch let e as RidgepointError {
            throw e
        } catch {
            throw Messages.cannotRender("the document", error, file: path)
        }
    }
}
