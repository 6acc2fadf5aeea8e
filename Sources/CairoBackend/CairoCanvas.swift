import CCairoPango
import Canvas
import Foundation

// MARK: - Owning wrappers

/// Collects the bytes cairo writes to a stream.
final class ByteSink {
    var bytes: [UInt8] = []
}

/// `cairo_write_func_t` appending to the `ByteSink` passed (unretained) as the closure pointer.
private func appendToSink(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?,
                          _ length: UInt32) -> cairo_status_t {
    guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
    guard let data, length > 0 else { return CAIRO_STATUS_SUCCESS }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// Owns a `cairo_surface_t` and the sink it writes to (kept alive as long as the surface).
final class SurfaceRef {
    let pointer: OpaquePointer
    let sink: ByteSink

    init(pointer: OpaquePointer, sink: ByteSink, operation: String) throws {
        self.pointer = pointer
        self.sink = sink
        try CairoError.check(cairo_surface_status(pointer), operation)
    }

    deinit { cairo_surface_destroy(pointer) }
}

/// Owns a `cairo_t` (and keeps its target surface alive).
final class ContextRef {
    let pointer: OpaquePointer
    let surface: SurfaceRef

    init(surface: SurfaceRef) throws {
        guard let cr = cairo_create(surface.pointer) else {
            throw CairoError.cairo(operation: "cairo_create", status: "returned NULL")
        }
        pointer = cr
        self.surface = surface
        try CairoError.check(cairo_status(cr), "cairo_create")
    }

    deinit { cairo_destroy(pointer) }
}

// MARK: - Canvas

/// A `Canvas` that draws with Cairo into memory and returns PDF, SVG or PNG bytes from `finish()`.
///
/// - PDF: any number of pages (`beginPage(size:)`), links, named destinations, outline; metadata
///   with creation/modification dates fixed to `documentDate`, so the same drawing gives the same
///   bytes; the whole document is wrapped in a `Document` structure tag (cairo 1.16 otherwise
///   writes a damaged xref once links are used).
/// - SVG: one page, document unit pt, glyphs as paths; the process-global `surfaceN`/`imageN` ids
///   are renumbered so the same drawing gives the same bytes within a process.
/// - PNG: one page at `dpi` (pixel size = round(points · dpi / 72)), white background, drawn in points;
///   encoded by `PNGEncoder` as 8-bit RGB (zlib level 1, no row filter, no ancillary chunks).
///
/// On SVG and PNG, `beginPage(size:)` is not supported: it records a `CairoError.unsupported`
/// that `finish()` throws. Links, destinations and outline entries are ignored on SVG and PNG.
/// Drawing errors (cairo's sticky status, e.g. an invalid dash) are reported by `finish()`, and so
/// are links or outline entries pointing at a destination name that was never defined.
/// Not thread-safe: create, draw and finish on one thread (or one synchronous job).
public final class CairoCanvas: Canvas {
    /// Creation and modification date written into every PDF (ISO 8601), for reproducible bytes.
    public static let documentDate = "2024-01-01T00:00:00Z"

    public let format: OutputFormat
    /// Size of the current page in points.
    public private(set) var pageSize: Size
    /// Raster resolution (PNG only).
    public let dpi: Double
    public let metadata: DocumentMetadata
    /// Number of pages begun so far (1 after init).
    public private(set) var pageCount = 1
    /// Pixel size of the PNG (nil for PDF and SVG).
    public let pixelSize: (width: Int, height: Int)?
    /// How `finish()` encodes a PNG (zlib level 1, no row filter unless changed before `finish()`).
    public var pngSettings = PNGEncoder.Settings.default
    /// Tests and timings only: encode the PNG with cairo's own writer instead (the previous path).
    var useCairoPNGWriter = false

    private let surface: SurfaceRef
    private let context: ContextRef
    private let engine: TextEngine
    private var deferredError: CairoError?
    private var finished = false
    private var nextLocalOutlineID = 1
    private var definedDestinations: Set<String> = []
    /// Whether anything was drawn on the current page (see `markPageIfBlank`).
    private var pageHasDrawing = false
    private var referencedDestinations: [String] = []
    /// Logical size of the last layout drawn (for tests comparing drawing with measuring).
    private(set) var lastDrawnTextSize: Size?

    private static let documentTag = "Document"

    /// Creates a canvas for `format` with a first page of `size` points.
    /// - Parameters:
    ///   - dpi: PNG resolution (ignored for PDF/SVG).
    ///   - metadata: written into PDFs (title, author, subject, keywords, creator).
    ///   - measurer: reuse this measurer's font map (same thread only); nil creates a new one.
    public init(format: OutputFormat, size: Size, dpi: Double = 150,
                metadata: DocumentMetadata = DocumentMetadata(), measurer: PangoTextMeasurer? = nil) throws {
        try CairoCanvas.validate(size)
        guard dpi.isFinite, dpi > 0, dpi <= 2400 else { throw CairoError.invalidArgument("dpi \(dpi)") }
        FontConfiguration.pin()
        self.format = format
        self.pageSize = size
        self.dpi = dpi
        self.metadata = metadata
        if let measurer {
            engine = measurer.engine
        } else {
            engine = try TextEngine()
            try engine.checkFamily(FontFamily.sans)
        }

        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        var pixels: (Int, Int)? = nil
        switch format {
        case .pdf:
            guard let s = cairo_pdf_surface_create_for_stream(appendToSink, closure, size.width, size.height) else {
                throw CairoError.cairo(operation: "cairo_pdf_surface_create_for_stream", status: "returned NULL")
            }
            surface = try SurfaceRef(pointer: s, sink: sink, operation: "cairo_pdf_surface_create_for_stream")
            CairoCanvas.setPDFMetadata(s, metadata)
        case .svg:
            guard let s = cairo_svg_surface_create_for_stream(appendToSink, closure, size.width, size.height) else {
                throw CairoError.cairo(operation: "cairo_svg_surface_create_for_stream", status: "returned NULL")
            }
            surface = try SurfaceRef(pointer: s, sink: sink, operation: "cairo_svg_surface_create_for_stream")
            cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT)
        case .png:
            let w = Int((size.width * dpi / 72).rounded()), h = Int((size.height * dpi / 72).rounded())
            guard w >= 1, h >= 1, w <= 32767, h <= 32767 else {
                throw CairoError.invalidArgument("PNG of \(w) × \(h) pixels (1…32767 each)")
            }
            guard let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h)) else {
                throw CairoError.cairo(operation: "cairo_image_surface_create", status: "returned NULL")
            }
            surface = try SurfaceRef(pointer: s, sink: sink, operation: "cairo_image_surface_create")
            pixels = (w, h)
        }
        pixelSize = pixels
        context = try ContextRef(surface: surface)
        let cr = context.pointer
        switch format {
        case .pdf:
            cairo_tag_begin(cr, CairoCanvas.documentTag, nil)
        case .svg:
            break
        case .png:
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            // Draw in points. (Pango's <sub>/<sup> are wrong under a scaled CTM: use Markup.sub/sup.)
            cairo_scale(cr, dpi / 72, dpi / 72)
        }
    }

    private static func validate(_ size: Size) throws {
        guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0,
              size.width <= 14_400, size.height <= 14_400 else {
            throw CairoError.invalidArgument("page size \(size.width) × \(size.height) pt")
        }
    }

    private static func setPDFMetadata(_ s: OpaquePointer, _ m: DocumentMetadata) {
        let fields: [(cairo_pdf_metadata_t, String)] = [
            (CAIRO_PDF_METADATA_TITLE, m.title), (CAIRO_PDF_METADATA_AUTHOR, m.author),
            (CAIRO_PDF_METADATA_SUBJECT, m.subject), (CAIRO_PDF_METADATA_KEYWORDS, m.keywords),
            (CAIRO_PDF_METADATA_CREATOR, m.creator),
        ]
        for (key, value) in fields where !value.isEmpty {
            cairo_pdf_surface_set_metadata(s, key, value)
        }
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, documentDate)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, documentDate)
    }

    /// Renders one drawing and returns the finished file's bytes.
    public static func render(format: OutputFormat, size: Size, dpi: Double = 150,
                              metadata: DocumentMetadata = DocumentMetadata(),
                              measurer: PangoTextMeasurer? = nil,
                              _ draw: (CairoCanvas) throws -> Void) throws -> [UInt8] {
        let canvas = try CairoCanvas(format: format, size: size, dpi: dpi, metadata: metadata, measurer: measurer)
        try draw(canvas)
        return try canvas.finish()
    }

    // MARK: TextMeasurer

    public func measure(_ text: TextBlock) throws -> TextMetrics {
        try engine.layout(text, in: engine.measureContext).metrics
    }

    // MARK: Paths

    private func setSource(_ c: Color) {
        cairo_set_source_rgba(context.pointer, c.red, c.green, c.blue, c.alpha)
    }

    private func addPath(_ path: Path) {
        let cr = context.pointer
        cairo_new_path(cr)
        for e in path.elements {
            switch e {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case .curve(let a, let b, let p): cairo_curve_to(cr, a.x, a.y, b.x, b.y, p.x, p.y)
            case .close: cairo_close_path(cr)
            }
        }
    }

    public func fill(_ path: Path, color: Color) {
        guard !path.elements.isEmpty else { return }
        pageHasDrawing = true
        addPath(CairoCanvas.avoidingWholePageBox(path, page: pageSize, format: format))
        setSource(color)
        cairo_fill(context.pointer)
    }

    /// Cairo 1.16 turns a fill whose path is one box covering the whole page into a paint, and
    /// a paint on a still-clear page (or with an opaque source) resets the page's recorded
    /// commands — including the "Document" structure tag opened at the start, so finish() fails
    /// with "invalid tag name, attributes, or nesting". On PDF such a box is filled as two
    /// abutting halves in one path: the same pixels, but not a box, so nothing is discarded.
    static func avoidingWholePageBox(_ path: Path, page: Size, format: OutputFormat) -> Path {
        guard format == .pdf, path.elements.count == 5, case .close = path.elements[4],
              let b = path.bounds, b.contains(Rect(origin: .zero, size: page), tolerance: 0.5) else { return path }
        let corners = path.elements.prefix(4).compactMap { e -> Point? in
            switch e { case .move(let p), .line(let p): return p; default: return nil }
        }
        let axisAligned = corners.count == 4 && corners.allSatisfy { ($0.x == b.minX || $0.x == b.maxX) && ($0.y == b.minY || $0.y == b.maxY) }
        guard axisAligned else { return path }
        let mid = b.midX
        var split = Path.rect(Rect(x: b.minX, y: b.minY, width: mid - b.minX, height: b.height))
        for e in Path.rect(Rect(x: mid, y: b.minY, width: b.maxX - mid, height: b.height)).elements {
            switch e {
            case .move(let p): split.move(to: p)
            case .line(let p): split.line(to: p)
            case .curve(let a, let c, let t): split.curve(a, c, to: t)
            case .close: split.close()
            }
        }
        return split
    }

    public func stroke(_ path: Path, style: StrokeStyle) {
        guard !path.elements.isEmpty else { return }
        let cr = context.pointer
        pageHasDrawing = true
        addPath(path)
        setSource(style.color)
        cairo_set_line_width(cr, style.width)
        style.dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        switch style.cap {
        case .butt: cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        case .square: cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE)
        }
        switch style.join {
        case .miter: cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
        case .round: cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        case .bevel: cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL)
        }
        cairo_stroke(cr)
    }

    // MARK: Text

    /// Draws `text` with the top-left of its logical rectangle (the `measure` size) at `origin`,
    /// rotated counter-clockwise by `rotation` radians about `origin`. With a wrap width and
    /// centre/right alignment, lines are aligned relative to each other inside that rectangle
    /// (whose width is the widest line's), not inside the wrap width. Throws on invalid markup or
    /// an unavailable font family; nothing is drawn then.
    public func draw(_ text: TextBlock, at origin: Point, rotation: Double) throws {
        let cr = context.pointer
        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_translate(cr, origin.x, origin.y)
        // Counter-clockwise on screen (y down) is a negative cairo angle.
        if rotation != 0 { cairo_rotate(cr, -rotation) }
        // Deliberately no pango_cairo_update_context(cr, …): the layout is computed in user space with
        // the identity-matrix measuring context, so it is exactly what `measure` returned on every
        // surface (on the scaled PNG CTM an updated context differs by ~0.002 pt), and Pango 1.50's
        // <sub>/<sup> keep their size under the PNG scale (with a context updated for the scaled CTM,
        // Pango 1.50 draws them about twice too large). Cairo still rasterises the glyphs for the real CTM (unhinted).
        let layout = try engine.layout(text, in: engine.measureContext)
        let r = layout.logicalRect
        lastDrawnTextSize = Size(r.width, r.height)
        pageHasDrawing = true
        cairo_new_path(cr)
        cairo_move_to(cr, -r.x, -r.y)
        setSource(text.color)
        pango_cairo_show_layout(cr, layout.pointer)
        cairo_new_path(cr)
    }

    // MARK: State and clip

    public func save() { cairo_save(context.pointer) }
    public func restore() { cairo_restore(context.pointer) }

    public func clip(to rect: Rect) {
        let cr = context.pointer
        cairo_new_path(cr)
        cairo_rectangle(cr, rect.minX, rect.minY, rect.width, rect.height)
        cairo_clip(cr)
    }

    // MARK: PDF navigation

    /// A string value for a cairo tag attribute: single-quoted, `\` and `'` escaped.
    static func quoted(_ s: String) -> String {
        var out = "'"
        for ch in s {
            if ch == "\\" || ch == "'" { out.append("\\") }
            out.append(ch)
        }
        return out + "'"
    }

    /// A number for a cairo tag attribute (fixed notation, `.` decimal point).
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        return String(format: "%.4f", v)
    }

    /// The name written to the PDF for destination `name`. Cairo 1.16 writes names into the
    /// /Dests tree without escaping (`\\` and parentheses break), so names outside
    /// `[A-Za-z0-9._:-]` are hex-encoded as `~<utf8 hex>` (injective: plain names never contain `~`).
    static func pdfDestinationName(_ name: String) -> String {
        let safe = name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2E || b == 0x5F || b == 0x3A || b == 0x2D
        }
        if safe && !name.isEmpty { return name }
        let hex = "0123456789abcdef".utf8.map { $0 }
        var out: [UInt8] = [UInt8(ascii: "~")]
        for b in name.utf8 { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `uri` with every byte that is not an RFC 3986 unreserved/reserved character (and the PDF
    /// string delimiters `(`, `)`, `\\`) percent-encoded; existing `%XX` escapes are kept.
    static func pdfURI(_ uri: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'*+,;=%".utf8)
        let hex = "0123456789ABCDEF".utf8.map { $0 }
        var out: [UInt8] = []
        for b in uri.utf8 {
            if allowed.contains(b) { out.append(b) } else {
                out.append(UInt8(ascii: "%")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public func addLink(_ target: LinkTarget, rect: Rect) {
        guard format == .pdf else { return }
        var attributes = "rect=[\(Self.number(rect.minX)) \(Self.number(rect.minY)) "
            + "\(Self.number(rect.width)) \(Self.number(rect.height))] "
        switch target {
        case .destination(let name):
            referencedDestinations.append(name)
            attributes += "dest=\(Self.quoted(Self.pdfDestinationName(name)))"
        case .uri(let uri):
            attributes += "uri=\(Self.quoted(Self.pdfURI(uri)))"
        }
        cairo_tag_begin(context.pointer, CAIRO_TAG_LINK, attributes)
        cairo_tag_end(context.pointer, CAIRO_TAG_LINK)
    }

    public func addDestination(_ name: String, at point: Point) {
        guard format == .pdf else { return }
        definedDestinations.insert(name)
        let attributes = "name=\(Self.quoted(Self.pdfDestinationName(name))) x=\(Self.number(point.x)) y=\(Self.number(point.y))"
        cairo_tag_begin(context.pointer, CAIRO_TAG_DEST, attributes)
        cairo_tag_end(context.pointer, CAIRO_TAG_DEST)
    }

    @discardableResult
    public func addOutlineEntry(_ title: String, destination: String, parent: Int?, open: Bool) -> Int {
        guard format == .pdf else {
            defer { nextLocalOutlineID += 1 }
            return nextLocalOutlineID
        }
        referencedDestinations.append(destination)
        let flags: cairo_pdf_outline_flags_t = open ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0)
        let id = cairo_pdf_surface_add_outline(surface.pointer, Int32(parent ?? Int(CAIRO_PDF_OUTLINE_ROOT)),
                                               title, "dest=\(Self.quoted(Self.pdfDestinationName(destination)))", flags)
        return Int(id)
    }

    /// Sets the label of the current page (`/PageLabels`, shown by viewers instead of the page
    /// number, e.g. "iii" or "A-1"). PDF only; ignored on SVG and PNG.
    public func setPageLabel(_ label: String) {
        guard format == .pdf else { return }
        cairo_pdf_surface_set_page_label(surface.pointer, label)
    }

    /// Cairo 1.16 drops a last page on which nothing was drawn, and the links and destinations of
    /// any page whose content is empty (tags alone do not count). A blank PDF page therefore gets
    /// an opaque white 1 × 1 pt square in its top-left corner: invisible, and nothing to cover.
    private func markPageIfBlank() {
        guard format == .pdf, !pageHasDrawing else { return }
        let cr = context.pointer
        cairo_save(cr)
        cairo_new_path(cr)
        cairo_rectangle(cr, 0, 0, 1, 1)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_fill(cr)
        cairo_restore(cr)
        pageHasDrawing = true
    }

    /// Ends the current page and starts a new one (PDF only; on SVG/PNG `finish()` will throw
    /// `CairoError.unsupported`).
    public func beginPage(size: Size) {
        guard format == .pdf else {
            if deferredError == nil {
                deferredError = .unsupported("beginPage(size:) on a single-page \(format.rawValue) canvas")
            }
            return
        }
        do { try CairoCanvas.validate(size) } catch let e as CairoError {
            if deferredError == nil { deferredError = e }
            return
        } catch {}
        markPageIfBlank()
        cairo_show_page(context.pointer)
        pageHasDrawing = false
        // After show_page, before drawing: sets the size of the page that starts now.
        cairo_pdf_surface_set_size(surface.pointer, size.width, size.height)
        pageSize = size
        pageCount += 1
    }

    /// PNG only, before `finish()`: the box (in points) of all pixels that are not white. For tests.
    func inkBounds() -> Rect? {
        guard format == .png, !finished, let px = pixelSize else { return nil }
        cairo_surface_flush(surface.pointer)
        guard let data = cairo_image_surface_get_data(surface.pointer) else { return nil }
        let stride = Int(cairo_image_surface_get_stride(surface.pointer))
        var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
        for y in 0..<px.height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<px.width where row[x] != 0xFFFF_FFFF {
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        guard x1 >= 0 else { return nil }
        let k = 72 / dpi
        return Rect(x: Double(x0) * k, y: Double(y0) * k, width: Double(x1 - x0 + 1) * k, height: Double(y1 - y0 + 1) * k)
    }

    // MARK: Finish

    /// Finishes the document and returns its bytes. Throws the first error cairo reported while
    /// drawing, a deferred `unsupported` error, or `alreadyFinished` on a second call.
    public func finish() throws -> [UInt8] {
        guard !finished else { throw CairoError.alreadyFinished }
        finished = true
        let cr = context.pointer
        if format == .pdf {
            markPageIfBlank()
            cairo_tag_end(cr, CairoCanvas.documentTag)
        }
        if let deferredError { throw deferredError }
        // Cairo silently drops links to unknown names and writes dangling outline entries.
        if let missing = referencedDestinations.first(where: { !definedDestinations.contains($0) }) {
            throw CairoError.undefinedDestination(missing)
        }
        try CairoError.check(cairo_status(cr), "drawing")
        let sink = surface.sink
        switch format {
        case .pdf, .svg:
            cairo_surface_finish(surface.pointer)
            try CairoError.check(cairo_surface_status(surface.pointer), "cairo_surface_finish")
        case .png:
            // libpng directly at zlib level 1, no row filter: cairo's own writer (libpng defaults,
            // adaptive filters) took ~90 % of a chart's render time. See PNGEncoder.
            if useCairoPNGWriter {
                cairo_surface_flush(surface.pointer)
                let status = cairo_surface_write_to_png_stream(surface.pointer, appendToSink,
                                                               Unmanaged.passUnretained(sink).toOpaque())
                try CairoError.check(status, "cairo_surface_write_to_png_stream")
            } else {
                sink.bytes = try PNGEncoder.encode(surface: surface.pointer, settings: pngSettings)
            }
        }
        var bytes = sink.bytes
        sink.bytes = []
        if format == .svg { bytes = SVGIDNormalizer.normalize(bytes) }
        return bytes
    }
}
