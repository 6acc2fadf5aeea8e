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

enum LegendMode: Equatable { case none, insideAuto, inside(Corner), right, bottom }

/// Internal layout state shared by the passes of one build.
struct Context {
    let spec: ChartSpec
    let size: Size
    let measurer: TextMeasurer
    let theme: ChartTheme
    let xDomain: ClosedRange<Double>
    let yDomain: ClosedRange<Double>
    let xTickValues: [TickValue]
    let yTickValues: [TickValue]
    let xLabels: [String?]
    let yLabels: [String?]

    init(spec: ChartSpec, size: Size, measurer: TextMeasurer) throws {
        self.spec = spec; self.size = size; self.measurer = measurer; theme = spec.theme
        var xs: [Double] = [], ys: [Double] = []
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
        let xTarget = spec.x.tickCount ?? min(9, max(3, Int((size.width - 100) / 70)))
        let yTarget = spec.y.tickCount ?? min(9, max(3, Int((size.height - 90) / 32)))
        xDomain = try ChartLayout.resolveDomain(spec.x, name: "x", values: xs, targetTickCount: xTarget)
        yDomain = try ChartLayout.resolveDomain(spec.y, name: "y", values: ys, targetTickCount: yTarget)
        func ticks(_ a: AxisSpec, _ d: ClosedRange<Double>, _ target: Int) -> [TickValue] {
            if case .categories(let names) = a.format {
                return names.indices.map { Double($0) }.filter { d.contains($0) }.map { TickValue($0) }
            }
            return a.scale == .log ? LogTickLocator(maxMajorCount: a.tickCount ?? 8).ticks(in: d)
                : LinearTickLocator(targetCount: target).ticks(in: d)
        }
        xTickValues = ticks(spec.x, xDomain, xTarget)
        yTickValues = ticks(spec.y, yDomain, yTarget)
        func labels(_ a: AxisSpec, _ t: [TickValue]) -> [String?] {
            let majors = t.filter(\.isMajor).map(\.value)
            var it = a.format.labels(majors, scale: a.scale).makeIterator()
            return t.map { $0.isMajor ? it.next() : nil }
        }
        xLabels = labels(spec.x, xTickValues)
        yLabels = labels(spec.y, yTickValues)
    }

    func measure(_ t: TextBlock) throws -> Size { try measurer.measure(t).size }

    func block(_ markup: String, _ font: Font, _ color: Color? = nil, width: Double? = nil,
               alignment: TextAlignment = .left) -> TextBlock {
        TextBlock(markup, font: font, color: color ?? theme.textColor, width: width, alignment: alignment)
    }

    /// Entries of the legend: (series index, label markup, sample).
    var legendItems: [(Int, String, LegendSample)] {
        spec.series.enumerated().compactMap { (i, s) in
            guard let label = s.label, !label.isEmpty else { return nil }
            let sample: LegendSample
            switch s {
            case .line(_, let st, _), .hline(_, let st, _), .vline(_, let st, _):
                sample = .line(st.strokeStyle, marker: st.marker)
            case .scatter(_, let m, let c, _): sample = .marker(m, c)
            case .band(_, _, let c, _), .xSpan(_, let c, _): sample = .swatch(c)
            }
            return (i, label, sample)
        }
    }

    static let sampleWidth = 22.0, legendPad = 5.0, legendGap = 5.0, legendColumnGap = 12.0

    /// Size of the legend; `flow` = available width for a horizontal (bottom) legend.
    func legendSize(flow: Double?) throws -> Size {
        try legendLayout(at: .zero, flow: flow).rect.size
    }

