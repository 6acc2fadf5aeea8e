import Foundation
import RidgepointCore
import RidgepointFormatting

/// What the register computes for one statement.
struct Computed {
    var recomputed: String?
    var correct: String
    var why: String
    init(recomputed: String? = nil, _ correct: String, why: String) {
        self.recomputed = recomputed; self.correct = correct; self.why = why
    }
}

/// The numbers behind every register entry, by statement id. Each closure reads the catalog
/// and the evaluation layer (deployments, decode and prefill rows, thresholds) through
/// `RegisterFacts`; the words around the numbers are built from the same values.
enum RegisterComputations {
    typealias F = RegisterFacts
    static let table: [String: @Sendable (F) -> Computed] = seed000.merging(seed001) { a, _ in a }
        .merging(seed002) { a, _ in a }.merging(seed003) { a, _ in a }.merging(seed004) { a, _ in a }

    // MARK: Shared pieces

    /// "A100-80GB 153, H100-SXM 295, H200 206, B200 292, MI300X 247".
    static func ridges(_ f: F, _ gs: [GPU]) -> String {
        gs.map { "\($0.id.uppercased()) \(RN.n(f.ridge($0), 3))" }.joined(separator: ", ")
    }

    /// Fraction of an MoE's routed experts a batch of `b` tokens touches (uniform routing), from the deployment's weight read.
    static func expertShare(_ f: F, tokens b: Double) -> Double {
        let d = f.dep(f.b200, f.dsv3, gpus: 8)
        let all = d.weightBytesRead(tokens: 0, expertTokens: .infinity), none = d.weightBytesRead(tokens: 0, expertTokens: 0)
        return (d.weightBytesRead(tokens: b, expertTokens: b) - none) / (all - none)
    }

    /// The dense balance batch of DeepSeek-V3 per "300" of ridge: (Π/β)·N/A.
    static func moeRatio(_ f: F) -> Double { f.dsv3.totalParams / f.dsv3.activeParams }

    // MARK: Seed 000

    static let seed000: [String: @Sendable (F) -> Computed] = [
        "000-041": { f in
            let d = f.dep(f.a100_000, f.l2_13b)
            let r = d.decode(batch: 225, context: 300)
            let cross = r.weightBytesRead / d.kvBytesPerToken
            // The article's 54 GB KV budget holds fewer 300-token sequences at the exact bytes per token.
            let fitting = (54e9 / (300 * d.kvBytesPerToken)).rounded(.down)
            let rf = d.decode(batch: fitting, context: 300)
            return Computed("The bytes read per step grow with B: weights + B·S·(KV bytes per token). For Llama 2 13B (\(RN.i(d.kvBytesPerToken)) B of KV per token) the KV read equals the \(RN.gb(r.weightBytesRead)) weight read once B·S ≈ \(RN.i(cross)) tokens. At the article's own operating point (B = 225 sequences of 300 tokens) a step reads \(RN.gb(r.kvBytes)) of KV against \(RN.gb(r.weightBytesRead)) of weights; 225 comes from rounding to 800 KB per token — at \(RN.i(d.kvBytesPerToken)) B the 54 GB budget holds \(RN.i(fitting)) such sequences, which still read \(RN.gb(rf.kvBytes)) of KV per step.",
                            why: "Every sequence reads its own keys and values on every step, so this traffic is not shared like the weights: at the article's batch it is \(RN.n(rf.kvBytes / rf.weightBytesRead, 2))× the weight read.")
        },
        "000-089": { f in
            let d = f.dep(f.a100_000, f.l2_13b)
            let r = d.decode(batch: 225, context: 300)
            let limit = (d.flopsPerGeneratedToken + d.attentionFlopsPerContextToken * 300) / (300 * d.kvBytesPerCachedToken)
            let sStar = d.computeBoundContextLimit ?? 0
            // The longest context at which a batch of 225 is still compute-bound (bisected on the step).
            var lo = 0, hi = 300
            while hi - lo > 1 { let mid = (lo + hi) / 2; if d.decode(batch: 225, context: mid).bound == .compute { lo = mid } else { hi = mid } }
            return Computed("With 300-token sequences Llama 2 13B decode on this A100 is memory-bound at every batch: at B = 225 the intensity is \(RN.n(r.intensity, 3)) FLOP/byte against a ridge of \(RN.n(d.ridge, 3)), and even B → ∞ gives only \(RN.n(limit, 3)). Compute-bound decode needs contexts below \(RN.i(sStar)) tokens even with an unlimited batch, and no more than \(lo) tokens at B = 225; at B = 225 and S = 300 it delivers \(RN.i(r.tokensPerSecond)) tokens/s, not the compute roof's \(RN.i(d.computeRoofTokensPerSecond)).",
                            why: "Fitting 225 sequences does not make the step compute-bound: each sequence adds its own KV reads, which with multi-head attention bring about one FLOP per byte, and the weight and KV streams add on one memory bus.")
        },
        "000-093": { f in
            let m = f.l2_70b
            return Computed("\(m.attentionHeads) query heads in total share \(m.kvHeads) KV heads: \(m.attentionHeads / max(1, m.kvHeads)) query heads per group",
                            why: "There are \(m.kvHeads) groups, one per KV head, each of \(m.attentionHeads)/\(m.kvHeads) = \(m.attentionHeads / max(1, m.kvHeads)) query heads (config.json: num_attention_heads \(m.attentionHeads), num_key_value_heads \(m.kvHeads)); the article's own 8× KV saving is this ratio.")
        },
        "000-098": { _ in
            Computed("Falcon-7B uses multi-query attention, but no Code Llama model does: Code Llama 7B and 13B keep full multi-head attention (13B: 40 query and 40 KV heads) and 34B/70B use grouped-query attention with 8 KV heads.",
                     why: "Multi-query attention means a single K/V head (num_key_value_heads = 1 in config.json); no Code Llama checkpoint has that.")
        },
    ]

    // MARK: Seed 001

