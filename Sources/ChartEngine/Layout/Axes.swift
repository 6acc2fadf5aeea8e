import Canvas
import Foundation

/// Part 2 of a chart's layout: one axis with its own locator and formatter, from domain to
/// placed, thinned tick labels.

/// Ticks at the whole numbers 0 … count − 1 that lie in the domain: a categorical axis.
public struct CategoryTickLocator: TickLocator {
    /// Number of categories; ticks sit at 0 … count − 1.
    public var count: Int
    public init(count: Int) { self.count = count }
    public func ticks(in domain: ClosedRange<Double>) -> [TickValue] {
        (0..<max(0, count)).map { Double($0) }.filter { domain.contains($0) }.map { TickValue($0) }
    }
}

extension AxisSpec {
    /// The locator this axis uses: categories for a categorical format, else by scale kind
    /// (log: at most `tickCount` labelled decades, default 8; linear: about `targetCount` ticks).
    public func locator(targetCount: Int) -> any TickLocator {
        if case .categories(let names) = format { return CategoryTickLocator(count: names.count) }
        return scale == .log ? LogTickLocator(maxMajorCount: tickCount ?? 8) : LinearTickLocator(targetCount: targetCount)
    }
}

/// One axis before it has pixels: its domain, the ticks its locator chose and the labels its
/// formatter wrote for the major ones (minor ticks carry nil).
struct AxisPlan {
    let spec: AxisSpec
    let name: String
    let domain: ClosedRange<Double>
    let ticks: [TickValue]
    let labels: [String?]

    init(_ spec: AxisSpec, name: String, values: [Double], targetCount: Int) throws {
        self.spec = spec; self.name = name
        domain = try DomainResolver.resolve(spec, name: name, values: values, targetTickCount: targetCount)
        ticks = spec.locator(targetCount: targetCount).ticks(in: domain)
        let majors = ticks.filter(\.isMajor).map(\.value)
        var it = spec.format.labels(majors, scale: spec.scale).makeIterator()
        labels = ticks.map { $0.isMajor ? it.next() : nil }
    }

    /// The pixel mapping onto `from…to` (for y, `from` is the bottom of the plot).
    func scale(from: Double, to: Double) throws -> AxisScale {
        spec.scale == .log
            ? .log(try LogScale(domain: domain, from: from, to: to, axis: name))
            : .linear(LinearScale(domain: domain, from: from, to: to))
    }

    /// Ticks at their pixel positions; `box(position, size)` gives a label's rectangle.
    func placed(on scale: AxisScale, labelSizes: [Size?], box: (Double, Size) -> Rect) -> [AxisTick] {
        ticks.enumerated().map { (i, t) in
            let p = scale(t.value)
            var tick = AxisTick(value: t.value, position: p, isMajor: t.isMajor, label: labels[i], labelBox: nil)
            if let s = labelSizes[i] { tick.labelBox = box(p, s) }
            return tick
        }
    }

    /// Keeps every k-th label (smallest k without overlaps closer than `spacing`), aligned so that
    /// a tick at 0 keeps its label.
    static func thin(_ ticks: inout [AxisTick], horizontal: Bool, spacing: Double) {
        let labelled = ticks.indices.filter { ticks[$0].labelBox != nil }
        guard labelled.count > 1 else { return }
        func ok(_ kept: [Int]) -> Bool {
            for (a, b) in zip(kept, kept.dropFirst()) {
                guard let ra = ticks[a].labelBox, let rb = ticks[b].labelBox else { continue }
                let gap = horizontal ? max(rb.minX - ra.maxX, ra.minX - rb.maxX) : max(rb.minY - ra.maxY, ra.minY - rb.maxY)
                if gap < spacing { return false }
            }
            return true
        }
        let zeroIndex = labelled.firstIndex { ticks[$0].value == 0 }
        for k in 1...labelled.count {
            let phase = (zeroIndex ?? 0) % k
            let kept = labelled.enumerated().filter { ($0.offset - phase) % k == 0 }.map(\.element)
            if ok(kept) || k == labelled.count {
                let keep = Set(kept)
                for i in labelled where !keep.contains(i) { ticks[i].label = nil; ticks[i].labelBox = nil }
                return
            }
        }
    }
}

/// An axis's tick labels as text blocks and measured sizes (nil for unlabelled ticks).
struct TickLabelTexts {
    let blocks: [TextBlock?]
    let sizes: [Size?]
    init(_ plan: AxisPlan, font: Font, color: Color, measurer: TextMeasurer) throws {
        blocks = plan.labels.map { $0.map { TextBlock($0, font: font, color: color) } }
        sizes = try blocks.map { try $0.map { try measurer.measure($0).size } }
    }
    var maxWidth: Double { sizes.compactMap { $0?.width }.max() ?? 0 }
    var maxHeight: Double { sizes.compactMap { $0?.height }.max() ?? 0 }
}
