import Canvas
import Foundation

/// The Okabe–Ito colour-blind-safe palette, paired with dash patterns and marker shapes so
/// that series stay distinguishable in grey-scale print.
///
/// Series colours skip the yellow (#F0E442 is illegible as a thin line on white); it stays
/// available as `Palette.yellow` for fills. Index `i` always gives the same triple
/// (colour, dash, marker), cycling when there are more series than entries.
public enum Palette {
    public static let black = Color(hex: 0x000000)
    public static let orange = Color(hex: 0xE69F00)
    public static let skyBlue = Color(hex: 0x56B4E9)
    public static let bluishGreen = Color(hex: 0x009E73)
    public static let yellow = Color(hex: 0xF0E442)
    public static let blue = Color(hex: 0x0072B2)
    public static let vermillion = Color(hex: 0xD55E00)
    public static let reddishPurple = Color(hex: 0xCC79A7)
    /// All eight Okabe–Ito colours in their canonical order.
    public static let okabeIto: [Color] = [black, orange, skyBlue, bluishGreen, yellow, blue, vermillion, reddishPurple]
    /// The order used for series on white (no yellow; strongest contrasts first).
    public static let seriesColors: [Color] = [blue, vermillion, bluishGreen, reddishPurple, orange, skyBlue, black]
    /// Dash patterns in points paired with the colours (solid first).
    public static let dashes: [[Double]] = [[], [6, 3], [2, 2], [7, 2, 2, 2], [4, 4], [9, 3, 2, 3, 2, 3], [1, 3]]
    /// Marker shapes for series, cycled independently of the colours.
    public static let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond, .cross, .plus]

    /// Series colour `i`, cycling through `seriesColors` (negative indices wrap).
    public static func color(_ i: Int) -> Color { seriesColors[mod(i, seriesColors.count)] }
    public static func dash(_ i: Int) -> [Double] { dashes[mod(i, dashes.count)] }
    public static func marker(_ i: Int) -> MarkerShape { markers[mod(i, markers.count)] }
    private static func mod(_ a: Int, _ n: Int) -> Int { ((a % n) + n) % n }
}

/// How a line is drawn: colour, width in points, dash pattern in points, optional markers at its points.
public struct LineStyle: Sendable, Hashable {
    public var color: Color
    public var width: Double
    public var dash: [Double]
    /// Markers at the line's points inside the plot; nil for none.
    public var marker: MarkerStyle?
    public init(color: Color = Palette.color(0), width: Double = 1.5, dash: [Double] = [], marker: MarkerStyle? = nil) {
        self.color = color; self.width = width; self.dash = dash; self.marker = marker
    }
    /// The palette style for series `i` (colour + dash).
    public static func series(_ i: Int, width: Double = 1.5) -> LineStyle {
        LineStyle(color: Palette.color(i), width: width, dash: Palette.dash(i))
    }
    public var strokeStyle: StrokeStyle {
        StrokeStyle(color: color, width: width, dash: dash, cap: .butt, join: .round)
    }
}

/// Marker shapes, all built from `Path`s. Cross and plus are stroked only.
public enum MarkerShape: Sendable, Hashable, CaseIterable {
    case circle, square, triangle, diamond, cross, plus

    /// True for shapes drawn as strokes only (cross, plus).
    public var isStrokeOnly: Bool { self == .cross || self == .plus }

    /// The outline of the marker centred on `c`, `size` points across.
    public func path(center c: Point, size: Double) -> Path {
        let r = size / 2
        switch self {
        case .circle:
            return .circle(center: c, radius: r)
        case .square:
            let s = r * 0.886 // same area as the circle
            return .rect(Rect(x: c.x - s, y: c.y - s, width: 2 * s, height: 2 * s))
        case .triangle:
            let t = r * 1.2
            return .polygon([Point(c.x, c.y - t), Point(c.x + t * 0.866, c.y + t * 0.5), Point(c.x - t * 0.866, c.y + t * 0.5)])
        case .diamond:
            let d = r * 1.15
            return .polygon([Point(c.x, c.y - d), Point(c.x + d, c.y), Point(c.x, c.y + d), Point(c.x - d, c.y)])
        case .cross:
            let d = r * 0.8
            var p = Path()
            p.move(to: Point(c.x - d, c.y - d)); p.line(to: Point(c.x + d, c.y + d))
            p.move(to: Point(c.x - d, c.y + d)); p.line(to: Point(c.x + d, c.y - d))
            return p
        case .plus:
            var p = Path()
            p.move(to: Point(c.x - r, c.y)); p.line(to: Point(c.x + r, c.y))
            p.move(to: Point(c.x, c.y - r)); p.line(to: Point(c.x, c.y + r))
            return p
        }
    }
}

