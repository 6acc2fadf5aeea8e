import Canvas
import Foundation

/// How tick values become label text. Every case returns Pango markup (user strings such
/// as units and currency symbols are escaped). Negative numbers use the minus sign U+2212.
///
/// ```swift
/// TickFormat.si(unit: "FLOP/s").label(1e12)   // "1 TFLOP/s"
/// TickFormat.si().label(2500)                  // "2.5 k"
/// TickFormat.scientific().label(1e12)          // "1e12"
/// TickFormat.currency().label(0.12)            // "$0.12"
/// TickFormat.percent().label(0.25)             // "25%"
/// ```
public enum TickFormat: Sendable, Hashable {
    /// Plain numbers for linear axes within 0.01…100 000, SI prefixes otherwise;
    /// on log axes plain within 0.001…10 000, SI prefixes otherwise.
    case auto
    /// SI prefix (p n µ m – k M G T P E …) with up to three significant digits and an
    /// optional unit written right after the prefix: "1 T", "500 m", "1 TFLOP/s", "0".
    case si(unit: String = "")
    /// "1e12", "2.5e-3"; with `superscript`, "10¹²"-style markup (10 + `Markup.sup`), "2.5×10…".
    case scientific(superscript: Bool = false)
    /// The fewest decimals that print every tick exactly; on linear axes all ticks share them
    /// ("0.0", "0.5", "1.0"), on log axes each value is minimal ("0.1", "1", "10").
    case plain
    /// Exactly `digits` decimals.
    case fixed(digits: Int)
    /// The value × 100 with a percent sign; nil digits = as few as needed.
    case percent(digits: Int? = nil)
    /// "$0.12", "$1.50", "−$3"; nil digits = 0 when all values are whole, else at least 2.
    case currency(symbol: String = "$", digits: Int? = nil)
    /// A categorical axis: a tick at each whole number 0 … n − 1 labelled with the category's
    /// name (markup), e.g. the inputs of a tornado chart.
    case categories([String])

    /// The label for one value (formats as a one-element tick list).
    public func label(_ v: Double) -> String { labels([v], scale: .linear).first ?? "" }

    /// Labels for a list of tick values, formatted consistently (shared decimals).
    public func labels(_ values: [Double], scale: ScaleKind = .linear) -> [String] {
        switch self {
        case .auto:
            let maxAbs = values.map { abs($0) }.max() ?? 0
            let nonzeroMin = values.map { abs($0) }.filter { $0 > 0 }.min() ?? 0
            let plainOK: Bool
            if scale == .log {
                plainOK = maxAbs < 1e4 + 1e-9 && (nonzeroMin == 0 || nonzeroMin >= 1e-3 * (1 - 1e-9))
            } else {
                plainOK = maxAbs < 1e5 && (maxAbs == 0 || maxAbs >= 1e-2)
            }
            return plainOK ? TickFormat.plain.labels(values, scale: scale) : TickFormat.si().labels(values, scale: scale)
        case .si(let unit):
            return values.map { NumberText.si($0, unit: Markup.escape(unit)) }
        case .scientific(let sup):
            return values.map { NumberText.scientific($0, superscript: sup) }
        case .plain:
            // Linear axes share decimals ("0.0", "0.5"); log axes print each value minimally ("0.1", "1", "10").
            if scale == .log { return values.map { NumberText.fixed($0, decimals: NumberText.sharedDecimals([$0])) } }
            let d = NumberText.sharedDecimals(values)
            return values.map { NumberText.fixed($0, decimals: d) }
        case .fixed(let digits):
            return values.map { NumberText.fixed($0, decimals: max(0, digits)) }
        case .percent(let digits):
            let scaled = values.map { $0 * 100 }
            let d = digits ?? NumberText.sharedDecimals(scaled)
            return scaled.map { NumberText.fixed($0, decimals: max(0, d)) + "%" }
        case .categories(let names):
            return values.map { v in
                let i = Int(v.rounded())
                return names.indices.contains(i) && abs(v - Double(i)) < 1e-9 ? names[i] : ""
            }
        case .currency(let symbol, let digits):
            let d: Int
            if let digits { d = max(0, digits) } else {
                let shared = NumberText.sharedDecimals(values)
                d = shared == 0 ? 0 : max(2, shared)
            }
            let sym = Markup.escape(symbol)
            return values.map { v in
                let body = NumberText.fixed(abs(v), decimals: d)
                return (v < 0 && body.contains(where: { $0 != "0" && $0 != "." }) ? "\u{2212}" : "") + sym + body
            }
        }
    }
}

