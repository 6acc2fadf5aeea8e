import Foundation

/// Exact-as-possible decimal arithmetic: `m × 10^e` with one rounding, and decimal exponents
/// that do not suffer from `log10` rounding just below a power of ten.
public enum Decimal10 {
    /// 10^n; exact for |n| ≤ 22, correctly rounded beyond.
    public static func pow10(_ n: Int) -> Double {
        // Powers of ten up to 1e22 are exact doubles (a table); beyond, Double("1e<n>") is correctly rounded.
        if n >= 0 && n < exact.count { return exact[n] }
        return Double("1e\(n)") ?? pow(10, Double(n))
    }
    private static let exact: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
    /// `m × 10^e`, correctly rounded for |m| < 2^53 and |e| ≤ 22.
    public static func value(_ m: Double, _ e: Int) -> Double {
        e >= 0 ? m * pow10(e) : m / pow10(-e)
    }
    /// floor(log10(|v|)), robust to log10 rounding just below an integer; 0 for 0 and non-finite.
    public static func exponent(_ v: Double) -> Int {
        let a = abs(v)
        guard a > 0, a.isFinite else { return 0 }
        var e = Int(floor(log10(a)))
        if value(1, e + 1) <= a { e += 1 } else if value(1, e) > a { e -= 1 }
        return e
    }
}

/// The building blocks every number style of `Fmt` is made of: rounding, digits, grouping,
/// signs, prefixes and exponents. Each rule is written here once.
extension Fmt {
    /// The minus sign of typeset text (U+2212). Tables, CSV and JSON use the ASCII hyphen.
    public static let minus = "\u{2212}"

    /// `x` rounded half away from zero at `decimals` places after the point; a negative count
    /// rounds to tens, hundreds, …: `rounded(2.345, decimals: 2) == 2.35`, `rounded(1234, decimals: -2) == 1200`.
    public static func rounded(_ x: Double, decimals d: Int) -> Double {
        d >= 0 ? (x * Decimal10.pow10(d)).rounded() / Decimal10.pow10(d)
               : (x / Decimal10.pow10(-d)).rounded() * Decimal10.pow10(-d)
    }

    /// Places after the point that `sig` significant figures of `x` reach (negative above 10^sig).
    public static func decimals(_ x: Double, sig: Int) -> Int { sig - 1 - Decimal10.exponent(x) }

    /// A decimal string without trailing zeros after the point, nor a bare point: "2.500" → "2.5", "3.0" → "3".
    public static func trimmingZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = Substring(s)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return String(t)
    }

    /// Thousands separators in the whole part of an unsigned decimal string: "1234567.5" → "1,234,567.5".
    public static func groupingDigits(_ s: String) -> String {
        let point = s.firstIndex(of: ".") ?? s.endIndex
        let whole = s[..<point]
        guard whole.count > 3 else { return s }
        var out = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out + s[point...]
    }

    /// `x` to `sig` significant figures, half away from zero, as a decimal string (never an exponent).
    /// - `keepWholeDigits`: every digit left of the point stays (123456 at 4 figures is "123456");
    ///   otherwise those are rounded too ("123500").
    /// - `trim`: trailing zeros after the point are dropped ("2.5", not "2.500").
    /// - `group`: thousands separators ("123,456").
    /// - `minus`: the sign of negative values (U+2212 by default).
    public static func decimal(_ x: Double, sig: Int, keepWholeDigits: Bool = true, trim: Bool = true,
                               group: Bool = true, minus: String = Fmt.minus) -> String {
        guard x.isFinite else { return g(x) }
        if x == 0 { return "0" }
        let a = abs(x)
        let d = decimals(a, sig: sig)
        let r = rounded(a, decimals: keepWholeDigits ? max(0, d) : d)
        var s = fixed(r, max(0, d))
        if trim { s = trimmingZeros(s) }
        if group { s = groupingDigits(s) }
        return x < 0 && s.contains(where: { $0 >= "1" && $0 <= "9" }) ? minus + s : s
    }

    /// A mantissa and decimal exponent, `x ≈ m × 10^e` with 1 ≤ |m| < 10 to `sig` figures
    /// (trailing zeros dropped, U+2212 for negatives): `scientificParts(2.035e8, sig: 4) == ("2.035", 8)`.
    public static func scientificParts(_ x: Double, sig: Int) -> (mantissa: String, exponent: Int) {
        guard x != 0, x.isFinite else { return (decimal(x, sig: sig), 0) }
        var e = Decimal10.exponent(x)
        var m = rounded(Decimal10.value(x, -e), decimals: sig - 1)
        // Rounding may carry into the next power: 9.9996 → 10.
        if abs(m) >= 10 { e += 1; m = rounded(Decimal10.value(x, -e), decimals: sig - 1) }
        return (decimal(m, sig: sig), e)
    }

    /// `v` with exactly `decimals` decimals for typeset text: U+2212 for negatives, never "−0",
    /// "NaN" and "∞" for non-finite values.
    public static func signedFixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "∞" : minus + "∞") }
        let s = fixed(abs(v), max(0, min(decimals, 17)))
        let isZero = !s.contains(where: { $0 >= "1" && $0 <= "9" })
        return v < 0 && !isZero ? minus + s : s
    }

    /// The fewest decimals (≤ 12) at which every value prints exactly (to 1e-9 of the largest).
    public static func sharedDecimals(_ values: [Double]) -> Int {
        let finite = values.filter(\.isFinite)
        let scale = finite.map { abs($0) }.max() ?? 0
        guard scale > 0 else { return 0 }
        let tol = scale * 1e-9
        for d in 0...12 {
            let f = Decimal10.pow10(d)
            if finite.allSatisfy({ abs(($0 * f).rounded() / f - $0) <= tol }) { return d }
        }
        return 12
    }

    /// SI prefixes by power of ten. Micro is U+00B5 MICRO SIGN in every output.
    static let siPrefixes: [Int: String] = [
        -24: "y", -21: "z", -18: "a", -15: "f", -12: "p", -9: "n", -6: "\u{00B5}", -3: "m",
        0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E", 21: "Z", 24: "Y",
    ]

    /// `x` as a mantissa of `sig` figures (1 ≤ |m| < 1000, trailing zeros dropped) and an SI
    /// prefix; rounding carries into the next prefix (999.7 at 3 figures → "1", "k").
    public static func siParts(_ x: Double, sig: Int, minus: String) -> (number: String, prefix: String) {
        guard x != 0, x.isFinite else { return (x == 0 ? "0" : g(x), "") }
        var e3 = min(24, max(-24, Int((Double(Decimal10.exponent(x)) / 3).rounded(.down)) * 3))
        var m = Decimal10.value(x, -e3)
        if abs(rounded(m, decimals: max(0, decimals(m, sig: sig)))) >= 1000 && e3 < 24 {
            e3 += 3
            m = Decimal10.value(x, -e3)
        }
        return (decimal(m, sig: sig, group: false, minus: minus), siPrefixes[e3] ?? "")
    }

    /// Unicode superscript digits for an exponent: `superscript(-12) == "⁻¹²"`.
    public static func superscript(_ e: Int) -> String {
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶",
                                              "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return String(String(e).map { digits[$0] ?? $0 })
    }
}
