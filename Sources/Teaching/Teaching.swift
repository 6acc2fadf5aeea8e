import Canvas
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Entry points: exercise sheets (seed 003's five families) and worked examples.
public enum Teaching {
    /// The exercise sheet for `options`: variant 0 is seed 003's own instance, N ≥ 1 a
    /// deterministic draw from the catalog; the student edition carries no solutions.
    public static func exerciseSheet(_ options: TeachingOptions, catalog: Catalog) throws -> ExerciseSheet {
        let inst = try ExerciseInstance.make(options, catalog: catalog)
        let c = options.convention
        let builders: [(ExerciseInstance, Convention) -> Exercise] = [
            SeedExercises.ex1, SeedExercises.ex2, SeedExercises.ex3, SeedExercises.ex4, SeedExercises.ex5,
        ]
        var exercises: [Exercise] = []
        for (n, build) in builders.enumerated() {
            var e = build(inst, c)
            if options.edition == .instructor {
                e.errata = errata(exercise: n + 1, inst: inst, convention: c, build: build)
                e.remark = remark(exercise: n + 1, e)
            }
            exercises.append(e.forEdition(options.edition))
        }
        return ExerciseSheet(
            title: "Memory-bound inference: exercises", variant: inst.variant, edition: options.edition,
            convention: c.name, description: describe(inst), exercises: exercises)
    }

    /// One line per choice the variant made (markup).
    static func describe(_ i: ExerciseInstance) -> String {
        let v = i.variant == 0 ? (i.isSeedInstance ? "Variant 0 (the numbers of seed 003)" : "Variant 0 with your choices (seed 003's exercises, not its numbers)")
            : "Variant \(i.variant)"
        return "\(v): \(Gen.name(i.ex1A)) and \(Gen.name(i.ex1B)) (exercise 1); \(Gen.name(i.model)); "
            + "\(Gen.name(i.ex5A)) at $\(Fmt.fixed(i.priceA, 2))/h and \(Gen.name(i.ex5B)) at $\(Fmt.fixed(i.priceB, 2))/h (exercise 5)."
    }

    /// Reasons by answer-key prefix, for the seed-003 convention.
    static let seed003Reasons: [Int: [String: String]] = [
        1: ["ridge_": "Seed 003 divides the 2:4-sparse peak by β; dense matrix math (what decode runs) peaks at half that figure.",
            "crossover_batch": "The seed counts every weight byte twice (I ≈ B/2, its “factor-of-2 I/O”), which doubles the crossover batch; weights are read once per step.",
            "intensity_per_sequence": "Weights counted twice halve the intensity: physically I(B) ≈ B for BF16, not B/2.",
            "tokens_per_s": "Reading every weight twice per step halves the single-request speed.",
            "peak_ratio": "The ratio mixes the A100's dense peak with the H100's sparse one; on one kind of peak it is half as large.",
            "speedup_per_dollar": "Follows from the corrected speed-up and prices."],
        2: ["ridge_": "Sparse (2:4) peaks used as dense ones for the Hopper and Blackwell rows.",
            "utilisation": "The seed takes I(1) = 0.5 (weights counted twice) and sparse peaks; physically I(1) ≈ 1 and dense peaks.",
            "intensity_batch1": "Weights counted twice halve the intensity.",
            "utilisation_drop": "Follows from the corrected ridges."],
        3: ["intensity": "The seed counts the weight bytes twice but the KV bytes once, and ignores the attention FLOPs (4·L·h_q·d_h per cached token), so it finds I falling with S; physically it rises.",
            "crossover_context": "Weights counted twice, KV once: the seed's S* is twice the physical one.",
            "ridge": "Sparse peak used as dense.",
            "ridge_over_intensity": "Follows from the corrected ridge and intensity."],
        4: ["knee_batch": "Weights counted twice and the sparse peak: the knee moves from Π/β·(N·b_w)/(2A) to four times that.",
            "plateau": "The sparse peak doubles the compute roof; decode runs on the dense tensor cores.",
            "tokens_per_s": "Weights counted twice halve the memory-bound speed.",
            "step_time": "Weights counted twice double the step time.",
            "doubling_ratio_above": "Under the seed's convention the last doubling in the table is still below its (too high) knee."],
        5: ["tokens_per_s": "Weights counted twice halve the memory-bound speed; the sparse peak doubles the compute roof.",
            "tokens_per_dollar": "Follows from the corrected tokens/s.",
            "compute_roof": "The sparse peak doubles the compute roof; decode runs on the dense tensor cores.",
            "knee_batch": "Weights counted twice and the sparse peak quadruple the knee.",
            "crossover_batch": "The crossover follows from the corrected curves: the H200 saturates at its own, lower knee, after which the cheaper H100 wins.",
            "ratio_high": "At the throughput batch the corrected roofline puts both GPUs on their compute roofs."],
    ]

    /// Errata for exercise `n`: the convention's answers against the physical ones (variant 0,
    /// or any variant under a seed convention), plus the seed's own slips for variant 0.
    static func errata(exercise n: Int, inst: ExerciseInstance, convention c: Convention,
                       build: (ExerciseInstance, Convention) -> Exercise) -> [Erratum] {
        let source: Convention = c.name == "physical" ? .seed003 : c
        // Under the physical convention the boxes compare with what seed 003's own convention
        // gives — only for the seed's own GPUs and model; for other hardware the seed printed
        // nothing to correct. A seed convention chosen explicitly is always compared.
        guard (inst.variant == 0 && inst.isSeedInstance) || c.name != "physical" else { return [] }
        // The exercises are seed 003's whatever convention computes them: switching the
        // convention changes the numbers, never which seed said what.
        let seedNumber = "003"
        let reasons = source.name == "seed-003" ? (seed003Reasons[n] ?? [:]) : [:]
        var out = Errata.diff(build(inst, source), build(inst, .physical), seedNumber: seedNumber,
                              location: "Exercise \(n)", reasons: reasons, fallback: "The \(source.name) convention: \(source.summary).")
        if inst.variant == 0 && inst.isSeedInstance { out += SeedErrata.exercise(n, inst) }
        return out
    }

    static func remark(exercise n: Int, _ e: Exercise) -> String? {
        switch n {
        case 1: return "Latency-bound serving buys bandwidth, not TFLOPS: compare GPUs by β (and β per dollar) at small batch."
        case 3: return "Per sequence the weights dominate unless the context approaches <i>S</i>" + Markup.sup("*") + "; across a batch the KV traffic grows with <i>B</i>·<i>S</i> while the weight traffic does not."
        case 5: return "Which GPU is cheaper per token depends on the operating batch: quote the crossover with the recommendation."
        default: return nil
        }
    }
}

extension ExerciseInstance {
    /// True when no option replaced the seed's GPUs or model (the seed's printed numbers apply).
    var isSeedInstance: Bool {
        ex1A.id.hasSuffix("-seed003") && ex1B.id.hasSuffix("-seed003") && ex5A.id.hasSuffix("-seed003")
            && ex5B.id.hasSuffix("-seed003") && model.declaredParams == 7e9 && ex3Model.declaredParams == 8e9
    }
}

/// Slips in seed 003 that its own convention does not explain (variant 0 only).
enum SeedErrata {
    static func exercise(_ n: Int, _ i: ExerciseInstance) -> [Erratum] {
        let h100 = Gen.dep(i.ex4GPU, i.model, .physical)
        let seedH = Gen.dep(i.ex4GPU, i.model, .seed003)
        switch n {
        case 1:
            return [
                Erratum(seed: "003", location: "§1.2, “Consequence”",
                        printed: "memory-bound whenever <i>B</i> ≲ <i>I</i>" + Markup.sup("*") + "/2: <i>B</i> ≈ 300 (H100), ≈ 78 (A100)",
                        correct: "<i>B</i> &lt; 2·<i>I</i>" + Markup.sup("*") + " under its own <i>I</i> ≈ <i>B</i>/2 (1,182 and 312, as its Exercise 1 finds); physically <i>B</i> &lt; <i>I</i>" + Markup.sup("*") + " (295 and 156)",
                        reason: "Solving <i>B</i>/2 = <i>I</i>" + Markup.sup("*") + " gives <i>B</i> = 2·<i>I</i>" + Markup.sup("*") + ", not <i>I</i>" + Markup.sup("*") + "/2."),
                Erratum(seed: "003", location: "Exercise 1, key insight",
                        printed: "“6× FLOP increase”, ridge “~3.8× higher”",
                        correct: "dense 989.4/312 = 3.17× compute and 295.3/156 = 1.89× ridge",
                        reason: "The A100's dense 312 TFLOPS is compared with the H100's 2:4-sparse 1,979."),
            ]
        case 2:
            let b200 = i.generations.last.map { Gen.dep($0, i.model, .seed003) }
            let b200p = i.generations.last.map { Gen.dep($0, i.model, .physical) }
            // Its "0.5/591 ≈ 0.08 %" is 0.0846 % to one figure: right under its own convention (the
            // convention's error is in the convention boxes).
            var out: [Erratum] = []
            if let b200, let b200p {
                out.append(Erratum(seed: "003", location: "Exercise 2, solution table",
                                   printed: "the B200 row of the §2.1 table is missing",
                                   correct: "\(Num.percent(0.5 / b200.ridge)) under the seed's convention; \(Num.percent(1 / b200p.ridge)) physically (dense 2,250 TFLOPS, 8 TB/s)",
                                   reason: "The exercise asks for every GPU in the table; the newest GPU is the one the trend is about."))
            }
            return out
        case 3:
            let d = Gen.dep(i.ex3GPU, i.ex3Model, .seed003)
            return [
                Erratum(seed: "003", location: "Exercise 3(a), S = 4,096", printed: "<i>I</i> ≈ 0.491",
                        correct: "\(Num.markup(d.decode(batch: 1, context: 4096).intensity, sig: 4)) by its own formula (16 × 10" + Markup.sup("9") + " ÷ 32.537 × 10" + Markup.sup("9") + "), i.e. 0.492",
                        reason: "Truncated instead of rounded."),
                Erratum(seed: "003", location: "Exercise 3, key insight", printed: "“<i>I</i> remains well below 1 FLOP/byte in all cases”",
                        correct: "physically <i>I</i> ≈ 1.0 at 512 tokens rising to 1.6 at 32,768",
                        reason: "An artefact of counting weights twice and ignoring attention FLOPs, which grow with <i>S</i> as fast as the KV bytes."),
            ]
        case 4:
            return [
                Erratum(seed: "003", location: "§4.2, Signal 1", printed: "“If throughput roughly doubles: the layer was compute-bound … If throughput barely increases: memory-bound”",
                        correct: "doubling ⇒ memory-bound; flat ⇒ compute-bound (as its own Exercise 4 derives)",
                        reason: "Below the knee the step time is the fixed weight read, so twice the sequences give twice the tokens; above it the step time grows with <i>B</i>."),
                Erratum(seed: "003", location: "Exercise 4 vs Exercise 5(a)",
                        printed: "<i>T</i>(<i>B</i>) reads 2<i>P</i> bytes per step (Ex 4, and §1's 238 tokens/s), but Ex 5(a) reads 4<i>P</i> (119.6 tokens/s) for the same 7B model on the same H100",
                        correct: "\(Num.markup(h100.decode(batch: 1, context: 0).tokensPerSecond)) tokens/s (2<i>P</i> bytes, read once); knee at <i>B</i> = Π/β = \(Num.markup(h100.ridge)) (dense)",
                        reason: "The exercise's formula is the physical one; the factor-of-2 I/O convention of §1.2 and Ex 1/5 is not."),
            ]
        case 5:
            let dA = Gen.dep(i.ex5A, i.model, .seed003, price: i.priceA)
            let seedB = Gen.dep(i.ex5B, i.model, .seed003, price: i.priceB)
            let hA = dA.decode(batch: i.highBatch, context: 0)
            let x = Comparison.crossoverBatches(dA, Gen.dep(i.ex5B, i.model, .seed003, price: i.priceB), context: 0).first ?? 0
            let xp = Comparison.crossoverBatches(Gen.dep(i.ex5A, i.model, .physical, price: i.priceA),
                                                 Gen.dep(i.ex5B, i.model, .physical, price: i.priceB), context: 0).first ?? 0
            return [
                Erratum(seed: "003", location: "Exercise 5(b)", printed: "H100 compute-bound at <i>B</i> = 1,000: 141,000 tokens/s, 2.03 × 10" + Markup.sup("8") + " tokens/$",
                        correct: "under its own convention the H100's knee is <i>B</i> = \(Num.markup(seedH.kneeBatch(context: 0) ?? 0, sig: 4)), so at 1,000 it is memory-bound: \(Num.markup(hA.tokensPerSecond)) tokens/s, \(Num.markup(hA.tokensPerSecond / dA.dollarsPerSecond)) tokens/$",
                        reason: "The compute roof applies only above the knee."),
                Erratum(seed: "003", location: "Exercise 5(c)", printed: "crossover <i>B</i>" + Markup.sup("†") + " ≈ 1,182",
                        correct: "\(Num.markup(x, sig: 3)) by its own convention; \(Num.markup(xp, sig: 3)) physically",
                        reason: "Past the H200's own knee (<i>B</i> = \(Num.markup(seedB.kneeBatch(context: 0) ?? 0, sig: 4)) under the seed's convention) its throughput is flat, while the H100's still grows with the batch up to its knee at \(Num.markup(seedH.kneeBatch(context: 0) ?? 0, sig: 4)); the cheaper H100 therefore overtakes it between the two knees, not at the H100's."),
            ]
        default:
            return []
        }
    }
}
