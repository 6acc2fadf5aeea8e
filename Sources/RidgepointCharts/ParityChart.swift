import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Measured points of `input`'s spec that a chart of `gpu` × `model` on a replica of `gpus`
/// GPUs can show.
func measured(_ input: ChartInput, gpu: GPU, model: Model, gpus: Int? = nil) -> [MeasuredPoint] {
    input.spec.measurements.filter { $0.gpu.id == gpu.id && $0.model.id == model.id && (gpus == nil || $0.gpus == gpus) }
}

/// "measured (source, source)" for a legend, sources shortened to their host or file.
func measuredLabel(_ points: [MeasuredPoint]) -> String {
    let sources = Array(Set(points.map { p -> String in
        if let host = URL(string: p.source)?.host { return host }
        return String(p.source.prefix(40))
    })).sorted()
    let shown = sources.prefix(2).joined(separator: ", ") + (sources.count > 2 ? ", …" : "")
    return Label.e("measured (\(shown))")
}

/// Parity: the model's TPOT, TTFT and output throughput against the measured ones (log–log),
/// one colour per GPU and one marker per metric, with the identity line and a ±20 % band.
enum ParityChart {
    static let metrics = ["TPOT", "TTFT", "output tokens/s"]

    static func spec(_ input: ChartInput) throws -> ChartSpec {
        let s = input.spec
        var series: [Series] = []
        var lo = Double.infinity, hi = 0.0
        var drawn = 0
        for (i, g) in s.gpus.enumerated() {
            let modelIDs = Set(s.models.map(\.id))
            let points = s.measurements.filter { $0.gpu.id == g.id && modelIDs.contains($0.model.id) }
            guard !points.isEmpty else { continue }
            let e = s.efficiency.resolve(for: g)
            var byMetric: [[DataPoint]] = [[], [], []]
            for m in points {
                let p = Calibration.predict(m, efficiency: e, spec: s)
                if let t = m.tpotMs, let q = p.tpotMs { byMetric[0].append(DataPoint(t, q)) }
                if let t = m.ttftMs, let q = p.ttftMs { byMetric[1].append(DataPoint(t, q)) }
                if let t = m.outputTokensPerSecond { byMetric[2].append(DataPoint(t, p.outputTokensPerSecond)) }
            }
            for (k, pts) in byMetric.enumerated() where !pts.isEmpty {
                for p in pts { lo = min(lo, p.x, p.y); hi = max(hi, p.x, p.y) }
                drawn += pts.count
                series.append(.scatter(points: pts, marker: MarkerStyle(shape: Palette.marker(k), size: 6, filled: k != 1), color: Palette.color(input.slot(i)),
                                       label: "\(Label.e(Label.shortName(g))): \(metrics[k]) (\(pts.count))"))
            }
        }
        guard drawn > 0 else {
            throw Messages.Charts.noMeasuredPoint(gpus: s.gpus.map(\.id), models: s.models.map(\.id))
        }
        lo /= 1.6; hi *= 1.6
        let diag = Label.geom(lo, hi, 2).map { DataPoint($0, $0) }
        let band = Color(hex: 0x999999)
        series.insert(.line(points: diag, style: LineStyle(color: .black, width: 0.9), label: "model = measured"), at: 0)
        series.insert(.line(points: diag.map { DataPoint($0.x, $0.y * 1.2) }, style: LineStyle(color: band, width: 0.8, dash: [4, 3]), label: "±20 %"), at: 1)
        series.insert(.line(points: diag.map { DataPoint($0.x, $0.y / 1.2) }, style: LineStyle(color: band, width: 0.8, dash: [4, 3]), label: nil), at: 2)
        return ChartSpec(
            title: "Model vs measurement",
            subtitle: "efficiency \(s.efficiency.name); each point a measured TPOT or TTFT (ms) or output throughput (tokens/s) against the model's value",
            caption: Label.caption(input, extra: "Points on the diagonal are predicted exactly; above it the model is too slow (or, for throughput, too fast), below it the reverse."),
            x: AxisSpec(scale: .log, title: "Measured", unit: "ms or tokens/s", domain: .explicit(lo...hi), format: .si()),
            y: AxisSpec(scale: .log, title: "Model", unit: "ms or tokens/s", domain: .explicit(lo...hi), format: .si()),
            series: series, legend: .auto)
    }
}
