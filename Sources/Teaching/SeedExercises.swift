import Canvas
import Foundation
import RidgepointCore
import RidgepointFormatting

/// The five exercise families of seed 003, generated for any GPUs and model.
public enum SeedExercises {
    static let s = Sym.self

    // MARK: Exercise 1 — batch-size crossover on two GPUs

    static func ex1(_ i: ExerciseInstance, _ c: Convention) -> Exercise {
        let m = i.model
        let dA = Gen.dep(i.ex1A, m, c), dB = Gen.dep(i.ex1B, m, c)
        let nA = Gen.name(i.ex1A), nB = Gen.name(i.ex1B)
        let f = c.weightReadFactor, fs = Gen.factorSym(c)
        var sol = Solution()
        sol.step("Ridge point of the \(nA)", formula: "\(s.ridgeOf("A")) = \(s.g("Π", "A")) / \(s.g("β", "A"))",
                          substitution: "\(Gen.tf(dA.peakFlops)) ÷ \(Gen.tb(dA.bandwidth))",
                          key: "ridge_a", label: "Ridge point of the \(nA)", value: dA.ridge, unit: "FLOP/byte",
                          "A kernel on the \(nA) needs more than \(Num.markup(dA.ridge)) FLOPs per byte read to keep its tensor cores busy.")
        sol.step("Ridge point of the \(nB)", formula: "\(s.ridgeOf("B")) = \(s.g("Π", "B")) / \(s.g("β", "B"))",
                          substitution: "\(Gen.tf(dB.peakFlops)) ÷ \(Gen.tb(dB.bandwidth))",
                          key: "ridge_b", label: "Ridge point of the \(nB)", value: dB.ridge, unit: "FLOP/byte",
                          "The \(nB) needs \(Num.markup(Gen.ratio(dB.ridge, dA.ridge))) times the arithmetic per byte that the \(nA) needs.")
        let fA = Gen.flopsPerToken(dA), wA = Gen.weightRead(dA, allExperts: true), wB = Gen.weightRead(dB, allExperts: true)
        let perSeq = fA.value / wA.value
        sol.step("Intensity of a decode step", formula: "<i>I</i>(<i>B</i>) = <i>F</i>·<i>B</i> / <i>W</i>, with <i>F</i> = \(fA.formula) and \(wA.formula)",
                 substitution: "<i>F</i> = \(fA.substitution) = \(Num.markup(fA.value)) FLOP; <i>W</i> = \(wA.substitution) = \(Num.markup(wA.value)) B",
                 key: "intensity_per_sequence", label: "Intensity per sequence in the batch, <i>I</i>(<i>B</i>)/<i>B</i>", value: perSeq, unit: "FLOP/byte",
                 f == 1 ? "Each weight byte read once serves about one multiply-add per sequence, so the intensity grows as the batch: <i>I</i>(<i>B</i>) ≈ \(Num.markup(perSeq))·<i>B</i>."
                        : "Counting every weight byte \(Num.markup(f)) times (the seed's I/O convention) halves the intensity: <i>I</i>(<i>B</i>) ≈ \(Num.markup(perSeq))·<i>B</i>.")
        _ = fs
        let formula = { (x: String) in "\(s.s("B", x, sup: "*")) = \(s.ridgeOf(x)) · <i>W</i> / <i>F</i>" }
        let cA = sol.step("Crossover batch on the \(nA)", formula: formula("A"),
                          substitution: "\(Gen.v(dA.ridge, "FLOP/byte")) × \(Num.markup(wA.value)) B ÷ \(Num.markup(fA.value)) FLOP",
                          key: "crossover_batch_a", label: "Crossover batch on the \(nA)", value: dA.balanceBatch, unit: "sequences",
                          "Below about \(Num.markup(dA.balanceBatch, sig: 3)) concurrent sequences decode on the \(nA) waits on memory; above it, on compute.")
        sol.step("Crossover batch on the \(nB)", formula: formula("B"),
                          substitution: "\(Gen.v(dB.ridge, "FLOP/byte")) × \(Num.markup(wB.value)) B ÷ \(Num.markup(Gen.flopsPerToken(dB).value)) FLOP",
                          key: "crossover_batch_b", label: "Crossover batch on the \(nB)", value: dB.balanceBatch, unit: "sequences",
                          "The \(nB) needs \(Num.markup(Gen.ratio(dB.balanceBatch, cA), sig: 3))× the batch of the \(nA) before its compute is the limit.")
        if m.moe != nil {
            for (d, k, n) in [(dA, "a", nA), (dB, "b", nB)] {
                let knee = d.kneeBatch(context: 0) ?? .infinity
                sol.step("Knee with expert coverage on the \(n)", formula: "smallest <i>B</i> with <i>F</i>·<i>B</i>/Π ≥ <i>W</i>(<i>B</i>)/β",
                         substitution: "<i>W</i>(<i>B</i>) = weights of the experts <i>B</i> tokens touch (solved numerically)",
                         key: "knee_batch_\(k)", label: "Knee batch with expert coverage on the \(n)", value: knee, unit: "sequences",
                         "At small batch an MoE step reads only the experts its tokens touch, so the real knee (\(Num.markup(knee, sig: 3))) sits below the all-experts balance batch.")
            }
        }
        let tA = dA.decode(batch: 1, context: 0), tB = dB.decode(batch: 1, context: 0)
        let tstep = { (x: String) in "<i>t</i>(1) = max(<i>F</i>/\(s.g("Π", x)), <i>W</i>/\(s.g("β", x)))" }
        sol.step("Decode speed at <i>B</i> = 1 on the \(nA)", formula: tstep("A") + ";  tokens/s = 1/<i>t</i>(1)",
                 substitution: "max(\(Num.markup(tA.computeTime)) s, \(Num.markup(tA.memoryTime)) s) = \(Num.markup(tA.stepTime)) s",
                 key: "tokens_per_s_a_batch1", label: "Tokens/s at <i>B</i> = 1 on the \(nA)", value: tA.tokensPerSecond, unit: "tokens/s",
                 "One sequence on the \(nA) is limited by reading the weights: the compute takes \(Num.percent(tA.computeTime / tA.stepTime)) of the step.")
        sol.step("Decode speed at <i>B</i> = 1 on the \(nB)", formula: tstep("B") + ";  tokens/s = 1/<i>t</i>(1)",
                 substitution: "max(\(Num.markup(tB.computeTime)) s, \(Num.markup(tB.memoryTime)) s) = \(Num.markup(tB.stepTime)) s",
                 key: "tokens_per_s_b_batch1", label: "Tokens/s at <i>B</i> = 1 on the \(nB)", value: tB.tokensPerSecond, unit: "tokens/s",
                 "The \(nB) is memory-bound too, so its speed is set by its bandwidth alone.")
        let speed = Gen.ratio(tB.tokensPerSecond, tA.tokensPerSecond)
        let peakRatio = Gen.ratio(dB.peakFlops, dA.peakFlops)
        sol.step("Speed-up at <i>B</i> = 1", formula: "tokens/s" + Markup.sub("B") + " / tokens/s" + Markup.sub("A") + " = \(s.g("β", "B")) / \(s.g("β", "A"))",
                 substitution: "\(Gen.v(tB.tokensPerSecond)) ÷ \(Gen.v(tA.tokensPerSecond))",
                 key: "batch1_speedup", label: "Speed-up of the \(nB) over the \(nA) at <i>B</i> = 1", value: speed, unit: "1",
                 "A single user sees the bandwidth ratio (\(Num.markup(speed, sig: 3))×), not the peak-compute ratio (\(Num.markup(peakRatio, sig: 3))×).")
        sol.answer("peak_ratio", "Peak-compute ratio Π<span size='smaller' rise='-2pt'>B</span>/Π<span size='smaller' rise='-2pt'>A</span>", peakRatio, "1")
        let pA = i.price(i.ex1A), pB = i.price(i.ex1B)
        let priceRatio = Gen.ratio(pB, pA)
        sol.step("Speed-up per dollar", formula: "(tokens/s ratio) / (\(s.s("p", "B")) / \(s.s("p", "A")))",
                 substitution: "\(Num.markup(speed, sig: 4)) ÷ ($\(Fmt.fixed(pB, 2)) / $\(Fmt.fixed(pA, 2)) = \(Num.markup(priceRatio, sig: 4)))",
                 key: "speedup_per_dollar", label: "Speed-up per dollar at <i>B</i> = 1", value: Gen.ratio(speed, priceRatio), unit: "1",
                 speed >= priceRatio
                    ? "For one request at a time the \(nB) is worth its price: it buys more tokens per dollar than the \(nA)."
                    : "For one request at a time the \(nB) costs more per token than the \(nA): its extra compute is idle at <i>B</i> = 1.")
        let given = Gen.gpuGiven(dA, "a") + Gen.gpuGiven(dB, "b")
            + [.number("price_a", "\(nA) price", pA, "$/h", display: "$" + Fmt.fixed(pA, 2) + " per GPU-hour"),
               .number("price_b", "\(nB) price", pB, "$/h", display: "$" + Fmt.fixed(pB, 2) + " per GPU-hour")]
            + Gen.modelGiven(m) + convGiven(c)
        return Exercise(
            id: "ex1", family: .batchCrossover, title: "Batch-size crossover on the \(nA) and the \(nB)",
            source: "Seed 003, Exercise 1", convention: c.name,
            question: "Decode with \(Gen.name(m)) in \(Gen.sixteenBit([i.ex1A, i.ex1B])) at short context, where reading the weights dominates the memory traffic. Every step reads the weights and does 2 FLOPs per active parameter per sequence in the batch.",
            parts: [
                "Compute the ridge point of each GPU.",
                "At what batch size does a decode step become compute-bound on the \(nA)? On the \(nB)?",
                "How much faster is the \(nB) than the \(nA) for a single request (<i>B</i> = 1), and is that worth the price difference?",
            ],
            given: given, steps: sol.steps, answers: sol.answers)
    }

