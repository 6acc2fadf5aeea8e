import Canvas
import Foundation
import Testing
@testable import CairoBackend

@Suite("Pango text measurement")
struct MeasurementTests {
    @Test func measuredSizeIsPositiveAndMatchesRecordingCanvas() throws {
        let measurer = try PangoTextMeasurer()
        let block = TextBlock("Ridge point I\(Markup.sup("*")) = Π/β", font: Font(size: 10))
        let m = try measurer.measure(block)
        #expect(m.size.width > 20 && m.size.height > 5)
        #expect(m.lineCount == 1)
        #expect(m.baseline > 0 && m.baseline < m.size.height)
        #expect(m.lineExtents.count == 1)
        let rec = RecordingCanvas(size: .a4, measurer: measurer)
        try rec.draw(block, at: Point(10, 20))
        let box = try #require(rec.texts.first).box
        #expect(box == Rect(origin: Point(10, 20), size: m.size))
        // Same value on a second call and from a canvas on every format.
        #expect(try measurer.measure(block) == m)
        for format in OutputFormat.allCases {
            let canvas = try CairoCanvas(format: format, size: Size(200, 100))
            #expect(try canvas.measure(block) == m, "\(format)")
        }
    }

    @Test func tenPointIsTenPoints() throws {
        // 72-dpi font map: a DejaVu Sans 10 line is 11.64 pt tall (15.5 at Pango's default 96 dpi).
        let m = try PangoTextMeasurer().measure(TextBlock("Hg", font: Font(size: 10)))
        #expect(abs(m.size.height - 11.641) < 0.01)
    }

    @Test func wrapsWithWidth() throws {
        let measurer = try PangoTextMeasurer()
        let text = String(repeating: "bandwidth dominates decoding ", count: 6)
        let natural = try measurer.measure(TextBlock(text))
        let wrapped = try measurer.measure(TextBlock(text, width: 120))
        #expect(natural.lineCount == 1)
        #expect(wrapped.lineCount > 2)
        #expect(wrapped.size.width <= 120)
        #expect(wrapped.size.height > natural.size.height * 2)
        #expect(wrapped.lineExtents.count == wrapped.lineCount)
        #expect(wrapped.lineExtents.first?.lowerBound == 0)
        if let last = wrapped.lineExtents.last { #expect(abs(last.upperBound - wrapped.size.height) < 1e-6) }
        // A single long word breaks inside the word (WORD_CHAR).
        let word = try measurer.measure(TextBlock(String(repeating: "x", count: 80), width: 50))
        #expect(word.size.width <= 50 && word.lineCount > 1)
        // Alignment does not change the size.
        for a in [TextAlignment.center, .right] {
            #expect(try measurer.measure(TextBlock(text, width: 120, alignment: a)).size == wrapped.size)
        }
    }

    @Test func newlinesMakeLines() throws {
        let m = try PangoTextMeasurer().measure(TextBlock("one\ntwo\nthree"))
        #expect(m.lineCount == 3 && m.lineExtents.count == 3)
    }

    @Test func invalidMarkupThrows() throws {
        let measurer = try PangoTextMeasurer()
        #expect(throws: CairoError.self) { try measurer.measure(TextBlock("a & b <b>")) }
        do {
            _ = try measurer.measure(TextBlock("a & b <b>"))
        } catch let e as CairoError {
            guard case .invalidMarkup(_, let message) = e else { Issue.record("wrong error \(e)"); return }
            #expect(!message.isEmpty)
            #expect(e.description.contains("invalid Pango markup"))
        }
        #expect(throws: CairoError.self) { try PangoTextMeasurer.validate(markup: "<b>unclosed") }
        try PangoTextMeasurer.validate(markup: Markup.escape("R&D <b> 'q' \"d\""))
        // Drawing throws as well.
        let canvas = try CairoCanvas(format: .pdf, size: Size(100, 100))
        #expect(throws: CairoError.self) { try canvas.draw(TextBlock("x <y"), at: .zero) }
    }

    @Test func missingFamilyThrowsClearError() throws {
        let measurer = try PangoTextMeasurer()
        do {
            _ = try measurer.measure(TextBlock("x", font: Font(family: "Surely Not Installed Sans")))
            Issue.record("expected fontUnavailable")
        } catch CairoError.fontUnavailable(let requested, let resolved) {
            #expect(requested == "Surely Not Installed Sans")
            #expect(resolved.hasPrefix("DejaVu"))
        }
        // Pinned families and aliases are fine.
        for family in [FontFamily.sans, FontFamily.serif, FontFamily.mono, "Sans", "monospace"] {
            #expect(try measurer.measure(TextBlock("x", font: Font(family: family))).size.width > 0, "\(family)")
        }
        #expect(throws: CairoError.self) { try measurer.measure(TextBlock("x", font: Font(size: 0))) }
        #expect(throws: CairoError.self) { try measurer.measure(TextBlock("x", width: -1)) }
    }

    /// The configuration is built in memory: no include of the system's conf.d (which would read
    /// a user's fonts.conf), and no FONTCONFIG_FILE.
    @Test func fontsArePinned() throws {
        _ = try PangoTextMeasurer()
        #expect(FontConfiguration.pinningError == nil)
        let xml = FontConfiguration.configurationXML
        #expect(xml.contains("<dir>/usr/share/fonts/truetype/dejavu</dir>"))
        #expect(!xml.contains("<include"))
        #expect(xml.contains("<family>monospace</family><prefer><family>DejaVu Sans Mono</family>"))
        // Only the pinned directory is visible (plus fontconfig's generic aliases).
        let families = try PangoTextMeasurer().engine.familyNames()
        let aliases: Set<String> = ["Sans", "Serif", "Monospace", "System-ui"]
        #expect(families.contains("DejaVu Sans") && families.contains("DejaVu Serif"))
        #expect(families.allSatisfy { $0.hasPrefix("DejaVu") || aliases.contains($0) }, "\(families)")
        FontConfiguration.pin()  // idempotent
        #expect(FontConfiguration.fingerprint.contains("DejaVuSans.ttf="))
    }

    @Test func rotatedLabelBoxIsTall() throws {
        let measurer = try PangoTextMeasurer()
        let rec = RecordingCanvas(size: .a4, measurer: measurer)
        try rec.draw(TextBlock("Throughput (tokens/s)"), at: Point(50, 300), rotation: .pi / 2)
        let box = try #require(rec.texts.first).box
        #expect(box.height > 3 * box.width)
        // Counter-clockwise about the origin: the text runs upwards from (50, 300).
        #expect(abs(box.maxY - 300) < 1e-6 && abs(box.minX - 50) < 1e-6)
    }

    @Test func drawnLayoutHasMeasuredSizeOnEverySurface() throws {
        let block = TextBlock("Decode h\(Markup.sub("kv")) = Π/β · 10\(Markup.sup("15")) <b>bold</b>",
                              font: Font(size: 11), width: 90)
        for format in OutputFormat.allCases {
            let canvas = try CairoCanvas(format: format, size: Size(300, 200), dpi: 150)
            let m = try canvas.measure(block)
            try canvas.draw(block, at: Point(10, 10))
            #expect(canvas.lastDrawnTextSize == m.size, "\(format)")
            try canvas.draw(block, at: Point(100, 150), rotation: 0.7)
            let drawn = try #require(canvas.lastDrawnTextSize)
            #expect(abs(drawn.width - m.size.width) < 1e-3 && abs(drawn.height - m.size.height) < 1e-3, "\(format)")
        }
    }
}

@Suite("Output formats")
struct OutputFormatTests {
    @Test func fromExtension() {
        #expect(OutputFormat(fileExtension: "pdf") == .pdf)
        #expect(OutputFormat(fileExtension: ".SVG") == .svg)
        #expect(OutputFormat(fileExtension: "Png") == .png)
        #expect(OutputFormat(fileExtension: "jpg") == nil)
        #expect(OutputFormat.allCases.count == 3)
    }

