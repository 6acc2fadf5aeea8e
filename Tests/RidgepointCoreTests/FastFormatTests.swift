import Foundation
@testable import RidgepointCore
import RidgepointFormatting
import Testing

// SplitMix64 is defined in FuzzTests.swift.

@Suite("FastFormat")
struct FastFormatTests {
    /// What `Fmt.g` printed before `FastFormat` existed: `String(format:)`, "0" for ±0.
    static func reference(_ x: Double, _ sig: Int) -> String {
        if x == 0 { return "0" }
        return String(format: "%.\(sig)g", x)
    }

    static func check(_ x: Double, _ sig: Int, _ failures: inout [String]) {
        let got = FastFormat.g(x, sig), want = reference(x, sig)
        if got != want, failures.count < 20 { failures.append("\(x.bitPattern) (\(x)) sig \(sig): \(got) ≠ \(want)") }
    }

    /// Ties, carries, boundaries between fixed and exponent notation, powers of ten ± 1 ulp.
    static var edgeCases: [Double] {
        var xs: [Double] = [1, -1, 0.5, 2.5, 1.5, 0.0001, 0.00001, 0.000099999949, 0.0000999999951, 99999.95,
                            999999.5, 999999.4999999999, 999999.5000000001, 9.999995, 9.9999949999, 1.234565,
                            1.2345650000000001, 123456.5, 1234565, 1234575, 2.5e-5, 1e15, 1e16, 1e22, 1e23,
                            123456789, 1e-300, 2.2250738585072014e-308, .greatestFiniteMagnitude,
                            .leastNormalMagnitude, .leastNonzeroMagnitude, .pi, -.pi, 1e21 + 65536, 0.1, 0.2, 0.3,
                            1.0 / 3, 2.0 / 3, 100000, 999999, 1000000, 9999995, 99999.5, 0.000123456789, 1e100, -0.0,
                            .infinity, -.infinity, .nan, 1.00000049999999999, 1.0000005, 8e+10, 1.6e10, 131072]
        for e in -30...30 {
            let p = pow(10.0, Double(e))
            xs += [p, p.nextUp, p.nextDown, p * 0.999_999_5, p * 9.999_995, p * 1.000_005, p * 5, p * 1.5]
        }
        // Exact ties at every digit position: n + 0.5 and (2k+1)·5·10^j.
        for n in [0.5, 1.5, 2.5, 12345.5, 123456.5, 1234567.5, 99999.5, 999999.5] { xs += [n, -n] }
        for j in 0...15 { for k in [1, 12345, 123455, 999995, 100005] { xs.append(Double(k) * pow(10.0, Double(j))) } }
        return xs
    }

