/// The coordinate maps a canvas needs: a uniform scale about the origin followed by a
/// translation, `p ↦ (scale·x + tx, scale·y + ty)`. Rotation is not part of it because it is
/// only ever applied to a single text block (`Canvas.draw(_:at:rotation:)`), and keeping the map
/// axis-aligned keeps clip and link rectangles rectangles.
public struct Transform: Sendable, Hashable {
    public var scale: Double
    public var translation: Point

    public init(scale: Double = 1, translation: Point = .zero) {
        self.scale = scale; self.translation = translation
    }

    public static let identity = Transform()
    /// Shifts every coordinate by `offset`: how a chart laid out from (0, 0) is placed on a page.
    public static func translation(_ offset: Point) -> Transform { Transform(translation: offset) }
    /// Scales by `scale` about (0, 0), then moves (0, 0) to `origin`: how a figure wider than the
    /// text column is shown smaller.
    public static func scale(_ scale: Double, thenTranslateTo origin: Point) -> Transform {
        Transform(scale: scale, translation: origin)
    }

    /// `self` applied after `inner`: `(self ∘ inner)(p) = self(inner(p))`.
    public func concatenating(_ inner: Transform) -> Transform {
        Transform(scale: scale * inner.scale, translation: apply(inner.translation))
    }

    public func apply(_ p: Point) -> Point { Point(translation.x + p.x * scale, translation.y + p.y * scale) }
    public func apply(_ r: Rect) -> Rect {
        Rect(origin: apply(r.origin), size: Size(r.width * scale, r.height * scale))
    }
    public func apply(_ path: Path) -> Path {
        Path(path.elements.map { e in
            switch e {
            case .move(let p): return .move(apply(p))
            case .line(let p): return .line(apply(p))
            case .curve(let a, let b, let c): return .curve(apply(a), apply(b), to: apply(c))
            case .close: return .close
            }
        })
    }
    /// A length (line width, dash, font size) in the target space.
    public func apply(length: Double) -> Double { length * scale }
}

public extension Canvas {
    /// This canvas seen through `transform`: everything drawn on the result lands on `self` with
    /// its coordinates, line widths, dashes, font sizes and wrap widths mapped. Measuring answers in
    /// the caller's own (unscaled) units, so content lays itself out exactly as at full size.
    func transformed(by transform: Transform) -> Canvas {
        if let t = self as? TransformedCanvas {
            return TransformedCanvas(t.base, transform: t.transform.concatenating(transform))
        }
        return TransformedCanvas(self, transform: transform)
    }
}

/// The one canvas wrapper: forwards every call to `base` with `transform` applied. Made through
/// `Canvas.transformed(by:)`, which also folds nested transforms into one.
final class TransformedCanvas: Canvas {
    let base: Canvas
    let transform: Transform

    init(_ base: Canvas, transform: Transform) { self.base = base; self.transform = transform }

    var pageSize: Size {
        Size(base.pageSize.width / transform.scale, base.pageSize.height / transform.scale)
    }
    func measure(_ text: TextBlock) throws -> TextMetrics { try base.measure(text) }

    func fill(_ path: Path, color: Color) { base.fill(transform.apply(path), color: color) }
    func stroke(_ path: Path, style: StrokeStyle) {
        var s = style
        s.width = transform.apply(length: style.width)
        s.dash = style.dash.map { transform.apply(length: $0) }
        base.stroke(transform.apply(path), style: s)
    }
    func draw(_ text: TextBlock, at p: Point, rotation: Double) throws {
        var t = text
        t.font.size = transform.apply(length: text.font.size)
        t.width = text.width.map { transform.apply(length: $0) }
        try base.draw(t, at: transform.apply(p), rotation: rotation)
    }
    func save() { base.save() }
    func restore() { base.restore() }
    func clip(to rect: Rect) { base.clip(to: transform.apply(rect)) }
    func addLink(_ target: LinkTarget, rect: Rect) { base.addLink(target, rect: transform.apply(rect)) }
    func addDestination(_ name: String, at point: Point) { base.addDestination(name, at: transform.apply(point)) }
    @discardableResult
    func addOutlineEntry(_ title: String, destination: String, parent: Int?, open: Bool) -> Int {
        base.addOutlineEntry(title, destination: destination, parent: parent, open: open)
    }
    /// Ignored: a transformed canvas is a drawing placed on someone else's page (a chart in a
    /// document), which must not start pages of that document.
    func beginPage(size: Size) {}
}
