import Foundation
import RidgepointFormatting

/// One uncertain input of a decision and the range it is varied over.
public struct SensitivityInput: Sendable, Hashable {
    /// Which figure of the spec the input changes.
    public enum Kind: Sendable, Hashable {
        /// e_c of every GPU of a vendor, scaled together.
        case computeEfficiency(vendor: String)
        /// e_m of every GPU of a vendor, scaled together.
        case memoryEfficiency(vendor: String)
        /// Rental price of one GPU, $/GPU-hour.
        case price(gpu: String)
        /// Memory bandwidth of one GPU, bytes/s.
        case bandwidth(gpu: String)
        /// Purchase price of one GPU, $.
        case capex(gpu: String)
        /// Electricity, $/kWh.
        case powerPrice
        /// Busy fraction of owned GPUs.
        case utilisation
    }
    public var kind: Kind
    /// "memory efficiency of NVIDIA GPUs", "H100 SXM price".
    public var label: String
    /// The input's value in the spec, in the unit its `kind` names.
    public var base: Double
    /// Low end of the stated range: base × (1 − range), or a purchase price's own `lowUsd`.
    public var low: Double
    /// High end: base × (1 + range), capped at 1 for efficiencies and utilisation, or a
    /// purchase price's own `highUsd`.
    public var high: Double
    /// The widest values the crossover finder tries.
    public var searchLow: Double
    /// Upper end of that search span.
    public var searchHigh: Double

    /// The value as the report prints it: "0.71", "$3.40/h", "2.9 TB/s", "$31,000", "$0.12/kWh", "55 %".
    public func format(_ v: Double) -> String {
        switch kind {
        case .computeEfficiency, .memoryEfficiency: return Fmt.fixed(v, 2)
        case .price: return "$\(Fmt.fixed(v, 2))/h"
        case .bandwidth: return Fmt.si(v, "B/s", sig: 3)
        case .capex: return "$\(Fmt.sigGrouped(v, 3))"
        case .powerPrice: return "$\(Fmt.fixed(v, 3))/kWh"
        case .utilisation: return Fmt.percent(v)
        }
    }

    /// The range as one compact phrase, the unit once: "$2.00–3.00/h", "2.68–4.02 TB/s",
    /// "$32,000–50,000", "56–84 %", "0.62–0.94".
    public var rangeText: String {
        switch kind {
        case .computeEfficiency, .memoryEfficiency: return "\(Fmt.fixed(low, 2))–\(Fmt.fixed(high, 2))"
        case .price: return "$\(Fmt.fixed(low, 2))–\(Fmt.fixed(high, 2))/h"
        case .bandwidth:
            return "\(Fmt.number(low / 1e12, sig: 3))–\(Fmt.number(high / 1e12, sig: 3)) TB/s"
        case .capex: return "$\(Fmt.sigGrouped(low, 3))–\(Fmt.sigGrouped(high, 3))"
        case .powerPrice: return "$\(Fmt.fixed(low, 3))–\(Fmt.fixed(high, 3))/kWh"
        case .utilisation: return "\(Fmt.sigGrouped(low * 100, 2))–\(Fmt.sigGrouped(high * 100, 2))\u{00A0}%"
        }
    }

    /// Whether only costs change with this input (feasibility and the configurations do not).
    var isPriceLike: Bool {
        switch kind {
        case .price, .capex, .powerPrice, .utilisation: return true
        case .computeEfficiency, .memoryEfficiency, .bandwidth: return false
        }
    }
}

/// The winner's cost per request at the two ends of one input's range.
public struct TornadoBar: Sendable {
    public var input: SensitivityInput
    /// The winning GPU's cost per request at `input.low` and `input.high` (nil: it no longer
    /// qualifies there).
    public var costAtLow: Double?
    /// The winner's cost per request at `input.high` (nil: it no longer qualifies there).
    public var costAtHigh: Double?
    /// The GPU that wins instead at that end (nil: the winner stays).
    public var winnerAtLow: GPU?
    /// The GPU that wins at `input.high` instead (nil: the winner stays).
    public var winnerAtHigh: GPU?
    /// Whether another GPU wins at either end of the range.
    public var flips: Bool { winnerAtLow != nil || winnerAtHigh != nil }
    /// Width of the bar: the winner's cost at the high end minus at the low end, in absolute
    /// value ($ per request); infinite when the winner cannot serve at one end.
    public var swing: Double {
        guard let l = costAtLow, let h = costAtHigh else { return .infinity }
        return abs(h - l)
    }
}