    @Test func edgeCasesMatchStringFormat() {
        var failures: [String] = []
        for x in Self.edgeCases {
            for sig in 1...12 { Self.check(x, sig, &failures) }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Random bit patterns (every exponent), log-uniform magnitudes over the range the matrix
    /// produces, short decimals (ties after rounding are common there), and integers.
    @Test func millionsOfRandomValuesMatchStringFormat() {
        let count = Int(ProcessInfo.processInfo.environment["RIDGEPOINT_FORMAT_CHECKS"] ?? "") ?? 2_000_000
        var rng = SplitMix64(seed: 0x5EED_F0A7)
        var failures: [String] = []
        for i in 0..<count {
            let x: Double
            switch i % 4 {
            case 0: x = Double(bitPattern: rng.next())
            case 1: x = pow(10, Double.random(in: -12...24, using: &rng)) * (rng.next() & 1 == 0 ? 1 : -1)
            case 2:
                // d.ddddddd × 10^e with 7–8 digits: the 7th digit is often a 5.
                let digits = Double(rng.next() % 100_000_000)
                x = digits * pow(10, Double(Int(rng.next() % 40) - 20))
            default: x = Double(Int64(bitPattern: rng.next()) >> (rng.next() % 63))
            }
            Self.check(x, i % 16 < 12 ? 6 : Int(rng.next() % 12) + 1, &failures)
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func appendAndIntegers() {
        var bytes: [UInt8] = []
        FastFormat.appendG(1.2e10, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "1.2e+10")
        var rng = SplitMix64(seed: 7)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 24)
        defer { buffer.deallocate() }
        for v in [0, 1, -1, 9, 10, 99, 100, Int.max, Int.min] + (0..<10_000).map({ _ in Int(bitPattern: UInt(rng.next())) >> (rng.next() % 64) }) {
            let n = FastFormat.writeInt(v, to: buffer)
            #expect(String(decoding: UnsafeBufferPointer(start: buffer, count: n), as: UTF8.self) == String(v))
        }
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    /// The CSV as the original implementation built it: per cell, every field as a String
    /// (numbers through `String(format: "%.6g")`), RFC 4180 quoting, joined with commas.
    static func referenceCSV(_ sweep: Sweep) -> String {
        func num(_ x: Double) -> String { x.isFinite ? FastFormatTests.reference(x, 6) : "" }
        func quote(_ s: String) -> String {
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
        var out = EvalWriter.csvColumns.joined(separator: ",") + "\n"
        sweep.forEachRow { row in
            let fields = EvalSchema.columns.map { c -> String in
                switch c.value(row) {
                case .text(let t): return t
                case .integer(let n): return String(n)
                case .number(let x): return num(x)
                case .boolean(let b): return b ? "true" : "false"
                case .empty: return ""
                }
            }
            out += fields.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func spec(_ yaml: String) throws -> Spec { try Spec.parse(yaml, file: "test.yaml", catalog: catalog) }

    @Test func matchesTheReferenceOnThousandsOfCells() throws {
        let specs = [
            // 4 GPUs × 4 models × 7 × 5 × 2 phases × 3 = 3,360 cells: dense, MoE, MLA, tensor parallel.
            """
            gpus: [a100-80gb, h100-sxm, mi300x, l4]
            models: [llama-3-8b, mixtral-8x7b, deepseek-v3, llama-3.1-405b]
            batch_sizes: [1, 3, 64, 256, 1000, 4096, 1000000]
            contexts: [1, 2, 4096, 32768, 1000000]
            phases: [decode, prefill]
            gpus_per_replica: [1, 3, 8]
            """,
            // S = 0 (decode only: nothing is cached yet).
            """
            gpus: [h100-sxm, l4]
            models: [llama-3-8b, deepseek-v3]
            batch_sizes: [1, 64]
            contexts: [0]
            phases: [decode]
            gpus_per_replica: [1, 2]
            """,
            // Other conventions, precisions, efficiency and a price override.
            """
            gpus: [h100-sxm, {id: h200-quote_2+x, base: h200, usd_per_hour: 1.85}]
            models: [llama-2-7b, {id: tiny, layers: 2, hidden_size: 256, attention_heads: 4, intermediate_size: 512, vocab_size: 1000}]
            batch_sizes: [1, 7, 844]
            contexts: [1, 512, 8192]
            precision: {weights: fp8, kv: fp8}
            gpus_per_replica: [1, 2, 4]
            convention: seed-003
            efficiency: calibrated
            prices: {h100-sxm: 2.75}
            """,
            """
            gpus: [b200, p100]
            models: [qwen2.5-72b]
            batch_sizes: [1, 2, 5]
            contexts: [100, 200]
            precision: {weights: int4, kv: int8}
            convention: seed-002
            efficiency: {compute: 0.5, memory: 0.25, interconnect: 0.125}
            """,
        ]
        var total = 0
        for yaml in specs {
            let sweep = Sweep(spec: try Self.spec(yaml))
            var chunks: [String] = []
            EvalWriter.writeCSV(sweep) { chunks.append($0) }
            let got = chunks.joined()
            let want = Self.referenceCSV(sweep)
            #expect(got == want)
            #expect(EvalWriter.csv(sweep) == want)
            // Chunks end at row ends.
            #expect(chunks.allSatisfy { $0.isEmpty || $0.hasSuffix("\n") })
            total += sweep.spec.cellCount
        }
        #expect(total >= 3_500)
    }

    @Test func chunksStayBoundedOnALargeSweep() throws {
        let sweep = Sweep(spec: try Self.spec("""
            gpus: [h100-sxm, h200]
            models: [llama-3-70b, deepseek-v3]
            batch_sizes: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
            contexts: [128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]
            """))
        var chunks = 0, biggest = 0, text = ""
        EvalWriter.writeCSV(sweep) { chunks += 1; biggest = max(biggest, $0.utf8.count); text += $0 }
        #expect(chunks > 1)
        #expect(biggest < 70_000)
        #expect(text == Self.referenceCSV(sweep))
    }
}

@Suite struct DurationFormatTests {
    /// Durations read in s, ms or µs; long ones are grouped, never in scientific notation
    /// (a 1,000 s decode step at a huge context printed "1e+03 s").
    @Test func durationsAreReadable() {
        #expect(Fmt.duration(0.0042) == "4.2 ms" && Fmt.duration(0.000006) == "6 µs" && Fmt.duration(3.92) == "3.92 s")
        #expect(Fmt.duration(839) == "839 s")
        #expect(Fmt.duration(1003) == "1,000 s" && Fmt.duration(12_345) == "12,300 s")
    }
}
