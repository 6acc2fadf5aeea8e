import Foundation
import Testing
@testable import RidgepointCore
@testable import Teaching

/// Seed 003 (003_a0da9808c8afff92.txt), Exercises 1–5: variant 0 under the seed's own convention
/// reproduces every number its solutions print; under the physical convention the corrected values.
@Suite struct Seed003ExerciseTests {
    /// Exercise 1: I* = 156 and 591; crossover 312 and 1,182 (I ≈ B/2); B = 1 speed-up 1.675.
    @Test func seed003Exercise1SeedConvention() throws {
        let e = try ex(try sheet(convention: .seed003), "ex1")
        #expect(e.answer("ridge_a") == 156)
        #expect(close(e.answer("ridge_b"), 591, rel: 0.001))
        #expect(close(e.answer("crossover_batch_a"), 312, rel: 1e-9))
        #expect(close(e.answer("crossover_batch_b"), 1182, rel: 0.001))
        #expect(close(e.answer("batch1_speedup"), 1.675, rel: 1e-9))
        #expect(close(e.answer("intensity_per_sequence"), 0.5, rel: 1e-9))
        // "Both GPUs' 6× FLOP increase … ridge ~3.8× higher"
        #expect(close(e.answer("peak_ratio"), 6.34, rel: 0.01))
        #expect(close(try #require(e.answer("ridge_b")) / 156, 3.8, rel: 0.01))
        #expect(!e.errata.isEmpty)
    }

    /// Exercise 1 corrected: dense peaks, weights read once: crossover 156 and 295.
    @Test func seed003Exercise1Physical() throws {
        let e = try ex(try sheet(), "ex1")
        #expect(e.answer("ridge_a") == 156)
        #expect(close(e.answer("ridge_b"), 295.3, rel: 0.001))
        #expect(close(e.answer("crossover_batch_a"), 156, rel: 1e-9))
        #expect(close(e.answer("crossover_batch_b"), 295.3, rel: 0.001))
        #expect(close(e.answer("batch1_speedup"), 1.675, rel: 1e-9))
        // Variant 0 carries the seed's errata even under the physical convention.
        #expect(e.errata.contains { $0.entry?.id == "003-082" && $0.printed.contains("1182") })
    }

    /// Section 2.1 table and Exercise 2: ridges 29, 139, 156, 591, 412, 563 and utilisations
    /// 1.7 %, 0.36 %, 0.32 %, 0.08 %, 0.12 % at I = 0.5.
    @Test func seed003Exercise2() throws {
        let e = try ex(try sheet(convention: .seed003), "ex2")
        let rows: [(String, Double, Double)] = [("p100", 29, 0.017), ("v100", 139, 0.0036), ("a100_80gb", 156, 0.0032),
                                                ("h100_sxm", 591, 0.0008), ("h200", 412, 0.0012), ("b200", 563, 0.00089)]
        for (k, ridge, util) in rows {
            #expect(abs(try #require(e.answer("ridge_\(k)")) - ridge) < 1, "\(k)")
            #expect(close(e.answer("utilisation_\(k)"), util, rel: 0.07), "\(k)")
        }
        #expect(close(e.answer("intensity_batch1"), 0.5, rel: 1e-9))
        // Physical: I(1) = 1 and dense peaks, e.g. H100 1/295.3 = 0.34 %.
        let p = try ex(try sheet(), "ex2")
        #expect(close(p.answer("utilisation_h100_sxm"), 1 / 295.34, rel: 0.001))
        #expect(close(p.answer("ridge_h200"), 206.1, rel: 0.001))
        #expect(close(p.answer("ridge_b200"), 281.25, rel: 0.001))
    }

    /// Exercise 3: Llama-3-8B as 8 × 10⁹ parameters: I = 0.499, 0.491, 0.441 and S* = 244,140;
    /// 4P = 32 GB, 4·L·h·d = 131,072 B/token; over 1,000× below I* = 591.
    @Test func seed003Exercise3() throws {
        let e = try ex(try sheet(convention: .seed003), "ex3")
        #expect(e.answer("kv_bytes_per_token") == 131_072)
        #expect(e.answer("weight_bytes_read") == 32e9)
        #expect(close(e.answer("intensity_at_512"), 0.499, rel: 0.002))
        #expect(close(e.answer("intensity_at_4096"), 0.491, rel: 0.002))
        #expect(close(e.answer("intensity_at_32768"), 0.441, rel: 0.002))
        #expect(close(e.answer("kv_bytes_at_512"), 67.1e6, rel: 0.001))
        #expect(close(e.answer("kv_bytes_at_4096"), 537e6, rel: 0.001))
        #expect(close(e.answer("kv_bytes_at_32768"), 4.29e9, rel: 0.002))
        #expect(close(e.answer("crossover_context"), 244_140, rel: 1e-5))
        #expect(try #require(e.answer("ridge_over_intensity")) > 1000)
        // Physical: S* = 122,070 and the intensity rises with S (attention FLOPs counted).
        let p = try ex(try sheet(), "ex3")
        #expect(close(p.answer("crossover_context"), 122_070, rel: 1e-5))
        #expect(p.answer("weight_bytes") == 16e9)
        #expect(close(p.answer("intensity_at_32768"), 1.635, rel: 0.001))
        #expect(try #require(p.answer("intensity_at_32768")) > (try #require(p.answer("intensity_at_512"))))
    }

