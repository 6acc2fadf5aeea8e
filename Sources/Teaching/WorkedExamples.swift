import Canvas
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Options for the worked examples: an optional GPU and model replacing the seeds' own, and the
/// convention (seed-002/seed-003 apply to the examples taken from that seed).
public struct WorkedOptions: Sendable {
    public var gpu: String?
    public var model: String?
    public var convention: Convention
    public init(gpu: String? = nil, model: String? = nil, convention: Convention = .physical) {
        self.gpu = gpu; self.model = model; self.convention = convention
    }
}

/// Worked examples for the calculations the seeds do by hand. Each returns an `Exercise` of
/// family `.worked`, computed by the engine; with no options it reproduces the seed's instance.
public enum WorkedExamples {
    static let s = Sym.self

    /// The attention shape a KV-cache example gives: layers, query and KV heads, head dimension.
    static func attentionShape(_ m: Model) -> [Quantity] {
        [.number("layers", "<i>L</i>", Double(m.layers), "1"), .number("query_heads", s.s("h", "q"), Double(m.attentionHeads), "1"),
         .number("kv_heads", s.s("h", "kv"), Double(m.kvHeads), "1"), .number("head_dim", s.s("d", "h"), Double(m.headDim), "1")]
    }

    /// Resolved GPUs and models (the seeds' own unless overridden).
    struct Context {
        var catalog: Catalog
        var gpu: GPU?          // override
        var model: Model?      // override
        var convention: Convention
        /// The seed's convention when the user chose it, else physical.
        func conv(for seed: String) -> Convention {
            (convention.name == "seed-002" && seed == "002") || (convention.name == "seed-003" && seed == "003") ? convention : .physical
        }
        func g(_ seedDefault: GPU) -> GPU { gpu ?? seedDefault }
        func m(_ seedDefault: Model) -> Model { model ?? seedDefault }
        /// An MoE model: the override if it is one, else the default.
        func moe(_ seedDefault: Model) -> Model { (model?.moe != nil ? model : nil) ?? seedDefault }
        var overridden: Bool { gpu != nil || model != nil }
    }

    /// Every worked example, in lecture order.
    public static func all(_ o: WorkedOptions = .init(), catalog: Catalog) throws -> [Exercise] {
        let ctx = Context(catalog: catalog,
                          gpu: try o.gpu.map { try catalog.requireGPU($0, at: (nil, nil, nil, "--gpu")) },
                          model: try o.model.map { ExerciseInstance.roundModel(try catalog.requireModel($0, at: (nil, nil, nil, "--model"))) },
                          convention: o.convention)
        let d = try Defaults(catalog)
        let builders: [(Context, Defaults) -> Exercise] = [
            ridge, gemvGemm, quantisation, decodeFloor, throughputVsBatch, bandwidthSaturation,
            kvConcurrency, mhaGqa, kvVsWeights, attentionDominance, kvComputeContext, prefill,
            balanceBatch, costHyperbola, latencyFloor, fastMode, moeCoverage, staticVsContinuous,
        ]
        return builders.map { b in
            var e = b(ctx, d)
            // The seeds' statements apply only to the seeds' own instances.
            e.errata = ctx.overridden ? [] : ErrataRegister.builtInBoxes(registerIDs[e.id] ?? [])
            return e
        }
    }

    /// The errata register's entries for each worked example: the seed statements it computes.
    static let registerIDs: [String: [String]] = [
        "we-ridge": ["001-018a", "002-006"],
        "we-gemv-gemm": ["003-019", "003-039", "003-043"],
        "we-quantisation": ["003-341"],
        "we-decode-floor": ["004-001a", "004-001b", "004-026"],
        "we-throughput-batch": ["000-041", "004-041"],
        "we-bandwidth-saturation": ["003-259", "003-261"],
        "we-kv-concurrency": ["000-089"],
        "we-mha-gqa": ["000-093", "000-098", "002-013"],
        "we-kv-vs-weights": ["003-192", "003-198", "002-004"],
        "we-attention-dominance": ["003-204a", "003-204b"],
        "we-kv-compute-context": ["002-008b", "002-024", "002-025"],
        "we-prefill": ["004-001c", "004-034", "003-396"],
        "we-balance-batch": ["002-009b", "002-009c", "002-009d", "002-022", "002-029"],
        "we-cost-hyperbola": ["002-008a"],
        "we-latency-floor": ["002-005", "002-023"],
        "we-fast-mode": ["002-009a"],
        "we-moe-coverage": ["001-075"],
    ]

    /// The seeds' own hardware and models.
    struct Defaults {
        let a100: GPU        // seed 000: 312 TFLOPS, "approximately 2 TB/s", 80 GB
        let a100_40: GPU     // seed 001: Horace He's A100 (40 GB, 1.555 TB/s)
        let h100: GPU        // seeds 001/004: 989 TFLOPS dense, 3.35 TB/s
        let ridge300: GPU    // seed 002: a GPU whose FLOPs/bandwidth ratio is 300
        let gb200: GPU
        let llama2_13b: Model, llama2_70b_70: Model, llama3_70b: Model, llama3_70b_70: Model
        let llama3_8b: Model, m7: Model, deepseek: Model
        init(_ c: Catalog) throws {
            a100 = Stated.gpu(try c.requireGPU("a100-80gb"), tflops: 312, tbs: 2.0, seed: "000")
            a100_40 = try c.requireGPU("a100-40gb")
            h100 = try c.requireGPU("h100-sxm")
            var r = try c.requireGPU("gb200")
            r.id = "ridge-300"; r.name = "a GPU with Π/β = 300 (seed 002's hardware ratio)"; r.aliases = ["Π/β = 300 GPU"]
            r.peaks[.bf16] = Peak(dense: 2400e12, sparse: 4800e12); r.peaks[.fp16] = r.peaks[.bf16]
            r.bandwidth = 8e12
            ridge300 = r
            gb200 = try c.requireGPU("gb200")
            llama2_13b = try c.requireModel("llama-2-13b")
            llama2_70b_70 = Stated.model(try c.requireModel("llama-2-70b"), params: 70e9)
            llama3_70b = try c.requireModel("llama-3-70b")
            llama3_70b_70 = Stated.model(try c.requireModel("llama-3-70b"), params: 70e9)
            llama3_8b = try c.requireModel("llama-3-8b")
            m7 = Stated.model(try c.requireModel("llama-2-7b"), params: 7e9)
            deepseek = try c.requireModel("deepseek-v3")
        }
    }

    static func worked(_ id: String, _ title: String, source: String, convention: Convention, question: String,
                       parts: [String] = [], given: [Quantity], _ sol: Solution, errata: [Erratum] = [], remark: String? = nil) -> Exercise {
        Exercise(id: "we-" + id, family: .worked, title: title, source: source, convention: convention.name,
                 question: question, parts: parts, given: given, steps: sol.steps, answers: sol.answers,
                 errata: errata, remark: remark)
    }

    static func gpuGiven(_ d: Deployment, _ k: String = "a") -> [Quantity] { Gen.gpuGiven(d, k) }

    // MARK: Roofline basics

    /// Ridge point of two GPUs (seed 000: A100 156; seeds 001/004: H100 295) and Horace He's FP32 ratio (seed 001).
    static func ridge(_ c: Context, _ d: Defaults) -> Exercise {
        let conv = Convention.physical
        let dA = Gen.dep(c.g(d.a100), d.m7, conv), dB = Gen.dep(c.gpu?.id == d.h100.id ? d.a100 : d.h100, d.m7, conv)
        let nA = Gen.name(dA.gpu), nB = Gen.name(dB.gpu)
        var sol = Solution()
        for (dd, k, n) in [(dA, "a", nA), (dB, "b", nB)] {
            sol.step("Ridge point of the \(n)", formula: "\(s.ridge) = Π / β", substitution: "\(Gen.tf(dd.peakFlops)) ÷ \(Gen.tb(dd.bandwidth))",
                     key: "ridge_\(k)", label: "Ridge point of the \(n)", value: dd.ridge, unit: "FLOP/byte",
                     "A kernel doing fewer than \(Num.markup(dd.ridge, sig: 3)) FLOPs per byte it reads leaves the \(n)'s tensor cores waiting for memory.")
        }
        let a40 = d.a100_40
        let fp32 = a40.peak(.fp32) ?? 0
        sol.step("FP32 operations per number loaded (CUDA cores, \(Gen.name(a40)))", formula: "\(s.g("Π", "FP32")) / (β / 4 B)",
                 substitution: "\(Gen.tf(fp32)) ÷ (\(Gen.tb(a40.bandwidth)) ÷ 4 B)",
                 key: "fp32_ops_per_number", label: "FP32 operations per 4-byte number loaded", value: fp32 / (a40.bandwidth / 4), unit: "FLOP/number",
                 "Without tensor cores the A100 needs about \(Num.markup(fp32 / (a40.bandwidth / 4), sig: 2)) operations per number; with them (312 TFLOPS) the bar rises to hundreds of FLOPs per byte.")
        return worked("ridge", "The ridge point", source: "Seeds 000, 001, 004", convention: conv,
                      question: "Compute the ridge point of the \(nA) and the \(nB): the arithmetic intensity above which a kernel is limited by compute rather than by memory bandwidth.",
                      given: gpuGiven(dA, "a") + gpuGiven(dB, "b")
                        + [.number("fp32_a100_40gb", "FP32 (CUDA-core) peak of the \(Gen.name(a40))", fp32, "FLOP/s", display: Num.markup(fp32 / 1e12) + " TFLOPS"),
                           .number("bandwidth_a100_40gb", "β of the \(Gen.name(a40))", a40.bandwidth, "B/s", display: Num.markup(a40.bandwidth / 1e12) + " TB/s")],
                      sol)
    }

