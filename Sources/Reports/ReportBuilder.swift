import Canvas
import ChartEngine
import DocumentLayout
import Foundation
import RidgepointCharts
import RidgepointCore
import RidgepointFormatting

/// One chart written beside the report as SVG and PNG (and drawn into the PDF as vectors).
public struct ChartJob: Sendable {
    public var kind: ChartKind
    public var spec: ChartSpec
    public var size: Size
    /// Path stem inside the output folder, e.g. `charts/roofline--llama-3-70b--h100-sxm`.
    public var stem: String
    /// Stable text identifying everything the chart depends on.
    public var fingerprint: String
}

/// A report ready to lay out: the document, its charts and the rendered template text.
public struct BuiltReport: Sendable {
    public var document: Document
    public var charts: [ChartJob]
    public var templateText: String
    public var recommendations: [Recommendation]
}

/// Turns a spec and a template into a `BuiltReport`.
public struct ReportBuilder {
    public let spec: Spec
    public let template: TemplateSet
    public let version: String
    public var figureSize: Size

    public init(spec: Spec, template: TemplateSet, version: String) {
        self.spec = spec; self.template = template; self.version = version
        let page = spec.pageSize == "letter" ? Size.letter : Size.a4
        figureSize = Size(page.width - 2 * 56, ((page.width - 2 * 56) * 0.62).rounded())
    }

    public func build() throws -> BuiltReport {
        let trace = ProcessInfo.processInfo.environment["RIDGEPOINT_TRACE"] != nil
        var t0 = Date()
        func lap(_ what: String) { if trace { ReportRenderer.traceLine("build: \(what) \(Date().timeIntervalSince(t0))"); t0 = Date() } }
        let recs = Recommender.all(spec)
        lap("recommendations")
        let fits = ReportContext.fits(spec)
        lap("fits")
        let decisions = WorkloadDecision.all(spec, recs)
        lap("sensitivity")
        let context = ReportContext.make(spec: spec, recommendations: recs, version: version, fits: fits, decisions: decisions)
        let text = try template.render(context)
        let elements: [DocMarkup.Element]
        do { elements = try DocMarkup.parse(text) } catch let e as DocMarkupError {
            let line = text.components(separatedBy: "\n")[safe: e.line - 1] ?? ""
            let loc = template.locate(line)
            throw RidgepointError(file: template.displayPath(loc?.file ?? TemplateSet.mainFile), line: loc?.line,
                                  message: e.message)
        }
        var directiveTimes: [String: Double] = [:]
        var state = BuildState()
        state.fits = fits
        state.decisions = decisions
        var blocks: [Block] = []
        for el in elements {
            switch el {
            case .heading(let level, let t, let id):
                blocks.append(.heading(level: level, text: t, id: id.map { state.unique($0) } ?? state.anchor(for: t.words)))
            case .paragraph(let p): blocks.append(.paragraph(Typography.bindUnits(p)))
            case .bullets(let items): blocks.append(.bullets(items.map(Typography.bindUnits)))
            case .numbered(let items): blocks.append(.numbered(items))
            case .formula(let f): blocks.append(.formula(f))
            case .pageBreak: blocks.append(.pageBreak)
            case .note(let kind, let title, let paras): blocks.append(.note(Note(kind, title: title, paragraphs: paras.map(Typography.bindUnits))))
            case .directive(let d):
                let td = Date()
                defer { if trace { directiveTimes[d.name + " " + (d.args.first ?? ""), default: 0] += Date().timeIntervalSince(td) } }
                do { blocks += try resolve(d, recs: recs, state: &state) } catch let e as DirectiveError {
                    let loc = template.locate(d.text)
                    throw RidgepointError(file: template.displayPath(loc?.file ?? TemplateSet.mainFile), line: loc?.line,
                                          message: "\(d.text.trimmingCharacters(in: .whitespaces)): \(e.message)", help: e.help)
                }
            }
        }
        lap("template and directives")
        if trace { for (k, v) in directiveTimes.sorted(by: { $0.value > $1.value }).prefix(8) { ReportRenderer.traceLine("build:   \(k) \(v)") } }
        let page = spec.pageSize == "letter" ? Size.letter : Size.a4
        let title = RichText(plain: spec.title)
        let doc = Document(
            metadata: DocumentMetadata(title: spec.title, author: "ridgepoint", subject: state.subtitle ?? "LLM inference hardware economics",
                                       keywords: (["LLM inference", "roofline", "KV cache", "cost per token"] + spec.gpus.map(\.id) + spec.models.map(\.id)).joined(separator: ", "),
                                       creator: "ridgepoint \(version)"),
            pageSize: page,
            titlePage: TitlePage(title: title, subtitle: state.subtitle.map(RichText.init(plain:)), lines: state.titleLines.map(DocMarkup.inline)),
            tableOfContents: true, numberHeadings: true, runningHeader: title, blocks: blocks)
        return BuiltReport(document: doc, charts: state.charts, templateText: text, recommendations: recs)
    }

