import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// KV-cache bytes per sequence vs context for each model (log-log), with the attention kind in
/// the legend (MHA, GQA, MQA, MLA), the first grouped model's full-MHA equivalent dashed, and
/// the GPUs' memory capacities as horizontal lines.
enum KVCacheChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        let maxCtx = Double(max(131_072, s.contexts.max() ?? 0))
        let xs = Label.geom(256, maxCtx, 24)
        var series: [Series] = []
        for (i, m) in s.models.enumerated() {
            let kv = m.kvBytesPerToken(s.kv.bytes)
            let kind: String
            switch m.attentionKind {
            case .mla: kind = "MLA latent \(m.mla.map { $0.kvLoraRank + $0.qkRopeHeadDim } ?? 0)"
            case .mha: kind = "MHA \(m.kvHeads) heads"
            case .gqa: kind = "GQA \(m.kvHeads)/\(m.attentionHeads)"
            case .mqa: kind = "MQA"
            }
            series.append(.line(points: xs.map { DataPoint($0, $0 * kv) }, style: LineStyle.series(i, width: 1.7),
                                label: "\(Label.model(m)) (\(kind)): \(Fmt.bytes(kv, sig: 3))/token"))
        }
        if let g = s.models.first(where: { $0.attentionKind == .gqa || $0.attentionKind == .mla }) {
            let mha = g.mhaKVBytesPerToken(s.kv.bytes)
            series.append(.line(points: xs.map { DataPoint($0, $0 * mha) }, style: LineStyle(color: Color(hex: 0x888888), width: 1, dash: [4, 3]),
                                label: "\(Label.model(g)) if it used MHA (\(g.attentionHeads) KV heads)"))
        }
        var refs: [ReferenceLine] = []
        // One line per distinct memory size, naming every GPU that has it.
        var sizes: [Double] = []
        var names: [Double: [String]] = [:]
        for g in s.gpus {
            if names[g.memoryBytes] == nil { sizes.append(g.memoryBytes) }
            names[g.memoryBytes, default: []].append(Label.shortName(g))
        }
        for size in sizes {
            refs.append(ReferenceLine(axis: .y, value: size, label: "\(Label.e((names[size] ?? []).joined(separator: ", "))): \(Fmt.number(size / 1e9, sig: 4)) GB",
                                      style: LineStyle(color: Color(hex: 0x444444), width: 0.8, dash: [2, 2])))
        }
        return ChartSpec(
            title: "KV cache per sequence vs context",
            subtitle: "\(s.kv.rawValue) cache for one sequence, against the memory of one GPU",
            caption: Label.caption(input, extra: "Grouped-query and latent attention cut the cache by the ratio of query to KV heads; a single long sequence can outgrow a GPU before any weights are loaded.", basis: .kvOnly),
            x: AxisSpec(scale: .log, title: "Context length", unit: "tokens", domain: .explicit(256...maxCtx), format: .si()),
            y: AxisSpec(scale: .log, title: "KV cache per sequence", unit: "bytes", format: .si(unit: "B")),
            series: series, references: refs, legend: .auto)
    }
}

/// Concurrency: how many sequences fit when each pre-allocates KV for the longest context
/// versus paging it in 16-token blocks for its actual length, as the mean length varies.
enum ConcurrencyChart {
    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        let d = input.deployment(s.gpus[0], s.models[0])
        let sMax = max(64, s.contexts.max() ?? 2048)
        let xs = Label.geom(16, Double(sMax), 40)
        let pre = Double(d.maxConcurrentPreallocated(maxTokens: sMax))
        var series: [Series] = []
        series.append(.line(points: xs.map { DataPoint($0, Double(d.maxConcurrentPaged(meanTokens: Int($0.rounded()), blockTokens: 16))) }
                                .filter { $0.y > 0 },
                            style: LineStyle.series(0, width: 1.8), label: "paged KV (16-token blocks)"))
        if pre > 0 {
            series.append(.line(points: xs.map { DataPoint($0, pre) }, style: LineStyle.series(1, width: 1.8),
                                label: "pre-allocated for \(Fmt.grouped(sMax)) tokens"))
        }
        var refs: [ReferenceLine] = []
        if let knee = d.kneeBatch(context: s.meanSequenceTokens) {
            refs.append(ReferenceLine(axis: .y, value: knee, label: "knee at \(Fmt.grouped(s.meanSequenceTokens)) tokens: compute-bound from B ≈ \(Label.num(knee)) (B* = \(Label.num(d.balanceBatch)) without KV)",
                                      style: LineStyle(color: Palette.vermillion, width: 1, dash: [6, 2, 2, 2])))
        }
        refs.append(ReferenceLine(axis: .x, value: Double(s.meanSequenceTokens), label: "mean \(Fmt.grouped(s.meanSequenceTokens)) tokens",
                                  style: LineStyle(color: Color(hex: 0x777777), width: 0.7, dash: [2, 3])))
        let budget = Fmt.number(d.kvBudgetBytes / 1e9, sig: 3)
        return ChartSpec(
            title: "Concurrent sequences: \(Label.model(d.model)) on \(Label.gpu(d))",
            subtitle: "\(budget) GB left for the KV cache after weights and the \(Fmt.number(d.reserveFraction * 100, sig: 3)) % reserve",
            caption: Label.caption(input, extra: "Pre-allocating for the longest context caps concurrency regardless of how long sequences really are; paging lets short sequences share the memory.", basis: .memory),
            x: AxisSpec(scale: .log, title: "Mean tokens held per sequence", unit: "tokens", domain: .explicit(16...Double(sMax)), format: .si()),
            y: AxisSpec(scale: .log, title: "Concurrent sequences", unit: nil, format: .si()),
            series: series, references: refs, legend: .auto)
    }
}

