import Canvas
import Foundation

extension BuiltChart {
    /// The chart as text: size, plot area, both axes with every major tick (minor ones summed up), grid, marks, legend, every
    /// placed label with its role and box, leader lines and dropped labels with their reasons.
    public var textSnapshot: String {
        typealias S = Snapshot
        var out = ["chart \(S.pt(size.width))×\(S.pt(size.height)) plot \(S.pt(plotRect))"]
        func axis(_ name: String, _ scale: AxisScale, _ ticks: [AxisTick]) {
            out.append("\(name) \(scale.kind) [\(S.value(scale.domain.lowerBound)), \(S.value(scale.domain.upperBound))]")
            for t in ticks where t.isMajor {
                var line = "  tick \(S.value(t.value)) @\(S.pt(t.position))"
                if let l = t.label, let b = t.labelBox { line += " \(S.quoted(l)) \(S.pt(b))" }
                out.append(line)
            }
            let minor = ticks.filter { !$0.isMajor }
            if let first = minor.first, let last = minor.last {
                out.append("  \(minor.count) minor ticks, \(S.value(first.value)) @\(S.pt(first.position)) … \(S.value(last.value)) @\(S.pt(last.position))")
            }
        }
        axis("x", xScale, xTicks)
        axis("y", yScale, yTicks)
        out.append("grid \(gridLines.count) lines")
        for m in marks {
            let source: String
            switch m.source { case .series(let i): source = "series \(i)"; case .reference(let i): source = "reference \(i)" }
            switch m.geometry {
            case .polyline(let pieces, let st):
                out.append("mark \(source) line \(S.stroke(st)), \(pieces.count) piece(s)")
                for p in pieces { out.append("  " + S.points(p)) }
            case .markers(let cs, let ms, let c):
                out.append("mark \(source) \(cs.count) \(ms.shape) marker(s) \(S.pt(ms.size)) \(S.color(c))")
                if !cs.isEmpty { out.append("  " + S.points(cs)) }
            case .rule(let seg, let st):
                out.append("mark \(source) rule \(S.pt(seg.from))–\(S.pt(seg.to)) \(S.stroke(st))")
            case .area(let poly, let c):
                out.append("mark \(source) area \(S.color(c)) \(poly.count) vertices")
                out.append("  " + S.points(poly))
            }
        }
        if let legendRect {
            out.append("legend \(S.pt(legendRect))")
            for e in legendEntries { out.append("  entry series \(e.seriesIndex) sample \(S.pt(e.sampleRect))") }
        }
        for l in labels {
            let rotation = l.rotation == 0 ? "" : " rotated \(S.value(l.rotation * 180 / .pi))°"
            out.append("label \(l.role.snapshotName) \(S.pt(l.box))\(rotation) \(S.quoted(l.text.markup))")
        }
        for s in leaderLines { out.append("leader \(S.pt(s.from))–\(S.pt(s.to))") }
        for d in droppedLabels { out.append("dropped \(d.role.snapshotName) \(S.quoted(d.text)): \(d.reason)") }
        return out.joined(separator: "\n") + "\n"
    }
}

extension LabelRole {
    /// "title", "tick x", "annotation 3", …
    public var snapshotName: String {
        switch self {
        case .title: return "title"
        case .subtitle: return "subtitle"
        case .caption: return "caption"
        case .axisTitle(let a): return "axis-title \(a)"
        case .tick(let a): return "tick \(a)"
        case .legend(let i): return "legend \(i)"
        case .annotation(let i): return "annotation \(i)"
        case .reference(let i): return "reference \(i)"
        }
    }
}
