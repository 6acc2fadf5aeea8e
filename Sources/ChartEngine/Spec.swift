import Canvas

/// A point in data space (axis units, not page points).
public struct DataPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// How an axis gets its domain.
public enum DomainSpec: Sendable, Hashable {
    /// From the data, widened by `padding` × span on each side (in log10 space on log axes).
    case auto(padding: Double = 0.04)
    /// Exactly this domain (never niced).
    case explicit(ClosedRange<Double>)
}

/// One axis: scale kind, title and unit (Pango markup), domain, tick format, grid.
public struct AxisSpec: Sendable, Hashable {
    public var scale: ScaleKind
    /// Title markup, e.g. "Arithmetic intensity".
    public var title: String
    /// Unit markup appended as " [unit]", e.g. "FLOP/byte"; nil or empty for none.
    public var unit: String?
    public var domain: DomainSpec
    /// Extend an automatic domain to nice tick values (linear) or whole decades (log).
    public var nice: Bool
    /// How tick labels are written; `.categories` also makes the axis categorical.
    public var format: TickFormat
    /// Draw grid lines at the major ticks.
    public var grid: Bool
    /// Desired number of linear ticks (log: maximum labelled decades); nil derives it from the plot size.
    public var tickCount: Int?

    public init(scale: ScaleKind = .linear, title: String = "", unit: String? = nil, domain: DomainSpec = .auto(),
                nice: Bool = true, format: TickFormat = .auto, grid: Bool = true, tickCount: Int? = nil) {
        self.scale = scale; self.title = title; self.unit = unit; self.domain = domain
        self.nice = nice; self.format = format; self.grid = grid; self.tickCount = tickCount
    }

    /// The title as drawn: "title [unit]". A long title that wraps never breaks a unit at its
    /// slash ("[FLOP/" + "s]"): a word joiner follows each slash.
    public var titleMarkup: String {
        guard let unit, !unit.isEmpty else { return title }
        let whole = "[" + unit.replacingOccurrences(of: "/", with: "/\u{2060}") + "]"
        return title.isEmpty ? whole : "\(title) \(whole)"
    }
}

/// One data series. Labels (Pango markup) appear in the legend; nil keeps a series out of it.
public enum Series: Sendable, Hashable {
    /// A polyline through `points` (in order); non-showable points (e.g. ≤ 0 on a log axis) break it.
    case line(points: [DataPoint], style: LineStyle, label: String?)
    /// Markers at `points`.
    case scatter(points: [DataPoint], marker: MarkerStyle, color: Color, label: String?)
    /// A horizontal line at `y` across the whole plot.
    case hline(y: Double, style: LineStyle, label: String?)
    /// A vertical line at `x` across the whole plot.
    case vline(x: Double, style: LineStyle, label: String?)
    /// The area between two polylines (`upper` is walked backwards to close the shape).
    case band(lower: [DataPoint], upper: [DataPoint], color: Color, label: String?)
    /// A vertical shaded span across the plot height, e.g. a "memory-bound" region.
    case xSpan(ClosedRange<Double>, color: Color, label: String?)

    /// The legend label (markup); nil or empty keeps the series out of the legend.
    public var label: String? {
        switch self {
        case .line(_, _, let l), .scatter(_, _, _, let l), .hline(_, _, let l), .vline(_, _, let l),
             .band(_, _, _, let l), .xSpan(_, _, let l):
            return l
        }
    }
}

/// The eight candidate positions of a label around its anchor.
public enum LabelPosition: Sendable, Hashable, CaseIterable {
    case aboveRight, belowRight, aboveLeft, belowLeft, right, left, above, below
}

/// A text label attached to a data point, placed automatically without overlaps.
public struct Annotation: Sendable, Hashable {
    /// Pango markup.
    public var text: String
    /// The anchor, in data space; an anchor outside the plot drops the label.
    public var at: DataPoint
    /// Higher priorities are placed first (and so survive crowding); ties keep spec order.
    public var priority: Int
    /// Positions tried first, in order; the remaining positions follow in the default order.
    public var preferred: [LabelPosition]
    /// Allow moving the label farther away, joined to its anchor by a leader line.
    public var allowLeader: Bool
    public var color: Color
    public init(_ text: String, at: DataPoint, priority: Int = 0, preferred: [LabelPosition] = [],
                allowLeader: Bool = true, color: Color = .black) {
        self.text = text; self.at = at; self.priority = priority; self.preferred = preferred
        self.allowLeader = allowLeader; self.color = color
    }
}

