import Canvas
import Foundation

/// Part 0 of a chart's layout: the texts around the plot (title, subtitle, axis titles, caption,
/// tick labels, an outside legend) measured, the margins they need, and so the plot rectangle;
/// then the titles placed in those margins.
struct ChartFrame {
    /// The plot area in canvas coordinates.
    let plot: Rect
    /// Width of the canvas inside the padding, the most any text may take.
    let available: Double
    /// Major tick length plus the gap to its label.
    let tickBand: Double
    let xTickTexts: TickLabelTexts
    let yTickTexts: TickLabelTexts
    /// Size of a legend outside the plot (right or bottom), nil otherwise.
    let legendOutside: Size?
    /// Height of the caption, nil without one.
    let captionHeight: Double?
    /// Title, subtitle, axis titles and caption, placed.
    let titles: [PlacedLabel]

    init(_ ctx: Context, legend mode: LegendMode) throws {
        let spec = ctx.spec, theme = ctx.theme, size = ctx.size
        let pad = theme.padding
        let avail = size.width - 2 * pad
        available = avail

        // Measure the fixed texts.
        func fitted(_ markup: String, _ font: Font, _ color: Color? = nil) throws -> (TextBlock, Size) {
            var tb = ctx.block(markup, font, color)
            var s = try ctx.measure(tb)
            if s.width > avail { tb.width = avail; s = try ctx.measure(tb); s.width = min(s.width, avail) }
            return (tb, s)
        }
        let title = spec.title.isEmpty ? nil : try fitted(spec.title, theme.titleFont)
        let subtitle = (spec.subtitle ?? "").isEmpty ? nil : try fitted(spec.subtitle ?? "", theme.subtitleFont, theme.mutedTextColor)
        let caption = (spec.caption ?? "").isEmpty ? nil : try fitted(spec.caption ?? "", theme.captionFont, theme.mutedTextColor)
        let xTitle = spec.x.titleMarkup.isEmpty ? nil : try fitted(spec.x.titleMarkup, theme.axisTitleFont)
        xTickTexts = try TickLabelTexts(ctx.x, font: theme.tickFont, color: theme.tickLabelColor, measurer: ctx.measurer)
        yTickTexts = try TickLabelTexts(ctx.y, font: theme.tickFont, color: theme.tickLabelColor, measurer: ctx.measurer)
        let xTickH = xTickTexts.maxHeight
        let xTickHalfW = xTickTexts.maxWidth / 2
        let yTickW = yTickTexts.maxWidth
        let yTickHalfH = yTickTexts.maxHeight / 2
        let tickBand = theme.majorTickLength + theme.tickLabelGap
        self.tickBand = tickBand
        captionHeight = caption?.1.height

        // Margins.
        var top = pad
        if let title { top += title.1.height + 3 }
        if let subtitle { top += subtitle.1.height + 3 }
        if title != nil || subtitle != nil { top += 6 }
        top = max(top, pad + yTickHalfH + 1)
        var bottom = pad + xTickH + tickBand
        if let xTitle { bottom += xTitle.1.height + 4 }
        if let caption { bottom += caption.1.height + 6 }
        var legendOutside: Size?
        if mode == .bottom {
            let s = try ctx.legendSize(flow: avail)
            legendOutside = s
            bottom += s.height + 8
        }
        // The y title runs along the plot height; wrap it when it is longer.
        var yTitleBlock = spec.y.titleMarkup.isEmpty ? nil : ctx.block(spec.y.titleMarkup, theme.axisTitleFont, width: nil, alignment: .center)
        var yTitleSize = try yTitleBlock.map { try ctx.measure($0) }
        // It may run from the header down to the bottom of the x tick labels.
        let titleSpan = size.height - top - bottom + tickBand + xTickH
        if var tb = yTitleBlock, let s = yTitleSize, s.width > titleSpan, titleSpan > 20 {
            tb.width = titleSpan
            yTitleBlock = tb
            yTitleSize = try ctx.measure(tb)
        }
        var left = pad + yTickW + tickBand
        if let s = yTitleSize { left += s.height + 5 }
        left = max(left, pad + xTickHalfW)
        var right = pad + xTickHalfW
        if mode == .right {
            let s = try ctx.legendSize(flow: nil)
            legendOutside = s
            right = max(right, pad + s.width + 10)
        }
        self.legendOutside = legendOutside
        let plot = Rect(x: left, y: top, width: size.width - left - right, height: size.height - top - bottom)
        guard plot.width >= 20, plot.height >= 20 else {
            throw ChartError.canvasTooSmall(width: size.width, height: size.height)
        }
        self.plot = plot

        // Titles.
        var labels: [PlacedLabel] = []
        var y = pad
        if let (tb, s) = title {
            labels.append(PlacedLabel(role: .title, text: tb, origin: Point(pad, y), rotation: 0, box: Rect(x: pad, y: y, width: s.width, height: s.height)))
            y += s.height + 3
        }
        if let (tb, s) = subtitle {
            labels.append(PlacedLabel(role: .subtitle, text: tb, origin: Point(pad, y), rotation: 0, box: Rect(x: pad, y: y, width: s.width, height: s.height)))
            y += s.height + 3
        }
        let belowAxis = plot.maxY + tickBand + xTickH + 4
        if let (tb, s) = xTitle {
            let x = min(max(plot.midX - s.width / 2, pad), size.width - pad - s.width)
            labels.append(PlacedLabel(role: .axisTitle(.x), text: tb, origin: Point(x, belowAxis), rotation: 0, box: Rect(x: x, y: belowAxis, width: s.width, height: s.height)))
        }
        if let tb = yTitleBlock, let s = yTitleSize {
            // Rotated 90° counter-clockwise: the origin is the bottom-left corner of the page box.
            // Centred on the plot, kept between the header and the bottom of the x tick labels.
            let w = s.width
            let lowest = plot.maxY + tickBand + xTickH, highest = max(pad, y)
            let oy = min(max(plot.midY + w / 2, highest + w), max(lowest, highest + w))
            let origin = Point(pad, oy)
            let box = RecordingCanvas.rotatedBox(origin: origin, size: s, rotation: .pi / 2)
            labels.append(PlacedLabel(role: .axisTitle(.y), text: tb, origin: origin, rotation: .pi / 2, box: box))
        }
        if let (tb, s) = caption {
            let cy = size.height - pad - s.height
            labels.append(PlacedLabel(role: .caption, text: tb, origin: Point(pad, cy), rotation: 0, box: Rect(x: pad, y: cy, width: s.width, height: s.height)))
        }
        titles = labels
    }
}
