import Foundation
import RidgepointFormatting

/// Whether the GPUs are rented by the hour or bought and run.
public enum CostBasis: String, Sendable, CaseIterable {
    case rented, owned
}

extension Deployment {
    /// Cost of one request at `rps` requests per second of the replica: the replica's dollars
    /// per second (rental price, or owned cost per busy hour) ÷ requests per second.
    public func usdPerRequest(requestsPerSecond rps: Double, _ basis: CostBasis) -> Double? {
        switch basis {
        case .rented: return dollarsPerSecond / rps
        case .owned: return ownedDollarsPerSecond.map { $0 / rps }
        }
    }

    /// Cost of one GPU of this replica per hour on `basis` (owned: per busy hour).
    public func usdPerGpuHour(_ basis: CostBasis) -> Double? { basis == .rented ? usdPerHour : ownedUsdPerGpuHour }
}

extension Candidate {
    /// Cost per request on `basis` (nil: owned without a purchase price or board power).
    public func usdPerRequest(_ basis: CostBasis) -> Double? { basis == .rented ? request.usdPerRequest : request.usdPerRequestOwned }
    /// Energy at the boards per request, J.
    public var joulesPerRequest: Double? { request.joulesPerRequest }
    /// Output tokens per second per megawatt of facility power (board power × PUE).
    public var outputTokensPerSecondPerMW: Double? {
        guard let w = deployment.watts, w > 0 else { return nil }
        return row.tokensPerSecond / (w * deployment.economics.power.pue / 1e6)
    }
}

/// The GPUs a workload's request rate needs, and what they cost and draw.
public struct Fleet: Sendable {
    public var candidate: Candidate
    public var basis: CostBasis
    /// Requests per second the fleet must sustain (the workload's stated rate).
    public var rate: Double
    /// Spare capacity above `rate` the fleet is sized for (0.2 = 20 %).
    public var headroom: Double
    /// ⌈rate × (1 + headroom) ÷ requests per second of one replica⌉.
    public var replicas: Int
    /// GPUs in the fleet: replicas × the billed GPUs of one replica.
    public var gpus: Int { replicas * candidate.deployment.gpus }
    /// Fraction of the fleet's capacity the stated rate uses.
    public var load: Double { rate / (Double(replicas) * candidate.request.requestsPerSecond) }
    /// Rented: every GPU held all month (730 h) at the rental price.
    public var usdPerMonthRented: Double { Double(gpus) * candidate.deployment.usdPerHour * Economics.hoursPerMonth }
    /// Owned: amortisation, hosting, and energy for the fraction of the month the fleet is busy
    /// serving the stated rate (its load).
    public var usdPerMonthOwned: Double? { candidate.deployment.ownedUsdPerGpuMonth(busy: load).map { $0 * Double(gpus) } }
    /// Monthly cost of the fleet on `basis`, US dollars (owned: nil without a purchase price or board power).
    public func usdPerMonth(_ basis: CostBasis) -> Double? { basis == .rented ? usdPerMonthRented : usdPerMonthOwned }
    /// What the fleet costs per 1,000 requests at the stated rate (idle capacity included):
    /// monthly cost ÷ requests in a month × 1,000.
    public func usdPerThousandRequests(_ basis: CostBasis) -> Double? {
        usdPerMonth(basis).map { $0 / (rate * 3600 * Economics.hoursPerMonth) * 1000 }
    }
    /// Board power of the fleet at full load, W.
    public var boardWatts: Double? { candidate.deployment.gpu.tdpWatts.map { $0 * Double(gpus) } }
    /// Average board power at the stated rate (board power × load), W.
    public var averageBoardWatts: Double? { boardWatts.map { $0 * load } }
    /// Facility power of the fleet at full load (board power × PUE), W.
    public var facilityWatts: Double? { boardWatts.map { $0 * candidate.deployment.economics.power.pue } }
}

extension Recommendation {
    /// Every GPU's best option ranked by cost per request on `basis`: qualifying GPUs cheapest
    /// first (ties keep the spec's order), then those without a cost on this basis, then those
    /// that do not qualify (nearest miss first, as in `options`).
    public func ranking(_ basis: CostBasis) -> [GPUOption] {
        guard basis == .owned else { return options }
        let costed = options.enumerated().compactMap { i, o -> (Int, GPUOption, Double)? in
            guard let c = o.best?.usdPerRequest(.owned) else { return nil }
            return (i, o, c)
        }.sorted { $0.2 != $1.2 ? $0.2 < $1.2 : $0.0 < $1.0 }.map(\.1)
        let uncosted = options.filter { $0.best != nil && $0.best?.usdPerRequest(.owned) == nil }
        return costed + uncosted + options.filter { $0.best == nil }
    }

    /// The cheapest qualifying configuration on `basis`.
    public func winner(_ basis: CostBasis) -> Candidate? {
        ranking(basis).first.flatMap { o in o.best.flatMap { $0.usdPerRequest(basis) != nil ? $0 : nil } }
    }
    /// The next cheapest qualifying configuration on `basis`.
    public func runnerUp(_ basis: CostBasis) -> Candidate? {
        let r = ranking(basis)
        guard r.count > 1, let b = r[1].best, b.usdPerRequest(basis) != nil else { return nil }
        return b
    }

    /// The fleet the winner on `basis` needs for the workload's request rate (nil without a
    /// stated rate or a winner).
    public func fleet(_ basis: CostBasis) -> Fleet? {
        guard let w = winner(basis), let rate = workload.requestsPerSecond, w.request.requestsPerSecond > 0 else { return nil }
        let needed = rate * (1 + headroom) / w.request.requestsPerSecond
        let replicas = Swift.max(1, Int(Swift.min(needed * (1 - 1e-12), 1e9).rounded(.up)))
        return Fleet(candidate: w, basis: basis, rate: rate, headroom: headroom, replicas: replicas)
    }
}

/// A recommendation with the sensitivity of its rented and owned winners.
public struct WorkloadDecision: Sendable {
    public var recommendation: Recommendation
    /// Sensitivity of the rented winner (nil: no GPU qualifies on rental cost).
    public var rented: SensitivityAnalysis?
    /// Sensitivity of the owned winner (nil: no qualifying GPU has an owned cost).
    public var owned: SensitivityAnalysis?

    public func analysis(_ basis: CostBasis) -> SensitivityAnalysis? { basis == .rented ? rented : owned }

    /// The decisions of `recs`, their sensitivity analysed on both bases (in parallel: each
    /// crossover search re-solves the GPUs' configurations a few hundred times).
    public static func all(_ spec: Spec, _ recs: [Recommendation]) -> [WorkloadDecision] {
        parallelMap(recs.count) { i in
            let r = recs[i]
            return WorkloadDecision(recommendation: r, rented: Sensitivity.analyse(spec, r, basis: .rented),
                                    owned: Sensitivity.analyse(spec, r, basis: .owned))
        }
    }
}
