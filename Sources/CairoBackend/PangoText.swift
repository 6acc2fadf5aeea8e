import CCairoPango
import Foundation
import Canvas

// MARK: - Owning wrappers (internal: no C pointers in the public API)

/// Owns a `PangoCairoFontMap` at 72 dpi (Pango size 10 == 10 pt).
final class FontMapRef {
    let pointer: UnsafeMutablePointer<PangoFontMap>

    init() throws {
        FontConfiguration.pin()
        guard let fm = pango_cairo_font_map_new() else {
            throw CairoError.invalidArgument("pango_cairo_font_map_new returned NULL")
        }
        pointer = fm
        FontConfiguration.apply(to: fm)
        pango_cairo_font_map_set_resolution(CCairoPango_as_cairo_font_map(fm), 72)
    }

    deinit { CCairoPango_object_unref(UnsafeMutableRawPointer(pointer)) }
}

/// Owns a `PangoContext` configured for surface-independent metrics: unhinted, no glyph rounding,
/// 72 dpi. Keeps its font map alive.
final class PangoContextRef {
    let pointer: OpaquePointer
    let fontMap: FontMapRef

    init(fontMap: FontMapRef) throws {
        guard let ctx = pango_font_map_create_context(fontMap.pointer) else {
            throw CairoError.invalidArgument("pango_font_map_create_context returned NULL")
        }
        self.fontMap = fontMap
        pointer = ctx
        if let fo = cairo_font_options_create() {
            cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE)
            cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF)
            pango_cairo_context_set_font_options(ctx, fo)
            cairo_font_options_destroy(fo)
        }
        pango_cairo_context_set_resolution(ctx, 72)
        pango_context_set_round_glyph_positions(ctx, 0)
        // The language and direction of every layout, whatever the process locale (an Arabic
        // locale would otherwise change shaping defaults and font choices).
        pango_context_set_language(ctx, pango_language_from_string("en-us"))
        pango_context_set_base_dir(ctx, PANGO_DIRECTION_LTR)
    }

    deinit { CCairoPango_object_unref(UnsafeMutableRawPointer(pointer)) }
}

/// Owns a `PangoLayout`.
final class LayoutRef {
    let pointer: OpaquePointer
    init(context: PangoContextRef) throws {
        guard let l = pango_layout_new(context.pointer) else {
            throw CairoError.invalidArgument("pango_layout_new returned NULL")
        }
        pointer = l
    }
    deinit { CCairoPango_object_unref(UnsafeMutableRawPointer(pointer)) }

    /// The logical rectangle in points (x, y may be non-zero for aligned or wrapped text).
    var logicalRect: (x: Double, y: Double, width: Double, height: Double) {
        var logical = PangoRectangle()
        pango_layout_get_extents(pointer, nil, &logical)
        let s = Double(PANGO_SCALE)
        return (Double(logical.x) / s, Double(logical.y) / s, Double(logical.width) / s, Double(logical.height) / s)
    }

    var metrics: TextMetrics {
        let s = Double(PANGO_SCALE)
        let r = logicalRect
        let baseline = Double(pango_layout_get_baseline(pointer)) / s - r.y
        var extents: [ClosedRange<Double>] = []
        if let iter = pango_layout_get_iter(pointer) {
            repeat {
                var line = PangoRectangle()
                pango_layout_iter_get_line_extents(iter, nil, &line)
                let top = Double(line.y) / s - r.y
                extents.append(top ... top + max(0, Double(line.height) / s))
            } while pango_layout_iter_next_line(iter) != 0
            pango_layout_iter_free(iter)
        }
        return TextMetrics(size: Size(r.width, r.height), baseline: baseline,
                           lineCount: Int(pango_layout_get_line_count(pointer)), lineExtents: extents)
    }
}

// MARK: - Text engine

/// Builds Pango layouts for `TextBlock`s: validates markup, checks fonts, applies wrap width and
/// alignment. One engine (font map) per job; never shared between threads.
final class TextEngine {
    let fontMap: FontMapRef
    /// Context with an identity matrix, used for measuring and drawing (never updated from a cairo_t).
    let measureContext: PangoContextRef
    private var checkedFamilies: Set<String> = []

