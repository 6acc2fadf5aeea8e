import Foundation
import RidgepointFormatting

/// Peak tensor throughput of one precision, in FLOP/s (or OP/s for integers).
public struct Peak: Sendable, Hashable, Codable {
    /// Dense peak, FLOP/s.
    public var dense: Double
    /// 2:4 structured-sparsity peak, FLOP/s, when the datasheet gives one (normally 2 × dense).
    public var sparse: Double?
    public init(dense: Double, sparse: Double? = nil) { self.dense = dense; self.sparse = sparse }
}

/// A default rental price with its provenance.
public struct Price: Sendable, Hashable, Codable {
    /// US dollars per GPU-hour.
    public var usdPerHour: Double
    /// Month the price was observed, `YYYY-MM`.
    public var asOf: String
    public var source: String
    public init(usdPerHour: Double, asOf: String, source: String) {
        self.usdPerHour = usdPerHour; self.asOf = asOf; self.source = source
    }
}

/// The links a GPU talks to its peers over: a scale-up domain (NVLink, Infinity Fabric or PCIe
/// inside one node or rack) and a scale-out network between domains.
public struct Links: Sendable, Hashable, Codable {
    /// Name of the scale-up link, e.g. `NVLink 4`.
    public var name: String
    /// Scale-up bandwidth per GPU as the datasheet states it (both directions added), bytes/s.
    public var bandwidth: Double
    /// Latency of one small all-reduce inside the domain (the α of the α–β model), seconds.
    public var allReduceLatency: Double
    /// GPUs one scale-up domain connects (8 for an HGX board, 72 for GB200 NVL72).
    public var domain: Int
    /// Scale-out bandwidth per GPU (both directions added, e.g. one 400 Gb/s NIC = 100 GB/s), bytes/s.
    public var scaleOutBandwidth: Double
    /// Latency of one small all-reduce across domains, seconds.
    public var scaleOutLatency: Double

    public init(name: String, bandwidth: Double, allReduceLatency: Double, domain: Int,
                scaleOutBandwidth: Double, scaleOutLatency: Double) {
        self.name = name; self.bandwidth = bandwidth; self.allReduceLatency = allReduceLatency; self.domain = domain
        self.scaleOutBandwidth = scaleOutBandwidth; self.scaleOutLatency = scaleOutLatency
    }
}

/// One accelerator from the catalog or a spec file. All quantities in SI base units.
public struct GPU: Sendable, Hashable, Codable, Identifiable {
    /// Catalog key: the `gpu` column of the matrix and the key of per-GPU overrides; look-ups ignore case.
    public var id: String
    public var name: String
    /// A compact name for tables, legends and prose ("H100 SXM"); empty: derived from `name`.
    public var shortNameOverride: String = ""
    public var aliases: [String]
    /// Maker, e.g. NVIDIA; sensitivity analysis scales the efficiency of one vendor's GPUs together.
    public var vendor: String
    /// Architecture family, e.g. Hopper; `Convention.sparsePeakArchitectures` matches against it.
    public var architecture: String
    public var year: Int?
    public var formFactor: String
    public var memoryType: String
    /// Memory capacity as the datasheet states it, bytes (GB × 1e9).
    public var memoryBytes: Double
    /// Memory capacity as the device reports it to software (nvidia-smi, rocm-smi), bytes;
    /// nil when unknown (the datasheet figure is used then, and the assumptions say so).
    public var reportedMemoryBytes: Double?
    /// Peak memory bandwidth β, bytes/s.
    public var bandwidth: Double
    /// Scale-up and scale-out links: the bandwidth and latency of the replica's collectives.
    public var links: Links
    /// Board power, W.
    public var tdpWatts: Double?
    /// Peak throughput per precision.
    public var peaks: [Precision: Peak]
    /// Default rental price; `Deployment.usdPerHour` takes it unless the deployment is given its own.
    public var price: Price
    /// Purchase price per GPU (nil: unknown, so no owned-cost figures).
    public var capex: Capex? = nil
    /// Efficiency factors measured on this GPU (or its generation), used by the `calibrated`
    /// preset; nil for parts without a published measurement (the generic factors apply).
    public var calibration: Efficiency?
    /// Efficiency factors a spec sets for this GPU; they win over every preset.
    public var efficiencyOverride: Efficiency?
    /// Where each group of numbers comes from (`compute`, `memory`, `reported_memory`,
    /// `interconnect`, `latency`, `power`, `price`, `efficiency`).
    public var sources: [String: String]
    public var notes: String
    /// `catalog` or the spec file and line a custom entry came from.
    public var origin: String

    /// Interconnect name (the scale-up link).
    public var interconnect: String { links.name }
    /// Scale-up bandwidth as the datasheet states it (both directions), bytes/s.
    public var interconnectBandwidth: Double { links.bandwidth }

    /// Memory software can allocate on one GPU, bytes: the reported capacity where known.
    public var usableMemoryBytes: Double { reportedMemoryBytes ?? memoryBytes }

    /// Peak FLOP/s for `precision`, dense or 2:4-sparse; nil if the part does not support it.
    public func peak(_ precision: Precision, sparse: Bool = false) -> Double? {
        guard let p = peaks[precision] else { return nil }
        return sparse ? (p.sparse ?? p.dense) : p.dense
    }

    /// The tensor-core precision the matrix math runs in for weights stored as `weights`:
    /// fp8 and fp4 weights use tensor cores of their own precision where the part has them;
    /// every other case (weight-only int8/int4, fp8 or fp4 on parts without such tensor cores)
    /// dequantises to bf16 (fp16 on parts without bf16).
    public func computePrecision(for weights: WeightFormat) -> Precision {
        if weights == .fp4, peaks[.fp4] != nil { return .fp4 }
        if weights == .fp8, peaks[.fp8] != nil { return .fp8 }
        if weights == .fp16, peaks[.fp16] != nil { return .fp16 }
        if peaks[.bf16] != nil { return .bf16 }
        if peaks[.fp16] != nil { return .fp16 }
        return .fp32
    }

    /// Ridge point I* = Π/β in FLOP/byte for `precision` (dense unless `sparse`).
    public func ridge(_ precision: Precision = .bf16, sparse: Bool = false) -> Double? {
        peak(precision, sparse: sparse).map { $0 / bandwidth }
    }

    /// The name a person reads: the display name, or the id when there is none.
    public var displayName: String { name.isEmpty ? id : name }
    /// The compact name tables, legends and prose use: the catalog's `short_name`, else the
    /// name (a long one cut at a word boundary with an ellipsis). Never the id, unless the entry
    /// has no name.
    public var shortName: String {
        if !shortNameOverride.isEmpty { return shortNameOverride }
        if name.isEmpty { return id }
        let limit = 28
        guard name.count > limit else { return name }
        let head = String(name.prefix(limit - 1))
        if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) >= 12 {
            return String(head[..<space]) + "…"
        }
        return head + "…"
    }
}
