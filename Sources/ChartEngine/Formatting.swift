import Canvas
import Foundation
import RidgepointFormatting

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
            return values.map { TickFormat.si($0, unit: Markup.escape(unit)) }
        case .scientific(let sup):
            return values.map { TickFormat.scientific($0, superscript: sup) }
        case .plain:
            // Linear axes share decimals ("0.0", "0.5"); log axes print each value minimally ("0.1", "1", "10").
            if scale == .log { return values.map { Fmt.signedFixed($0, decimals: Fmt.sharedDecimals([$0])) } }
            let d = Fmt.sharedDecimals(values)
            return values.map { Fmt.signedFixed($0, decimals: d) }
        case .fixed(let digits):
            return values.map { Fmt.signedFixed($0, decimals: max(0, digits)) }
        case .percent(let digits):
            let scaled = values.map { $0 * 100 }
            let d = digits ?? Fmt.sharedDecimals(scaled)
            return scaled.map { Fmt.signedFixed($0, decimals: max(0, d)) + "%" }
        case .categories(let names):
            return values.map { v in
                let i = Int(v.rounded())
                return names.indices.contains(i) && abs(v - Double(i)) < 1e-9 ? names[i] : ""
            }
        case .currency(let symbol, let digits):
            let d: Int
            if let digits { d = max(0, digits) } else {
                let shared = Fmt.sharedDecimals(values)
                d = shared == 0 ? 0 : max(2, shared)
            }
            let sym = Markup.escape(symbol)
            return values.map { v in
                let body = Fmt.signedFixed(abs(v), decimals: d)
                return (v < 0 && body.contains(where: { $0 != "0" && $0 != "." }) ? "\u{2212}" : "") + sym + body
            }
        }
    }
}

extension TickFormat {
    /// SI-prefixed value with three significant figures: "1 T", "2.5 k", "500 m", "1 TFLOP/s",
    /// "0 FLOP/s", "3" (no unit, no prefix).
    static func si(_ v: Double, unit: String) -> String {
        guard v.isFinite else { return Fmt.signedFixed(v, decimals: 0) }
        let (number, prefix) = Fmt.siParts(v, sig: 3, minus: Fmt.minus)
        let tail = prefix + unit
        return tail.isEmpty ? number : number + " " + tail
    }

    /// "1e12", "2.5e-3", "0"; with `superscript` Pango markup "10<sup>12</sup>", "2.5×10<sup>−3</sup>".
    static func scientific(_ v: Double, superscript: Bool) -> String {
        guard v != 0, v.isFinite else { return Fmt.signedFixed(v, decimals: 0) }
        let (mant, e) = Fmt.scientificParts(v, sig: 3)
        if superscript {
            let pow = "10" + Markup.sup(e < 0 ? Fmt.minus + String(-e) : String(e))
            if mant == "1" { return pow }
            if mant == Fmt.minus + "1" { return Fmt.minus + pow }
            return mant + "\u{00D7}" + pow
        }
        return mant.replacingOccurrences(of: Fmt.minus, with: "-") + "e" + String(e)
    }
}
