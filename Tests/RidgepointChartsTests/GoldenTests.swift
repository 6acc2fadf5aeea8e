import CairoBackend
import Canvas
import ChartEngine
import Foundation
import Testing
@testable import RidgepointCharts
@testable import RidgepointCore

/// One small golden SVG per chart type, stored in Golden/ next to this file. Re-record with
/// `RIDGEPOINT_RECORD_GOLDEN=1 swift test --filter GoldenTests`: the run then writes the new
/// files and fails, so a re-recording is always a deliberate, reviewed change.
@Suite struct GoldenTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let size = Size(432, 288)

    static func render(_ kind: ChartKind, _ format: OutputFormat) throws -> [UInt8] {
        let measurer = try PangoTextMeasurer()
        var i = input(gpus: ["h100-sxm", "h200"], models: ["llama-3-70b", "mixtral-8x7b"])
        if kind == .servingModes || kind == .disaggregation { i.spec.modes = servingModes }
        let chart = try RidgepointChart.build(kind, firstPart(kind, i), size: size, measurer: measurer)
        return try CairoCanvas.render(format: format, size: size, dpi: 72, measurer: measurer) { try chart.draw(on: $0) }
    }

    @Test(arguments: ChartKind.allCases)
    func goldenSVG(kind: ChartKind) throws {
        let svg = try GoldenTests.render(kind, .svg)
        let file = GoldenTests.dir.appendingPathComponent("\(kind.rawValue).svg")
        if ProcessInfo.processInfo.environment["RIDGEPOINT_RECORD_GOLDEN"] == "1" {
            try Data(svg).write(to: file)
            Issue.record("Recorded new baseline for \(kind.rawValue) at \(file.path); unset RIDGEPOINT_RECORD_GOLDEN and run again")
            return
        }
        let golden = try Data(contentsOf: file)
        #expect(Data(svg) == golden, "\(kind.rawValue) differs from its golden SVG; inspect it and re-record deliberately if the change is intended")
    }

    @Test(arguments: ChartKind.allCases)
    func renderingIsByteIdenticalAndValid(kind: ChartKind) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("rp-golden-\(kind.rawValue)-\(getpid())")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        for format in OutputFormat.allCases {
            let a = try GoldenTests.render(kind, format), b = try GoldenTests.render(kind, format)
            #expect(a == b, "\(kind.rawValue).\(format.rawValue) differs between two renders")
            let f = tmp.appendingPathComponent("chart.\(format.rawValue)")
            try Data(a).write(to: f)
            switch format {
            case .svg: #expect(try tool("rsvg-convert", [f.path, "-o", tmp.appendingPathComponent("svg.png").path]) == 0)
            case .pdf:
                #expect(try tool("qpdf", ["--check", f.path]) == 0)
                let fonts = try output("pdffonts", [f.path])
                let rows = fonts.split(separator: "\n").dropFirst(2)
                #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(" yes ") }, "fonts not embedded:\n\(fonts)")
            case .png: #expect(Array(a.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
        }
        try? FileManager.default.removeItem(at: tmp)
    }
}

@discardableResult
func tool(_ name: String, _ args: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [name] + args
    p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
    try p.run(); p.waitUntilExit()
    return p.terminationStatus
}

func output(_ name: String, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [name] + args
    let pipe = Pipe(); p.standardOutput = pipe; p.standardError = FileHandle.nullDevice
    try p.run()
    let d = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: d, as: UTF8.self)
}
