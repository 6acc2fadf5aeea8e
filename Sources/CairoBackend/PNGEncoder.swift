import CCairoPango

/// PNG encoding through libpng directly, with explicit settings.
///
/// Cairo's own `cairo_surface_write_to_png_stream` uses libpng's defaults (zlib level 6 and
/// adaptive filtering) and took about 90 % of a chart's render time when measured here. This
/// encoder writes the same pixels as 8-bit RGB with zlib level 1 and no row filter by default:
/// several times faster, files somewhat larger, and still deterministic — no tIME, tEXt, bKGD
/// or pHYs chunks, so the same pixels always give the same bytes.
///
/// Pixels are cairo's native-endian premultiplied ARGB32; any that are not opaque are flattened
/// onto white (CairoCanvas paints a white background first, so its pages are opaque and the
/// conversion is exact). The libpng calls run in a C function of the `CCairoPango` shim because
/// libpng reports errors with setjmp/longjmp.
public enum PNGEncoder {
    /// Row filter (the same filter on every row; `adaptive` lets libpng choose per row).
    public enum Filter: Sendable, CaseIterable {
        case none, sub, up, paeth, adaptive

        var mask: Int32 {
            switch self {
            case .none: return Int32(CCAIROPANGO_PNG_FILTER_NONE)
            case .sub: return Int32(CCAIROPANGO_PNG_FILTER_SUB)
            case .up: return Int32(CCAIROPANGO_PNG_FILTER_UP)
            case .paeth: return Int32(CCAIROPANGO_PNG_FILTER_PAETH)
            case .adaptive: return Int32(CCAIROPANGO_PNG_FILTER_ALL)
            }
        }
    }

    /// Encoder settings.
    public struct Settings: Sendable, Equatable {
        /// zlib compression level, 0 (store) … 9.
        public var compressionLevel: Int
        public var filter: Filter
        public init(compressionLevel: Int = 1, filter: Filter = .none) {
            self.compressionLevel = compressionLevel
            self.filter = filter
        }
        /// What `CairoCanvas` uses: level 1, no filter (fastest; see PNGEncoderTests for sizes).
        public static let `default` = Settings()
    }

    /// Encodes `height` rows of `width` ARGB32 pixels starting at `pixels`, `stride` bytes apart.
    public static func encode(argb32 pixels: UnsafeRawPointer, stride: Int, width: Int, height: Int,
                              settings: Settings = .default) throws -> [UInt8] {
        guard width >= 1, height >= 1, width <= 1_000_000, height <= 1_000_000, stride >= width * 4,
              stride <= Int(Int32.max), (0...9).contains(settings.compressionLevel) else {
            throw CairoError.invalidArgument("PNG of \(width) × \(height) pixels, stride \(stride), "
                                             + "compression level \(settings.compressionLevel)")
        }
        let sink = ByteSink()
        sink.bytes.reserveCapacity(width * height / 4)
        let status = withExtendedLifetime(sink) {
            CCairoPango_write_png_rgb(pixels.assumingMemoryBound(to: UInt8.self), Int32(stride), Int32(width),
                                      Int32(height), Int32(settings.compressionLevel), settings.filter.mask,
                                      appendPNGBytes, Unmanaged.passUnretained(sink).toOpaque())
        }
        switch Int(status) {
        case Int(CCAIROPANGO_PNG_OK): break
        case Int(CCAIROPANGO_PNG_NO_MEMORY):
            throw CairoError.cairo(operation: "PNG encoding (libpng)", status: "out of memory")
        case Int(CCAIROPANGO_PNG_WRITE_ERROR):
            throw CairoError.cairo(operation: "PNG encoding (libpng)", status: "write error")
        case Int(CCAIROPANGO_PNG_BAD_ARGUMENT):
            throw CairoError.invalidArgument("PNG encoder arguments")
        default:
            throw CairoError.cairo(operation: "PNG encoding (libpng)", status: "libpng error \(status)")
        }
        return sink.bytes
    }

    /// Encodes a flushed cairo ARGB32 (or RGB24) image surface.
    static func encode(surface: OpaquePointer, settings: Settings = .default) throws -> [UInt8] {
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else {
            throw CairoError.unsupported("PNG encoding of a cairo image surface in format \(format.rawValue)")
        }
        cairo_surface_flush(surface)
        try CairoError.check(cairo_surface_status(surface), "cairo_surface_flush")
        guard let data = cairo_image_surface_get_data(surface) else {
            throw CairoError.cairo(operation: "cairo_image_surface_get_data", status: "returned NULL")
        }
        if format == CAIRO_FORMAT_RGB24 {
            // RGB24 leaves the top byte undefined: treat every pixel as opaque.
            let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
            let stride = Int(cairo_image_surface_get_stride(surface))
            var copy = [UInt32](repeating: 0, count: w * h)
            for y in 0..<h {
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<w { copy[y * w + x] = row[x] | 0xFF00_0000 }
            }
            return try copy.withUnsafeBytes { buf in
                guard let base = buf.baseAddress else { throw CairoError.invalidArgument("empty image") }
                return try encode(argb32: base, stride: w * 4, width: w, height: h, settings: settings)
            }
        }
        return try encode(argb32: UnsafeRawPointer(data), stride: Int(cairo_image_surface_get_stride(surface)),
                          width: Int(cairo_image_surface_get_width(surface)),
                          height: Int(cairo_image_surface_get_height(surface)), settings: settings)
    }
}

/// `CCairoPango_png_write_func` appending to the `ByteSink` passed (unretained) as the closure.
private func appendPNGBytes(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: Int) -> Int32 {
    guard let closure else { return 1 }
    guard let data, length > 0 else { return 0 }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
    return 0
}