    /// Lays the legend out with its top-left at `origin`.
    func legendLayout(at origin: Point, flow: Double?) throws -> (rect: Rect, entries: [LegendEntry], labels: [PlacedLabel]) {
        let items = legendItems
        guard !items.isEmpty else { return (Rect(origin: origin, size: Size(0, 0)), [], []) }
        var entries: [LegendEntry] = [], labels: [PlacedLabel] = []
        let pad = Self.legendPad
        var x = origin.x + pad, y = origin.y + pad, rowH = 0.0, maxX = origin.x, maxY = origin.y
        for (i, markup, sample) in items {
            let tb = block(markup, theme.legendFont)
            let ts = try measure(tb)
            let sw: Double
            if case .marker = sample { sw = 12 } else { sw = Self.sampleWidth }
            let w = sw + Self.legendGap + ts.width, h = max(ts.height, 10)
            if let flow, x > origin.x + pad, x + w > origin.x + flow - pad {
                x = origin.x + pad; y += rowH + 2; rowH = 0
            }
            let sample = LegendEntry(seriesIndex: i, sampleRect: Rect(x: x, y: y + (h - 10) / 2, width: sw, height: 10), sample: sample)
            let textOrigin = Point(x + sw + Self.legendGap, y + (h - ts.height) / 2)
            entries.append(sample)
            labels.append(PlacedLabel(role: .legend(i), text: tb, origin: textOrigin, rotation: 0, box: Rect(origin: textOrigin, size: ts)))
            maxX = max(maxX, x + w); maxY = max(maxY, y + h); rowH = max(rowH, h)
            if flow != nil { x += w + Self.legendColumnGap } else { y += h + 2; rowH = 0 }
        }
        let rect = Rect(x: origin.x, y: origin.y, width: maxX - origin.x + pad, height: maxY - origin.y + pad)
        return (rect, entries, labels)
    }

    func pass(legend: LegendMode) throws -> BuiltChart {
        // Only `.insideAuto` with failIfNoFreeCorner can return nil.
        guard let c = try pass(legend: legend, failIfNoFreeCorner: false) else {
            throw ChartError.canvasTooSmall(width: size.width, height: size.height)
        }
        return c
    }

    // MARK: - One layout pass

