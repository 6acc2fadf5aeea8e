import CairoBackend
import Canvas
import ChartEngine
import Foundation
import Testing
import TestSupport
@testable import RidgepointCharts
@testable import RidgepointCore

/// Snapshots of every chart type, in two forms:
/// - `Snapshots/<kind>.txt`: the built chart as text (`BuiltChart.textSnapshot`: axes, ticks,
///   marks, legend, every label's box, dropped labels). This is what a review reads; it is
///   compared on every run.
/// - `Golden/<kind>.svg`: the drawn chart, kept for the eye. Its first comment names the cairo,
///   Pango, libpng and font versions it was drawn with; it is compared byte for byte only where
///   those are the same, since glyph outlines change with them.
///
/// Re-record both with `RIDGEPOINT_RECORD_GOLDEN=1 swift test --filter ChartSnapshotTests`: the
/// run then writes the files and fails, so a re-recording is always a deliberate, reviewed change.
@Suite struct ChartSnapshotTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let dir = here.appendingPathComponent("Golden")
    static let snapshots = here.appendingPathComponent("Snapshots")
    static let size = Size(432, 288)
    static var recording: Bool { ProcessInfo.processInfo.environment["RIDGEPOINT_RECORD_GOLDEN"] == "1" }

    static func build(_ kind: ChartKind) throws -> (BuiltChart, PangoTextMeasurer) {
        let measurer = try PangoTextMeasurer()
        var i = input(gpus: ["h100-sxm", "h200"], models: ["llama-3-70b", "mixtral-8x7b"])
        if kind == .servingModes || kind == .disaggregation { i.spec.modes = servingModes }
        return (try RidgepointChart.build(kind, firstPart(kind, i), size: size, measurer: measurer), measurer)
    }

    static func render(_ kind: ChartKind, _ format: OutputFormat) throws -> [UInt8] {
        let (chart, measurer) = try build(kind)
        return try CairoCanvas.render(format: format, size: size, dpi: 72, measurer: measurer) { try chart.draw(on: $0) }
    }

    /// The comment that heads a golden SVG.
    static var versionComment: String { "<!-- drawn with \(PangoTextMeasurer.environmentFingerprint) -->" }

    @Test(arguments: ChartKind.allCases)
    func textSnapshot(kind: ChartKind) throws {
        let text = try Self.build(kind).0.textSnapshot
        let file = Self.snapshots.appendingPathComponent("\(kind.rawValue).txt")
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            Issue.record("Recorded the snapshot of \(kind.rawValue) at \(file.path); unset RIDGEPOINT_RECORD_GOLDEN and run again")
            return
        }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        #expect(text == recorded, "\(kind.rawValue) differs from Snapshots/\(kind.rawValue).txt; diff them and re-record deliberately if the change is intended")
    }

    @Test(arguments: ChartKind.allCases)
    func goldenSVGForTheEye(kind: ChartKind) throws {
        var lines = String(decoding: try Self.render(kind, .svg), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert(Self.versionComment, at: min(1, lines.count))
        let svg = lines.joined(separator: "\n")
        let file = Self.dir.appendingPathComponent("\(kind.rawValue).svg")
        if Self.recording {
            try Data(svg.utf8).write(to: file)
            Issue.record("Recorded the golden SVG of \(kind.rawValue); unset RIDGEPOINT_RECORD_GOLDEN and run again")
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        let header = golden.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).dropFirst().first.map(String.init)
        #expect(header?.hasPrefix("<!-- drawn with ") == true, "Golden/\(kind.rawValue).svg has no version comment")
        // Other library or font versions draw other glyph outlines: the text snapshot is the check there.
        guard header == Self.versionComment else { return }
        #expect(svg == golden, "\(kind.rawValue) differs from its golden SVG; inspect it and re-record deliberately if the change is intended")
    }

    @Test(arguments: ChartKind.allCases)
    func renderingIsByteIdenticalAndValid(kind: ChartKind) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rp-golden-\(kind.rawValue)-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        for format in OutputFormat.allCases {
            let a = try ChartSnapshotTests.render(kind, format), b = try ChartSnapshotTests.render(kind, format)
            #expect(a == b, "\(kind.rawValue).\(format.rawValue) differs between two renders")
            let f = tmp.appendingPathComponent("chart.\(format.rawValue)")
            try Data(a).write(to: f)
            switch format {
            case .svg: #expect(try Tool.status("rsvg-convert", [f.path, "-o", tmp.appendingPathComponent("svg.png").path]) == 0)
            case .pdf:
                #expect(try Tool.status("qpdf", ["--check", f.path]) == 0)
                let fonts = try Tool.output("pdffonts", [f.path])
                let rows = fonts.split(separator: "\n").dropFirst(2)
                #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(" yes ") }, "fonts not embedded:\n\(fonts)")
            case .png: #expect(Array(a.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
        }
        try? FileManager.default.removeItem(at: tmp)
    }
}