    static func convGiven(_ c: Convention) -> [Quantity] {
        c.name == "physical" ? [] : [.text("convention", "Counting convention (\(c.name))", c.summary.replacingOccurrences(of: #"^seed \d{3}: "#, with: "", options: .regularExpression))]
    }

    // MARK: Exercise 2 — utilisation at batch 1 across generations

    static func ex2(_ i: ExerciseInstance, _ c: Convention) -> Exercise {
        let m = i.model
        var sol = Solution()
        let ds = i.generations.map { Gen.dep($0, m, c) }
        guard let first = ds.first, let last = ds.last else {
            return Exercise(id: "ex2", family: .utilisation, title: "Utilisation at batch 1", source: "Seed 003, Exercise 2",
                            convention: c.name, question: "No GPUs were selected.", parts: [], given: [])
        }
        let r1 = first.decode(batch: 1, context: 0)
        let f1 = Gen.flopsPerToken(first), w1 = Gen.weightRead(first, allExperts: false)
        sol.step("Intensity of a decode step at <i>B</i> = 1", formula: "<i>I</i>(1) = <i>F</i> / <i>W</i>, with <i>F</i> = \(f1.formula) and \(w1.formula)",
                 substitution: "(\(f1.substitution)) ÷ (\(w1.substitution))",
                 key: "intensity_batch1", label: "Intensity at <i>B</i> = 1", value: r1.intensity, unit: "FLOP/byte",
                 "The same on every GPU: it depends only on the model and the number format.")
        var rows: [[String]] = []
        for d in ds {
            let r = d.decode(batch: 1, context: 0)
            let u = r.achievedFlops / d.peakFlops
            rows.append([Gen.name(d.gpu), d.gpu.year.map(String.init) ?? "", Num.markup(d.peakFlops / 1e12), Num.markup(d.bandwidth / 1e12),
                         Num.markup(d.ridge), Num.percent(u)])
            sol.answer("ridge_\(Gen.key(d.gpu))", "Ridge point of the \(Gen.name(d.gpu))", d.ridge, "FLOP/byte")
            sol.answer("utilisation_\(Gen.key(d.gpu))", "Utilisation of the \(Gen.name(d.gpu)) at <i>B</i> = 1", u, "fraction")
        }
        let uFirst = first.decode(batch: 1, context: 0).achievedFlops / first.peakFlops
        let uLast = last.decode(batch: 1, context: 0).achievedFlops / last.peakFlops
        sol.step("Utilisation on each GPU", formula: "<i>U</i> = β·<i>I</i>(1) / Π = <i>I</i>(1) / \(s.ridge)",
                 substitution: "\(Num.markup(r1.intensity)) ÷ \(Num.markup(first.ridge)) for the \(Gen.name(first.gpu)); the table gives the others",
                 key: "utilisation_first", label: "Utilisation of the \(Gen.name(first.gpu))", value: uFirst, unit: "fraction", answer: false,
                 table: StepTable(columns: ["GPU", "year", "Π (TFLOPS)", "β (TB/s)", "\(s.ridge) (FLOP/byte)", "<i>U</i> at <i>B</i> = 1"], rows: rows,
                                  numericColumns: [1, 2, 3, 4, 5]),
                 "At a fixed intensity the utilisation falls in proportion to the ridge point: the newer the GPU, the smaller the share of its compute one request uses.")
        let drop = Gen.ratio(uFirst, uLast)
        sol.step("Trend across generations", formula: "<i>U</i><span size='smaller' rise='-2pt'>first</span> / <i>U</i><span size='smaller' rise='-2pt'>last</span> = \(s.ridge)<span size='smaller' rise='-2pt'>last</span> / \(s.ridge)<span size='smaller' rise='-2pt'>first</span>",
                 substitution: "\(Num.markup(last.ridge)) ÷ \(Num.markup(first.ridge))",
                 key: "utilisation_drop", label: "Utilisation of the \(Gen.name(first.gpu)) over that of the \(Gen.name(last.gpu))", value: drop, unit: "1",
                 "Compute grew \(Num.markup(Gen.ratio(last.peakFlops, first.peakFlops), sig: 3))× but bandwidth only \(Num.markup(Gen.ratio(last.bandwidth, first.bandwidth), sig: 3))× from the \(Gen.name(first.gpu)) to the \(Gen.name(last.gpu)); for single requests, bandwidth is the figure of merit.")
        var given: [Quantity] = []
        for d in ds {
            let k = Gen.key(d.gpu)
            given.append(.number("peak_\(k)", "Π of the \(Gen.name(d.gpu))", d.peakFlops, "FLOP/s", display: Num.markup(d.peakFlops / 1e12) + " TFLOPS"))
            given.append(.number("bandwidth_\(k)", "β of the \(Gen.name(d.gpu))", d.bandwidth, "B/s", display: Num.markup(d.bandwidth / 1e12) + " TB/s"))
        }
        given += Gen.modelGiven(m) + convGiven(c)
        return Exercise(
            id: "ex2", family: .utilisation, title: "Compute utilisation at batch 1 across GPU generations",
            source: "Seed 003, Exercise 2", convention: c.name,
            question: "A single request decodes with \(Gen.name(m)) in \(Gen.sixteenBit(i.generations)) (short context). The step is memory-bound on every GPU below, so the attained FLOP/s is β·<i>I</i>.",
            parts: [
                "What is the arithmetic intensity of the decode step at <i>B</i> = 1?",
                "For each GPU, what fraction of its peak FLOP/s does the step use? Give a percentage.",
                "What does the trend across generations imply for single-request serving?",
            ],
            given: given, steps: sol.steps, answers: sol.answers)
    }

    // MARK: Exercise 3 — KV-cache intensity at long context

    static func ex3(_ i: ExerciseInstance, _ c: Convention) -> Exercise {
        let m = i.ex3Model, g = i.ex3GPU
        let d = Gen.dep(g, m, c)
        let f = c.weightReadFactor
        var sol = Solution()
        let kv = d.kvBytesPerToken
        if let mla = m.mla {
            sol.step("KV-cache bytes per token (latent attention)", formula: "kv = <i>L</i>·(\(s.s("d", "c")) + \(s.s("d", "rope")))·\(s.s("b", "kv"))",
                     substitution: "\(m.layers) × (\(mla.kvLoraRank) + \(mla.qkRopeHeadDim)) × 2 B",
                     key: "kv_bytes_per_token", label: "KV-cache bytes per token", value: kv, unit: "B", display: Num.bytesBoth(kv),
                     "Every new token adds this much to each sequence's cache, and every later step reads it back.")
        } else {
            sol.step("KV-cache bytes per token", formula: "kv = 2·<i>L</i>·\(s.s("h", "kv"))·\(s.s("d", "h"))·\(s.s("b", "kv"))",
                     substitution: "2 × \(m.layers) × \(m.kvHeads) × \(m.headDim) × 2 B",
                     key: "kv_bytes_per_token", label: "KV-cache bytes per token", value: kv, unit: "B", display: Num.bytesBoth(kv),
                     "Keys and values for every layer: each cached token costs this much memory and this much traffic per step.")
        }
        let w = d.weightBytes
        sol.step("Weight bytes", formula: "<i>N</i>·\(s.s("b", "w"))", substitution: "\(Num.markup(m.totalParams)) × 2 B",
                 key: "weight_bytes", label: "Weight bytes", value: w, unit: "B",
                 "The weights are read once per step whatever the context.")
        let wRead = d.weightBytesRead(tokens: 1)
        if Gen.splitsEmbeddings(d) {
            let wt = Gen.weightRead(d, allExperts: false)
            sol.step("Weight bytes read per step", formula: wt.formula, substitution: wt.substitution,
                     key: "weight_bytes_read", label: "Weight bytes read per step", value: wRead, unit: "B",
                     "The input embedding is a gather of one row per token, not a read of the whole table, so a step reads less than the resident weights.")
        }
        if f != 1 {
            sol.step("Weight bytes counted per step", formula: "\(Gen.factorSym(c))<i>N</i>·\(s.s("b", "w"))", substitution: "\(Gen.factor(c))\(Num.markup(w)) B",
                     key: "weight_bytes_read", label: "Weight bytes counted per step (\(c.name))", value: wRead, unit: "B",
                     "The \(c.name) convention counts the weight traffic \(Num.markup(f)) times (its “factor-of-2 I/O”), but the KV traffic once.")
        }
        let a = d.attentionFlopsPerContextToken
        let ft = Gen.flopsPerToken(d)
        let flopsFormula = a > 0 ? "(<i>F</i> + 4·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h"))·<i>S</i>)" : "<i>F</i>"
        for ctx in i.contexts {
            let r = d.decode(batch: 1, context: ctx)
            let sub = a > 0
                ? "(\(Num.markup(ft.value)) + \(Num.markup(a)) × \(Num.markup(Double(ctx)))) ÷ (\(Num.markup(wRead)) + \(Num.markup(Double(ctx))) × \(Num.markup(kv))) B"
                : "\(Num.markup(ft.value)) ÷ (\(Num.markup(wRead)) + \(Num.markup(Double(ctx))) × \(Num.markup(kv))) B"
            sol.answer("kv_bytes_at_\(ctx)", "KV bytes read per step at <i>S</i> = \(Num.markup(Double(ctx)))", r.kvBytes, "B")
            sol.step("Intensity at <i>S</i> = \(Num.markup(Double(ctx)))", formula: "<i>I</i>(1, <i>S</i>) = \(flopsFormula) / (<i>W</i> + <i>S</i>·kv), <i>F</i> = \(ft.formula)",
                     substitution: sub, key: "intensity_at_\(ctx)", label: "Intensity at <i>B</i> = 1, <i>S</i> = \(Num.markup(Double(ctx)))",
                     value: r.intensity, unit: "FLOP/byte",
                     a > 0 ? "The cache read (\(Num.withUnit(r.kvBytes, "B", sig: 3))) adds bytes, but the attention FLOPs over the cached tokens add work faster, so the intensity \(r.intensity >= 1 ? "stays near or above 1" : "stays low")."
                           : "The cache read (\(Num.withUnit(r.kvBytes, "B", sig: 3))) adds bytes and, with attention FLOPs ignored, no work: the intensity can only fall as <i>S</i> grows.")
        }
        let sStar = d.kvWeightCrossoverContext(batch: 1)
        sol.step("Context where KV bytes equal weight bytes", formula: "\(s.s("S", nil, sup: "*")) = <i>W</i> / kv",
                 substitution: "\(Num.markup(wRead)) B ÷ \(Num.markup(kv)) B/token",
                 key: "crossover_context", label: "Context at which the KV read equals the weight read", value: sStar, unit: "tokens",
                 m.maxContext.map { sStar > Double($0) ? "This is beyond the model's \(Num.markup(Double($0)))-token window: for one sequence the weights always dominate the traffic." : "Within the model's \(Num.markup(Double($0)))-token window: at long context the cache, not the weights, dominates the traffic." }
                    ?? "Past this context a single sequence's cache costs more traffic than the weights.")
        let sMax = i.contexts.max() ?? 0
        let iMax = d.decode(batch: 1, context: sMax).intensity
        let iMin = i.contexts.map { d.decode(batch: 1, context: $0).intensity }.min() ?? iMax
        sol.step("Distance from the ridge of the \(Gen.name(g))", formula: "\(s.ridge) / <i>I</i>(1, <i>S</i>)",
                 substitution: "\(Gen.tf(d.peakFlops)) ÷ \(Gen.tb(d.bandwidth)) = \(Num.markup(d.ridge)) FLOP/byte; ÷ \(Num.markup(iMin))",
                 key: "ridge_over_intensity", label: "Ridge over the lowest intensity", value: Gen.ratio(d.ridge, iMin), unit: "1",
                 "Every intensity is hundreds of times below the ridge: a single long-context sequence is deeply memory-bound.")
        sol.answer("ridge", "Ridge point of the \(Gen.name(g))", d.ridge, "FLOP/byte")
        var given: [Quantity] = Gen.modelGiven(m)
        given += [
            .number("layers", "<i>L</i>: layers", Double(m.layers), "1"),
            .number("query_heads", "\(s.s("h", "q")): query heads", Double(m.attentionHeads), "1"),
            .number("kv_heads", "\(s.s("h", "kv")): KV heads (\(m.attentionKind.rawValue))", Double(m.kvHeads), "1"),
            .number("head_dim", "\(s.s("d", "h")): head dimension", Double(m.headDim), "1"),
            .number("bytes_per_kv", "\(s.s("b", "kv")): bytes per KV element (BF16)", 2, "B"),
            .text("contexts", "Contexts <i>S</i> (tokens)", i.contexts.map { Num.plain(Double($0)) }.joined(separator: ", ")),
        ]
        given += Gen.gpuGiven(d, "a") + convGiven(c)
        let parts = [
            "Compute the KV-cache bytes per token and the weight bytes.",
            "Compute the arithmetic intensity of a decode step at <i>B</i> = 1 for <i>S</i> ∈ {\(i.contexts.map { Num.markup(Double($0)) }.joined(separator: ", "))}"
                + (a > 0 ? ", counting the attention FLOPs (4·<i>L</i>·\(s.s("h", "q"))·\(s.s("d", "h")) per cached token)." : ", ignoring attention FLOPs (the \(c.name) convention)."),
            "At what context <i>S</i><sup>*</sup> does the KV-cache read equal the weight read?".replacingOccurrences(of: "<sup>*</sup>", with: Markup.sup("*")),
            "How do these intensities compare with the ridge point of the \(Gen.name(g))?",
        ]
        return Exercise(
            id: "ex3", family: .kvIntensity, title: "KV-cache intensity of \(Gen.name(m)) at long context",
            source: "Seed 003, Exercise 3", convention: c.name,
            question: "\(Gen.name(m)) decodes one sequence (<i>B</i> = 1) in \(Gen.sixteenBit([g])) with <i>S</i> tokens already in its KV cache. Each step reads the weights and the whole cache."
                + windowNote(m, i.contexts),
            parts: parts, given: given, steps: sol.steps, answers: sol.answers)
    }