    func pass(legend mode: LegendMode, failIfNoFreeCorner: Bool) throws -> BuiltChart? {
        let pad = theme.padding
        let avail = size.width - 2 * pad
        var labels: [PlacedLabel] = []
        var dropped: [DroppedLabel] = []

        // Measure the fixed texts.
        func fitted(_ markup: String, _ font: Font, _ color: Color? = nil) throws -> (TextBlock, Size) {
            var tb = block(markup, font, color)
            var s = try measure(tb)
            if s.width > avail { tb.width = avail; s = try measure(tb); s.width = min(s.width, avail) }
            return (tb, s)
        }
        let title = spec.title.isEmpty ? nil : try fitted(spec.title, theme.titleFont)
        let subtitle = (spec.subtitle ?? "").isEmpty ? nil : try fitted(spec.subtitle ?? "", theme.subtitleFont, theme.mutedTextColor)
        let caption = (spec.caption ?? "").isEmpty ? nil : try fitted(spec.caption ?? "", theme.captionFont, theme.mutedTextColor)
        let xTitle = spec.x.titleMarkup.isEmpty ? nil : try fitted(spec.x.titleMarkup, theme.axisTitleFont)
        let xTickBlocks = xLabels.map { $0.map { block($0, theme.tickFont, theme.tickLabelColor) } }
        let yTickBlocks = yLabels.map { $0.map { block($0, theme.tickFont, theme.tickLabelColor) } }
        let xTickSizes = try xTickBlocks.map { try $0.map { try measure($0) } }
        let yTickSizes = try yTickBlocks.map { try $0.map { try measure($0) } }
        let xTickH = xTickSizes.compactMap { $0?.height }.max() ?? 0
        let xTickHalfW = (xTickSizes.compactMap { $0?.width }.max() ?? 0) / 2
        let yTickW = yTickSizes.compactMap { $0?.width }.max() ?? 0
        let yTickHalfH = (yTickSizes.compactMap { $0?.height }.max() ?? 0) / 2
        let tickBand = theme.majorTickLength + theme.tickLabelGap

        // Margins.
        var top = pad
        if let title { top += title.1.height + 3 }
        if let subtitle { top += subtitle.1.height + 3 }
        if title != nil || subtitle != nil { top += 6 }
        top = max(top, pad + yTickHalfH + 1)
        var bottom = pad + xTickH + tickBand
        if let xTitle { bottom += xTitle.1.height + 4 }
        if let caption { bottom += caption.1.height + 6 }
        var legendOutside: Size?
        if mode == .bottom {
            let s = try legendSize(flow: avail)
            legendOutside = s
            bottom += s.height + 8
        }
        // The y title runs along the plot height; wrap it when it is longer.
        var yTitleBlock = spec.y.titleMarkup.isEmpty ? nil : block(spec.y.titleMarkup, theme.axisTitleFont, width: nil, alignment: .center)
        var yTitleSize = try yTitleBlock.map { try measure($0) }
        // It may run from the header down to the bottom of the x tick labels.
        let titleSpan = size.height - top - bottom + tickBand + xTickH
        if var tb = yTitleBlock, let s = yTitleSize, s.width > titleSpan, titleSpan > 20 {
            tb.width = titleSpan
            yTitleBlock = tb
            yTitleSize = try measure(tb)
        }
        var left = pad + yTickW + tickBand
        if let s = yTitleSize { left += s.height + 5 }
        left = max(left, pad + xTickHalfW)
        var right = pad + xTickHalfW
        if mode == .right {
            let s = try legendSize(flow: nil)
            legendOutside = s
            right = max(right, pad + s.width + 10)
        }
        let plot = Rect(x: left, y: top, width: size.width - left - right, height: size.height - top - bottom)
        guard plot.width >= 20, plot.height >= 20 else {
            throw ChartError.canvasTooSmall(width: size.width, height: size.height)
        }

        // Scales.
        let xScale: AxisScale = spec.x.scale == .log
            ? .log(try LogScale(domain: xDomain, from: plot.minX, to: plot.maxX, axis: "x"))
            : .linear(LinearScale(domain: xDomain, from: plot.minX, to: plot.maxX))
        let yScale: AxisScale = spec.y.scale == .log
            ? .log(try LogScale(domain: yDomain, from: plot.maxY, to: plot.minY, axis: "y"))
            : .linear(LinearScale(domain: yDomain, from: plot.maxY, to: plot.minY))

        // Ticks with label boxes, then thinning.
        var xTicks: [AxisTick] = xTickValues.enumerated().map { (i, t) in
            let p = xScale(t.value)
            var tick = AxisTick(value: t.value, position: p, isMajor: t.isMajor, label: xLabels[i], labelBox: nil)
            if let s = xTickSizes[i] {
                tick.labelBox = Rect(x: p - s.width / 2, y: plot.maxY + tickBand, width: s.width, height: s.height)
            }
            return tick
        }
        var yTicks: [AxisTick] = yTickValues.enumerated().map { (i, t) in
            let p = yScale(t.value)
            var tick = AxisTick(value: t.value, position: p, isMajor: t.isMajor, label: yLabels[i], labelBox: nil)
            if let s = yTickSizes[i] {
                tick.labelBox = Rect(x: plot.minX - tickBand - s.width, y: p - s.height / 2, width: s.width, height: s.height)
            }
            return tick
        }
        Self.thin(&xTicks, horizontal: true, spacing: theme.tickLabelSpacing)
        Self.thin(&yTicks, horizontal: false, spacing: 2)
        for (i, t) in xTicks.enumerated() {
            if let b = t.labelBox, let tb = xTickBlocks[i] { labels.append(PlacedLabel(role: .tick(.x), text: tb, origin: b.origin, rotation: 0, box: b)) }
        }
        for (i, t) in yTicks.enumerated() {
            if let b = t.labelBox, let tb = yTickBlocks[i] { labels.append(PlacedLabel(role: .tick(.y), text: tb, origin: b.origin, rotation: 0, box: b)) }
        }

        // Titles.
        var y = pad
        if let (tb, s) = title {
            labels.append(PlacedLabel(role: .title, text: tb, origin: Point(pad, y), rotation: 0, box: Rect(x: pad, y: y, width: s.width, height: s.height)))
            y += s.height + 3
        }
        if let (tb, s) = subtitle {
            labels.append(PlacedLabel(role: .subtitle, text: tb, origin: Point(pad, y), rotation: 0, box: Rect(x: pad, y: y, width: s.width, height: s.height)))
            y += s.height + 3
        }
        var belowAxis = plot.maxY + tickBand + xTickH + 4
        if let (tb, s) = xTitle {
            let x = min(max(plot.midX - s.width / 2, pad), size.width - pad - s.width)
            labels.append(PlacedLabel(role: .axisTitle(.x), text: tb, origin: Point(x, belowAxis), rotation: 0, box: Rect(x: x, y: belowAxis, width: s.width, height: s.height)))
            belowAxis += s.height
        }
        if let tb = yTitleBlock, let s = yTitleSize {
            // Rotated 90° counter-clockwise: the origin is the bottom-left corner of the page box.
            // Centred on the plot, kept between the header and the bottom of the x tick labels.
            let w = s.width
            let lowest = plot.maxY + tickBand + xTickH, highest = max(pad, y)
            let oy = min(max(plot.midY + w / 2, highest + w), max(lowest, highest + w))
            let origin = Point(pad, oy)
            let box = RecordingCanvas.rotatedBox(origin: origin, size: s, rotation: .pi / 2)
            labels.append(PlacedLabel(role: .axisTitle(.y), text: tb, origin: origin, rotation: .pi / 2, box: box))
        }
        if let (tb, s) = caption {
            let cy = size.height - pad - s.height
            labels.append(PlacedLabel(role: .caption, text: tb, origin: Point(pad, cy), rotation: 0, box: Rect(x: pad, y: cy, width: s.width, height: s.height)))
        }

        // Grid.
        var grid: [Segment] = []
        if spec.x.grid {
            for t in xTicks where t.isMajor { grid.append(Segment(Point(t.position, plot.minY), Point(t.position, plot.maxY))) }
        }
        if spec.y.grid {
            for t in yTicks where t.isMajor { grid.append(Segment(Point(plot.minX, t.position), Point(plot.maxX, t.position))) }
        }

        // Marks.
        let marks = buildMarks(plot: plot, xScale: xScale, yScale: yScale)

        // Obstacles for the legend and for labels.
        var lineSegments: [(Point, Point, PlacedMark.Source)] = []
        var markerBoxes: [Rect] = []
        for m in marks {
            switch m.geometry {
            case .polyline(let pieces, _):
                for piece in pieces where piece.count >= 2 {
                    for k in 1..<piece.count { lineSegments.append((piece[k - 1], piece[k], m.source)) }
                }
            case .rule(let s, _): lineSegments.append((s.from, s.to, m.source))
            case .markers(let cs, let ms, _): markerBoxes += cs.map { Geo.box(center: $0, radius: ms.radius + 1) }
            case .area: break
            }
        }
        let anchorPoints: [Point] = spec.annotations.map { Point(xScale($0.at.x), yScale($0.at.y)) }

        // Legend.
        var legendRect: Rect?
        var legendEntries: [LegendEntry] = []
        if !legendItems.isEmpty {
            switch mode {
            case .none: break
            case .right:
                let l = try legendLayout(at: Point(plot.maxX + 10, plot.minY), flow: nil)
                legendRect = l.rect; legendEntries = l.entries; labels += l.labels
            case .bottom:
                let s = legendOutside ?? Size(0, 0)
                let ly = size.height - pad - (caption.map { $0.1.height + 6 } ?? 0) - s.height
                let lx = max(pad, min(plot.midX - s.width / 2, size.width - pad - s.width))
                let l = try legendLayout(at: Point(lx, ly), flow: avail)
                legendRect = l.rect; legendEntries = l.entries; labels += l.labels
            case .inside(let corner):
                let s = try legendSize(flow: nil)
                let l = try legendLayout(at: Self.cornerOrigin(corner, size: s, plot: plot), flow: nil)
                legendRect = l.rect; legendEntries = l.entries; labels += l.labels
            case .insideAuto:
                let s = try legendSize(flow: nil)
                var best: (score: Double, corner: Corner)?
                for corner in Corner.allCases {
                    let r = Rect(origin: Self.cornerOrigin(corner, size: s, plot: plot), size: s)
                    guard plot.contains(r) else { continue }
                    let probe = r.insetBy(-3)
                    var score = lineSegments.reduce(0) { $0 + Geo.lengthInside($1.0, $1.1, probe) }
                    score += Double(markerBoxes.filter { $0.intersects(probe) }.count) * 50
                    score += Double(anchorPoints.filter { probe.contains($0) }.count) * 50
                    for m in marks {
                        if case .area(let poly, _) = m.geometry, let b = Path.polygon(poly).bounds, b.intersects(r) { score += 0.001 }
                    }
                    if best == nil || score < (best?.score ?? .infinity) { best = (score, corner) }
                }
                if let best, best.score < 1 {
                    let l = try legendLayout(at: Self.cornerOrigin(best.corner, size: s, plot: plot), flow: nil)
                    legendRect = l.rect; legendEntries = l.entries; labels += l.labels
                } else if failIfNoFreeCorner {
                    return nil
                }
            }
        }

        // Reference labels, then annotations, placed greedily.
        var placer = LabelPlacer(bounds: plot.insetBy(2))
        placer.maxLeaderOffset = max(20, 0.2 * min(plot.width, plot.height))
        for l in labels { placer.occupied.append(l.box) }
        if let legendRect { placer.occupied.append(legendRect) }
        placer.occupied += markerBoxes
        placer.occupied += anchorPoints.filter { plot.contains($0) }.map { Geo.box(center: $0, radius: 1.5) }
        placer.lines = lineSegments
        var leaders: [Segment] = []

        for (i, ref) in spec.references.enumerated() {
            guard let markup = ref.label, !markup.isEmpty else { continue }
            let tb = block(markup, theme.annotationFont, theme.textColor)
            let s = try measure(tb)
            let scale = ref.axis == .x ? xScale : yScale
            let v = scale(ref.value)
            guard scale.accepts(ref.value), v.isFinite,
                  ref.axis == .x ? (v >= plot.minX - 0.5 && v <= plot.maxX + 0.5) : (v >= plot.minY - 0.5 && v <= plot.maxY + 0.5) else {
                dropped.append(DroppedLabel(role: .reference(i), text: markup, reason: "reference value outside the plot"))
                continue
            }
            var candidates: [Rect] = []
            if ref.axis == .x {
                var t = 0.0
                while t + s.height <= plot.height - 4 {
                    candidates.append(Rect(x: v + 3, y: plot.minY + 3 + t, width: s.width, height: s.height))
                    candidates.append(Rect(x: v - 3 - s.width, y: plot.minY + 3 + t, width: s.width, height: s.height))
                    t += s.height / 2 + 1
                }
            } else {
                var t = 0.0
                while t + s.width <= plot.width - 4 {
                    candidates.append(Rect(x: plot.maxX - 3 - s.width - t, y: v - 2 - s.height, width: s.width, height: s.height))
                    candidates.append(Rect(x: plot.maxX - 3 - s.width - t, y: v + 2, width: s.width, height: s.height))
                    t += s.width / 4 + 1
                }
            }
            if let box = placer.firstFree(candidates, ignoring: .reference(i)) {
                placer.occupied.append(box)
                labels.append(PlacedLabel(role: .reference(i), text: tb, origin: box.origin, rotation: 0, box: box))
            } else {
                dropped.append(DroppedLabel(role: .reference(i), text: markup, reason: "no free position next to the reference line"))
            }
        }

        let order = spec.annotations.indices.sorted { a, b in
            let pa = spec.annotations[a].priority, pb = spec.annotations[b].priority
            return pa != pb ? pa > pb : a < b
        }
        let baseOffset = (marks.compactMap { m -> Double? in
            if case .markers(_, let ms, _) = m.geometry { return ms.radius } else { return nil }
        }.max() ?? 2) + 2
        // Placement costs grow with labels × obstacles: try at most `maxAnnotationLabels` (the
        // highest priorities); the rest are reported as dropped, never silently lost.
        var attempted = 0
        for i in order {
            let ann = spec.annotations[i]
            if attempted >= ChartSpec.maxAnnotationLabels {
                dropped.append(DroppedLabel(role: .annotation(i), text: ann.text,
                                            reason: "over the budget of \(ChartSpec.maxAnnotationLabels) annotation labels per chart"))
                continue
            }
            attempted += 1
            let tb = block(ann.text, theme.annotationFont, ann.color)
            let s = try measure(tb)
            let a = anchorPoints[i]
            guard a.x.isFinite, a.y.isFinite, plot.contains(a, tolerance: 0.5) else {
                dropped.append(DroppedLabel(role: .annotation(i), text: ann.text, reason: "anchor outside the plot"))
                continue
            }
            if let (box, leader) = placer.place(size: s, anchor: a, preferred: ann.preferred, baseOffset: baseOffset,
                                                allowLeader: ann.allowLeader, anchorRadius: baseOffset - 1) {
                placer.occupied.append(box)
                if let leader { leaders.append(leader); placer.leaders.append(leader) }
                labels.append(PlacedLabel(role: .annotation(i), text: tb, origin: box.origin, rotation: 0, box: box))
            } else {
                dropped.append(DroppedLabel(role: .annotation(i), text: ann.text, reason: "no free position near the anchor"))
            }
        }

        return BuiltChart(size: size, plotRect: plot, xScale: xScale, yScale: yScale, xTicks: xTicks, yTicks: yTicks,
                          gridLines: grid, marks: marks, labels: labels, legendRect: legendRect,
                          legendEntries: legendEntries, leaderLines: leaders, droppedLabels: dropped, theme: theme)
    }