    /// Families that name a fontconfig alias rather than a font: not checked.
    static let genericFamilies: Set<String> = ["sans", "sans-serif", "serif", "monospace", "mono", "system-ui",
                                               "cursive", "fantasy"]

    init() throws {
        fontMap = try FontMapRef()
        measureContext = try PangoContextRef(fontMap: fontMap)
    }


    /// The families this font map offers (after font pinning: DejaVu plus fontconfig aliases).
    func familyNames() -> [String] {
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>? = nil
        var count: Int32 = 0
        pango_font_map_list_families(fontMap.pointer, &families, &count)
        guard let families else { return [] }
        defer { g_free(families) }
        return (0..<Int(count)).compactMap { i in
            families[i].flatMap { pango_font_family_get_name($0) }.map { String(cString: $0) }
        }.sorted()
    }

    /// Throws `fontUnavailable` when fontconfig substitutes another family for `family`
    /// (checked once per family and engine).
    func checkFamily(_ family: String) throws {
        if checkedFamilies.contains(family) { return }
        let requested = family.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        if requested.isEmpty || requested.contains(where: { TextEngine.genericFamilies.contains($0) }) {
            checkedFamilies.insert(family); return
        }
        guard let desc = pango_font_description_new() else {
            throw CairoError.invalidArgument("pango_font_description_new returned NULL")
        }
        defer { pango_font_description_free(desc) }
        pango_font_description_set_family(desc, family)
        pango_font_description_set_size(desc, 10 * PANGO_SCALE)
        var resolved = "(nothing)"
        if let font = pango_font_map_load_font(fontMap.pointer, measureContext.pointer, desc) {
            if let fd = pango_font_describe(font) {
                if let name = pango_font_description_get_family(fd) { resolved = String(cString: name) }
                pango_font_description_free(fd)
            }
            CCairoPango_object_unref(UnsafeMutableRawPointer(font))
        }
        guard requested.contains(resolved.lowercased()) else {
            throw CairoError.fontUnavailable(requested: family, resolved: resolved)
        }
        checkedFamilies.insert(family)
    }

    /// What determines a layout (the colour does not: it is set on the cairo context when drawing).
    private struct LayoutKey: Hashable {
        var markup: String, font: Font, width: Double?, alignment: TextAlignment
    }
    /// Layouts already built in `measureContext`: a chart measures each label once and draws it
    /// once per output format, so most requests repeat. Bounded; cleared when full.
    private var cache: [LayoutKey: LayoutRef] = [:]
    static let cacheLimit = 1024

    /// A layout for `text` in `context` (which must come from this engine's font map). Layouts
    /// in `measureContext` are cached and shared: callers must not modify them.
    func layout(_ text: TextBlock, in context: PangoContextRef) throws -> LayoutRef {
        guard context === measureContext else { return try makeLayout(text, in: context) }
        let key = LayoutKey(markup: text.markup, font: text.font, width: text.width, alignment: text.alignment)
        if let hit = cache[key] { return hit }
        let made = try makeLayout(text, in: context)
        if cache.count >= TextEngine.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = made
        return made
    }

