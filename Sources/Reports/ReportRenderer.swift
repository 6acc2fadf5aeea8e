import CairoBackend
import Canvas
import ChartEngine
import DocumentLayout
import Foundation
import RidgepointCharts
import RidgepointCore
import RidgepointFormatting
import RidgepointOutput

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
        // What every output depends on besides its own inputs: the program and catalog versions.
        let inputsFP = Fingerprint.hex(version + "|" + Catalog.resourceFingerprint)

        // Charts as SVG and PNG, in parallel, skipping those whose inputs are unchanged.
        var pending: [(job: ChartJob, files: [(OutputFormat, String)])] = []
        for job in report.charts {
            var todo: [(OutputFormat, String)] = []
            for f in [OutputFormat.svg, .png] where formats.contains(f.rawValue) {
                let file = job.stem + "." + f.rawValue
                let fp = Fingerprint.hex(inputsFP + "|" + job.fingerprint + "|\(f.rawValue)|\(options.dpi)")
                new.entries[file] = fp
                if old.entries[file] == fp && out.exists(file) { summary.unchanged.append(file) } else { todo.append((f, file)) }
            }
            if !todo.isEmpty { pending.append((job, todo)) }
        }
        summary.charts = report.charts.count

        // Data files: which need writing.
        let dataFP = Fingerprint.hex(inputsFP + "|" + SpecFingerprint.text(spec))
        var dataWork: [(name: String, csv: Bool)] = []
        for (name, fmt) in [("matrix.csv", "csv"), ("matrix.json", "json")] where formats.contains(fmt) {
            new.entries[name] = dataFP
            if old.entries[name] == dataFP && out.exists(name) { summary.unchanged.append(name) } else { dataWork.append((name, fmt == "csv")) }
        }

        // The document: PDF, pages as SVG, Markdown index.
        let docFP = Fingerprint.hex([inputsFP, report.templateText, spec.pageSize, SpecFingerprint.text(spec),
                                     report.charts.map(\.fingerprint).joined(separator: "\u{1}")].joined(separator: "\u{2}"))
        var docOutputs: [String] = []
        if formats.contains("pdf") { docOutputs.append("report.pdf") }
        if formats.contains("md") { docOutputs.append("index.md") }
        let docChanged = docOutputs.contains { old.entries[$0] != docFP || !out.exists($0) }
            || (formats.contains("pages") && old.entries["pages"] != docFP)
        let docWork = docChanged && !(docOutputs.isEmpty && !formats.contains("pages"))
        if !docWork {
            summary.unchanged += docOutputs
            for (k, v) in old.entries where k.hasPrefix("pages/") && formats.contains("pages") { new.entries[k] = v; summary.unchanged.append(k) }
        }
        if formats.contains("pages") { new.entries["pages"] = docFP }

        // Three lanes at once — the document, the data files, and chart workers pulling from a
        // shared queue — so that every core stays busy until the last file is written.
        let shared = SharedProgress()
        let chartWork = pending, dataJobs = dataWork
        let chartCount = pending.reduce(0) { $0 + $1.files.count }
        if chartCount > 0 { progress("ridgepoint: rendering \(chartCount) chart files on \(options.jobs) threads") }
        if docWork { progress("ridgepoint: laying out the report") }
        if !dataWork.isEmpty { progress("ridgepoint: writing \(dataWork.map(\.name).joined(separator: ", "))") }
        let lanes = (docWork ? 1 : 0) + (dataWork.isEmpty ? 0 : 1) + (pending.isEmpty ? 0 : options.jobs)
        let laneKinds: [Lane] = (docWork ? [.document] : []) + (dataWork.isEmpty ? [] : [.data]) + Array(repeating: .charts, count: pending.isEmpty ? 0 : options.jobs)
        let trace = ProcessInfo.processInfo.environment["RIDGEPOINT_TRACE"] != nil
        let t0 = Date()
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            if trace { FileHandle.standardError.write(Data("trace: lane \(lane) \(laneKinds[lane]) starts at \(Date().timeIntervalSince(t0))\n".utf8)) }
            defer { if trace { FileHandle.standardError.write(Data("trace: lane \(lane) ends at \(Date().timeIntervalSince(t0))\n".utf8)) } }
            do {
                switch laneKinds[lane] {
                case .document:
                    let files = try renderDocument(report, formats: formats, out: out, shared: shared)
                    for (name, changed) in files { shared.record(name, written: changed) }
                case .data:
                    let sweep = Sweep(spec: spec)
                    for (name, csv) in dataJobs {
                        if shared.failed { return }
                        let changed = try out.writeStreaming(name) { emit in
                            if csv { try EvalWriter.writeCSVBytes(sweep, to: emit) } else { try EvalWriter.writeJSONBytes(sweep, to: emit) }
                        }
                        shared.record(name, written: changed)
                    }
                case .charts:
                    let measurer = try PangoTextMeasurer()
                    while let i = shared.nextChart(below: chartWork.count) {
                        let (job, files) = chartWork[i]
                        // One layout per chart, drawn into every requested format.
                        let built = try ChartLayout.build(job.spec, size: job.size, measurer: measurer)
                        for (format, file) in files {
                            let bytes = try CairoCanvas.render(format: format, size: job.size, dpi: options.dpi,
                                                               metadata: DocumentMetadata(title: job.stem), measurer: measurer) { try built.draw(on: $0) }
                            shared.record(file, written: try out.write(file, Data(bytes)))
                        }
                    }
                }
            } catch {
                shared.fail(error)
            }
        }
        if let e = shared.error {
            if let r = e as? RidgepointError { throw r }
            throw RidgepointError(message: "cannot render the report: \(e)")
        }
        summary.written += shared.written
        summary.unchanged += shared.unchanged
        summary.pages = shared.pages
        for name in shared.pageFiles { new.entries[name] = docFP }
        for name in docOutputs { new.entries[name] = docFP }

        // Record the new outputs first, then remove what an earlier run made that this spec no
        // longer produces: at every moment each file the manifest lists exists and is complete.
        try out.write(manifestName, new.text)
        for file in old.entries.keys.sorted() where new.entries[file] == nil && file != "pages" {
            if out.remove(file) { summary.removed.append(file) }
        }
        summary.written.sort(); summary.unchanged.sort()
        return summary
    }

    enum Lane { case document, data, charts }

    /// Lays out the document and writes the PDF, the page SVGs and the Markdown index; returns
    /// each file and whether it was rewritten.
    static func renderDocument(_ report: BuiltReport, formats: Set<String>, out: OutputDirectory,
                               shared: SharedProgress) throws -> [(String, Bool)] {
        var files: [(String, Bool)] = []
        if formats.contains("md") { files.append(("index.md", try out.write("index.md", MarkdownWriter.markdown(report.document)))) }
        guard formats.contains("pdf") || formats.contains("pages") else { return files }
        let measurer = try PangoTextMeasurer()
        let laid = try DocumentLayoutEngine.layout(report.document, measurer: measurer)
        shared.setPages(laid.pageCount)
        if formats.contains("pdf") {
            let first = laid.pages.first?.size ?? report.document.pageSize
            let canvas = try CairoCanvas(format: .pdf, size: first, metadata: report.document.metadata, measurer: measurer)
            try laid.draw(on: canvas, labelPage: { canvas.setPageLabel($0) })
            files.append(("report.pdf", try out.write("report.pdf", Data(try canvas.finish()))))
        }
        if formats.contains("pages") {
            for i in 0..<laid.pageCount {
                if shared.failed { break }
                let name = String(format: "pages/report-%03d.svg", i + 1)
                let bytes = try CairoCanvas.render(format: .svg, size: laid.pages[i].size, measurer: measurer) { try laid.drawPage(i, on: $0) }
                files.append((name, try out.write(name, Data(bytes))))
                shared.addPageFile(name)
            }
        }
        return files
    }
}

