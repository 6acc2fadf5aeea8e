import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Roofline: attainable FLOP/s per GPU vs arithmetic intensity (log-log). One roof per GPU
/// (bandwidth slope up to the ridge, then the compute roof), the ridge marked with its value,
/// decode points per batch and one prefill point per GPU, for the spec's first model.
enum RooflineChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        let model = s.models[0]
        let context = s.contexts[s.contexts.count / 2]
        let gpus = s.gpus
        var series: [Series] = []
        var annotations: [Annotation] = []
        var references: [ReferenceLine] = []
        var intensities: [Double] = []
        var pointSets: [(Int, [DataPoint], [Int], DataPoint?)] = []
        var unfit: [DataPoint] = []
        for (i, g) in gpus.enumerated() {
            let d = input.deployment(g, model)
            let n = Double(d.gpus)
            var pts: [DataPoint] = [], bs: [Int] = []
            for b in s.batchSizes {
                let r = d.decode(batch: b, context: context)
                // A batch whose KV cache does not fit is not an operating point: drawn apart.
                if r.fits { pts.append(DataPoint(r.intensity, r.achievedFlops / n)); bs.append(b) } else { unfit.append(DataPoint(r.intensity, r.achievedFlops / n)) }
                intensities.append(r.intensity)
            }
            let p = d.prefill(batch: 1, context: max(context, 1))
            intensities.append(p.intensity)
            pointSets.append((i, pts, bs, DataPoint(p.intensity, p.achievedFlops / n)))
            intensities.append(d.ridge)
        }
        let xMin = max(0.05, min(0.5, intensities.min() ?? 1) / 2)
        let xMax = (intensities.max() ?? 1000) * 4
        for (i, g) in gpus.enumerated() {
            let d = input.deployment(g, model)
            let pi = d.peakPerGPU * d.efficiency.compute, beta = g.bandwidth * d.efficiency.memory
            let ridge = pi / beta
            let roof = [DataPoint(xMin, beta * xMin), DataPoint(ridge, pi), DataPoint(xMax, pi)]
            let label = "\(Label.gpu(d)): \(Fmt.si(pi, "FLOP/s")), \(Fmt.si(beta, "B/s"))"
            series.append(.line(points: roof, style: LineStyle(color: Palette.color(input.slot(i)), width: 1.6, dash: Palette.dash(input.slot(i))), label: label))
            references.append(ReferenceLine(axis: .x, value: ridge, label: "ridge \(Label.num(ridge))",
                                            style: LineStyle(color: Palette.color(input.slot(i)), width: 0.8, dash: [3, 3])))
        }
        // Measured decode steps: the model's FLOPs and intensity of the step at the measured
        // batch and mean context, divided by the measured TPOT (hollow, in the GPU's colour).
        var allMeasured: [MeasuredPoint] = []
        for (i, g) in gpus.enumerated() {
            let d = input.deployment(g, model)
            let meas = measured(input, gpu: g, model: model, gpus: d.gpus).filter { $0.tpotMs != nil }
            guard !meas.isEmpty else { continue }
            let pts = meas.map { m -> DataPoint in
                let r = d.decode(batch: m.batch, context: m.inputTokens + m.outputTokens / 2)
                return DataPoint(r.intensity, r.flops / ((m.tpotMs ?? 1) / 1000) / Double(d.gpus))
            }.filter { $0.x >= xMin && $0.x <= xMax }
            guard !pts.isEmpty else { continue }
            series.append(.scatter(points: pts, marker: MarkerStyle(shape: .square, size: 6.5, filled: false, lineWidth: 1.3), color: Palette.color(input.slot(i)),
                                   label: allMeasured.isEmpty ? measuredLabel(meas) + " decode" : nil))
            allMeasured += meas
        }
        for (i, pts, bs, prefill) in pointSets {
            series.append(.scatter(points: pts, marker: MarkerStyle(shape: .circle, size: 5.5), color: Palette.color(input.slot(i)),
                                   label: i == 0 ? "decode, S = \(Fmt.grouped(context)) (per batch)" : nil))
            if let prefill {
                series.append(.scatter(points: [prefill], marker: MarkerStyle(shape: .diamond, size: 7, filled: false),
                                       color: Palette.color(input.slot(i)), label: i == 0 ? "prefill, 1 × \(Fmt.grouped(context)) tokens" : nil))
                if i == 0 { annotations.append(Annotation("prefill", at: prefill, priority: 5, color: Palette.color(input.slot(i)))) }
            }
            if i == 0 {
                // Up to 10 batch sizes carry a label, spread over the spec's list.
                let labelled = Label.spread(bs, 10)
                for (k, (p, b)) in zip(pts, bs).enumerated() where labelled.contains(b) {
                    annotations.append(Annotation("B=\(b)", at: p, priority: 10 - min(9, k),
                                                  preferred: [.belowRight, .right, .aboveLeft], color: Palette.color(input.slot(i))))
                }
            }
        }
        if !unfit.isEmpty {
            series.append(.scatter(points: unfit, marker: MarkerStyle(shape: .cross, size: 5, filled: false, lineWidth: 1), color: Color(hex: 0x999999),
                                   label: "batch does not fit in memory"))
        }
        return ChartSpec(
            title: "Roofline: \(Label.model(model)) decode and prefill",
            subtitle: "attainable throughput per GPU; points are \(Label.model(model)) steps at \(Fmt.grouped(context)) tokens of context",
            caption: Label.caption(input, extra: "Left of a GPU's ridge a step is limited by memory bandwidth, right of it by compute; decode sits far left, prefill far right."),
            x: AxisSpec(scale: .log, title: "Arithmetic intensity", unit: "FLOP/byte", domain: .explicit(xMin...xMax), format: .auto),
            y: AxisSpec(scale: .log, title: "Attainable performance per GPU", unit: "FLOP/s", format: .si()),
            series: series, annotations: annotations, references: references, legend: .auto)
    }
}
