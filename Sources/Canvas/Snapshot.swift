import Foundation

/// The number and geometry formats of text snapshots (`BuiltChart.textSnapshot`,
/// `LaidOutDocument.textSnapshot`): geometry rounded to 0.1 pt and data values to six significant
/// digits, so that a change of layout shows up as a readable diff in a test instead of a change
/// to kilobytes of glyph outlines. Equal inputs give equal text.
public enum Snapshot {
    /// A coordinate or length, rounded to 0.1 pt ("-0" printed as "0").
    public static func pt(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        let r = (v * 10).rounded() / 10
        return r == 0 ? "0" : String(format: "%.1f", r).replacingOccurrences(of: ".0", with: "", options: [.anchored, .backwards])
    }
    public static func pt(_ p: Point) -> String { "(\(pt(p.x)), \(pt(p.y)))" }
    public static func pt(_ r: Rect) -> String { "[\(pt(r.minX)) \(pt(r.minY)) \(pt(r.width))×\(pt(r.height))]" }
    /// A data value to six significant digits.
    public static func value(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "\(v)" }
    /// A text quoted on one line (newlines shown as \n).
    public static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
    public static func color(_ c: Color) -> String {
        func byte(_ v: Double) -> String { String(format: "%02X", Int((min(1, max(0, v)) * 255).rounded())) }
        return "#" + byte(c.red) + byte(c.green) + byte(c.blue) + (c.alpha < 1 ? "@" + value(c.alpha) : "")
    }
    public static func stroke(_ s: StrokeStyle) -> String {
        "stroke \(color(s.color)) w\(pt(s.width))" + (s.dash.isEmpty ? "" : " dash " + s.dash.map(pt).joined(separator: ","))
    }
    /// At most `limit` points: all of them when few, else evenly spaced ones with first and last.
    public static func points(_ ps: [Point], limit: Int = 6) -> String {
        let shown: [Point]
        if ps.count <= limit { shown = ps } else {
            shown = (0..<limit).map { ps[Int((Double($0) * Double(ps.count - 1) / Double(limit - 1)).rounded())] }
        }
        return shown.map(pt).joined(separator: " ") + (ps.count > limit ? " (of \(ps.count))" : "")
    }
}

