import Canvas
import ChartEngine
import Foundation
import RidgepointCore
import RidgepointFormatting

/// The Ridgepoint chart types. Each is a function from evaluated Ridgepoint data (a spec's
/// GPUs, models, batches and contexts run through the engine) to a `ChartSpec`.
public enum ChartKind: String, CaseIterable, Sendable {
    case roofline
    case cost = "cost-hyperbola"
    case throughput
    case latency = "latency-throughput"
    case kvCache = "kv-cache"
    case ridgeGenerations = "ridge-generations"
    case concurrency
    case tokensPerDollar = "tokens-per-dollar"
    case parity
    case tornado
    case servingModes = "serving-modes"
    case disaggregation

    /// One line for `ridgepoint chart --list`.
    public var summary: String {
        switch self {
        case .roofline: return "attainable FLOP/s vs arithmetic intensity: roofs, ridge points, decode and prefill points"
        case .cost: return "$/Mtok vs batch: weight, KV and compute terms and the total per context, balance batch B*"
        case .throughput: return "tokens/s vs batch per context: linear rise, knee, plateau, memory wall"
        case .latency: return "TPOT vs tokens/s per GPU across batch sizes, with the TPOT target"
        case .kvCache: return "KV-cache bytes per sequence vs context (MHA / GQA / MLA) against GPU memory"
        case .ridgeGenerations: return "compute, bandwidth and ridge point across GPU generations"
        case .concurrency: return "concurrent sequences vs mean length: pre-allocated vs paged KV"
        case .tokensPerDollar: return "decode tokens per dollar vs batch per GPU, where the leading GPU changes marked"
        case .parity: return "model vs measured TPOT, TTFT and throughput, with the identity line and a ±20 % band"
        case .tornado: return "change in the winner's cost per request as each uncertain input moves over its range, per model and workload"
        case .servingModes: return "output tokens/s per GPU vs concurrent requests for each serving mode (TP, PP, EP, DP attention, speculative)"
        case .disaggregation: return "cost per 1,000 requests vs decode batch: disaggregated prefill/decode against colocated serving"
        }
    }

    /// Accepts the canonical name or a short alias (`cost`, `latency`, `kv`, `ridge`, `tpd`).
    public static func named(_ s: String) -> ChartKind? {
        let k = s.lowercased()
        if let c = ChartKind(rawValue: k) { return c }
        switch k {
        case "cost": return .cost
        case "latency": return .latency
        case "kv": return .kvCache
        case "ridge", "generations": return .ridgeGenerations
        case "tpd", "tokens-per-usd": return .tokensPerDollar
        default: return nil
        }
    }
}

/// How many GPUs, models and contexts one chart of a kind draws legibly. A request for more is
/// split into parts (`RidgepointChart.parts`); a chart never drops a series silently.
public struct ChartCapacity: Sendable, Equatable {
    public var gpus: Int
    public var models: Int
    public var contexts: Int
}

extension ChartKind {
    public var capacity: ChartCapacity {
        let all = Int.max
        switch self {
        // One model; a representative context (named in the subtitle).
        case .roofline: return ChartCapacity(gpus: 4, models: 1, contexts: all)
        case .latency, .tokensPerDollar: return ChartCapacity(gpus: 6, models: 1, contexts: all)
        // One GPU and model, one curve per context.
        case .cost: return ChartCapacity(gpus: 1, models: 1, contexts: 4)
        case .throughput: return ChartCapacity(gpus: 1, models: 1, contexts: 3)
        case .concurrency: return ChartCapacity(gpus: 1, models: 1, contexts: all)
        // One line per model, one memory line per distinct GPU capacity.
        case .kvCache: return ChartCapacity(gpus: 6, models: 5, contexts: all)
        // The catalog's NVIDIA flagships, whatever the spec lists.
        case .ridgeGenerations: return ChartCapacity(gpus: all, models: all, contexts: all)
        // One colour per measured GPU; every model and context.
        case .parity: return ChartCapacity(gpus: 6, models: all, contexts: all)
        // One model and one workload; every GPU competes for the win.
        case .tornado: return ChartCapacity(gpus: all, models: 1, contexts: all)
        // One GPU and model, one curve per serving mode, the first workload.
        case .servingModes, .disaggregation: return ChartCapacity(gpus: 1, models: 1, contexts: all)
        }
    }

    /// Whether a chart of this kind is about one model (its files go under `charts/<model>/`).
    public var isPerModel: Bool { capacity.models == 1 }

    /// The short name that stands for the chart in file names (`charts/<model>/<role>.svg`).
    public var role: String {
        switch self {
        case .cost: return "cost"
        case .latency: return "latency"
        default: return rawValue
        }
    }
}

