import Canvas
import Foundation
import TestSupport
@testable import CairoBackend


let sampleMetadata = DocumentMetadata(title: "Ridgepoint backend test", author: "CairoBackendTests",
                                      subject: "roofline & KV cache", keywords: "cairo, pango")

/// A small two-page document: lines, markup with sub/superscripts and symbols, a link, a destination
/// and outline entries. Also used (single page) for SVG and PNG.
func drawSample(_ c: CairoCanvas, pages: Int = 2) throws {
    let size = c.pageSize
    // Frame and grid.
    c.stroke(.rect(Rect(x: 20, y: 20, width: size.width - 40, height: size.height - 40)),
             style: StrokeStyle(color: .black, width: 1))
    for i in 1..<6 {
        let y = 20 + Double(i) * (size.height - 40) / 6
        c.stroke(.line(Point(20, y), Point(size.width - 20, y)),
                 style: StrokeStyle(color: Color(hex: 0x999999), width: 0.5, dash: [2, 2]))
    }
    c.fill(.circle(center: Point(size.width - 60, 60), radius: 12), color: Color(hex: 0xD55E00, alpha: 0.8))
    c.stroke(.polyline([Point(40, size.height - 40), Point(120, size.height - 120), Point(200, size.height - 90),
                        Point(280, size.height - 160)]),
             style: StrokeStyle(color: Color(hex: 0x0072B2), width: 2, cap: .round, join: .round))

    c.addDestination("top", at: Point(30, 30))
    let title = TextBlock("<b>Ridge point</b> I\(Markup.sup("*")) = Π/β ≈ 156 FLOP·B\(Markup.sup("−1")); "
                          + "h\(Markup.sub("kv")) · \(Markup.escape("R&D <b>"))",
                          font: Font(size: 14), width: size.width - 60)
    try c.draw(title, at: Point(30, 30))
    let m = try c.measure(title)
    c.stroke(.rect(Rect(origin: Point(30, 30), size: m.size)), style: StrokeStyle(color: Color(hex: 0x009E73), width: 0.3))

    let para = TextBlock("Wrapped paragraph: the arithmetic intensity of decoding is low, so the KV cache "
                         + "bandwidth dominates. <i>Italic</i> and <tt>mono</tt>.",
                         font: Font(size: 10), color: Color(hex: 0x333333), width: 200)
    try c.draw(para, at: Point(30, 30 + m.size.height + 10))

    let label = TextBlock("Rotated axis label", font: Font(size: 9))
    try c.draw(label, at: Point(size.width - 40, size.height - 40), rotation: .pi / 2)

    let link = TextBlock("<span foreground='#0072B2' underline='single'>cairographics.org</span>")
    try c.draw(link, at: Point(30, 160))
    let lm = try c.measure(link)
    c.addLink(.uri("https://cairographics.org/?a='b'"), rect: Rect(origin: Point(30, 160), size: lm.size))
    c.addOutlineEntry("Top", destination: "top", parent: nil, open: true)

    c.save()
    c.clip(to: Rect(x: 30, y: 190, width: 60, height: 10))
    try c.draw(TextBlock("clipped clipped clipped clipped"), at: Point(30, 190))
    c.restore()

    for p in 1..<pages {
        c.beginPage(size: Size.letter)
        c.addDestination("page\(p + 1)", at: Point(30, 30))
        try c.draw(TextBlock("Page \(p + 1) heading", font: Font(size: 16, bold: true)), at: Point(30, 30))
        c.addLink(.destination("top"), rect: Rect(x: 30, y: 60, width: 80, height: 12))
        try c.draw(TextBlock("back to top"), at: Point(30, 60))
        let parent = c.addOutlineEntry("Page \(p + 1)", destination: "page\(p + 1)", parent: nil, open: true)
        c.addOutlineEntry("Child of page \(p + 1)", destination: "page\(p + 1)", parent: parent, open: false)
    }
}
