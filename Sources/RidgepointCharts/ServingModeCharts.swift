import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// The replicas a serving-mode chart compares for the first GPU and model: plain tensor
/// parallelism at the chart's replica size, and every mode of the spec at the smallest
/// tensor-parallel degree it applies to whose weights fit.
enum ModeCurves {
    /// The replicas to draw, and the modes that cannot be drawn with why (named in the caption:
    /// a chart never drops a mode silently).
    static func deployments(_ input: ChartInput, keep: (ServingMode) -> Bool) -> (drawn: [Deployment], notDrawn: [String]) {
        let s = input.spec
        let g = s.gpus[0], m = s.models[0]
        var out: [Deployment] = [], notDrawn: [String] = []
        let base = input.deployment(g, m)
        let plain = s.deployment(g, m, gpus: base.tp)
        if keep(.plain) {
            if plain.maxBatchThatFits(context: 1) < 1 {
                notDrawn.append("plain TP \(plain.tp) (the model does not fit)")
            } else {
                out.append(plain)
            }
        }
        for mode in s.modes where !mode.isPlain && keep(mode) {
            let sizes = s.gpusPerReplica.sorted().filter { s.applies(mode, model: m, tp: $0) }
            let deps = sizes.map { s.deployment(g, m, gpus: $0, mode: mode) }
            guard let d = deps.first(where: { $0.tp >= base.tp && $0.maxBatchThatFits(context: 1) >= (mode.dpAttention ? $0.tp : 1) })
                    ?? deps.first(where: { $0.maxBatchThatFits(context: 1) >= 1 }) else {
                let why = sizes.isEmpty ? "it applies to none of the replica sizes" : "the model does not fit at \(sizes.map { "TP \($0)" }.joined(separator: ", "))"
                notDrawn.append("\(mode.description) (\(why))")
                continue
            }
            if out.count >= 8 { notDrawn.append("\(mode.description) (at most 8 curves)"); continue }
            if !out.contains(where: { $0.tp == d.tp && $0.mode == d.mode }) { out.append(d) }
        }
        return (out, notDrawn)
    }

    /// The legend label without markup escaping (for captions, which escape their own text).
    static func plainLabel(_ d: Deployment) -> String { d.mode.label(tp: d.tp, compact: true) }

    /// Whether two curves agree within 2 % at every batch both have (and share at least three).
    static func coincide(_ a: [DataPoint], _ b: [DataPoint]) -> Bool {
        var shared = 0
        for p in b {
            guard let q = a.first(where: { abs($0.x - p.x) <= 1e-9 * max(1, p.x) }) else { continue }
            shared += 1
            if abs(q.y / p.y - 1) > 0.02 { return false }
        }
        return shared >= 3
    }

    /// `chat (1,000 in / 250 out)`, or the shape alone when it is the name.
    static func workloadName(_ w: Workload) -> String { w.name == w.shape ? Label.e(w.shape) : "\(Label.e(w.name)) (\(Label.e(w.shape)))" }

    /// "Not drawn: …" for the caption: at most three named, then how many more (a caption must
    /// leave the plot its room).
    static func notDrawnNote(_ items: [String]) -> String {
        guard !items.isEmpty else { return "" }
        let shown = items.prefix(3).joined(separator: "; ")
        return "Not drawn: " + shown + (items.count > 3 ? "; and \(items.count - 3) more modes (see the serving-modes table)" : "") + "."
    }

    /// At most `n` items, then "and K more".
    static func capped(_ items: [String], _ n: Int = 3) -> [String] {
        items.count <= n ? items : Array(items.prefix(n)) + ["\(items.count - n) more"]
    }

    /// `TP 2 · speculative k 3, α 0.7 (MTP, 1 layer per draft token)` shortened for a legend.
    static func label(_ d: Deployment) -> String { Label.e(plainLabel(d)) }

    /// The end of the batch axis: a quarter beyond the largest batch any of `deps` holds (16 to
    /// 100,000).
    static func batchAxisEnd(_ deps: [Deployment], _ input: ChartInput, _ w: Workload) -> Double {
        let wall = deps.map { Double(min($0.maxBatchThatFits(context: w.peakContext), 100_000)) }.max() ?? 512
        return min(100_000, max(16, wall * 1.25))
    }