/// State shared by the render lanes, behind a lock: the chart queue, results and the first error.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var _written: [String] = [], _unchanged: [String] = [], _pageFiles: [String] = []
    private var _pages = 0
    private var _error: Error?
    func nextChart(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard _error == nil, next < count else { return nil }
        next += 1
        return next - 1
    }
    func record(_ f: String, written: Bool) { lock.lock(); if written { _written.append(f) } else { _unchanged.append(f) }; lock.unlock() }
    func addPageFile(_ f: String) { lock.lock(); _pageFiles.append(f); lock.unlock() }
    func setPages(_ n: Int) { lock.lock(); _pages = n; lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if _error == nil { _error = e }; lock.unlock() }
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return _error != nil }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return _error }
    var written: [String] { lock.lock(); defer { lock.unlock() }; return _written }
    var unchanged: [String] { lock.lock(); defer { lock.unlock() }; return _unchanged }
    var pageFiles: [String] { lock.lock(); defer { lock.unlock() }; return _pageFiles }
    var pages: Int { lock.lock(); defer { lock.unlock() }; return _pages }
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
    static func efficiency(_ e: Efficiency?) -> String {
        guard let e else { return "-" }
        return [e.name, "\(e.compute)", "\(e.memory)", "\(e.interconnect)", "\(e.overhead)", e.source, e.overheadSource].joined(separator: "/")
    }
    static func gpu(_ g: GPU) -> String {
        let peaks = g.peaks.keys.sorted().map { "\($0.rawValue)=\(g.peaks[$0].map { "\($0.dense)/\($0.sparse ?? 0)" } ?? "")" }.joined(separator: ",")
        let sources = g.sources.keys.sorted().map { "\($0)=\(g.sources[$0] ?? "")" }.joined(separator: ",")
        let l = g.links
        let links = [l.name, "\(l.bandwidth)", "\(l.allReduceLatency)", "\(l.domain)", "\(l.scaleOutBandwidth)", "\(l.scaleOutLatency)"].joined(separator: "/")
        return [g.id, g.name, g.shortNameOverride, g.vendor, g.architecture, "\(g.year ?? 0)", g.formFactor, g.memoryType, "\(g.memoryBytes)",
                "\(g.reportedMemoryBytes ?? 0)", "\(g.bandwidth)", links, "\(g.tdpWatts ?? 0)", peaks,
                "\(g.price.usdPerHour)/\(g.price.asOf)/\(g.price.source)", efficiency(g.calibration), efficiency(g.efficiencyOverride),
                sources, g.notes, g.origin].joined(separator: "|")
    }
    static func convention(_ c: Convention) -> String {
        let bw = c.bandwidthOverrides.keys.sorted().map { "\($0)=\(c.bandwidthOverrides[$0] ?? 0)" }.joined(separator: ",")
        return [c.name, "\(c.weightReadFactor)", c.sparsePeakArchitectures.joined(separator: ","), c.memoryStreams.rawValue,
                "\(c.attentionFlops)", "\(c.refinements)", bw].joined(separator: "/")
    }
    static func policy(_ p: EfficiencyPolicy) -> String {
        switch p {
        case .ideal: return "ideal"
        case .calibrated: return "calibrated"
        case .custom(let e): return "custom:" + efficiency(e)
        }
    }
    static func workload(_ w: Workload) -> String {
        [w.name, "\(w.inputTokens)", "\(w.outputTokens)", "\(w.slo.tpotMs ?? -1)", "\(w.slo.ttftMs ?? -1)", "\(w.requestsPerSecond ?? -1)", w.origin]
            .joined(separator: "/")
    }
    /// A canonical text of everything in a spec that outputs depend on (no dictionaries, whose
    /// order varies between processes).
    static func text(_ s: Spec) -> String {
        var parts = [s.title, s.template, s.formats.joined(separator: ","), s.batchSizes.map(String.init).joined(separator: ","),
                     s.contexts.map(String.init).joined(separator: ","), s.phases.map(\.rawValue).joined(separator: ","),
                     s.weights.rawValue, "\(s.groupSize ?? 0)", s.embeddings?.rawValue ?? "-", s.kv.rawValue,
                     s.gpusPerReplica.map(String.init).joined(separator: ","), "\(s.slo.tpotMs ?? -1)/\(s.slo.ttftMs ?? -1)",
                     policy(s.efficiency), convention(s.convention), "\(s.memoryReserve)", "\(s.meanSequenceTokens)", s.pageSize,
                     "\(s.serving.prefillChunkTokens)", s.workloads.map(workload).joined(separator: ";")]
        parts += s.gpus.map(gpu)
        parts += s.models.map { "\($0)" }
        return parts.joined(separator: "\n")
    }
}
