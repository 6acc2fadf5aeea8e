import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Cost hyperbola: $/Mtok vs batch (log-log) for the spec's first GPU and model: the weight
/// term (falls as 1/B), the KV term per context (flat), the compute floor (flat) and the total
/// per context; the balance batch B* marked.
enum CostChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        let (d, contexts, bMax, bs) = input.firstDeployment
        func row(_ b: Double, _ c: Int) -> EvalRow { d.decode(batch: b, context: c) }
        var series: [Series] = []
        let grey = Color(hex: 0x555555)
        series.append(.line(points: bs.map { DataPoint($0, row($0, 0).usdPerMtokWeights) },
                            style: LineStyle(color: grey, width: 1, dash: [5, 3]), label: "weight term (∝ 1/B)"))
        series.append(.line(points: bs.map { DataPoint($0, row($0, contexts[0]).usdPerMtokCompute) },
                            style: LineStyle(color: .black, width: 1, dash: [1.5, 2]), label: "compute floor"))
        var annotations: [Annotation] = []
        var labelledBeyond = false, anyWall = false
        for (j, c) in contexts.enumerated() {
            let color = Palette.color(j)
            if c > 0 {
                series.append(.line(points: bs.map { DataPoint($0, row($0, c).usdPerMtokKV) },
                                    style: LineStyle(color: color, width: 0.8, dash: [3, 2]), label: nil))
                // Near B = 1 every total curve is far above its flat KV line: label the line there.
                let x = bs[2]
                annotations.append(Annotation("KV term, S = \(Fmt.grouped(c))", at: DataPoint(x, row(x, c).usdPerMtokKV),
                                              priority: 2, preferred: [.belowRight, .aboveRight, .below, .above], color: color))
            }
            let wall = Double(d.maxBatchThatFits(context: c))
            if wall < bMax { anyWall = true }
            series += MemoryWall.series(bs.map { DataPoint($0, row($0, c).usdPerMtok) }, wall: wall, style: LineStyle(color: color, width: 1.8),
                                        label: "total, S = \(Fmt.grouped(c))", labelBeyond: &labelledBeyond) { row($0, c).usdPerMtok }
            let pts = s.batchSizes.filter { Double($0) <= wall }.map { b -> DataPoint in
                let r = d.decode(batch: b, context: c); return DataPoint(Double(b), r.usdPerMtok)
            }
            if !pts.isEmpty { series.append(.scatter(points: pts, marker: MarkerStyle(shape: Palette.marker(j), size: 5), color: color, label: nil)) }
        }
        let bStar = d.balanceBatch
        let refs = bStar <= bMax ? [ReferenceLine(axis: .x, value: bStar, label: "B* = \(Label.num(bStar))",
                                                  style: LineStyle(color: Palette.vermillion, width: 1, dash: [6, 2, 2, 2]))] : []
        let fit = d.weightsFit ? "" : " (weights do not fit)"
        return ChartSpec(
            title: "Cost per token: \(Label.model(d.model)) on \(Label.gpu(d))\(fit)",
            subtitle: "$\(Fmt.fixed(d.usdPerHour, 2)) per GPU-hour; B* is where the weight fetch takes as long as the math",
            caption: Label.caption(input, extra: "Batching spreads the weight read over B tokens until the flat KV and compute terms take over; past B* more batching saves little."
                + (anyWall ? " Grey dashes: batches whose KV cache no longer fits; grid points are drawn only where they fit." : "")),
            x: AxisSpec(scale: .log, title: "Batch size B", unit: "sequences", domain: .explicit(1...bMax), format: .auto),
            y: AxisSpec(scale: .log, title: "Cost", unit: "$ per million output tokens", format: .currency()),
            series: series, annotations: annotations, references: refs, legend: .auto)
    }
}