    /// An error in a `:::` directive; the builder prefixes it with the directive and its place.
    struct DirectiveError: Error {
        var message: String
        var help: String?
        init(_ text: MessageText) { message = text.message; help = text.help }
    }

    struct BuildState {
        var charts: [ChartJob] = []
        /// Fits of the efficiency model to the spec's measurements, one per measured GPU of the spec.
        var fits: [Calibration.Fit] = []
        /// Each recommendation with the sensitivity of its winners.
        var decisions: [WorkloadDecision] = []
        /// Chart stem → fingerprint of what it draws.
        var stemFingerprints: [String: String] = [:]
        var anchors: Set<String> = []
        var subtitle: String?
        var titleLines: [String] = []
        mutating func unique(_ id: String) -> String {
            var s = id, n = 2
            while anchors.contains(s) { s = "\(id)-\(n)"; n += 1 }
            anchors.insert(s)
            return s
        }
        /// A unique anchor from a heading's words ("A & B" → "a-b"; entity names never leak in).
        mutating func anchor(for text: String) -> String {
            let plain = text.lowercased()
            var slug = String(plain.map { $0.isLetter || $0.isNumber ? $0 : "-" }).replacingOccurrences(of: "-+", with: "-", options: .regularExpression)
            slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            slug = String(slug.unicodeScalars.filter { $0.isASCII }.map(Character.init)).prefix(48).description
            if slug.isEmpty { slug = "section" }
            var s = slug, n = 2
            while anchors.contains(s) { s = "\(slug)-\(n)"; n += 1 }
            anchors.insert(s)
            return s
        }
    }

    // MARK: Directives

    static let directives = ["chart", "charts", "table", "assumptions", "subtitle", "titleline", "exercises", "worked-examples"]
    static let tables = ["recommendations", "workloads", "comparison", "thresholds", "gpus", "models", "prices", "glossary", "concurrency", "calibration",
                         "decision", "ownership", "sensitivity", "modes"]