    static let seed001: [String: @Sendable (F) -> Computed] = [
        "001-018a": { f in
            let fp32 = f.a100_40.peak(.fp32) ?? 0
            let perNumber = fp32 / (f.a100_40.bandwidth / 4)
            return Computed(recomputed: "\(RN.n(20e12 / 400e9, 2)) operations per number: (20 × 10¹²) ÷ (400 × 10⁹)",
                            "\(RN.n(perNumber, 3)) operations per 4-byte number loaded (\(RN.n(fp32 / 1e12, 3)) TFLOP/s ÷ \(RN.n(f.a100_40.bandwidth / 4 / 1e9, 3)) G numbers/s); \(RN.n(fp32 / (f.a100_40.bandwidth / 8), 3)) if each number is also written back",
                            why: "Dividing the article's own figures gives 50, not 100; Horace He's 100 holds for an element-wise operation that loads and stores every number (8 bytes of traffic per FP32 element).")
        },
        "001-052": { f in
            let bytes = LinearLayer(m: 4096, k: 4096, tokens: 1, activations: false).bytes
            return Computed("The weight matrix is \(RN.n(bytes / 1e6, 3)) MB at every M, and the roofline already counts each weight as read from HBM once per step, the minimum possible; cache reuse can at best reach that ideal, not move the knee left of Π/β = \(RN.n(f.ridge(f.h100), 4)).",
                            why: "Whether a matrix fits in cache depends on its size, not on the batch; a measured knee below the ridge comes from compute efficiency falling short of bandwidth efficiency (knee = e_c·Π / (e_m·β)), not from L2 reuse.")
        },
        "001-054": { f in
            let u = f.gemvUtilisation(f.h100)
            return Computed("at most \(RN.pct(u)) of peak (1/\(RN.n(f.ridge(f.h100), 3))) on one sequence",
                            why: "At about one FLOP per byte the attainable rate is at most β × 1 = \(RN.n(f.h100.bandwidth / 1e12, 3)) TFLOP/s, \(RN.pct(u)) of \(RN.tflops(f.dep(f.h100, f.m7).peakFlops)) — the 1/\(RN.n(f.ridge(f.h100), 3)) the article derives itself; “~1 %” is \(RN.n(0.01 / u, 2)) times that ceiling. The point that the GPU is nearly idle stands.")
        },
        "001-061": { f in
            let u = f.gemvUtilisation(f.h100)
            return Computed("at most \(RN.pct(u)) of the FLOP/s",
                            why: "At M = 1 the intensity is about 1 FLOP/byte, so even at full bandwidth an H100 does \(RN.n(f.h100.bandwidth / 1e12, 3)) of its \(RN.n(f.dep(f.h100, f.m7).peakFlops / 1e12, 4)) TFLOP/s: 1/\(RN.n(f.ridge(f.h100), 4)), a third of “maybe 1 %”.")
        },
        "001-075": { f in
            let s32 = expertShare(f, tokens: 32), s256 = expertShare(f, tokens: 256)
            let e = f.dsv3.moe
            return Computed("Per token ≈3 % (49/1,600) is right; per batched serving step it is not. If tokens picked experts uniformly and independently with DeepSeek-V3's \(e?.expertsPerToken ?? 0)-of-\(e?.experts ?? 0) routing, a step would touch \(RN.pct(s32, 3)) of the routed experts at B = 32 and \(RN.n(s256 * 100, 4)) % at B = 256: the bytes per step approach the total, while the bytes per token still fall about as 1/B.",
                            why: "The sentence extends the single-sequence formula to “each step”, which in this article about batching means a batched step; there different tokens pick different experts, and the share touched is 1 − (1 − k/E)^B.")
        },
    ]

    // MARK: Seed 002

