import Foundation

/// Deterministic, locale-independent number formatting used by every output.
public enum Fmt {
    /// `%.{sig}g`, e.g. `g(295.3) == "295.3"`, `g(1.2e-7) == "1.2e-07"`.
    /// (`FastFormat` writes it; this is the one `%g` of every output.)
    public static func g(_ x: Double, _ sig: Int = 6) -> String { FastFormat.g(x, sig) }
    /// Fixed decimals, e.g. `fixed(2.5, 2) == "2.50"`.
    public static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
    /// Thousands separators, e.g. `grouped(819200) == "819,200"`.
    public static func grouped(_ n: Int) -> String {
        (n < 0 ? "-" : "") + groupingDigits(String(n.magnitude))
    }
    /// Rounded to `sig` significant figures and grouped, e.g. `sig(11856.3, 3) == "11,900"`;
    /// from 1,000 on, whole numbers.
    public static func sigGrouped(_ x: Double, _ sig: Int = 3) -> String {
        if x == 0 || !x.isFinite { return g(x) }
        let d = decimals(x, sig: sig)
        let r = rounded(x, decimals: d)
        if abs(r) >= 1000 { return (r < 0 ? "-" : "") + groupingDigits(fixed(abs(r).rounded(), 0)) }
        return fixed(r, max(0, d))
    }
    /// SI-prefixed value with a unit, e.g. `si(3.35e12, "B/s") == "3.35 TB/s"`.
    public static func si(_ x: Double, _ unit: String = "", sig: Int = 3) -> String {
        let (number, prefix) = siParts(x, sig: sig, minus: "-")
        return "\(number) \(prefix)\(unit)".trimmingCharacters(in: .whitespaces)
    }
    /// A duration in s, ms or µs, e.g. `duration(0.0042) == "4.2 ms"`; from 1,000 s on, rounded
    /// and grouped (`duration(1003) == "1,000 s"`, never "1e+03 s").
    public static func duration(_ s: Double, sig: Int = 3) -> String {
        if s >= 1000, s.isFinite { return "\(sigGrouped(s, sig)) s" }
        if s >= 1 { return "\(g(s, sig)) s" }
        if s >= 1e-3 { return "\(g(s * 1e3, sig)) ms" }
        return "\(g(s * 1e6, sig)) µs"
    }
    /// Dollars without the sign, never in scientific notation: 3 significant figures below a
    /// cent, else 3 decimals under $10 and 2 above, grouped, e.g. `money(0.0000064) == "0.00000640"`,
    /// `money(0.00423) == "0.00423"`, `money(1.5) == "1.500"`, `money(1234.5) == "1,234.50"`.
    public static func money(_ x: Double) -> String {
        guard x.isFinite else { return g(x) }
        if x == 0 { return "0" }
        let a = abs(x)
        if a < 0.01 {
            return fixed(x, min(12, 2 - Int(floor(log10(a)))))
        }
        let digits = a < 10 ? 3 : 2
        if a < 1000 { return fixed(x, digits) }
        let cents = (a * 100).rounded()
        let whole = grouped(Int(cents / 100)), frac = Int(cents.truncatingRemainder(dividingBy: 100))
        return (x < 0 ? "-" : "") + whole + "." + (frac < 10 ? "0" : "") + String(frac)
    }
    /// Dollars to three significant figures, grouped, never in scientific notation: for
    /// figures compared side by side, e.g. `usd3(0.01612) == "0.0161"`, `usd3(5.146) == "5.15"`,
    /// `usd3(24090) == "24,100"`.
    public static func usd3(_ x: Double) -> String { x.isFinite ? sigGrouped(x, 3) : g(x) }
    /// A count with its noun, singular for one: `count(1, "replica") == "1 replica"`.
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(grouped(n)) " + (n == 1 ? noun : (plural ?? noun + "s"))
    }
    /// A stated quantity as a person wrote it: up to 4 significant figures, grouped, no
    /// exponent and no trailing zeros, e.g. `number(10000) == "10,000"`, `number(2.5) == "2.5"`.
    public static func number(_ x: Double, sig: Int = 4) -> String {
        guard x.isFinite else { return g(x) }
        if x == 0 { return "0" }
        if abs(x) >= 1000 && abs(x) < 9e15 { return sigGrouped(x, max(sig, Int(floor(log10(abs(x)))) + 1)) }
        return trimmingZeros(sigGrouped(x, sig))
    }
    /// A count of GPUs with the right noun: `gpus(1) == "1 GPU"`, `gpus(8) == "8 GPUs"`.
    public static func gpus(_ n: Int) -> String { n == 1 ? "1 GPU" : "\(grouped(n)) GPUs" }

    /// "a", "a and b", "a, b and c".
    public static func sentenceList(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }
    /// A fraction as a percentage with two significant figures: `percent(0.123) == "12 %"`.
    /// The space before the sign is a no-break space, so a line never ends between them.
    public static func percent(_ x: Double) -> String { "\(sigGrouped(x * 100, 2))\u{00A0}%" }
    /// Bytes in decimal units (GB = 1e9 B), e.g. `bytes(819200) == "819.2 kB"`.
    public static func bytes(_ b: Double, sig: Int = 4) -> String { si(b, "B", sig: sig) }
}
