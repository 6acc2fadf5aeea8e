import Foundation
import RidgepointCore

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, portable, deterministic generator. The same
/// seed gives the same sequence on every platform, so `--variant N` always means the same numbers.
public struct SplitMix64: Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform integer in 0..<n (n > 0), by rejection to avoid modulo bias.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let r = next()
            if r < limit { return Int(r % bound) }
        }
    }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    /// `k` distinct elements, in the order drawn.
    public mutating func sample<T>(_ items: [T], _ k: Int) -> [T] {
        var pool = items, out: [T] = []
        for _ in 0..<min(k, pool.count) { out.append(pool.remove(at: below(pool.count))) }
        return out
    }
}

/// Which GPUs, models, prices and sizes one exercise sheet uses.
public struct ExerciseInstance: Sendable {
    public var variant: Int
    /// Exercise 1: the two GPUs compared.
    public var ex1A: GPU, ex1B: GPU
    /// Exercise 2: GPUs across generations (sorted by year).
    public var generations: [GPU]
    /// Exercise 3: GPU whose ridge the intensities are compared with, and the contexts.
    public var ex3GPU: GPU
    public var ex3Model: Model
    public var contexts: [Int]
    /// Exercise 4: GPU and the doubling sequence.
    public var ex4GPU: GPU
    /// Exercise 5: the two GPUs with their prices ($/GPU-hour) and the throughput batch.
    public var ex5A: GPU, ex5B: GPU
    public var priceA: Double, priceB: Double
    public var highBatch: Int
    /// Model for exercises 1, 2, 4 and 5.
    public var model: Model
}

/// Options a caller chooses; everything else is picked by the variant.
public struct TeachingOptions: Sendable {
    public var variant: Int
    public var gpuA: String?
    public var gpuB: String?
    public var model: String?
    public var convention: Convention
    public var edition: Edition
    public init(variant: Int = 0, gpuA: String? = nil, gpuB: String? = nil, model: String? = nil,
                convention: Convention = .physical, edition: Edition = .instructor) {
        self.variant = variant; self.gpuA = gpuA; self.gpuB = gpuB; self.model = model
        self.convention = convention; self.edition = edition
    }
}

/// GPUs and models exactly as a seed states them.
public enum Stated {
    /// A GPU with the round figures an article states. If the stated TFLOPS equal the
    /// catalog's 2:4-sparse figure (within 1 %), the stated number is kept as the sparse peak and
    /// the catalog's dense peak stays (so the physical convention uses dense); otherwise the
    /// stated number becomes the dense peak (and the only peak).
    public static func gpu(_ base: GPU, tflops: Double, tbs: Double, seed: String, usd: Double? = nil) -> GPU {
        var g = base
        g.id = base.id + "-seed" + seed
        g.name = "\(base.name) (as stated in seed \(seed): \(Num.plain(tflops)) TFLOPS, \(Num.plain(tbs)) TB/s)"
        g.bandwidth = tbs * 1e12
        let stated = tflops * 1e12
        for p in [Precision.bf16, .fp16] {
            guard let pk = base.peaks[p] else { continue }
            if let s = pk.sparse, abs(s - stated) <= 0.01 * stated, abs(pk.dense - stated) > 0.01 * stated {
                g.peaks[p] = Peak(dense: pk.dense, sparse: stated)
            } else {
                g.peaks[p] = Peak(dense: stated, sparse: nil)
            }
        }
        if let usd { g.price.usdPerHour = usd }
        g.origin = "seed \(seed)"
        return g
    }

    /// A dense model with a round parameter count ("a 7B model"), keeping its architecture for KV.
    public static func model(_ base: Model, params: Double) -> Model { base.declaring(params: params) }
}

extension ExerciseInstance {
    /// The price a GPU has on this sheet: exercise 5's price for its GPUs (the variant's draw or
    /// the seed's), else the catalog's. One GPU never has two prices on one sheet.
    public func price(_ g: GPU) -> Double {
        if g.id == ex5A.id { return priceA }
        if g.id == ex5B.id { return priceB }
        return g.price.usdPerHour
    }

    /// Resolves the options against the catalog: variant 0 is seed 003's own instance, variant
    /// N ≥ 1 is drawn with SplitMix64(N); `gpuA`, `gpuB` and `model` override the draw.
    public static func make(_ o: TeachingOptions, catalog: Catalog) throws -> ExerciseInstance {
        guard o.variant >= 0 else {
            throw Messages.expected("a variant number ≥ 0", got: "\(o.variant)", field: "--variant")
        }
        var inst = o.variant == 0 ? try seedInstance(catalog) : try drawn(o.variant, catalog)
        let a = try o.gpuA.map { try catalog.requireGPU($0, at: (nil, nil, nil, "--gpu")) }
        let b = try o.gpuB.map { try catalog.requireGPU($0, at: (nil, nil, nil, "--compare-gpu")) }
        if let a, let b, a.id == b.id {
            throw Messages.Teaching.sameGPU(a.id)
        }
        if let a {
            inst.ex1A = a; inst.ex3GPU = a; inst.ex4GPU = a; inst.ex5A = a
            inst.priceA = a.price.usdPerHour
        }
        if let b {
            inst.ex1B = b; inst.ex5B = b
            inst.priceB = b.price.usdPerHour
        }
        // A chosen GPU replaces the seed's own entry for the same part (no "H100" beside "H100-SXM").
        for g in [a, b].compactMap({ $0 }) {
            inst.generations.removeAll { $0.id == g.id + "-seed003" }
            if !inst.generations.contains(where: { $0.id == g.id }) { inst.generations.append(g) }
        }
        inst.generations = sortedByYear(inst.generations)
        if let name = o.model {
            let m = roundModel(try catalog.requireModel(name, at: (nil, nil, nil, "--model")))
            inst.model = m; inst.ex3Model = m
        }
        return inst
    }

