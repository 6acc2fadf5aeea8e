import Foundation
import Testing
@testable import Canvas

@Suite("Geometry")
struct GeometryTests {
    @Test func rectBasics() {
        let r = Rect(x: 10, y: 20, width: 30, height: 40)
        #expect(r.maxX == 40 && r.maxY == 60 && r.center == Point(25, 40))
        #expect(r.intersects(Rect(x: 39, y: 59, width: 5, height: 5)))
        #expect(!r.intersects(Rect(x: 40, y: 20, width: 5, height: 5)))  // touching edges do not count
        #expect(r.contains(Rect(x: 10, y: 20, width: 30, height: 40)))
        #expect(!r.contains(Rect(x: 9, y: 20, width: 30, height: 40)))
        #expect(r.contains(Point(40, 60)))
        #expect(r.insetBy(5) == Rect(x: 15, y: 25, width: 20, height: 30))
        #expect(r.insetBy(100).width == 0)
        #expect(r.offsetBy(dx: 1, dy: -1) == Rect(x: 11, y: 19, width: 30, height: 40))
        #expect(r.overlapArea(Rect(x: 30, y: 50, width: 20, height: 20)) == 100)
        #expect(r.overlapArea(Rect(x: 100, y: 100, width: 1, height: 1)) == 0)
        #expect(r.union(Rect(x: 0, y: 0, width: 1, height: 1)) == Rect(x: 0, y: 0, width: 40, height: 60))
    }

    @Test func paperSizes() {
        #expect(Size.a4 == Size(595.28, 841.89))
        #expect(Size.letter == Size(612, 792))
    }

    @Test func colors() {
        let c = Color(hex: 0xD55E00)
        #expect(c.hexString == "#D55E00")
        #expect(Color.white.hexString == "#FFFFFF" && Color.black.hexString == "#000000")
        #expect(Color(red: 2, green: -1, blue: 0.5).hexString == "#FF0080")
        #expect(c.withAlpha(0.5).alpha == 0.5)
    }
}

@Suite("Paths")
struct PathTests {
    @Test func builders() {
        let p = Path.polyline([Point(0, 0), Point(10, 0), Point(10, 5)])
        #expect(p.elements == [.move(Point(0, 0)), .line(Point(10, 0)), .line(Point(10, 5))])
        #expect(Path.polygon([Point(0, 0), Point(1, 1)]).elements.last == .close)
        #expect(Path.polygon([]).elements.isEmpty)
        #expect(Path.rect(Rect(x: 1, y: 2, width: 3, height: 4)).bounds == Rect(x: 1, y: 2, width: 3, height: 4))
        #expect(Path().bounds == nil)
    }

    @Test func circleBounds() throws {
        let b = try #require(Path.circle(center: Point(5, 5), radius: 2).bounds)
        #expect(abs(b.minX - 3) < 1e-9 && abs(b.maxX - 7) < 1e-9 && abs(b.minY - 3) < 1e-9 && abs(b.maxY - 7) < 1e-9)
    }
}

@Suite("Markup")
struct MarkupTests {
    @Test func escape() {
        #expect(Markup.escape("R&D <b> 'q' \"d\"") == "R&amp;D &lt;b&gt; &apos;q&apos; &quot;d&quot;")
        #expect(Markup.escape("a\u{1}b\tc\nd") == "a b\tc\nd")
        #expect(Markup.escape("Π β ≈ ·") == "Π β ≈ ·")
    }

    @Test func subAndSup() {
        #expect(Markup.sub("kv") == "<span size='smaller' rise='-2pt'>kv</span>")
        #expect(Markup.sup("2") == "<span size='smaller' rise='4pt'>2</span>")
    }
}

@Suite("Recording canvas")
struct RecordingCanvasTests {
    @Test func recordsOperationsPerPage() throws {
        let c = RecordingCanvas(size: .a4, measurer: ApproximateTextMeasurer())
        c.fill(.rect(Rect(x: 0, y: 0, width: 1, height: 1)), color: .black)
        try c.draw(TextBlock("hello"), at: Point(10, 10))
        let id = c.addOutlineEntry("A", destination: "a", parent: nil, open: true)
        let child = c.addOutlineEntry("B", destination: "a", parent: id, open: false)
        #expect(child != id)
        c.beginPage(size: .letter)
        c.addLink(.destination("a"), rect: Rect(x: 0, y: 0, width: 1, height: 1))
        #expect(c.pageCount == 2 && c.pageSize == .letter)
        #expect(c.operations.count == 6)
        #expect(c.operations.last?.page == 1)
        #expect(c.texts.count == 1)
        #expect(c.texts.first?.box.origin == Point(10, 10))
    }