    static func cornerOrigin(_ c: Corner, size s: Size, plot: Rect) -> Point {
        let inset = 6.0
        switch c {
        case .topLeft: return Point(plot.minX + inset, plot.minY + inset)
        case .topRight: return Point(plot.maxX - inset - s.width, plot.minY + inset)
        case .bottomLeft: return Point(plot.minX + inset, plot.maxY - inset - s.height)
        case .bottomRight: return Point(plot.maxX - inset - s.width, plot.maxY - inset - s.height)
        }
    }

    /// Keeps every k-th label (smallest k without overlaps), aligned so that a tick at 0 keeps its label.
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

    func buildMarks(plot: Rect, xScale: AxisScale, yScale: AxisScale) -> [PlacedMark] {
        var marks: [PlacedMark] = []
        func page(_ p: DataPoint) -> Point? {
            guard xScale.accepts(p.x), yScale.accepts(p.y) else { return nil }
            let q = Point(xScale(p.x), yScale(p.y))
            return q.x.isFinite && q.y.isFinite ? q : nil
        }
        func pieces(_ pts: [DataPoint]) -> [[Point]] {
            var out: [[Point]] = [], cur: [Point] = []
            for p in pts {
                if let q = page(p) { cur.append(q) } else if !cur.isEmpty { out.append(cur); cur = [] }
            }
            if !cur.isEmpty { out.append(cur) }
            return out
        }
        func inside(_ pts: [Point]) -> [Point] { pts.filter { plot.contains($0, tolerance: 0.5) } }
        for (i, s) in spec.series.enumerated() {
            switch s {
            case .line(let pts, let st, _):
                let ps = pieces(pts)
                marks.append(PlacedMark(source: .series(i), geometry: .polyline(ps, st.strokeStyle)))
                if let m = st.marker {
                    marks.append(PlacedMark(source: .series(i), geometry: .markers(inside(ps.flatMap { $0 }), m, st.color)))
                }
            case .scatter(let pts, let m, let c, _):
                marks.append(PlacedMark(source: .series(i), geometry: .markers(inside(pts.compactMap(page)), m, c)))
            case .hline(let y, let st, _):
                let py = yScale(y)
                if yScale.accepts(y), py.isFinite {
                    marks.append(PlacedMark(source: .series(i), geometry: .rule(Segment(Point(plot.minX, py), Point(plot.maxX, py)), st.strokeStyle)))
                }
            case .vline(let x, let st, _):
                let px = xScale(x)
                if xScale.accepts(x), px.isFinite {
                    marks.append(PlacedMark(source: .series(i), geometry: .rule(Segment(Point(px, plot.minY), Point(px, plot.maxY)), st.strokeStyle)))
                }
            case .band(let lo, let hi, let c, _):
                let poly = lo.compactMap(page) + hi.reversed().compactMap(page)
                if poly.count >= 3 { marks.append(PlacedMark(source: .series(i), geometry: .area(poly, c))) }
            case .xSpan(let r, let c, _):
                let a = xScale.accepts(r.lowerBound) ? xScale(r.lowerBound) : plot.minX
                let b = xScale.accepts(r.upperBound) ? xScale(r.upperBound) : plot.maxX
                let x0 = max(plot.minX, min(a, b)), x1 = min(plot.maxX, max(a, b))
                if x1 > x0 {
                    marks.append(PlacedMark(source: .series(i), geometry: .area(
                        [Point(x0, plot.minY), Point(x1, plot.minY), Point(x1, plot.maxY), Point(x0, plot.maxY)], c)))
                }
            }
        }
        for (i, r) in spec.references.enumerated() {
            let scale = r.axis == .x ? xScale : yScale
            let v = scale(r.value)
            guard scale.accepts(r.value), v.isFinite else { continue }
            let seg = r.axis == .x ? Segment(Point(v, plot.minY), Point(v, plot.maxY)) : Segment(Point(plot.minX, v), Point(plot.maxX, v))
            marks.append(PlacedMark(source: .reference(i), geometry: .rule(seg, r.style.strokeStyle)))
        }
        return marks
    }
}
