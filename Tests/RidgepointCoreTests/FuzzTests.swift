import Foundation
import Testing
@testable import RidgepointCore

/// SplitMix64 (Steele, Lea & Flood): a tiny seeded generator, so every run draws the same cases.
/// No system randomness anywhere in the fuzz test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Mutates the example specs (lines deleted, duplicated, swapped; scalars replaced by hostile
/// values; wrong types, unknown keys, broken brackets, tabs, control characters, replacement
/// characters from invalid UTF-8, huge lists, very long strings, anchors/aliases) and checks
/// that `Spec.parse` either throws a `RidgepointError` with a message (and a line ≥ 1 when it
/// names one) or returns a spec whose matrix evaluates to finite, non-negative numbers — and
/// that the CSV/JSON writers handle it. A fixed number of cases from a fixed seed, so every run
/// checks the same inputs whatever the machine's speed (override with RIDGEPOINT_FUZZ_CASES /
/// RIDGEPOINT_FUZZ_SEED), YAML ≤ 64 KiB.
@Suite("Fuzz")
struct FuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The example specs, the embedded default spec, and the README's annotated spec.
    static func seeds() throws -> [(name: String, text: String)] {
        var out: [(String, String)] = []
        let examples = root.appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".yaml") }.sorted()
        for n in names {
            out.append(("examples/\(n)", try String(contentsOf: examples.appendingPathComponent(n), encoding: .utf8)))
        }
        let def = root.appendingPathComponent("Sources/RidgepointResources/specs/default.yaml")
        out.append(("default.yaml", try String(contentsOf: def, encoding: .utf8)))
        out.append(("README spec", """
            title: Serving Llama-3-70B            # escaped wherever it is shown
            template: procurement
            formats: [pdf, svg, png, csv, json, md]
            gpus:
              - H100-SXM
              - h200
              - {id: h100-reserved, base: h100-sxm, usd_per_hour: 1.85}
              - {id: my-card, memory_gb: 96, bandwidth_tbs: 4.0, bf16_tflops: 800, fp8_tflops: 1600,
                 interconnect_gbs: 400, usd_per_hour: 2.2}
            models:
              - llama-3-70b
              - {id: tiny, layers: 2, hidden_size: 256, attention_heads: 4, intermediate_size: 512, vocab_size: 1000}
              - {id: moe-x, base: mixtral-8x7b, moe: {experts: 16, experts_per_token: 2, expert_intermediate_size: 14336}}
            batch_sizes: [1, 8, 32, 128, 512]
            contexts: [512, 4096, 32768]
            phases: [decode, prefill]
            precision: {weights: bf16, kv: bf16}
            gpus_per_replica: [1, 2, 4, 8]
            slo: {tpot_ms: 50, ttft_ms: 500}
            efficiency: {compute: 0.8, memory: 0.87, interconnect: 0.77}
            convention: physical
            prices: {h200: 3.10}
            memory_reserve: 0.10
            mean_sequence_tokens: 300
            page_size: a4
            """))
        return out
    }

    static let hostileScalars: [String] = [
        "-1", "0", "-0", "1e309", "-1e309", ".nan", ".NaN", ".inf", "-.inf", "nan", "inf", "-inf", "\"\"", "''", "~",
        "null", "../../x", "/etc/passwd", "a/b", "..", ".", "C:\\\\x", "\"\\u0000\"", "\"\\t\"", "\"\\e[31m\"",
        "0x7fffffffffffffff", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648",
        "1e18", "1e-320", "4.9e-324", "1_000_000_000", "1e6", "1.5", "3.0", "0.0000001", "+5", "0b101", "0o17", "12abc",
        "1,000", "１２", "٣", "true", "yes", "no", "[]", "{}", "[1, 2, 3]", "{a: 1}", "[[[]]]", "[{}]", "!!binary aGVsbG8=",
        "!!int x", "!!float", "!custom x", "*undefined", "&anchor x", "|", ">-", "\"\\xff\"", "é", "\u{202E}h100",
        "h100-sxm", "llama-3-8b", "deepseek-v3", "decode", "prefill", "fp8", "int4", "seed-003", "calibrated", "letter",
        "h100-sxn", "llama-3-8", "<b>x</b>", "&amp;", "{{title}}", "%s%n", "$(rm -rf /)", "'; DROP TABLE", "\"a\nb\"",
        "? x", "- x", "x: y: z", "@x", "`x`", "#", "!", "%YAML 1.1", "---", "...",
    ]

    static let keys = Spec.allowedKeys + ["gpu", "model", "batch", "context", "id", "base", "layers", "memory_gb",
                                          "bandwidth_tbs", "bf16_tflops", "usd_per_hour", "interconnect_gbs",
                                          "kv_heads", "head_dim", "moe", "mla", "experts", "weights", "kv", "dense",
                                          "tpot_ms", "compute", "memory", "interconnect", "unknown_key", "Title", ""]

    static func hostileScalar(_ rng: inout SplitMix64) -> String {
        switch rng.below(10) {
        case 0: return String(repeating: rng.pick(["x", "9", "é", "🙂", "/", "-"]), count: rng.pick([65, 201, 4097, 20_000]))
        case 1:
            // Invalid UTF-8 decoded into a String (U+FFFD), and raw control characters.
            let bytes: [UInt8] = (0..<(1 + rng.below(6))).map { _ in rng.pick([0xFF, 0xFE, 0xC3, 0x80, 0xED, 0xA0, 0xF4, 0x90, 0x00, 0x07, 0x1B, 0x7F]) }
            return String(decoding: bytes, as: UTF8.self)
        case 2: return rng.pick(["\u{0}", "\u{7}", "\u{8}", "\u{1B}", "\u{7F}", "\u{85}", "\u{FEFF}", "\u{2028}", "\r", "\t", "\u{C}"]) + rng.pick(["1", "x", ""])
        case 3: return String(Double(bitPattern: rng.next()))
        case 4: return String(Int64(bitPattern: rng.next()) >> rng.below(64))
        default: return rng.pick(hostileScalars)
        }
    }

    /// A list with many items (the sizes are capped so the matrix check, not the fuzzer, refuses them).
    static func hugeList(_ rng: inout SplitMix64) -> String {
        let n = rng.pick([50, 300, 2000])
        let item = rng.pick(["n", "gpu", "model", "mixed"])
        let items: [String] = (0..<n).map { i in
            switch item {
            case "n": return String(i + 1)
            case "gpu": return rng.pick(["h100-sxm", "h200", "a100-80gb", "l4", "b200", "x\(i)"])
            case "model": return rng.pick(["llama-3-8b", "llama-3-70b", "mixtral-8x7b", "m\(i)"])
            default: return hostileScalar(&rng)
            }
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    /// Replaces one value-looking token of `line` (after `: `, or inside `[...]`/`{...}`).
    static func replaceScalar(_ line: String, with value: String, _ rng: inout SplitMix64) -> String {
        let chars = Array(line)
        var starts: [Int] = []
        for (i, c) in chars.enumerated() where c == ":" || c == "[" || c == "," || c == "-" || c == "{" {
            starts.append(i + 1)
        }
        guard !starts.isEmpty else { return value }
        var a = rng.pick(starts)
        while a < chars.count && chars[a] == " " { a += 1 }
        var b = a
        while b < chars.count && !",]}#".contains(chars[b]) && !(chars[b] == ":" && b + 1 < chars.count && chars[b + 1] == " ") { b += 1 }
        return String(chars[..<a]) + (a > 0 && chars[a - 1] != " " ? " " : "") + value + String(chars[b...])
    }

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let steps = rng.pick([1, 1, 1, 1, 1, 2, 2, 3, 4])
        for _ in 0..<steps {
            if lines.isEmpty { lines = [""] }
            let i = rng.below(lines.count)
            switch rng.below(16) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2: lines.swapAt(i, rng.below(lines.count))
            case 3, 4, 5: lines[i] = replaceScalar(lines[i], with: hostileScalar(&rng), &rng)
            case 6: lines[i] = replaceScalar(lines[i], with: hugeList(&rng), &rng)
            case 7:
                // Wrong type: a scalar becomes a list or mapping, or a list becomes a scalar.
                lines[i] = replaceScalar(lines[i], with: rng.pick(["[\(hostileScalar(&rng))]", "{x: 1}", "{dense: 1}", "- a", "1"]), &rng)
            case 8:
                // Unknown or misspelt key, at the top level or indented.
                lines.insert(rng.pick(["", "  ", "    ", "\t"]) + rng.pick(keys) + ": " + hostileScalar(&rng), at: i)
            case 9:
                // Unbalanced brackets and YAML syntax characters at a random column.
                var cs = Array(lines[i])
                let at = rng.below(cs.count + 1)
                cs.insert(contentsOf: Array(rng.pick(["[", "]", "{", "}", "\"", "'", ":", ": ", "- ", "&a ", "*a", "!!str ", "? ", "|", "%", "@", ",", "#"])), at: at)
                lines[i] = String(cs)
            case 10: lines[i] = rng.pick(["\t", "  ", " ", ""]) + (rng.chance(50) ? lines[i].trimmingCharacters(in: .whitespaces) : lines[i])
            case 11:
                // Truncate the file.
                let keep = rng.below(lines.count + 1)
                lines = Array(lines.prefix(keep))
                if let last = lines.last, !last.isEmpty { lines[lines.count - 1] = String(last.prefix(rng.below(last.count + 1))) }
            case 12:
                // Anchors and aliases, including nested ones ("billion laughs", kept small).
                lines.insert(rng.pick([
                    "title: &t x", "formats: [*t]", "gpus: &g [h100-sxm, *g]",
                    "batch_sizes: &b [1, 2]\ncontexts: *b",
                    "slo: &s {tpot_ms: 50}\nefficiency: *s",
                    "gpus: [&a h100-sxm, *a]", "models: [&m llama-3-8b, *m, *m]",
                    "contexts: [&l [1,2,3,4,5,6,7,8,9], [*l,*l,*l,*l,*l,*l,*l,*l,*l]]",
                ]), at: i)
            case 13: lines.insert(String(repeating: rng.pick(["[", "{", "- ", "  "]), count: rng.pick([10, 100, 1000])) + "x", at: i)
            case 14:
                // Change a key's value to a value from another line.
                let j = rng.below(lines.count)
                if let colon = lines[j].firstIndex(of: ":") {
                    lines[i] = replaceScalar(lines[i], with: String(lines[j][lines[j].index(after: colon)...]).trimmingCharacters(in: .whitespaces), &rng)
                }
            default:
                // Line endings, BOM, NUL, form feeds.
                lines[i] += rng.pick(["\r", " \u{0}", "\u{FEFF}", "\u{C}", " # ok", "\u{2028}x"])
            }
        }
        return lines.joined(separator: rng.chance(5) ? "\r\n" : "\n")
    }

    struct Stop: Error {}

    struct Outcome {
        var parsed = 0, refused = 0, cells = 0
        var problems: [String] = []
    }

    /// Evaluates at most `limit` cells of `spec` and reports any non-finite or negative number.
    static func evaluate(_ spec: Spec, limit: Int, label: String, into outcome: inout Outcome) {
        var seen = 0
        do {
            try Sweep(spec: spec).forEachRow { row in
                seen += 1
                if seen > limit { throw Stop() }
                var bad: (String, Double)?
                for c in EvalSchema.columns {
                    if case .number(let x) = c.value(row), !x.isFinite || x < 0 { bad = (c.name, x); break }
                }
                guard let bad else { return }
                let what = "\(label): \(row.gpu.id) × \(row.model.id) n=\(row.deployment.gpus) \(row.phase.rawValue) B=\(row.batch) S=\(row.context): \(bad.0) = \(bad.1)"
                outcome.problems.append(what)
                throw Stop()
            }
        } catch {}
        outcome.cells += min(seen, limit)
    }

    /// The spec cut down to at most ~`limit` cells, for the writers.
    static func small(_ spec: Spec, limit: Int) -> Spec {
        var s = spec
        s.gpus = Array(s.gpus.prefix(2)); s.models = Array(s.models.prefix(2))
        s.batchSizes = Array(s.batchSizes.prefix(4)); s.contexts = Array(s.contexts.prefix(4))
        s.gpusPerReplica = Array(s.gpusPerReplica.prefix(3))
        while s.cellCount > limit && s.batchSizes.count > 1 { s.batchSizes.removeLast() }
        return s
    }

    static func check(_ text: String, label: String, into outcome: inout Outcome) {
        do {
            let spec = try Spec.parse(text, file: "fuzz.yaml", catalog: catalog)
            outcome.parsed += 1
            if spec.cellCount > Spec.maxCells || spec.cellCount < 1 {
                outcome.problems.append("\(label): parsed a spec with \(spec.cellCount) cells")
                return
            }
            if spec.gpus.isEmpty || spec.models.isEmpty || spec.batchSizes.isEmpty || spec.contexts.isEmpty
                || spec.phases.isEmpty || spec.gpusPerReplica.isEmpty {
                outcome.problems.append("\(label): parsed a spec with an empty list")
                return
            }
            evaluate(spec, limit: 2_000, label: label, into: &outcome)
            // The writers on a small part of it: one row per cell, and a parseable JSON document.
            let part = Sweep(spec: small(spec, limit: 200))
            var csv = ""
            EvalWriter.writeCSV(part) { csv += $0 }
            let rows = csv.split(separator: "\n", omittingEmptySubsequences: false).count - 2
            if rows != part.spec.cellCount { outcome.problems.append("\(label): CSV has \(rows) rows for \(part.spec.cellCount) cells") }
            if (try? JSONSerialization.jsonObject(with: Data(EvalWriter.json(part).utf8))) == nil {
                outcome.problems.append("\(label): the JSON output does not parse")
            }
        } catch let e as RidgepointError {
            outcome.refused += 1
            if e.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                outcome.problems.append("\(label): RidgepointError with an empty message: \(e)")
            }
            if let line = e.line, line < 1 { outcome.problems.append("\(label): error names line \(line): \(e)") }
            if let column = e.column, column < 0 { outcome.problems.append("\(label): error names column \(column): \(e)") }
            if e.description.isEmpty { outcome.problems.append("\(label): empty description") }
        } catch {
            outcome.problems.append("\(label): threw \(type(of: error)) instead of a RidgepointError: \(error)")
        }
    }

    @Test func mutatedExampleSpecs() throws {
        let env = ProcessInfo.processInfo.environment
        let maxCases = Int(env["RIDGEPOINT_FUZZ_CASES"] ?? "") ?? 3_000
        let seed = UInt64(env["RIDGEPOINT_FUZZ_SEED"] ?? "") ?? 0x00C0_FFEE_5EED
        let seeds = try Self.seeds()
        #expect(seeds.count >= 4)
        // Every seed itself is valid.
        for s in seeds { _ = try Spec.parse(s.text, file: s.name, catalog: catalog) }

        var rng = SplitMix64(seed: seed)
        var outcome = Outcome()
        var cases = 0
        while cases < maxCases {
            let s = seeds[cases % seeds.count]
            var text = Self.mutate(s.text, &rng)
            // Cap the YAML: no case may be large enough to make the test slow.
            if text.utf8.count > 64 * 1024 { text = String(decoding: text.utf8.prefix(64 * 1024), as: UTF8.self) }
            let label = "case \(cases) (seed \(seed), from \(s.name))"
            Self.check(text, label: label, into: &outcome)
            if !outcome.problems.isEmpty && outcome.problems.count < 5 && outcome.problems.last?.hasPrefix(label) == true {
                outcome.problems[outcome.problems.count - 1] += "\n--- input ---\n\(text.prefix(2_000))\n---"
            }
            cases += 1
        }
        print("fuzz: \(cases) cases: \(outcome.parsed) parsed, "
              + "\(outcome.refused) refused with an error, \(outcome.cells) cells evaluated")
        #expect(outcome.refused > 0 && outcome.parsed > 0)
        #expect(outcome.problems.isEmpty, "\(outcome.problems.prefix(5).joined(separator: "\n\n"))")
    }

    /// Inputs the fuzzer once found to give non-finite results are now refused with a message.
    @Test func formerlyNonFiniteInputsAreRefused() throws {
        let inputs: [(String, String)] = [
            ("""
                gpus: [{id: my-card, memory_gb: 96, bandwidth_tbs: 4.0, bf16_tflops: 800, usd_per_hour: 2.2}]
                models: [llama-3-8b]
                gpus_per_replica: [2]
                """, "known.yaml:3: error: gpus_per_replica: GPU 'my-card' has no interconnect bandwidth, so it cannot form replicas of 2 GPUs\n  help: add `interconnect_gbs: <GB/s>` to its entry, or use gpus_per_replica: [1]"),
            ("""
                gpus: [h100-sxm]
                models: [llama-2-7b]
                contexts: [0]
                """, "known.yaml:3: error: contexts: a context of 0 tokens cannot be prefilled\n  help: use contexts of at least 1 token, or `phases: [decode]`"),
            ("""
                gpus: [{id: my-card, memory_gb: 96, bandwidth_tbs: 4.9e-324, bf16_tflops: 800, usd_per_hour: 2.2}]
                models: [llama-3-8b]
                """, "known.yaml:1:52: error: gpus[0].bandwidth_tbs: 4.9e-324 TB/s is implausibly small (minimum 0.001)"),
            ("""
                gpus: [h100-sxm]
                models: [llama-3-70b]
                gpus_per_replica: [2]
                efficiency: {compute: 1, memory: 1, interconnect: 1e-320}
                """, "known.yaml:4:51: error: efficiency.interconnect: 1e-320 fraction of peak is implausibly small (minimum 0.01)"),
        ]
        for (yaml, message) in inputs {
            do {
                _ = try Spec.parse(yaml, file: "known.yaml", catalog: catalog)
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect("\(error)" == message)
            }
        }
    }

    /// Raw bytes through `Spec.load`: invalid UTF-8, UTF-16, BOM, NUL, empty, huge.
    @Test func rawFilesThroughLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ridgepoint-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let valid = Array("gpus: [h100-sxm]\nmodels: [llama-3-8b]\n".utf8)
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("only-bom", [0xEF, 0xBB, 0xBF]),
            ("bom", [0xEF, 0xBB, 0xBF] + valid),
            ("invalid-utf8", valid + [0xFF, 0xFE, 0x80]),
            ("truncated-utf8", Array("title: caf".utf8) + [0xC3] + [0x0A] + valid),
            ("utf16", [0xFF, 0xFE] + valid.flatMap { [$0, 0] }),
            ("nul", Array("gpus: [h100-sxm\u{0}]\nmodels: [llama-3-8b]\n".utf8)),
            ("cr-only", Array("gpus: [h100-sxm]\rmodels: [llama-3-8b]\r".utf8)),
            ("too-big", Array(repeating: UInt8(ascii: "#"), count: 4_100_000)),
            ("deep", Array(("gpus: " + String(repeating: "[", count: 100_000)).utf8)),
            ("many-keys", Array((0..<20_000).map { "k\($0): 1\n" }.joined().utf8)),
        ]
        for (name, bytes) in cases {
            let path = dir.appendingPathComponent("\(name).yaml").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            do {
                let spec = try Spec.load(path: path, catalog: catalog)
                #expect(spec.cellCount >= 1, "\(name)")
            } catch let e as RidgepointError {
                #expect(!e.message.isEmpty, "\(name)")
                #expect(e.file == path, "\(name): \(e)")
                if let line = e.line { #expect(line >= 1, "\(name): \(e)") }
            }
        }
        #expect(throws: RidgepointError.self) { try Spec.load(path: dir.appendingPathComponent("missing.yaml").path, catalog: catalog) }
        #expect(throws: RidgepointError.self) { try Spec.load(path: dir.path, catalog: catalog) }
    }
}