    @Test func rotatedBoxes() {
        let size = Size(40, 10)
        #expect(RecordingCanvas.rotatedBox(origin: Point(5, 5), size: size, rotation: 0)
                == Rect(origin: Point(5, 5), size: size))
        // 90° counter-clockwise (y down): the text runs upwards from the origin.
        let up = RecordingCanvas.rotatedBox(origin: Point(100, 100), size: size, rotation: .pi / 2)
        #expect(abs(up.minX - 100) < 1e-9 && abs(up.width - 10) < 1e-9)
        #expect(abs(up.maxY - 100) < 1e-9 && abs(up.height - 40) < 1e-9)
        // −90°: runs downwards, lines extend to the left.
        let down = RecordingCanvas.rotatedBox(origin: Point(100, 100), size: size, rotation: -.pi / 2)
        #expect(abs(down.minY - 100) < 1e-9 && abs(down.maxX - 100) < 1e-9 && abs(down.height - 40) < 1e-9)
        // 45°: a square of the diagonal's projection.
        let d = RecordingCanvas.rotatedBox(origin: .zero, size: Size(10, 0), rotation: .pi / 4)
        #expect(abs(d.width - 10 / 2.0.squareRoot()) < 1e-9 && abs(d.height - d.width) < 1e-9)
    }

    @Test func approximateMeasurer() throws {
        let m = try ApproximateTextMeasurer().measure(TextBlock("<b>abc</b>\nde", font: Font(size: 10)))
        #expect(m.lineCount == 2 && m.lineExtents.count == 2)
        #expect(abs(m.size.width - 18) < 1e-9 && abs(m.size.height - 24) < 1e-9)
        let wrapped = try ApproximateTextMeasurer().measure(TextBlock("abcdefghij", width: 20))
        #expect(wrapped.size.width == 20)
    }

    @Test func fontHelpers() {
        let f = Font().sized(12).bolded()
        #expect(f.size == 12 && f.bold && f.family == FontFamily.sans)
    }
}

@Suite("Transform")
struct TransformTests {
    @Test func mapsPointsRectsAndLengths() {
        let t = Transform.scale(0.5, thenTranslateTo: Point(100, 50))
        #expect(t.apply(Point(10, 20)) == Point(105, 60))
        #expect(t.apply(Rect(x: 0, y: 0, width: 40, height: 8)) == Rect(x: 100, y: 50, width: 20, height: 4))
        #expect(t.apply(length: 3) == 1.5)
        #expect(Transform.translation(Point(3, 4)).apply(Point(1, 1)) == Point(4, 5))
        #expect(Transform.identity.apply(Point(7.25, -1)) == Point(7.25, -1))
    }

    @Test func concatenationAppliesInnerFirst() {
        let outer = Transform.scale(2, thenTranslateTo: Point(10, 0))
        let inner = Transform.translation(Point(1, 1))
        let p = Point(3, 4)
        #expect(outer.concatenating(inner).apply(p) == outer.apply(inner.apply(p)))
    }

    /// Offsets, widths, dashes, font sizes and wrap widths all scale, so an absolute offset
    /// inside a scaled figure lands where it would at full size, shrunk.
    @Test func transformedCanvasMapsEverything() throws {
        let rec = RecordingCanvas(size: .a4, measurer: ApproximateTextMeasurer())
        let c = rec.transformed(by: .translation(Point(5, 5))).transformed(by: .scale(0.5, thenTranslateTo: Point(10, 10)))
        c.stroke(.line(Point(0, 0), Point(20, 0)), style: StrokeStyle(color: .black, width: 2, dash: [4, 2]))
        try c.draw(TextBlock("x", font: Font().sized(10), width: 100), at: Point(20, 20))
        c.addLink(.uri("https://example.org"), rect: Rect(x: 0, y: 0, width: 10, height: 10))
        #expect(abs(c.pageSize.width - Size.a4.width * 2) < 1e-9)
        c.beginPage(size: .letter)   // a placed drawing cannot start pages of its document
        #expect(rec.pageCount == 1)
        guard case .stroke(let path, let style) = rec.operations[0].op else { Issue.record("no stroke"); return }
        #expect(path.elements.first == .move(Point(15, 15)) && path.elements.last == .line(Point(25, 15)))
        #expect(style.width == 1 && style.dash == [2, 1])
        guard case .text(let block, let origin, _, _) = rec.operations[1].op else { Issue.record("no text"); return }
        #expect(origin == Point(25, 25) && block.font.size == 5 && block.width == 50)
        guard case .link(_, let rect) = rec.operations[2].op else { Issue.record("no link"); return }
        #expect(rect == Rect(x: 15, y: 15, width: 5, height: 5))
    }
}

