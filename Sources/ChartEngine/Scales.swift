import Foundation

/// The kind of mapping an axis uses.
public enum ScaleKind: Sendable, Hashable {
    case linear
    /// Base-10 logarithmic; the domain must be strictly positive.
    case log
}

/// Maps a data interval (`domain`) linearly onto a page interval.
///
/// `rangeStart` is the page coordinate of `domain.lowerBound`, `rangeEnd` that of
/// `domain.upperBound`; a y axis is "inverted" by giving `rangeStart > rangeEnd`.
///
/// A zero-width domain `v…v` is widened (documented, never an error) to `v−1…v+1` when
/// `v == 0`, else to `v ± 10 %·|v|`.
///
/// ```swift
/// let y = LinearScale(domain: 0...100, range: 40...240, inverted: true)
/// y(0)    // 240
/// y(100)  // 40
/// y.invert(140) // 50
/// ```
public struct LinearScale: Sendable, Hashable {
    /// The data interval mapped, after widening a zero-width one.
    public let domain: ClosedRange<Double>
    public let rangeStart: Double
    public let rangeEnd: Double

    /// Maps `domain` onto `rangeStart…rangeEnd`; a zero-width domain is widened first.
    public init(domain: ClosedRange<Double>, from rangeStart: Double, to rangeEnd: Double) {
        self.domain = LinearScale.nondegenerate(domain)
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
    }
    /// `inverted` maps the domain's lower bound to `range.upperBound` (the usual y axis).
    public init(domain: ClosedRange<Double>, range: ClosedRange<Double>, inverted: Bool = false) {
        self.init(domain: domain, from: inverted ? range.upperBound : range.lowerBound,
                  to: inverted ? range.lowerBound : range.upperBound)
    }

    /// Data value → page coordinate (extrapolates outside the domain).
    public func callAsFunction(_ v: Double) -> Double {
        let t = (v - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return rangeStart + t * (rangeEnd - rangeStart)
    }
    /// Page coordinate → data value.
    public func invert(_ p: Double) -> Double {
        let span = rangeEnd - rangeStart
        guard span != 0 else { return domain.lowerBound }
        return domain.lowerBound + (p - rangeStart) / span * (domain.upperBound - domain.lowerBound)
    }
    /// The same scale with the domain extended outwards to multiples of the nice tick step.
    public func niced(targetTickCount: Int = 5) -> LinearScale {
        LinearScale(domain: LinearTickLocator.nicedDomain(domain, targetCount: targetTickCount),
                    from: rangeStart, to: rangeEnd)
    }
    /// The same domain mapped onto another page interval.
    public func withRange(from start: Double, to end: Double) -> LinearScale {
        LinearScale(domain: domain, from: start, to: end)
    }

    /// Widens a zero-width domain (see the type's documentation).
    public static func nondegenerate(_ d: ClosedRange<Double>) -> ClosedRange<Double> {
        guard d.lowerBound == d.upperBound else { return d }
        let v = d.lowerBound
        if v == 0 { return -1...1 }
        let w = abs(v) * 0.1
        return (v - w)...(v + w)
    }
}

/// Maps a strictly positive data interval onto a page interval in log10 space.
///
/// Non-positive domains are rejected with `ChartError.nonPositiveLogDomain`. A zero-width
/// domain `v…v` is widened to one decade centred on `v` (`v/√10 … v·√10`). Mapping a
/// non-positive value returns `nan` (callers skip such points).
///
/// ```swift
/// let x = try LogScale(domain: 1...1000, range: 0...300)
/// x(10)  // 100
/// x.invert(200) // 100
/// ```
public struct LogScale: Sendable, Hashable {
    /// The data interval mapped (strictly positive), after widening a zero-width one.
    public let domain: ClosedRange<Double>
    /// Page coordinate of `domain.lowerBound`.
    public let rangeStart: Double
    /// Page coordinate of `domain.upperBound`.
    public let rangeEnd: Double

