import Foundation
import RidgepointFormatting

/// Efficiency factors applied to the hardware peaks (achieved = peak × factor) and the fixed
/// time every step costs beyond its roofline (kernel launches, scheduling, sampling).
public struct Efficiency: Sendable, Hashable, Codable {
    /// `ideal`, `calibrated`, `custom` or `fitted`.
    public var name: String
    /// e_c: achieved fraction of the dense tensor-core peak.
    public var compute: Double
    /// e_m: achieved fraction of the peak memory bandwidth.
    public var memory: Double
    /// e_net: achieved all-reduce bus bandwidth as a fraction of the per-direction link bandwidth.
    public var interconnect: Double
    /// Fixed time added to every step, seconds (0 for the pure roofline).
    public var overhead: Double
    /// Time added per sequence in a step (decoding sequences and prompts), seconds: the
    /// per-request work of a serving engine (scheduling, sampling, small-matrix inefficiency)
    /// that grows with the batch. 0 unless fitted to measurements or set.
    public var overheadPerSequence: Double = 0
    /// Where the factors come from.
    public var source: String
    /// Where the per-step overhead comes from (empty when there is none).
    public var overheadSource: String

    /// `compute`, `memory` and `interconnect` are fractions of the peaks; `overhead` is seconds per step.
    /// `overheadPerSequence` starts at 0.
    public init(name: String, compute: Double, memory: Double, interconnect: Double, overhead: Double = 0, source: String,
                overheadSource: String = "") {
        self.name = name; self.compute = compute; self.memory = memory; self.interconnect = interconnect
        self.overhead = overhead; self.source = source; self.overheadSource = overheadSource
    }

    /// The pure roofline: every factor 1, no overhead.
    public static let ideal = Efficiency(name: "ideal", compute: 1, memory: 1, interconnect: 1, overhead: 0,
                                         source: "pure roofline: the datasheet peaks are reached and steps cost nothing beyond their roofline time")

    /// The factors used under `calibrated` for a GPU without measurements of its own: the lower
    /// of the A100 and H100 figures.
    /// - e_c 0.80: best-shape BF16 matmul reaches 794.5 of 989 TFLOPS on H100 SXM (80.3 %) and
    ///   271.2 of 312 on A100 SXM (86.9 %) — S. Bekman, *Machine Learning Engineering Open Book*.
    /// - e_m 0.87: a read-only streaming kernel reaches 1,769 GB/s on A100 80 GB (gpu-benches,
    ///   Ernst et al., JPDC 2023) and a device copy 2,903 of 3,350 GB/s on H100 SXM (86.7 %).
    /// - e_net 0.77: NCCL ring all-reduce bus bandwidth ≈ 230 of 300 GB/s per direction on A100
    ///   NVLink 3 (nccl-tests #149) and 365–370 of 450 GB/s on H100 NVLink 4 (nccl-tests #212).
    public static let calibratedGeneric = Efficiency(
        name: "calibrated", compute: 0.80, memory: 0.87, interconnect: 0.77, overhead: 0,
        source: "generic factors (no measurement for this GPU): e_c 0.80 from BF16 matmul 794.5/989 TFLOPS on H100 SXM and 271.2/312 on A100 "
            + "(S. Bekman, ML Engineering Open Book); e_m 0.87 from a 1,769 GB/s streaming read on A100 80GB (Ernst et al., gpu-benches, "
            + "JPDC 2023) and a 2,903/3,350 GB/s copy on H100 SXM; e_net 0.77 from NCCL ring all-reduce bus bandwidth ~230/300 GB/s per "
            + "direction on A100 NVLink 3 (nccl-tests #149) and 365-370/450 on H100 (nccl-tests #212)")

    /// `compute 0.8, memory 0.87, interconnect 0.77, overhead 50 µs`.
    public var factorsSummary: String {
        "e_c = \(Fmt.g(compute, 3)), e_m = \(Fmt.g(memory, 3)), e_net = \(Fmt.g(interconnect, 3)), overhead \(Fmt.duration(overhead))"
            + (overheadPerSequence > 0 ? " + \(Fmt.duration(overheadPerSequence)) per sequence" : "")
    }
}

/// Which efficiency a run uses: a preset for every GPU, unless a GPU carries factors of its own
/// from the spec.
public enum EfficiencyPolicy: Sendable, Hashable {
    /// Every factor 1 and no per-step overhead.
    case ideal
    /// Each GPU's published measurements (catalog `calibration`), or the generic factors.
    case calibrated
    /// The same factors for every GPU, set in the spec.
    case custom(Efficiency)
    /// Factors fitted to measurements, by GPU id (`Calibration`); a GPU without measurements
    /// runs at its calibrated factors.
    case fitted([String: Efficiency])

    public var name: String {
        switch self {
        case .ideal: return "ideal"
        case .calibrated: return "calibrated"
        case .custom: return "custom"
        case .fitted: return "fitted"
        }
    }

    /// The policy a name selects, case-insensitively; only `ideal` and `calibrated` can be named (nil otherwise).
    public static func named(_ s: String) -> EfficiencyPolicy? {
        switch s.lowercased() { case "ideal": return .ideal; case "calibrated": return .calibrated; default: return nil }
    }

    /// The factors `gpu` runs at under this policy.
    public func resolve(for gpu: GPU) -> Efficiency {
        if let own = gpu.efficiencyOverride { return own }
        switch self {
        case .ideal: return .ideal
        case .calibrated: return gpu.calibration ?? .calibratedGeneric
        case .custom(let e): return e
        case .fitted(let byGPU): return byGPU[gpu.id] ?? gpu.calibration ?? .calibratedGeneric
        }
    }
}