    static func sortedByYear(_ gs: [GPU]) -> [GPU] {
        gs.enumerated().sorted { x, y in
            let (ya, yb) = (x.element.year ?? 9999, y.element.year ?? 9999)
            return ya != yb ? ya < yb : x.offset < y.offset
        }.map(\.element)
    }

    /// Dense models get a parameter count rounded to three significant figures (calculator-friendly);
    /// MoE models keep their derived counts so expert coverage stays meaningful.
    static func roundModel(_ m: Model) -> Model {
        guard m.moe == nil else { return m }
        let n = m.totalParams
        let scale = pow(10, floor(log10(n)) - 2)
        return m.declaring(params: (n / scale).rounded() * scale)
    }

    /// Seed 003's own numbers: A100 312 TFLOPS / 2.0 TB/s vs H100 1,979 / 3.35 (Ex 1), the
    /// generation table (Ex 2), Llama-3-8B as 8 × 10⁹ parameters (Ex 3), a 7B model of 14 GB on the
    /// H100 (Ex 4), H100 at $2.50/h vs H200 at $3.50/h (Ex 5).
    static func seedInstance(_ c: Catalog) throws -> ExerciseInstance {
        func g(_ id: String) throws -> GPU { try c.requireGPU(id) }
        let a100 = Stated.gpu(try g("a100-80gb"), tflops: 312, tbs: 2.0, seed: "003")
        let h100 = Stated.gpu(try g("h100-sxm"), tflops: 1979, tbs: 3.35, seed: "003", usd: 2.50)
        let h200 = Stated.gpu(try g("h200"), tflops: 1979, tbs: 4.80, seed: "003", usd: 3.50)
        let gens = [
            Stated.gpu(try g("p100"), tflops: 21.2, tbs: 0.72, seed: "003"),
            Stated.gpu(try g("v100"), tflops: 125, tbs: 0.90, seed: "003"),
            a100, h100, h200,
            Stated.gpu(try g("b200"), tflops: 4500, tbs: 8.0, seed: "003"),
        ]
        let m7 = Stated.model(try c.requireModel("llama-2-7b"), params: 7e9)
        let m8 = Stated.model(try c.requireModel("llama-3-8b"), params: 8e9)
        return ExerciseInstance(variant: 0, ex1A: a100, ex1B: h100, generations: gens, ex3GPU: h100, ex3Model: m8,
                                contexts: [512, 4096, 32768], ex4GPU: h100, ex5A: h100, ex5B: h200,
                                priceA: 2.50, priceB: 3.50, highBatch: 1000, model: m7)
    }

    /// A variant drawn from the catalog with SplitMix64(N).
    static func drawn(_ n: Int, _ c: Catalog) throws -> ExerciseInstance {
        var rng = SplitMix64(seed: UInt64(n) &* 0x2545_F491_4F6C_DD1D &+ 0x5EED)
        let pool = c.gpus.filter { g in
            g.price.usdPerHour > 0 && g.bandwidth > 0 && (g.peak(g.computePrecision(for: .bf16)) ?? 0) > 0
        }
        guard pool.count >= 2 else { throw Messages.Teaching.tooFewPricedGPUs }
        let pair = rng.sample(pool, 2)
        let (a, b) = (pair[0], pair[1])
        let factors = [0.8, 0.9, 1.0, 1.1, 1.2]
        func price(_ g: GPU) -> Double {
            let p = g.price.usdPerHour * rng.pick(factors)
            return max(0.05, (p / 0.05).rounded() * 0.05)
        }
        let pa = price(a), pb = price(b)
        // Models whose bf16 weights fit in one of each GPU (10 % reserve); else the smallest.
        let fits = c.models.filter { m in
            [a, b].allSatisfy { Deployment(gpu: $0, model: m).weightsFit }
        }
        let smallest = c.models.min { $0.totalParams < $1.totalParams }
        guard let base = fits.isEmpty ? smallest : rng.pick(fits) else {
            throw Messages.Teaching.noModelsForVariants
        }
        let m = roundModel(base)
        // Contexts within the model's window: three picks from the low, middle and top thirds.
        let window = m.maxContext ?? 131_072
        var ladder = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072].filter { $0 <= window }
        if ladder.count < 3 { ladder = [128, 256, 512, 1024, 2048].filter { $0 <= window } }
        let third = max(1, ladder.count / 3)
        let contexts = [rng.pick(Array(ladder[0..<third])), rng.pick(Array(ladder[third..<(ladder.count - third)].isEmpty ? ladder[third...] : ladder[third..<(ladder.count - third)])),
                        rng.pick(Array(ladder[(ladder.count - third)...]))]
        let others = pool.filter { $0.id != a.id && $0.id != b.id }
        let gens = sortedByYear([a, b] + rng.sample(others, 3))
        let high = rng.pick([500, 1000, 2000, 4000, 8000])
        return ExerciseInstance(variant: n, ex1A: a, ex1B: b, generations: gens, ex3GPU: a, ex3Model: m,
                                contexts: contexts, ex4GPU: a, ex5A: a, ex5B: b, priceA: pa, priceB: pb,
                                highBatch: high, model: m)
    }
}
