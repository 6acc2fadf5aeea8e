import Canvas
import Foundation
import Testing
import CairoBackend

/// A typical chart-like page drawn on any canvas (used by the PNG and surface tests; timings
/// live in `scripts/bench`, not in the test suite).
enum ChartLikePage {
    static let pageSize = Size(504, 331)

    /// Grid, 5 polylines of 64 points, 40 markers and 40 markup labels: a typical chart.
    static func drawChart(_ c: Canvas) throws {
        let w = pageSize.width, h = pageSize.height
        let plot = Rect(x: 50, y: 20, width: w - 70, height: h - 60)
        for i in 0...10 {
            let x = plot.minX + Double(i) * plot.width / 10, y = plot.minY + Double(i) * plot.height / 10
            c.stroke(.line(Point(x, plot.minY), Point(x, plot.maxY)), style: StrokeStyle(color: Color(hex: 0xDDDDDD), width: 0.5))
            c.stroke(.line(Point(plot.minX, y), Point(plot.maxX, y)), style: StrokeStyle(color: Color(hex: 0xDDDDDD), width: 0.5))
        }
        let colors: [UInt32] = [0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00]
        for s in 0..<5 {
            let pts = (0..<64).map { i -> Point in
                let t = Double(i) / 63
                return Point(plot.minX + t * plot.width, plot.maxY - plot.height * (0.1 + 0.8 * t * t / Double(s + 1)))
            }
            c.stroke(.polyline(pts), style: StrokeStyle(color: Color(hex: colors[s]), width: 1.5, join: .round))
            for k in stride(from: 0, to: 64, by: 8) {
                c.fill(.circle(center: pts[k], radius: 2.5), color: Color(hex: colors[s]))
            }
        }
        c.stroke(.rect(plot), style: StrokeStyle(color: .black, width: 0.8))
        for i in 0...10 {
            try c.draw(TextBlock("10\(Markup.sup("\(i)"))", font: Font(size: 8)),
                       at: Point(plot.minX + Double(i) * plot.width / 10 - 6, plot.maxY + 4))
            try c.draw(TextBlock("\(i * 100)", font: Font(size: 8)), at: Point(plot.minX - 24, plot.minY + Double(i) * plot.height / 10 - 5))
        }
        for i in 0..<16 {
            try c.draw(TextBlock("<b>H100</b> h\(Markup.sub("kv")) Π/β ≈ \(i)", font: Font(size: 7),
                                 color: Color(hex: colors[i % 5])),
                       at: Point(plot.minX + 10 + Double(i % 4) * 90, plot.minY + 10 + Double(i / 4) * 20))
        }
        try c.draw(TextBlock("Arithmetic intensity (FLOP/B)", font: Font(size: 9)), at: Point(w / 2 - 60, h - 16))
        try c.draw(TextBlock("Throughput (tokens/s)", font: Font(size: 9)), at: Point(8, h / 2 + 45), rotation: .pi / 2)
    }

}
