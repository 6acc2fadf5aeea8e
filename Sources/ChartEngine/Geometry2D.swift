import Canvas

/// Small page-geometry helpers for layout (segment clipping, distances).
enum Geo {
    /// The part of segment a→b inside `r` (Liang–Barsky), nil when it misses.
    static func clip(_ a: Point, _ b: Point, to r: Rect) -> (Point, Point)? {
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        let checks: [(Double, Double)] = [(-dx, a.x - r.minX), (dx, r.maxX - a.x), (-dy, a.y - r.minY), (dy, r.maxY - a.y)]
        for (p, q) in checks {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { if t > t1 { return nil }; if t > t0 { t0 = t } } else { if t < t0 { return nil }; if t < t1 { t1 = t } }
            }
        }
        return (Point(a.x + t0 * dx, a.y + t0 * dy), Point(a.x + t1 * dx, a.y + t1 * dy))
    }
    static func length(_ a: Point, _ b: Point) -> Double { ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() }
    /// Length of segment a→b inside `r`.
    static func lengthInside(_ a: Point, _ b: Point, _ r: Rect) -> Double {
        guard let (p, q) = clip(a, b, to: r) else { return 0 }
        return length(p, q)
    }
    static func crosses(_ a: Point, _ b: Point, _ r: Rect) -> Bool { lengthInside(a, b, r) > 0.01 }
    static func box(center c: Point, radius: Double) -> Rect {
        Rect(x: c.x - radius, y: c.y - radius, width: 2 * radius, height: 2 * radius)
    }
    /// True when segments a→b and c→d cross (proper intersection; shared endpoints do not count).
    static func segmentsCross(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> Bool {
        func orient(_ p: Point, _ q: Point, _ r: Point) -> Double { (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x) }
        let d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d)
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
    }
    /// The point of `r` nearest to `p`.
    static func nearest(in r: Rect, to p: Point) -> Point {
        Point(min(max(p.x, r.minX), r.maxX), min(max(p.y, r.minY), r.maxY))
    }
}