/// How memory traffic of the two decode streams (weights, KV cache) combines into time.
public enum MemoryStreams: String, Sendable, Codable {
    /// Physical: both streams share one memory bus, so their bytes add.
    case sum
    /// Seed 002's bound: the memory time is the larger of the two streams' times.
    case max
}

/// A set of counting conventions. `physical` is correct; the others reproduce the seeds.
public struct Convention: Sendable, Hashable, Codable {
    /// `physical`, `textbook`, `seed-002` or `seed-003` (the name `named(_:)` looks up).
    public var name: String
    /// Weight bytes counted per step: 1 (physical) or 2 (seed 003's "factor-of-2 I/O", I ≈ B/2).
    public var weightReadFactor: Double
    /// GPU architectures whose 2:4-sparse peak the convention uses as if it were dense (seed 003
    /// quotes the sparse figures of Hopper and Blackwell parts but the A100's dense one).
    public var sparsePeakArchitectures: [String]
    /// How weight and KV bytes combine into memory time: `sum` (physical) or `max` (seed 002).
    public var memoryStreams: MemoryStreams
    /// Count attention FLOPs (QKᵀ, AV) over the cached context; seeds 002 and 003 ignore them.
    public var attentionFlops: Bool
    /// The refinements a seed's back-of-envelope arithmetic leaves out: the input embedding as a
    /// gather of B rows (not a stream of the table), logits for the last prompt position only,
    /// 16-bit embeddings and group scales in quantised checkpoints, the memory capacity the device
    /// reports (not the datasheet's), and the latency of every all-reduce.
    public var refinements: Bool
    /// Bandwidths a seed states for a GPU instead of the catalog's (GPU id → bytes/s), e.g. seed
    /// 003's 8 TB/s for B200.
    public var bandwidthOverrides: [String: Double]
    /// One sentence on what the convention counts, printed in the assumptions.
    public var summary: String

    public init(name: String, weightReadFactor: Double, sparsePeakArchitectures: [String], memoryStreams: MemoryStreams,
                attentionFlops: Bool, refinements: Bool, bandwidthOverrides: [String: Double] = [:], summary: String) {
        self.name = name; self.weightReadFactor = weightReadFactor; self.sparsePeakArchitectures = sparsePeakArchitectures
        self.memoryStreams = memoryStreams; self.attentionFlops = attentionFlops; self.refinements = refinements
        self.bandwidthOverrides = bandwidthOverrides; self.summary = summary
    }

    /// Whether `gpu`'s sparse peak stands in for its dense one under this convention.
    public func usesSparsePeak(_ gpu: GPU) -> Bool {
        sparsePeakArchitectures.contains { $0.caseInsensitiveCompare(gpu.architecture) == .orderedSame }
    }
    /// Whether any GPU would use a sparse peak (for summaries).
    public var anySparsePeak: Bool { !sparsePeakArchitectures.isEmpty }

    /// The correct counting: weights read once per step (embedding as a gather), dense peaks, weight and
    /// KV bytes added, attention FLOPs counted, device-reported capacity and all-reduce latency.
    public static let physical = Convention(
        name: "physical", weightReadFactor: 1, sparsePeakArchitectures: [], memoryStreams: .sum, attentionFlops: true,
        refinements: true,
        summary: "weights read once per step (the input embedding as a gather of the batch's rows); dense tensor peaks; weight and KV bytes add on one memory bus; attention FLOPs counted; device-reported memory capacity")
    /// The back-of-envelope arithmetic seeds 000, 001 and 004 share: every parameter streamed once
    /// per step (embeddings included) and multiplied by every token, dense peaks, datasheet
    /// capacity, no collective latency. Attention FLOPs are counted (the seeds use S = 0 or omit
    /// them where they do not matter).
    public static let textbook = Convention(
        name: "textbook", weightReadFactor: 1, sparsePeakArchitectures: [], memoryStreams: .sum, attentionFlops: true,
        refinements: false,
        summary: "seeds 000, 001 and 004: every parameter (embeddings included) streamed once per step and multiplied by every token (F = 2·A per token, W = N·b_w); dense tensor peaks; weight and KV bytes add; datasheet capacity; all-reduces without latency")
    /// Seed 002's arithmetic: memory time is the larger of the weight and KV streams; attention FLOPs ignored.
    public static let seed002 = Convention(
        name: "seed-002", weightReadFactor: 1, sparsePeakArchitectures: [], memoryStreams: .max, attentionFlops: false,
        refinements: false,
        summary: "seed 002: memory time bounded by the larger of the weight and KV streams (they actually add); attention FLOPs ignored; all N parameters streamed each step; datasheet capacity")
    /// Seed 003's arithmetic: weight bytes counted twice, sparse Hopper/Blackwell peaks, B200 at 8 TB/s,
    /// attention FLOPs ignored.
    public static let seed003 = Convention(
        name: "seed-003", weightReadFactor: 2, sparsePeakArchitectures: ["Hopper", "Blackwell"], memoryStreams: .sum,
        attentionFlops: false, refinements: false, bandwidthOverrides: ["b200": 8e12],
        summary: "seed 003: weight bytes counted twice (I ≈ B/2) while KV bytes count once; the 2:4-sparse peak of Hopper and Blackwell parts quoted as their FP16 peak (the A100 keeps its dense 312); B200 at the seed's 8 TB/s; attention FLOPs ignored; datasheet capacity")

    public static let all: [Convention] = [.physical, .textbook, .seed002, .seed003]
    public static func named(_ s: String) -> Convention? { all.first { $0.name == s.lowercased() } }
}
