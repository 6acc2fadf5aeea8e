import CairoBackend
import Canvas
import ChartEngine
import DocumentLayout
import Foundation
import RidgepointCharts
import RidgepointCore

/// How to render a report.
public struct RenderOptions: Sendable {
    public var outputDirectory: String
    /// Worker threads for charts (default: all cores).
    public var jobs: Int
    /// PNG resolution.
    public var dpi: Double
    public init(outputDirectory: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, dpi: Double = 150) {
        self.outputDirectory = outputDirectory; self.jobs = max(1, jobs); self.dpi = dpi
    }
}

/// What a render did.
public struct RenderSummary: Sendable {
    /// Files written (new or changed), relative to the output folder.
    public var written: [String] = []
    /// Files whose inputs did not change and were left untouched.
    public var unchanged: [String] = []
    /// Files removed because the spec no longer produces them.
    public var removed: [String] = []
    public var pages = 0
    public var charts = 0
}

/// Renders a spec into an output folder: the report (PDF, one SVG per page, Markdown index),
/// every chart as SVG and PNG, and the evaluated matrix as CSV and JSON.
///
/// Re-running with unchanged inputs rewrites nothing: every output carries a fingerprint of
/// its inputs in `.ridgepoint/manifest.tsv`, and only outputs whose fingerprint changed (or whose
/// file is missing) are produced again. Each file is written to a temporary name and renamed
/// into place, and a lock keeps two runs from writing the same folder at once.
public enum ReportRenderer {
    public static let manifestName = ".ridgepoint/manifest.tsv"

    public static func render(spec: Spec, template: TemplateSet, options: RenderOptions, version: String,
                              progress: (String) -> Void = { _ in }) throws -> RenderSummary {
        let out = try OutputDirectory(path: options.outputDirectory)
        let lock = try OutputLock(directory: options.outputDirectory)
        defer { lock.release() }
        out.removeStaleTemporaryFiles()

        let report = try ReportBuilder(spec: spec, template: template, version: version).build()
        let old = Manifest.load(options.outputDirectory + "/" + manifestName)
        var new = Manifest()
        var summary = RenderSummary()
        let formats = Set(spec.formats)

        // Charts as SVG and PNG, in parallel, skipping those whose inputs are unchanged.
        var pending: [(job: ChartJob, format: OutputFormat, file: String, fingerprint: String)] = []
        for job in report.charts {
            for f in [OutputFormat.svg, .png] where formats.contains(f.rawValue) {
                let file = job.stem + "." + f.rawValue
                let fp = Fingerprint.hex(job.fingerprint + "|\(f.rawValue)|\(options.dpi)")
                new.entries[file] = fp
                if old.entries[file] == fp && out.exists(file) { summary.unchanged.append(file) } else { pending.append((job, f, file, fp)) }
            }
        }
        summary.charts = report.charts.count
        if !pending.isEmpty {
            progress("ridgepoint: rendering \(pending.count) chart files on \(min(options.jobs, pending.count)) threads")
            let results = try renderCharts(pending.map { ($0.job, $0.format, $0.file) }, dpi: options.dpi, jobs: options.jobs, out: out)
            summary.written += results
        }

        // Data files.
        let dataFP = Fingerprint.hex(version + "|" + SpecFingerprint.text(spec))
        for (name, fmt) in [("matrix.csv", "csv"), ("matrix.json", "json")] where formats.contains(fmt) {
            new.entries[name] = dataFP
            if old.entries[name] == dataFP && out.exists(name) { summary.unchanged.append(name); continue }
            progress("ridgepoint: writing \(name)")
            let sweep = Sweep(spec: spec)
            let text = fmt == "csv" ? EvalWriter.csv(sweep) : EvalWriter.json(sweep)
            if try out.write(name, text) { summary.written.append(name) } else { summary.unchanged.append(name) }
        }

        // The document: PDF, pages as SVG, Markdown index.
        let docFP = Fingerprint.hex([version, report.templateText, spec.pageSize, SpecFingerprint.text(spec),
                                     report.charts.map(\.fingerprint).joined(separator: "\u{1}")].joined(separator: "\u{2}"))
        var docOutputs: [String] = []
        if formats.contains("pdf") { docOutputs.append("report.pdf") }
        if formats.contains("md") { docOutputs.append("index.md") }
        let docChanged = docOutputs.contains { old.entries[$0] != docFP || !out.exists($0) }
            || (formats.contains("svg") && old.entries["pages"] != docFP)
        if docChanged && (formats.contains("pdf") || formats.contains("svg") || formats.contains("md")) {
            progress("ridgepoint: laying out the report")
            let measurer = try PangoTextMeasurer()
            if formats.contains("md") {
                if try out.write("index.md", MarkdownWriter.markdown(report.document)) { summary.written.append("index.md") } else { summary.unchanged.append("index.md") }
            }
            if formats.contains("pdf") || formats.contains("svg") {
                let laid = try DocumentLayoutEngine.layout(report.document, measurer: measurer)
                summary.pages = laid.pageCount
                if formats.contains("pdf") {
                    let first = laid.pages.first?.size ?? report.document.pageSize
                    let canvas = try CairoCanvas(format: .pdf, size: first, metadata: report.document.metadata, measurer: measurer)
                    try laid.draw(on: canvas, labelPage: { canvas.setPageLabel($0) })
                    if try out.write("report.pdf", Data(try canvas.finish())) { summary.written.append("report.pdf") } else { summary.unchanged.append("report.pdf") }
                }
                if formats.contains("svg") {
                    var pageFiles: [String] = []
                    for i in 0..<laid.pageCount {
                        let name = String(format: "pages/report-%03d.svg", i + 1)
                        let bytes = try CairoCanvas.render(format: .svg, size: laid.pages[i].size, measurer: measurer) { try laid.drawPage(i, on: $0) }
                        if try out.write(name, Data(bytes)) { summary.written.append(name) } else { summary.unchanged.append(name) }
                        pageFiles.append(name)
                        new.entries[name] = docFP
                    }
                    new.entries["pages"] = docFP
                }
            }
        } else {
            summary.unchanged += docOutputs
            for (k, v) in old.entries where k.hasPrefix("pages/") && formats.contains("svg") { new.entries[k] = v; summary.unchanged.append(k) }
            if formats.contains("svg") { new.entries["pages"] = docFP }
        }
        for name in docOutputs { new.entries[name] = docFP }

        // Remove outputs an earlier run made that this spec no longer produces.
        for file in old.entries.keys.sorted() where new.entries[file] == nil && file != "pages" {
            if out.remove(file) { summary.removed.append(file) }
        }
        try out.write(manifestName, new.text)
        summary.written.sort(); summary.unchanged.sort()
        return summary
    }

