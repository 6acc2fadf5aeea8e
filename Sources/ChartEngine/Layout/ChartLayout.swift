import Canvas
import Foundation

/// Turns a `ChartSpec` into a `BuiltChart`: resolves domains, chooses ticks, measures every
/// text with the given measurer, computes margins so nothing is clipped, thins overlapping
/// tick labels, places the legend and greedily places reference and annotation labels.
/// Deterministic: no randomness, stable ordering.
public enum ChartLayout {
    /// Builds the chart for a canvas of `size` points.
    ///
    /// Throws `ChartError` for invalid domains (e.g. a non-positive log domain) or a size too
    /// small for a plot area, and rethrows measurer errors (invalid markup).
    public static func build(_ spec: ChartSpec, size: Size, measurer: TextMeasurer) throws -> BuiltChart {
        guard size.width >= 80, size.height >= 60 else {
            throw ChartError.canvasTooSmall(width: size.width, height: size.height)
        }
        let ctx = try Context(spec: spec, size: size, measurer: measurer)
        switch spec.legend {
        case .hidden: return try ctx.pass(legend: .none)
        case .inside(let c): return try ctx.pass(legend: .inside(c))
        case .right: return try ctx.pass(legend: .right)
        case .bottom: return try ctx.pass(legend: .bottom)
        case .auto:
            if let chart = try ctx.pass(legend: .insideAuto, failIfNoFreeCorner: true) { return chart }
            // No free corner: outside, on the right unless that would eat too much of the width.
            let s = try ctx.legendSize(flow: nil)
            let fitsRight = s.width + 12 <= size.width * 0.32 && s.height <= size.height * 0.6
            return try ctx.pass(legend: fitsRight ? .right : .bottom)
        }
    }

    /// The data domain an axis shows (before any pixel mapping).
    public static func resolveDomain(_ axis: AxisSpec, name: String, values: [Double], targetTickCount: Int) throws -> ClosedRange<Double> {
        try DomainResolver.resolve(axis, name: name, values: values, targetTickCount: targetTickCount)
    }
}

enum LegendMode: Equatable { case none, insideAuto, inside(Corner), right, bottom }

/// The parts of one build that do not depend on the legend's placement: both axes planned
/// (domain, ticks, labels) and the legend's entries. `pass` composes the parts for one legend mode.
struct Context {
    let spec: ChartSpec
    let size: Size
    let measurer: TextMeasurer
    let theme: ChartTheme
    let x: AxisPlan
    let y: AxisPlan
    let legend: LegendLayout

    init(spec: ChartSpec, size: Size, measurer: TextMeasurer) throws {
        self.spec = spec; self.size = size; self.measurer = measurer; theme = spec.theme
        let extent = DataExtent(spec)
        let xTarget = spec.x.tickCount ?? min(9, max(3, Int((size.width - 100) / 70)))
        let yTarget = spec.y.tickCount ?? min(9, max(3, Int((size.height - 90) / 32)))
        x = try AxisPlan(spec.x, name: "x", values: extent.xs, targetCount: xTarget)
        y = try AxisPlan(spec.y, name: "y", values: extent.ys, targetCount: yTarget)
        legend = LegendLayout(spec, measurer: measurer)
    }

    func measure(_ t: TextBlock) throws -> Size { try measurer.measure(t).size }

    func block(_ markup: String, _ font: Font, _ color: Color? = nil, width: Double? = nil,
               alignment: TextAlignment = .left) -> TextBlock {
        TextBlock(markup, font: font, color: color ?? theme.textColor, width: width, alignment: alignment)
    }

    func legendSize(flow: Double?) throws -> Size { try legend.size(flow: flow) }

    func pass(legend: LegendMode) throws -> BuiltChart {
        // Only `.insideAuto` with failIfNoFreeCorner can return nil.
        guard let c = try pass(legend: legend, failIfNoFreeCorner: false) else {
            throw ChartError.canvasTooSmall(width: size.width, height: size.height)
        }
        return c
    }

    // MARK: - One layout pass

