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
    public var origin: Point
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
    public enum Source: Sendable, Hashable { case series(Int), reference(Int) }
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
    case line(StrokeStyle, marker: MarkerStyle?)
    case marker(MarkerStyle, Color)
    case swatch(Color)
}

/// One legend row: the sample's rectangle and what it shows (the text is in `labels`).
public struct LegendEntry: Sendable, Hashable {
    public var seriesIndex: Int
    public var sampleRect: Rect
    public var sample: LegendSample
}

/// A label that could not be placed.
public struct DroppedLabel: Sendable, Hashable {
    public var role: LabelRole
    public var text: String
    public var reason: String
}

/// A chart after layout: trained scales, ticks, page-space marks and measured, placed labels.
/// A plain value, equal for equal inputs; `draw(on:)` is the only step that touches a canvas.
public struct BuiltChart: Sendable, Hashable {
    public var size: Size
    public var plotRect: Rect
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var xTicks: [AxisTick]
    public var yTicks: [AxisTick]
    public var gridLines: [Segment]
    public var marks: [PlacedMark]
    /// Every placed text, in drawing order.
    public var labels: [PlacedLabel]
    public var legendRect: Rect?
    public var legendEntries: [LegendEntry]
    public var leaderLines: [Segment]
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