/// Ridge point across GPU generations: peak compute, memory bandwidth and their ratio, each
/// relative to the oldest GPU shown (log scale), one flagship per year.
enum GenerationsChart {
    static func flagships(_ gpus: [GPU]) -> [GPU] {
        var byYear: [Int: GPU] = [:]
        for g in gpus {
            guard let y = g.year, let p = g.peak(g.computePrecision(for: .bf16)) else { continue }
            if let cur = byYear[y] {
                let cp = cur.peak(cur.computePrecision(for: .bf16)) ?? 0
                if cp > p || (cp == p && cur.bandwidth >= g.bandwidth) { continue }
            }
            byYear[y] = g
        }
        return byYear.keys.sorted().compactMap { byYear[$0] }
    }

    static func spec(_ input: ChartInput) -> ChartSpec {
        let s = input.spec
        // The generational line is NVIDIA's data-centre flagship per year from the catalog
        // (P100 … GB200), whichever GPUs the spec compares.
        let gs = flagships(s.catalog.gpus.filter {
            $0.origin == "catalog" && $0.vendor == "NVIDIA" && ($0.formFactor.uppercased().contains("SXM") || ["b200", "gb200"].contains($0.id))
        })
        guard let first = gs.first else { return ChartSpec(title: "Ridge point across generations") }
        let p0 = first.peak(first.computePrecision(for: .bf16)) ?? 1, b0 = first.bandwidth, r0 = p0 / b0
        var compute: [DataPoint] = [], bw: [DataPoint] = [], ridge: [DataPoint] = []
        var annotations: [Annotation] = []
        for g in gs {
            let y = Double(g.year ?? 0)
            let p = g.peak(g.computePrecision(for: .bf16)) ?? 0
            compute.append(DataPoint(y, p / p0)); bw.append(DataPoint(y, g.bandwidth / b0)); ridge.append(DataPoint(y, p / g.bandwidth / r0))
            annotations.append(Annotation("\(Label.e(g.shortName)): I* = \(Label.num(p / g.bandwidth))", at: ridge.last!, priority: 5,
                                          preferred: [.belowRight, .right, .below], color: Palette.color(2)))
        }
        let series: [Series] = [
            .line(points: compute, style: LineStyle(color: Palette.color(0), width: 1.7, marker: MarkerStyle(shape: .circle, size: 5)),
                  label: "dense bf16/fp16 compute (×)"),
            .line(points: bw, style: LineStyle(color: Palette.color(1), width: 1.7, dash: Palette.dash(1), marker: MarkerStyle(shape: .square, size: 5)),
                  label: "memory bandwidth (×)"),
            .line(points: ridge, style: LineStyle(color: Palette.color(2), width: 1.7, dash: Palette.dash(2), marker: MarkerStyle(shape: .triangle, size: 6)),
                  label: "ridge point Π/β (×)"),
        ]
        let years = gs.compactMap(\.year)
        let x0 = Double(years.min() ?? 2016) - 0.6, x1 = Double(years.max() ?? 2024) + 0.9
        return ChartSpec(
            title: "Compute has outgrown bandwidth",
            subtitle: "growth relative to the \(Label.e(first.shortName)) (\(first.year ?? 0)); one flagship per year, dense peaks",
            caption: Label.caption(input, extra: "Over the decade compute grew faster than memory bandwidth, so the batch needed to keep the tensor cores busy rose — though not at every step: a part that adds bandwidth without compute lowers it.", basis: .datasheet),
            x: AxisSpec(scale: .linear, title: "Year", domain: .explicit(x0...x1), nice: false, format: .fixed(digits: 0), grid: false),
            y: AxisSpec(scale: .log, title: "Relative to \(Label.e(first.shortName))", unit: "×", format: .auto),
            series: series, annotations: annotations, legend: .auto)
    }
}
