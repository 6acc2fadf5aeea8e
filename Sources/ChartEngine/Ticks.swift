import Foundation
import RidgepointFormatting

/// One tick position in data space; minor ticks are drawn shorter and never labelled.
public struct TickValue: Sendable, Hashable {
    public var value: Double
    public var isMajor: Bool
    public init(_ value: Double, isMajor: Bool = true) { self.value = value; self.isMajor = isMajor }
}

/// A strategy that chooses tick positions for a data domain.
public protocol TickLocator: Sendable {
    /// Ticks inside `domain` (bounds included), in increasing order.
    func ticks(in domain: ClosedRange<Double>) -> [TickValue]
}

/// A nice tick step `mantissa × 10^exponent` with mantissa 1, 2 or 5.
public struct NiceStep: Sendable, Hashable {
    public var mantissa: Int
    public var exponent: Int
    public var value: Double { Decimal10.value(Double(mantissa), exponent) }
    /// `k × step`, computed with a single rounding so that 3 × 0.1 is exactly `0.3`.
    public func multiple(_ k: Int) -> Double { Decimal10.value(Double(k * mantissa), exponent) }
}

/// Linear "nice" ticks on multiples of 1, 2 or 5 × 10^k (Heckbert's nice numbers), choosing
/// the step whose tick count is closest to `targetCount` (ties go to the larger step).
///
/// ```swift
/// LinearTickLocator(targetCount: 5).ticks(in: 0...1).map(\.value) // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// ```
public struct LinearTickLocator: TickLocator {
    /// Desired number of ticks (at least 2).
    public var targetCount: Int
    public init(targetCount: Int = 5) { self.targetCount = max(2, targetCount) }

    /// Best step for `domain`; with `niced`, counts ticks of the domain extended to the step.
    public static func step(for domain: ClosedRange<Double>, targetCount: Int, niced: Bool = false) -> NiceStep {
        let d = LinearScale.nondegenerate(domain)
        let lo = d.lowerBound, hi = d.upperBound
        let raw = (hi - lo) / Double(max(1, targetCount - 1))
        let e0 = Decimal10.exponent(raw)
        var best: (score: Double, step: NiceStep)?
        for e in (e0 - 1)...(e0 + 1) {
            for m in [1, 2, 5] {
                let s = NiceStep(mantissa: m, exponent: e)
                let sv = s.value
                let count: Double
                if niced {
                    count = (hi / sv - 1e-9).rounded(.up) - (lo / sv + 1e-9).rounded(.down) + 1
                } else {
                    count = (hi / sv + 1e-9).rounded(.down) - (lo / sv - 1e-9).rounded(.up) + 1
                }
                var score = abs(count - Double(targetCount))
                if count < 2 { score += 100 }
                // Iterating from small to large steps: `<=` lets the larger step win ties.
                if best == nil || score <= (best?.score ?? .infinity) { best = (score, s) }
            }
        }
        return best?.step ?? NiceStep(mantissa: 1, exponent: e0)
    }

    /// Every multiple of the nice step inside `domain`, all major (just the two bounds if none can be counted).
    public func ticks(in domain: ClosedRange<Double>) -> [TickValue] {
        let d = LinearScale.nondegenerate(domain)
        guard d.lowerBound.isFinite, d.upperBound.isFinite else { return [] }
        let step = Self.step(for: d, targetCount: targetCount)
        let sv = step.value
        let k0 = (d.lowerBound / sv - 1e-9).rounded(.up), k1 = (d.upperBound / sv + 1e-9).rounded(.down)
        guard abs(k0) < 1e15, abs(k1) < 1e15, k1 >= k0 else { return [TickValue(d.lowerBound), TickValue(d.upperBound)] }
        return (Int(k0)...Int(k1)).map { TickValue(step.multiple($0)) }
    }

    /// `domain` extended outwards to multiples of its nice step.
    public static func nicedDomain(_ domain: ClosedRange<Double>, targetCount: Int = 5) -> ClosedRange<Double> {
        let d = LinearScale.nondegenerate(domain)
        let step = Self.step(for: d, targetCount: targetCount, niced: true)
        let sv = step.value
        let k0 = (d.lowerBound / sv + 1e-9).rounded(.down), k1 = (d.upperBound / sv - 1e-9).rounded(.up)
        guard abs(k0) < 1e15, abs(k1) < 1e15 else { return d }
        return step.multiple(Int(k0))...step.multiple(Int(k1))
    }
}