    func resolve(_ d: DocMarkup.Directive, recs: [Recommendation], state: inout BuildState) throws -> [Block] {
        switch d.name {
        case "subtitle": state.subtitle = d.args.joined(separator: " "); return []
        case "titleline": state.titleLines.append(d.args.joined(separator: " ")); return []
        case "assumptions":
            // Prices and per-GPU/per-model sources have their own tables (`prices`, `gpus`, `models`).
            let notes = Assumptions.notes(for: spec).filter { !["prices", "sources.gpus", "sources.models"].contains($0.id) }
            return [.bullets(notes.map { "<b>\(Markup.escape($0.title))</b>: \(Markup.escape($0.text))" })]
        case "chart":
            guard let k = d.args.first else { throw DirectiveError(Messages.Text.missing("chart type", help: "e.g. ::: chart roofline model=llama-3-70b")) }
            guard let kind = ChartKind.named(k) else {
                throw DirectiveError(Messages.Text.unknown("chart type", k, among: ChartKind.allCases.map(\.rawValue)))
            }
            let sub = try subSpec(d)
            var name = ChartName(role: kind.role)
            if let n = d.options["name"] {
                if let problem = SafeName.problem(n) {
                    throw DirectiveError(Messages.Templates.badName("name=\(n)", problem))
                }
                name.role = n
            }
            let gpuOption = (d.options["gpu"] ?? d.options["gpus"])?.lowercased()
            if gpuOption == "best" {
                name.best = true
                if d.options["name"] == nil { name.role += "-best" }
            } else if gpuOption != nil {
                name.gpuSuffix = sub.gpus.map(\.id)
            }
            if d.options["context"] != nil { name.context = sub.contexts.first }
            return try figures(kind, sub, name: name, recs: recs, state: &state)
        case "charts":
            guard d.args.first == "per-pair" else { throw DirectiveError(Messages.Templates.chartsPerPairOnly) }
            let kinds = try (d.options["kinds"] ?? "roofline,cost-hyperbola").split(separator: ",").map { k -> ChartKind in
                guard let kind = ChartKind.named(String(k)) else {
                    throw DirectiveError(Messages.Text.unknown("chart type", String(k), among: ChartKind.allCases.map(\.rawValue)))
                }
                return kind
            }
            var out: [Block] = []
            for m in spec.models {
                for g in spec.gpus {
                    var sub = spec; sub.gpus = [g]; sub.models = [m]
                    for kind in kinds { out += try figures(kind, sub, name: ChartName(role: kind.role, gpuFolder: true), recs: recs, state: &state) }
                }
            }
            return out
        case "table":
            guard let name = d.args.first else { throw DirectiveError(Messages.Text.missing("table name", help: "use " + Messages.list(ReportBuilder.tables))) }
            return [.table(try table(name, d, recs: recs, fits: state.fits, decisions: state.decisions))]
        case "exercises", "worked-examples":
            return try teachingBlocks(d, state: &state)
        default:
            throw DirectiveError(Messages.Text.unknown("directive", d.name, among: ReportBuilder.directives + ["note", "warning", "erratum", "pagebreak"]))
        }
    }

    /// The spec narrowed by a directive's `model=`, `models=`, `gpu=`, `gpus=` and `context=` options.
    func subSpec(_ d: DocMarkup.Directive) throws -> Spec {
        var s = spec
        if let m = d.options["model"] ?? d.options["models"] {
            s.models = try m.split(separator: ",").map { id in
                guard let x = spec.models.first(where: { $0.id == id.lowercased() }) ?? spec.catalog.model(String(id)) else {
                    throw DirectiveError(Messages.Text.unknown("model", String(id), among: spec.catalog.modelNames))
                }
                return x
            }
        }
        if let g = d.options["gpu"] ?? d.options["gpus"], g.lowercased() != "best" {
            s.gpus = try g.split(separator: ",").map { id in
                guard let x = spec.gpus.first(where: { $0.id == id.lowercased() }) ?? spec.catalog.gpu(String(id)) else {
                    throw DirectiveError(Messages.Text.unknown("GPU", String(id), among: spec.catalog.gpuNames))
                }
                return x
            }
        }
        if let c = d.options["context"] {
            guard let v = Int(c), v >= 0 else { throw DirectiveError(Messages.Text.expected("context=TOKENS, a whole number", got: "'\(c)'")) }
            s.contexts = [v]
        }
        return s
    }