    /// GEMV vs batched GEMM intensity of a 4096 × 4096 BF16 layer (seeds 001, 003, 004).
    static func gemvGemm(_ c: Context, _ d: Defaults) -> Exercise {
        let dim = c.model?.hiddenSize ?? 4096
        let g = c.g(d.h100)
        let ridge = g.ridge(g.computePrecision(for: .bf16)) ?? 0
        var sol = Solution()
        let l1 = LinearLayer(m: dim, k: dim, tokens: 1)
        sol.step("FLOPs of the GEMV", formula: "<i>F</i> = 2·<i>M</i>·<i>K</i>", substitution: "2 × \(dim) × \(dim)",
                 key: "gemv_flops", label: "FLOPs of one token through the layer", value: l1.flops, unit: "FLOP",
                 "One multiply and one add per weight.")
        let wBytes = LinearLayer(m: dim, k: dim, tokens: 1, activations: false).bytes
        sol.step("Bytes of the GEMV", formula: "<i>Q</i> = \(s.s("b", "w"))·(<i>M</i>·<i>K</i> + <i>K</i> + <i>M</i>)",
                 substitution: "2 B × (\(dim) × \(dim) + \(dim) + \(dim))",
                 key: "gemv_bytes", label: "Bytes read and written by the GEMV", value: l1.bytes, unit: "B",
                 "The weight matrix is \(Num.withUnit(wBytes, "B")); the input and output vectors add only \(Num.percent((l1.bytes - wBytes) / l1.bytes, sig: 2)).")
        sol.step("GEMV intensity", formula: "<i>I</i>(1) = <i>F</i> / <i>Q</i>", substitution: "\(Num.markup(l1.flops)) ÷ \(Num.markup(l1.bytes))",
                 key: "gemv_intensity", label: "Intensity at one token", value: l1.intensity, unit: "FLOP/byte",
                 "About one FLOP per byte: \(Num.markup(ridge / l1.intensity, sig: 3)) times below the \(Gen.name(g))'s ridge of \(Num.markup(ridge, sig: 4)).")
        var rows: [[String]] = []
        for t in [1, 32, 256, 512, 4096] {
            let l = LinearLayer(m: dim, k: dim, tokens: t)
            rows.append([Num.markup(Double(t)), Num.markup(l.intensity), l.intensity >= ridge ? "compute" : "memory"])
            if t != 1 { sol.answer("intensity_at_\(t)", "Intensity with \(t) tokens", l.intensity, "FLOP/byte") }
        }
        let md = Double(dim)
        let tStar = ridge * md * md / (md * md - ridge * 2 * md)
        sol.step("Batched GEMM", formula: "<i>I</i>(<i>T</i>) = 2·<i>M</i>·<i>K</i>·<i>T</i> / (\(s.s("b", "w"))·(<i>M</i>·<i>K</i> + <i>K</i>·<i>T</i> + <i>M</i>·<i>T</i>)) ≈ <i>T</i>",
                 substitution: "solve <i>I</i>(<i>T</i>) = \(Num.markup(ridge, sig: 4)): <i>T</i> = \(s.ridge)·<i>M</i>·<i>K</i> / (<i>M</i>·<i>K</i> − \(s.ridge)·(<i>M</i> + <i>K</i>))",
                 key: "gemm_crossover_tokens", label: "Tokens per weight read at which the layer becomes compute-bound", value: tStar, unit: "tokens",
                 table: StepTable(columns: ["tokens <i>T</i>", "<i>I</i> (FLOP/byte)", "bound on the \(Gen.name(g))"], rows: rows, numericColumns: [0, 1]),
                 "Sharing one weight read among <i>T</i> tokens multiplies the intensity by about <i>T</i>; the activations make the crossover a little later than \(s.ridge).")
        return worked("gemv-gemm", "GEMV versus batched GEMM", source: "Seeds 001, 003, 004", convention: .physical,
                      question: "A \(dim) × \(dim) linear layer in BF16 processes <i>T</i> tokens per weight read. Compute its arithmetic intensity at <i>T</i> = 1 (decode, a GEMV) and as <i>T</i> grows (batched decode or prefill, a GEMM).",
                      given: [.number("m", "<i>M</i> = <i>K</i>: layer dimension", Double(dim), "1"),
                              .number("bytes_per_element", "bytes per element (BF16)", 2, "B")] + gpuGiven(Gen.dep(g, d.m7, .physical)),
                      sol)
    }