    private func makeLayout(_ text: TextBlock, in context: PangoContextRef) throws -> LayoutRef {
        let font = text.font
        guard font.size.isFinite, font.size > 0, font.size < 10_000 else {
            throw CairoError.invalidArgument("font size \(font.size) pt")
        }
        try checkFamily(font.family)

        // Parse first: pango_layout_set_markup would only log a warning and leave the layout empty.
        var attrs: OpaquePointer? = nil
        var plain: UnsafeMutablePointer<CChar>? = nil
        var error: UnsafeMutablePointer<GError>? = nil
        // Pango reports a float attribute (line_height='1.2') as unparsable when errno is set
        // after its g_ascii_strtod. One such failure was seen once in a multi-threaded test run
        // (not reproduced since); clearing errno first is cheap insurance.
        errno = 0
        let ok = pango_parse_markup(text.markup, -1, 0, &attrs, &plain, nil, &error)
        defer {
            if let attrs { pango_attr_list_unref(attrs) }
            if let plain { g_free(plain) }
            CCairoPango_error_free(error)
        }
        guard ok != 0 else {
            var message = "unknown error"
            if let error, let m = error.pointee.message { message = String(cString: m) }
            throw CairoError.invalidMarkup(markup: text.markup, message: message)
        }

        let layout = try LayoutRef(context: context)
        guard let desc = pango_font_description_new() else {
            throw CairoError.invalidArgument("pango_font_description_new returned NULL")
        }
        pango_font_description_set_family(desc, font.family)
        pango_font_description_set_size(desc, Int32((font.size * Double(PANGO_SCALE)).rounded()))
        pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(desc, font.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_layout_set_font_description(layout.pointer, desc)
        pango_font_description_free(desc)

        if let width = text.width {
            guard width.isFinite, width > 0, width < 1_000_000 else {
                throw CairoError.invalidArgument("wrap width \(width) pt")
            }
            pango_layout_set_width(layout.pointer, Int32((width * Double(PANGO_SCALE)).rounded(.down)))
            pango_layout_set_wrap(layout.pointer, PANGO_WRAP_WORD_CHAR)
        }
        let alignment: PangoAlignment
        switch text.alignment {
        case .left: alignment = PANGO_ALIGN_LEFT
        case .center: alignment = PANGO_ALIGN_CENTER
        case .right: alignment = PANGO_ALIGN_RIGHT
        }
        pango_layout_set_alignment(layout.pointer, alignment)
        pango_layout_set_text(layout.pointer, plain, -1)
        pango_layout_set_attributes(layout.pointer, attrs)
        return layout
    }
}

// MARK: - Public measurer

/// Measures `TextBlock`s with Pango exactly as `CairoCanvas` lays them out (72 dpi, unhinted
/// metrics, unrounded glyph positions: the same sizes on PDF, SVG and PNG).
///
/// Owns its own font map; create one per job or thread and never share it between threads.
/// A `CairoCanvas` created with `measurer:` reuses its font map.
///
/// Sizes: `TextMetrics.size` is the logical rectangle of the laid-out text. With a wrap width,
/// the width is that of the widest line (≤ the wrap width); alignment places lines relative to
/// each other inside that rectangle.
public final class PangoTextMeasurer: TextMeasurer {
    let engine: TextEngine

    /// Pins the fonts (`FontConfiguration.pin()`), creates a font map and checks that the
    /// default family (`FontFamily.sans`) is installed.
    public init() throws {
        engine = try TextEngine()
        try engine.checkFamily(FontFamily.sans)
    }

    public func measure(_ text: TextBlock) throws -> TextMetrics {
        try engine.layout(text, in: engine.measureContext).metrics
    }

    /// Throws `CairoError.invalidMarkup` when Pango cannot parse `markup`.
    public static func validate(markup: String) throws {
        FontConfiguration.pin()
        var error: UnsafeMutablePointer<GError>? = nil
        errno = 0   // see `layout`: Pango reads errno after parsing float attributes
        let ok = pango_parse_markup(markup, -1, 0, nil, nil, nil, &error)
        defer { CCairoPango_error_free(error) }
        guard ok != 0 else {
            var message = "unknown error"
            if let error, let m = error.pointee.message { message = String(cString: m) }
            throw CairoError.invalidMarkup(markup: markup, message: message)
        }
    }

    /// The cairo and Pango versions in use, e.g. "cairo 1.16.0, pango 1.50.12".
    public static var libraryVersions: String {
        let c = cairo_version_string().map { String(cString: $0) } ?? "?"
        let p = pango_version_string().map { String(cString: $0) } ?? "?"
        return "cairo \(c), pango \(p)"
    }

    /// Everything outside Ridgepoint's own code that its drawn output depends on: the cairo,
    /// Pango, libpng and fontconfig versions and the pinned font files.
    public static var environmentFingerprint: String {
        libraryVersions + ", libpng \(String(cString: png_get_libpng_ver(nil))); " + FontConfiguration.fingerprint
    }
}