    // MARK: Exercise 4 — batch doubling as a regime diagnostic

    static func ex4(_ i: ExerciseInstance, _ c: Convention) -> Exercise {
        let m = i.model, g = i.ex4GPU
        let d = Gen.dep(g, m, c)
        let fs = Gen.factorSym(c)
        var sol = Solution()
        let r1 = d.decode(batch: 1, context: 0)
        let ft = Gen.flopsPerToken(d), wt = Gen.weightRead(d, allExperts: false)
        sol.step("Step time at <i>B</i> = 1", formula: "<i>t</i>(1) = max(<i>F</i>/Π, <i>W</i>/β), <i>F</i> = \(ft.formula), \(wt.formula)",
                 substitution: "max(\(Num.markup(ft.value)) ÷ \(Gen.tf(d.peakFlops)), \(Num.markup(wt.value)) B ÷ \(Gen.tb(d.bandwidth)))",
                 key: "step_time_at_batch1", label: "Step time (TPOT) at <i>B</i> = 1", value: r1.stepTime, unit: "s",
                 "The memory term is the larger: one request waits on the weight read.")
        sol.step("Throughput at <i>B</i> = 1", formula: "tokens/s(1) = 1 / <i>t</i>(1)", substitution: "1 ÷ \(Num.markup(r1.stepTime)) s",
                 key: "tokens_per_s_at_batch1", label: "Tokens/s at <i>B</i> = 1", value: r1.tokensPerSecond, unit: "tokens/s",
                 "This is the single-request ceiling on the \(Gen.name(g)); no kernel can beat it.")
        _ = fs
        sol.step("Memory-bound regime", formula: "tokens/s(<i>B</i>) = <i>B</i>·β / <i>W</i>",
                 substitution: "<i>B</i> × \(Gen.tb(d.bandwidth)) ÷ \(Num.markup(wt.value)) B",
                 key: "tokens_per_s_per_sequence", label: "Memory-bound slope (tokens/s per sequence)", value: d.weightBoundTokensPerSecondPerSequence, unit: "tokens/s",
                 "Linear in <i>B</i>: the step time is fixed by the weight read, and every extra sequence adds a token per step.")
        let plateau = d.computeRoofTokensPerSecond
        sol.step("Compute-bound regime", formula: "tokens/s(<i>B</i>) = <i>B</i> / (<i>F</i>·<i>B</i>/Π) = Π / <i>F</i>",
                 substitution: "\(Gen.tf(d.peakFlops)) ÷ \(Num.markup(ft.value))",
                 key: "plateau_tokens_per_s", label: "Plateau (compute roof)", value: plateau, unit: "tokens/s",
                 "Constant in <i>B</i>: each extra sequence adds as much compute time as it adds tokens.")
        let knee = d.kneeBatch(context: 0) ?? .infinity
        sol.step("Knee of the curve", formula: "\(s.s("B", "knee")) = Π·<i>W</i> / (<i>F</i>·β)",
                 substitution: "\(Gen.tf(d.peakFlops)) × \(Num.markup(wt.value)) B ÷ (\(Num.markup(ft.value)) × \(Gen.tb(d.bandwidth)))",
                 key: "knee_batch", label: "Knee batch (memory- to compute-bound)", value: knee, unit: "sequences",
                 "Where the two lines meet: below it doubling <i>B</i> doubles throughput, above it throughput stays flat.")
        var rows: [[String]] = []
        var b = 1, prev: Double? = nil
        var below = 2.0, above = 1.0
        let top = knee.isFinite ? max(8.0, 4 * knee) : 4096
        while Double(b) <= top && b <= 1 << 22 {
            let t = d.decode(batch: b, context: 0).tokensPerSecond
            let ratio = prev.map { t / $0 }
            if b == 2, let ratio { below = ratio }
            if let ratio { above = ratio }
            rows.append([Num.markup(Double(b)), Num.markup(t), ratio.map { Num.markup($0, sig: 3) + "×" } ?? "—",
                         d.decode(batch: b, context: 0).bound.rawValue])
            prev = t; b *= 2
        }
        sol.step("The doubling test", formula: "tokens/s(2<i>B</i>) / tokens/s(<i>B</i>)",
                 substitution: "from the table: \(Num.markup(below, sig: 3))× at <i>B</i> = 1 → 2, \(Num.markup(above, sig: 3))× at the last doubling",
                 key: "doubling_ratio_below_knee", label: "Throughput ratio when doubling below the knee (1 → 2)", value: below, unit: "1",
                 table: StepTable(columns: ["<i>B</i>", "tokens/s", "× previous", "bound"], rows: rows, numericColumns: [0, 1, 2]),
                 "If doubling the batch doubles tokens/s the step is memory-bound; if tokens/s stays flat it is compute-bound.")
        sol.answer("doubling_ratio_above_knee", "Throughput ratio when doubling above the knee", above, "1")
        let given = Gen.gpuGiven(d, "a") + Gen.modelGiven(m) + convGiven(c)
        return Exercise(
            id: "ex4", family: .batchDoubling, title: "Batch doubling as a regime diagnostic on the \(Gen.name(g))",
            source: "Seed 003, Exercise 4", convention: c.name,
            question: "\(Gen.name(m)) decodes in \(Gen.sixteenBit([g])) on one \(Gen.name(g)) at short context (weights dominate the traffic). A step at batch <i>B</i> takes <i>t</i>(<i>B</i>) = max(2·<i>A</i>·<i>B</i>/Π, \(fs)<i>N</i>·\(s.s("b", "w"))/β)."
                + Gen.shortContextNote(d, batch: b / 2),
            parts: [
                "Compute the time per step and the tokens/s at <i>B</i> = 1.",
                "Simplify tokens/s(<i>B</i>) in the memory-bound regime and in the compute-bound regime.",
                "At what batch is the knee, and what is the plateau throughput?",
                "Explain how doubling the batch tells the two regimes apart.",
            ],
            given: given, steps: sol.steps, answers: sol.answers)
    }