/// The value of an input at which another GPU becomes the cheapest.
public struct Crossover: Sendable {
    public var input: SensitivityInput
    /// The input's value at the crossover, in its own unit (bisected to about 0.5 %).
    public var value: Double
    /// True when the winner changes as the input rises above `value`; false when it falls below.
    public var rising: Bool
    /// The GPU that becomes cheapest beyond `value`.
    public var newWinner: GPU
    /// Whether `value` lies inside the input's stated range.
    public var withinRange: Bool

    /// "its memory efficiency (NVIDIA GPUs) falls below 0.71 (then MI300X)".
    public var phrase: String {
        "\(input.label) \(rising ? "rises above" : "falls below") \(input.format(value)) (then \(newWinner.shortName))"
    }
}

/// How the decision for one workload moves when its uncertain inputs move.
public struct SensitivityAnalysis: Sendable {
    public var basis: CostBasis
    /// The cheapest configuration on `basis` with every input at its base value.
    public var winner: Candidate
    /// The winner's cost per request at the base values, US dollars.
    public var baseCost: Double
    /// ±range applied to each input (0.2 = ±20 %), except where an input states its own range.
    public var range: Double
    /// Largest swing first.
    public var bars: [TornadoBar]
    /// The nearest crossover of each input that has one within its search span, nearest first.
    public var crossovers: [Crossover]
    /// No input within its range changes the winner.
    public var robust: Bool { !bars.contains(where: \.flips) && !crossovers.contains(where: \.withinRange) }

    /// "H100 SXM stays cheapest unless …, or …." (or that no tried value changes it).
    public var sentence: String {
        let name = winner.deployment.gpu.shortName
        guard !crossovers.isEmpty else {
            return "\(name) stays cheapest over every value tried (each input from a quarter to four times its value)"
        }
        return "\(name) stays cheapest unless " + crossovers.prefix(3).map(\.phrase).joined(separator: ", or ")
    }
}

/// Varies the uncertain inputs of a recommendation and finds where its winner changes.
public enum Sensitivity {
    /// The cheapest GPUs that compete when an input moves (the rest cost too much to win within
    /// the span searched, and re-solving hundreds of GPUs per probe would not bound the run).
    public static let contenders = 8

