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
            convention: c.name, description: describe(inst), exercises: exercises,
            seedInstance: inst.variant == 0 && inst.isSeedInstance)
    }

    /// One line per choice the variant made (markup).
    static func describe(_ i: ExerciseInstance) -> String {
        let v = i.variant == 0 ? (i.isSeedInstance ? "Variant 0 (the numbers of seed 003)" : "Variant 0 with your choices (seed 003's exercises, not its numbers)")
            : "Variant \(i.variant)"
        return "\(v): \(Gen.name(i.ex1A)) at $\(Fmt.fixed(i.price(i.ex1A), 2))/h and \(Gen.name(i.ex1B)) at $\(Fmt.fixed(i.price(i.ex1B), 2))/h (exercise 1); \(Gen.name(i.model)); "
            + "\(Gen.name(i.ex5A)) at $\(Fmt.fixed(i.priceA, 2))/h and \(Gen.name(i.ex5B)) at $\(Fmt.fixed(i.priceB, 2))/h (exercise 5)."
    }

    /// Reasons by answer-key prefix, for the seed-003 convention.
    static let seed003Reasons: [Int: [String: String]] = [
        1: ["ridge_": "The convention takes the 2:4-sparse peak of Hopper and Blackwell parts as their FP16 peak; dense matrix math (what decode runs) peaks at half that figure.",
            "crossover_batch": "The convention counts every weight byte twice (I ≈ B/2) — and takes the sparse peak of Hopper and Blackwell parts —, which raises the crossover batch; weights are read once per step.",
            "intensity_per_sequence": "Weights counted twice halve the intensity: physically I(B) ≈ B for 16-bit weights, not B/2.",
            "tokens_per_s": "Reading every weight twice per step halves the single-request speed.",
            "peak_ratio": "The convention takes sparse peaks for Hopper and Blackwell parts and dense peaks for the others, so the ratio can mix two kinds of peak.",
            "speedup_per_dollar": "Follows from the corrected speed-up and prices."],
        2: ["ridge_": "Sparse (2:4) peaks taken as dense ones for the Hopper and Blackwell rows.",
            "utilisation": "The convention takes I(1) = 0.5 (weights counted twice) and sparse peaks; physically I(1) ≈ 1 and dense peaks.",
            "intensity_batch1": "Weights counted twice halve the intensity.",
            "utilisation_drop": "Follows from the corrected ridges."],
        3: ["intensity": "The convention counts the weight bytes twice but the KV bytes once, and ignores the attention FLOPs (4·L·h_q·d_h per cached token), so it finds I falling with S; physically it rises.",
            "crossover_context": "Weights counted twice, KV once: the convention's S* is twice the physical one.",
            "ridge": "Sparse peak taken as dense.",
            "ridge_over_intensity": "Follows from the corrected ridge and intensity."],
        4: ["knee_batch": "Weights counted twice (and, on Hopper and Blackwell parts, the sparse peak) raise the knee.",
            "plateau": "The sparse peak doubles the compute roof; decode runs on the dense tensor cores.",
            "tokens_per_s": "Weights counted twice halve the memory-bound speed.",
            "step_time": "Weights counted twice double the step time.",
            "doubling_ratio_above": "Follows from the knee the convention moves."],
        5: ["tokens_per_s": "Weights counted twice halve the memory-bound speed; a sparse peak doubles the compute roof.",
            "tokens_per_dollar": "Follows from the corrected tokens/s.",
            "compute_roof": "A sparse peak doubles the compute roof; decode runs on the dense tensor cores.",
            "knee_batch": "Weights counted twice (and, on Hopper and Blackwell parts, the sparse peak) raise the knee.",
            "crossover_batch": "Follows from the corrected curves of both GPUs.",
            "ratio_high": "Follows from the corrected tokens/s at the throughput batch."],
    ]

    /// The errata register's entries for each exercise of seed 003 (its statements the exercise
    /// computes or relies on).
    static let registerIDs: [Int: [String]] = [
        1: ["003-045", "003-076", "003-080", "003-082"],
        2: ["003-091", "003-104", "003-105", "003-106", "003-130", "003-148", "003-151"],
        3: ["003-194", "003-223", "003-231", "003-233"],
        4: ["003-259", "003-357", "003-369"],
        5: ["003-415", "003-429", "003-431", "003-433"],
    ]

    /// Errata for exercise `n`. For seed 003's own instance: the register's entries, whatever the
    /// convention (switching it changes the numbers computed, never which seed said what). For any
    /// other data the seed printed nothing to correct; a seed convention chosen explicitly is
    /// compared with the physical one, attributed to the convention, not to a seed.
    static func errata(exercise n: Int, inst: ExerciseInstance, convention c: Convention,
                       build: (ExerciseInstance, Convention) -> Exercise) -> [Erratum] {
        if inst.variant == 0 && inst.isSeedInstance { return ErrataRegister.builtInBoxes(registerIDs[n] ?? []) }
        guard c.name == "seed-002" || c.name == "seed-003" else { return [] }
        let reasons = c.name == "seed-003" ? (seed003Reasons[n] ?? [:]) : [:]
        return Errata.diff(build(inst, c), build(inst, .physical), location: "Exercise \(n)", reasons: reasons,
                           fallback: "The \(c.name) convention: \(c.summary).")
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