    static let seed002: [String: @Sendable (F) -> Computed] = [
        "002-004": { f in
            let d = f.dep(f.h100, f.l3_70b, gpus: 4)
            let c = 2048
            let b = (d.weightBytesRead(tokens: 1) / (Double(c) * d.kvBytesPerToken)).rounded()
            let r = d.decode(batch: b, context: c)
            return Computed("t_memory = (N·bytes_per_param + B·C·kv_bytes) / mem_bw: the weight and KV streams add",
                            why: "Both streams cross the same HBM bus in one step. For Llama 3 70B on 4 H100s (\(RN.n(d.bandwidth / 1e12, 3)) TB/s together) at C = \(Fmt.grouped(c)) and B = \(RN.i(b)) the weights take \(RN.n(r.weightTime * 1e3, 3)) ms and the KV \(RN.n(r.kvTime * 1e3, 3)) ms: the step needs \(RN.n((r.weightTime + r.kvTime) * 1e3, 3)) ms, while max() gives \(RN.n(max(r.weightTime, r.kvTime) * 1e3, 3)) ms, half of it.")
        },
        "002-008a": { f in
            let d = f.dep(f.h100, f.l3_70b, gpus: 2)
            let r = d.decode(batch: 1, context: 0)
            return Computed("At B = 1 the weight term per token is finite, N·bytes/mem_bw (its largest value); it grows without bound only as B → 0",
                            why: "1/B is largest at B = 1 but finite: Llama 3 70B in BF16 on 2 H100s pays one weight read, \(RN.n(r.weightTime * 1e3, 3)) ms, per token — expensive, not infinite.")
        },
        "002-008b": { f in
            let h = f.dep(f.h100, f.l3_70b), ds = f.dep(f.b200, f.dsv3)
            let c = 2048.0
            let kvPerToken = c * h.kvBytesPerToken / h.bandwidth, computePerToken = h.flopsPerGeneratedToken / h.peakFlops
            return Computed("cost/token = max(t_compute, t_weights + t_KV)/B falls to max(compute floor, KV floor); past C* = 2·A·β/(Π·kv_bytes) the floor is the KV read",
                            why: "The KV read per token does not shrink with the batch. C* (attention FLOPs aside, as in the article) is \(RN.i(h.computeBoundContextLimitWeightsOnly)) tokens for Llama 3 70B on an H100 (at C = 2,048 the KV costs \(RN.n(kvPerToken * 1e3, 3)) ms per token against \(RN.n(computePerToken * 1e3, 3)) ms of compute) and \(RN.n(ds.computeBoundContextLimitWeightsOnly, 3)) for DeepSeek-V3 on a B200 (its MLA cache, \(RN.i(ds.kvBytesPerToken)) B per token, read once).")
        },
        "002-009a": { _ in
            let speed = 2.5, price = 6.0
            let lo = 2000.0, hi = 6000.0
            return Computed("If fast mode runs on the same hardware and is priced at the same margin, 6× the price for 2.5× the speed pays for a batch of at least B₀/15: about \(RN.i(lo / (price * speed))) sequences if the normal batch B₀ is 2,000 and \(RN.i(hi / (price * speed))) if it is 6,000. At B = 1–10 the cost per token would be \(RN.i(lo / 10 / speed))–\(RN.i(hi / 1 / speed))× that of the normal mode, far more than the 6× charged.",
                            why: "Cost per token is step time divided by batch: shrinking the batch from the article's 2,000–6,000 to 1–10 while the step gets only 2.5× shorter multiplies the cost per token by (B₀/B)/2.5.")
        },
        "002-009b": { f in
            let r = moeRatio(f), b = f.dep(f.b200, f.dsv3, gpus: 8)
            return Computed(recomputed: "300 × 37/700 = \(RN.n(300 * 37 / 700, 3)) sequences (the formula as printed)",
                            "B ≥ (Π/β)·(N/A) ≈ 300 × \(RN.n(f.dsv3.totalParams / 1e9, 5))/\(RN.n(f.dsv3.activeParams / 1e9, 4)) = \(RN.i(300 * r)) for DeepSeek-V3 (\(RN.i(b.ridge * r)) with the B200's ridge of \(RN.n(b.ridge, 3)))",
                            why: "A step reads all N weights but each token uses only A of them, so the batch must be N/A = \(RN.n(r, 4)) times larger than for a dense model; the article's own “B~2400 = 300 × 8” also multiplies by N/A, not A/N.")
        },
        "002-009c": { f in
            let r = moeRatio(f), e = f.dsv3.moe
            return Computed(recomputed: "300 × 700/37 = \(RN.i(300 * 700 / 37)) with the article's own 37B/700B",
                            "DeepSeek-V3 routes each token to \(e?.expertsPerToken ?? 0) of \(e?.experts ?? 0) routed experts (plus \(e?.sharedExperts ?? 0) shared); by parameters N/A = \(RN.n(r, 4)), so B* ≈ 300 × \(RN.n(r, 4)) = \(RN.i(300 * r))",
                            why: "The expert count is wrong (\(e?.expertsPerToken ?? 0) active, not 32), and the expert fraction is not the parameter fraction: attention, the dense layers and the shared expert run for every token.")
        },
        "002-009d": { f in
            let b = 300 * moeRatio(f)
            return Computed(recomputed: "\(RN.i(2 * 2400))–\(RN.i(3 * 2400)) (2–3 × 2,400)",
                            "≈ \(RN.i(2 * b))–\(RN.i(3 * b)) tokens per batch (2–3 × \(RN.i(b)))",
                            why: "Doubling or tripling the article's own 2,400 gives 4,800–7,200, so the printed 2,000–6,000 does not follow from it; with N/A = \(RN.n(moeRatio(f), 4)) the base is \(RN.i(b)).")
        },
        "002-006": { f in
            let lo = f.ridge(f.h100) / f.ridge(f.a100_40), hi = f.ridge(f.h100) / f.ridge(f.a100)
            return Computed("Dense BF16 Π/β: \(ridges(f, [f.a100, f.a100_40, f.h100, f.h200, f.b200])); it rose \(RN.n(lo, 2))–\(RN.n(hi, 2))× from the A100 to the H100",
                            why: "The ratio varies by up to \(RN.x(hi, 2)) across these generations, so “~300, stable” fits only the H100 and B200.")
        },
        "002-013": { f in
            let m = f.l2_13b, d = f.dep(f.h100, m)
            let values = 2.0 * Double(m.layers * m.kvHeads * m.headDim)
            let printed = 2.0 * Double(m.hiddenSize * m.layers * m.attentionHeads)
            return Computed("KV cache = 2·C·L·h_kv·d_h elements (2·C·L·d_model for multi-head attention, since d_model = h·d_h)",
                            why: "embed_dim already equals heads × head_dim, so multiplying by heads again counts them twice: for Llama 2 13B the article's formula gives \(RN.i(printed)) values per token against \(RN.i(values)) (\(RN.i(d.kvBytesPerToken)) B in BF16), \(RN.x(printed / values, 2)) too many.")
        },
        "002-014": { f in
            let tokensPerParam = 15e12 / f.l3_8b.totalParams
            return Computed("Overtraining means training a smaller N on many more tokens than the Chinchilla-optimal ≈ 20 per parameter; it shrinks N for a given quality and lowers the weight-read floors",
                            why: "Llama 3 8B saw 15 × 10¹² tokens, \(RN.i(tokensPerParam)) per parameter (\(RN.i(tokensPerParam / 20))× Chinchilla): labs overtrain to get a smaller model that is cheaper to serve, and this is pretraining, not RLHF.")
        },
        "002-022": { f in
            let b = 300 * moeRatio(f)
            return Computed(recomputed: "300 × (37/700) × 2–3 = \(RN.n(300 * 37 / 700 * 2, 3))–\(RN.n(300 * 37 / 700 * 3, 3)) (the formula as printed)",
                            "B ≥ 300·(N/A)·(2–3) ≈ \(RN.i(2 * b))–\(RN.i(3 * b)) for DeepSeek-V3",
                            why: "The balance batch scales with N/A (\(RN.n(moeRatio(f), 4))), not A/N; the “2–6k” follows neither from the formula as printed nor from 2–3 × 2,400 (4,800–7,200).")
        },
        "002-023": { f in
            let rack = 72 * f.gb200.bandwidth, node = 8 * f.b200.bandwidth
            return Computed("The weight floor uses the bandwidth of every chip holding the model: for a 700B model on the 72 GPUs of a GB200 NVL72 (\(RN.n(rack / 1e12, 3)) TB/s together) it is \(RN.n(700e9 / rack * 1e3, 2)) ms in FP8 and \(RN.n(1400e9 / rack * 1e3, 2)) ms in BF16, so sub-10 ms steps need enough chips, not a new memory technology; on one 8-GPU HGX B200 node the FP8 floor is \(RN.n(700e9 / node * 1e3, 3)) ms",
                            why: "N·bytes/mem_bw falls with the aggregate bandwidth the model is spread over; KV reads and communication add to a real step but do not restore a 10 ms weight floor on a rack.")
        },
        "002-024": { f in
            let h = f.dep(f.h100, f.l3_70b)
            return Computed("cost/token → max(compute floor, KV floor) at high B; past C* = 2Aβ/(Π·kv_bytes) it is the KV floor",
                            why: "The KV read per token does not amortise with the batch: for Llama 3 70B on an H100 C* is \(RN.i(h.computeBoundContextLimitWeightsOnly)) tokens (attention FLOPs aside), shorter than the contexts the article discusses.")
        },
        "002-025": { f in
            let h = f.dep(f.h100, f.l3_70b)
            let ks = [256, 512, 1024, 2048].map { c in (c, h.kneeBatch(context: c)) }
            let list = ks.map { "C = \(Fmt.grouped($0.0)): \($0.1.map { RN.i($0) } ?? "none")" }.joined(separator: ", ")
            let cStar = h.computeBoundContextLimit ?? h.computeBoundContextLimitWeightsOnly
            return Computed("The knee batch B(C) = (N·b/β) / ((2A + 4·L·h_q·d_h·C)/Π − C·kv/β) is not proportional to C: it grows slowly, then diverges at C*, past which no batch is compute-bound (Llama 3 70B on H100 bandwidth: \(list))",
                            why: "Doubling C changes the knee by a factor that depends on how close C is to C* = \(RN.i(cStar)) tokens, from little to unbounded, never simply 2.")
        },
        "002-029": { f in
            Computed("Π/β: \(ridges(f, [f.a100, f.h100, f.h200, f.b200])); B* = (Π/β)·N/A, so the balance batch on an A100 is \(RN.n(f.ridge(f.a100) / f.ridge(f.h100), 2)) of that on an H100",
                     why: "The balance batch is proportional to the ridge point, which changed by \(RN.x(f.ridge(f.h100) / f.ridge(f.a100), 2)) between these generations.")
        },
        "002-030": { f in
            let tokensPerParam = 15e12 / f.l3_8b.totalParams
            return Computed("Overtraining trains a smaller N on ~100× more tokens per parameter than Chinchilla-optimal, which lowers the weight-read latency and cost floors",
                            why: "The “100×” is tokens per parameter (Llama 3 8B: \(RN.i(tokensPerParam)), \(RN.i(tokensPerParam / 20))× the Chinchilla 20), not N; overtrained models are smaller, so N·b/β goes down.")
        },
        "002-005": { f in
            let d = f.dep(f.b200, f.dsv3, gpus: 8)
            let one = d.weightBytesRead(tokens: 1)
            return Computed("A floor only once the batch touches (nearly) every expert — assuming uniform, independent routing, \(RN.pct(expertShare(f, tokens: 64), 3)) of DeepSeek-V3's routed experts at B = 64 and \(RN.n(expertShare(f, tokens: 256) * 100, 4)) % at B = 256. A single token reads \(RN.gb(one)) of the \(RN.gb(d.weightBytes)) of BF16 weights, and a batch of 10 touches \(RN.pct(expertShare(f, tokens: 10), 3)) of the routed experts, so the small-batch floor is below N·bytes/mem_bw; how far depends on how the experts are laid out across the GPUs.",
                            why: "An MoE step reads the experts its tokens are routed to, so “read all total parameters” is exact only at batches that touch every expert; it overstates the floor of the small fast-mode batches the article also discusses.")
        },
    ]

