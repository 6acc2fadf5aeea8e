/// One step of a vector path.
public enum PathElement: Sendable, Hashable {
    case move(Point)
    case line(Point)
    /// Cubic Bézier to `to` with control points `c1`, `c2`.
    case curve(Point, Point, to: Point)
    case close
}

/// A vector path in points, built from moves, lines, cubic curves and closes.
public struct Path: Sendable, Hashable {
    public private(set) var elements: [PathElement] = []
    public init() {}
    public init(_ elements: [PathElement]) { self.elements = elements }

    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func curve(_ c1: Point, _ c2: Point, to p: Point) { elements.append(.curve(c1, c2, to: p)) }
    public mutating func close() { elements.append(.close) }

    /// A polyline through `points` (open).
    public static func polyline(_ points: [Point]) -> Path {
        var p = Path()
        for (i, q) in points.enumerated() { if i == 0 { p.move(to: q) } else { p.line(to: q) } }
        return p
    }
    /// A closed polygon through `points`.
    public static func polygon(_ points: [Point]) -> Path {
        var p = polyline(points); if !points.isEmpty { p.close() }; return p
    }
    public static func rect(_ r: Rect) -> Path {
        polygon([Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY)])
    }
    public static func line(_ a: Point, _ b: Point) -> Path { polyline([a, b]) }
    /// A circle approximated by four cubic Béziers (error < 0.03 % of the radius).
    public static func circle(center c: Point, radius r: Double) -> Path {
        let k = 0.5522847498 * r
        var p = Path()
        p.move(to: Point(c.x + r, c.y))
        p.curve(Point(c.x + r, c.y + k), Point(c.x + k, c.y + r), to: Point(c.x, c.y + r))
        p.curve(Point(c.x - k, c.y + r), Point(c.x - r, c.y + k), to: Point(c.x - r, c.y))
        p.curve(Point(c.x - r, c.y - k), Point(c.x - k, c.y - r), to: Point(c.x, c.y - r))
        p.curve(Point(c.x + k, c.y - r), Point(c.x + r, c.y - k), to: Point(c.x + r, c.y))
        p.close()
        return p
    }
    /// Bounding box of all points of the path (control points included), nil when empty.
    public var bounds: Rect? {
        var xs: [Double] = [], ys: [Double] = []
        for e in elements {
            switch e {
            case .move(let p), .line(let p): xs.append(p.x); ys.append(p.y)
            case .curve(let a, let b, let c): xs += [a.x, b.x, c.x]; ys += [a.y, b.y, c.y]
            case .close: break
            }
        }
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}

public enum LineCap: Sendable, Hashable { case butt, round, square }
public enum LineJoin: Sendable, Hashable { case miter, round, bevel }

/// How a path is stroked.
public struct StrokeStyle: Sendable, Hashable {
    public var color: Color
    /// Line width in points.
    public var width: Double
    /// Dash pattern in points (on, off, …); empty for a solid line.
    public var dash: [Double]
    public var cap: LineCap
    public var join: LineJoin
    public init(color: Color, width: Double = 1, dash: [Double] = [], cap: LineCap = .butt, join: LineJoin = .miter) {
        self.color = color; self.width = width; self.dash = dash; self.cap = cap; self.join = join
    }
}