    /// Quantisation's effect on intensity, speed and balance batch (seeds 001, 003, 004).
    static func quantisation(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.llama3_8b)
        let conv = c.conv(for: "003")
        var sol = Solution()
        var rows: [[String]] = []
        var base: EvalRow?
        for w in [WeightFormat.bf16, .fp8, .int8, .int4] {
            let dep = Gen.dep(g, m, conv, weights: w)
            let r = dep.decode(batch: 1, context: 0)
            if w == .bf16 { base = r }
            // Bytes per body weight with the format's group scales (INT4: 0.5 B + a 16-bit scale per 128 weights).
            rows.append([w.rawValue.uppercased(), Num.markup(dep.storage.bodyBytesPerWeight), dep.computePrecision.rawValue.uppercased(), Num.markup(r.intensity),
                         Num.markup(r.tokensPerSecond), Num.markup(dep.balanceBatch)])
            sol.answer("intensity_\(w.rawValue)", "Intensity at <i>B</i> = 1, \(w.rawValue.uppercased()) weights", r.intensity, "FLOP/byte")
            sol.answer("tokens_per_s_\(w.rawValue)", "Tokens/s at <i>B</i> = 1, \(w.rawValue.uppercased()) weights", r.tokensPerSecond, "tokens/s")
            sol.answer("balance_batch_\(w.rawValue)", "Balance batch, \(w.rawValue.uppercased()) weights", dep.balanceBatch, "sequences")
        }
        let d4 = Gen.dep(g, m, conv, weights: .int4)
        let r4 = d4.decode(batch: 1, context: 0)
        let f4 = Gen.flopsPerToken(d4), w4 = Gen.weightRead(d4, allExperts: false)
        sol.step("Intensity and speed by weight format", formula: "<i>I</i>(1) = <i>F</i> / <i>W</i>,  tokens/s = β / <i>W</i>, with <i>F</i> = \(f4.formula) and \(w4.formula)",
                 substitution: "INT4: (\(f4.substitution)) ÷ (\(w4.substitution))",
                 key: "speedup_int4", label: "Speed-up of INT4 over BF16 at <i>B</i> = 1", value: r4.tokensPerSecond / (base?.tokensPerSecond ?? 1), unit: "1",
                 table: StepTable(columns: ["weights", "\(s.s("b", "w")) (B)", "math", "<i>I</i>(1)", "tokens/s", "balance <i>B</i>"], rows: rows, numericColumns: [1, 3, 4, 5]),
                 "Fewer bytes per weight raise the intensity and the single-request speed in proportion; weight-only INT8/INT4 still compute in BF16, so their balance batch falls — they reach the compute roof at smaller batches.")
        return worked("quantisation", "Quantisation and intensity", source: "Seeds 001, 003, 004", convention: conv,
                      question: "\(Gen.name(m)) decodes one request on the \(Gen.name(g)). Compare BF16, FP8, INT8 and INT4 weights: intensity, tokens/s and balance batch.",
                      given: gpuGiven(Gen.dep(g, m, conv)) + Gen.modelGiven(m), sol)
    }

    // MARK: Decode

    /// The single-request decode floor and the fit check (seed 004; seed 001 for 7B).
    static func decodeFloor(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.llama2_70b_70)
        let dep = Gen.dep(g, m, .physical)
        var sol = Solution()
        sol.step("Weight bytes", formula: "<i>N</i>·\(s.s("b", "w"))", substitution: "\(Num.markup(m.totalParams)) × 2 B",
                 key: "weight_bytes", label: "Weight bytes (BF16)", value: dep.weightBytes, unit: "B", "Every decode step reads all of them once.")
        let r = dep.decode(batch: 1, context: 0)
        let wt = Gen.weightRead(dep, allExperts: false)
        sol.step("Latency floor", formula: "<i>t</i> ≥ <i>W</i> / β", substitution: "\(Num.markup(wt.value)) B ÷ \(Gen.tb(dep.bandwidth))",
                 key: "min_step_time", label: "Minimum time per token", value: r.weightTime, unit: "s",
                 "No kernel can produce a token faster than the weights can be streamed from memory.")
        sol.step("Single-request ceiling", formula: "tokens/s ≤ β / <i>W</i>", substitution: "1 ÷ \(Num.markup(r.stepTime)) s",
                 key: "max_tokens_per_s", label: "Single-request ceiling", value: r.tokensPerSecond, unit: "tokens/s",
                 "An upper bound: KV reads, launches and sampling only slow it down.")
        sol.step("Fit check", formula: "<i>W</i> ≤ <i>C</i>·(1 − reserve)", substitution: "\(Num.markup(dep.weightBytes)) B vs \(Num.markup(dep.capacityBytes)) B × 0.9 = \(Num.markup(dep.usableBytes)) B",
                 key: "fits", label: "Weights fit on one GPU (1 yes, 0 no)", value: dep.weightsFit ? 1 : 0, unit: "1",
                 dep.weightsFit ? "The weights fit, with \(Num.withUnit(dep.kvBudgetBytes, "B", sig: 3)) left for the KV cache." : "The weights alone exceed the GPU's memory: one GPU cannot serve this model at all.")
        let need = Int((dep.weightBytes / dep.usableBytes).rounded(.up))
        let n = max(need, 1)
        let tp = Gen.dep(g, m, .physical, gpus: n)
        let rt = tp.decode(batch: 1, context: 0)
        sol.step("GPUs needed and their ceiling", formula: "<i>n</i> = ⌈<i>W</i> / (<i>C</i>·0.9)⌉;  tokens/s = 1/(<i>W</i>/(<i>n</i>·β) + \(s.s("t", "all-reduce")))",
                 substitution: "⌈\(Num.markup(dep.weightBytes)) ÷ \(Num.markup(dep.usableBytes))⌉ = \(n); all-reduce \(Num.markup(rt.interconnectTime)) s",
                 key: "gpus_needed", label: "GPUs needed (tensor parallel)", value: Double(n), unit: "GPUs",
                 "On \(n) GPU\(n == 1 ? "" : "s") the ceiling becomes \(Num.markup(rt.tokensPerSecond, sig: 3)) tokens/s.")
        sol.answer("tokens_per_s_tensor_parallel", "Ceiling on the GPUs needed", rt.tokensPerSecond, "tokens/s")
        return worked("decode-floor", "The single-request decode floor and the fit check", source: "Seeds 001, 004", convention: .physical,
                      question: "\(Gen.name(m)) in BF16 serves one request on the \(Gen.name(g)). What is the fastest it can generate tokens, and does it fit?",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.number("capacity", "GPU memory <i>C</i>", dep.capacityBytes, "B"), .number("reserve", "reserve for activations", 0.1, "fraction")],
                      sol)
    }

    /// Throughput vs batch: linear rise, knee, plateau (seed 000: Llama-2-13B on an A100).
    static func throughputVsBatch(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.a100), m = c.m(d.llama2_13b)
        let dep = Gen.dep(g, m, .physical, reserve: 0)
        var sol = Solution()
        var rows: [[String]] = []
        let batches = [1, 10, 50, 100, 156, 300]
        for b in batches {
            let r = dep.decode(batch: b, context: 0)
            rows.append([Num.markup(Double(b)), Num.markup(r.stepTime * 1e3), Num.markup(r.tokensPerSecond), r.bound.rawValue])
            sol.answer("tokens_per_s_at_\(b)", "Tokens/s at <i>B</i> = \(b)", r.tokensPerSecond, "tokens/s")
        }
        let r1 = dep.decode(batch: 1, context: 0)
        let wt = Gen.weightRead(dep, allExperts: false), ft = Gen.flopsPerToken(dep)
        sol.step("Memory-bound rise", formula: "tokens/s(<i>B</i>) = <i>B</i>·β / <i>W</i>, \(wt.formula)",
                 substitution: "<i>B</i> × \(Gen.tb(dep.bandwidth)) ÷ (\(wt.substitution) = \(Num.markup(wt.value)) B)",
                 key: "tokens_per_s_per_sequence", label: "Tokens/s per sequence below the knee", value: r1.tokensPerSecond, unit: "tokens/s",
                 table: StepTable(columns: ["<i>B</i>", "step (ms)", "tokens/s", "bound"], rows: rows, numericColumns: [0, 1, 2]),
                 "Every sequence added below the knee adds the same \(Num.markup(r1.tokensPerSecond, sig: 3)) tokens/s, because the step time is the fixed weight read.")
        let plateau = dep.computeRoofTokensPerSecond
        sol.step("Plateau", formula: "tokens/s = Π / <i>F</i>, <i>F</i> = \(ft.formula)", substitution: "\(Gen.tf(dep.peakFlops)) ÷ (\(ft.substitution))",
                 key: "plateau_tokens_per_s", label: "Compute roof", value: plateau, unit: "tokens/s",
                 "Above the knee (<i>B</i> ≈ \(Num.markup(dep.balanceBatch, sig: 3))) more sequences only lengthen the step.")
        let gain = dep.decode(batch: 156, context: 0).tokensPerSecond / r1.tokensPerSecond
        sol.step("Gain from batching", formula: "tokens/s(156) / tokens/s(1)", substitution: "\(Num.markup(dep.decode(batch: 156, context: 0).tokensPerSecond)) ÷ \(Num.markup(r1.tokensPerSecond))",
                 key: "gain_1_to_156", label: "Throughput gain from <i>B</i> = 1 to 156", value: gain, unit: "1",
                 "The same GPU-hour produces \(Num.markup(gain, sig: 3))× the tokens, so the cost per token falls by the same factor.")
        return worked("throughput-batch", "Throughput versus batch size", source: "Seed 000", convention: .physical,
                      question: "\(Gen.name(m)) in BF16 decodes on the \(Gen.name(g)) at short context. Tabulate tokens/s for <i>B</i> ∈ {1, 10, 50, 100, 156, 300}."
                        + Gen.shortContextNote(Gen.dep(g, m, .physical), batch: 300),
                      given: gpuGiven(dep) + Gen.modelGiven(m), sol)
    }

    /// Bandwidth saturation from a measured rate (seed 003 §4.2; seed 001's 4.2 ms).
    static func bandwidthSaturation(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.m7)
        let dep = Gen.dep(g, m, .physical)
        let r = dep.decode(batch: 1, context: 0)
        var sol = Solution()
        let wt = Gen.weightRead(dep, allExperts: false)
        sol.step("Predicted floor", formula: "<i>t</i> = <i>W</i> / β, \(wt.formula)", substitution: "\(Num.markup(wt.value)) B ÷ \(Gen.tb(dep.bandwidth))",
                 key: "min_step_time", label: "Predicted minimum time per token", value: r.stepTime, unit: "s", "The time to stream the weights once.")
        sol.step("Predicted ceiling", formula: "tokens/s = 1/<i>t</i>", substitution: "1 ÷ \(Num.markup(r.stepTime)) s",
                 key: "max_tokens_per_s", label: "Predicted ceiling", value: r.tokensPerSecond, unit: "tokens/s", "No implementation can beat this.")
        for obs in [200.0, 50.0] {
            let bw = wt.value * obs
            sol.step("Observed \(Num.markup(obs)) tokens/s", formula: "\(s.s("β", "eff")) = <i>W</i> × tokens/s;  efficiency = \(s.s("β", "eff")) / β",
                     substitution: "\(Num.markup(wt.value)) B × \(Num.markup(obs)) /s = \(Num.withUnit(bw, "B/s", sig: 3)); ÷ \(Gen.tb(dep.bandwidth))",
                     key: "efficiency_\(Int(obs))", label: "Bandwidth efficiency at \(Num.markup(obs)) tokens/s", value: Gen.ratio(bw, dep.bandwidth), unit: "fraction",
                     Gen.ratio(bw, dep.bandwidth) > 0.7 ? "Within 30 % of peak: the decode is bandwidth-saturated." : "Far below peak: something other than the weight read (launch overhead, scheduling, a slow kernel) is the bottleneck.")
            sol.answer("effective_bandwidth_\(Int(obs))", "Effective bandwidth at \(Num.markup(obs)) tokens/s", bw, "B/s")
        }
        return worked("bandwidth-saturation", "Bandwidth saturation from a measured rate", source: "Seeds 001, 003", convention: .physical,
                      question: "\(Gen.name(m)) (BF16) decodes one request on the \(Gen.name(g)). Predict the ceiling, then judge two measurements: 200 and 50 tokens/s.",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.text("observed", "Observed rates", "200 and 50 tokens/s")],
                      sol)
    }

    // MARK: KV cache

    /// KV bytes per token and per sequence; concurrency pre-allocated vs paged (seed 000).
    static func kvConcurrency(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.a100), m = c.m(d.llama2_13b)
        let dep = Gen.dep(g, m, .physical, reserve: 0)
        let sMax = 2048, mean = 300, block = 16
        var sol = Solution()
        let kv = dep.kvBytesPerToken
        sol.step("KV bytes per token", formula: "kv = 2·<i>L</i>·\(s.s("h", "kv"))·\(s.s("d", "h"))·\(s.s("b", "kv"))",
                 substitution: "2 × \(m.layers) × \(m.kvHeads) × \(m.headDim) × 2 B", key: "kv_bytes_per_token", label: "KV bytes per token",
                 value: kv, unit: "B", display: Num.bytesBoth(kv), "Keys and values of every layer for one token.")
        sol.step("KV bytes per sequence at \(Num.markup(Double(sMax))) tokens", formula: "\(s.s("S", "max"))·kv", substitution: "\(sMax) × \(Num.markup(kv)) B",
                 key: "kv_bytes_per_sequence", label: "KV bytes pre-allocated per sequence", value: Double(sMax) * kv, unit: "B",
                 display: Num.withUnit(Double(sMax) * kv, "B") + " = " + Num.markup(Double(sMax) * kv / 1_073_741_824, sig: 4) + " GiB",
                 "A pre-allocating server reserves this much for every request, however short its answer.")
        sol.step("Memory left for the KV cache", formula: "<i>C</i> − <i>N</i>·\(s.s("b", "w"))", substitution: "\(Num.markup(dep.capacityBytes)) B − \(Num.markup(dep.weightBytes)) B",
                 key: "kv_budget", label: "KV budget", value: dep.kvBudgetBytes, unit: "B", "Everything the weights do not use (no reserve, as in the seed).")
        let pre = dep.maxConcurrentPreallocated(maxTokens: sMax)
        sol.step("Concurrency, pre-allocated", formula: "⌊budget / (\(s.s("S", "max"))·kv)⌋", substitution: "⌊\(Num.markup(dep.kvBudgetBytes)) ÷ \(Num.markup(Double(sMax) * kv))⌋",
                 key: "max_concurrent_preallocated", label: "Concurrent sequences, pre-allocated", value: Double(pre), unit: "sequences",
                 "Only \(Num.percent(Double(pre) / dep.balanceBatch, sig: 2)) of the balance batch <i>B</i>" + Markup.sup("*") + " = \(Num.markup(dep.balanceBatch, sig: 3)), where reading the weights alone would take as long as the math.")
        let pagedTokens = (mean + block - 1) / block * block
        let paged = dep.maxConcurrentPaged(meanTokens: mean, blockTokens: block)
        // Whether the paged batch reaches the compute roof at the mean length: its KV reads count.
        let atPaged = dep.decode(batch: Double(paged), context: mean)
        let limitText = dep.computeBoundContextLimit.map { "compute-bound decode needs contexts below \(Num.markup($0, sig: 3)) tokens" } ?? "no context keeps it memory-bound at every batch"
        let pagedVerdict: String
        if atPaged.bound == .compute {
            pagedVerdict = "Paging admits enough sequences to reach the compute roof at \(mean) tokens."
        } else if Double(paged) >= dep.balanceBatch {
            pagedVerdict = "Paging admits more sequences than the balance batch, but each brings its KV reads: at \(mean) tokens the step's intensity is \(Num.markup(atPaged.intensity, sig: 3)) FLOP/byte against a ridge of \(Num.markup(dep.ridge, sig: 3)), so decode stays memory-bound (\(limitText))."
        } else {
            pagedVerdict = "Even paged, the cache limits the batch below the balance batch."
        }
        sol.step("Concurrency, paged", formula: "⌊budget / (⌈\(s.s("S", "mean"))/16⌉·16·kv)⌋", substitution: "⌈300/16⌉ × 16 = \(pagedTokens) tokens; ⌊\(Num.markup(dep.kvBudgetBytes)) ÷ \(Num.markup(Double(pagedTokens) * kv))⌋",
                 key: "max_concurrent_paged", label: "Concurrent sequences, paged (16-token blocks)", value: Double(paged), unit: "sequences",
                 pagedVerdict)
        sol.answer("paged_tokens_per_sequence", "Tokens held per sequence with 16-token blocks", Double(pagedTokens), "tokens")
        return worked("kv-concurrency", "KV cache per token, per sequence, and concurrency", source: "Seed 000", convention: .physical,
                      question: "\(Gen.name(m)) (BF16 weights and KV) runs on the \(Gen.name(g)) with \(Num.markup(dep.capacityBytes / 1e9)) GB. Requests may reach \(sMax) tokens but average \(mean). How many fit at once with pre-allocation and with 16-token paging?",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [
                        .number("layers", "<i>L</i>", Double(m.layers), "1"), .number("kv_heads", "\(s.s("h", "kv"))", Double(m.kvHeads), "1"),
                        .number("head_dim", "\(s.s("d", "h"))", Double(m.headDim), "1"), .number("capacity", "memory <i>C</i>", dep.capacityBytes, "B"),
                        .number("max_tokens", "\(s.s("S", "max"))", Double(sMax), "tokens"), .number("mean_tokens", "mean tokens per request", Double(mean), "tokens")],
                      // The seed's 800 KB, 1.6 GB, 33 and 225 are within its own "≈"; its claim that
                      // paging makes decode compute-bound is not.
                      sol)
    }

    /// MHA vs GQA vs MQA (seed 000: Llama-2-70B; seed 003 §3.1: 10.7 GB and 85.9 GB).
    static func mhaGqa(_ c: Context, _ d: Defaults) -> Exercise {
        let m = c.m(c.catalog.model("llama-2-70b") ?? d.llama2_70b_70)
        var sol = Solution()
        let gqa = m.kvBytesPerToken(2), mha = m.mhaKVBytesPerToken(2)
        let mqa = 2 * Double(m.layers) * Double(m.headDim) * 2
        sol.step("With full multi-head attention", formula: "2·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h"))·\(s.s("b", "kv"))",
                 substitution: "2 × \(m.layers) × \(m.attentionHeads) × \(m.headDim) × 2 B", key: "kv_bytes_per_token_mha", label: "KV bytes per token, MHA",
                 value: mha, unit: "B", display: Num.bytesBoth(mha), "One key and one value vector per query head.")
        sol.step("As published (\(m.attentionKind.rawValue))", formula: m.mla == nil ? "2·<i>L</i>·\(s.s("h", "kv"))·\(s.s("d", "h"))·\(s.s("b", "kv"))" : "<i>L</i>·(\(s.s("d", "c")) + \(s.s("d", "rope")))·\(s.s("b", "kv"))",
                 substitution: m.mla == nil ? "2 × \(m.layers) × \(m.kvHeads) × \(m.headDim) × 2 B" : "latent per layer",
                 key: "kv_bytes_per_token", label: "KV bytes per token, as published", value: gqa, unit: "B", display: Num.bytesBoth(gqa),
                 "Sharing each key/value head among \(m.attentionHeads / max(1, m.kvHeads)) query heads cuts the cache by the same factor.")
        sol.step("With multi-query attention", formula: "2·<i>L</i>·1·\(s.s("d", "h"))·\(s.s("b", "kv"))", substitution: "2 × \(m.layers) × 1 × \(m.headDim) × 2 B",
                 key: "kv_bytes_per_token_mqa", label: "KV bytes per token, MQA", value: mqa, unit: "B", display: Num.bytesBoth(mqa), "One shared key/value head: the smallest cache.")
        sol.step("Savings", formula: "MHA / \(m.attentionKind.rawValue) and MHA / MQA", substitution: "\(Num.markup(mha)) ÷ \(Num.markup(gqa)); \(Num.markup(mha)) ÷ \(Num.markup(mqa))",
                 key: "saving_vs_mha", label: "Cache reduction of the published attention vs MHA", value: mha / gqa, unit: "1",
                 "For a fixed memory budget the number of concurrent sequences grows by the same factor.")
        sol.answer("saving_mqa_vs_mha", "Cache reduction of MQA vs MHA", mha / mqa, "1")
        for sCtx in [4096, 32768] {
            sol.answer("kv_bytes_at_\(sCtx)_mha", "KV per sequence at \(Num.plain(Double(sCtx))) tokens, MHA", mha * Double(sCtx), "B")
            sol.answer("kv_bytes_at_\(sCtx)", "KV per sequence at \(Num.plain(Double(sCtx))) tokens, as published", gqa * Double(sCtx), "B")
        }
        sol.step("Per sequence at 32,768 tokens", formula: "<i>S</i>·kv", substitution: "32,768 × \(Num.markup(mha)) B (MHA); 32,768 × \(Num.markup(gqa)) B",
                 key: "kv_bytes_at_32768_mha_step", label: "KV per 32,768-token sequence with MHA", value: mha * 32768, unit: "B", answer: false,
                 "With MHA one long sequence would need more than an 80 GB GPU; with \(m.attentionKind.rawValue) it needs \(Num.withUnit(gqa * 32768, "B", sig: 3)).")
        return worked("mha-gqa", "MHA versus GQA and MQA", source: "Seeds 000, 003", convention: .physical,
                      question: "\(Gen.name(m)) has \(m.attentionHeads) query heads and \(m.kvHeads) KV heads. Compare its KV cache with full multi-head and multi-query attention.",
                      given: Gen.modelGiven(m) + attentionShape(m),
                      sol)
    }

    /// KV versus weight bytes at a context (seed 003 §3.2: 7.6 % and 61 %).
    static func kvVsWeights(_ c: Context, _ d: Defaults) -> Exercise {
        let m = c.m(d.llama3_70b_70), g = c.g(d.h100)
        let dep = Gen.dep(g, m, .physical)
        var sol = Solution()
        let wt = Gen.weightRead(dep, allExperts: false)
        let w = wt.value
        sol.step("Weight bytes read per step", formula: wt.formula, substitution: wt.substitution, key: "weight_bytes",
                 label: "Weight bytes read per step", value: w, unit: "B", "Read once per step.")
        let mha = m.mhaKVBytesPerToken(2), kv = dep.kvBytesPerToken
        var rows: [[String]] = []
        for sCtx in [4096, 32768] {
            rows.append([Num.markup(Double(sCtx)), Num.withUnit(mha * Double(sCtx), "B", sig: 3), Num.percent(mha * Double(sCtx) / w, sig: 3),
                         Num.withUnit(kv * Double(sCtx), "B", sig: 3), Num.percent(kv * Double(sCtx) / w, sig: 3)])
            sol.answer("kv_fraction_\(sCtx)_mha", "KV/weights at <i>S</i> = \(Num.plain(Double(sCtx))), MHA", mha * Double(sCtx) / w, "fraction")
            sol.answer("kv_fraction_\(sCtx)", "KV/weights at <i>S</i> = \(Num.plain(Double(sCtx))), as published", kv * Double(sCtx) / w, "fraction")
        }
        sol.step("KV read per step against the weights", formula: "<i>S</i>·kv / <i>W</i>", substitution: "see the table (MHA hypothetical and \(m.attentionKind.rawValue) as published)",
                 key: "kv_fraction_32768_step", label: "KV/weights at 32,768 tokens (MHA)", value: mha * 32768 / w, unit: "fraction", answer: false,
                 table: StepTable(columns: ["<i>S</i>", "KV (MHA)", "÷ weights", "KV (\(m.attentionKind.rawValue))", "÷ weights"], rows: rows, numericColumns: [0, 1, 2, 3, 4]),
                 "Per sequence the weights dominate at ordinary contexts; the KV share grows linearly with <i>S</i>.")
        sol.step("Context where they are equal", formula: "\(s.s("S", nil, sup: "*")) = <i>W</i> / kv", substitution: "\(Num.markup(w)) ÷ \(Num.markup(kv)) (\(m.attentionKind.rawValue)); ÷ \(Num.markup(mha)) (MHA)",
                 key: "crossover_context", label: "Context where one sequence's KV equals the weights", value: dep.kvWeightCrossoverContext(batch: 1), unit: "tokens",
                 "With MHA the crossover would be at \(Num.markup(w / mha, sig: 4)) tokens; a batch of <i>B</i> sequences reaches it at 1/<i>B</i> of the context.")
        sol.answer("crossover_context_mha", "Crossover context with MHA", w / mha, "tokens")
        let b32 = 32 * 4096 * kv / w
        sol.answer("kv_fraction_batch32_4096", "KV/weights for 32 sequences of 4,096 tokens", b32, "fraction")
        return worked("kv-vs-weights", "KV bytes versus weight bytes", source: "Seed 003 §3.2", convention: .physical,
                      question: "\(Gen.name(m)) in BF16: compare the KV bytes a decode step reads with the weight bytes at <i>S</i> = 4,096 and 32,768, with full multi-head attention and as published.",
                      given: Gen.modelGiven(m) + attentionShape(m),
                      sol)
    }

    /// Context where attention FLOPs equal the weight FLOPs (seed 003 §3.3: 53,600 printed, 53,406 correct).
    static func attentionDominance(_ c: Context, _ d: Defaults) -> Exercise {
        let m = c.m(d.llama3_70b_70), g = c.g(d.h100)
        let dep = Gen.dep(g, m, .physical)
        var sol = Solution()
        let ft = Gen.flopsPerToken(dep)
        sol.step("Weight FLOPs per token", formula: "<i>F</i> = \(ft.formula)", substitution: ft.substitution, key: "weight_flops_per_token",
                 label: "Weight FLOPs per generated token", value: ft.value, unit: "FLOP", "The matrix work every token does regardless of context.")
        let a = m.attentionFlopsPerContextToken
        sol.step("Attention FLOPs per cached token", formula: "4·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h")) (<i>QK</i>" + Markup.sup("T") + " and <i>AV</i>)",
                 substitution: "4 × \(m.layers) × \(m.attentionHeads) × \(m.headDim)", key: "attention_flops_per_context_token",
                 label: "Attention FLOPs per cached token", value: a, unit: "FLOP", "Each cached token costs a dot product with the query and a weighted add of its value, in every head and layer.")
        sol.step("Crossover context", formula: "<i>S</i> = <i>F</i> / (4·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h")))",
                 substitution: "\(Num.markup(ft.value)) ÷ \(Num.markup(a))", key: "attention_dominance_context",
                 label: "Context where attention FLOPs equal weight FLOPs", value: dep.attentionDominanceContext, unit: "tokens",
                 "Beyond this context a decode step spends more arithmetic on attention than on the weights — but it stays memory-bound.")
        sol.answer("qk_only_context", "The same threshold counting only <i>QK</i>ᵀ (2·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h"))·<i>S</i>)", 2 * dep.attentionDominanceContext, "tokens")
        return worked("attention-dominance", "When attention FLOPs dominate", source: "Seed 003 §3.3", convention: .physical,
                      question: "For \(Gen.name(m)), at what context do the attention FLOPs of a decode step equal the FLOPs of its weight matrices?",
                      given: Gen.modelGiven(m) + [.number("layers", "<i>L</i>", Double(m.layers), "1"), .number("query_heads", "\(s.s("h", "q"))", Double(m.attentionHeads), "1"),
                                                  .number("head_dim", "\(s.s("d", "h"))", Double(m.headDim), "1")],
                      sol)
    }

    /// The context where KV traffic equals compute: beyond it no batch is compute-bound (seed 002's balance of slopes).
    static func kvComputeContext(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.llama3_8b)
        let conv = c.conv(for: "002")
        let dep = Gen.dep(g, m, conv)
        var sol = Solution()
        let kv = dep.kvBytesPerToken
        let ft = Gen.flopsPerToken(dep)
        let perSequence = dep.decode(batch: 1, context: 0).computeTime
        sol.step("Per-sequence slopes", formula: "compute: <i>F</i>/Π, <i>F</i> = \(ft.formula);  KV: <i>S</i>·kv/β",
                 substitution: "\(Num.markup(ft.value)) ÷ \(Gen.tf(dep.peakFlops)) = \(Num.markup(perSequence)) s; kv = \(Num.markup(kv)) B",
                 key: "compute_time_per_sequence", label: "Compute time per sequence per step", value: perSequence, unit: "s",
                 "Each added sequence costs this much compute and <i>S</i>·kv/β of KV traffic.")
        let weightsOnly = dep.computeBoundContextLimitWeightsOnly
        sol.step("Context where the slopes match (attention FLOPs ignored)", formula: "<i>S</i> = <i>F</i>·β / (Π·kv)",
                 substitution: "\(Num.markup(ft.value)) × \(Gen.tb(dep.bandwidth)) ÷ (\(Gen.tf(dep.peakFlops)) × \(Num.markup(kv)) B)",
                 key: "context_limit_weights_only", label: "Context limit without attention FLOPs", value: weightsOnly, unit: "tokens",
                 "Past this context the KV read of each extra sequence takes longer than its compute: no batch reaches the compute roof.")
        let full = dep.computeBoundContextLimit ?? .infinity
        if conv.attentionFlops {
            sol.step("With attention FLOPs counted", formula: "<i>S</i> = <i>F</i>·β / (Π·kv − 4·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h"))·β)",
                     substitution: "\(Num.markup(ft.value)) × \(Gen.tb(dep.bandwidth)) ÷ (\(Gen.tf(dep.peakFlops)) × \(Num.markup(kv)) − \(Num.markup(dep.attentionFlopsPerContextToken)) × \(Gen.tb(dep.bandwidth)))",
                     key: "context_limit", label: "Context limit with attention FLOPs", value: full, unit: "tokens",
                     "The attention work grows with <i>S</i> too, which moves the limit out a little.")
        } else {
            sol.answer("context_limit", "Context limit (this convention ignores attention FLOPs)", full, "tokens")
        }
        var rows: [[String]] = []
        for sCtx in [0, 128, 256, Int(full.isFinite ? full * 0.9 : 1024)] {
            let k = dep.kneeBatch(context: sCtx)
            rows.append([Num.markup(Double(sCtx)), k.map { Num.markup($0, sig: 4) } ?? "none"])
        }
        sol.step("Knee batch as the context grows", formula: "\(s.s("B", "knee"))(<i>S</i>) = (<i>W</i>/β) / (<i>F</i>/Π − <i>S</i>·kv/β)",
                 substitution: "solved by the engine at each <i>S</i>", key: "knee_batch_at_0", label: "Knee batch at <i>S</i> = 0",
                 value: dep.kneeBatch(context: 0) ?? .infinity, unit: "sequences",
                 table: StepTable(columns: ["<i>S</i>", "knee <i>B</i>"], rows: rows, numericColumns: [0, 1]),
                 "The knee rises without bound as <i>S</i> approaches the limit: long contexts make large batches memory-bound.")
        return worked("kv-compute-context", "The context where KV traffic equals compute", source: "Seed 002", convention: conv,
                      question: "\(Gen.name(m)) (BF16 weights and KV) on the \(Gen.name(g)): up to what context can a large enough batch make decode compute-bound?",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.number("kv_bytes_per_token", "kv: KV bytes per token", kv, "B")], sol)
    }

    // MARK: Prefill

    /// Prefill intensity and TTFT (seed 004: 4,000 tokens through a 70B model on an H100).
    static func prefill(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.llama3_70b)
        let dep = Gen.dep(g, m, .physical)
        let sCtx = 4000
        let p = dep.prefill(batch: 1, context: sCtx)
        var sol = Solution()
        let split = Gen.splitsEmbeddings(dep)
        sol.step("Prefill FLOPs", formula: split
                    ? "<i>F</i> = 2·(<i>A</i> − 2·<i>V</i>·<i>d</i>)·<i>S</i> + 2·<i>V</i>·<i>d</i> + 2·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h"))·<i>S</i>" + Markup.sup("2") + " (logits for the last position only)"
                    : "<i>F</i> = 2·<i>A</i>·<i>S</i> + 2·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h"))·<i>S</i>" + Markup.sup("2"),
                 substitution: "\(Num.markup(dep.bodyFlopsPerToken)) × \(sCtx)" + (split ? " + \(Num.markup(dep.lmHeadFlopsPerLogit))" : "")
                    + " + 2 × \(m.layers) × \(m.attentionHeads) × \(m.headDim) × \(sCtx)" + Markup.sup("2"),
                 key: "prefill_flops", label: "Prefill FLOPs", value: p.flops, unit: "FLOP", "The weight work for every prompt token plus causal attention.")
        sol.step("Prefill bytes", formula: "<i>Q</i> = <i>W</i> + <i>S</i>·kv (weights read, KV written)", substitution: "\(Num.markup(p.weightBytesRead)) B + \(sCtx) × \(Num.markup(dep.kvBytesPerToken)) B",
                 key: "prefill_bytes", label: "Prefill bytes", value: p.bytes, unit: "B", "The weights are read once for the whole prompt.")
        sol.step("Prefill intensity", formula: "<i>I</i> = <i>F</i>/<i>Q</i>", substitution: "\(Num.markup(p.flops)) ÷ \(Num.markup(p.bytes))",
                 key: "prefill_intensity", label: "Prefill intensity", value: p.intensity, unit: "FLOP/byte",
                 "Far above the ridge (\(Num.markup(dep.ridge, sig: 4))): prefill is compute-bound.")
        sol.step("Time to first token", formula: "TTFT = max(<i>F</i>/Π, <i>Q</i>/β)", substitution: "max(\(Num.markup(p.computeTime)) s, \(Num.markup(p.memoryTime)) s)",
                 key: "ttft_s", label: "Time to first token", value: p.stepTime, unit: "s", "A few hundred milliseconds, set by the tensor cores.")
        let dr = dep.decode(batch: 1, context: sCtx)
        sol.step("Prefill vs decode rate", formula: "(<i>S</i>/TTFT) / (1/TPOT)", substitution: "\(Num.markup(p.tokensPerSecond)) ÷ \(Num.markup(dr.tokensPerSecond)) tokens/s",
                 key: "prefill_over_decode", label: "Prefill tokens/s over decode tokens/s", value: p.tokensPerSecond / dr.tokensPerSecond, unit: "1",
                 "Reading the prompt is hundreds of times faster per token than writing the answer: compute roof versus bandwidth roof.")
        sol.answer("prefill_tokens_per_s", "Prefill tokens/s", p.tokensPerSecond, "tokens/s")
        sol.answer("decode_tokens_per_s", "Decode tokens/s at <i>S</i> = \(sCtx)", dr.tokensPerSecond, "tokens/s")
        return worked("prefill", "Prefill intensity and time to first token", source: "Seed 004", convention: .physical,
                      question: "A \(sCtx)-token prompt goes through \(Gen.name(m)) (BF16) on one \(Gen.name(g)) (ignore that the weights need two GPUs). Compute the prefill intensity and the TTFT, and compare the per-token rate with decode.",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.number("prompt_tokens", "prompt <i>S</i>", Double(sCtx), "tokens")],
                      sol)
    }

    // MARK: Economics

    /// Balance batch for dense and MoE models (seed 002: 300·N/A, not 300·A/N).
    static func balanceBatch(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.ridge300)
        let conv = c.conv(for: "002")
        let dense = c.model.flatMap { $0.moe == nil ? $0 : nil } ?? d.llama3_70b
        let moe = c.moe(d.deepseek)
        let dd = Gen.dep(g, dense, conv), dm = Gen.dep(g, moe, conv)
        var sol = Solution()
        sol.step("Ridge point", formula: "\(s.ridge) = Π/β", substitution: "\(Gen.tf(dd.peakFlops)) ÷ \(Gen.tb(dd.bandwidth))", key: "ridge",
                 label: "Ridge point", value: dd.ridge, unit: "FLOP/byte", "The hardware ratio seed 002 rounds to 300.")
        let wd = Gen.weightRead(dd, allExperts: true), fd = Gen.flopsPerToken(dd)
        let wm = Gen.weightRead(dm, allExperts: true), fm = Gen.flopsPerToken(dm)
        sol.step("Dense model", formula: "<i>B</i>" + Markup.sup("*") + " = \(s.ridge)·<i>W</i> / <i>F</i>, \(wd.formula), <i>F</i> = \(fd.formula)",
                 substitution: "\(Num.markup(dd.ridge)) × (\(wd.substitution)) ÷ (\(fd.substitution))",
                 key: "balance_batch_dense", label: "Balance batch, \(Gen.name(dense))", value: dd.balanceBatch, unit: "sequences",
                 "For a dense BF16 model the balance batch equals the ridge point.")
        sol.step("MoE model", formula: "<i>B</i>" + Markup.sup("*") + " = \(s.ridge)·<i>W</i> / <i>F</i> ≈ \(s.ridge)·(<i>N</i>/<i>A</i>) (every expert read)",
                 substitution: "\(Num.markup(dm.ridge)) × \(Num.markup(wm.value)) B ÷ \(Num.markup(fm.value)) FLOP",
                 key: "balance_batch_moe", label: "Balance batch, \(Gen.name(moe)) (all experts read)", value: dm.balanceBatch, unit: "sequences",
                 "Each step reads all <i>N</i> weights but each token uses only <i>A</i>: the batch must be <i>N</i>/<i>A</i> = \(Num.markup(moe.totalParams / moe.activeParams, sig: 3)) times larger.")
        let knee = dm.kneeBatch(context: 0) ?? .infinity
        sol.step("MoE knee with expert coverage", formula: "smallest <i>B</i> with <i>F</i>·<i>B</i>/Π ≥ <i>W</i>(<i>B</i>)/β",
                 substitution: "<i>W</i>(<i>B</i>): non-expert weights + <i>E</i>·(1 − (1 − <i>k</i>/<i>E</i>)" + Markup.sup("<i>B</i>") + ") experts per layer",
                 key: "knee_batch_moe", label: "MoE knee with expert coverage", value: knee, unit: "sequences",
                 "Small batches touch only some experts, so the true knee is a little below the all-experts balance batch.")
        sol.answer("n_over_a", "<i>N</i>/<i>A</i> of \(Gen.name(moe))", moe.totalParams / moe.activeParams, "1")
        sol.answer("seed_formula_value", "Seed 002's formula as printed, 300·(<i>A</i>/<i>N</i>)", dm.ridge * moe.activeParams / moe.totalParams, "sequences")
        if let a100 = try? c.catalog.requireGPU("a100-80gb"), let r = a100.ridge() {
            sol.answer("ridge_a100_80gb", "Dense BF16 ridge of the A100 80GB", r, "FLOP/byte")
        }
        return worked("balance-batch", "The balance batch for dense and MoE models", source: "Seed 002", convention: conv,
                      question: "On a GPU whose Π/β is 300, at what batch does fetching the weights take as long as the matrix math, for \(Gen.name(dense)) and for \(Gen.name(moe))?",
                      given: gpuGiven(dd) + [.text("dense_model", "Dense model", dense.name), .number("dense_params", "<i>N</i> = <i>A</i> (dense)", dense.totalParams, "1"),
                                              .text("moe_model", "MoE model", moe.name), .number("moe_params", "<i>N</i> (MoE)", moe.totalParams, "1"),
                                              .number("moe_active", "<i>A</i> (MoE)", moe.activeParams, "1")],
                      sol)
    }

    /// The cost hyperbola: weight term ∝ 1/B, KV and compute terms flat (seed 002).
    static func costHyperbola(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.llama3_70b)
        let conv = c.conv(for: "002")
        let n = Gen.gpusToHold(g, m, conv, fraction: 1)
        let dep = Gen.dep(g, m, conv, gpus: n)
        let sCtx = 2048
        var sol = Solution()
        var rows: [[String]] = []
        var unfit: [Int] = []
        for b in [1, 8, 64, 512] {
            let r = dep.decode(batch: b, context: sCtx)
            if !r.fits { unfit.append(b) }
            rows.append([Num.markup(Double(b)), Num.markup(r.usdPerMtokWeights), Num.markup(r.usdPerMtokKV), Num.markup(r.usdPerMtokCompute),
                         Num.markup(r.usdPerMtok), r.bound.rawValue, r.fits ? "yes" : "no"])
            sol.answer("usd_per_mtok_at_\(b)", "$/Mtok at <i>B</i> = \(b)", r.usdPerMtok, "$/Mtok")
        }
        // Say so where a batch does not fit, and why the row is still worth reading.
        let fitNote = unfit.isEmpty ? "" : " <i>B</i> = \(Fmt.sentenceList(unfit.map(String.init))) \(unfit.count == 1 ? "does" : "do") not fit in the \(n) GPUs' memory at \(Fmt.grouped(sCtx)) tokens (at most \(Fmt.grouped(dep.maxBatchThatFits(context: sCtx))) sequences do); \(unfit.count == 1 ? "its row shows" : "their rows show") what such a batch would cost on a replica with room for its KV cache, which is how the floor is reached in practice."
        let r1 = dep.decode(batch: 1, context: sCtx)
        sol.step("Cost per token", formula: "$/token = <i>n</i>·<i>p</i>/3600 · <i>t</i>(<i>B</i>) / <i>B</i>;  terms: <i>W</i>/(β<i>B</i>), <i>S</i>·kv/β, <i>F</i>/Π (<i>F</i> = \(Gen.flopsPerToken(dep).formula))",
                 substitution: "<i>n</i> = \(n), <i>p</i> = $\(Fmt.fixed(dep.usdPerHour, 2))/h, <i>S</i> = \(sCtx); see the table (all in $/Mtok)",
                 key: "usd_per_mtok_weights_at_1", label: "Weight term at <i>B</i> = 1", value: r1.usdPerMtokWeights, unit: "$/Mtok",
                 table: StepTable(columns: ["<i>B</i>", "weights", "KV", "compute", "total", "bound", "fits"], rows: rows, numericColumns: [0, 1, 2, 3, 4]),
                 "The weight term falls as 1/<i>B</i>; the KV and compute terms do not depend on <i>B</i>, so the total flattens onto the larger of them." + fitNote)
        let floor = max(r1.usdPerMtokCompute, conv.memoryStreams == .sum ? r1.usdPerMtokKV : r1.usdPerMtokKV)
        sol.step("The floor", formula: "max(compute term, KV term)", substitution: "max(\(Num.markup(r1.usdPerMtokCompute)), \(Num.markup(r1.usdPerMtokKV))) $/Mtok",
                 key: "usd_per_mtok_floor", label: "Cost floor at this context", value: floor, unit: "$/Mtok",
                 "No batch size gets below this; at <i>B</i> = 1 the cost is \(Num.markup(r1.usdPerMtok / floor, sig: 3))× the floor.")
        sol.answer("ratio_batch1_to_floor", "Cost at <i>B</i> = 1 over the floor", r1.usdPerMtok / floor, "1")
        return worked("cost-hyperbola", "The cost hyperbola", source: "Seed 002", convention: conv,
                      question: "\(Gen.name(m)) (BF16) on \(n) × \(Gen.name(g)) at $\(Fmt.fixed(dep.usdPerHour, 2)) per GPU-hour, \(sCtx)-token contexts. Split the cost per million tokens into its weight, KV and compute terms for <i>B</i> ∈ {1, 8, 64, 512}.",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.number("gpus", "GPUs per replica <i>n</i>", Double(n), "GPUs"), .number("context", "<i>S</i>", Double(sCtx), "tokens")],
                      sol)
    }

    /// The latency floor: all weights for a large batch, only touched experts for a small one (seed 002).
    static func latencyFloor(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.gpu ?? d.gb200, m = c.moe(d.deepseek)
        let n = 72
        let dep = Gen.dep(g, m, .physical, gpus: n, weights: .fp8, kv: .fp8)
        var sol = Solution()
        let wAll = Gen.weightRead(dep, allExperts: true)
        let all = dep.weightReadTime(tokens: 0, expertTokens: .infinity)
        sol.step("All weights", formula: "<i>t</i> ≥ <i>W</i> / (<i>n</i>·β), \(wAll.formula)", substitution: "(\(wAll.substitution)) ÷ (\(n) × \(Gen.tb(g.bandwidth)))",
                 key: "floor_all_experts", label: "Weight-read floor with every expert touched", value: all, unit: "s",
                 "A large batch touches every expert, so every step must read all <i>N</i> weights: no batch can decode faster.")
        var rows: [[String]] = []
        for t in [1, 8, 32, 256, 4096] {
            let w = dep.weightBytesRead(tokens: Double(t))
            rows.append([Num.markup(Double(t)), Num.markup(m.expectedExpertsTouched(tokens: Double(t)), sig: 3), Num.withUnit(w, "B", sig: 3), Num.markup(dep.weightReadTime(tokens: Double(t), expertTokens: Double(t)) * 1e3, sig: 3)])
        }
        let one = dep.weightReadTime(tokens: 1, expertTokens: 1)
        sol.step("One token", formula: "<i>t</i> ≥ (non-expert + <i>k</i> experts per layer)·\(s.s("b", "w")) / (<i>n</i>·β)", substitution: "\(Num.markup(dep.weightBytesRead(tokens: 1))) B ÷ \(Gen.tb(dep.bandwidth))",
                 key: "floor_batch1", label: "Weight-read floor at <i>B</i> = 1", value: one, unit: "s",
                 table: StepTable(columns: ["tokens", "experts per layer", "weights read", "floor (ms)"], rows: rows, numericColumns: [0, 1, 2, 3]),
                 "A single token reads only its \(m.moe?.expertsPerToken ?? 0) routed experts per layer: the floor is \(Num.markup(all / one, sig: 3))× lower than with every expert.")
        return worked("latency-floor", "The latency floor", source: "Seed 002", convention: .physical,
                      question: "\(Gen.name(m)) with FP8 weights is spread over \(n) × \(Gen.name(g)). What is the shortest possible decode step, for a large batch and for a single token?",
                      given: gpuGiven(Gen.dep(g, m, .physical)) + Gen.modelGiven(m, bytesPerWeight: 1) + [.number("gpus", "GPUs <i>n</i>", Double(n), "GPUs")],
                      sol)
    }

    /// Fast-mode pricing: what batch reduction gives 2.5× lower latency, and what it costs (seed 002).
    static func fastMode(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.h100), m = c.m(d.llama3_70b)
        let conv = c.conv(for: "002")
        let n = Gen.gpusToHold(g, m, conv, fraction: 0.5)
        let dep = Gen.dep(g, m, conv, gpus: n)
        let sCtx = 1024, speed = 2.5, priceMultiple = 6.0
        var sol = Solution()
        let knee = dep.kneeBatch(context: sCtx)
        let b0 = Double(Int(((knee ?? 256) * 2).rounded()))
        let t0 = dep.decode(batch: b0, context: sCtx).stepTime
        sol.step("Baseline operating point", formula: "\(s.s("B", "0")) = 2·\(s.s("B", "knee"))(<i>S</i>);  \(s.s("t", "0")) = <i>t</i>(\(s.s("B", "0")))",
                 substitution: "knee \(knee.map { Num.markup($0, sig: 4) } ?? "none") → \(s.s("B", "0")) = \(Num.markup(b0)); \(s.s("t", "0")) = \(Num.markup(t0)) s",
                 key: "baseline_step_time", label: "Baseline step time (TPOT)", value: t0, unit: "s",
                 "Operators run about twice past the balance point (seed 002's advice), where the step is compute-bound.")
        sol.answer("knee_batch", "Knee batch at <i>S</i> = \(sCtx)", knee ?? 0, "sequences")
        sol.answer("baseline_batch", "Baseline batch", b0, "sequences")
        let target = t0 / speed
        let tMin = dep.decode(batch: 1, context: sCtx).stepTime
        var bf = 1.0
        if target > tMin {
            var lo = 1.0, hi = b0
            for _ in 0..<100 {
                let mid = (lo + hi) / 2
                if dep.decode(batch: mid, context: sCtx).stepTime > target { hi = mid } else { lo = mid }
            }
            bf = lo
        }
        let tf = max(target, tMin)
        sol.step("Batch for \(Num.markup(speed))× lower latency", formula: "solve <i>t</i>(\(s.s("B", "f"))) = \(s.s("t", "0")) / \(Num.markup(speed))",
                 substitution: "<i>t</i> = \(Num.markup(tf)) s → \(s.s("B", "f")) = \(Num.markup(bf, sig: 4))",
                 key: "fast_batch", label: "Batch giving \(Num.markup(speed))× lower latency", value: bf, unit: "sequences",
                 target > tMin ? "The batch shrinks by \(Num.markup(b0 / bf, sig: 3))× — far from a batch of 1–10." : "Unattainable: even <i>B</i> = 1 is only \(Num.markup(t0 / tMin, sig: 3))× faster than the baseline.")
        sol.answer("fast_step_time", "Fast-mode step time", tf, "s")
        let costRatio = (tf / bf) / (t0 / b0)
        sol.step("Implied cost ratio", formula: "(\(s.s("t", "f"))/\(s.s("B", "f"))) / (\(s.s("t", "0"))/\(s.s("B", "0")))",
                 substitution: "(\(Num.markup(tf)) ÷ \(Num.markup(bf, sig: 4))) ÷ (\(Num.markup(t0)) ÷ \(Num.markup(b0)))",
                 key: "cost_ratio", label: "Cost per token of fast mode over the baseline", value: costRatio, unit: "1",
                 "The hardware cost rises \(Num.markup(costRatio, sig: 3))×; a \(Num.markup(priceMultiple))× price covers that with a margin of \(Num.markup(priceMultiple / costRatio, sig: 3))×.")
        let c1 = (tMin / 1) / (t0 / b0)
        sol.answer("max_speedup", "Speed-up at <i>B</i> = 1", t0 / tMin, "1")
        sol.answer("cost_ratio_batch1", "Cost per token at <i>B</i> = 1 over the baseline", c1, "1")
        return worked("fast-mode", "Fast-mode pricing", source: "Seed 002", convention: conv,
                      question: "A provider serves \(Gen.name(m)) (BF16) on \(n) × \(Gen.name(g)) at \(sCtx)-token contexts and sells a “fast mode”: \(Num.markup(speed))× the speed for \(Num.markup(priceMultiple))× the price. What batch gives \(Num.markup(speed))× lower latency, and what does it cost per token?",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.number("gpus", "GPUs <i>n</i>", Double(n), "GPUs"), .number("context", "<i>S</i>", Double(sCtx), "tokens"),
                                                                   .number("speedup", "speed-up sold", speed, "1"), .number("price_multiple", "price multiple", priceMultiple, "1")],
                      sol)
    }

    /// MoE expert coverage versus batch (seeds 001, 002).
    static func moeCoverage(_ c: Context, _ d: Defaults) -> Exercise {
        let m = c.moe(d.deepseek)
        guard let moe = m.moe else { return worked("moe-coverage", "MoE expert coverage", source: "Seeds 001, 002", convention: .physical, question: "", given: [], Solution()) }
        var sol = Solution()
        var rows: [[String]] = []
        for t in [1, 8, 32, 64, 256, 1024] {
            let e = m.expectedExpertsTouched(tokens: Double(t))
            let frac = m.paramsTouched(tokens: Double(t)) / m.totalParams
            rows.append([Num.markup(Double(t)), Num.markup(e, sig: 4), Num.percent(e / Double(moe.experts), sig: 3), Num.percent(frac, sig: 3)])
            sol.answer("experts_touched_at_\(t)", "Experts touched per layer by \(t) tokens", e, "experts")
            sol.answer("weight_fraction_at_\(t)", "Fraction of the weights read for \(t) tokens", frac, "fraction")
        }
        sol.step("Expected experts touched", formula: "<i>E</i>·(1 − (1 − <i>k</i>/<i>E</i>)" + Markup.sup("<i>T</i>") + ")",
                 substitution: "<i>E</i> = \(moe.experts), <i>k</i> = \(moe.expertsPerToken): \(moe.experts) × (1 − (1 − \(moe.expertsPerToken)/\(moe.experts))" + Markup.sup("32") + ") at <i>T</i> = 32",
                 key: "experts_touched_at_32_step", label: "Experts touched per layer at <i>T</i> = 32", value: m.expectedExpertsTouched(tokens: 32), unit: "experts", answer: false,
                 table: StepTable(columns: ["tokens <i>T</i>", "experts", "of all experts", "of all weights"], rows: rows, numericColumns: [0, 1, 2, 3]),
                 "Routing is close to uniform, so a few dozen tokens already touch most experts; by a few hundred every expert is read every step.")
        return worked("moe-coverage", "MoE expert coverage versus batch", source: "Seeds 001, 002", convention: .physical,
                      question: "\(Gen.name(m)) routes each token to \(moe.expertsPerToken) of \(moe.experts) experts per MoE layer. What share of its weights does a step read for <i>T</i> tokens?",
                      given: Gen.modelGiven(m) + [.number("experts", "<i>E</i>: routed experts", Double(moe.experts), "1"),
                                                  .number("experts_per_token", "<i>k</i>: experts per token", Double(moe.expertsPerToken), "1")],
                      sol)
    }

    /// Static vs continuous batching occupancy under a stated deterministic model (seeds 000, 001).
    static func staticVsContinuous(_ c: Context, _ d: Defaults) -> Exercise {
        let g = c.g(d.a100), m = c.m(d.llama2_13b)
        let dep = Gen.dep(g, m, .physical, reserve: 0)
        let slots = 32, long = 1500, short = 50
        let lengths = [long] + Array(repeating: short, count: slots - 1)
        let total = lengths.reduce(0, +)
        var sol = Solution()
        sol.step("Static batching: occupancy", formula: "Σ <i>ℓ</i>" + Markup.sub("i") + " / (<i>B</i>·max <i>ℓ</i>" + Markup.sub("i") + ")",
                 substitution: "\(total) ÷ (\(slots) × \(long))", key: "occupancy_static", label: "Slot occupancy, static batching",
                 value: Double(total) / Double(slots * long), unit: "fraction", "Finished sequences keep their slots until the longest one ends.")
        sol.answer("mean_active_static", "Mean active sequences, static", Double(total) / Double(long), "sequences")
        var time = 0.0
        for step in 1...long {
            let active = lengths.filter { $0 >= step }.count
            time += dep.decode(batch: active, context: 0).stepTime
        }
        let staticTPS = Double(total) / time
        sol.step("Static batching: throughput", formula: "Σ <i>ℓ</i>" + Markup.sub("i") + " / Σ" + Markup.sub("steps") + " <i>t</i>(active)",
                 substitution: "\(total) tokens ÷ (\(short) × <i>t</i>(\(slots)) + \(long - short) × <i>t</i>(1)) = \(total) ÷ \(Num.markup(time)) s",
                 key: "tokens_per_s_static", label: "Tokens/s, static batching", value: staticTPS, unit: "tokens/s",
                 "Most steps run a single sequence at the memory-bound speed of <i>B</i> = 1.")
        let cont = dep.decode(batch: slots, context: 0).tokensPerSecond
        sol.step("Continuous batching", formula: "<i>B</i> / <i>t</i>(<i>B</i>) (every slot refilled at once)", substitution: "\(slots) ÷ \(Num.markup(dep.decode(batch: slots, context: 0).stepTime)) s",
                 key: "tokens_per_s_continuous", label: "Tokens/s, continuous batching", value: cont, unit: "tokens/s",
                 "With a queue that never empties every step runs all \(slots) slots.")
        sol.step("Gain", formula: "continuous / static", substitution: "\(Num.markup(cont)) ÷ \(Num.markup(staticTPS))", key: "gain",
                 label: "Throughput gain of continuous batching", value: cont / staticTPS, unit: "1",
                 "The same GPU serves \(Num.markup(cont / staticTPS, sig: 3))× the tokens; the gap grows with the spread of output lengths.")
        return worked("static-continuous", "Static versus continuous batching", source: "Seeds 000, 001", convention: .physical,
                      question: "\(slots) requests decode \(Gen.name(m)) on the \(Gen.name(g)): one needs \(long) tokens, the other \(slots - 1) need \(short) each. Compare static batching (a batch runs until its longest member ends) with continuous batching (a finished slot is refilled the same step).",
                      given: gpuGiven(dep) + Gen.modelGiven(m) + [.number("slots", "batch slots <i>B</i>", Double(slots), "sequences"),
                                                                  .text("lengths", "output lengths", "1 × \(long), \(slots - 1) × \(short) tokens")],
                      sol, remark: "Model (deterministic, stated): every request is queued at time 0, the queue never empties under continuous batching, prefill and scheduling cost nothing, and the context is short enough that KV reads are negligible.")
    }
}