    // MARK: Seed 003

    static let seed003: [String: @Sendable (F) -> Computed] = [
        "003-019": { _ in
            let l = LinearLayer(m: 4096, k: 4096, tokens: 1)
            return Computed("1 FLOP/byte (2d² FLOPs on 2d² bytes; \(RN.n(l.intensity, 4)) for d = 4,096 with the vectors)",
                            why: "A d × d BF16 matrix is 2d² bytes read once; the extra 2 in the denominator counts the weights twice (the article's factor-of-2 I/O convention), and “1/2 ≈ 1” contradicts itself.")
        },
        "003-039": { _ in
            let l = LinearLayer(m: 4096, k: 4096, tokens: 64)
            return Computed("I(B) ≈ B FLOP/byte (exactly MKB/(MK + KB + MB) with each tensor moved once; \(RN.n(l.intensity, 4)) at B = 64 for M = K = 4,096)",
                            why: "Each element is moved once at 2 bytes, so the weight-dominated intensity is 2MKB/(2MK) = B; every later B/2 result is off by 2× for this reason.")
        },
        "003-043": { _ in
            let exact = 4096.0 * 4096 * 512 / (2 * 4096.0 * 4096 + 4 * 4096.0 * 512)
            let bLimit = 0.2 * 4096 / 2
            return Computed("\(RN.n((256 - exact) / exact * 100, 2)) % at B = 512 (the error stays below 20 % only for B < \(RN.n(bLimit, 4)))",
                            why: "The exact formula gives \(RN.n(exact, 4)) at B = 512 against B/2 = 256, \(RN.n((256 - exact) / exact * 100, 2)) % high; it is 20 % only relative to the approximate value itself.")
        },
        "003-045": { f in
            // The article doubles its rounded ridges (591 and 156).
            let own = (2 * f.seedRidge(f.sH100).rounded(), 2 * f.seedRidge(f.sA100).rounded())
            return Computed(recomputed: "B < 2·I*: B ≈ \(RN.i(own.0)) (H100), \(RN.i(own.1)) (A100)",
                            "B < I*: B ≈ \(RN.i(f.ridge(f.h100))) (H100, dense \(RN.tflops(f.dep(f.h100, f.m7).peakFlops))), \(RN.i(f.ridge(f.a100))) (A100 80 GB at \(RN.tbs(f.a100.bandwidth)); \(RN.i(f.ridge(f.sA100))) at the article's 2.0 TB/s)",
                            why: "Solving B/2 < I* gives B < 2·I*, not I*/2 — a factor-of-4 slip; the article's own Exercise 1 finds \(RN.i(own.1)) and \(RN.i(own.0)). With weights read once I ≈ B, so the crossover is the dense ridge itself.")
        },
        "003-057": { f in
            let d = f.dep(f.h100, f.m7)
            return Computed("\(RN.tflops(d.peakFlops)) dense FP16/BF16 (\(RN.n((d.gpu.peaks[.bf16]?.sparse ?? 0) / 1e12, 5)) is the 2:4-sparsity figure)",
                            why: "Only 2:4 structured-sparse matrices reach the sparse rating; the dense GEMMs of an LLM peak at \(RN.tflops(d.peakFlops)). The conclusion that the compute sits unused stands.")
        },
        "003-076": { f in
            let pa = f.dep(f.a100, f.m7).peakFlops, ph = f.dep(f.h100, f.m7).peakFlops
            return Computed("\(RN.x(ph / pa, 3)) compute and \(RN.x(f.ridge(f.sH100) / f.ridge(f.sA100), 3)) ridge (\(RN.x(f.ridge(f.h100) / f.ridge(f.a100), 3)) with the A100 80 GB's \(RN.tbs(f.a100.bandwidth)))",
                            why: "The A100's dense 312 TFLOPS is compared with the H100's 2:4-sparse 1,979; on dense figures the H100's ridge is \(RN.n(f.ridge(f.sH100), 4)) against \(RN.n(f.ridge(f.sA100), 4)), less than twice the A100's.")
        },
        "003-080": { f in
            Computed("B_A100 ≈ \(RN.i(f.ridge(f.sA100))) (\(RN.i(f.ridge(f.a100))) with the datasheet \(RN.tbs(f.a100.bandwidth)))",
                     why: "The article's I ≈ B/2 counts the weight bytes twice; read once, I ≈ B and the A100's crossover batch equals its ridge point.")
        },
        "003-082": { f in
            Computed("I* ≈ \(RN.n(f.ridge(f.h100), 4)) FLOP/byte, B_H100 ≈ \(RN.i(f.ridge(f.h100)))",
                     why: "Two conventions compound: the 2:4-sparse peak doubles the ridge (\(RN.n(f.seedRidge(f.sH100), 4)) instead of \(RN.n(f.ridge(f.h100), 4))) and counting weights twice doubles the batch again, so 2 × \(RN.i(f.seedRidge(f.sH100))) = \(RN.i(2 * f.seedRidge(f.sH100).rounded())) is \(RN.n(2 * f.seedRidge(f.sH100).rounded() / f.ridge(f.h100), 2)) times the physical crossover.")
        },
        "003-091": { f in
            let own = [f.sP100, f.sV100, f.sA100, f.sH100, f.sH200, f.sB200]
            let ownList = own.map { RN.n(f.seedRidge($0), 3) }.joined(separator: ", ")
            let dense = own.map { RN.n(f.ridge($0), 3) }.joined(separator: ", ")
            return Computed("Not monotonic. The article's own table reads \(ownList) (P100 → B200); with dense peaks \(dense): the H200 and B200 sit below the H100.",
                            why: "The table directly below lists two later GPUs with a lower ridge than the H100 (its box even calls the H200 an anomaly): bandwidth grew faster than compute from the H100 to the H200.")
        },
        "003-104": { f in
            Computed("\(RN.tflops(f.dep(f.h100, f.m7).peakFlops)) dense, I* = \(RN.n(f.ridge(f.h100), 4)) FLOP/byte",
                     why: "1,979 TFLOPS is the H100's 2:4-sparsity rating while the P100, V100 and A100 rows are dense; every later use of I* = 591 inherits the factor of 2.")
        },
        "003-105": { f in
            Computed("\(RN.tflops(f.dep(f.h200, f.m7).peakFlops)) dense, I* = \(RN.n(f.ridge(f.h200), 4)) FLOP/byte",
                     why: "The H200 has the H100's compute; 1,979 is its 2:4-sparse figure.")
        },
        "003-106": { f in
            Computed("\(RN.tflops(f.dep(f.sB200, f.m7).peakFlops)) dense, I* = \(RN.n(f.ridge(f.sB200), 4)) FLOP/byte at the table's 8 TB/s (\(RN.n(f.ridge(f.b200), 3)) at the HGX B200's \(RN.tbs(f.b200.bandwidth)))",
                     why: "4,500 TFLOPS is the B200's FP16/BF16 rating with 2:4 sparsity; on dense figures its ridge is below the H100's \(RN.n(f.ridge(f.h100), 4)).")
        },
        "003-113": { f in
            let p = f.b200.peaks[.bf16]
            return Computed("\(RN.n((p?.dense ?? 0) / 1e12, 5)) TFLOPS dense; \(RN.n((p?.sparse ?? 0) / 1e12, 5)) TFLOPS with 2:4 sparsity",
                            why: "4,500 is already the sparse figure, so the “conservative dense baseline” I* = 563 is the sparse ridge; dense gives \(RN.n(f.ridge(f.sB200), 3)).")
        },
        "003-119": { f in
            let i64 = LinearLayer(m: 4096, k: 4096, tokens: 64, activations: false).intensity
            return Computed("I(64) ≈ \(RN.n(i64, 3)), \(RN.n(f.ridge(f.h100) / i64, 2))× below the dense ridge \(RN.n(f.ridge(f.h100), 4))",
                            why: "Counting weights twice halves I and the sparse peak doubles I*, overstating the gap 4×; B = 64 is also \(RN.n(i64 / f.ridge(f.sP100), 2))× above the P100's ridge (\(RN.n(f.ridge(f.sP100), 2))), not “barely above”.")
        },
        "003-130": { f in
            let r = f.dep(f.h100, f.m7).decode(batch: 1, context: 0)
            return Computed("I(1) ≈ \(RN.n(r.intensity, 3)) FLOP/byte",
                            why: "At B = 1 a step does 2P FLOPs on 2P bytes of BF16 weights read once; the 0.5 counts the weight bytes twice, which halves every utilisation in the solution table.")
        },
        "003-148": { f in
            Computed("\(RN.pct(1 / f.ridge(f.h100))) (H200: \(RN.pct(1 / f.ridge(f.h200))) instead of \(RN.pct(0.5 / f.seedRidge(f.sH200))))",
                     why: "I = 0.5 (weights counted twice) and the sparse 1,979 TFLOPS each halve the figure: physically it is I(1)/I* = 1/\(RN.n(f.ridge(f.h100), 4)). 0.5/591 does round to 0.08 %, so only the convention is wrong.")
        },
        "003-151": { f in
            let own = [f.sH100, f.sH200, f.sB200].map { RN.pct(0.5 / f.seedRidge($0)) }
            let phys = [f.h100, f.h200, f.sB200].map { RN.pct(1 / f.ridge($0)) }
            return Computed("Not monotonic: in the article's own table the H200 (\(own[1])) is above the H100 (\(own[0])), and the omitted B200 row gives \(own[2]); physically \(phys[0]) (H100) → \(phys[1]) (H200) → \(phys[2]) (B200).",
                            why: "The utilisation at B = 1 is I/I*, and I* itself is not monotonic across generations (see the §2.1 entry).")
        },
        "003-192": { f in
            let d = f.dep(f.h100, f.l3_8b)
            let b = 64, s = 4096
            let r = d.decode(batch: b, context: s)
            return Computed("KV bytes B·4·L·h_kv·d_h·S per step: I(B, S) = 2PB / (2P + 4·L·h_kv·d_h·S·B) (plus 4·L·h_q·d_h·S·B attention FLOPs above the line)",
                            why: "Each of the B sequences reads its own cache: for Llama 3 8B at B = \(b), S = \(Fmt.grouped(s)) that is \(RN.gb(r.kvBytes)) of KV per step against \(RN.gb(r.weightBytesRead)) of weights read (the non-embedding weights; 16 GB with the article's P = 8 × 10⁹). The formula is right only for B = 1.")
        },
        "003-194": { f in
            let d = f.dep(f.h100, f.m8)
            return Computed("2P weight bytes (P parameters × 2 bytes, read once per step: \(RN.gb(d.weightBytes)) for 8 × 10⁹ parameters)",
                            why: "Weights stream from HBM once per decode step while the KV stream is counted once; mixing the two conventions doubles the crossover context S* of Exercise 3.")
        },
        "003-198": { f in
            let m = f.l3_8b
            return Computed("I → P/(2LhdS), independent of B, without attention FLOPs; → h_q/h_kv = \(m.attentionHeads / max(1, m.kvHeads)) for Llama 3 8B with the attention FLOPs counted",
                            why: "Follows from the line-192 formula, which leaves out the factor B on the KV bytes (entry 003-192): every sequence brings its own KV cache, so once KV traffic dominates a larger batch cannot raise the intensity.")
        },
        "003-204a": { f in
            let d = f.dep(f.h100, f.m70)
            let m = f.l2_70b
            let own = 70e9 / Double(m.layers * m.attentionHeads * m.headDim)
            let phys = d.flopsPerGeneratedToken / d.attentionFlopsPerContextToken
            return Computed("4·L·h_q·d_h·S FLOPs (QKᵀ and AV, 2·h·d_h·S each per layer); with it the box's condition LhdS ≫ P/2 and its threshold S ≈ \(RN.n(phys, 3)) tokens are right",
                            why: "The box's inequality is consistent only with 4LhdS: from its own 2LhdS against 2P it would be LhdS ≫ P, i.e. S ≈ \(RN.n(own, 4)) tokens.")
        },
        "003-204b": { f in
            let m = f.l2_70b
            let v = 70e9 / Double(2 * m.layers * m.attentionHeads * m.headDim)
            return Computed("≈ \(RN.n(v, 3)) tokens (\(RN.i(v)))",
                            why: "70 × 10⁹ ÷ \(RN.i(Double(2 * m.layers * m.attentionHeads * m.headDim))) = \(RN.i(v)), which rounds to \(RN.n(v, 3)), not 53,600.")
        },
        "003-223": { f in
            let d = f.dep(f.h100, f.m8)
            let rows = [512, 32768].map { d.decode(batch: 1, context: $0).intensity }
            let noAttn = [512, 32768].map { s in d.weightBytes / (d.weightBytes + Double(s) * d.kvBytesPerToken) }
            return Computed("I ≈ \(RN.n(rows[0], 3)) (S = 512) to \(RN.n(rows[1], 3)) (S = 32,768) with the attention FLOPs; \(RN.n(noAttn[1], 2))–\(RN.n(noAttn[0], 3)) without them",
                            why: "“Well below 1” comes from counting the weights twice and ignoring the attention FLOPs, which with GQA grow faster than the KV bytes.")
        },
        "003-231": { f in
            let d = f.dep(f.h100, f.m8)
            return Computed("S* ≈ \(RN.i(d.kvWeightCrossoverContext())) tokens",
                            why: "The weight read (2P = \(RN.gb(d.weightBytes))) equals the KV read (\(RN.i(d.kvBytesPerToken)) B per token) at S = \(RN.i(d.kvWeightCrossoverContext())); the article's 4P counts the weights twice but the KV once, which doubles S*.")
        },
        "003-233": { f in
            let d = f.dep(f.h100, f.m8)
            let i = [512, 32768].map { d.decode(batch: 1, context: $0).intensity }
            return Computed("≈ \(RN.i(d.ridge / i[1]))–\(RN.i(d.ridge / i[0]))× (I ≈ \(RN.n(i[0], 3))–\(RN.n(i[1], 3)) against the dense I* = \(RN.n(d.ridge, 4)))",
                            why: "Halving I (weights counted twice) and doubling I* (the sparse peak) inflate the gap 4×; “deeply memory-bound” stands.")
        },
        "003-253": { f in
            let r = f.dep(f.h100, f.m8).decode(batch: 1, context: 512)
            return Computed("B/2 is about half the weight-only intensity (≈ B): Llama 3 8B at B = 1, S = 512 has I ≈ \(RN.n(r.intensity, 3)) > 0.5",
                            why: "With weights read once the estimate is I ≈ B; KV traffic lowers it and attention FLOPs (with GQA) raise it, so B/2 understates the intensity at short context and is no upper bound.")
        },
        "003-259": { f in
            let d = f.dep(f.h100, f.m7)
            let k = d.kneeBatch(context: 0) ?? d.ridge
            let lo = d.decode(batch: 16, context: 0).tokensPerSecond, lo2 = d.decode(batch: 32, context: 0).tokensPerSecond
            let hi = d.decode(batch: 1024, context: 0).tokensPerSecond, hi2 = d.decode(batch: 2048, context: 0).tokensPerSecond
            return Computed("Doubling throughput means memory-bound; flat throughput means compute-bound",
                            why: "Below the knee (B ≈ \(RN.i(k)) for a 7B model on an H100) the step is the fixed weight read, so B = 16 → 32 takes tokens/s from \(RN.i(lo)) to \(RN.i(lo2)); above it B = 1,024 → 2,048 stays at \(RN.i(hi)) tokens/s\(abs(hi2 / hi - 1) < 0.001 ? "" : " (\(RN.i(hi2)))"). The article's own Exercise 4 derives the correct version.")
        },
        "003-261": { _ in
            Computed("nvidia-smi dmon samples every 1 s by default (-d takes whole seconds); “mem” is the percentage of time device memory was being read or written and “sm” the percentage of time a kernel was running — neither is a fraction of peak bandwidth or compute",
                     why: "These are time-busy counters, not throughput fractions: a memory-bound GEMV kernel running all the time shows sm near 100 %, so “high mem, low sm” does not diagnose decode.")
        },
        "003-296": { _ in
            return Computed("Profile with max_new_tokens well above 1 (e.g. 64–256) so the decode steps dominate",
                            why: "generate(..., max_new_tokens=1) runs only the prompt's forward pass and no decode step, so it never exercises the per-token weight and KV streaming this section diagnoses.")
        },
        "003-301": { _ in
            Computed("Bandwidth-bound work shows up as kernel time (GEMV/GEMM kernels streaming weights from HBM), not as memcpy; a large memcpy share points to host–device transfers, a different bottleneck",
                     why: "The memory roof is about the bytes a kernel reads from HBM; profiler memcpy rows are explicit copies.")
        },
        "003-334": { f in
            let i16 = 16.0, i32 = 32.0
            return Computed(recomputed: "\(RN.n(f.seedRidge(f.sH100) / i16, 3))× (591/16)",
                            "≈ \(RN.n(f.ridge(f.h100) / i32, 2))× (I ≈ 32 against the dense I* = \(RN.n(f.ridge(f.h100), 4)))",
                            why: "The 4× overstatement is the product of two factors of 2: I ≈ B/2 instead of B, and the sparse H100 peak (I* = 591 instead of \(RN.n(f.ridge(f.h100), 4))); \(RN.n(f.seedRidge(f.sH100) / i16, 3)) is also truncated to 36.")
        },
        "003-335": { _ in
            Computed("≈ \(RN.n(1.0 / 6, 2))–\(RN.n(1.0 / 4, 2)) FLOP/byte for ReLU and add in BF16 (one FLOP per 4–6 bytes read and written); GELU, with several FLOPs per element, about 2",
                     why: "A BF16 element is 2 bytes and is also written back, so a one-FLOP element-wise operation cannot reach 1 FLOP per loaded byte, let alone 1–3.")
        },
        "003-336": { _ in
            Computed("≈ 1–2 FLOP/byte in BF16 (RMSNorm ≈ 4 FLOPs, LayerNorm ≈ 8 FLOPs per element, on 4 bytes read and written)",
                     why: "A norm does a handful of FLOPs per element while moving 4 bytes of it, so 5–15 FLOP/byte is out of reach; “memory-bound” stands.")
        },
        "003-341": { f in
            let ownInt4 = Gen.dep(f.sH100, f.m8, .seed003, weights: .int4).decode(batch: 1, context: 0).intensity
            let bf16 = Gen.dep(f.h100, f.m8, .physical).decode(batch: 1, context: 0).intensity
            let physInt4 = Gen.dep(f.h100, f.m8, .physical, weights: .int4).decode(batch: 1, context: 0).intensity
            return Computed(recomputed: "≈ \(RN.n(ownInt4, 2)) FLOP/byte, less memory-bound (as the box on line 344 says)",
                            "≈ \(RN.n(physInt4, 2)) FLOP/byte at B = 1 (\(RN.n(physInt4 / bf16, 2))× the BF16 intensity of \(RN.n(bf16, 3)); a little under 4× because the INT4 group scales are read too)",
                            why: "A quarter of the bytes at the same FLOPs multiplies the intensity by about 4 (0.5 × 4 by the article's convention, 1 × 4 physically); the row divides it by 2 and contradicts the article's own quantisation box.")
        },
        "003-357": { _ in
            Computed("tok/s(B) = B / (step time) = 1/T(B), with T(B) the time per token = max(2PB/Π, 2P/β)/B",
                     why: "T(B) is defined per token, so B/T(B) would grow as B² below the knee; the solution has to switch to the step time to recover the linear rise.")
        },
        "003-369": { f in
            Computed("I = 2PB/2P = B; memory-bound for B < I* = Π/β (\(RN.i(f.ridge(f.h100))) on the H100)",
                     why: "The exercise's own T(B) reads the weights once (2P bytes), which gives I = B; I = B/2 belongs to the 4P convention of §1.2 and §3.3, so the two halves of the article put the knee 2× apart.")
        },
        "003-382": { f in
            Computed("≈ \(RN.pct(1 / f.ridge(f.h100)))",
                     why: "With weights read once (I ≈ 1) and the dense peak, decode at B = 1 uses β·I/Π = 1/\(RN.n(f.ridge(f.h100), 4)) of the H100's compute; the conclusion that it is a bandwidth device stands.")
        },
        "003-396": { f in
            let d = f.dep(f.h100, f.l3_8b)
            let p = d.prefill(batch: 1, context: 2048)
            return Computed("TTFT is dominated by prefill (plus queueing); for prompts longer than about Π/β ≈ \(RN.i(d.ridge)) tokens on an H100 prefill is compute-bound, so a TTFT target calls for TFLOPS, while bandwidth governs the time per output token",
                            why: "A 2,048-token prompt of Llama 3 8B on an H100 runs at intensity \(RN.i(p.intensity)) FLOP/byte, \(RN.n(p.intensity / d.ridge, 2))× the ridge: the bandwidth argument applies to TPOT, not TTFT.")
        },
        "003-400": { f in
            let p = f.b200.peaks[.bf16]
            return Computed("\(RN.n((p?.dense ?? 0) / 1e12, 5)) dense / \(RN.n((p?.sparse ?? 0) / 1e12, 5)) sparse FP16 TFLOPS; dense I* ≈ \(RN.n(f.ridge(f.sB200), 3)) FLOP/byte at 8 TB/s",
                            why: "9,000 TFLOPS is the B200's sparse FP8 figure; with dense FP16 figures the B200's ridge (\(RN.n(f.ridge(f.sB200), 3))) is close to the H100's (\(RN.n(f.ridge(f.h100), 3))).")
        },
        "003-406": { f in
            Computed("≈ \(RN.pct(1 / f.ridge(f.h100)))",
                     why: "The same double convention as Exercise 2 (I = 0.5 and the sparse peak): the box's point stands, the figure is 4× too small.")
        },
        "003-415": { f in
            Computed("Π = \(RN.tflops(f.dep(f.h100, f.m7).peakFlops)) dense BF16 for both",
                     why: "1,979 is the 2:4-sparse figure; it doubles the compute-bound throughput of part (b) and the knee batch of part (c).")
        },
        "003-429": { f in
            let dh = f.dep(f.sH100, f.m7, price: 2.5), dh2 = f.dep(f.sH200, f.m7, price: 3.5)
            let th = dh.decode(batch: 1, context: 0).tokensPerSecond, th2 = dh2.decode(batch: 1, context: 0).tokensPerSecond
            return Computed("\(RN.n(th, 4)) tokens/s (H100), \(RN.n(th2, 4)) tokens/s (H200); ≈ \(RN.i(th / dh.dollarsPerSecond)) and \(RN.i(th2 / dh2.dollarsPerSecond)) tokens/$",
                            why: "Dividing by 2 × 14 GB reads the weights twice per token; §1.3 of the same article gives the physical ≈ 238 tokens/s for this model on this GPU. The H200/H100 ratio (\(RN.n((th2 / dh2.dollarsPerSecond) / (th / dh.dollarsPerSecond), 4))) is unchanged.")
        },
        "003-431": { f in
            let oh = f.dep(f.sH100, f.m7, .seed003, price: 2.5), oh2 = f.dep(f.sH200, f.m7, .seed003, price: 3.5)
            let ph = f.dep(f.sH100, f.m7, price: 2.5), ph2 = f.dep(f.sH200, f.m7, price: 3.5)
            let o1 = oh.decode(batch: 1000, context: 0).tokensPerSecond, o2 = oh2.decode(batch: 1000, context: 0).tokensPerSecond
            let p1 = ph.decode(batch: 1000, context: 0).tokensPerSecond, p2 = ph2.decode(batch: 1000, context: 0).tokensPerSecond
            let ownLead = (o1 / oh.dollarsPerSecond) / (o2 / oh2.dollarsPerSecond) - 1
            let lead = (p1 / ph.dollarsPerSecond) / (p2 / ph2.dollarsPerSecond) - 1
            return Computed(recomputed: "the H100 is still memory-bound at B = 1,000 (its own knee is 2 × 591 = \(RN.i(2 * f.seedRidge(f.sH100).rounded()))): \(RN.i(o1)) tokens/s, \(RN.n(o1 / oh.dollarsPerSecond, 3)) tokens/$; H200 \(RN.i(o2)) tokens/s, \(RN.n(o2 / oh2.dollarsPerSecond, 3)) tokens/$; the H100 ahead by \(RN.pct(ownLead))",
                            "\(RN.i(p1)) tokens/s on both (dense \(RN.tflops(ph.peakFlops)); knees \(RN.i(ph.kneeBatch(context: 0) ?? 0)) and \(RN.i(ph2.kneeBatch(context: 0) ?? 0))); \(RN.n(p1 / ph.dollarsPerSecond, 3)) (H100) against \(RN.n(p2 / ph2.dollarsPerSecond, 3)) (H200) tokens/$: the H100 ahead by \(RN.pct(lead))",
                            why: "Under its own convention the H100 reaches its compute roof only at B = \(RN.i(2 * f.seedRidge(f.sH100).rounded())), so at 1,000 it is still bandwidth-limited; physically both are compute-bound at 1,000, on the dense peak. The “≈40 %” the solution then quotes equals the price ratio 3.50/2.50, which holds whenever both GPUs run on the same compute roof: it matches the physical result (\(RN.pct(lead))), not the article's own convention (\(RN.pct(ownLead))).")
        },
        "003-433": { f in
            let oh = f.dep(f.sH100, f.m7, .seed003, price: 2.5), oh2 = f.dep(f.sH200, f.m7, .seed003, price: 3.5)
            let ph = f.dep(f.sH100, f.m7, price: 2.5), ph2 = f.dep(f.sH200, f.m7, price: 3.5)
            let own = Comparison.crossoverBatches(oh, oh2, context: 0).first ?? 0
            let phys = Comparison.crossoverBatches(ph, ph2, context: 0).first ?? 0
            return Computed(recomputed: "B† ≈ \(RN.n(own, 3))", "B† ≈ \(RN.n(phys, 3)), i.e. from a batch of \(RN.i(phys.rounded(.up))) sequences",
                            why: "The H200 reaches its compute roof first (knee \(RN.i(oh2.kneeBatch(context: 0) ?? 0)) by the article's convention, \(RN.i(ph2.kneeBatch(context: 0) ?? 0)) physically); from there the cheaper H100's still-rising throughput per dollar overtakes it, well before the H100's own knee (\(RN.i(2 * f.seedRidge(f.sH100).rounded())) by the article's convention).")
        },
    ]

