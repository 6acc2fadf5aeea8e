/// Where a link points: a named destination in the same document, or an external URI.
public enum LinkTarget: Sendable, Hashable {
    case destination(String)
    case uri(String)
}

/// Document metadata written into PDFs (dates are fixed for reproducibility by the backend).
public struct DocumentMetadata: Sendable, Hashable {
    public var title: String
    public var author: String
    public var subject: String
    public var keywords: String
    public var creator: String
    public init(title: String = "", author: String = "", subject: String = "", keywords: String = "",
                creator: String = "ridgepoint") {
        self.title = title; self.author = author; self.subject = subject; self.keywords = keywords
        self.creator = creator
    }
}

/// A small vector drawing surface: paths, fills, strokes, Pango-laid-out text, clips, links,
/// pages and outline entries, with coordinates in points (origin top-left, y down).
///
/// Implementations: `CairoCanvas` (PDF, SVG, PNG) in CairoBackend, and `RecordingCanvas`
/// for tests. Charts and documents draw only through this protocol.
public protocol Canvas: TextMeasurer {
    /// Size of the current page in points.
    var pageSize: Size { get }
    func fill(_ path: Path, color: Color)
    func stroke(_ path: Path, style: StrokeStyle)
    /// Draws `text` with the top-left of its logical rectangle at `origin`, rotated by
    /// `rotation` radians (counter-clockwise positive, as on screen) about `origin`.
    func draw(_ text: TextBlock, at origin: Point, rotation: Double) throws
    /// Saves the graphics state (clip); pair with `restore()`.
    func save()
    func restore()
    /// Intersects the clip with `rect` until the matching `restore()`.
    func clip(to rect: Rect)
    /// Makes `rect` a clickable link to `target` (PDF only; other surfaces ignore it).
    func addLink(_ target: LinkTarget, rect: Rect)
    /// Defines the named destination `name` at `point` on the current page (PDF only).
    func addDestination(_ name: String, at point: Point)
    /// Adds a bookmark; returns its id for children. `parent` nil means top level.
    @discardableResult
    func addOutlineEntry(_ title: String, destination: String, parent: Int?, open: Bool) -> Int
    /// Ends the current page and starts a new one of `size` (multi-page surfaces only).
    func beginPage(size: Size)
}

public extension Canvas {
    func draw(_ text: TextBlock, at origin: Point) throws { try draw(text, at: origin, rotation: 0) }
}