    // MARK: Exercise 5 — cost-effectiveness of two GPUs across regimes

    static func ex5(_ i: ExerciseInstance, _ c: Convention) -> Exercise {
        let m = i.model
        let dA = Gen.dep(i.ex5A, m, c, price: i.priceA), dB = Gen.dep(i.ex5B, m, c, price: i.priceB)
        let nA = Gen.name(i.ex5A), nB = Gen.name(i.ex5B)
        var sol = Solution()
        sol.step("Cost per second", formula: "\(s.s("p", "A")) / 3600, \(s.s("p", "B")) / 3600",
                 substitution: "$\(Fmt.fixed(i.priceA, 2)) ÷ 3600 s; $\(Fmt.fixed(i.priceB, 2)) ÷ 3600 s",
                 key: "usd_per_s_a", label: "Cost of the \(nA) per second", value: dA.dollarsPerSecond, unit: "$/s",
                 "A GPU-hour price becomes a rate of \(Num.markup(dA.dollarsPerSecond, sig: 3)) and \(Num.markup(dB.dollarsPerSecond, sig: 3)) dollars per second.")
        sol.answer("usd_per_s_b", "Cost of the \(nB) per second", dB.dollarsPerSecond, "$/s")
        let a1 = dA.decode(batch: 1, context: 0), b1 = dB.decode(batch: 1, context: 0)
        sol.step("Tokens/s at <i>B</i> = 1", formula: "tokens/s = β / <i>W</i>, \(Gen.weightRead(dA, allExperts: false).formula)",
                 substitution: "\(Gen.tb(dA.bandwidth)) ÷ \(Num.markup(dA.weightBytesRead(tokens: 1))) B (\(nA)); \(Gen.tb(dB.bandwidth)) ÷ \(Num.markup(dB.weightBytesRead(tokens: 1))) B (\(nB))",
                 key: "tokens_per_s_a_batch1", label: "Tokens/s of the \(nA) at <i>B</i> = 1", value: a1.tokensPerSecond, unit: "tokens/s",
                 "Both GPUs are memory-bound at <i>B</i> = 1: the \(nB) gives \(Num.markup(b1.tokensPerSecond)) tokens/s.")
        sol.answer("tokens_per_s_b_batch1", "Tokens/s of the \(nB) at <i>B</i> = 1", b1.tokensPerSecond, "tokens/s")
        let tpdA1 = Comparison.tokensPerDollar(dA, batch: 1, context: 0), tpdB1 = Comparison.tokensPerDollar(dB, batch: 1, context: 0)
        sol.step("Tokens per dollar at <i>B</i> = 1", formula: "tokens/$ = (tokens/s) / ($/s)",
                 substitution: "\(Num.markup(a1.tokensPerSecond)) ÷ \(Num.markup(dA.dollarsPerSecond)) (\(nA)); \(Num.markup(b1.tokensPerSecond)) ÷ \(Num.markup(dB.dollarsPerSecond)) (\(nB))",
                 key: "tokens_per_dollar_a_batch1", label: "Tokens per dollar of the \(nA) at <i>B</i> = 1", value: tpdA1, unit: "tokens/$",
                 "\(tpdA1 >= tpdB1 ? nA : nB) gives more tokens per dollar for a single request (\(Num.markup(max(tpdA1, tpdB1) / min(tpdA1, tpdB1), sig: 3))×).")
        sol.answer("tokens_per_dollar_b_batch1", "Tokens per dollar of the \(nB) at <i>B</i> = 1", tpdB1, "tokens/$")
        sol.answer("ratio_batch1", "Tokens per dollar, \(nA) over \(nB), at <i>B</i> = 1", tpdA1 / tpdB1, "1")
        let roofA = dA.computeRoofTokensPerSecond, roofB = dB.computeRoofTokensPerSecond
        let fA = Gen.flopsPerToken(dA)
        sol.step("Compute roof", formula: "tokens/s = Π / <i>F</i>, <i>F</i> = \(fA.formula)",
                 substitution: "\(Gen.tf(dA.peakFlops)) ÷ \(Num.markup(fA.value)) (\(nA)); \(Gen.tf(dB.peakFlops)) ÷ \(Num.markup(Gen.flopsPerToken(dB).value)) (\(nB))",
                 key: "compute_roof_tokens_per_s_a", label: "Compute-roof tokens/s of the \(nA)", value: roofA, unit: "tokens/s",
                 "No batch can beat this; the \(nB)'s roof is \(Num.markup(roofB)) tokens/s.")
        sol.answer("compute_roof_tokens_per_s_b", "Compute-roof tokens/s of the \(nB)", roofB, "tokens/s")
        sol.answer("compute_roof_tokens_per_dollar_a", "Tokens per dollar of the \(nA) on its compute roof", roofA / dA.dollarsPerSecond, "tokens/$")
        sol.answer("compute_roof_tokens_per_dollar_b", "Tokens per dollar of the \(nB) on its compute roof", roofB / dB.dollarsPerSecond, "tokens/$")
        let kA = dA.kneeBatch(context: 0) ?? .infinity, kB = dB.kneeBatch(context: 0) ?? .infinity
        sol.step("Knee batches", formula: "\(s.s("B", "knee")) = Π·<i>W</i> / (<i>F</i>·β)",
                 substitution: "\(nA): \(Num.markup(kA)); \(nB): \(Num.markup(kB))",
                 key: "knee_batch_a", label: "Knee batch of the \(nA)", value: kA, unit: "sequences",
                 "A batch of \(Num.markup(Double(i.highBatch))) is compute-bound only on a GPU whose knee is below it.")
        sol.answer("knee_batch_b", "Knee batch of the \(nB)", kB, "sequences")
        let hA = dA.decode(batch: i.highBatch, context: 0), hB = dB.decode(batch: i.highBatch, context: 0)
        let tpdAH = Comparison.tokensPerDollar(dA, batch: Double(i.highBatch), context: 0)
        let tpdBH = Comparison.tokensPerDollar(dB, batch: Double(i.highBatch), context: 0)
        sol.step("Throughput deployment, <i>B</i> = \(Num.markup(Double(i.highBatch)))", formula: "tokens/s = <i>B</i> / max(2·<i>A</i>·<i>B</i>/Π, \(Gen.factorSym(c))<i>N</i>·\(s.s("b", "w"))/β)",
                 substitution: "\(nA): \(Num.markup(hA.tokensPerSecond)) tokens/s (\(hA.bound.rawValue)-bound); \(nB): \(Num.markup(hB.tokensPerSecond)) tokens/s (\(hB.bound.rawValue)-bound)",
                 key: "tokens_per_s_a_high", label: "Tokens/s of the \(nA) at <i>B</i> = \(Num.markup(Double(i.highBatch)))", value: hA.tokensPerSecond, unit: "tokens/s",
                 "At this batch the \(nA) is \(hA.bound.rawValue)-bound and the \(nB) is \(hB.bound.rawValue)-bound.")
        sol.answer("tokens_per_s_b_high", "Tokens/s of the \(nB) at <i>B</i> = \(Num.markup(Double(i.highBatch)))", hB.tokensPerSecond, "tokens/s")
        sol.step("Tokens per dollar at <i>B</i> = \(Num.markup(Double(i.highBatch)))", formula: "tokens/$ = (tokens/s) / ($/s)",
                 substitution: "\(Num.markup(hA.tokensPerSecond)) ÷ \(Num.markup(dA.dollarsPerSecond)) (\(nA)); \(Num.markup(hB.tokensPerSecond)) ÷ \(Num.markup(dB.dollarsPerSecond)) (\(nB))",
                 key: "tokens_per_dollar_a_high", label: "Tokens per dollar of the \(nA) at <i>B</i> = \(Num.markup(Double(i.highBatch)))", value: tpdAH, unit: "tokens/$",
                 "\(tpdAH >= tpdBH ? nA : nB) is the cheaper per token at this batch (\(Num.markup(max(tpdAH, tpdBH) / min(tpdAH, tpdBH), sig: 3))×).")
        sol.answer("tokens_per_dollar_b_high", "Tokens per dollar of the \(nB) at <i>B</i> = \(Num.markup(Double(i.highBatch)))", tpdBH, "tokens/$")
        sol.answer("ratio_high", "Tokens per dollar, \(nA) over \(nB), at <i>B</i> = \(Num.markup(Double(i.highBatch)))", tpdAH / tpdBH, "1")
        let xs = Comparison.crossoverBatches(dA, dB, context: 0)
        let x = xs.first ?? 0
        let interp: String
        if let first = xs.first {
            let lowWinner = tpdA1 >= tpdB1 ? nA : nB, highWinner = tpdA1 >= tpdB1 ? nB : nA
            interp = "Below <i>B</i> ≈ \(Num.markup(first, sig: 3)) the \(lowWinner) gives more tokens per dollar; above it the \(highWinner) does"
                + (xs.count > 1 ? " (they cross again at \(xs.dropFirst().map { Num.markup($0, sig: 3) }.joined(separator: ", ")))." : ".")
        } else {
            interp = "The curves never cross between <i>B</i> = 1 and 100,000: the \(tpdA1 >= tpdB1 ? nA : nB) is cheaper per token at every batch (the answer 0 means “no crossover”)."
        }
        sol.step("Crossover batch", formula: "<i>B</i><span size='smaller' rise='4pt'>†</span>: tokens/$<span size='smaller' rise='-2pt'>A</span>(<i>B</i>) = tokens/$<span size='smaller' rise='-2pt'>B</span>(<i>B</i>)",
                 substitution: "solved numerically on the roofline curves of both GPUs (first crossing in 1 ≤ <i>B</i> ≤ 100,000)",
                 key: "crossover_batch", label: "Crossover batch (0: none)", value: x, unit: "sequences", interp)
        let given = Gen.gpuGiven(dA, "a", price: i.priceA) + Gen.gpuGiven(dB, "b", price: i.priceB) + Gen.modelGiven(m)
            + [.number("high_batch", "Throughput batch <i>B</i>", Double(i.highBatch), "sequences")] + convGiven(c)
        return Exercise(
            id: "ex5", family: .costEffectiveness, title: "Cost-effectiveness of the \(nA) and the \(nB)",
            source: "Seed 003, Exercise 5", convention: c.name,
            question: "\(Gen.name(m)) is served in \(Gen.sixteenBit([i.ex5A, i.ex5B])) at short context on either GPU, rented by the hour."
                + Gen.shortContextNote(dA.capacityBytes <= dB.capacityBytes ? dA : dB, batch: i.highBatch),
            parts: [
                "Latency-sensitive serving at <i>B</i> = 1: compute tokens/s and tokens per dollar on each GPU.",
                "Throughput serving at <i>B</i> = \(Num.markup(Double(i.highBatch))): compute tokens/s and tokens per dollar on each GPU. Which is more cost-effective?",
                "At what batch size do the two GPUs give the same tokens per dollar?",
            ],
            given: given, steps: sol.steps, answers: sol.answers)
    }

    /// Says so when a context is beyond the model's window (seed 003 asks for 32,768 tokens of
    /// Llama 3 8B, whose window is 8,192): the arithmetic is that of the same shape with a longer window.
    static func windowNote(_ m: Model, _ contexts: [Int]) -> String {
        guard let w = m.maxContext else { return "" }
        let beyond = contexts.filter { $0 > w }
        guard !beyond.isEmpty else { return "" }
        return " (<i>S</i> = \(Fmt.sentenceList(beyond.map { Fmt.grouped($0) })) \(beyond.count == 1 ? "is" : "are") beyond \(Gen.name(m))'s \(Fmt.grouped(w))-token window; the exercise keeps \(beyond.count == 1 ? "it" : "them") as the seed does, for a model of the same shape with a longer window.)"
    }
}