/// Base-10 log ticks, after matplotlib's `LogLocator`:
/// - one major tick per decade; when more than `maxMajorCount` decades are covered, every
///   n-th decade (n from 2, 3, 4, 5, 6, 10, …) is major and the skipped decades become minor ticks;
/// - minor ticks at 2…9 × 10^k when the domain spans at most `minorMaxDecades` decades;
/// - a domain holding fewer than two powers of ten (e.g. 2…8) gets 1-2-5 × 10^k ticks, or
///   1…9 × 10^k when that gives fewer than three, or linear nice ticks as a last resort, so
///   that there are always at least two labelled ticks.
public struct LogTickLocator: TickLocator {
    /// Most major decades shown before whole decades are skipped (at least 2).
    public var maxMajorCount: Int
    /// Widest span, in decades, that still gets minor ticks at 2…9 × 10^k.
    public var minorMaxDecades: Double
    public init(maxMajorCount: Int = 8, minorMaxDecades: Double = 6) {
        self.maxMajorCount = max(2, maxMajorCount); self.minorMaxDecades = minorMaxDecades
    }

    public func ticks(in domain: ClosedRange<Double>) -> [TickValue] {
        guard domain.lowerBound > 0, domain.upperBound.isFinite, domain.lowerBound.isFinite else { return [] }
        let lo = domain.lowerBound * (1 - 1e-9), hi = domain.upperBound * (1 + 1e-9)
        var d0 = Decimal10.exponent(lo)
        if Decimal10.value(1, d0) < lo { d0 += 1 }
        let d1 = Decimal10.exponent(hi)
        let n = d1 - d0 + 1
        if n >= 2 {
            var stride = 1
            for s in [1, 2, 3, 4, 5, 6, 10, 15, 20, 25, 30, 50, 100, 1000] {
                stride = s
                if multiples(of: s, in: d0...d1).count <= maxMajorCount { break }
            }
            var out: [TickValue] = []
            let spanDecades = log10(domain.upperBound) - log10(domain.lowerBound)
            for d in (d0 - 1)...d1 {
                if d >= d0 {
                    let major = d % stride == 0
                    out.append(TickValue(Decimal10.value(1, d), isMajor: major))
                }
                if stride == 1 && spanDecades <= minorMaxDecades {
                    for m in 2...9 {
                        let v = Decimal10.value(Double(m), d)
                        if v >= lo && v <= hi { out.append(TickValue(v, isMajor: false)) }
                    }
                }
            }
            return out.sorted { $0.value < $1.value }
        }
        // Fewer than two decade ticks: mantissa ticks inside the decade(s).
        let e0 = Decimal10.exponent(lo), e1 = Decimal10.exponent(hi)
        func candidates(_ ms: [Int]) -> [Double] {
            var vs: [Double] = []
            for e in e0...e1 {
                for m in ms {
                    let v = Decimal10.value(Double(m), e)
                    if v >= lo && v <= hi { vs.append(v) }
                }
            }
            return vs
        }
        let oneTwoFive = candidates([1, 2, 5])
        let all = candidates(Array(1...9))
        if oneTwoFive.count >= 3 {
            let majors = Set(oneTwoFive)
            return all.map { TickValue($0, isMajor: majors.contains($0)) }
        }
        if all.count >= 2 { return all.map { TickValue($0) } }
        return LinearTickLocator(targetCount: 4).ticks(in: domain)
    }

    private func multiples(of s: Int, in r: ClosedRange<Int>) -> [Int] {
        r.filter { $0 % s == 0 }
    }

    /// `domain` extended outwards to whole decades.
    public static func nicedDomain(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        guard domain.lowerBound > 0 else { return domain }
        let lo = Decimal10.value(1, Decimal10.exponent(domain.lowerBound))
        let eh = Decimal10.exponent(domain.upperBound)
        let top = Decimal10.value(1, eh)
        let hi = top >= domain.upperBound ? top : Decimal10.value(1, eh + 1)
        return lo...max(hi, lo * 10)
    }
}
