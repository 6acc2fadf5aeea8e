import Foundation

/// A canvas that records every drawing call as a value, for tests of layout and charts.
///
/// Text is measured by the `TextMeasurer` given at creation (use the Pango measurer from
/// CairoBackend in tests so that boxes match what the real output draws).
public final class RecordingCanvas: Canvas {
    /// One recorded drawing operation, on page `page` (0-based).
    public enum Operation: Sendable, Hashable {
        case fill(Path, Color)
        case stroke(Path, StrokeStyle)
        /// Text with its origin, rotation and the box it occupies on the page (rotation applied).
        case text(TextBlock, origin: Point, rotation: Double, box: Rect)
        case save, restore
        case clip(Rect)
        case link(LinkTarget, Rect)
        case destination(String, Point)
        case outline(title: String, destination: String, parent: Int?, id: Int)
        case page(Size)
    }

    public private(set) var operations: [(page: Int, op: Operation)] = []
    public private(set) var pageSize: Size
    public private(set) var pageCount = 1
    private let measurer: TextMeasurer
    private var nextOutlineID = 1

    public init(size: Size, measurer: TextMeasurer) {
        pageSize = size; self.measurer = measurer
    }

    public func measure(_ text: TextBlock) throws -> TextMetrics { try measurer.measure(text) }

    private func record(_ op: Operation) { operations.append((pageCount - 1, op)) }

    public func fill(_ path: Path, color: Color) { record(.fill(path, color)) }
    public func stroke(_ path: Path, style: StrokeStyle) { record(.stroke(path, style)) }
    public func draw(_ text: TextBlock, at origin: Point, rotation: Double) throws {
        let m = try measurer.measure(text)
        let box = RecordingCanvas.rotatedBox(origin: origin, size: m.size, rotation: rotation)
        record(.text(text, origin: origin, rotation: rotation, box: box))
    }
    public func save() { record(.save) }
    public func restore() { record(.restore) }
    public func clip(to rect: Rect) { record(.clip(rect)) }
    public func addLink(_ target: LinkTarget, rect: Rect) { record(.link(target, rect)) }
    public func addDestination(_ name: String, at point: Point) { record(.destination(name, point)) }
    @discardableResult
    public func addOutlineEntry(_ title: String, destination: String, parent: Int?, open: Bool) -> Int {
        let id = nextOutlineID; nextOutlineID += 1
        record(.outline(title: title, destination: destination, parent: parent, id: id))
        return id
    }
    public func beginPage(size: Size) {
        pageCount += 1; pageSize = size; record(.page(size))
    }

    /// Every text drawn, with the page-space box it covers.
    public var texts: [(page: Int, text: TextBlock, box: Rect)] {
        operations.compactMap { e in
            if case .text(let t, _, _, let box) = e.op { return (e.page, t, box) } else { return nil }
        }
    }

    /// The axis-aligned box covered by a `size` rectangle whose top-left is at `origin`,
    /// rotated by `rotation` radians counter-clockwise about `origin` (y axis pointing down).
    public static func rotatedBox(origin: Point, size: Size, rotation: Double) -> Rect {
        if rotation == 0 { return Rect(origin: origin, size: size) }
        let c = cos(rotation), s = sin(rotation)
        // Counter-clockwise on screen with y down: x' = x·c + y·s, y' = −x·s + y·c.
        let corners = [(0.0, 0.0), (size.width, 0), (0, size.height), (size.width, size.height)].map { (x, y) in
            Point(origin.x + x * c + y * s, origin.y - x * s + y * c)
        }
        let xs = corners.map(\.x), ys = corners.map(\.y)
        let x0 = xs.min() ?? origin.x, y0 = ys.min() ?? origin.y
        return Rect(x: x0, y: y0, width: (xs.max() ?? x0) - x0, height: (ys.max() ?? y0) - y0)
    }
}

/// A rough measurer (no Pango): 0.6 em per character, 1.2 em per line. For unit tests of
/// code that needs *a* measurer but not real glyph widths.
public final class ApproximateTextMeasurer: TextMeasurer {
    public init() {}
    public func measure(_ text: TextBlock) throws -> TextMetrics {
        let plain = text.markup.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        let lines = plain.split(separator: "\n", omittingEmptySubsequences: false)
        let em = text.font.size
        let w = Double(lines.map(\.count).max() ?? 0) * 0.6 * em
        let lineH = 1.2 * em
        let extents = (0..<lines.count).map { Double($0) * lineH ... Double($0 + 1) * lineH }
        return TextMetrics(size: Size(min(w, text.width ?? w), lineH * Double(lines.count)),
                           baseline: 0.93 * em, lineCount: lines.count, lineExtents: extents)
    }
}
