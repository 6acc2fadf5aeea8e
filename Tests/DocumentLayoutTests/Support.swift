import Canvas
import CairoBackend
import DocumentLayout
import Foundation
import TestSupport


/// Renders a laid-out document to PDF bytes with page labels.
func renderPDF(_ laid: LaidOutDocument, size: Size, measurer: PangoTextMeasurer) throws -> [UInt8] {
    try CairoCanvas.render(format: .pdf, size: size, metadata: laid.metadata, measurer: measurer) { c in
        try laid.draw(on: c, labelPage: { c.setPageLabel($0) })
    }
}

/// A small chart-like figure: axes, bars, a line and labels, drawn from (0, 0).
func sampleFigure(width: Double = 420, height: Double = 220, caption: String = "Attainable throughput vs. batch size") -> Figure {
    Figure(size: Size(width, height), caption: (caption).rich, file: "figures/throughput.svg", alt: "Throughput chart") { c in
        let axis = StrokeStyle(color: Color(hex: 0x333333), width: 0.8)
        c.fill(.rect(Rect(x: 0, y: 0, width: width, height: height)), color: Color(hex: 0xFBFCFD))
        c.stroke(.line(Point(40, 10), Point(40, height - 30)), style: axis)
        c.stroke(.line(Point(40, height - 30), Point(width - 10, height - 30)), style: axis)
        let colors: [UInt32] = [0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7]
        for i in 0..<5 {
            let h = Double(i + 1) * (height - 60) / 5
            c.fill(.rect(Rect(x: 60 + Double(i) * 60, y: height - 30 - h, width: 36, height: h)), color: Color(hex: colors[i]))
        }
        c.stroke(.polyline([Point(40, height - 40), Point(150, height - 120), Point(260, height - 150), Point(width - 20, height - 160)]),
                 style: StrokeStyle(color: Color(hex: 0x222222), width: 1.5, dash: [4, 2]))
        try c.draw(TextBlock("tokens/s", font: Font(size: 8)), at: Point(4, 4))
        try c.draw(TextBlock("batch size B", font: Font(size: 8)), at: Point(width / 2 - 20, height - 18))
    }
}

/// A document with every kind of block; `rows` table rows.
func sampleDocument(rows: Int = 120, pageSize: Size = .a4, tableOfContents: Bool = true) -> Document {
    let long = "The arithmetic intensity of autoregressive decoding is low: every generated token reads all "
        + "weights and the whole KV cache once, so memory bandwidth, not peak FLOP/s, sets the step time. "
        + "Batching amortises the weight reads over B sequences until the ridge point I\(Markup.sup("*")) = Π/β is reached; "
        + "beyond it the step becomes compute-bound and latency grows linearly with B."
    var blocks: [Block] = [
        .heading(level: 1, text: "Introduction", id: "intro"),
        .paragraph((long).rich),
        .paragraph(("<b>Bold</b>, <i>italic</i>, <tt>monospace</tt> and \(Markup.escape("R&D <b> & \"quotes\"")) in one paragraph. " + long).rich),
        .bullets(["Decode is bandwidth-bound at small batch sizes.",
                  ("Prefill is compute-bound for prompts longer than a few hundred tokens; " + long).rich,
                  "KV-cache size grows with context length S and batch B."]),
        .numbered(["Pick a GPU.", "Pick a model and weight format.", "Sweep batch and context."]),
        .heading(level: 2, text: "The roofline model", id: "roofline"),
        .formula("P = min(Π, β · I)   with   I = FLOP / byte,   h\(Markup.sub("kv")) = 2 · n\(Markup.sub("layers")) · d\(Markup.sup("2"))"),
        .paragraph((long).rich),
        .figure(sampleFigure()),
        .heading(level: 2, text: "Notes of every kind", id: "notes"),
    ]
    for kind in [NoteKind.note, .warning, .erratum, .solution] {
        blocks.append(.note(Note(kind, title: kind == .erratum ? "Table 2, row 3" : nil,
                                 paragraphs: [("A \(kind.rawValue) box: " + long).rich])))
    }
    blocks.append(.note(Note(.answerSpace, paragraphs: [], minHeight: 90)))
    blocks.append(.code("let ridge = peakFLOPs / bandwidth  // FLOP per byte\nfor b in [1, 8, 64] {\n    print(b, step(b))\n}"))
    blocks.append(.heading(level: 1, text: "Measurements", id: "measurements"))
    blocks.append(.paragraph("Table 1 lists every configuration of the sweep."))
    let table = Table(columns: [TableColumn("GPU"), TableColumn("Model"), TableColumn("Batch", alignment: .right),
                                TableColumn("Context", alignment: .right), TableColumn("Tokens/s", alignment: .right),
                                TableColumn("$/Mtok", alignment: .right)],
                      rows: (0..<rows).map { i in matrixRow(i) }.rich, caption: "The evaluated matrix (decode, BF16 weights)")
    blocks.append(.table(table))
    blocks.append(.heading(level: 2, text: "Discussion", id: "discussion"))
    for _ in 0..<3 { blocks.append(.paragraph((long + " " + long).rich)) }
    blocks.append(.heading(level: 3, text: "A third-level heading", id: "third"))
    blocks.append(.paragraph((long).rich))
    blocks.append(.heading(level: 1, text: "Appendix: wide figure", id: "appendix"))
    blocks.append(.figure(sampleFigure(width: 800, height: 300, caption: "A figure wider than the text column, scaled down")))
    blocks.append(.table(Table(columns: [TableColumn("Symbol"), TableColumn("Meaning", weight: 3), TableColumn("Unit", alignment: .center)],
                               rows: [["Π", "peak compute throughput", "FLOP/s"], ["β", "memory bandwidth | HBM", "B/s"],
                                      ["I", "arithmetic intensity", "FLOP/B"]], caption: "Symbols")))
    return Document(metadata: DocumentMetadata(title: "Ridgepoint sample report", author: "DocumentLayoutTests"),
                    pageSize: pageSize,
                    titlePage: TitlePage(title: "LLM inference economics", subtitle: "A Ridgepoint sample report",
                                         lines: ["DocumentLayoutTests", "2024-01-01", "Roofline, KV cache and cost per token"]),
                    tableOfContents: tableOfContents, numberHeadings: true, runningHeader: "Ridgepoint — sample report",
                    blocks: blocks)
}

func matrixRow(_ i: Int) -> [String] {
    let gpus = ["H100-SXM5", "A100-80GB", "H200", "MI300X"]
    let models = ["Llama-3-70B", "Mixtral 8x7B", "Llama-3-8B"]
    let batch: Int = 1 << (i % 9)
    let context: Int = 1024 << (i % 4)
    let tps: Double = 100 + Double(i) * 13.7
    let cost: Double = 0.05 + Double(i % 17) * 0.011
    return [gpus[i % 4], models[i % 3], String(batch), String(context), String(format: "%.1f", tps), String(format: "%.3f", cost)]
}