    /// Request rows of `d` for `workload` at each batch, up to the memory wall (the batch a
    /// data-parallel attention replica needs at least is its GPU count).
    static func rows(_ d: Deployment, _ input: ChartInput, _ w: Workload, _ batches: [Double]) -> [EvalRow] {
        let step = RequestStep(workload: w, serving: input.spec.serving)
        let wall = Double(d.maxBatchThatFits(context: w.peakContext))
        let lower = d.dpAttention ? Double(d.tp) : 1
        let shared = SharedDeployment(d)
        // The curve ends exactly at the memory wall (the largest batch that fits), not at the
        // last sample below it.
        var xs = batches.filter { $0 >= lower && $0 <= wall }
        if wall >= lower, wall < (batches.last ?? 0), xs.last != wall { xs.append(wall) }
        return xs.map { step.evaluate(shared, batch: $0) }
    }
}

/// Output tokens/s per GPU vs concurrent requests for each serving mode of the spec (first GPU,
/// model and workload): speculation lifts small batches and fades as steps become
/// compute-bound; data-parallel attention reaches batches plain TP cannot hold.
enum ServingModesChart {
    static func spec(_ input: ChartInput) throws -> ChartSpec {
        let s = input.spec
        guard let w = s.effectiveWorkloads.first else { throw Messages.Charts.needsData("serving-modes", "a workload") }
        let (deps, notDrawn) = ModeCurves.deployments(input) { _ in true }
        let bMax = ModeCurves.batchAxisEnd(deps, input, w)
        let batches = Label.geom(1, bMax, 40)
        var series: [Series] = [], annotations: [Annotation] = []
        var walls: Set<Int> = []
        var drawn: [(label: String, points: [DataPoint])] = [], coincide: [String] = []
        for (i, d) in deps.enumerated() {
            let pts = ModeCurves.rows(d, input, w, batches).map { DataPoint($0.batch, $0.tokensPerSecondPerGPU) }
            guard let last = pts.last else { continue }
            // A curve that lies on an earlier one (within 2 % wherever both are drawn) is named
            // in the caption, so that it does not look dropped.
            if let twin = drawn.first(where: { ModeCurves.coincide($0.points, pts) }) {
                coincide.append("\(ModeCurves.plainLabel(d)) lies on \(twin.label)")
            }
            drawn.append((ModeCurves.plainLabel(d), pts))
            series.append(.line(points: pts, style: LineStyle(color: Palette.color(i), width: i == 0 ? 2.2 : 1.6, dash: Palette.dash(i),
                                                              marker: nil),
                                label: ModeCurves.label(d) + (i == 0 ? " (plain)" : "")))
            if last.x < bMax * 0.99 {
                series.append(.scatter(points: [last], marker: MarkerStyle(shape: .cross, size: 7), color: Palette.color(i), label: nil))
                // One label per distinct wall: modes that fill memory at the same batch share it.
                if walls.insert(Int(last.x)).inserted {
                    annotations.append(Annotation("memory full, B=\(Fmt.grouped(Int(last.x)))", at: last, priority: 6,
                                                  preferred: [.belowRight, .below, .belowLeft], color: Palette.color(i)))
                }
            }
        }
        let d0 = deps.first ?? input.deployment(s.gpus[0], s.models[0])
        var notes: [String] = []
        if deps.contains(where: { $0.mode.speculative != nil }) {
            notes.append("Speculative decoding multiplies the tokens of a memory-bound step and loses once the verify step is compute-bound.")
        }
        if deps.contains(where: { $0.pp > 1 }) { notes.append("Pipeline stages add no bandwidth to a step: a micro-batch still passes every stage in turn.") }
        if deps.contains(where: { $0.dpAttention }) {
            notes.append("Data-parallel attention stores each sequence's KV once, so its curve runs to larger batches.")
        } else if deps.contains(where: { $0.ep > 1 }) {
            notes.append("Expert parallelism trades each MoE all-reduce for two all-to-alls.")
        }
        if deps.contains(where: { $0.mode.disaggregated != nil }) { notes.append("Disaggregated modes count both pools' GPUs.") }
        if !coincide.isEmpty {
            let text = Fmt.sentenceList(ModeCurves.capped(coincide))
            notes.append(text.prefix(1).uppercased() + text.dropFirst() + ".")
        }
        if !notDrawn.isEmpty { notes.append(ModeCurves.notDrawnNote(notDrawn)) }
        return ChartSpec(
            title: "Serving modes: \(Label.model(d0.model)) on \(Label.e(d0.gpu.shortName))",
            subtitle: "output tokens/s per GPU vs concurrent requests, \(ModeCurves.workloadName(w)); each curve ends where memory is full",
            caption: Label.caption(input, extra: notes.joined(separator: " ")),
            x: AxisSpec(scale: .log, title: "Concurrent requests per replica", unit: "sequences", domain: .explicit(1...bMax)),
            y: AxisSpec(scale: .log, title: "Output throughput per GPU", unit: "tokens/s", format: .si()),
            series: series, annotations: annotations, references: [], legend: .auto)
    }
}

