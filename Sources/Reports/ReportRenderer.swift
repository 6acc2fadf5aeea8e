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
    /// Files made again (their inputs or the program changed) whose bytes came out identical:
    /// left untouched on disk, recorded with the new fingerprint.
    public var identical: [String] = []
    /// Files removed because the spec no longer produces them.
    public var removed: [String] = []
    public var pages = 0
    public var charts = 0
}

/// Renders a spec into an output folder: the report (PDF, one SVG per page, Markdown index),
/// every chart as SVG and PNG, and the evaluated matrix as CSV and JSON.
///
/// Publication protocol (what a nightly job can rely on):
/// - Every output carries a fingerprint of its inputs, of the running executable (which embeds
///   the catalogs and templates) and of the drawing libraries and fonts; an output is left alone
///   only when that fingerprint is unchanged *and* the file on disk still holds what the manifest
///   recorded (size and time, or content fingerprint) — a missing, truncated or edited file is
///   made again.
/// - Before writing, the manifest is rewritten with every file about to be written marked
///   `pending`; then files are written (each to a temporary name and renamed into place), files
///   the spec no longer produces are removed, and the final manifest is written last (fsync'd).
///   A run killed at any moment leaves complete files and a manifest that makes the next run
///   finish the job; a run with nothing to change rewrites nothing, not even the manifest.
/// - Clean-up removes only regular files with Ridgepoint's own names (`OutputNames`) that a
///   manifest lists, never folders, links or `.ridgepoint/`.
/// - A lock (`.ridgepoint/lock`) keeps two runs out of one folder; the folder and the lock are
///   created only after the report was built, so a template error creates nothing.
public enum ReportRenderer {
    public static let manifestName = OutputManifest.path

    /// Everything every output depends on: the program, the libraries and the fonts.
    public static func environmentFingerprint(version: String) -> String {
        Fingerprint.hex([version, BuildIdentity.executableFingerprint, PangoTextMeasurer.environmentFingerprint].joined(separator: "|"))
    }

