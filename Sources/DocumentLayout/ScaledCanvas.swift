import Canvas

/// Draws on another canvas with coordinates scaled by `scale` about (0, 0) and then shifted to
/// `origin`: how a figure wider than the text column is shown smaller. Text is drawn with its font
/// size and wrap width scaled; `measure` answers in the figure's own (unscaled) units, so the
/// figure lays itself out exactly as it would at full size. Page, outline and link calls from the
/// figure are passed through (links/destinations mapped), `beginPage` is ignored.
final class ScaledCanvas: Canvas {
    let base: Canvas
    let origin: Point
    let scale: Double

    init(_ base: Canvas, origin: Point, scale: Double) {
        self.base = base; self.origin = origin; self.scale = scale
    }

    var pageSize: Size { Size(base.pageSize.width / scale, base.pageSize.height / scale) }
    func measure(_ text: TextBlock) throws -> TextMetrics { try base.measure(text) }

    private func map(_ p: Point) -> Point { Point(origin.x + p.x * scale, origin.y + p.y * scale) }
    private func map(_ r: Rect) -> Rect {
        Rect(origin: map(r.origin), size: Size(r.width * scale, r.height * scale))
    }
    private func map(_ path: Path) -> Path {
        Path(path.elements.map { e in
            switch e {
            case .move(let p): return .move(map(p))
            case .line(let p): return .line(map(p))
            case .curve(let a, let b, let c): return .curve(map(a), map(b), to: map(c))
            case .close: return .close
            }
        })
    }

    func fill(_ path: Path, color: Color) { base.fill(map(path), color: color) }
    func stroke(_ path: Path, style: StrokeStyle) {
        var s = style
        s.width = style.width * scale
        s.dash = style.dash.map { $0 * scale }
        base.stroke(map(path), style: s)
    }
    func draw(_ text: TextBlock, at p: Point, rotation: Double) throws {
        var t = text
        t.font.size = text.font.size * scale
        t.width = text.width.map { $0 * scale }
        try base.draw(t, at: map(p), rotation: rotation)
    }
    func save() { base.save() }
    func restore() { base.restore() }
    func clip(to rect: Rect) { base.clip(to: map(rect)) }
    func addLink(_ target: LinkTarget, rect: Rect) { base.addLink(target, rect: map(rect)) }
    func addDestination(_ name: String, at point: Point) { base.addDestination(name, at: map(point)) }
    @discardableResult
    func addOutlineEntry(_ title: String, destination: String, parent: Int?, open: Bool) -> Int {
        base.addOutlineEntry(title, destination: destination, parent: parent, open: open)
    }
    func beginPage(size: Size) {}
}