    // MARK: Seed 004

    static let seed004: [String: @Sendable (F) -> Computed] = [
        "004-001a": { f in
            let d = f.dep(f.h100, f.m70)
            let n = Gen.gpusToHold(f.h100, f.m70, .physical, fraction: 1)
            return Computed("A 70B model in FP16/BF16 does not fit on one H100: its weights alone are \(RN.gb(d.weightBytes)) against the \(RN.gb(f.h100.memoryBytes)) of one H100 (\(RN.gb(f.h100.usableMemoryBytes)) as the driver reports it), so at least \(n) GPUs are needed",
                            why: "Every per-H100 figure built on this scenario (prefill time, 25–30 and ~24 tokens/s) describes a configuration that cannot load the model.")
        },
        "004-001b": { f in
            let one = f.dep(f.h100, f.m70).decode(batch: 1, context: 0)
            let two = f.dep(f.h100, f.m70, gpus: 2).decode(batch: 1, context: 0)
            return Computed("at most \(RN.n(one.tokensPerSecond, 3)) tokens/s per H100's worth of bandwidth (the article's own ~24 ceiling); on the two GPUs the model needs, \(RN.n(2 * one.tokensPerSecond, 3)) tokens/s of bandwidth ceiling with tensor parallelism (\(RN.n(two.tokensPerSecond, 3)) after its all-reduces) — pipeline parallelism leaves one request at \(RN.n(one.tokensPerSecond, 3))",
                            why: "Each decode step streams all \(RN.gb(f.dep(f.h100, f.m70).weightBytes)) of weights, so \(RN.tbs(f.h100.bandwidth)) allows at most \(RN.n(one.tokensPerSecond, 3)) tokens/s; 25–30 is possible only on two or more GPUs with tensor parallelism.")
        },
        "004-001c": { f in
            let d = f.dep(f.h100, f.m70)
            let pre = d.computeRoofTokensPerSecond
            let dec = d.decode(batch: 1, context: 0).tokensPerSecond
            return Computed(recomputed: "≈ \(RN.i(8000 / 30))–\(RN.i(20000 / 25))× from the paragraph's own figures (4,000 tokens in 0.2–0.5 s against 25–30 tokens/s)",
                            "roofline ratio ≈ \(RN.i(pre / dec))× (prefill ≈ \(RN.i(pre)) against decode ≈ \(RN.n(dec, 3)) tokens/s for a 70B model at H100 rates), about the ridge point \(RN.i(d.ridge)); measured ratios are usually somewhat lower",
                            why: "Prefill runs on the compute roof and single-request decode on the bandwidth roof with the same FLOPs and bytes per token, so their ratio is about Π/β — and the paragraph's own numbers already give several hundred, not 100.")
        },
        "004-026": { f in
            let d = f.dep(f.h100, f.m70)
            let one = d.decode(batch: 1, context: 0)
            return Computed("The ~24 tokens/s is a ceiling no one can measure on one H100: \(RN.gb(d.weightBytes)) of weights do not fit in its \(RN.gb(f.h100.memoryBytes)). On the two GPUs needed, with tensor parallelism, the bandwidth ceiling is \(RN.n(2 * one.tokensPerSecond, 3)) tokens/s.",
                            why: "The wall is right as a roofline bound per \(RN.tbs(f.h100.bandwidth)) of bandwidth, not as a measured single-GPU result.")
        },
        "004-034": { f in
            let d = f.dep(f.h100, f.m70)
            let pre = d.computeRoofTokensPerSecond
            let dec = d.decode(batch: 1, context: 0).tokensPerSecond
            // Both rates scale as 1/N: the model sizes for which prefill reaches 10,000 tokens/s while
            // decode stays under 100 tokens/s on one H100.
            let upper = f.m70.totalParams * pre / 10_000, lower = f.m70.totalParams * dec / 100
            return Computed("For the 70B model of this article ≈ \(RN.i(pre)) tokens/s prefill against ≈ \(RN.n(dec, 3)) tokens/s decode at H100 rates: prefill is thousands of tokens/s, not tens of thousands",
                            why: "The ratio is about the ridge point (≈ \(RN.i(d.ridge))), so both phrases hold only for models of roughly \(RN.n(lower / 1e9, 2))–\(RN.n(upper / 1e9, 2))B parameters on one H100; a 70B model's prefill tops out near \(RN.n(pre, 2)) tokens/s per H100.")
        },
        "004-041": { f in
            let d = f.dep(f.h100, f.l3_70b)
            let r1 = d.decode(batch: 1, context: 4000), r32 = d.decode(batch: 32, context: 4000), r64 = d.decode(batch: 64, context: 4000)
            return Computed("Only in this section's weights-only picture: each request adds its own KV reads (and past the ridge compute time grows with B), so per-user speed falls as the batch grows, ≈ β/(W + B·S·kv). For Llama 3 70B at S = 4,000 on H100 bandwidth: \(RN.n(r1.tokensPerSecond, 3)) tokens/s alone, \(RN.n(r32.tokensPerSecond / 32, 3)) at B = 32, \(RN.n(r64.tokensPerSecond / 64, 3)) at B = 64.",
                            why: "Weight reads are shared by the batch, KV reads are per request on the same HBM bus: at B = 64 a step reads \(RN.gb(r64.kvBytes)) of KV on top of \(RN.gb(r64.weightBytesRead)) of weights.")
        },
        "004-068": { _ in
            return Computed("A line continuation must be a backslash directly followed by the newline, and no comment may sit inside the continued command: move the comments above the vllm serve line (or after its last line), or remove them",
                            why: "“\\ ” escapes the space, so the newline ends the command: vllm serve receives stray words (“ #”, “prefill”, …) and the following option lines run as separate commands.")
        },
    ]
}
