import ArgumentParser
import CairoBackend
import Canvas
import ChartEngine
import Foundation
import RidgepointCharts
import RidgepointCore
import RidgepointFormatting
import RidgepointOutput

struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Render one chart to SVG, PNG or PDF (the extension of -o picks the format).",
        discussion: "Selectors work as in `eval`. `ridgepoint chart --list` names the chart types.")

    @Argument(help: "Chart type (see --list).", completion: Completions.charts)
    var type: String?
    @OptionGroup var matrix: MatrixOptions
    @Option(name: .shortAndLong, help: "Output file: .svg, .png or .pdf.")
    var output: String?
    @Option(help: "Width in points (1/72 in).")
    var width: Double = ChartSizes.default.width
    @Option(help: "Height in points.")
    var height: Double = ChartSizes.default.height
    @Option(help: "PNG resolution in dots per inch.")
    var dpi: Double = 150
    @Flag(help: "List the chart types.")
    var list = false

    func run() throws {
        if list {
            let w = ChartKind.allCases.map(\.rawValue.count).max() ?? 0
            try reportingErrors {
                try emit(ChartKind.allCases.map { $0.rawValue.padding(toLength: w + 2, withPad: " ", startingAt: 0) + $0.summary + "\n" }.joined())
            }
            return
        }
        try reportingErrors {
            guard let type else {
                throw Messages.missing("chart type", field: "TYPE", help: "use " + Messages.list(ChartKind.allCases.map(\.rawValue)))
            }
            guard let kind = ChartKind.named(type) else {
                throw Messages.unknown("chart type", type, field: "TYPE", among: ChartKind.allCases.map(\.rawValue))
            }
            guard let output else { throw Messages.missing("output file", field: "-o", help: "e.g. -o roofline.svg") }
            let ext = (output as NSString).pathExtension.lowercased()
            guard let format = OutputFormat(fileExtension: ext) else {
                throw Messages.unknown("file extension", "." + ext, field: "-o", among: [".svg", ".png", ".pdf"], file: output)
            }
            guard width.isFinite, height.isFinite, (72...7200).contains(width), (72...7200).contains(height) else {
                throw Messages.expected("sizes between 72 and 7200 points", got: "\(Fmt.g(width)) × \(Fmt.g(height))", field: "--width/--height")
            }
            guard dpi.isFinite, (10...1200).contains(dpi) else {
                throw Messages.expected("a resolution between 10 and 1200", got: Fmt.g(dpi), field: "--dpi")
            }
            let spec = try matrix.resolve()
            warnBeyondMaxContext(spec)
            // More GPUs, models or contexts than one chart shows legibly: FILE, FILE-2, FILE-3 …
            let parts = RidgepointChart.parts(kind, ChartInput(spec: spec))
            guard !parts.isEmpty else {
                throw Messages.noQualifyingGPU(models: spec.models.map(\.name), purpose: "there is no decision whose sensitivity to draw")
            }
            let stem = (output as NSString).deletingPathExtension
            var files: [(String, [UInt8])] = []
            for (i, part) in parts.enumerated() {
                let file = i == 0 ? output : "\(stem)-\(i + 1).\(ext)"
                files.append((file, try ChartRendering.render(kind, part, format: format, size: Size(width, height), dpi: dpi, title: spec.title)))
            }
            for (file, bytes) in files { try OutputDirectory.writeAtomically(Data(bytes), to: file) }
            if parts.count > 1 {
                let cap = kind.capacity
                var limits: [String] = []
                if spec.gpus.count > cap.gpus { limits.append("\(cap.gpus) GPU\(cap.gpus == 1 ? "" : "s")") }
                if spec.models.count > cap.models { limits.append("\(cap.models) model\(cap.models == 1 ? "" : "s")") }
                if spec.contexts.count > cap.contexts { limits.append("\(cap.contexts) context\(cap.contexts == 1 ? "" : "s")") }
                var note = kind == .tornado
                    ? "ridgepoint: one tornado chart shows one model and one workload; wrote \(parts.count) charts:\n"
                    : "ridgepoint: one \(kind.rawValue) chart shows at most \(limits.joined(separator: " and ")); wrote \(parts.count) charts:\n"
                for ((file, _), part) in zip(files, parts) {
                    let s = part.spec
                    note += "  \(file): \(s.gpus.map(\.id).joined(separator: ", ")) | \(s.models.map(\.id).joined(separator: ", ")) | " + (kind == .tornado ? "workload \(s.effectiveWorkloads.first?.name ?? "")" : "context \(s.contexts.map { String($0) }.joined(separator: " "))") + "\n"
                }
                writeStderr(note)
            }
        }
    }
}

/// Renders Ridgepoint charts to file bytes with the Cairo backend.
enum ChartRendering {
    static func render(_ kind: ChartKind, _ input: ChartInput, format: OutputFormat, size: Size, dpi: Double,
                       title: String) throws -> [UInt8] {
        do {
            let measurer = try PangoTextMeasurer()
            let built = try RidgepointChart.build(kind, input, size: size, measurer: measurer)
            let meta = DocumentMetadata(title: "\(title): \(kind.rawValue)", subject: kind.summary, keywords: "LLM inference, roofline",
                                        creator: "ridgepoint \(RidgepointVersion.string)")
            return try CairoCanvas.render(format: format, size: size, dpi: dpi, metadata: meta, measurer: measurer) { canvas in
                try built.draw(on: canvas)
            }
        } catch let e as RidgepointError {
            throw e
        } catch {
            throw Messages.cannotRender("the \(kind.rawValue) chart", error)
        }
    }
}

