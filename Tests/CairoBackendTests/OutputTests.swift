import Canvas
import Foundation
import TestSupport
import Testing
@testable import CairoBackend

@Suite("PDF output")
struct PDFTests {
    static func samplePDF() throws -> [UInt8] {
        try CairoCanvas.render(format: .pdf, size: .a4, metadata: sampleMetadata) { try drawSample($0) }
    }

    @Test func reproducible() throws {
        let a = try Self.samplePDF(), b = try Self.samplePDF()
        #expect(a == b)
        #expect(a.starts(with: Array("%PDF-".utf8)))
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.contains("/CreationDate (20240101000000Z)"))
        #expect(text.contains("/ModDate (20240101000000Z)"))
    }

    @Test(.enabled(if: Tool.available("qpdf"), "qpdf is not installed (apt-get install qpdf)"))
    func qpdfCheck() throws {
        let dir = try makeTempDir("qpdf")
        let path = try write(try Self.samplePDF(), to: dir, "sample.pdf")
        let r = try #require(try Tool.run("qpdf", ["--check", path]))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("No syntax or stream encoding errors found"), "\(r.stdout)")
        #expect(!r.stderr.contains("WARNING"), "\(r.stderr)")
    }

    @Test(.enabled(if: Tool.available("pdffonts"), "pdffonts (poppler-utils) is not installed"))
    func fontsEmbedded() throws {
        let dir = try makeTempDir("fonts")
        let path = try write(try Self.samplePDF(), to: dir, "sample.pdf")
        let r = try #require(try Tool.run("pdffonts", [path]))
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").dropFirst(2)
        #expect(rows.count >= 3, "\(r.stdout)")
        for row in rows {
            #expect(row.contains("DejaVu"), "\(row)")
            // Columns: name type encoding emb sub uni object ID
            let cols = row.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cols.count >= 7 && cols[cols.count - 5] == "yes", "not embedded: \(row)")
        }
    }

    @Test(.enabled(if: Tool.available("pdfinfo"), "pdfinfo (poppler-utils) is not installed"))
    func infoAndDestinations() throws {
        let dir = try makeTempDir("info")
        let path = try write(try Self.samplePDF(), to: dir, "sample.pdf")
        let r = try #require(try Tool.run("pdfinfo", [path]))
        #expect(r.status == 0)
        #expect(r.stdout.contains("Title:           Ridgepoint backend test"), "\(r.stdout)")
        #expect(r.stdout.contains("Subject:         roofline & KV cache"))
        #expect(r.stdout.contains("Pages:           2"))
        #expect(r.stdout.contains("Tagged:          yes"))
        let sizes = try #require(try Tool.run("pdfinfo", ["-f", "1", "-l", "2", path]))
        #expect(sizes.stdout.contains("Page    1 size:  595.28 x 841.89 pts (A4)"), "\(sizes.stdout)")
        #expect(sizes.stdout.contains("Page    2 size:  612 x 792 pts (letter)"), "\(sizes.stdout)")
        // Named destinations, on the right page and at the right place (PDF y is up: 841.89 − 30).
        let dests = try #require(try Tool.run("pdfinfo", ["-dests", path]))
        let lines = dests.stdout.split(separator: "\n").map(String.init)
        let top = try #require(lines.first { $0.contains("\"top\"") }, "\(dests.stdout)")
        #expect(top.trimmingCharacters(in: .whitespaces).hasPrefix("1 "), "\(top)")
        #expect(top.contains("XYZ   30  812 "), "\(top)")  // 841.89 − 30, rounded by pdfinfo
        let p2 = try #require(lines.first { $0.contains("\"page2\"") }, "\(dests.stdout)")
        #expect(p2.trimmingCharacters(in: .whitespaces).hasPrefix("2 "), "\(p2)")
    }

    @Test func linksAndOutlineArePresent() throws {
        let text = String(decoding: try Self.samplePDF(), as: UTF8.self)
        #expect(text.contains("/Subtype /Link"))
        #expect(text.contains("/URI (https://cairographics.org/?a='b')"))
        #expect(text.contains("/Outlines"))
        #expect(text.contains("/Title (Child of page 2)"))
        #expect(text.contains("/Dest (top)"))
    }

    @Test func pageLabels() throws {
        let text = String(decoding: try CairoCanvas.render(format: .pdf, size: .a4) { c in
            c.setPageLabel("i")
            try c.draw(TextBlock("front matter"), at: Point(20, 20))
            c.beginPage(size: .a4)
            c.setPageLabel("1")
            try c.draw(TextBlock("body"), at: Point(20, 20))
        }, as: UTF8.self)
        #expect(text.contains("/PageLabels"))
        #expect(text.contains("0 << /P (i) >>"))
        #expect(text.contains("1 << /S /D /St 1 >>"))  // cairo writes "1" as decimal numbering
    }

    @Test(.enabled(if: Tool.available("pdftotext"), "pdftotext (poppler-utils) is not installed"))
    func textIsExtractable() throws {
        let dir = try makeTempDir("text")
        let path = try write(try Self.samplePDF(), to: dir, "sample.pdf")
        let r = try #require(try Tool.run("pdftotext", ["-enc", "UTF-8", path, "-"]))
        #expect(r.status == 0)
        for needle in ["Ridge point", "Π/β ≈ 156 FLOP·B", "R&D <b>", "Wrapped paragraph", "Page 2 heading",
                       "Rotated axis label", "cairographics.org"] {
            #expect(r.stdout.contains(needle), "missing \(needle) in \(r.stdout)")
        }
    }

    @Test(.enabled(if: Tool.available("qpdf"), "qpdf is not installed"))
    func emptyAndLinklessDocumentsAreValid() throws {
        let dir = try makeTempDir("empty")
        let empty = try CairoCanvas.render(format: .pdf, size: .letter) { _ in }
        let plain = try CairoCanvas.render(format: .pdf, size: .letter) { c in
            try c.draw(TextBlock("no links"), at: Point(10, 10))
        }
        for (name, bytes) in [("empty.pdf", empty), ("plain.pdf", plain)] {
            let r = try #require(try Tool.run("qpdf", ["--check", try write(bytes, to: dir, name)]))
            #expect(r.status == 0, "\(name): \(r.stdout)\(r.stderr)")
        }
    }
}

