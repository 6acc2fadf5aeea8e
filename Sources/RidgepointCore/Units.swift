import Foundation

/// Numeric formats for weights, KV cache and tensor-core math.
public enum Precision: String, CaseIterable, Sendable, Codable, Comparable {
    case fp32, tf32, bf16, fp16, fp8, int8, int4, fp4

    /// Bytes per element: fp16/bf16 2, fp8/int8 1, int4/fp4 0.5 (tf32 occupies 4 in memory).
    public var bytes: Double {
        switch self {
        case .fp32, .tf32: return 4
        case .bf16, .fp16: return 2
        case .fp8, .int8: return 1
        case .int4, .fp4: return 0.5
        }
    }
    public static func < (a: Precision, b: Precision) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Formats weights can be stored in (`--weights`).
public enum WeightFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp16, fp8, int8, int4
    public var precision: Precision { Precision(rawValue: rawValue)! }
    public var bytes: Double { precision.bytes }
}

/// Formats the KV cache can be stored in (`--kv`).
public enum KVFormat: String, CaseIterable, Sendable, Codable {
    case bf16, fp16, fp8, int8
    public var precision: Precision { Precision(rawValue: rawValue)! }
    public var bytes: Double { precision.bytes }
}

/// Deterministic, locale-independent number formatting used by every output.
public enum Fmt {
    /// `%.{sig}g`, e.g. `g(295.3) == "295.3"`, `g(1.2e-7) == "1.2e-07"`.
    public static func g(_ x: Double, _ sig: Int = 6) -> String {
        if x == 0 { return "0" }
        return String(format: "%.\(sig)g", x)
    }
    /// Fixed decimals, e.g. `fixed(2.5, 2) == "2.50"`.
    public static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
    /// Thousands separators, e.g. `grouped(819200) == "819,200"`.
    public static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
    /// Rounded to `sig` significant figures and grouped, e.g. `sig(11856.3, 3) == "11,900"`.
    public static func sigGrouped(_ x: Double, _ sig: Int = 3) -> String {
        if x == 0 || !x.isFinite { return g(x) }
        let mag = floor(log10(abs(x)))
        let scale = pow(10, mag - Double(sig - 1))
        let r = (x / scale).rounded() * scale
        if abs(r) >= 1000 { return grouped(Int(r.rounded())) }
        let decimals = max(0, Int(Double(sig - 1) - mag))
        return fixed(r, decimals)
    }
    /// SI-prefixed value with a unit, e.g. `si(3.35e12, "B/s") == "3.35 TB/s"`.
    public static func si(_ x: Double, _ unit: String = "", sig: Int = 3) -> String {
        let prefixes: [(Double, String)] = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"),
                                            (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p")]
        if x == 0 { return "0 \(unit)".trimmingCharacters(in: .whitespaces) }
        for (p, s) in prefixes where abs(x) >= p * 0.9995 {
            return "\(g(x / p, sig)) \(s)\(unit)".trimmingCharacters(in: .whitespaces)
        }
        return "\(g(x, sig)) \(unit)".trimmingCharacters(in: .whitespaces)
    }
    /// A duration in s, ms or µs, e.g. `duration(0.0042) == "4.2 ms"`.
    public static func duration(_ s: Double, sig: Int = 3) -> String {
        if s >= 1 { return "\(g(s, sig)) s" }
        if s >= 1e-3 { return "\(g(s * 1e3, sig)) ms" }
        return "\(g(s * 1e6, sig)) µs"
    }
    /// Bytes in decimal units (GB = 1e9 B), e.g. `bytes(819200) == "819.2 kB"`.
    public static func bytes(_ b: Double, sig: Int = 4) -> String { si(b, "B", sig: sig) }
}