/// Cost per 1,000 requests vs the batch of each decode replica, colocated against each
/// disaggregated prefill/decode split of the spec (first GPU, model and workload).
enum DisaggregationChart {
    static func spec(_ input: ChartInput) throws -> ChartSpec {
        let s = input.spec
        guard let w = s.effectiveWorkloads.first else { throw Messages.Charts.needsData("disaggregation", "a workload") }
        var (deps, notDrawn) = ModeCurves.deployments(input) { $0.disaggregated != nil }
        // The colocated baseline of each split: the same layout without disaggregation.
        var all: [Deployment] = []
        for d in deps {
            var colocated = d.mode
            colocated.disaggregated = nil
            let c = s.deployment(d.gpu, d.model, gpus: d.tp, mode: colocated)
            if !all.contains(where: { $0.tp == c.tp && $0.mode == c.mode }) { all.append(c) }
        }
        if all.isEmpty {
            // No split fits: show the colocated layouts that do, and say so.
            all = ModeCurves.deployments(input) { $0.disaggregated == nil && $0.speculative == nil }.drawn
            if !notDrawn.isEmpty { notDrawn.insert("no disaggregated split fits", at: 0) }
        }
        deps = all + deps
        let bMax = ModeCurves.batchAxisEnd(deps, input, w)
        let batches = Label.geom(1, bMax, 40)
        var series: [Series] = [], annotations: [Annotation] = []
        for (i, d) in deps.enumerated() {
            let rows = ModeCurves.rows(d, input, w, batches)
            let pts = rows.compactMap { r in r.request.map { DataPoint(r.batch, $0.usdPerRequest * 1000) } }
            guard !pts.isEmpty else { continue }
            let colocated = d.mode.disaggregated == nil
            series.append(.line(points: pts, style: LineStyle(color: Palette.color(i), width: colocated ? 2.2 : 1.6, dash: Palette.dash(i)),
                                label: ModeCurves.label(d) + (colocated ? " (colocated)" : "")))
            // Where the prefill pool becomes the limit, the cost stops falling.
            if !colocated, let split = d.mode.disaggregated,
               let knee = rows.first(where: { r in
                   guard let q = r.request, let bal = q.balancedPrefillToDecode else { return false }
                   return bal >= Double(split.prefillGPUs) / Double(split.decodeGPUs)
               }), let q = knee.request {
                let p = DataPoint(knee.batch, q.usdPerRequest * 1000)
                series.append(.scatter(points: [p], marker: MarkerStyle(shape: .circle, size: 6), color: Palette.color(i), label: nil))
                annotations.append(Annotation("prefill pool full at B≈\(Fmt.grouped(Int(knee.batch)))", at: p, priority: 7,
                                              preferred: [.above, .aboveRight, .right], color: Palette.color(i)))
            }
        }
        let d0 = deps.first ?? input.deployment(s.gpus[0], s.models[0])
        return ChartSpec(
            title: "Disaggregated vs colocated: \(Label.model(d0.model)) on \(Label.e(d0.gpu.shortName))",
            subtitle: "dollars per 1,000 requests vs sequences per decode replica, \(ModeCurves.workloadName(w))",
            caption: Label.caption(input, extra: "Disaggregated pools pay for P + D GPUs and ship each prompt's KV, but decode steps carry no prefill; once the decode pool outruns the prefill pool the cost stops falling (the balanced P:D moves with the batch)." + (notDrawn.isEmpty ? "" : " " + ModeCurves.notDrawnNote(notDrawn))),
            x: AxisSpec(scale: .log, title: "Sequences per decode replica", unit: "sequences", domain: .explicit(1...bMax)),
            y: AxisSpec(scale: .log, title: "Cost per 1,000 requests", unit: "USD", format: .currency()),
            series: series, annotations: annotations, references: [], legend: .auto)
    }
}