/// Which axis a value belongs to.
public enum Axis: Sendable, Hashable { case x, y }

/// A reference line across the plot at a data value, with an optional value label drawn
/// inside the plot next to the line (e.g. a dashed vertical "ridge 295 FLOP/B").
public struct ReferenceLine: Sendable, Hashable {
    /// `.x`: a vertical line at x = value; `.y`: a horizontal line at y = value.
    public var axis: Axis
    /// Where the line crosses the axis, in data units.
    public var value: Double
    /// Pango markup; nil draws the line only.
    public var label: String?
    public var style: LineStyle
    public init(axis: Axis, value: Double, label: String? = nil,
                style: LineStyle = LineStyle(color: Color(hex: 0x444444), width: 0.9, dash: [4, 3])) {
        self.axis = axis; self.value = value; self.label = label; self.style = style
    }
}

/// A corner of the plot area.
public enum Corner: Sendable, Hashable, CaseIterable { case topRight, topLeft, bottomRight, bottomLeft }

/// Where the legend goes.
public enum LegendPlacement: Sendable, Hashable {
    /// The emptiest corner inside the plot; outside on the right (or below, on narrow charts) when no corner is free.
    case auto
    case inside(Corner)
    /// Outside the plot, to its right.
    case right
    /// Below the plot, entries side by side.
    case bottom
    case hidden
}

/// A declarative chart: what to show, not where. `ChartLayout.build` turns it into a `BuiltChart`.
///
/// ```swift
/// var spec = ChartSpec(title: "Roofline",
///     x: AxisSpec(scale: .log, title: "Arithmetic intensity", unit: "FLOP/B"),
///     y: AxisSpec(scale: .log, title: "Performance", unit: "FLOP/s", format: .si(unit: "FLOP/s")))
/// spec.series = [.line(points: [DataPoint(1, 3.35e12), DataPoint(295, 989e12), DataPoint(1e4, 989e12)],
///                      style: .series(0), label: "H100 SXM")]
/// spec.references = [ReferenceLine(axis: .x, value: 295, label: "ridge 295 FLOP/B")]
/// let chart = try ChartLayout.build(spec, size: Size(480, 320), measurer: measurer)
/// try chart.draw(on: canvas)
/// ```
public struct ChartSpec: Sendable, Hashable {
    /// Title markup (drawn bold); empty for none.
    public var title: String
    /// Subtitle markup under the title; nil or empty for none.
    public var subtitle: String?
    /// A note under the chart (source, assumptions).
    public var caption: String?
    public var x: AxisSpec
    public var y: AxisSpec
    /// Data series, drawn in this order; the legend lists the labelled ones.
    public var series: [Series]
    /// Annotation labels one chart tries to place; more are dropped by priority (and listed in
    /// `BuiltChart.droppedLabels`), which keeps label placement near-linear in the data.
    public static let maxAnnotationLabels = 24
    /// Labels attached to data points; only `maxAnnotationLabels` of them are tried.
    public var annotations: [Annotation]
    public var references: [ReferenceLine]
    public var legend: LegendPlacement
    public var theme: ChartTheme

    public init(title: String = "", subtitle: String? = nil, caption: String? = nil,
                x: AxisSpec = AxisSpec(), y: AxisSpec = AxisSpec(), series: [Series] = [],
                annotations: [Annotation] = [], references: [ReferenceLine] = [],
                legend: LegendPlacement = .auto, theme: ChartTheme = ChartTheme()) {
        self.title = title; self.subtitle = subtitle; self.caption = caption; self.x = x; self.y = y
        self.series = series; self.annotations = annotations; self.references = references
        self.legend = legend; self.theme = theme
    }
}
