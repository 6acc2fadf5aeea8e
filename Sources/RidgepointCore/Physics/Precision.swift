import Foundation
import RidgepointFormatting

/// Numeric formats for weights, KV cache and tensor-core math.
public enum Precision: String, CaseIterable, Sendable, Codable, Comparable {
    case fp32, tf32, bf16, fp16, fp8, int8, int4, fp4

    /// The precision a weight or KV format of the same name stores (the formats' names are a
    /// subset of these; an unknown name, which cannot happen, reads as bf16).
    init(sameNameAs name: String) { self = Precision(rawValue: name) ?? .bf16 }

    /// Bytes per element: fp16/bf16 2, fp8/int8 1, int4/fp4 0.5 (tf32 occupies 4 in memory).
    public var bytes: Double {
        switch self {
        case .fp32, .tf32: return 4
        case .bf16, .fp16: return 2
        case .fp8, .int8: return 1
        case .int4, .fp4: return 0.5
        }
    }
    /// Order of declaration (for stable sorting).
    var rank: Int {
        switch self {
        case .fp32: return 0
        case .tf32: return 1
        case .bf16: return 2
        case .fp16: return 3
        case .fp8: return 4
        case .int8: return 5
        case .int4: return 6
        case .fp4: return 7
        }
    }
    public static func < (a: Precision, b: Precision) -> Bool { a.rank < b.rank }
}

/// Formats weights can be stored in (`--weights`, `precision.weights`).
///
/// `fp4` is a block-scaled 4-bit float: NVFP4 (16 values share an 8-bit E4M3 scale, the
/// default) or MXFP4 (32 values share an 8-bit E8M0 scale: `group_size: 32`). `int4` is a
/// weight-only format with one 16-bit scale per group of 128 by default (AWQ/GPTQ layout).
public enum WeightFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp16, fp8, int8, int4, fp4
    /// The precision of the same name (every format is one).
    public var precision: Precision { Precision(sameNameAs: rawValue) }
    /// Bytes of one stored value, without group scales (bf16 2, fp8/int8 1, int4/fp4 0.5).
    public var bytes: Double { precision.bytes }

    /// Values sharing one scale when a spec does not say (nil: no per-group scale worth counting;
    /// fp8 and int8 use per-tensor or per-channel scales, a negligible fraction of the bytes).
    public var defaultGroupSize: Int? {
        switch self {
        case .int4: return 128
        case .fp4: return 16
        default: return nil
        }
    }
    /// Bits of each group's scale: 16 for int4 (an fp16 scale), 8 for fp4 (E4M3 or E8M0).
    public var scaleBits: Double {
        switch self {
        case .int4: return 16
        case .fp4: return 8
        default: return 0
        }
    }
}

/// Formats the KV cache can be stored in (`--kv`).
public enum KVFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp16, fp8, int8
    /// The precision of the same name (every format is one).
    public var precision: Precision { Precision(sameNameAs: rawValue) }
    /// Bytes per cached element: 2 for bf16 and fp16, 1 for fp8 and int8.
    public var bytes: Double { precision.bytes }
}

/// How the weights of a checkpoint are stored: the format of the transformer body, the size of
/// the groups that share a scale, and the format of the embedding table and LM head.
///
/// Example: int4 with groups of 128 stores 4 + 16/128 = 4.125 bits per body weight; the
/// embeddings and LM head stay in bf16 (2 bytes) unless `embeddings` says otherwise.
public struct WeightStorage: Sendable, Hashable {
    /// Format of the transformer body's weights.
    public var format: WeightFormat
    /// Values per scale (nil: the format's default).
    public var groupSize: Int?
    /// Format of the input embedding table and the LM head.
    public var embeddings: WeightFormat

    /// A nil `embeddings` keeps fp16 for fp16 checkpoints and bf16 for every other format.
    public init(_ format: WeightFormat, groupSize: Int? = nil, embeddings: WeightFormat? = nil) {
        self.format = format
        self.groupSize = groupSize
        // 16-bit formats keep their own type for the embeddings; quantised checkpoints keep bf16.
        self.embeddings = embeddings ?? (format == .fp16 ? .fp16 : .bf16)
    }

    /// The group size in effect (nil when the format has no per-group scales).
    public var effectiveGroupSize: Int? { groupSize ?? format.defaultGroupSize }

    /// Bytes per body weight including its share of the group scale, e.g. int4/128 → 0.515625.
    public var bodyBytesPerWeight: Double {
        guard let g = effectiveGroupSize, format.scaleBits > 0 else { return format.bytes }
        return format.bytes + format.scaleBits / 8 / Double(g)
    }
    /// Bytes per embedding or LM-head weight.
    public var embeddingBytesPerWeight: Double { embeddings.bytes }

    /// `int4 (g128, 4.125 bits; embeddings bf16)`: how the format is described in assumptions.
    public var summary: String {
        var s = format.rawValue
        if let g = effectiveGroupSize, format.scaleBits > 0 {
            s += " (groups of \(g) with a \(Int(format.scaleBits))-bit scale: \(Fmt.g(bodyBytesPerWeight * 8, 5)) bits per weight)"
        }
        s += "; embeddings and LM head \(embeddings.rawValue)"
        return s
    }
}
