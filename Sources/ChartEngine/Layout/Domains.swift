import Foundation
import RidgepointFormatting

/// Part 1 of a chart's layout: the data each axis must show, and the domain that shows it.

/// Every data value of a spec, per axis: series points, band edges, rules, spans, annotation
/// anchors and reference values. Non-finite values are kept here and ignored by the resolver.
struct DataExtent {
    var xs: [Double] = []
    var ys: [Double] = []

    init(_ spec: ChartSpec) {
        for s in spec.series {
            switch s {
            case .line(let pts, _, _), .scatter(let pts, _, _, _):
                xs += pts.map(\.x); ys += pts.map(\.y)
            case .band(let lo, let hi, _, _):
                xs += (lo + hi).map(\.x); ys += (lo + hi).map(\.y)
            case .hline(let y, _, _): ys.append(y)
            case .vline(let x, _, _): xs.append(x)
            case .xSpan(let r, _, _): xs += [r.lowerBound, r.upperBound]
            }
        }
        for a in spec.annotations { xs.append(a.at.x); ys.append(a.at.y) }
        for r in spec.references { if r.axis == .x { xs.append(r.value) } else { ys.append(r.value) } }
    }
}

enum DomainResolver {
    /// The domain `axis` shows for `values`: the explicit one (validated), or the data's range
    /// padded and, with `axis.nice`, extended to nice ticks (linear) or 1-2-5 values (log).
    static func resolve(_ axis: AxisSpec, name: String, values: [Double], targetTickCount: Int) throws -> ClosedRange<Double> {
        switch axis.domain {
        case .explicit(let d):
            guard d.lowerBound.isFinite, d.upperBound.isFinite else {
                throw ChartError.invalidDomain(axis: name, lower: d.lowerBound, upper: d.upperBound)
            }
            if axis.scale == .log { return try LogScale(domain: d, from: 0, to: 1, axis: name).domain }
            return LinearScale.nondegenerate(d)
        case .auto(let padding):
            let finite = values.filter(\.isFinite)
            if axis.scale == .log {
                let pos = finite.filter { $0 > 0 }
                guard let lo = pos.min(), let hi = pos.max() else {
                    if finite.isEmpty { return 1...10 }
                    throw ChartError.noPositiveData(axis: name)
                }
                var l0 = log10(lo), l1 = log10(hi)
                if l1 - l0 < 1e-12 { l0 -= 0.5; l1 += 0.5 } else {
                    let span = l1 - l0
                    l0 -= padding * span; l1 += padding * span
                }
                let d = pow(10, l0)...pow(10, l1)
                return axis.nice ? LogTickLocator.snapOutward(d) : d
            }
            guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
            let d = LinearScale.nondegenerate(lo...hi)
            if axis.nice { return LinearTickLocator.nicedDomain(d, targetCount: targetTickCount) }
            let span = d.upperBound - d.lowerBound
            return (d.lowerBound - padding * span)...(d.upperBound + padding * span)
        }
    }
}

extension LogTickLocator {
    /// `domain` extended outwards to the nearest 1, 2 or 5 × 10^k values.
    public static func snapOutward(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        guard domain.lowerBound > 0 else { return domain }
        func down(_ v: Double) -> Double {
            let e = Decimal10.exponent(v)
            for m in [5.0, 2, 1] where Decimal10.value(m, e) <= v * (1 + 1e-12) { return Decimal10.value(m, e) }
            return Decimal10.value(1, e)
        }
        func up(_ v: Double) -> Double {
            let e = Decimal10.exponent(v)
            for m in [1.0, 2, 5, 10] where Decimal10.value(m, e) >= v * (1 - 1e-12) { return Decimal10.value(m, e) }
            return Decimal10.value(1, e + 1)
        }
        return down(domain.lowerBound)...up(domain.upperBound)
    }
}