/// A marker: shape, size (points across) and whether it is filled or hollow (white inside).
public struct MarkerStyle: Sendable, Hashable {
    public var shape: MarkerShape
    public var size: Double
    /// Filled in the colour, or hollow with a white inside; cross and plus ignore it.
    public var filled: Bool
    /// Outline width in points (the whole stroke for cross and plus).
    public var lineWidth: Double
    public init(shape: MarkerShape = .circle, size: Double = 6, filled: Bool = true, lineWidth: Double = 1) {
        self.shape = shape; self.size = size; self.filled = filled; self.lineWidth = lineWidth
    }
    /// The palette marker for series `i`.
    public static func series(_ i: Int, size: Double = 6, filled: Bool = true) -> MarkerStyle {
        MarkerStyle(shape: Palette.marker(i), size: size, filled: filled)
    }
    /// Half the extent of the drawn marker, stroke included.
    public var radius: Double { size / 2 * 1.2 + lineWidth / 2 }

    /// Draws the marker centred on `c` in `color`.
    public func draw(on canvas: Canvas, at c: Point, color: Color) {
        let p = shape.path(center: c, size: size)
        let stroke = StrokeStyle(color: color, width: lineWidth, cap: .round, join: .round)
        if shape.isStrokeOnly {
            canvas.stroke(p, style: StrokeStyle(color: color, width: max(lineWidth, 1.2), cap: .round, join: .round))
        } else if filled {
            canvas.fill(p, color: color)
            canvas.stroke(p, style: stroke)
        } else {
            canvas.fill(p, color: .white)
            canvas.stroke(p, style: stroke)
        }
    }
}

/// Fonts, colours and spacing of a chart (sizes in points), tuned for print.
public struct ChartTheme: Sendable, Hashable {
    public var titleFont = Font(size: 11.5, bold: true)
    public var subtitleFont = Font(size: 9.5)
    public var captionFont = Font(size: 8, italic: true)
    public var axisTitleFont = Font(size: 9.5)
    public var tickFont = Font(size: 8.5)
    public var legendFont = Font(size: 8.5)
    public var annotationFont = Font(size: 8.5)
    public var textColor = Color(hex: 0x000000)
    public var tickLabelColor = Color(hex: 0x222222)
    /// Colour of the subtitle and caption.
    public var mutedTextColor = Color(hex: 0x555555)
    /// Page background; nil leaves the canvas untouched.
    public var background: Color? = .white
    public var gridStyle = StrokeStyle(color: Color(hex: 0xDDDDDD), width: 0.5)
    public var axisStyle = StrokeStyle(color: .black, width: 0.7, cap: .square)
    /// Draw the plot frame on all four sides (true) or only the left and bottom axes.
    public var frame = true
    /// Length of major tick marks outside the plot, points.
    public var majorTickLength = 4.0
    public var minorTickLength = 2.0
    /// Outer padding of the whole chart.
    public var padding = 8.0
    /// Gap between tick marks and tick labels.
    public var tickLabelGap = 2.5
    /// Minimum empty space between neighbouring tick labels before some are dropped.
    public var tickLabelSpacing = 6.0
    public var legendBackground = Color(red: 1, green: 1, blue: 1, alpha: 0.92)
    public var legendBorder: StrokeStyle? = StrokeStyle(color: Color(hex: 0xBBBBBB), width: 0.5)
    /// White box behind annotation labels (alpha < 1 lets the grid show through).
    public var annotationHalo: Color? = Color(red: 1, green: 1, blue: 1, alpha: 0.85)
    /// Stroke of the leader lines joining moved annotation labels to their anchors.
    public var leaderStyle = StrokeStyle(color: Color(hex: 0x666666), width: 0.5)
    public init() {}
}
