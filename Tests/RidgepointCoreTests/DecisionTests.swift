import Foundation
import Testing
@testable import RidgepointCore

/// The decision per workload: rented and owned winners, the fleet, and what flips the winner.
@Suite struct DecisionTests {
    /// Two GPUs with the H100's physics that differ only in price: one cheap to rent, one cheap
    /// to buy. The rented and owned decisions must pick different GPUs, and every crossover is
    /// a price ratio that can be worked out by hand.
    static func twins(buyRent: Double = 3.0, rentCapex: Double = 200_000, buyCapex: Double = 10_000, rate: Double = 20,
                      headroom: Double = 0.2) throws -> Spec {
        try Spec.parse("""
        gpus:
          - {id: rent-me, base: h100-sxm, name: Rent Me, usd_per_hour: 1.0, capex_usd: \(rentCapex)}
          - {id: buy-me, base: h100-sxm, name: Buy Me, usd_per_hour: \(buyRent), capex_usd: \(buyCapex)}
        models: [llama-3-8b]
        gpus_per_replica: [1]
        workloads: [{name: chat, input_tokens: 1000, output_tokens: 250, slo: {ttft_ms: 1000, tpot_ms: 50}, requests_per_s: \(rate)}]
        efficiency: calibrated
        headroom: \(headroom)
        """, file: "twins.yaml", catalog: catalog)
    }

    @Test func rentedAndOwnedWinnersFollowTheirOwnPrices() throws {
        let spec = try Self.twins()
        let rec = Recommender.all(spec)[0]
        let rented = try #require(rec.winner(.rented)), owned = try #require(rec.winner(.owned))
        #expect(rented.deployment.gpu.id == "rent-me" && owned.deployment.gpu.id == "buy-me")
        #expect(rec.runnerUp(.rented)?.deployment.gpu.id == "buy-me" && rec.runnerUp(.owned)?.deployment.gpu.id == "rent-me")
        // Same physics, so the same configuration; the costs are in the ratio of the prices.
        let a = try #require(rented.usdPerRequest(.rented)), b = try #require(rec.runnerUp(.rented)?.usdPerRequest(.rented))
        #expect(close(b / a, 3.0, rel: 1e-9))
        let ownedA = try #require(rented.deployment.ownedUsdPerGpuHour), ownedB = try #require(owned.deployment.ownedUsdPerGpuHour)
        let ru = try #require(rec.runnerUp(.owned)?.usdPerRequest(.owned)), ow = try #require(owned.usdPerRequest(.owned))
        #expect(close(ru / ow, ownedA / ownedB, rel: 1e-9))
    }

    @Test func fleetCoversTheRateWithHeadroomAndCostsAMonth() throws {
        let spec = try Self.twins(rate: 20, headroom: 0.25)
        let rec = Recommender.all(spec)[0]
        let w = try #require(rec.winner(.rented))
        let f = try #require(rec.fleet(.rented))
        let perReplica = w.request.requestsPerSecond
        #expect(f.replicas == Int((20 * 1.25 / perReplica).rounded(.up)))
        #expect(Double(f.replicas) * perReplica >= 25 && Double(f.replicas - 1) * perReplica < 25)
        #expect(close(f.load, 20 / (Double(f.replicas) * perReplica), rel: 1e-12))
        #expect(close(f.usdPerMonthRented, Double(f.gpus) * 1.0 * 730, rel: 1e-12))
        let facility = try #require(f.facilityWatts)
        #expect(f.boardWatts == Double(f.gpus) * 700 && close(facility, Double(f.gpus) * 700 * 1.3, rel: 1e-12))
        let o = try #require(rec.fleet(.owned))
        let month = try #require(o.usdPerMonthOwned)
        #expect(close(month, Double(o.gpus) * (10_000.0 / 48 + 150 + 0.091 * 730 * o.load), rel: 1e-9))
        // Per 1,000 requests at the stated rate, idle capacity included: the month ÷ its requests.
        let perK = try #require(f.usdPerThousandRequests(.rented))
        #expect(close(perK, f.usdPerMonthRented / (20 * 3600 * 730) * 1000, rel: 1e-12))
        #expect(perK >= (w.usdPerRequest(.rented) ?? 0) * 1000 * (1 - 1e-9), "a fleet with headroom costs at least the full-load price")
        #expect(close(try #require(f.averageBoardWatts), Double(f.gpus) * 700 * f.load, rel: 1e-12))
        // No stated rate: no fleet.
        var noRate = spec
        noRate.workloads[0].requestsPerSecond = nil
        #expect(Recommender.all(noRate)[0].fleet(.rented) == nil)
    }

