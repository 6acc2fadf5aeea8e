import Canvas
import Foundation

/// Part 4 of a chart's layout: series and reference lines in page space, and the obstacles
/// they make for the legend and the labels.
struct MarkLayout {
    let spec: ChartSpec
    let plot: Rect
    let xScale: AxisScale
    let yScale: AxisScale

    /// A data point in page space; nil when a scale cannot show it (e.g. ≤ 0 on a log axis).
    func page(_ p: DataPoint) -> Point? {
        guard xScale.accepts(p.x), yScale.accepts(p.y) else { return nil }
        let q = Point(xScale(p.x), yScale(p.y))
        return q.x.isFinite && q.y.isFinite ? q : nil
    }

    /// The marks of every series in order, then of every reference line.
    func marks() -> [PlacedMark] {
        var marks: [PlacedMark] = []
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

/// What a legend or a label should not cover: line segments (with the mark they belong to),
/// marker boxes and annotation anchors, all in page space.
struct Obstacles {
    var lines: [(Point, Point, PlacedMark.Source)] = []
    var markerBoxes: [Rect] = []
    var anchors: [Point] = []

    init(marks: [PlacedMark], anchors: [Point]) {
        for m in marks {
            switch m.geometry {
            case .polyline(let pieces, _):
                for piece in pieces where piece.count >= 2 {
                    for k in 1..<piece.count { lines.append((piece[k - 1], piece[k], m.source)) }
                }
            case .rule(let s, _): lines.append((s.from, s.to, m.source))
            case .markers(let cs, let ms, _): markerBoxes += cs.map { Geo.box(center: $0, radius: ms.radius + 1) }
            case .area: break
            }
        }
        self.anchors = anchors
    }
}
