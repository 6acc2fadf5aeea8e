import Foundation

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

/// One accelerator from the catalog or a spec file. All quantities in SI base units.
public struct GPU: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var aliases: [String]
    public var vendor: String
    public var architecture: String
    public var year: Int?
    public var formFactor: String
    public var memoryType: String
    /// Memory capacity, bytes (datasheet GB × 1e9).
    public var memoryBytes: Double
    /// Peak memory bandwidth β, bytes/s.
    public var bandwidth: Double
    public var interconnect: String
    /// GPU-to-GPU bandwidth as the datasheet states it (both directions together), bytes/s.
    public var interconnectBandwidth: Double
    /// Board power, W.
    public var tdpWatts: Double?
    /// Peak throughput per precision.
    public var peaks: [Precision: Peak]
    public var price: Price
    /// Where each group of numbers comes from (`compute`, `memory`, `interconnect`, `power`).
    public var sources: [String: String]
    public var notes: String
    /// `catalog` or the spec file and line a custom entry came from.
    public var origin: String

    /// Peak FLOP/s for `precision`, dense or 2:4-sparse; nil if the part does not support it.
    public func peak(_ precision: Precision, sparse: Bool = false) -> Double? {
        guard let p = peaks[precision] else { return nil }
        return sparse ? (p.sparse ?? p.dense) : p.dense
    }

    /// The tensor-core precision the matrix math runs in for weights stored as `weights`:
    /// fp8 weights use fp8 math where the part has it; every other format (including
    /// weight-only int8/int4) dequantises to bf16 (fp16 on parts without bf16).
    public func computePrecision(for weights: WeightFormat) -> Precision {
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
}