    @Test func crossoversAreTheBreakEvenPrices() throws {
        let spec = try Self.twins(buyRent: 3.0)
        let rec = Recommender.all(spec)[0]
        let a = try #require(Sensitivity.analyse(spec, rec, basis: .rented))
        #expect(a.winner.deployment.gpu.id == "rent-me")
        #expect(a.robust, "±20 % of $1/h never reaches $3/h")
        // The winner's own price moves its cost by exactly ±20 %.
        let bar = try #require(a.bars.first { $0.input.kind == .price(gpu: "rent-me") })
        let high = try #require(bar.costAtHigh), low = try #require(bar.costAtLow)
        #expect(close(high, a.baseCost * 1.2, rel: 1e-9) && close(low, a.baseCost * 0.8, rel: 1e-9))
        // Rent Me stays cheapest until its price passes $3/h, or Buy Me's falls under $1/h.
        let up = try #require(a.crossovers.first { $0.input.kind == .price(gpu: "rent-me") })
        #expect(up.rising && abs(up.value / 3.0 - 1) < 0.006 && up.newWinner.id == "buy-me" && !up.withinRange)
        let down = try #require(a.crossovers.first { $0.input.kind == .price(gpu: "buy-me") })
        #expect(!down.rising && abs(down.value / 1.0 - 1) < 0.006 && down.newWinner.id == "buy-me")
        #expect(a.sentence.hasPrefix("Rent Me stays cheapest unless"))
        // Vendor efficiency scales both NVIDIA parts alike: it cannot change the winner.
        #expect(!a.crossovers.contains { if case .memoryEfficiency = $0.input.kind { return true }; return false })
    }

    @Test func aWinnerWithinTheRangeOfAFlipIsNotRobust() throws {
        let spec = try Self.twins(buyRent: 1.1)
        let rec = Recommender.all(spec)[0]
        let a = try #require(Sensitivity.analyse(spec, rec, basis: .rented))
        #expect(!a.robust)
        let bar = try #require(a.bars.first { $0.input.kind == .price(gpu: "rent-me") })
        #expect(bar.winnerAtHigh?.id == "buy-me" && bar.winnerAtLow == nil)
        let x = try #require(a.crossovers.first { $0.input.kind == .price(gpu: "rent-me") })
        #expect(x.withinRange && x.rising && abs(x.value / 1.1 - 1) < 0.006)
    }

    @Test func ownedSensitivityVariesPurchasePricePowerAndUtilisation() throws {
        let spec = try Self.twins(rentCapex: 30_000, buyCapex: 20_000)
        let rec = Recommender.all(spec)[0]
        let a = try #require(Sensitivity.analyse(spec, rec, basis: .owned))
        #expect(a.winner.deployment.gpu.id == "buy-me")
        let kinds = a.bars.map(\.input.kind)
        #expect(kinds.contains(.capex(gpu: "buy-me")) && kinds.contains(.powerPrice) && kinds.contains(.utilisation))
        #expect(!kinds.contains(.price(gpu: "buy-me")))
        // Utilisation: owned cost per busy hour = fixed/u + energy, so at u·1.2 the fixed part shrinks by 1/1.2.
        let d = a.winner.deployment
        let econ = d.economics
        let fixed = econ.fixedUsdPerHour(capex: 20_000), energy = econ.energyUsdPerHour(watts: 700)
        let bar = try #require(a.bars.first { $0.input.kind == .utilisation })
        let expected = (fixed / (0.7 * 1.2) + energy) / (fixed / 0.7 + energy)
        let high = try #require(bar.costAtHigh)
        #expect(close(high / a.baseCost, expected, rel: 1e-9))
        // Same physics: the winner changes where the purchase prices meet.
        let x = try #require(a.crossovers.first { $0.input.kind == .capex(gpu: "rent-me") })
        #expect(!x.rising && abs(x.value / 20_000 - 1) < 0.006)
        let y = try #require(a.crossovers.first { $0.input.kind == .capex(gpu: "buy-me") })
        #expect(y.rising && abs(y.value / 30_000 - 1) < 0.006 && !y.withinRange)
    }

    @Test func decisionsAreAnalysedForEveryRecommendation() throws {
        let spec = try Self.twins()
        let recs = Recommender.all(spec)
        let ds = WorkloadDecision.all(spec, recs)
        #expect(ds.count == recs.count && ds[0].rented != nil && ds[0].owned != nil)
    }
}

@Suite struct LeadChangeTests {
    /// Two GPUs: the lead changes exactly where their tokens-per-dollar curves cross; a third
    /// that never leads adds no change, and one that does not fit is ignored past its limit.
    @Test func leadChangesAreTheLeadersCrossings() throws {
        var a = gpu("h100-sxm"); a.price.usdPerHour = 2.5
        var b = gpu("h200"); b.price.usdPerHour = 3.5
        var c = gpu("a100-80gb"); c.price.usdPerHour = 50
        let m = model("llama-2-7b")
        let da = Deployment(gpu: a, model: m), db = Deployment(gpu: b, model: m), dc = Deployment(gpu: c, model: m)
        let pair = Comparison.crossoverBatches(da, db, context: 0, range: 1...4096)
        let lead = Comparison.leadChanges([da, db, dc], context: 0, range: 1...4096, limits: [.infinity, .infinity, .infinity])
        #expect(pair.count == 1 && lead.count == 1)
        let x = try #require(lead.first)
        #expect(close(x.batch, pair[0], rel: 1e-6) && close(x.batch, 211, rel: 0.01))
        // If the overtaking GPU cannot hold that batch, the lead never changes.
        let capped = Comparison.leadChanges([da, db], context: 0, range: 1...4096, limits: x.to == 1 ? [.infinity, 100] : [100, .infinity])
        #expect(capped.isEmpty)
    }
}
