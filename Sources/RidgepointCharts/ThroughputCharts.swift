import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Throughput vs batch (log-log) for the first GPU and model: one curve per context, rising
/// linearly while memory-bound, bending at the knee and flattening on the compute roof; the
/// memory wall where the KV cache no longer fits is marked and the curve dotted beyond it.
enum ThroughputChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let (d, contexts, bMax, bs) = input.firstDeployment
        var series: [Series] = [], refs: [ReferenceLine] = [], annotations: [Annotation] = []
        for (j, c) in contexts.enumerated() {
            let color = Palette.color(j)
            let wall = Double(d.maxBatchThatFits(context: c))
            let pts = bs.map { DataPoint($0, d.decode(batch: $0, context: c).tokensPerSecond) }
            let inside = pts.filter { $0.x <= wall }, outside = pts.filter { $0.x >= wall }
            if inside.count >= 2 {
                series.append(.line(points: inside, style: LineStyle(color: color, width: 1.8, dash: Palette.dash(j)), label: "S = \(Fmt.grouped(c))"))
            }
            if outside.count >= 2 {
                series.append(.line(points: outside, style: LineStyle(color: color, width: 1, dash: [1, 2.5]),
                                    label: inside.count >= 2 ? nil : "S = \(Fmt.grouped(c)) (does not fit)"))
            }
            if wall >= 1 && wall < bMax {
                let y = d.decode(batch: wall, context: c).tokensPerSecond
                series.append(.scatter(points: [DataPoint(wall, y)], marker: MarkerStyle(shape: .cross, size: 7), color: color, label: nil))
                annotations.append(Annotation("KV full at B=\(Fmt.grouped(Int(wall)))", at: DataPoint(wall, y), priority: 8,
                                              preferred: [.belowRight, .below, .right], color: color))
            }
            if let knee = d.kneeBatch(context: c), knee <= bMax {
                let y = d.decode(batch: knee, context: c).tokensPerSecond
                series.append(.scatter(points: [DataPoint(knee, y)], marker: MarkerStyle(shape: .circle, size: 6), color: color, label: nil))
                annotations.append(Annotation("knee B≈\(Label.num(knee))", at: DataPoint(knee, y), priority: 9,
                                              preferred: [.aboveLeft, .above, .left], color: color))
            }
        }
        // Measured output throughput of this GPU, model and replica size (hollow diamonds).
        let meas = measured(input, gpu: d.gpu, model: d.model, gpus: d.gpus).filter { $0.outputTokensPerSecond != nil && Double($0.batch) <= bMax }
        if !meas.isEmpty {
            series.append(.scatter(points: meas.map { DataPoint(Double($0.batch), $0.outputTokensPerSecond ?? 0) },
                                   marker: MarkerStyle(shape: .diamond, size: 7, filled: false, lineWidth: 1.3), color: Color(hex: 0x222222),
                                   label: measuredLabel(meas)))
        }
        if d.balanceBatch <= bMax {
            refs.append(ReferenceLine(axis: .x, value: d.balanceBatch, label: "B* = \(Label.num(d.balanceBatch))",
                                      style: LineStyle(color: Color(hex: 0x777777), width: 0.7, dash: [2, 3])))
        }
        return ChartSpec(
            title: "Throughput vs batch: \(Label.model(d.model)) on \(Label.gpu(d))",
            subtitle: "decode tokens per second for the replica, one curve per context length",
            caption: Label.caption(input, extra: "Throughput grows with B while the weight read dominates, flattens once compute does; longer contexts add KV traffic, move the knee right and hit the memory wall sooner."),
            x: AxisSpec(scale: .log, title: "Batch size B", unit: "sequences", domain: .explicit(1...bMax)),
            y: AxisSpec(scale: .log, title: "Throughput", unit: "tokens/s", format: .si()),
            series: series, annotations: annotations, references: refs, legend: .auto)
    }
}