    /// The inputs worth varying for `rec` on `basis`: the efficiency of the vendors of the two
    /// cheapest GPUs, their prices (rented) or purchase prices (owned), their bandwidth, and —
    /// owned — the power price and utilisation.
    public static func inputs(_ spec: Spec, _ rec: Recommendation, basis: CostBasis) -> [SensitivityInput] {
        let r = spec.sensitivityRange
        let top = [rec.winner(basis), rec.runnerUp(basis)].compactMap { $0?.deployment.gpu }
        var out: [SensitivityInput] = []
        var vendors: [String] = []
        for g in top where !vendors.contains(g.vendor) { vendors.append(g.vendor) }
        for v in vendors {
            guard let g = top.first(where: { $0.vendor == v }) else { continue }
            let e = spec.efficiency.resolve(for: g)
            let who = v.isEmpty ? "" : "\(v) "
            out.append(SensitivityInput(kind: .memoryEfficiency(vendor: v), label: "\(who)memory efficiency",
                                        base: e.memory, low: e.memory * (1 - r), high: min(1, e.memory * (1 + r)),
                                        searchLow: e.memory * 0.25, searchHigh: 1))
            out.append(SensitivityInput(kind: .computeEfficiency(vendor: v), label: "\(who)compute efficiency",
                                        base: e.compute, low: e.compute * (1 - r), high: min(1, e.compute * (1 + r)),
                                        searchLow: e.compute * 0.25, searchHigh: 1))
        }
        for g in top {
            switch basis {
            case .rented:
                let p = g.price.usdPerHour
                out.append(SensitivityInput(kind: .price(gpu: g.id), label: "the \(g.shortName) price", base: p, low: p * (1 - r), high: p * (1 + r),
                                            searchLow: p * 0.25, searchHigh: p * 4))
            case .owned:
                if let c = g.capex {
                    out.append(SensitivityInput(kind: .capex(gpu: g.id), label: "the \(g.shortName) purchase price", base: c.usd,
                                                low: c.lowUsd ?? c.usd * (1 - r), high: c.highUsd ?? c.usd * (1 + r),
                                                searchLow: c.usd * 0.25, searchHigh: c.usd * 4))
                }
            }
            let b = spec.convention.bandwidthOverrides[g.id] ?? g.bandwidth
            out.append(SensitivityInput(kind: .bandwidth(gpu: g.id), label: "the \(g.shortName) memory bandwidth", base: b, low: b * (1 - r), high: b * (1 + r),
                                        searchLow: b * 0.25, searchHigh: b * 4))
        }
        if basis == .owned {
            let kwh = spec.economics.power.usdPerKwh
            if kwh > 0 {
                out.append(SensitivityInput(kind: .powerPrice, label: "the power price", base: kwh, low: kwh * (1 - r), high: kwh * (1 + r),
                                            searchLow: kwh * 0.1, searchHigh: kwh * 10))
            }
            let u = spec.economics.ownership.utilisation
            out.append(SensitivityInput(kind: .utilisation, label: "utilisation", base: u, low: u * (1 - r), high: min(1, u * (1 + r)),
                                        searchLow: min(u, 0.05), searchHigh: 1))
        }
        return out
    }

    /// The tornado bars of `rec` on `basis` and, with `findCrossovers`, the value of each input at
    /// which the winner changes.
    public static func analyse(_ spec: Spec, _ rec: Recommendation, basis: CostBasis, findCrossovers: Bool = true) -> SensitivityAnalysis? {
        guard let w = rec.winner(basis), let baseCost = w.usdPerRequest(basis) else { return nil }
        let probe = Probe(spec: spec, rec: rec, basis: basis)
        let winnerID = w.deployment.gpu.id
        var bars: [TornadoBar] = []
        var crossovers: [Crossover] = []
        for input in inputs(spec, rec, basis: basis) {
            let lo = probe.costs(input, input.low), hi = probe.costs(input, input.high)
            func other(_ c: [(GPU, Double)]) -> GPU? { probe.cheapest(c).flatMap { $0.id == winnerID ? nil : $0 } }
            bars.append(TornadoBar(input: input, costAtLow: lo.first { $0.0.id == winnerID }?.1, costAtHigh: hi.first { $0.0.id == winnerID }?.1,
                                   winnerAtLow: other(lo), winnerAtHigh: other(hi)))
            if findCrossovers, let x = probe.crossover(input, winner: winnerID) { crossovers.append(x) }
        }
        bars.sort { $0.swing != $1.swing ? $0.swing > $1.swing : $0.input.label < $1.input.label }
        crossovers.sort { abs(log($0.value / $0.input.base)) < abs(log($1.value / $1.input.base)) }
        return SensitivityAnalysis(basis: basis, winner: w, baseCost: baseCost, range: spec.sensitivityRange, bars: bars, crossovers: crossovers)
    }

    /// Evaluates the recommendation's GPUs with one input changed.
    struct Probe {
        let spec: Spec
        let rec: Recommendation
        let basis: CostBasis

