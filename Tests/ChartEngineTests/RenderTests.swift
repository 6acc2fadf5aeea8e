import CairoBackend
import Canvas
import Foundation
import Testing
@testable import ChartEngine

/// Renders the sample charts through Cairo. Set CHARTENGINE_RENDER_DIR to keep the PNGs
/// (e.g. `CHARTENGINE_RENDER_DIR=/tmp swift test --filter RenderTests`) for a visual check.
@Suite struct RenderTests {
    func render(_ spec: ChartSpec, size: Size, name: String) throws -> [UInt8] {
        let m = try Fixtures.measurer()
        let chart = try ChartLayout.build(spec, size: size, measurer: m)
        let png = try CairoCanvas.render(format: .png, size: size, dpi: 100, measurer: m) { try chart.draw(on: $0) }
        if let dir = ProcessInfo.processInfo.environment["CHARTENGINE_RENDER_DIR"] {
            try Data(png).write(to: URL(fileURLWithPath: dir).appendingPathComponent("chartengine-\(name).png"))
            let svg = try CairoCanvas.render(format: .svg, size: size, measurer: m) { try chart.draw(on: $0) }
            try Data(svg).write(to: URL(fileURLWithPath: dir).appendingPathComponent("chartengine-\(name).svg"))
        }
        return png
    }

    @Test func rooflinePNGIsDeterministic() throws {
        let a = try render(Fixtures.roofline(), size: Size(480, 320), name: "roofline")
        let b = try render(Fixtures.roofline(), size: Size(480, 320), name: "roofline")
        #expect(a.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(a == b)
    }
}

extension RenderTests {
    /// Every fixture renders (and, with CHARTENGINE_RENDER_DIR, is written out for review).
    @Test func allSamplesRender() throws {
        for (name, spec, size) in Fixtures.all { _ = try render(spec, size: size, name: name) }
    }
}