    /// Renders chart files on `jobs` threads, each with its own Pango font map; returns the
    /// files actually (re)written. The first error stops the run.
    static func renderCharts(_ work: [(ChartJob, OutputFormat, String)], dpi: Double, jobs: Int, out: OutputDirectory) throws -> [String] {
        let collector = ResultCollector()
        let workers = min(jobs, work.count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                let measurer = try PangoTextMeasurer()
                var i = w
                while i < work.count {
                    if collector.failed { return }
                    let (job, format, file) = work[i]
                    let built = try ChartLayout.build(job.spec, size: job.size, measurer: measurer)
                    let bytes = try CairoCanvas.render(format: format, size: job.size, dpi: dpi,
                                                       metadata: DocumentMetadata(title: job.stem), measurer: measurer) { try built.draw(on: $0) }
                    if try out.write(file, Data(bytes)) { collector.add(file) }
                    i += workers
                }
            } catch {
                collector.fail(error)
            }
        }
        if let e = collector.error {
            if let r = e as? RidgepointError { throw r }
            throw RidgepointError(message: "cannot render a chart: \(e)")
        }
        return collector.files.sorted()
    }
}

/// Thread-safe collection of results from the chart workers.
final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var _files: [String] = []
    private var _error: Error?
    func add(_ f: String) { lock.lock(); _files.append(f); lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if _error == nil { _error = e }; lock.unlock() }
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return _error != nil }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return _error }
    var files: [String] { lock.lock(); defer { lock.unlock() }; return _files }
}

/// `file<TAB>fingerprint` lines, sorted.
struct Manifest {
    var entries: [String: String] = [:]
    static func load(_ path: String) -> Manifest {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return Manifest() }
        var m = Manifest()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if parts.count == 2 { m.entries[parts[0]] = parts[1] }
        }
        return m
    }
    var text: String { entries.keys.sorted().map { "\($0)\t\(entries[$0] ?? "")" }.joined(separator: "\n") + "\n" }
}

/// A canonical text of everything in a spec that outputs depend on (no dictionaries, whose
/// order varies between processes).
enum SpecFingerprint {
    static func gpu(_ g: GPU) -> String {
        let peaks = g.peaks.keys.sorted().map { "\($0.rawValue)=\(g.peaks[$0].map { "\($0.dense)/\($0.sparse ?? 0)" } ?? "")" }.joined(separator: ",")
        let sources = g.sources.keys.sorted().map { "\($0)=\(g.sources[$0] ?? "")" }.joined(separator: ",")
        return [g.id, g.name, g.vendor, g.architecture, "\(g.year ?? 0)", g.formFactor, g.memoryType, "\(g.memoryBytes)", "\(g.bandwidth)",
                g.interconnect, "\(g.interconnectBandwidth)", "\(g.tdpWatts ?? 0)", peaks, "\(g.price)", sources, g.notes, g.origin].joined(separator: "|")
    }
    static func text(_ s: Spec) -> String {
        var parts = [s.title, s.template, s.formats.joined(separator: ","), s.batchSizes.map(String.init).joined(separator: ","),
                     s.contexts.map(String.init).joined(separator: ","), s.phases.map(\.rawValue).joined(separator: ","),
                     s.weights.rawValue, s.kv.rawValue, s.gpusPerReplica.map(String.init).joined(separator: ","), "\(s.slo)",
                     "\(s.efficiency)", "\(s.convention)", "\(s.memoryReserve)", "\(s.meanSequenceTokens)", s.pageSize]
        parts += s.gpus.map(gpu)
        parts += s.models.map { "\($0)" }
        return parts.joined(separator: "\n")
    }
}