@Suite("SVG output")
struct SVGTests {
    static func sampleSVG() throws -> [UInt8] {
        try CairoCanvas.render(format: .svg, size: Size(400, 300)) { try drawSample($0, pages: 1) }
    }

    @Test func reproducibleInOneProcess() throws {
        let a = try Self.sampleSVG()
        _ = try CairoCanvas.render(format: .svg, size: Size(10, 10)) { _ in }  // bump cairo's global counter
        let b = try Self.sampleSVG()
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.contains(#"width="400pt" height="300pt""#))
        #expect(text.contains(#"id="surface1""#))
    }

    @Test(.enabled(if: Tool.available("rsvg-convert"), "rsvg-convert (librsvg2-bin) is not installed"))
    func rsvgConverts() throws {
        let dir = try makeTempDir("svg")
        let path = try write(try Self.sampleSVG(), to: dir, "sample.svg")
        let png = dir.appendingPathComponent("sample.png").path
        let r = try #require(try Tool.run("rsvg-convert", ["-o", png, path]))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: png))
    }
}

@Suite("PNG output")
struct PNGTests {
    static func samplePNG(dpi: Double = 150) throws -> [UInt8] {
        try CairoCanvas.render(format: .png, size: Size(400, 300), dpi: dpi) { try drawSample($0, pages: 1) }
    }

    static func ihdr(_ png: [UInt8]) -> (width: Int, height: Int)? {
        guard png.count > 24, png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        func be(_ i: Int) -> Int { png[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    @Test func reproducibleAndSized() throws {
        let a = try Self.samplePNG(), b = try Self.samplePNG()
        #expect(a == b)
        let size = try #require(Self.ihdr(a))
        #expect(size.width == 833 && size.height == 625)  // round(400·150/72), round(300·150/72)
        let small = try #require(Self.ihdr(try Self.samplePNG(dpi: 72)))
        #expect(small.width == 400 && small.height == 300)
        let canvas = try CairoCanvas(format: .png, size: Size(400, 300), dpi: 300)
        #expect(canvas.pixelSize?.width == 1667 && canvas.pixelSize?.height == 1250)
    }
}