/// Latency–throughput: TPOT vs tokens/s per GPU for each GPU (log-log), one point per batch
/// size that fits, with the TPOT target as a horizontal line.
enum LatencyChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        let model = s.models[0]
        let context = s.contexts[s.contexts.count / 2]
        var series: [Series] = [], annotations: [Annotation] = []
        var allMeasured: [MeasuredPoint] = [], measuredSeries: [Int] = []
        var batches = Set(s.batchSizes)
        let labelledBatches = Label.spread(s.batchSizes, 8)
        for b in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] { batches.insert(b) }
        let sorted = batches.sorted()
        for (i, g) in s.gpus.enumerated() {
            let d = input.deployment(g, model)
            var pts: [DataPoint] = [], labelled: [(Int, DataPoint)] = []
            for b in sorted {
                let r = d.decode(batch: b, context: context)
                guard r.fits else { break }
                let p = DataPoint(r.tokensPerSecond / Double(d.gpus), r.stepTime * 1000)
                pts.append(p)
                if labelledBatches.contains(b) { labelled.append((b, p)) }
            }
            guard !pts.isEmpty else { continue }
            series.append(.line(points: pts, style: LineStyle(color: Palette.color(input.slot(i)), width: 1.5, dash: Palette.dash(input.slot(i)),
                                                              marker: MarkerStyle(shape: Palette.marker(input.slot(i)), size: 4.5)),
                                label: Label.gpu(d)))
            // Measured TPOT against throughput per GPU, hollow, in the GPU's colour; one legend entry.
            let meas = measured(input, gpu: g, model: model, gpus: d.gpus).filter { $0.tpotMs != nil && $0.outputTokensPerSecond != nil }
            if !meas.isEmpty {
                allMeasured += meas
                series.append(.scatter(points: meas.map { DataPoint(($0.outputTokensPerSecond ?? 0) / Double($0.gpus), $0.tpotMs ?? 0) },
                                       marker: MarkerStyle(shape: Palette.marker(input.slot(i)), size: 7, filled: false, lineWidth: 1.3), color: Palette.color(input.slot(i)),
                                       label: nil))
                measuredSeries.append(series.count - 1)
            }
            if i == 0 {
                for (b, p) in labelled {
                    annotations.append(Annotation("B=\(b)", at: p, priority: 5, preferred: [.aboveLeft, .left, .above], color: Palette.color(input.slot(i))))
                }
            }
        }
        if let first = measuredSeries.first, case .scatter(let pts, let marker, let color, _) = series[first] {
            series[first] = .scatter(points: pts, marker: marker, color: color, label: measuredLabel(allMeasured))
        }
        var refs: [ReferenceLine] = []
        // The TPOT targets: the spec's, or each distinct target of its workloads (named).
        var targets: [(Double, [String])] = []
        if let t = s.slo.tpotMs { targets = [(t, [])] } else {
            for w in s.workloads {
                guard let t = w.slo.tpotMs else { continue }
                if let i = targets.firstIndex(where: { $0.0 == t }) { targets[i].1.append(w.name) } else { targets.append((t, [w.name])) }
            }
        }
        for (t, names) in targets.prefix(3) {
            refs.append(ReferenceLine(axis: .y, value: t, label: "TPOT target \(Fmt.number(t, sig: 4)) ms" + (names.isEmpty ? "" : " (\(Label.e(names.joined(separator: ", "))))"),
                                      style: LineStyle(color: Palette.vermillion, width: 1, dash: [6, 3])))
        }
        return ChartSpec(
            title: "Latency vs throughput: \(Label.model(model))",
            subtitle: "time per output token vs decode tokens/s per GPU at \(Fmt.grouped(context)) tokens of context; points from B = 1 up to the largest batch that fits",
            caption: Label.caption(input, extra: "Moving right buys throughput with batch size; the curve turns up where steps become compute-bound and each extra sequence slows every user."),
            x: AxisSpec(scale: .log, title: "Throughput per GPU", unit: "tokens/s", format: .si()),
            y: AxisSpec(scale: .log, title: "Time per output token", unit: "ms"),
            series: series, annotations: annotations, references: refs, legend: .auto)
    }
}

/// Tokens per dollar vs batch for each GPU (first model, smallest replica that fits), with the
/// batch sizes where one GPU overtakes another marked.
enum TokensPerDollarChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        let model = s.models[0]
        let context = s.contexts[0]
        let deps = s.gpus.map { input.deployment($0, model) }
        let (bMax, bs) = input.batchAxis((deps.map(\.balanceBatch).max() ?? 512) * 0.75)
        var series: [Series] = [], annotations: [Annotation] = []
        var labelledBeyond = false
        let walls = deps.map { Double($0.maxBatchThatFits(context: context)) }
        for (i, d) in deps.enumerated() {
            let curve = bs.map { DataPoint($0, Comparison.tokensPerDollar(d, batch: $0, context: context)) }
            series += MemoryWall.series(curve, wall: walls[i], style: LineStyle.series(input.slot(i), width: 1.7),
                                        label: "\(Label.gpu(d)) ($\(Fmt.fixed(d.usdPerHour, 2))/GPU-h)", labelBeyond: &labelledBeyond) {
                Comparison.tokensPerDollar(d, batch: $0, context: context)
            }
        }
        // Circles only where the leading GPU changes (among batches that fit).
        var crossings: [DataPoint] = []
        for c in Comparison.leadChanges(deps, context: context, range: 1...bMax, limits: walls) {
            let p = DataPoint(c.batch, Comparison.tokensPerDollar(deps[c.from], batch: c.batch, context: context))
            crossings.append(p)
            annotations.append(Annotation("\(Label.e(deps[c.to].gpu.shortName)) overtakes \(Label.e(deps[c.from].gpu.shortName)) at B≈\(Label.num(c.batch))", at: p, priority: 5,
                                          preferred: [.aboveLeft, .above, .belowRight, .below]))
        }
        if !crossings.isEmpty {
            series.append(.scatter(points: crossings, marker: MarkerStyle(shape: .circle, size: 6, filled: false), color: .black, label: "lead changes"))
        }
        return ChartSpec(
            title: "Tokens per dollar: \(Label.model(model))",
            subtitle: "decode output tokens per dollar at \(Fmt.grouped(context)) tokens of context, by batch size",
            caption: Label.caption(input, extra: "At small batch the GPU with the most bandwidth per dollar wins; at large batch the one with the most compute per dollar does."
                + (crossings.isEmpty ? " The leading GPU is the same at every batch shown (where it fits)." : " Circles mark where the leading GPU changes.")
                + (walls.contains { $0 < bMax } ? " Grey dashes: batches whose KV cache no longer fits." : "")),
            x: AxisSpec(scale: .log, title: "Batch size B", unit: "sequences", domain: .explicit(1...bMax)),
            y: AxisSpec(scale: .log, title: "Output tokens per dollar", unit: nil, format: .si()),
            series: series, annotations: annotations, legend: .auto)
    }
}