    @Test func svgIDNormalisation() {
        let a = Array(##"<g id="surface17"><use xlink:href="#image9"/><use xlink:href="#surface17"/><g id="surface3"> mask="url(#surface3)" glyph0-1 surface12x"##.utf8)
        let b = String(decoding: SVGIDNormalizer.normalize(a), as: UTF8.self)
        #expect(b == ##"<g id="surface1"><use xlink:href="#image1"/><use xlink:href="#surface1"/><g id="surface2"> mask="url(#surface2)" glyph0-1 surface12x"##)
    }

    @Test func attributeQuoting() {
        #expect(CairoCanvas.quoted("it's a\\b") == #"'it\'s a\\b'"#)
        #expect(CairoCanvas.number(1.5) == "1.5000")
        #expect(CairoCanvas.number(-0.00001) == "-0.0000")
    }

    @Test func invalidArguments() {
        #expect(throws: CairoError.self) { try CairoCanvas(format: .pdf, size: Size(0, 10)) }
        #expect(throws: CairoError.self) { try CairoCanvas(format: .png, size: Size(10, 10), dpi: 0) }
        #expect(throws: CairoError.self) { try CairoCanvas(format: .png, size: Size(.nan, 10)) }
    }

    @Test func beginPageOnSinglePageFormatsThrowsAtFinish() throws {
        for format in [OutputFormat.svg, .png] {
            let c = try CairoCanvas(format: format, size: Size(100, 100))
            c.beginPage(size: Size(100, 100))
            #expect(throws: CairoError.unsupported("beginPage(size:) on a single-page \(format.rawValue) canvas")) {
                try c.finish()
            }
        }
    }

    @Test func finishTwiceThrows() throws {
        let c = try CairoCanvas(format: .pdf, size: Size(100, 100))
        _ = try c.finish()
        #expect(throws: CairoError.alreadyFinished) { try c.finish() }
    }

    @Test func cairoErrorsSurfaceAtFinish() throws {
        let c = try CairoCanvas(format: .svg, size: Size(100, 100))
        c.stroke(.line(Point(0, 0), Point(10, 10)), style: StrokeStyle(color: .black, dash: [-1, 2]))
        do {
            _ = try c.finish()
            Issue.record("expected an error")
        } catch let e as CairoError {
            guard case .cairo(_, let status) = e else { Issue.record("wrong error \(e)"); return }
            #expect(status.contains("dash"))
        }
    }

    @Test func outlineIDsWithoutPDF() throws {
        let c = try CairoCanvas(format: .svg, size: Size(100, 100))
        let a = c.addOutlineEntry("a", destination: "a", parent: nil, open: true)
        let b = c.addOutlineEntry("b", destination: "a", parent: a, open: false)
        #expect(a != b)
    }
}
