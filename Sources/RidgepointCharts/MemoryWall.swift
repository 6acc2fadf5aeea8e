import Canvas
import ChartEngine
import Foundation
import RidgepointCore

/// Curves against batch size stop being real where the batch no longer fits in memory: the
/// part beyond the largest batch that fits is drawn thin, grey and dashed.
enum MemoryWall {
    static let beyondStyle = LineStyle(color: Color(hex: 0xAAAAAA), width: 0.9, dash: [2, 3])
    static let beyondLabel = "beyond memory (does not fit)"

    /// `curve` (x = batch) cut at `wall`: the fitting part in `style`, the rest in the grey
    /// style, joined at the wall so the line is continuous. `label` goes on the fitting part;
    /// the grey part carries `beyondLabel` when `labelBeyond` (once per chart).
    static func series(_ curve: [DataPoint], wall: Double, style: LineStyle, label: String?, labelBeyond: inout Bool,
                       value: (Double) -> Double) -> [Series] {
        let inside = curve.filter { $0.x <= wall }
        let outside = curve.filter { $0.x > wall }
        var out: [Series] = []
        let edge = wall >= 1 && !outside.isEmpty && !inside.isEmpty ? [DataPoint(wall, value(wall))] : []
        if !inside.isEmpty { out.append(.line(points: inside + edge, style: style, label: label)) }
        if !outside.isEmpty && inside.isEmpty {
            // Nothing fits: the curve keeps its colour (for the legend), thin and dashed.
            var never = style
            never.width = beyondStyle.width; never.dash = beyondStyle.dash
            out.append(.line(points: outside, style: never, label: label.map { $0 + " (does not fit)" }))
        } else if !outside.isEmpty {
            var beyond = style
            beyond.color = beyondStyle.color; beyond.width = beyondStyle.width; beyond.dash = beyondStyle.dash
            out.append(.line(points: edge + outside, style: beyond, label: labelBeyond ? nil : beyondLabel))
            labelBeyond = true
        }
        return out
    }
}