@Suite("Snapshot formats")
struct SnapshotFormatTests {
    @Test func roundsGeometryAndKeepsDataDigits() {
        #expect(Snapshot.pt(12.345) == "12.3" && Snapshot.pt(10.04) == "10" && Snapshot.pt(-0.04) == "0" && Snapshot.pt(-2.25) == "-2.3")
        #expect(Snapshot.pt(Rect(x: 1, y: 2.06, width: 3, height: 4)) == "[1 2.1 3×4]")
        #expect(Snapshot.value(989e12) == "9.89e+14" && Snapshot.value(0.1) == "0.1")
        #expect(Snapshot.quoted("a \"b\"\nc") == #""a \"b\"\nc""#)
        #expect(Snapshot.color(Color(hex: 0x0072B2)) == "#0072B2")
        let many = (0..<11).map { Point(Double($0), 0) }
        #expect(Snapshot.points(many, limit: 3) == "(0, 0) (5, 0) (10, 0) (of 11)")
    }
}

@Suite("Rich text")
struct RichTextTests {
    @Test func readsThePangoSubsetIntoNestedRuns() {
        let t = RichText(markup: "a <b>bold <i>both</i></b> I<span size='smaller' rise='-2pt'>kv</span> 10<span size='smaller' rise='4pt'>12</span> &amp; &#x3C0;")
        #expect(t.nodes == [.text("a "), .styled(.strong, [.text("bold "), .styled(.emphasis, [.text("both")])]), .text(" I"),
                            .styled(.sub, [.text("kv")]), .text(" 10"), .styled(.sup, [.text("12")]), .text(" & π")])
        #expect(t.plainText == "a bold both I_kv 10^12 & π")
        #expect(t.words == "a bold both Ikv 1012 & π")
    }

    /// What the document model stores comes back as the same markup for drawing (entities in
    /// one canonical spelling), so drawn output does not change.
    @Test func pangoMarkupRoundTrips() {
        for m in ["<b>x</b> <i>y</i> <tt>z</tt> <small>s</small>", Markup.sub("a") + Markup.sup("b"), "R&amp;D &lt;b&gt;"] {
            #expect(RichText(markup: m).pangoMarkup == m)
        }
        #expect(RichText(markup: "it's").pangoMarkup == "it&apos;s")
        #expect(RichText(plain: "R&D <b>").pangoMarkup == "R&amp;D &lt;b&gt;")
    }

    @Test func malformedMarkupBecomesBalancedText() {
        // Unclosed tags are closed, stray closes ignored, unknown tags keep their words.
        #expect(RichText(markup: "<b>open").pangoMarkup == "<b>open</b>")
        #expect(RichText(markup: "stray</i> text").pangoMarkup == "stray text")
        #expect(RichText(markup: "<span foreground='red'>red</span>").nodes == [.text("red")])
        #expect(RichText(markup: "<span weight='bold'>w</span>").nodes == [.styled(.strong, [.text("w")])])
        #expect(RichText(markup: "a < b").words == "a < b")
        // Entities need digits only; unquoted attribute values are read too.
        #expect(RichText(markup: "&#+65; &#65; &#x41;").words == "&#+65; A A")
        #expect(RichText(markup: "x<span rise=-2pt>i</span>").nodes == [.text("x"), .styled(.sub, [.text("i")])])
    }

    @Test func eventsAndTextMapping() {
        let t: RichText = [.text("5 ms "), .styled(.strong, [.text("3 GB")])]
        #expect(t.events == [.text("5 ms "), .open(.strong), .text("3 GB"), .close(.strong)])
        #expect(t.mapText { $0.replacingOccurrences(of: " ", with: "_") }.plainText == "5_ms_3_GB")
        #expect((RichText(plain: "a") + .strong("b")).pangoMarkup == "a<b>b</b>")
        #expect(RichText.empty.isEmpty && !RichText(plain: "x").isEmpty)
    }
}
