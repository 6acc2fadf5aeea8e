import Canvas
import Foundation

/// Part 3 of a chart's layout: the legend's entries, its size, its rows and, inside the plot,
/// the corner where it hides the least data.
struct LegendLayout {
    /// Entries of the legend: (series index, label markup, sample); series without a label are left out.
    let items: [(Int, String, LegendSample)]
    let font: Font
    let color: Color
    let measurer: TextMeasurer

    static let sampleWidth = 22.0, pad = 5.0, gap = 5.0, columnGap = 12.0, cornerInset = 6.0

    init(_ spec: ChartSpec, measurer: TextMeasurer) {
        items = spec.series.enumerated().compactMap { (i, s) in
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
        font = spec.theme.legendFont; color = spec.theme.textColor; self.measurer = measurer
    }

    var isEmpty: Bool { items.isEmpty }

    /// Size of the legend; `flow` = available width for a horizontal (bottom) legend.
    func size(flow: Double?) throws -> Size { try layout(at: .zero, flow: flow).rect.size }

    /// Lays the legend out with its top-left at `origin`: one entry per row, or with `flow`
    /// entries side by side, wrapping at that width.
    func layout(at origin: Point, flow: Double?) throws -> (rect: Rect, entries: [LegendEntry], labels: [PlacedLabel]) {
        guard !items.isEmpty else { return (Rect(origin: origin, size: Size(0, 0)), [], []) }
        var entries: [LegendEntry] = [], labels: [PlacedLabel] = []
        let pad = Self.pad
        var x = origin.x + pad, y = origin.y + pad, rowH = 0.0, maxX = origin.x, maxY = origin.y
        for (i, markup, sample) in items {
            let tb = TextBlock(markup, font: font, color: color)
            let ts = try measurer.measure(tb).size
            let sw: Double
            if case .marker = sample { sw = 12 } else { sw = Self.sampleWidth }
            let w = sw + Self.gap + ts.width, h = max(ts.height, 10)
            if let flow, x > origin.x + pad, x + w > origin.x + flow - pad {
                x = origin.x + pad; y += rowH + 2; rowH = 0
            }
            let sample = LegendEntry(seriesIndex: i, sampleRect: Rect(x: x, y: y + (h - 10) / 2, width: sw, height: 10), sample: sample)
            let textOrigin = Point(x + sw + Self.gap, y + (h - ts.height) / 2)
            entries.append(sample)
            labels.append(PlacedLabel(role: .legend(i), text: tb, origin: textOrigin, rotation: 0, box: Rect(origin: textOrigin, size: ts)))
            maxX = max(maxX, x + w); maxY = max(maxY, y + h); rowH = max(rowH, h)
            if flow != nil { x += w + Self.columnGap } else { y += h + 2; rowH = 0 }
        }
        let rect = Rect(x: origin.x, y: origin.y, width: maxX - origin.x + pad, height: maxY - origin.y + pad)
        return (rect, entries, labels)
    }

    /// Top-left of a legend of `size` in `corner` of the plot.
    static func cornerOrigin(_ c: Corner, size s: Size, plot: Rect) -> Point {
        let inset = cornerInset
        switch c {
        case .topLeft: return Point(plot.minX + inset, plot.minY + inset)
        case .topRight: return Point(plot.maxX - inset - s.width, plot.minY + inset)
        case .bottomLeft: return Point(plot.minX + inset, plot.maxY - inset - s.height)
        case .bottomRight: return Point(plot.maxX - inset - s.width, plot.maxY - inset - s.height)
        }
    }

    /// The inside corner whose legend box covers the least: line length inside it, 50 per marker
    /// or annotation anchor, a token amount for shaded areas. Nil when no corner scores below 1
    /// (nothing is free) or none fits in the plot.
    static func freeCorner(size s: Size, plot: Rect, obstacles: Obstacles, marks: [PlacedMark]) -> Corner? {
        var best: (score: Double, corner: Corner)?
        for corner in Corner.allCases {
            let r = Rect(origin: cornerOrigin(corner, size: s, plot: plot), size: s)
            guard plot.contains(r) else { continue }
            let probe = r.insetBy(-3)
            var score = obstacles.lines.reduce(0) { $0 + Geo.lengthInside($1.0, $1.1, probe) }
            score += Double(obstacles.markerBoxes.filter { $0.intersects(probe) }.count) * 50
            score += Double(obstacles.anchors.filter { probe.contains($0) }.count) * 50
            for m in marks {
                if case .area(let poly, _) = m.geometry, let b = Path.polygon(poly).bounds, b.intersects(r) { score += 0.001 }
            }
            if best == nil || score < (best?.score ?? .infinity) { best = (score, corner) }
        }
        guard let best, best.score < 1 else { return nil }
        return best.corner
    }
}
