import ArgumentParser
import Foundation
import Reports
import RidgepointCore
import RidgepointFormatting

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a spec into an output folder (the default command).",
        discussion: """
            Writes the report (report.pdf, pages/report-NNN.svg, index.md), every chart as SVG and PNG under charts/, \
            and the evaluated matrix as matrix.csv and matrix.json — whichever the spec's `formats` (or --format) select. \
            Unchanged inputs rewrite nothing. With no spec, renders the embedded default spec into output/.
            """)

    @Argument(help: "A spec file (YAML). Without one, the embedded default spec is used.", completion: Completions.specFile)
    var spec: String?
    @Option(name: .shortAndLong, help: "Output folder.", completion: .directory)
    var output: String = "output"
    @Option(help: "Formats to write, comma-separated (pdf, svg, png, csv, json, md); overrides the spec.")
    var format: String?
    @Option(help: "Template: procurement, wiki, teaching, or a folder; overrides the spec.", completion: Completions.templates)
    var template: String?
    @Option(help: "Edition of the teaching template: student (no solutions, the default) or instructor; overrides the spec's `edition:`.", completion: Completions.editions)
    var edition: String?
    @Option(name: .customLong("gpu"), help: "GPU ids, comma-separated: replace the spec's GPUs.", completion: Completions.gpus)
    var gpus: String?
    @Option(name: .customLong("model"), help: "Model ids or config.json paths (a downloaded snapshot folder), comma-separated: replace the spec's models.",
            completion: Completions.models)
    var models: String?
    @Option(help: "Worker threads for charts (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "No progress messages on stderr.")
    var quiet = false
    @OptionGroup var efficiencyOptions: EfficiencyOptions
    @OptionGroup var servingFlags: ServingFlags

    func run() throws {
        try reportingErrors {
            let start = Date()
            let catalog = try Catalog.builtIn()
            if let s = spec, let hint = subcommandHint(for: s) {
                throw UsageFailure(error: Messages.noSuchSpecFile(s, orSubcommand: true, help: hint))
            }
            var spec = try spec.map { try Spec.load(path: $0, catalog: catalog, validate: false) } ?? Spec.defaultSpec(catalog: catalog, validate: false)
            if let format {
                let items = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                for f in items where !Spec.allowedFormats.contains(f) {
                    throw Messages.unknown("format", f, field: "--format", among: Spec.allowedFormats)
                }
                guard !items.isEmpty else { throw Messages.missing("format", field: "--format", help: "use " + Messages.list(Spec.allowedFormats, conjunction: "and/or")) }
                spec.formats = items
            }
            if let template { spec.template = template }
            try applySelection(to: &spec)
            if let edition {
                let e = edition.lowercased()
                guard Spec.editions.contains(e) else {
                    throw Messages.unknown("edition", edition, field: "--edition", among: Spec.editions)
                }
                spec.edition = e
            }
            try efficiencyOptions.apply(to: &spec)
            try servingFlags.apply(to: &spec)
            try spec.validate()
            warnBeyondMaxContext(spec)
            guard (1...256).contains(jobs) else { throw Messages.expected("1…256 threads", got: "\(jobs)", field: "--jobs") }
            let base = self.spec.map { ($0 as NSString).deletingLastPathComponent }.flatMap { $0.isEmpty ? nil : $0 }
            let templates = try TemplateSet.load(spec.template, relativeTo: base)
            progress("ridgepoint: \(Fmt.grouped(spec.cellCount)) cells from \(spec.file), template \(templates.name)", quiet: quiet)
            let summary = try ReportRenderer.render(spec: spec, template: templates, options: RenderOptions(outputDirectory: output, jobs: jobs),
                                                    version: RidgepointVersion.string) { progress($0, quiet: quiet) }
            let secs = Date().timeIntervalSince(start)
            progress("ridgepoint: \(summary.written.isEmpty && summary.identical.isEmpty ? "wrote nothing (unchanged)" : "wrote \(summary.written.count) files"), \(summary.identical.isEmpty ? "" : "\(summary.identical.count) made again with identical bytes, ")\(summary.unchanged.count) unchanged\(summary.removed.isEmpty ? "" : ", removed \(summary.removed.count)") in \(output)/ (\(summary.charts) charts\(summary.pages > 0 ? ", \(summary.pages) pages" : "")) in \(Fmt.g(secs, 3)) s", quiet: quiet)
        }
    }

    /// `--gpu` and `--model` replace the spec's lists; a report about other models gets a title that says so.
    func applySelection(to spec: inout Spec) throws {
        if let gpus { spec.set(\.gpus, try MatrixOptions.gpus(gpus, in: spec.catalog), key: "gpus", from: "--gpu") }
        if let models {
            let chosen = try MatrixOptions.models(models, in: spec.catalog)
            for m in chosen { spec.catalog.upsert(m) }
            spec.set(\.models, chosen, key: "models", from: "--model")
            // Workloads and measurements of the spec stay; its title named other models.
            spec.title = chosen.map(\.name).joined(separator: ", ") + " — GPU comparison"
        }
    }
}
