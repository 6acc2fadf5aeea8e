import Canvas
import Foundation
import TestSupport
import Testing
@testable import CairoBackend

@Suite("PDF navigation")
struct NavigationTests {
    @Test func linkRectangleIsInPageCoordinates() throws {
        let text = String(decoding: try PDFTests.samplePDF(), as: UTF8.self)
        // Page 2 is US Letter (792 pt high): the link at y 60…72 becomes 720…732 with y up.
        #expect(text.contains("/Rect [ 30 720 110 732 ]"), "link rectangle not found")
    }

    @Test func undefinedDestinationsThrow() throws {
        #expect(throws: CairoError.undefinedDestination("nowhere")) {
            try CairoCanvas.render(format: .pdf, size: .a4) { c in
                c.addLink(.destination("nowhere"), rect: Rect(x: 10, y: 10, width: 10, height: 10))
            }
        }
        #expect(throws: CairoError.undefinedDestination("later")) {
            try CairoCanvas.render(format: .pdf, size: .a4) { c in
                c.addOutlineEntry("Later", destination: "later", parent: nil, open: false)
            }
        }
        // Forward references are fine.
        _ = try CairoCanvas.render(format: .pdf, size: .a4) { c in
            c.addLink(.destination("end"), rect: Rect(x: 10, y: 10, width: 10, height: 10))
            c.beginPage(size: .a4)
            c.addDestination("end", at: Point(0, 0))
        }
    }

    @Test func awkwardNamesAndURIsAreEncoded() throws {
        #expect(CairoCanvas.pdfDestinationName("sec-1.2_a:b") == "sec-1.2_a:b")
        #expect(CairoCanvas.pdfDestinationName("a b") == "~612062")
        #expect(CairoCanvas.pdfDestinationName("") == "~")
        #expect(CairoCanvas.pdfURI("https://x.org/a (b)\\ü?q='1'&r=%20")
                == "https://x.org/a%20%28b%29%5C%C3%BC?q='1'&r=%20")
        let pdf = try CairoCanvas.render(format: .pdf, size: .a4) { c in
            c.addDestination("sec'1 \\x (y)", at: Point(10, 10))
            c.addLink(.destination("sec'1 \\x (y)"), rect: Rect(x: 10, y: 10, width: 50, height: 10))
            c.addLink(.uri("https://example.org/a (b)"), rect: Rect(x: 10, y: 30, width: 50, height: 10))
            c.addOutlineEntry("Title (with) \\ parens", destination: "sec'1 \\x (y)", parent: nil, open: false)
        }
        let text = String(decoding: pdf, as: UTF8.self)
        let encoded = CairoCanvas.pdfDestinationName("sec'1 \\x (y)")
        #expect(text.contains("/Dest (\(encoded))"))
        #expect(text.contains("(\(encoded))"))
        #expect(text.contains("/URI (https://example.org/a%20%28b%29)"))
        if Tool.available("qpdf") {
            let dir = try makeTempDir("names")
            let r = try #require(try Tool.run("qpdf", ["--check", try write(pdf, to: dir, "names.pdf")]))
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
    }
}

