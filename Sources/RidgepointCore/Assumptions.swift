/// Efficiency factors applied to the hardware peaks: achieved = peak × factor.
public struct Efficiency: Sendable, Hashable, Codable {
    /// `ideal`, `calibrated` or `custom`.
    public var name: String
    /// e_c: achieved fraction of dense tensor-core peak.
    public var compute: Double
    /// e_m: achieved fraction of peak memory bandwidth.
    public var memory: Double
    /// e_net: achieved all-reduce bus bandwidth as a fraction of per-direction link bandwidth.
    public var interconnect: Double
    /// Where the factors come from.
    public var source: String

    public init(name: String, compute: Double, memory: Double, interconnect: Double, source: String) {
        self.name = name; self.compute = compute; self.memory = memory; self.interconnect = interconnect
        self.source = source
    }

    /// The pure roofline: every factor 1.
    public static let ideal = Efficiency(name: "ideal", compute: 1, memory: 1, interconnect: 1,
                                         source: "pure roofline: the datasheet peaks are reached")

    /// Factors from published measurements (the lower of the A100 and H100 figures):
    /// - e_c 0.80: best-shape BF16 matmul reaches 794.5 of 989 TFLOPS on H100 SXM (80.3 %) and
    ///   271.2 of 312 on A100 SXM (86.9 %) — S. Bekman, *Machine Learning Engineering Open Book*,
    ///   "Maximum Achievable Matmul FLOPS" table (github.com/stas00/ml-engineering, 2024–25).
    /// - e_m 0.87: a read-only streaming kernel reaches 1,769 GB/s on A100 80 GB (gpu-benches,
    ///   Ernst et al., JPDC 2023, doi 10.1016/j.jpdc.2022.11.003) and a device copy reaches
    ///   2,903 of 3,350 GB/s on H100 SXM (86.7 %; aigatech/vpbenchmarking).
    /// - e_net 0.77: NCCL ring all-reduce bus bandwidth ≈ 230 of 300 GB/s per direction on
    ///   A100 NVLink 3 (NVIDIA/nccl-tests issue #149) and 365–370 of 450 GB/s on H100 NVLink 4
    ///   (nccl-tests issue #212).
    public static let calibrated = Efficiency(
        name: "calibrated", compute: 0.80, memory: 0.87, interconnect: 0.77,
        source: "e_c 0.80: BF16 matmul 794.5/989 TFLOPS on H100 SXM, 271.2/312 on A100 (S. Bekman, ML Engineering Open Book, "
            + "github.com/stas00/ml-engineering); e_m 0.87: streaming read 1,769 GB/s on A100 80GB (Ernst et al., gpu-benches, "
            + "JPDC 2023) and copy 2,903/3,350 GB/s on H100 SXM (aigatech/vpbenchmarking); e_net 0.77: NCCL ring all-reduce "
            + "busbw ~230/300 GB/s per direction on A100 NVLink3 (nccl-tests #149), 365-370/450 on H100 (nccl-tests #212)")

    public static func named(_ s: String) -> Efficiency? {
        switch s.lowercased() { case "ideal": return .ideal; case "calibrated": return .calibrated; default: return nil }
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
    public var name: String
    /// Weight bytes counted per step: 1 (physical) or 2 (seed 003's "factor-of-2 I/O", I ≈ B/2).
    public var weightReadFactor: Double
    /// Use the 2:4-sparsity peak instead of the dense one (seed 003's 1,979 TFLOPS for H100).
    public var sparsePeak: Bool
    public var memoryStreams: MemoryStreams
    /// Count attention FLOPs (QKᵀ, AV) over the cached context; seeds 002 and 003 ignore them.
    public var attentionFlops: Bool = true
    public var summary: String

    public static let physical = Convention(
        name: "physical", weightReadFactor: 1, sparsePeak: false, memoryStreams: .sum,
        summary: "weights read once per step; dense tensor peak; weight and KV bytes add on one memory bus")
    public static let seed002 = Convention(
        name: "seed-002", weightReadFactor: 1, sparsePeak: false, memoryStreams: .max, attentionFlops: false,
        summary: "seed 002: memory time bounded by the larger of the weight and KV streams (they actually add); attention FLOPs ignored")
    public static let seed003 = Convention(
        name: "seed-003", weightReadFactor: 2, sparsePeak: true, memoryStreams: .sum, attentionFlops: false,
        summary: "seed 003: weight bytes counted twice (I ≈ B/2) while KV bytes count once, the 2:4-sparse peak quoted as FP16 peak, attention FLOPs ignored")

    public static let all: [Convention] = [.physical, .seed002, .seed003]
    public static func named(_ s: String) -> Convention? { all.first { $0.name == s.lowercased() } }
}