    /// Exercise 4: linear below the knee, flat above. The seed prints no numbers of its own here;
    /// under its convention the knee is 2·I* = 1,182 (its §1.2), plateau Π/(2P) = 141,000 (its Ex 5).
    @Test func seed003Exercise4() throws {
        let s = try ex(try sheet(convention: .seed003), "ex4")
        #expect(close(s.answer("knee_batch"), 1182, rel: 0.001))
        #expect(close(s.answer("plateau_tokens_per_s"), 141_000, rel: 0.005))
        #expect(close(s.answer("tokens_per_s_at_batch1"), 119.6, rel: 0.001))
        let p = try ex(try sheet(), "ex4")
        #expect(close(p.answer("knee_batch"), 295.3, rel: 0.001))
        #expect(close(p.answer("plateau_tokens_per_s"), 989.4e12 / 14e9, rel: 1e-9))
        #expect(close(p.answer("tokens_per_s_at_batch1"), 3.35e12 / 14e9, rel: 1e-9))
        #expect(p.answer("doubling_ratio_below_knee") == 2)
        #expect(close(p.answer("doubling_ratio_above_knee"), 1, rel: 1e-9))
    }

    /// Exercise 5: 119.6 and 171.4 tokens/s, 172,000 and 176,000 tokens/$; 141,000 tokens/s,
    /// 2.03 × 10⁸ and 1.45 × 10⁸ tokens/$; the crossover the seed puts at ≈ 1,182 is 844 by its
    /// own convention and ≈ 211 physically.
    @Test func seed003Exercise5() throws {
        let e = try ex(try sheet(convention: .seed003), "ex5")
        #expect(close(e.answer("tokens_per_s_a_batch1"), 119.6, rel: 0.001))
        #expect(close(e.answer("tokens_per_s_b_batch1"), 171.4, rel: 0.001))
        #expect(close(e.answer("usd_per_s_a"), 6.94e-4, rel: 0.001))
        #expect(close(e.answer("usd_per_s_b"), 9.72e-4, rel: 0.001))
        #expect(close(e.answer("tokens_per_dollar_a_batch1"), 172_000, rel: 0.005))
        #expect(close(e.answer("tokens_per_dollar_b_batch1"), 176_000, rel: 0.005))
        #expect(close(e.answer("compute_roof_tokens_per_s_a"), 141_000, rel: 0.005))
        #expect(close(e.answer("compute_roof_tokens_per_dollar_a"), 2.03e8, rel: 0.005))
        #expect(close(e.answer("compute_roof_tokens_per_dollar_b"), 1.45e8, rel: 0.005))
        #expect(close(e.answer("knee_batch_a"), 1182, rel: 0.001))
        #expect(close(e.answer("crossover_batch"), 844, rel: 0.002))
        #expect(e.errata.contains { $0.entry?.id == "003-433" && $0.entry?.recomputed == "B† ≈ 844" })
        let p = try ex(try sheet(), "ex5")
        #expect(close(p.answer("crossover_batch"), 211, rel: 0.002))
        #expect(close(p.answer("ratio_high"), 1.4, rel: 1e-6))
    }

    /// §1.2's ratio 1.433 (H200/H100 bandwidth) versus price ratio 1.40 (Ex 5c): H200 wins narrowly at B = 1.
    @Test func seed003Exercise5Ratios() throws {
        let e = try ex(try sheet(convention: .seed003), "ex5")
        let r = try #require(e.answer("tokens_per_s_b_batch1")) / (try #require(e.answer("tokens_per_s_a_batch1")))
        #expect(close(r, 1.433, rel: 0.001))
        #expect(try #require(e.answer("ratio_batch1")) < 1)
    }

    /// Every exercise of seed 003 under its convention carries at least one erratum box.
    @Test func seed003EveryExerciseHasErrata() throws {
        for e in try sheet(convention: .seed003).exercises { #expect(!e.errata.isEmpty, "\(e.id)") }
        // A drawn variant under the physical convention has no seed to correct.
        for e in try sheet(variant: 3).exercises { #expect(e.errata.isEmpty, "\(e.id)") }
    }

    /// Required JSON keys for the physical convention (issue 6).
    @Test func requiredJSONKeys() throws {
        for v in [0, 1, 7] {
            let text = try sheet(variant: v).jsonText
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let exs = try #require(obj["exercises"] as? [[String: Any]])
            func answers(_ id: String) throws -> [String: Any] {
                let e = try #require(exs.first { ($0["id"] as? String) == id })
                #expect(e["parameters"] is [String: Any])
                return try #require(e["answers"] as? [String: Any])
            }
            let required: [String: [String]] = [
                "ex1": ["ridge_a", "ridge_b", "crossover_batch_a", "crossover_batch_b", "batch1_speedup"],
                "ex3": ["kv_bytes_per_token", "weight_bytes", "crossover_context"],
                "ex4": ["knee_batch", "plateau_tokens_per_s", "tokens_per_s_at_batch1"],
                "ex5": ["crossover_batch"],
            ]
            for (id, keys) in required {
                let a = try answers(id)
                for k in keys { #expect(a[k] is NSNumber, "variant \(v) \(id).\(k)") }
            }
            #expect(exs.map { $0["id"] as? String } == ["ex1", "ex2", "ex3", "ex4", "ex5"])
        }
    }
}