    /// Draws `kind` for `sub`: one figure, or several parts when `sub` asks for more GPUs,
    /// models or contexts than one chart shows legibly — each part's caption names what it draws.
    func figures(_ kind: ChartKind, _ sub: Spec, name: ChartName, recs: [Recommendation], state: inout BuildState) throws -> [Block] {
        // A GPU keeps its colour in every chart of the report (its place in the spec's list).
        var slots: [String: Int] = [:]
        for (i, g) in spec.gpus.enumerated() { slots[g.id] = i }
        var parts: [ChartInput]
        if name.best {
            // `gpu=best`: each model with its recommended GPU.
            parts = sub.models.flatMap { m -> [ChartInput] in
                var s = sub
                s.models = [m]; s.gpus = [ReportContext.bestGPU(for: m, recommendations: recs, spec: spec)]
                return RidgepointChart.parts(kind, ChartInput(spec: s, gpuSlots: slots, decisions: state.decisions))
            }
        } else {
            parts = RidgepointChart.parts(kind, ChartInput(spec: sub, gpuSlots: slots, decisions: kind == .tornado ? state.decisions : []))
        }
        // Part numbers count within one model's folder.
        var counts: [String: Int] = [:]
        for p in parts { counts[kind.isPerModel ? p.spec.models.first?.id ?? "" : "", default: 0] += 1 }
        var seen: [String: Int] = [:]
        var out: [Block] = []
        for p in parts {
            if kind == .tornado {
                // One chart per workload, named by it: not parts of one chart.
                var n = name
                if let w = p.spec.effectiveWorkloads.first { n.workload = w.name }
                out.append(try figure(kind, p, name: n, part: (1, 1), state: &state))
                continue
            }
            let key = kind.isPerModel ? p.spec.models.first?.id ?? "" : ""
            seen[key, default: 0] += 1
            out.append(try figure(kind, p, name: name, part: (seen[key] ?? 1, counts[key] ?? 1), state: &state))
        }
        return out
    }

    func figure(_ kind: ChartKind, _ input: ChartInput, name: ChartName, part: (index: Int, count: Int), state: inout BuildState) throws -> Block {
        let sub = input.spec
        let chartSpec = try RidgepointChart.spec(kind, input)
        // Rooflines of several GPUs carry a long legend: give them more height.
        let size = kind == .roofline && sub.gpus.count > 2 ? Size(figureSize.width, (figureSize.height * 1.25).rounded()) : figureSize
        let fp = "\(version)|\(size)|\(kind.rawValue)|" + SpecFingerprint.text(sub) + "|" + sub.gpus.map { "\(input.gpuSlots[$0.id] ?? -1)" }.joined(separator: ",")
        let base = name.stem(kind, sub, part: part.index)
        // The same name for different content (two directives that differ only in something the
        // name does not encode): later ones get -v2, -v3 in template order.
        var stem = base, n = 2
        while let other = state.stemFingerprints[stem], other != fp { stem = "\(base)-v\(n)"; n += 1 }
        if state.stemFingerprints[stem] == nil {
            guard state.charts.count < ReportLimits.maxCharts else {
                throw DirectiveError(Messages.Templates.tooManyCharts(limit: ReportLimits.maxCharts))
            }
            state.stemFingerprints[stem] = fp
            state.charts.append(ChartJob(kind: kind, spec: chartSpec, size: size, stem: stem, fingerprint: fp))
        }
        var caption = ChartCaptions.caption(kind, sub)
        if part.count > 1 { caption += " Part \(part.index) of \(part.count): together the parts draw every GPU, model and context asked for." }
        return .figure(Figure(size: size, caption: caption.rich, file: stem + ".svg", alt: kind.summary) { canvas in
            let built = try ChartLayout.build(chartSpec, size: size, measurer: canvas)
            try built.draw(on: canvas)
        })
    }
}

/// Typographic care for prose.
enum Typography {
    static let units = ["ms", "s", "µs", "%", "kW", "MW", "W", "Wh", "J", "GB", "TB", "MB", "kB", "B", "TB/s", "GB/s", "tokens", "tokens/s",
                        "requests/s", "request/s", "requests", "GPUs", "GPU", "replicas", "replica", "years", "h", "TFLOPS", "FLOP/byte", "FLOP/B"]
    nonisolated(unsafe) static let pattern: NSRegularExpression? = {
        let alternatives = units.sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        return try? NSRegularExpression(pattern: "(\\d) (?=(?:\(alternatives))(?![\\p{L}\\d]))")
    }()