        /// The spec with `input` at `value`, and the GPUs whose configurations must be re-solved.
        func perturbed(_ input: SensitivityInput, _ value: Double) -> (Spec, Set<String>) {
            var s = spec
            var changed = Set<String>()
            func edit(_ pick: (GPU) -> Bool, _ f: (inout GPU) -> Void) {
                for i in s.gpus.indices where pick(s.gpus[i]) { f(&s.gpus[i]); changed.insert(s.gpus[i].id) }
            }
            let scale = input.base > 0 ? value / input.base : 1
            switch input.kind {
            case .memoryEfficiency(let v):
                edit({ $0.vendor == v }) { g in var e = spec.efficiency.resolve(for: g); e.memory = min(1, e.memory * scale); g.efficiencyOverride = e }
            case .computeEfficiency(let v):
                edit({ $0.vendor == v }) { g in var e = spec.efficiency.resolve(for: g); e.compute = min(1, e.compute * scale); g.efficiencyOverride = e }
            case .price(let id): edit({ $0.id == id }) { $0.price.usdPerHour = value }
            case .bandwidth(let id):
                edit({ $0.id == id }) { $0.bandwidth = value }
                s.convention.bandwidthOverrides[id] = s.convention.bandwidthOverrides[id] != nil ? value : nil
            case .capex(let id): edit({ $0.id == id }) { $0.capex?.usd = value }
            case .powerPrice: s.economics.power.usdPerKwh = value; changed = Set(s.gpus.map(\.id))
            case .utilisation: s.economics.ownership.utilisation = min(1, value); changed = Set(s.gpus.map(\.id))
            }
            return (s, changed)
        }

        /// Cost per request of every GPU's best qualifying configuration with `input` at `value`.
        func costs(_ input: SensitivityInput, _ value: Double) -> [(GPU, Double)] {
            let (s, changed) = perturbed(input, value)
            var out: [(GPU, Double)] = []
            for o in rec.options.prefix(Sensitivity.contenders) {
                guard let g = s.gpus.first(where: { $0.id == o.gpu.id }) else { continue }
                if !changed.contains(g.id) {
                    if let c = o.best?.usdPerRequest(basis) { out.append((g, c)) }
                } else if input.isPriceLike {
                    // Prices move costs only: the same configuration, re-costed.
                    if let b = o.best, let c = s.deployment(g, rec.model, gpus: b.deployment.tp, mode: b.deployment.mode)
                        .usdPerRequest(requestsPerSecond: b.request.requestsPerSecond, basis) {
                        out.append((g, c))
                    }
                } else if let c = Recommender.option(s, gpu: g, model: rec.model, workload: rec.workload).best?.usdPerRequest(basis) {
                    out.append((g, c))
                }
            }
            return out
        }

        /// The cheapest GPU (ties: the earlier option, i.e. the recommendation's order).
        func cheapest(_ c: [(GPU, Double)]) -> GPU? {
            var best: (GPU, Double)? = nil
            for x in c {
                if let b = best, x.1 >= b.1 * (1 - 1e-9) { continue }
                best = x
            }
            return best?.0
        }

        /// The nearest value of `input` (up or down) at which `winner` stops being cheapest:
        /// a scan outwards over the search span, then bisection to 0.5 % of the value.
        func crossover(_ input: SensitivityInput, winner: String) -> Crossover? {
            var found: [Crossover] = []
            for (end, rising) in [(input.searchHigh, true), (input.searchLow, false)] where end > 0 && input.base > 0 && abs(end - input.base) > 1e-12 * input.base {
                let steps = 10
                var inside = input.base
                for k in 1...steps {
                    let v = input.base * pow(end / input.base, Double(k) / Double(steps))
                    let c = costs(input, v)
                    if let g = cheapest(c), g.id != winner {
                        var a = inside, b = v, newWinner = g
                        for _ in 0..<12 where abs(b / a - 1) > 0.005 {
                            let m = (a * b).squareRoot()
                            if let gm = cheapest(costs(input, m)), gm.id != winner { b = m; newWinner = gm } else { a = m }
                        }
                        let within = rising ? b <= input.high * (1 + 1e-9) : b >= input.low * (1 - 1e-9)
                        found.append(Crossover(input: input, value: b, rising: rising, newWinner: newWinner, withinRange: within))
                        break
                    }
                    inside = v
                }
            }
            return found.min { abs(log($0.value / input.base)) < abs(log($1.value / input.base)) }
        }
    }
}
