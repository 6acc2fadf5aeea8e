import Canvas
import Foundation
import TestSupport
import Testing
@testable import CairoBackend

/// The PNG path through libpng (`PNGEncoder`): valid files, the same pixels as cairo's own
/// writer, deterministic bytes; and (printed, not asserted) time and size per setting.
@Suite("PNG encoder")
struct PNGEncoderTests {
    struct Chunk { var type: String; var data: [UInt8] }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func be32(_ b: ArraySlice<UInt8>) -> UInt32 { b.reduce(0) { $0 << 8 | UInt32($1) } }

    enum Malformed: Error { case signature, truncated(Int), crc(String) }

    /// The chunks of `png`, checking the signature, the lengths and every CRC.
    static func chunks(_ png: [UInt8]) throws -> [Chunk] {
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Malformed.signature }
        var out: [Chunk] = [], i = 8
        while i < png.count {
            guard i + 12 <= png.count else { throw Malformed.truncated(i) }
            let length = Int(be32(png[i..<i + 4]))
            guard i + 12 + length <= png.count else { throw Malformed.truncated(i) }
            let type = String(decoding: png[i + 4..<i + 8], as: UTF8.self)
            let crc = be32(png[i + 8 + length..<i + 12 + length])
            guard crc32(png[i + 4..<i + 8 + length]) == crc else { throw Malformed.crc(type) }
            out.append(Chunk(type: type, data: Array(png[i + 8..<i + 8 + length])))
            i += 12 + length
        }
        return out
    }

    /// Renders the chart-like page of `ChartLikePage`, with our encoder or cairo's writer.
    static func chartPNG(settings: PNGEncoder.Settings = .default, cairoWriter: Bool = false,
                         measurer: PangoTextMeasurer? = nil) throws -> [UInt8] {
        let canvas = try CairoCanvas(format: .png, size: ChartLikePage.pageSize, measurer: measurer)
        canvas.pngSettings = settings
        canvas.useCairoPNGWriter = cairoWriter
        try ChartLikePage.drawChart(canvas)
        return try canvas.finish()
    }

    /// Decodes PNGs with python3's zlib (every filter type) and compares their RGB pixels.
    /// Prints "same" or what differs; nil when python3 is not installed.
    static let comparePixelsScript = #"""
    import sys, zlib, struct
    def decode(path):
        data = open(path, "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
        i, idat, ihdr = 8, b"", None
        while i < len(data):
            n, t = struct.unpack(">I4s", data[i:i + 8])
            body = data[i + 8:i + 8 + n]
            assert zlib.crc32(t + body) & 0xffffffff == struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0], "crc"
            if t == b"IHDR": ihdr = struct.unpack(">IIBBBBB", body)
            if t == b"IDAT": idat += body
            i += 12 + n
        w, h, depth, colour, _, _, interlace = ihdr
        assert depth == 8 and interlace == 0, ihdr
        bpp = {2: 3, 6: 4}[colour]
        raw = zlib.decompress(idat)
        stride = w * bpp
        assert len(raw) == h * (stride + 1), ("length", len(raw))
        out, prev = bytearray(), bytearray(stride)
        for y in range(h):
            f = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                if f == 1: line[x] = (line[x] + a) & 255
                elif f == 2: line[x] = (line[x] + b) & 255
                elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
                else: assert f == 0, ("filter", f)
            prev = line
            if bpp == 4:
                rgb = bytearray()
                for x in range(w): rgb += line[4 * x:4 * x + 3]
                out += rgb
            else:
                out += line
        return (w, h), bytes(out)
    ref = decode(sys.argv[1])
    for p in sys.argv[2:]:
        got = decode(p)
        if got[0] != ref[0]: print("size", p, got[0], ref[0]); sys.exit(1)
        if got[1] != ref[1]:
            d = next(i for i in range(len(ref[1])) if got[1][i] != ref[1][i])
            print("pixels differ", p, "at byte", d); sys.exit(1)
    print("same")
    """#

    @Test func validChunksAndHeader() throws {
        let png = try Self.chartPNG()
        let chunks = try Self.chunks(png)
        #expect(chunks.first?.type == "IHDR")
        #expect(chunks.last?.type == "IEND")
        // Only critical chunks: no tIME, tEXt, bKGD, pHYs — nothing that can vary between runs.
        #expect(Set(chunks.map(\.type)).isSubset(of: ["IHDR", "IDAT", "IEND"]))
        let ihdr = try #require(chunks.first?.data)
        #expect(ihdr.count == 13)
        let width = Self.be32(ihdr[0..<4]), height = Self.be32(ihdr[4..<8])
        // 504 × 331 pt at 150 dpi.
        #expect(width == 1050 && height == 690)
        // Bit depth 8, colour type 2 (RGB), deflate, adaptive-filter method 0, no interlace.
        #expect(Array(ihdr[8..<13]) == [8, 2, 0, 0, 0])
        // zlib stream header: deflate, 32 KiB window, level-1 flag (FLEVEL 0 = fastest).
        let idat = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        #expect(idat.count > 2)
        let cmf = idat.first ?? 0, flg = idat.dropFirst().first ?? 0
        let check = (UInt16(cmf) << 8 | UInt16(flg)) % 31
        #expect(cmf == 0x78)
        #expect(check == 0)
        #expect(flg >> 6 == 0)
    }

    @Test func sameDrawingSameBytes() throws {
        let a = try Self.chartPNG(), b = try Self.chartPNG()
        #expect(a == b)
        for filter in PNGEncoder.Filter.allCases {
            let s = PNGEncoder.Settings(compressionLevel: 1, filter: filter)
            #expect(try Self.chartPNG(settings: s) == (try Self.chartPNG(settings: s)))
        }
    }

    /// Every setting decodes (python3 zlib) to exactly the pixels cairo's own writer stored.
    @Test func samePixelsAsCairosWriter() throws {
        guard Tool.available("python3") else { return }
        let dir = try makeTempDir("png-encoder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cairo = try write(try Self.chartPNG(cairoWriter: true), to: dir, "cairo.png")
        var ours: [String] = []
        for (i, filter) in PNGEncoder.Filter.allCases.enumerated() {
            for level in [0, 1, 6, 9] {
                let s = PNGEncoder.Settings(compressionLevel: level, filter: filter)
                ours.append(try write(try Self.chartPNG(settings: s), to: dir, "ours-\(i)-\(level).png"))
            }
        }
        let script = try write(Array(Self.comparePixelsScript.utf8), to: dir, "compare.py")
        let r = try #require(try Tool.run("python3", [script, cairo] + ours))
        #expect(r.status == 0 && r.stdout.hasPrefix("same"), "\(r.stdout) \(r.stderr)")
        // The sample drawing of the other backend tests, with rotated text and clipping.
        let sampleCairo: [UInt8] = try {
            let c = try CairoCanvas(format: .png, size: Size(400, 300))
            c.useCairoPNGWriter = true
            try drawSample(c, pages: 1)
            return try c.finish()
        }()
        let sample = try CairoCanvas.render(format: .png, size: Size(400, 300)) { try drawSample($0, pages: 1) }
        let a = try write(sampleCairo, to: dir, "sample-cairo.png"), b = try write(sample, to: dir, "sample.png")
        let r2 = try #require(try Tool.run("python3", [script, a, b]))
        #expect(r2.status == 0 && r2.stdout.hasPrefix("same"), "\(r2.stdout) \(r2.stderr)")
    }

    /// Premultiplied ARGB32 → RGB without zlib: at level 0 the IDAT holds stored deflate blocks,
    /// so the filtered rows can be read back directly.
    @Test func conversionOfKnownPixels() throws {
        // 3 × 2 pixels, stride 16 (padding), native-endian 0xAARRGGBB premultiplied.
        let pixels: [UInt32] = [0xFFFF_0000, 0xFF00_FF00, 0xFF00_00FF, 0xDEAD_BEEF,
                                0x0000_0000, 0x8080_4000, 0xFF12_3456, 0x1234_5678]
        let png = try pixels.withUnsafeBytes { buf in
            try PNGEncoder.encode(argb32: try #require(buf.baseAddress), stride: 16, width: 3, height: 2,
                                  settings: PNGEncoder.Settings(compressionLevel: 0, filter: .none))
        }
        let chunks = try Self.chunks(png)
        let z = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        // zlib header, then stored blocks: BFINAL/BTYPE byte, LEN, NLEN, data.
        var raw: [UInt8] = [], i = 2
        while i < z.count - 4 {
            let final = z[i] & 1, type = (z[i] >> 1) & 3
            #expect(type == 0)
            let len = Int(z[i + 1]) | Int(z[i + 2]) << 8
            raw += z[i + 5..<i + 5 + len]
            i += 5 + len
            if final == 1 { break }
        }
        // Row filter byte 0, then RGB; transparent pixels flattened onto white (c + 255 − a).
        let expected: [UInt8] = [0, 255, 0, 0, 0, 255, 0, 0, 0, 255,
                                 0, 255, 255, 255, 255, 191, 127, 0x12, 0x34, 0x56]
        #expect(raw == expected)
    }

    @Test func invalidArgumentsThrow() throws {
        let pixels = [UInt32](repeating: 0xFFFF_FFFF, count: 4)
        try pixels.withUnsafeBytes { buf in
            let base = try #require(buf.baseAddress)
            #expect(throws: CairoError.self) { try PNGEncoder.encode(argb32: base, stride: 4, width: 2, height: 2) }
            #expect(throws: CairoError.self) { try PNGEncoder.encode(argb32: base, stride: 8, width: 0, height: 2) }
            #expect(throws: CairoError.self) {
                try PNGEncoder.encode(argb32: base, stride: 8, width: 2, height: 2,
                                      settings: PNGEncoder.Settings(compressionLevel: 10))
            }
            #expect(try PNGEncoder.encode(argb32: base, stride: 8, width: 2, height: 2).count > 40)
        }
    }

    /// Prints milliseconds and bytes per chart page for cairo's writer and each setting (not
    /// asserted). RIDGEPOINT_TIMING_ITERATIONS=40 for stable numbers; release numbers:
    /// `swift test -c release -Xswiftc -enable-testing --filter PNGEncoderTests/timings`.
    @Test func timings() throws {
        let n = Int(ProcessInfo.processInfo.environment["RIDGEPOINT_TIMING_ITERATIONS"] ?? "") ?? 3
        let measurer = try PangoTextMeasurer()
        func measure(_ label: String, _ body: () throws -> [UInt8]) rethrows -> String {
            _ = try body()
            var size = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { size = try body().count }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 / Double(n)
            return String(format: "%@ %.2f ms %d B", label, ms, size)
        }
        var lines = [try measure("cairo writer") { try Self.chartPNG(cairoWriter: true, measurer: measurer) }]
        for (level, filter) in [(1, PNGEncoder.Filter.none), (1, .sub), (1, .up), (1, .paeth), (1, .adaptive),
                                (2, .none), (3, .none), (6, .none), (6, .sub), (0, .none)] {
            lines.append(try measure("level \(level) \(filter)") {
                try Self.chartPNG(settings: PNGEncoder.Settings(compressionLevel: level, filter: filter), measurer: measurer)
            })
        }
        // The drawing alone (rasterising, no encoding): a 1 × 1 pt PNG of the same calls is not
        // comparable, so time an SVG-free baseline by encoding at level 0.
        print("png timings (\(n) iterations, 504×331 pt at 150 dpi): " + lines.joined(separator: "; "))
    }
}
