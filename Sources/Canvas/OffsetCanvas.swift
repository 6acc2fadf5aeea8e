/// Draws on another canvas with every coordinate shifted by `offset`: how a chart laid out
/// from (0, 0) is placed at a position on a document page.
public final class OffsetCanvas: Canvas {
    public let base: Canvas
    public let offset: Point
    public init(_ base: Canvas, offset: Point) { self.base = base; self.offset = offset }

    public var pageSize: Size { base.pageSize }
    public func measure(_ text: TextBlock) throws -> TextMetrics { try base.measure(text) }

    func shift(_ p: Point) -> Point { Point(p.x + offset.x, p.y + offset.y) }
    func shift(_ r: Rect) -> Rect { r.offsetBy(dx: offset.x, dy: offset.y) }
    func shift(_ path: Path) -> Path {
        Path(path.elements.map { e in
            switch e {
            case .move(let p): return .move(shift(p))
            case .line(let p): return .line(shift(p))
            case .curve(let a, let b, let c): return .curve(shift(a), shift(b), to: shift(c))
            case .close: return .close
            }
        })
    }

    public func fill(_ path: Path, color: Color) { base.fill(shift(path), color: color) }
    public func stroke(_ path: Path, style: StrokeStyle) { base.stroke(shift(path), style: style) }
    public func draw(_ text: TextBlock, at origin: Point, rotation: Double) throws { try base.draw(text, at: shift(origin), rotation: rotation) }
    public func save() { base.save() }
    public func restore() { base.restore() }
    public func clip(to rect: Rect) { base.clip(to: shift(rect)) }
    public func addLink(_ target: LinkTarget, rect: Rect) { base.addLink(target, rect: shift(rect)) }
    public func addDestination(_ name: String, at point: Point) { base.addDestination(name, at: shift(point)) }
    @discardableResult
    public func addOutlineEntry(_ title: String, destination: String, parent: Int?, open: Bool) -> Int {
        base.addOutlineEntry(title, destination: destination, parent: parent, open: open)
    }
    public func beginPage(size: Size) { base.beginPage(size: size) }
}