    nonisolated(unsafe) static let priceSlash: NSRegularExpression? = try? NSRegularExpression(pattern: "(\\d)/(h|kWh|GPU-h|GPU-hour|s)(?![\\p{L}\\d])")

    /// A number and its unit never part at a line end: the space between them becomes a
    /// no-break space ("48.1 ms", "3 GPUs", "20 %").
    static func bindUnits(_ text: RichText) -> RichText { text.mapText(bindUnits) }

    static func bindUnits(_ text: String) -> String {
        guard let re = pattern else { return text }
        let ns = text as NSString
        let bound = re.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: "$1\u{00A0}")
        // "$6.60/h", "$0.085/kWh": no break after the slash.
        guard let slash = priceSlash else { return bound }
        return slash.stringByReplacingMatches(in: bound, range: NSRange(location: 0, length: (bound as NSString).length), withTemplate: "$1/\u{2060}$2")
    }
}

/// Limits that keep a report's cost bounded whatever the spec asks for.
public enum ReportLimits {
    /// Distinct charts one report may draw.
    public static let maxCharts = 2_000
}

/// How a chart directive names its files: by role, not by which GPUs the spec lists or which
/// one is cheapest, so that wiki pages can embed the paths.
///
/// - per-model kinds: `charts/<model>/<role>.svg` (`charts/llama-3-8b/roofline.svg`,
///   `charts/llama-3-8b/cost-best.svg` for `gpu=best`);
/// - per-pair charts: `charts/<model>/<gpu>/<role>.svg`;
/// - kinds not about one model: `charts/<role>.svg` (`charts/kv-cache.svg`);
/// - an explicit `gpu=a,b` adds `--a_b`, `context=N` adds `-ctxN`, parts 2, 3, … add `-2`, `-3`;
///   `name=` replaces the role.
struct ChartName {
    var role: String
    /// Per-pair: the GPU is a folder level.
    var gpuFolder = false
    /// GPUs named explicitly by the directive.
    var gpuSuffix: [String] = []
    /// `gpu=best`: each part draws its model's recommended GPU.
    var best = false
    var context: Int?
    /// The workload a per-workload chart (tornado) draws, as a file-name slug.
    var workload: String?

    func stem(_ kind: ChartKind, _ sub: Spec, part: Int) -> String {
        var path = "charts/"
        if kind.isPerModel, let m = sub.models.first { path += m.id + "/" }
        if gpuFolder, let g = sub.gpus.first { path += g.id + "/" }
        var file = role
        if !gpuSuffix.isEmpty {
            let joined = gpuSuffix.joined(separator: "_")
            file += "--" + (joined.count > 64 ? String(joined.prefix(48)) + "-" + String(Fingerprint.hex(joined).prefix(8)) : joined)
        }
        if let context { file += "-ctx\(context)" }
        if let workload { file += "-" + ChartName.slug(workload) }
        if part > 1 { file += "-\(part)" }
        return path + file
    }
}

extension ChartName {
    /// `long document` → `long-document`: letters and digits, runs of anything else one '-'.
    static func slug(_ s: String) -> String {
        var out = "", dash = false
        for c in s.lowercased().unicodeScalars {
            if c.isASCII && (CharacterSet.alphanumerics.contains(c)) { out.unicodeScalars.append(c); dash = false }
            else if !dash && !out.isEmpty { out.append("-"); dash = true }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 40 { out = String(out.prefix(32)) + "-" + String(Fingerprint.hex(s).prefix(6)) }
        return out.isEmpty ? "w" + String(Fingerprint.hex(s).prefix(6)) : out
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