/// Number-to-text helpers shared by the formatters (locale-independent).
public enum NumberText {
    static let minus = "\u{2212}"

    /// `v` with exactly `decimals` decimals, U+2212 for negatives, never "−0".
    public static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "∞" : minus + "∞") }
        var s = String(format: "%.\(max(0, min(decimals, 17)))f", abs(v))
        let isZero = !s.contains(where: { $0 >= "1" && $0 <= "9" })
        if v < 0 && !isZero { s = minus + s }
        return s
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

    /// Up to `significant` significant digits, trailing zeros removed: 2.5, 100, 0.125.
    public static func trimmed(_ v: Double, significant: Int = 3) -> String {
        guard v != 0 else { return "0" }
        let e = Decimal10.exponent(v)
        let decimals = max(0, significant - 1 - e)
        var s = fixed(v, decimals: decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// SI prefixes by power of ten. Micro is U+00B5 MICRO SIGN, as in every other Ridgepoint
    /// output (`Fmt.si`, `Fmt.duration`, the catalogs); it was U+03BC here.
    static let prefixes: [Int: String] = [
        -24: "y", -21: "z", -18: "a", -15: "f", -12: "p", -9: "n", -6: "\u{00B5}", -3: "m",
        0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E", 21: "Z", 24: "Y",
    ]

    /// SI-prefixed value: "1 T", "2.5 k", "500 m", "1 TFLOP/s", "0 FLOP/s", "3" (no unit, no prefix).
    public static func si(_ v: Double, unit: String = "") -> String {
        guard v.isFinite else { return fixed(v, decimals: 0) }
        func join(_ number: String, _ prefix: String) -> String {
            let tail = prefix + unit
            return tail.isEmpty ? number : number + " " + tail
        }
        guard v != 0 else { return join("0", "") }
        var e3 = Int((Double(Decimal10.exponent(v)) / 3).rounded(.down)) * 3
        e3 = min(24, max(-24, e3))
        var mant = Decimal10.value(v, -e3)
        // Three significant digits; rounding may carry into the next prefix (999.7 → 1 k).
        var text = trimmed(mant, significant: 3)
        if abs(Double(text.replacingOccurrences(of: minus, with: "-")) ?? 0) >= 1000 && e3 < 24 {
            e3 += 3
            mant = Decimal10.value(v, -e3)
            text = trimmed(mant, significant: 3)
        }
        return join(text, prefixes[e3] ?? "")
    }

    /// "1e12", "2.5e-3", "0"; with `superscript` Pango markup "10<sup>12</sup>", "2.5×10<sup>−3</sup>".
    public static func scientific(_ v: Double, superscript: Bool) -> String {
        guard v != 0, v.isFinite else { return fixed(v, decimals: 0) }
        var e = Decimal10.exponent(v)
        var mant = trimmed(Decimal10.value(v, -e), significant: 3)
        if mant == "10" || mant == minus + "10" {
            e += 1; mant = trimmed(Decimal10.value(v, -e), significant: 3)
        }
        if superscript {
            let exp = e < 0 ? minus + String(-e) : String(e)
            let pow = "10" + Markup.sup(exp)
            if mant == "1" { return pow }
            if mant == minus + "1" { return minus + pow }
            return mant + "\u{00D7}" + pow
        }
        return mant.replacingOccurrences(of: minus, with: "-") + "e" + String(e)
    }
}