/// What a chart is drawn from: the spec (GPUs, models, batches, contexts, replica sizes,
/// precisions, efficiency, convention, SLO) and the catalog.
public struct ChartInput: Sendable {
    public var spec: Spec
    /// GPU id → palette slot, so that a GPU keeps its colour, dash and marker across the parts
    /// of a split chart and across a report's charts (else its position in the chart).
    public var gpuSlots: [String: Int] = [:]
    /// Decisions already analysed (a report's), so a tornado chart does not solve them again:
    /// the one for a model and workload is used when its spec is the chart's.
    public var decisions: [WorkloadDecision] = []
    public init(spec: Spec, gpuSlots: [String: Int] = [:], decisions: [WorkloadDecision] = []) {
        self.spec = spec; self.gpuSlots = gpuSlots; self.decisions = decisions
    }

    /// The recommendation for `model` × `workload`: the cached decision's, else solved now.
    func recommendation(_ model: Model, _ workload: Workload) -> Recommendation {
        decision(model, workload)?.recommendation ?? Recommender.recommend(spec, model: model, workload: workload)
    }
    func decision(_ model: Model, _ workload: Workload) -> WorkloadDecision? {
        decisions.first {
            $0.recommendation.model.id == model.id && $0.recommendation.workload == workload
                && Set($0.recommendation.options.map(\.gpu.id)) == Set(spec.gpus.map(\.id))
        }
    }

    /// The palette slot of the chart's `i`-th GPU.
    func slot(_ i: Int) -> Int { spec.gpus.indices.contains(i) ? gpuSlots[spec.gpus[i].id] ?? i : i }

    var sweep: Sweep { Sweep(spec: spec) }

    /// The batch axis of per-deployment charts: 1 … max(2 × the largest spec batch, 4 × B*),
    /// capped at 100,000, with 48 log-spaced samples for curves (16 per decade: smooth on log axes).
    /// The per-deployment charts' subject: the spec's first GPU and model as deployed, the
    /// contexts, and the batch axis around that deployment's balance batch.
    var firstDeployment: (deployment: Deployment, contexts: [Int], batchMax: Double, batches: [Double]) {
        let d = deployment(spec.gpus[0], spec.models[0])
        let (bMax, bs) = batchAxis(d.balanceBatch)
        return (d, spec.contexts, bMax, bs)
    }

    func batchAxis(_ balance: Double) -> (max: Double, samples: [Double]) {
        let bMax = min(100_000, max(Double(spec.batchSizes.max() ?? 512) * 2, balance * 4))
        return (bMax, Label.geom(1, bMax, 48))
    }

    /// The replica a chart shows for `gpu` × `model`: the smallest size in the spec whose
    /// weights take at most half the usable memory (leaving room for a useful KV cache), else
    /// the smallest whose weights fit, else the largest.
    public func deployment(_ gpu: GPU, _ model: Model) -> Deployment {
        let sizes = spec.gpusPerReplica.sorted()
        let deps = sizes.map { sweep.deployment(gpu, model, gpus: $0) }
        return deps.first { $0.weightBytes <= 0.5 * $0.usableBytes } ?? deps.first { $0.weightsFit }
            ?? sweep.deployment(gpu, model, gpus: sizes.last ?? 1)
    }
}

/// Builds the chart of `kind` for `input`.
public enum RidgepointChart {
    /// `input` split into inputs that each fit `kind`'s capacity: by model, then GPU, then
    /// context, each list cut into nearly equal consecutive runs. One part when it fits.
    public static func parts(_ kind: ChartKind, _ input: ChartInput) -> [ChartInput] {
        let cap = kind.capacity
        var s = input.spec
        var slots = input.gpuSlots
        for (i, g) in s.gpus.enumerated() where slots[g.id] == nil { slots[g.id] = i }
        // A parity chart draws only GPUs that have measurements.
        if kind == .parity {
            let measuredGPUs = s.gpus.filter { g in s.measurements.contains { $0.gpu.id == g.id } }
            if !measuredGPUs.isEmpty { s.gpus = measuredGPUs }
        }
        var out: [ChartInput] = []
        if kind == .tornado {
            // One chart per model and workload that has a winner to vary (none: no chart).
            for m in s.models {
                for w in s.effectiveWorkloads where input.recommendation(m, w).winner != nil {
                    var sub = s
                    sub.models = [m]; sub.workloads = [w]
                    out.append(ChartInput(spec: sub, gpuSlots: slots, decisions: input.decision(m, w).map { [$0] } ?? []))
                }
            }
            return out
        }
        for models in chunks(s.models, cap.models) {
            for gpus in chunks(s.gpus, cap.gpus) {
                for contexts in chunks(s.contexts, cap.contexts) {
                    var sub = s
                    sub.models = models; sub.gpus = gpus; sub.contexts = contexts
                    out.append(ChartInput(spec: sub, gpuSlots: slots))
                }
            }
        }
        return out
    }