    /// Throws `ChartError.nonPositiveLogDomain` or `.invalidDomain`; `axis` names the axis in the message.
    public init(domain: ClosedRange<Double>, from rangeStart: Double, to rangeEnd: Double, axis: String = "") throws {
        guard domain.lowerBound > 0, domain.upperBound > 0 else {
            throw ChartError.nonPositiveLogDomain(axis: axis, lower: domain.lowerBound, upper: domain.upperBound)
        }
        guard domain.lowerBound.isFinite, domain.upperBound.isFinite else {
            throw ChartError.invalidDomain(axis: axis, lower: domain.lowerBound, upper: domain.upperBound)
        }
        if domain.lowerBound == domain.upperBound {
            let v = domain.lowerBound, k = 10.0.squareRoot()
            self.domain = (v / k)...(v * k)
        } else {
            self.domain = domain
        }
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
    }
    /// `inverted` maps the domain's lower bound to `range.upperBound` (the usual y axis).
    public init(domain: ClosedRange<Double>, range: ClosedRange<Double>, inverted: Bool = false, axis: String = "") throws {
        try self.init(domain: domain, from: inverted ? range.upperBound : range.lowerBound,
                      to: inverted ? range.lowerBound : range.upperBound, axis: axis)
    }

    /// Data value → page coordinate in log10 space; `nan` for v ≤ 0.
    public func callAsFunction(_ v: Double) -> Double {
        guard v > 0 else { return .nan }
        let l0 = log10(domain.lowerBound), l1 = log10(domain.upperBound)
        let t = (log10(v) - l0) / (l1 - l0)
        return rangeStart + t * (rangeEnd - rangeStart)
    }
    public func invert(_ p: Double) -> Double {
        let span = rangeEnd - rangeStart
        guard span != 0 else { return domain.lowerBound }
        let l0 = log10(domain.lowerBound), l1 = log10(domain.upperBound)
        return pow(10, l0 + (p - rangeStart) / span * (l1 - l0))
    }
    /// The same scale with the domain extended outwards to whole decades.
    public func niced() -> LogScale {
        // Safe: the niced domain of a positive domain is positive.
        (try? LogScale(domain: LogTickLocator.nicedDomain(domain), from: rangeStart, to: rangeEnd)) ?? self
    }
    public func withRange(from start: Double, to end: Double) -> LogScale {
        (try? LogScale(domain: domain, from: start, to: end)) ?? self
    }
    /// Number of decades the domain spans (log10(upper/lower)).
    public var decades: Double { log10(domain.upperBound) - log10(domain.lowerBound) }
}

/// An axis scale of either kind, as stored in a built chart.
public enum AxisScale: Sendable, Hashable {
    case linear(LinearScale)
    case log(LogScale)

    public var kind: ScaleKind {
        switch self { case .linear: return .linear; case .log: return .log }
    }
    public var domain: ClosedRange<Double> {
        switch self { case .linear(let s): return s.domain; case .log(let s): return s.domain }
    }
    /// Page coordinates of the domain's lower and upper bound.
    public var range: (start: Double, end: Double) {
        switch self {
        case .linear(let s): return (s.rangeStart, s.rangeEnd)
        case .log(let s): return (s.rangeStart, s.rangeEnd)
        }
    }
    /// Data value → page coordinate (log: `nan` for v ≤ 0).
    public func callAsFunction(_ v: Double) -> Double {
        switch self { case .linear(let s): return s(v); case .log(let s): return s(v) }
    }
    public func invert(_ p: Double) -> Double {
        switch self { case .linear(let s): return s.invert(p); case .log(let s): return s.invert(p) }
    }
    /// True when `v` can be shown on this scale (finite, and positive for log).
    public func accepts(_ v: Double) -> Bool {
        v.isFinite && (kind == .linear || v > 0)
    }
}
