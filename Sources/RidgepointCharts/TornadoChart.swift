import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Tornado: how the cheapest configuration's cost per request moves when each uncertain input
/// is varied over its range, largest swing on top. One bar per input, split at the base cost:
/// blue for the low end of the range, orange for the high end; a row whose end changes the
/// winner names the GPU that wins there. Inputs that move prices only on owned GPUs
/// (purchase price, power price, utilisation) are costed on the owned basis.
enum TornadoChart {
    /// The rows of the chart: the rented analysis' inputs, then the owned analysis' inputs
    /// rented ones do not cover.
    static func rows(_ spec: Spec, _ rec: Recommendation, cached: WorkloadDecision?) -> [(bar: TornadoBar, basis: CostBasis, base: Double)] {
        var out: [(TornadoBar, CostBasis, Double)] = []
        let rented = cached.map { $0.rented } ?? Sensitivity.analyse(spec, rec, basis: .rented, findCrossovers: false)
        let owned = cached.map { $0.owned } ?? Sensitivity.analyse(spec, rec, basis: .owned, findCrossovers: false)
        if let a = rented { out += a.bars.map { ($0, .rented, a.baseCost) } }
        if let a = owned {
            for b in a.bars {
                switch b.input.kind {
                case .capex, .powerPrice, .utilisation: out.append((b, .owned, a.baseCost))
                default: continue
                }
            }
        }
        return out.sorted { relativeSwing($0.0, $0.2) > relativeSwing($1.0, $1.2) }
    }

    static func relativeSwing(_ b: TornadoBar, _ base: Double) -> Double {
        guard let l = b.costAtLow, let h = b.costAtHigh else { return .infinity }
        return abs(h - l) / base
    }

    static func spec(_ input: ChartInput) throws -> ChartSpec {
        let s = input.spec
        guard let model = s.models.first, let workload = s.effectiveWorkloads.first else {
            throw Messages.Charts.needsData("tornado", "a model and a workload")
        }
        let rec = input.recommendation(model, workload)
        guard let winner = rec.winner else {
            throw Messages.Charts.noWinner(model.name, workload.name)
        }
        let all = rows(s, rec, cached: input.decision(model, workload))
        // Inputs that move neither the cost nor the winner say nothing: left out (and counted).
        let rows = all.filter { $0.bar.flips || relativeSwing($0.bar, $0.base) > 1e-6 }
        let idle = all.count - rows.count
        guard !rows.isEmpty else { throw Messages.Charts.nothingToVary(model.name, workload.name) }
        let n = rows.count
        let low = Color(hex: 0x3B75AF), high = Color(hex: 0xEF8636)
        var series: [Series] = []
        var names: [String] = Array(repeating: "", count: n)
        var annotations: [Annotation] = []
        var extent = 0.05
        var labelledLow = false, labelledHigh = false
        for (i, r) in rows.enumerated() {
            let y = Double(n - 1 - i)
            let range = r.bar.input.rangeText
            var flip: [String] = []
            if let g = r.bar.winnerAtLow { flip.append("low → \(g.shortName)") }
            if let g = r.bar.winnerAtHigh { flip.append("high → \(g.shortName)") }
            let name = Label.e(capitalised(r.bar.input.label) + (r.basis == .owned ? " (owned)" : "") + " " + range)
            names[n - 1 - i] = flip.isEmpty ? name : name + " <b>▸ " + Label.e(flip.joined(separator: ", ")) + "</b>"
            for (cost, color, isLow) in [(r.bar.costAtLow, low, true), (r.bar.costAtHigh, high, false)] {
                let d: Double
                if let c = cost { d = c / r.base - 1 } else { d = .nan }
                guard d.isFinite else {
                    annotations.append(Annotation(Label.e("\(isLow ? "low" : "high"): \(winner.deployment.gpu.shortName) fails the targets"),
                                                  at: DataPoint(0, y), priority: 5, preferred: [.right, .left], color: color))
                    continue
                }
                extent = max(extent, abs(d))
                let h = 0.34
                var label: String? = nil
                if isLow && !labelledLow { label = "low end of the range"; labelledLow = true }
                if !isLow && !labelledHigh { label = "high end of the range"; labelledHigh = true }
                series.append(.band(lower: [DataPoint(0, y - h), DataPoint(d, y - h)], upper: [DataPoint(0, y + h), DataPoint(d, y + h)],
                                    color: color, label: label))
            }
        }
        let span = extent * 1.2
        let owned = rec.winner(.owned)
        let ownedNote = owned.map { o in o.deployment.gpu.id == winner.deployment.gpu.id ? "" : "; owned rows vary the cost of the owned winner, \(o.deployment.gpu.shortName) ×\(o.deployment.gpus)" } ?? ""
        let basisNote = rows.contains { $0.basis == .owned } ? " Rows marked (owned) are costed with owned GPUs." : ""
        let idleNote = idle > 0 ? " \(idle) input\(idle == 1 ? "" : "s") that move neither the cost nor the winner \(idle == 1 ? "is" : "are") not drawn." : ""
        return ChartSpec(
            title: "What moves the cost of \(Label.model(model)), \(Label.e(workload.name))",
            subtitle: Label.e("Winner: \(winner.deployment.gpu.shortName) ×\(winner.deployment.gpus) at $\(Fmt.sigGrouped(winner.usdPerRequest * 1000, 3)) per 1,000 requests (rented)\(ownedNote); ▸ marks an end of a range at which another GPU wins"),
            caption: Label.caption(input, extra: "Change in the winning configuration's cost per request when one input moves to the low or high end of its range (±\(Fmt.number(s.sensitivityRange * 100)) % unless the catalog states a range)." + basisNote + idleNote),
            x: AxisSpec(scale: .linear, title: "Change in cost per request", unit: nil, domain: .explicit(-span...span), format: .percent(), tickCount: 5),
            y: AxisSpec(scale: .linear, title: "", unit: nil, domain: .explicit(-0.6...(Double(n) - 0.4)), format: .categories(names), grid: false),
            series: series, annotations: annotations,
            references: [ReferenceLine(axis: .x, value: 0, label: nil, style: LineStyle(color: Color(hex: 0x444444), width: 0.9))],
            legend: .bottom)
    }

    static func capitalised(_ s: String) -> String {
        var t = s
        if t.hasPrefix("the ") { t.removeFirst(4) }
        return t.prefix(1).uppercased() + t.dropFirst()
    }
}
