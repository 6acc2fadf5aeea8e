import Foundation
import RidgepointFormatting

/// A representative purchase price of one GPU with its provenance and the range it may fall in.
public struct Capex: Sendable, Hashable, Codable {
    /// US dollars per GPU, with its share of the server it sits in (CPUs, memory, NICs, chassis).
    public var usd: Double
    /// The range the price plausibly falls in (sensitivity analysis uses it); nil: ±the spec's range.
    public var lowUsd: Double?
    /// Upper end of that range, US dollars (nil: `usd` × (1 + the spec's sensitivity range)).
    public var highUsd: Double?
    /// Month the figure was observed or assumed, `YYYY-MM`.
    public var asOf: String
    /// Where the figure comes from; `Assumption: …` when no public price list exists.
    public var source: String

    public init(usd: Double, lowUsd: Double? = nil, highUsd: Double? = nil, asOf: String = "", source: String = "") {
        self.usd = usd; self.lowUsd = lowUsd; self.highUsd = highUsd; self.asOf = asOf; self.source = source
    }

    /// Whether the figure is an assumption rather than a published price.
    public var isAssumption: Bool { source.lowercased().hasPrefix("assumption") }
}

/// What energy costs: the price of a kilowatt-hour and the facility's power usage effectiveness.
public struct PowerPrice: Sendable, Hashable {
    /// US dollars per kWh delivered to the facility.
    public var usdPerKwh: Double
    /// Facility power ÷ IT power (cooling, conversion losses); 1 is a perfect facility.
    public var pue: Double
    public init(usdPerKwh: Double = 0.10, pue: Double = 1.3) { self.usdPerKwh = usdPerKwh; self.pue = pue }
    /// Defaults: $0.10/kWh (US industrial electricity averaged 8–9 ¢/kWh in 2024 per the EIA,
    /// data-centre contracts 6–12 ¢) and PUE 1.3 (Uptime Institute's 2024 survey average is 1.56;
    /// new hyperscale halls run 1.1–1.2).
    public static let `default` = PowerPrice()
}

/// How an owned GPU is paid for: amortised over `years`, busy a fraction `utilisation` of the
/// hours, and hosted (rack space, cooling plant, network, staff; energy excluded) for a monthly fee.
public struct Ownership: Sendable, Hashable {
    /// Years the purchase price is amortised over (capex ÷ years, no resale value).
    public var years: Double
    /// Fraction of the hours the GPU does paid work (0 < u ≤ 1).
    public var utilisation: Double
    /// Hosting per GPU per calendar month, US dollars, paid whether or not the GPU is busy (energy excluded).
    public var hostingUsdPerGpuMonth: Double
    public init(years: Double = 4, utilisation: Double = 0.7, hostingUsdPerGpuMonth: Double = 150) {
        self.years = years; self.utilisation = utilisation; self.hostingUsdPerGpuMonth = hostingUsdPerGpuMonth
    }
    /// Defaults: 4 years (the short end of the 4–6 year schedules operators depreciate servers
    /// over), 70 % utilisation, $150 per GPU-month of hosting without energy.
    public static let `default` = Ownership()
}

/// The prices of running a GPU beyond its rental rate: energy and ownership.
public struct Economics: Sendable, Hashable {
    public var power: PowerPrice
    public var ownership: Ownership
    public init(power: PowerPrice = .default, ownership: Ownership = .default) { self.power = power; self.ownership = ownership }
    /// `PowerPrice.default` and `Ownership.default`.
    public static let `default` = Economics()

    /// Hours in a year and in an average month.
    public static let hoursPerYear = 8760.0
    /// Hours in an average month: 8,760 ÷ 12 = 730.
    public static let hoursPerMonth = hoursPerYear / 12

    /// Energy cost of one GPU for one busy hour at board power `watts`: kW × PUE × $/kWh.
    public func energyUsdPerHour(watts: Double) -> Double { watts / 1000 * power.pue * power.usdPerKwh }

    /// Fixed cost of one owned GPU per calendar hour: capex ÷ (years × 8,760) + hosting × 12 ÷ 8,760.
    public func fixedUsdPerHour(capex: Double) -> Double {
        capex / (ownership.years * Economics.hoursPerYear) + ownership.hostingUsdPerGpuMonth / Economics.hoursPerMonth
    }

    /// Cost of one owned GPU per busy hour: the fixed cost spread over the busy hours (÷ u) plus
    /// the energy of that hour. Example: an H100 SXM at $30,000, 4 years, 70 %, $150/month,
    /// 700 W, PUE 1.3, $0.10/kWh: 30,000/24,528 + 150/511 + 0.091 = $1.61 per busy hour.
    public func ownedUsdPerGpuHour(capex: Double, watts: Double) -> Double {
        fixedUsdPerHour(capex: capex) / ownership.utilisation + energyUsdPerHour(watts: watts)
    }

    /// The utilisation above which owning costs less per busy hour than renting at `rent`:
    /// fixed ÷ (rent − energy); nil when renting is cheaper even at 100 % (or energy alone costs
    /// more than the rent).
    public func breakEvenUtilisation(capex: Double, watts: Double, rent: Double) -> Double? {
        let margin = rent - energyUsdPerHour(watts: watts)
        guard margin > 0 else { return nil }
        let u = fixedUsdPerHour(capex: capex) / margin
        return u <= 1 ? u : nil
    }

    /// What an owned GPU costs in a month when busy a fraction `busy` of its hours (the stated
    /// utilisation unless given): amortisation, hosting and the energy of its busy hours.
    public func ownedUsdPerGpuMonth(capex: Double, watts: Double, busy: Double? = nil) -> Double {
        capex / (ownership.years * 12) + ownership.hostingUsdPerGpuMonth
            + energyUsdPerHour(watts: watts) * Economics.hoursPerMonth * (busy ?? ownership.utilisation)
    }
}

extension Deployment {
    /// Board power of the replica, W (nil when the GPU's is unknown).
    public var watts: Double? { gpu.tdpWatts.map { $0 * Double(gpus) } }

    /// The owned cost per busy hour of one GPU of `gpu` under `economics` (nil without a
    /// purchase price or board power); `Deployment` stores it once as `ownedUsdPerGpuHour`.
    static func ownedUsdPerGpuHour(_ gpu: GPU, _ economics: Economics) -> Double? {
        guard let c = gpu.capex?.usd, let w = gpu.tdpWatts else { return nil }
        return economics.ownedUsdPerGpuHour(capex: c, watts: w)
    }

    /// What one owned GPU of this replica costs in a month when busy a fraction `busy` of it.
    public func ownedUsdPerGpuMonth(busy: Double) -> Double? {
        guard let c = gpu.capex?.usd, let w = gpu.tdpWatts else { return nil }
        return economics.ownedUsdPerGpuMonth(capex: c, watts: w, busy: busy)
    }

    /// $/s of the owned replica while busy.
    public var ownedDollarsPerSecond: Double? { ownedUsdPerGpuHour.map { $0 * Double(gpus) / 3600 } }

    /// Utilisation above which owning this GPU beats renting it.
    public var breakEvenUtilisation: Double? {
        guard let c = gpu.capex?.usd, let w = gpu.tdpWatts else { return nil }
        return economics.breakEvenUtilisation(capex: c, watts: w, rent: usdPerHour)
    }
}
