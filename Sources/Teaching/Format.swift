import Canvas
import Foundation
import RidgepointCore
import RidgepointFormatting

/// Number formatting for exercise sheets: locale-independent, deterministic, Pango markup.
public enum Num {
    /// `x` rounded to `sig` significant figures, trailing zeros dropped, thousands grouped;
    /// large and tiny numbers as "m × 10<sup>e</sup>". E.g. 156 → "156", 295.33 → "295.3",
    /// 2.035e8 → "2.035 × 10⁸" (markup), 0.000846 → "0.000846".
    public static func markup(_ x: Double, sig: Int = 4) -> String {
        formatted(x, sig: sig) { m, e in "\(m) × 10" + Markup.sup(e.description) }
    }

    /// The same as `markup` in plain text ("2.035e8" style for large numbers), for Markdown tables and tests.
    public static func plain(_ x: Double, sig: Int = 4) -> String {
        formatted(x, sig: sig) { m, e in "\(m)e\(e)" }
    }

    /// `x` to `sig` significant figures; beyond 10⁷ or below 10⁻⁴ as `scientific(mantissa, exponent)`.
    static func formatted(_ x: Double, sig: Int, scientific: (String, Int) -> String) -> String {
        guard x.isFinite else { return x.isNaN ? "—" : (x > 0 ? "∞" : "−∞") }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e7 || a < 1e-4 {
            let (m, e) = mantissa(x, sig: sig)
            return scientific(m, e)
        }
        return decimal(x, sig: sig)
    }

    /// Fixed-point with grouping and trailing zeros removed, every whole digit kept.
    static func decimal(_ x: Double, sig: Int) -> String { Fmt.decimal(x, sig: sig) }

    static func mantissa(_ x: Double, sig: Int) -> (String, Int) {
        let (m, e) = Fmt.scientificParts(x, sig: sig)
        return (m, e)
    }

    /// A value followed by its unit, with a decimal-prefixed companion for bytes and rates:
    /// `withUnit(16e9, "B")` → "16 × 10⁹ B (16 GB)".
    public static func withUnit(_ x: Double, _ unit: String, sig: Int = 4) -> String {
        let v = markup(x, sig: sig)
        switch unit {
        case "1", "":
            return v
        case "fraction":
            return "\(v) (\(percent(x)))"
        case "B", "B/s", "FLOP/s", "FLOP":
            if abs(x) >= 1e4 { return "\(v) \(unit) (\(Markup.escape(Fmt.si(x, unit, sig: sig))))" }
            return "\(v) \(unit)"
        case "s":
            return "\(v) s" + (abs(x) < 1 && x != 0 ? " (\(Fmt.duration(x, sig: sig)))" : "")
        default:
            return "\(v) \(Markup.escape(unit))"
        }
    }

    /// A fraction as a percentage with 2–3 significant figures: 0.000846 → "0.085 %".
    public static func percent(_ f: Double, sig: Int = 2) -> String {
        let p = f * 100
        if p == 0 { return "0 %" }
        return decimal(p, sig: abs(p) >= 10 ? 3 : sig) + " %"
    }

    /// Bytes in decimal and binary units: 819200 → "819,200 B = 819.2 kB = 800 KiB".
    public static func bytesBoth(_ b: Double) -> String {
        let binary: [(Double, String)] = [(1_099_511_627_776, "TiB"), (1_073_741_824, "GiB"), (1_048_576, "MiB"), (1024, "KiB")]
        var bin = ""
        for (p, s) in binary where b >= p { bin = " = " + decimal(b / p, sig: 4) + " " + s; break }
        return markup(b, sig: 6) + " B = " + Markup.escape(Fmt.si(b, "B", sig: 4)) + bin
    }
}

/// Markup for formula symbols.
enum Sym {
    static func s(_ base: String, _ sub: String? = nil, sup: String? = nil) -> String {
        var out = "<i>\(base)</i>"
        if let sub { out += Markup.sub(sub) }
        if let sup { out += Markup.sup(sup) }
        return out
    }
    /// Greek or upright symbol with an optional subscript.
    static func g(_ base: String, _ sub: String? = nil) -> String {
        sub.map { base + Markup.sub($0) } ?? base
    }
    static let ridge = "<i>I</i>" + Markup.sup("*")
    static func ridgeOf(_ sub: String) -> String { "<i>I</i>" + Markup.sup("*") + Markup.sub(sub) }
    static let pi = "Π", beta = "β"
    static let times = " × ", div = " ÷ "
    /// A number with unit in markup.
    static func v(_ x: Double, _ unit: String = "", sig: Int = 4) -> String {
        unit.isEmpty ? Num.markup(x, sig: sig) : Num.markup(x, sig: sig) + " " + Markup.escape(unit)
    }
}
