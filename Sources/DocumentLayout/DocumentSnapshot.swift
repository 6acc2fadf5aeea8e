import Canvas
import Foundation

extension LaidOutDocument {
    /// The document as text, page by page: every text frame with its markup, rules, fills,
    /// boxes, figures (frame and scale; their drawing is a chart's own snapshot), links and
    /// destinations, in drawing order. Geometry is rounded to 0.1 pt (`Snapshot`).
    public var textSnapshot: String {
        typealias S = Snapshot
        var out: [String] = []
        for (n, page) in pages.enumerated() {
            out.append("page \(n + 1) \(S.quoted(page.label)) \(page.role.rawValue) \(S.pt(page.size.width))×\(S.pt(page.size.height))")
            for item in page.items {
                switch item {
                case .text(let t, let frame):
                    let font = "\(t.font.family) \(S.pt(t.font.size))" + (t.font.bold ? " bold" : "") + (t.font.italic ? " italic" : "")
                    out.append("  text \(S.pt(frame)) \(font) \(S.quoted(t.markup))")
                case .line(let a, let b, let style): out.append("  line \(S.pt(a))–\(S.pt(b)) \(S.stroke(style))")
                case .fill(let r, let c): out.append("  fill \(S.pt(r)) \(S.color(c))")
                case .box(let r, let style): out.append("  box \(S.pt(r)) \(S.stroke(style))")
                case .figure(let f):
                    out.append("  figure \(f.number) \(S.pt(f.frame)) drawn at \(S.pt(f.size.width))×\(S.pt(f.size.height)) scale \(S.value(f.scale))")
                case .link(let target, let r):
                    switch target {
                    case .destination(let d): out.append("  link \(S.pt(r)) → #\(d)")
                    case .uri(let u): out.append("  link \(S.pt(r)) → \(u)")
                    }
                case .destination(let name, let p): out.append("  destination \(name) \(S.pt(p))")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