@Suite("Blank PDF pages")
struct BlankPageTests {
    /// Cairo 1.16 drops an empty last page and the links/destinations of an empty page;
    /// the canvas marks blank pages so that neither happens.
    @Test(.enabled(if: Tool.available("pdfinfo"), "pdfinfo (poppler-utils) is not installed"))
    func blankPagesAndTagOnlyPagesSurvive() throws {
        let pdf = try CairoCanvas.render(format: .pdf, size: .a4) { c in
            c.addDestination("first", at: Point(10, 10))
            c.addLink(.uri("https://example.org/"), rect: Rect(x: 10, y: 10, width: 50, height: 10))
            c.beginPage(size: .a4)
            c.beginPage(size: .letter)
            c.addDestination("last", at: Point(10, 10))
            c.addOutlineEntry("Last", destination: "last", parent: nil, open: false)
        }
        let dir = try makeTempDir("blank")
        let path = try write(pdf, to: dir, "blank.pdf")
        let info = try #require(try Tool.run("pdfinfo", [path]))
        #expect(info.stdout.contains("Pages:           3"), "\(info.stdout)")
        let dests = try #require(try Tool.run("pdfinfo", ["-dests", path])).stdout
        #expect(dests.contains("\"first\"") && dests.contains("\"last\""), "\(dests)")
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/URI (https://example.org/)"))
        if Tool.available("qpdf") {
            let r = try #require(try Tool.run("qpdf", ["--check", path]))
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
    }
}

@Suite("Raster text")
struct RasterTextTests {
    /// Pango 1.50's <sub>/<sup> would be drawn ~2× too large under the PNG scale if the Pango
    /// context followed the CTM; the canvas lays out in user space, so the ink stays in the box.
    @Test(arguments: ["h<sub>kv</sub> 10<sup>15</sup> Π/β", "h\(Markup.sub("kv")) 10\(Markup.sup("15")) Π/β"])
    func inkStaysInsideMeasuredBox(markup: String) throws {
        for dpi in [72.0, 150, 300] {
            let canvas = try CairoCanvas(format: .png, size: Size(200, 80), dpi: dpi)
            let block = TextBlock(markup, font: Font(size: 14))
            let m = try canvas.measure(block)
            try canvas.draw(block, at: Point(20, 20))
            let ink = try #require(canvas.inkBounds())
            let box = Rect(origin: Point(20, 20), size: m.size)
            #expect(box.contains(ink, tolerance: 72 / dpi + 0.01), "dpi \(dpi): ink \(ink) box \(box)")
            #expect(ink.width > 0.8 * box.width, "dpi \(dpi): ink \(ink) box \(box)")
        }
    }

    @Test func rotatedTextInkMatchesRecordedBox() throws {
        let canvas = try CairoCanvas(format: .png, size: Size(100, 200), dpi: 150)
        let block = TextBlock("Throughput (tok/s)", font: Font(size: 10))
        try canvas.draw(block, at: Point(40, 150), rotation: .pi / 2)
        let ink = try #require(canvas.inkBounds())
        let box = RecordingCanvas.rotatedBox(origin: Point(40, 150), size: try canvas.measure(block).size,
                                             rotation: .pi / 2)
        // Rotated glyphs are placed on whole pixels by cairo's image backend: allow ~1.5 px.
        #expect(box.contains(ink, tolerance: 0.75), "ink \(ink) box \(box)")
        #expect(ink.height > 3 * ink.width)
    }

    @Test func clipLimitsDrawing() throws {
        let canvas = try CairoCanvas(format: .png, size: Size(100, 100), dpi: 72)
        canvas.save()
        canvas.clip(to: Rect(x: 10, y: 10, width: 20, height: 20))
        canvas.fill(.rect(Rect(x: 0, y: 0, width: 100, height: 100)), color: .black)
        canvas.restore()
        #expect(canvas.inkBounds() == Rect(x: 10, y: 10, width: 20, height: 20))
        canvas.fill(.rect(Rect(x: 50, y: 50, width: 10, height: 10)), color: .black)  // clip gone after restore
        #expect(canvas.inkBounds() == Rect(x: 10, y: 10, width: 50, height: 50))
    }
}

@Suite("Threads")
struct ThreadTests {
    /// Separate jobs, each with its own canvas and font map, give the same bytes as a serial run.
    @Test func parallelRendersAreIdentical() async throws {
        let reference = try OutputFormat.allCases.map { try render($0) }
        let results = try await withThrowingTaskGroup(of: (Int, OutputFormat, [UInt8]).self) { group in
            for job in 0..<6 {
                for format in OutputFormat.allCases {
                    group.addTask { (job, format, try render(format)) }
                }
            }
            var all: [(Int, OutputFormat, [UInt8])] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 18)
        for (job, format, bytes) in results {
            let i = try #require(OutputFormat.allCases.firstIndex(of: format))
            #expect(bytes == reference[i], "job \(job) \(format)")
        }
    }

    private func render(_ format: OutputFormat) throws -> [UInt8] {
        try CairoCanvas.render(format: format, size: Size(300, 200), metadata: sampleMetadata) { c in
            try drawSample(c, pages: format == .pdf ? 2 : 1)
        }
    }
}

/// Writes the sample drawing in every format to $RIDGEPOINT_CAIRO_SAMPLES for a look by eye
/// (`pdftoppm -png -r 60`, `rsvg-convert`).
@Test(.enabled(if: ProcessInfo.processInfo.environment["RIDGEPOINT_CAIRO_SAMPLES"] != nil,
               "set RIDGEPOINT_CAIRO_SAMPLES=/some/dir to write sample files"))
func writeSamples() throws {
    let dir = ProcessInfo.processInfo.environment["RIDGEPOINT_CAIRO_SAMPLES"] ?? "/tmp"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for f in OutputFormat.allCases {
        let b = try CairoCanvas.render(format: f, size: f == .pdf ? .a4 : Size(400, 300), metadata: sampleMetadata) {
            try drawSample($0, pages: f == .pdf ? 2 : 1)
        }
        try Data(b).write(to: URL(fileURLWithPath: "\(dir)/sample.\(f.rawValue)"))
        let chart = try CairoCanvas.render(format: f, size: ChartLikePage.pageSize) { try ChartLikePage.drawChart($0) }
        try Data(chart).write(to: URL(fileURLWithPath: "\(dir)/chart.\(f.rawValue)"))
    }
}

/// Regression: an opaque fill covering the whole PDF page used to make cairo drop the
/// Document tag ("invalid tag name, attributes, or nesting" at finish).
@Test func wholePageOpaqueFillKeepsPDFValid() throws {
    let size = Size(300, 200)
    let pdf = try CairoCanvas.render(format: .pdf, size: size) { c in
        c.fill(.rect(Rect(origin: .zero, size: size)), color: .white)
        try c.draw(TextBlock("after the background"), at: Point(20, 20))
        c.beginPage(size: size)
        c.fill(.rect(Rect(x: -5, y: -5, width: 310, height: 210)), color: Color(hex: 0x336699))
    }
    #expect(pdf.count > 500)
    let f = FileManager.default.temporaryDirectory.appendingPathComponent("rp-fullpage-\(getpid()).pdf")
    try Data(pdf).write(to: f)
    #expect(try Tool.status("qpdf", ["--check", f.path]) == 0)
}

/// The layout cache must not change output: drawing texts that were measured before gives the
/// same bytes as drawing them cold, and repeated measurements agree.
@Test func layoutCacheDoesNotChangeOutput() throws {
    let texts = (0..<40).map { TextBlock("label <b>\($0 % 7)</b> I\(Markup.sub("kv"))", font: Font(size: 8 + Double($0 % 3))) }
    func render(_ m: PangoTextMeasurer) throws -> [UInt8] {
        try CairoCanvas.render(format: .svg, size: Size(300, 400), measurer: m) { c in
            for (i, t) in texts.enumerated() { try c.draw(t, at: Point(10, Double(i) * 9)) }
        }
    }
    let cold = try render(try PangoTextMeasurer())
    let warm = try PangoTextMeasurer()
    let first = try texts.map { try warm.measure($0) }
    #expect(try texts.map { try warm.measure($0) } == first)
    #expect(try render(warm) == cold)
}
