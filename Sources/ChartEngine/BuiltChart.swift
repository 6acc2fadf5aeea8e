import Canvas

/// A tick after layout: its data value, page position along the axis, and its label (nil
/// for minor ticks and for labels thinned out because they would overlap their neighbours).
public struct AxisTick: Sendable, Hashable {
    public var value: Double
    /// Page x (x axis) or page y (y axis) of the tick.
    public var position: Double
    public var isMajor: Bool
    /// Label markup, nil when the tick is not labelled.
    public var label: String?
    /// Page rectangle the label covers; nil when the tick is not labelled.
    public var labelBox: Rect?
}

/// What a placed text is.
public enum LabelRole: Sendable, Hashable {
    case title, subtitle, caption
    case axisTitle(Axis)
    case tick(Axis)
    /// Legend entry text of series `i`.
    case legend(Int)
    /// Annotation `i` of `ChartSpec.annotations`.
    case annotation(Int)
    /// Value label of reference line `i` of `ChartSpec.references`.
    case reference(Int)
}

/// A text with its final position: `origin` is the top-left of its logical rectangle before
/// rotation (as `Canvas.draw(_:at:rotation:)` takes it), `box` the page area it covers.
public struct PlacedLabel: Sendable, Hashable {
    public var role: LabelRole
    public var text: TextBlock
    /// Top-left of the text's logical rectangle before rotation, page points.
    public var origin: Point
    /// Rotation about `origin`, radians, counter-clockwise (π/2 for the y-axis title, else 0).
    public var rotation: Double
    public var box: Rect
}

/// A straight page-space segment (grid lines, leader lines).
public struct Segment: Sendable, Hashable {
    public var from: Point
    public var to: Point
    public init(_ from: Point, _ to: Point) { self.from = from; self.to = to }
}

/// A series or reference line in page space.
public struct PlacedMark: Sendable, Hashable {
    /// What a mark draws: `ChartSpec.series[i]` or `ChartSpec.references[i]`.
    public enum Source: Sendable, Hashable { case series(Int), reference(Int) }
    /// The page-space shape of a mark and how it is painted.
    public enum Geometry: Sendable, Hashable {
        /// Polyline pieces (a piece breaks where a point cannot be shown).
        case polyline([[Point]], StrokeStyle)
        /// Marker centres (only points inside the plot area).
        case markers([Point], MarkerStyle, Color)
        /// A line across the plot (hline, vline, reference line).
        case rule(Segment, StrokeStyle)
        /// A filled polygon (band, span), clipped to the plot on drawing.
        case area([Point], Color)
    }
    public var source: Source
    public var geometry: Geometry
}

/// What a legend entry's sample shows.
public enum LegendSample: Sendable, Hashable {
    /// A short line in the series' stroke, with its marker if it has one (lines, hline, vline).
    case line(StrokeStyle, marker: MarkerStyle?)
    /// A single marker (scatter series).
    case marker(MarkerStyle, Color)
    /// A filled rectangle (bands and spans).
    case swatch(Color)
}

/// One legend row: the sample's rectangle and what it shows (the text is in `labels`).
public struct LegendEntry: Sendable, Hashable {
    /// Index of the series in `ChartSpec.series`.
    public var seriesIndex: Int
    public var sampleRect: Rect
    public var sample: LegendSample
}

/// A label that could not be placed.
public struct DroppedLabel: Sendable, Hashable {
    public var role: LabelRole
    /// The label's markup as given in the spec.
    public var text: String
    /// Why it was dropped, e.g. "anchor outside the plot".
    public var reason: String
}

/// A chart after layout: trained scales, ticks, page-space marks and measured, placed labels.
/// A plain value, equal for equal inputs; `draw(on:)` is the only step that touches a canvas.
public struct BuiltChart: Sendable, Hashable {
    public var size: Size
    /// Page rectangle of the plot area, inside the axes.
    public var plotRect: Rect
    /// Data → page mapping of the x axis, over its resolved (possibly niced) domain.
    public var xScale: AxisScale
    /// Data → page mapping of the y axis; its range runs from the plot's bottom to its top.
    public var yScale: AxisScale
    /// Ticks of the x axis, major and minor, with the labels that survived thinning.
    public var xTicks: [AxisTick]
    public var yTicks: [AxisTick]
    /// Grid lines at the major ticks of each axis whose spec asks for a grid.
    public var gridLines: [Segment]
    /// Marks of every series in spec order, then of every reference line.
    public var marks: [PlacedMark]
    /// Every placed text, in drawing order.
    public var labels: [PlacedLabel]
    /// Page rectangle of the legend; nil when it is hidden or no series has a label.
    public var legendRect: Rect?
    public var legendEntries: [LegendEntry]
    /// Lines joining annotation labels that moved away from their anchors.
    public var leaderLines: [Segment]
    /// Reference and annotation labels that could not be placed, with the reason.
    public var droppedLabels: [DroppedLabel]
    public var theme: ChartTheme

    /// Data → page coordinates.
    public func point(x: Double, y: Double) -> Point { Point(xScale(x), yScale(y)) }
    public func point(_ p: DataPoint) -> Point { point(x: p.x, y: p.y) }

    /// The labels with role `role`.
    public func labels(_ role: LabelRole) -> [PlacedLabel] { labels.filter { $0.role == role } }
    /// The annotation labels (any index).
    public var annotationLabels: [PlacedLabel] {
        labels.filter { if case .annotation = $0.role { return true } else { return false } }
    }
}