    /// Frame (titles and margins around the plot), axes, marks, legend, data labels, in that order:
    /// each part places its texts where the previous ones left room.
    func pass(legend mode: LegendMode, failIfNoFreeCorner: Bool) throws -> BuiltChart? {
        let frame = try ChartFrame(self, legend: mode)
        let plot = frame.plot, pad = theme.padding

        // Axes: scales, ticks with label boxes, then thinning.
        let xScale = try x.scale(from: plot.minX, to: plot.maxX)
        let yScale = try y.scale(from: plot.maxY, to: plot.minY)
        var xTicks = x.placed(on: xScale, labelSizes: frame.xTickTexts.sizes) { p, s in
            Rect(x: p - s.width / 2, y: plot.maxY + frame.tickBand, width: s.width, height: s.height)
        }
        var yTicks = y.placed(on: yScale, labelSizes: frame.yTickTexts.sizes) { p, s in
            Rect(x: plot.minX - frame.tickBand - s.width, y: p - s.height / 2, width: s.width, height: s.height)
        }
        AxisPlan.thin(&xTicks, horizontal: true, spacing: theme.tickLabelSpacing)
        AxisPlan.thin(&yTicks, horizontal: false, spacing: 2)
        var labels: [PlacedLabel] = []
        for (i, t) in xTicks.enumerated() {
            if let b = t.labelBox, let tb = frame.xTickTexts.blocks[i] { labels.append(PlacedLabel(role: .tick(.x), text: tb, origin: b.origin, rotation: 0, box: b)) }
        }
        for (i, t) in yTicks.enumerated() {
            if let b = t.labelBox, let tb = frame.yTickTexts.blocks[i] { labels.append(PlacedLabel(role: .tick(.y), text: tb, origin: b.origin, rotation: 0, box: b)) }
        }
        labels += frame.titles

        // Grid.
        var grid: [Segment] = []
        if spec.x.grid {
            for t in xTicks where t.isMajor { grid.append(Segment(Point(t.position, plot.minY), Point(t.position, plot.maxY))) }
        }
        if spec.y.grid {
            for t in yTicks where t.isMajor { grid.append(Segment(Point(plot.minX, t.position), Point(plot.maxX, t.position))) }
        }

        // Marks, and the obstacles they make.
        let marks = MarkLayout(spec: spec, plot: plot, xScale: xScale, yScale: yScale).marks()
        let anchorPoints: [Point] = spec.annotations.map { Point(xScale($0.at.x), yScale($0.at.y)) }
        let obstacles = Obstacles(marks: marks, anchors: anchorPoints)

        // Legend.
        var legendRect: Rect?
        var legendEntries: [LegendEntry] = []
        if !legend.isEmpty {
            var origin: Point?, flow: Double?
            switch mode {
            case .none: break
            case .right: origin = Point(plot.maxX + 10, plot.minY)
            case .bottom:
                let s = frame.legendOutside ?? Size(0, 0)
                let ly = size.height - pad - (frame.captionHeight.map { $0 + 6 } ?? 0) - s.height
                let lx = max(pad, min(plot.midX - s.width / 2, size.width - pad - s.width))
                origin = Point(lx, ly); flow = frame.available
            case .inside(let corner):
                origin = LegendLayout.cornerOrigin(corner, size: try legendSize(flow: nil), plot: plot)
            case .insideAuto:
                let s = try legendSize(flow: nil)
                if let corner = LegendLayout.freeCorner(size: s, plot: plot, obstacles: obstacles, marks: marks) {
                    origin = LegendLayout.cornerOrigin(corner, size: s, plot: plot)
                } else if failIfNoFreeCorner {
                    return nil
                }
            }
            if let origin {
                let l = try legend.layout(at: origin, flow: flow)
                legendRect = l.rect; legendEntries = l.entries; labels += l.labels
            }
        }

        // Reference labels, then annotations, placed greedily.
        let dataLabels = DataLabelLayout(spec: spec, plot: plot, xScale: xScale, yScale: yScale, measurer: measurer)
        var placer = dataLabels.placer(occupied: labels.map(\.box) + (legendRect.map { [$0] } ?? []), obstacles: obstacles)
        let placed = try dataLabels.place(using: &placer, anchors: anchorPoints, marks: marks)
        labels += placed.labels

        return BuiltChart(size: size, plotRect: plot, xScale: xScale, yScale: yScale, xTicks: xTicks, yTicks: yTicks,
                          gridLines: grid, marks: marks, labels: labels, legendRect: legendRect,
                          legendEntries: legendEntries, leaderLines: placed.leaders, droppedLabels: placed.dropped, theme: theme)
    }
}
