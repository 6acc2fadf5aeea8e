import CairoBackend
import Canvas
import ChartEngine

/// Test fixtures: the real Pango measurer (so boxes match the drawn output) and sample specs.
enum Fixtures {
    static func measurer() throws -> PangoTextMeasurer { try PangoTextMeasurer() }

    static func roofline(points: Int = 8) -> ChartSpec {
        let h100 = [DataPoint(0.1, 0.1 * 3.35e12), DataPoint(989e12 / 3.35e12, 989e12), DataPoint(1e4, 989e12)]
        let a100 = [DataPoint(0.1, 0.1 * 2.0e12), DataPoint(312e12 / 2.0e12, 312e12), DataPoint(1e4, 312e12)]
        let kernels: [(String, Double, Double)] = [
            ("decode b=1", 1.0, 2.9e12), ("decode b=8", 7.6, 22e12), ("decode b=32", 29, 80e12),
            ("decode b=128", 110, 290e12), ("prefill 512", 380, 610e12), ("prefill 2k", 900, 720e12),
            ("attention", 55, 120e12), ("MoE gate", 3.1, 8e12), ("all-reduce", 0.6, 1.1e12),
            ("softmax", 2.2, 4e12), ("GEMM 8k", 2500, 800e12), ("layernorm", 0.9, 2.5e12),
        ]
        let ks = Array(kernels.prefix(points))
        var spec = ChartSpec(
            title: "Roofline: H100 SXM vs A100",
            subtitle: "BF16 dense, HBM bandwidth roofs",
            x: AxisSpec(scale: .log, title: "Arithmetic intensity", unit: "FLOP/B", domain: .explicit(0.1...1e4)),
            y: AxisSpec(scale: .log, title: "Performance", unit: "FLOP/s", format: .si()),
            series: [
                .line(points: h100, style: .series(0, width: 1.8), label: "H100 SXM (989 TFLOP/s, 3.35 TB/s)"),
                .line(points: a100, style: .series(1, width: 1.8), label: "A100 (312 TFLOP/s, 2.0 TB/s)"),
                .scatter(points: ks.map { DataPoint($0.1, $0.2) }, marker: .series(0), color: Palette.color(2), label: "measured kernels"),
            ],
            annotations: ks.enumerated().map { (i, k) in Annotation(k.0, at: DataPoint(k.1, k.2), priority: ks.count - i) },
            references: [ReferenceLine(axis: .x, value: 295, label: "ridge 295 FLOP/B")])
        spec.caption = "Attainable = min(peak, bandwidth × intensity)."
        return spec
    }

    /// Many labels around a few nearly coincident points.
    static func crowded(count: Int = 40) -> ChartSpec {
        let pts = (0..<count).map { i in DataPoint(10 + Double(i % 5) * 0.4, 50 + Double(i / 5) * 0.5) }
        return ChartSpec(
            title: "Crowded labels",
            x: AxisSpec(title: "x", domain: .explicit(0...20)),
            y: AxisSpec(title: "y", domain: .explicit(0...100)),
            series: [.scatter(points: pts, marker: .series(0), color: Palette.color(0), label: "points"),
                     .line(points: [DataPoint(0, 0), DataPoint(20, 100)], style: .series(1), label: "diagonal")],
            annotations: pts.enumerated().map { (i, p) in Annotation("label \(i)", at: p, priority: i % 3) })
    }
}

extension Fixtures {
    /// Linear axes, currency ticks, four lines with markers (filled and hollow), a reference line.
    static func linear() -> ChartSpec {
        ChartSpec(
            title: "Cost per million tokens", subtitle: "linear axes, currency ticks",
            x: AxisSpec(title: "Batch size"),
            y: AxisSpec(title: "Cost", unit: "$/Mtok", format: .currency()),
            series: (0..<4).map { k in
                var style = LineStyle.series(k)
                style.marker = .series(k, size: 4.5, filled: k % 2 == 0)
                return .line(points: (1...16).map { DataPoint(Double($0 * 8), 4.0 / Double($0 + k) + 0.1 * Double(k)) },
                             style: style, label: "config \(k + 1)")
            },
            references: [ReferenceLine(axis: .y, value: 0.5, label: "target $0.50")])
    }

    /// Shaded regions: a band between two curves and a vertical span, on log x.
    static func regions() -> ChartSpec {
        ChartSpec(
            title: "Regions",
            x: AxisSpec(scale: .log, title: "Intensity", unit: "FLOP/B", domain: .explicit(1...1000)),
            y: AxisSpec(title: "Utilisation", domain: .explicit(0...1), format: .percent()),
            series: [
                .xSpan(1...100, color: Palette.skyBlue.withAlpha(0.15), label: "memory-bound"),
                .band(lower: [DataPoint(1, 0.1), DataPoint(1000, 0.5)], upper: [DataPoint(1, 0.3), DataPoint(1000, 0.9)],
                      color: Palette.orange.withAlpha(0.3), label: "range"),
                .hline(y: 0.8, style: .series(2), label: "target"),
            ],
            annotations: [Annotation("knee", at: DataPoint(100, 0.5), preferred: [.above])])
    }

    /// Every sample with a size.
    static var all: [(String, ChartSpec, Size)] {
        [("roofline", roofline(), Size(480, 320)), ("roofline-small", roofline(points: 12), Size(360, 260)),
         ("crowded", crowded(), Size(480, 320)), ("linear", linear(), Size(480, 300)),
         ("regions", regions(), Size(400, 260)), ("tiny", roofline(), Size(240, 180))]
    }
}

extension Rect {
    /// Overlap with more than a hair of area (tolerates rounding on shared edges).
    func overlaps(_ o: Rect) -> Bool { overlapArea(o) > 1e-6 }
}