    /// `items` cut into ⌈n / cap⌉ consecutive runs whose lengths differ by at most one.
    static func chunks<T>(_ items: [T], _ cap: Int) -> [[T]] {
        guard items.count > cap, cap > 0 else { return [items] }
        let k = (items.count + cap - 1) / cap
        var out: [[T]] = [], start = 0
        for i in 0..<k {
            let len = items.count / k + (i < items.count % k ? 1 : 0)
            out.append(Array(items[start..<(start + len)])); start += len
        }
        return out
    }

    public static func spec(_ kind: ChartKind, _ input: ChartInput) throws -> ChartSpec {
        let cap = kind.capacity, s = input.spec
        guard !s.gpus.isEmpty, !s.models.isEmpty, !s.contexts.isEmpty else {
            throw Messages.Charts.needsData(kind.rawValue, "at least one GPU, model and context")
        }
        if s.gpus.count > cap.gpus || s.models.count > cap.models || s.contexts.count > cap.contexts {
            throw Messages.Charts.overCapacity(kind.rawValue, gpus: cap.gpus, models: cap.models == Int.max ? "any number of" : String(cap.models),
                                               contexts: cap.contexts == Int.max ? "any number of" : String(cap.contexts),
                                               got: "\(s.gpus.count), \(s.models.count) and \(s.contexts.count)")
        }
        switch kind {
        case .roofline: return RooflineChart.spec(input)
        case .cost: return CostChart.spec(input)
        case .throughput: return ThroughputChart.spec(input)
        case .latency: return LatencyChart.spec(input)
        case .kvCache: return KVCacheChart.spec(input)
        case .ridgeGenerations: return GenerationsChart.spec(input)
        case .concurrency: return ConcurrencyChart.spec(input)
        case .tokensPerDollar: return TokensPerDollarChart.spec(input)
        case .parity: return try ParityChart.spec(input)
        case .tornado: return try TornadoChart.spec(input)
        case .servingModes: return try ServingModesChart.spec(input)
        case .disaggregation: return try DisaggregationChart.spec(input)
        }
    }

    /// Builds and lays out the chart.
    public static func build(_ kind: ChartKind, _ input: ChartInput, size: Size = ChartSizes.default,
                             measurer: TextMeasurer) throws -> BuiltChart {
        try ChartLayout.build(spec(kind, input), size: size, measurer: measurer)
    }
}

public enum ChartSizes {
    /// 7 × 4.5 inches: a full-width figure on A4 or Letter.
    public static let `default` = Size(504, 324)
}

/// Shared text helpers for chart labels.
enum Label {
    static func e(_ s: String) -> String { Markup.escape(s) }
    static func gpu(_ d: Deployment) -> String {
        e(d.gpu.name.isEmpty ? d.gpu.id : shortName(d.gpu)) + (d.gpus > 1 ? " ×\(d.gpus)" : "")
    }
    /// A compact GPU name for legends (the catalog's short name).
    static func shortName(_ g: GPU) -> String { g.shortName }
    static func model(_ m: Model) -> String { e(m.name) }
    static func num(_ x: Double, _ sig: Int = 3) -> String { Fmt.sigGrouped(x, sig) }
    /// What a chart's figures depend on, for its caption.
    enum Basis { case full, memory, kvOnly, datasheet }

    /// The chart's explanation followed by what it assumes — only what it actually depends on
    /// (a chart of datasheet peaks does not claim an efficiency).
    static func caption(_ input: ChartInput, extra: String = "", basis: Basis = .full) -> String {
        let s = input.spec
        let lead = extra.isEmpty ? "" : extra + " "
        switch basis {
        case .datasheet: return e(lead + "Datasheet peaks (dense), no efficiency factors applied.")
        case .kvOnly: return e(lead + "Assumes KV \(s.kv.rawValue).")
        case .memory:
            return e(lead + "Assumes weights \(s.weights.rawValue), KV \(s.kv.rawValue), \(Fmt.number(s.memoryReserve * 100)) % of memory reserved.")
        case .full: break
        }
        var parts = ["weights \(s.weights.rawValue), KV \(s.kv.rawValue)", "efficiency \(s.efficiency.name)"]
        if s.convention != .physical { parts.append("convention \(s.convention.name)") }
        return e((extra.isEmpty ? "" : extra + " ") + "Assumes " + parts.joined(separator: ", ") + ".")
    }
    /// At most `n` of `values`, spread evenly over their sorted order (always the first and the
    /// last): which batch sizes get a text label when the spec lists many.
    static func spread(_ values: [Int], _ n: Int) -> Set<Int> {
        let sorted = Array(Set(values)).sorted()
        guard sorted.count > n, n >= 2 else { return Set(sorted) }
        return Set((0..<n).map { sorted[Int((Double($0) * Double(sorted.count - 1) / Double(n - 1)).rounded())] })
    }
    /// Geometric sequence of `n` values from `a` to `b`.
    static func geom(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        (0..<n).map { a * pow(b / a, Double($0) / Double(n - 1)) }
    }
}