    public static func render(spec: Spec, template: TemplateSet, options: RenderOptions, version: String,
                              progress: (String) -> Void = { _ in }) throws -> RenderSummary {
        let formats = Set(spec.formats)
        let drawing = !formats.isDisjoint(with: ["pdf", "md", "pages", "svg", "png"])
        // Build first: a template or directive error stops the run before anything is created.
        let report: BuiltReport? = drawing ? try ReportBuilder(spec: spec, template: template, version: version).build() : nil
        let env = environmentFingerprint(version: version)

        let out = try OutputDirectory(path: options.outputDirectory)
        let lock = try OutputLock(directory: options.outputDirectory)
        defer { lock.release() }
        out.removeStaleTemporaryFiles()
        let old = OutputManifest.load(out)
        var summary = RenderSummary()

        // The plan: every output file and the fingerprint of its inputs.
        var plan: [String: String] = [:]
        var chartFiles: [(job: ChartJob, files: [(OutputFormat, String)])] = []
        for job in report?.charts ?? [] {
            var files: [(OutputFormat, String)] = []
            for f in [OutputFormat.svg, .png] where formats.contains(f.rawValue) {
                let file = job.stem + "." + f.rawValue
                plan[file] = Fingerprint.hex(env + "|" + job.fingerprint + "|\(f.rawValue)|\(options.dpi)")
                files.append((f, file))
            }
            if !files.isEmpty { chartFiles.append((job, files)) }
        }
        summary.charts = report?.charts.count ?? 0
        let specText = SpecFingerprint.text(spec)
        let dataFP = Fingerprint.hex(env + "|data|" + specText)
        var dataFiles: [(name: String, csv: Bool)] = []
        for (name, fmt) in [("matrix.csv", "csv"), ("matrix.json", "json")] where formats.contains(fmt) {
            plan[name] = dataFP
            dataFiles.append((name, fmt == "csv"))
        }
        var docFP = ""
        var docFiles: [String] = []
        if let report {
            docFP = Fingerprint.hex([env, report.templateText, spec.pageSize, specText,
                                     report.charts.map(\.fingerprint).joined(separator: "\u{1}"), formats.sorted().joined(separator: ",")]
                .joined(separator: "\u{2}"))
            if formats.contains("pdf") { docFiles.append("report.pdf") }
            if formats.contains("md") { docFiles.append("index.md") }
            for f in docFiles { plan[f] = docFP }
        }
        // Pages: their number is known after layout; the old ones stand if the document does.
        let oldPages = old.entries.keys.filter { $0.hasPrefix("pages/") }.sorted()
        let pagesCurrent = formats.contains("pages") && !old.pagesPending && !oldPages.isEmpty
            && oldPages.allSatisfy { old.inputs($0) == docFP && verified(out, old, $0) }

        // What must be written: a different fingerprint, or a file that no longer holds its bytes.
        func current(_ file: String) -> Bool { old.inputs(file) == plan[file] && verified(out, old, file) }
        let chartWork = chartFiles.compactMap { entry -> (job: ChartJob, files: [(OutputFormat, String)])? in
            let todo = entry.files.filter { !current($0.1) }
            return todo.isEmpty ? nil : (entry.job, todo)
        }
        let dataWork = dataFiles.filter { !current($0.name) }
        let docWork = report != nil && (docFiles.contains { !current($0) } || (formats.contains("pages") && !pagesCurrent))
        let willWrite = Set(chartWork.flatMap { $0.files.map(\.1) } + dataWork.map(\.name) + (docWork ? docFiles : []))
        // What the spec no longer produces: listed files outside the plan, and pages an
        // unfinished run may have left.
        var keep = Set(plan.keys)
        if formats.contains("pages") && !docWork { keep.formUnion(oldPages) }
        var obsolete = Set(old.entries.keys.filter { !keep.contains($0) })
        if old.pagesPending && !docWork { obsolete.formUnion(out.existingPages().filter { !keep.contains($0) }) }

        // Unchanged outputs keep the stamps the manifest had.
        var final = OutputManifest()
        for (file, fp) in plan where !willWrite.contains(file) {
            if case .done(_, let stamp)? = old.entries[file] { final.entries[file] = .done(inputs: fp, stamp: stamp) }
            summary.unchanged.append(file)
        }
        if formats.contains("pages") && !docWork {
            for p in oldPages { final.entries[p] = old.entries[p]; summary.unchanged.append(p) }
        }
        if willWrite.isEmpty && obsolete.isEmpty && !docWork {
            summary.unchanged.sort()
            return summary
        }

        // 1. Mark what is about to change as pending.
        var interim = old
        for file in willWrite { interim.entries[file] = .pending }
        if docWork && formats.contains("pages") { interim.pagesPending = true }
        try interim.write(to: out)

        // 2. Write: the document, the data files and chart workers at once.
        let shared = SharedProgress()
        let chartCount = chartWork.reduce(0) { $0 + $1.files.count }
        if chartCount > 0 { progress("ridgepoint: rendering \(chartCount) chart files on \(options.jobs) threads") }
        if docWork { progress("ridgepoint: laying out the report") }
        if !dataWork.isEmpty { progress("ridgepoint: writing \(dataWork.map(\.name).joined(separator: ", "))") }
        let laneKinds: [Lane] = (docWork ? [.document] : []) + (dataWork.isEmpty ? [] : [.data])
            + Array(repeating: .charts, count: chartWork.isEmpty ? 0 : options.jobs)
        let trace = ProcessInfo.processInfo.environment["RIDGEPOINT_TRACE"] != nil
        let t0 = Date()
        let work = chartWork, dataJobs = dataWork
        DispatchQueue.concurrentPerform(iterations: laneKinds.count) { lane in
            if trace { traceLine("lane \(lane) \(laneKinds[lane]) starts at \(Date().timeIntervalSince(t0))") }
            defer { if trace { traceLine("lane \(lane) ends at \(Date().timeIntervalSince(t0))") } }
            do {
                switch laneKinds[lane] {
                case .document:
                    guard let report else { return }
                    for (name, result) in try renderDocument(report, formats: formats, out: out, shared: shared) {
                        shared.record(name, result)
                    }
                case .data:
                    let sweep = Sweep(spec: spec)
                    for (name, csv) in dataJobs {
                        if shared.failed { return }
                        let result = try out.writeStreaming(name) { emit in
                            if csv { try EvalWriter.writeCSVBytes(sweep, to: emit) } else { try EvalWriter.writeJSONBytes(sweep, to: emit) }
                        }
                        shared.record(name, result)
                    }
                case .charts:
                    let measurer = try PangoTextMeasurer()
                    while let i = shared.nextChart(below: work.count) {
                        let (job, files) = work[i]
                        // One layout per chart, drawn into every requested format.
                        let built = try ChartLayout.build(job.spec, size: job.size, measurer: measurer)
                        for (format, file) in files {
                            let bytes = try CairoCanvas.render(format: format, size: job.size, dpi: options.dpi,
                                                               metadata: DocumentMetadata(title: job.stem), measurer: measurer) { try built.draw(on: $0) }
                            shared.record(file, try out.write(file, Data(bytes)))
                        }
                    }
                }
            } catch {
                shared.fail(error)
            }
        }
        if let e = shared.error {
            if let r = e as? RidgepointError { throw r }
            throw Messages.cannotRender("the report", e)
        }
        for (file, result) in shared.results {
            final.entries[file] = .done(inputs: file.hasPrefix("pages/") ? docFP : (plan[file] ?? docFP), stamp: result.stamp)
            if result.written { summary.written.append(file) } else { summary.identical.append(file) }
        }
        summary.pages = shared.pages

        // 3. Remove what this spec no longer produces (only Ridgepoint's own files).
        var stale = obsolete
        if docWork && formats.contains("pages") { stale.formUnion(oldPages + out.existingPages()) }
        for file in stale.sorted() where final.entries[file] == nil {
            if out.removeProduced(file) { summary.removed.append(file) }
        }

        // 4. The final manifest, last.
        try final.write(to: out)
        summary.written.sort(); summary.unchanged.sort(); summary.identical.sort(); summary.removed.sort()
        return summary
    }

