import Foundation
import RidgepointResources
import Testing
@testable import RidgepointCore

/// Power, ownership and the owned-cost columns.
@Suite struct EconomicsTests {
    /// The worked example of `Economics.ownedUsdPerGpuHour`: an H100 SXM bought at $30,000 (a
    /// press figure for the bare GPU), 4 years, 70 %, $150/month, 700 W (datasheet), PUE 1.3,
    /// $0.10/kWh.
    @Test func ownedCostPerBusyHourAddsAmortisationHostingAndEnergy() {
        let e = Economics.default
        #expect(close(e.energyUsdPerHour(watts: 700), 0.091, rel: 1e-9))              // 0.7 kW × 1.3 × $0.10
        #expect(close(e.fixedUsdPerHour(capex: 30_000), 30_000 / 35_040 + 150 / 730, rel: 1e-12))
        let owned = e.ownedUsdPerGpuHour(capex: 30_000, watts: 700)
        #expect(close(owned, 30_000 / 24_528 + 150 / 511 + 0.091, rel: 1e-9))
        #expect(close(owned, 1.6079, rel: 1e-3))
        // Owning beats renting at $2.50/h above fixed ÷ (rent − energy) = 1.0616 / 2.409 = 44 %.
        let u = try! #require(e.breakEvenUtilisation(capex: 30_000, watts: 700, rent: 2.5))
        #expect(close(u, (30_000.0 / 35_040 + 150.0 / 730) / (2.5 - 0.091), rel: 1e-9))
        #expect(close(u, 0.4407, rel: 1e-3))
        var at = e
        at.ownership.utilisation = u
        #expect(close(at.ownedUsdPerGpuHour(capex: 30_000, watts: 700), 2.5, rel: 1e-9), "at break-even owning costs the rent")
        // Renting stays cheaper when the fixed cost alone exceeds the rent.
        #expect(e.breakEvenUtilisation(capex: 30_000, watts: 700, rent: 1.0) == nil)
        // A month: amortisation + hosting + busy-hour energy.
        #expect(close(e.ownedUsdPerGpuMonth(capex: 30_000, watts: 700), 625 + 150 + 0.091 * 730 * 0.7, rel: 1e-9))
    }

    @Test func rowsCarryWattsEnergyAndOwnedCost() throws {
        let d = Deployment(gpu: gpu("h100-sxm"), model: model("llama-3-8b"), gpus: 2)
        let row = d.decode(batch: 64, context: 1024)
        let watts = try #require(d.watts)
        #expect(watts == 1400)
        #expect(close(try #require(row.joulesPerToken), 1400 * row.stepTime / 64, rel: 1e-12))
        let owned = try #require(d.ownedUsdPerGpuHour)
        let capex = try #require(gpu("h100-sxm").capex?.usd)
        #expect(close(owned, Economics.default.ownedUsdPerGpuHour(capex: capex, watts: 700), rel: 1e-12))
        // Owned $/Mtok is rented $/Mtok with the owned hourly price.
        #expect(close(try #require(row.usdPerMtokOwned), row.usdPerMtok * owned / d.usdPerHour, rel: 1e-12))
        let req = d.request(Workload(name: "chat", inputTokens: 1000, outputTokens: 250), batch: 16)
        let m = try #require(req.request)
        #expect(close(try #require(m.usdPerRequestOwned), m.usdPerRequest * owned / d.usdPerHour, rel: 1e-12))
        #expect(close(try #require(m.joulesPerRequest), 1400 / m.requestsPerSecond, rel: 1e-12))
        #expect(req.value(.watts) == .number(1400))
        #expect(EvalSchema.column("usd_per_mtok_owned") != nil && EvalSchema.column("joules_per_token") != nil)
    }

    @Test func everyCatalogGPUHasBoardPowerAndAPurchasePriceWithItsRange() throws {
        // The issue's name for the catalog field: `capex_usd`, once per GPU.
        let text = try #require(EmbeddedResources.text("catalog/gpus.yaml"))
        #expect(text.components(separatedBy: "\n    capex_usd: ").count - 1 == catalog.gpus.count)
        for g in catalog.gpus {
            #expect(g.tdpWatts != nil, "\(g.id) has no tdp_w")
            guard let c = g.capex else { Issue.record("\(g.id) has no capex"); continue }
            #expect(!c.source.isEmpty && !c.asOf.isEmpty, "\(g.id)")
            #expect((c.lowUsd ?? 0) <= c.usd && c.usd <= (c.highUsd ?? .infinity), "\(g.id)")
        }
    }

    @Test func specSetsPowerOwnershipAndPerGPUPrices() throws {
        let yaml = """
        gpus: [h100-sxm, {id: my-card, base: h200, name: Rack H200, capex_usd: 31000}]
        models: [llama-3-8b]
        power: {usd_per_kwh: 0.2, pue: 1.5}
        ownership: {years: 5, utilisation: 0.5, hosting_usd_per_gpu_month: 100}
        prices: {h100-sxm: {usd_per_hour: 2.0, capex_usd: 25000}}
        headroom: 0.3
        sensitivity: {range: 0.1}
        """
        let spec = try Spec.parse(yaml, file: "t.yaml", catalog: catalog)
        #expect(spec.economics.power == PowerPrice(usdPerKwh: 0.2, pue: 1.5))
        #expect(spec.economics.ownership == Ownership(years: 5, utilisation: 0.5, hostingUsdPerGpuMonth: 100))
        #expect(spec.headroom == 0.3 && spec.sensitivityRange == 0.1)
        let h = try #require(spec.gpus.first { $0.id == "h100-sxm" })
        #expect(h.price.usdPerHour == 2.0 && h.capex?.usd == 25000)
        let mine = try #require(spec.gpus.first { $0.id == "my-card" })
        #expect(mine.capex?.usd == 31000 && mine.tdpWatts == gpu("h200").tdpWatts)
        let d = spec.deployment(h, spec.models[0], gpus: 1)
        #expect(close(try #require(d.ownedUsdPerGpuHour), 25_000 / (5 * 8760 * 0.5) + 100 / (730 * 0.5) + 0.7 * 1.5 * 0.2, rel: 1e-12))

        for (bad, needle) in [("ownership: {utilisation: 1.5}", "utilisation"), ("power: {pue: 0.8}", "pue"),
                              ("ownership: {yeers: 3}", "years"), ("prices: {h100-sxm: {capex: 3}}", "capex_usd")] {
            #expect(throws: RidgepointError.self) { try Spec.parse("gpus: [h100-sxm]\nmodels: [llama-3-8b]\n" + bad, file: "t.yaml", catalog: catalog) }
            do { _ = try Spec.parse("gpus: [h100-sxm]\nmodels: [llama-3-8b]\n" + bad, file: "t.yaml", catalog: catalog) } catch {
                #expect("\(error)".contains(needle), "\(error)")
            }
        }
    }
}