    /// Whether the manifest's record of `file` still matches the disk.
    static func verified(_ out: OutputDirectory, _ m: OutputManifest, _ file: String) -> Bool {
        guard case .done(_, let stamp)? = m.entries[file] else { return false }
        return out.holds(file, stamp)
    }

    static func traceLine(_ s: String) {
        let line = "trace: " + s + "\n"
        _ = line.withCString { Foundation.write(2, $0, strlen($0)) }
    }

    enum Lane { case document, data, charts }

    /// Lays out the document and writes the PDF, the page SVGs and the Markdown index; returns
    /// each file and what was written.
    static func renderDocument(_ report: BuiltReport, formats: Set<String>, out: OutputDirectory,
                               shared: SharedProgress) throws -> [(String, (written: Bool, stamp: FileStamp))] {
        var files: [(String, (written: Bool, stamp: FileStamp))] = []
        if formats.contains("md") {
            let links = formats.intersection(["svg", "png"])
            files.append(("index.md", try out.write("index.md", MarkdownWriter.markdown(report.document, imageFormats: links))))
        }
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
            }
        }
        return files
    }
}

/// State shared by the render lanes, behind a lock: the chart queue, results and the first error.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var _results: [(String, (written: Bool, stamp: FileStamp))] = []
    private var _pages = 0
    private var _error: Error?
    func nextChart(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard _error == nil, next < count else { return nil }
        next += 1
        return next - 1
    }
    func record(_ f: String, _ r: (written: Bool, stamp: FileStamp)) { lock.lock(); _results.append((f, r)); lock.unlock() }
    func setPages(_ n: Int) { lock.lock(); _pages = n; lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if _error == nil { _error = e }; lock.unlock() }
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return _error != nil }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return _error }
    var results: [(String, (written: Bool, stamp: FileStamp))] { lock.lock(); defer { lock.unlock() }; return _results }
    var pages: Int { lock.lock(); defer { lock.unlock() }; return _pages }
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
        case .fitted(let byGPU): return "fitted:" + byGPU.keys.sorted().map { "\($0)=" + efficiency(byGPU[$0]) }.joined(separator: ";")
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
                     policy(s.efficiency), convention(s.convention), "\(s.memoryReserve)", "\(s.meanSequenceTokens)", s.pageSize, s.edition,
                     "\(s.serving.prefillChunkTokens)", s.workloads.map(workload).joined(separator: ";")]
        parts += s.gpus.map(gpu)
        parts += s.models.map { "\($0)" }
        parts += s.measurements.map { m in
            [m.gpu.id, m.model.id, "\(m.gpus)", "\(m.batch)", "\(m.inputTokens)", "\(m.outputTokens)", "\(m.tpotMs ?? -1)", "\(m.ttftMs ?? -1)",
             "\(m.outputTokensPerSecond ?? -1)", m.source, m.weights?.rawValue ?? "-", m.kv?.rawValue ?? "-", m.engine, m.origin].joined(separator: "|")
        }
        return parts.joined(separator: "\n")
    }
}
