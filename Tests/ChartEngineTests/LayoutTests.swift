import CairoBackend
import Canvas
import Testing
@testable import ChartEngine

@Suite struct LayoutTests {
    let size = Size(480, 320)

    func assertNoOverlaps(_ boxes: [Rect], _ what: String) {
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                #expect(!boxes[i].overlaps(boxes[j]), "\(what) \(i) \(boxes[i]) overlaps \(j) \(boxes[j])")
            }
        }
    }

    @Test(arguments: Fixtures.all.map(\.0))
    func invariantsHoldForEverySample(name: String) throws {
        guard let (_, spec, size) = Fixtures.all.first(where: { $0.0 == name }) else { return }
        let m = try Fixtures.measurer()
        let chart = try ChartLayout.build(spec, size: size, measurer: m)
        let page = Rect(origin: .zero, size: size)
        assertNoOverlaps(chart.labels.map(\.box), "\(name) label")
        for l in chart.labels { #expect(page.contains(l.box), "\(name): \(l.role) leaves the page") }
        for l in chart.annotationLabels { #expect(chart.plotRect.contains(l.box)) }
        #expect(page.contains(chart.plotRect))
        if let legend = chart.legendRect {
            #expect(page.contains(legend))
            for l in chart.labels {
                if case .legend = l.role { #expect(legend.contains(l.box)) } else { #expect(!legend.overlaps(l.box), "\(name): legend overlaps \(l.role)") }
            }
        }
        #expect(chart.annotationLabels.count + chart.droppedLabels.filter { if case .annotation = $0.role { return true } else { return false } }.count
                == spec.annotations.count)
        for (a, b) in zip(chart.xTicks.compactMap(\.labelBox), chart.xTicks.compactMap(\.labelBox).dropFirst()) { #expect(!a.overlaps(b)) }
        let canvas = RecordingCanvas(size: size, measurer: m)
        try chart.draw(on: canvas)
        assertNoOverlaps(canvas.texts.map(\.box), "\(name) drawn text")
        #expect(canvas.texts.map(\.box) == chart.labels.map(\.box))
    }

    @Test func legendSamplesShowLineStyleAndMarker() throws {
        let chart = try ChartLayout.build(Fixtures.linear(), size: Size(480, 300), measurer: try Fixtures.measurer())
        #expect(chart.legendEntries.count == 4)
        for (k, e) in chart.legendEntries.enumerated() {
            guard case .line(let st, let marker) = e.sample else { Issue.record("not a line sample"); continue }
            #expect(st.dash == Palette.dash(k) && st.color == Palette.color(k))
            #expect(marker?.shape == Palette.marker(k))
            #expect(marker?.filled == (k % 2 == 0))
        }
    }

    @Test func regionsAreAreasClippedToThePlot() throws {
        let m = try Fixtures.measurer()
        let chart = try ChartLayout.build(Fixtures.regions(), size: Size(400, 260), measurer: m)
        let areas = chart.marks.compactMap { mark -> [Point]? in if case .area(let p, _) = mark.geometry { return p } else { return nil } }
        #expect(areas.count == 2)
        // The span covers x = 1…100 of a 1…1000 log axis: two thirds of the plot width, full height.
        if let span = areas.first, let b = Path.polygon(span).bounds {
            #expect(b.minX == chart.plotRect.minX && b.height == chart.plotRect.height)
            #expect(abs(b.width - chart.plotRect.width * 2 / 3) < 1e-9)
        }
        let canvas = RecordingCanvas(size: Size(400, 260), measurer: m)
        try chart.draw(on: canvas)
        let ops = canvas.operations.map(\.op)
        let clip = ops.firstIndex(of: .clip(chart.plotRect)), restore = ops.firstIndex(of: .restore)
        let firstArea = ops.firstIndex { if case .fill(_, let c) = $0 { return c == Palette.skyBlue.withAlpha(0.15) } else { return false } }
        #expect(clip != nil && firstArea != nil && restore != nil)
        if let clip, let firstArea, let restore { #expect(clip < firstArea && firstArea < restore) }
        #expect(chart.yTicks.compactMap(\.label).first == "0%")
    }

    @Test func rooflineLabelsDoNotOverlapAndStayOnCanvas() throws {
        let m = try Fixtures.measurer()
        let chart = try ChartLayout.build(Fixtures.roofline(), size: size, measurer: m)
        let canvasRect = Rect(origin: .zero, size: size)
        assertNoOverlaps(chart.labels.map(\.box), "label")
        for l in chart.labels { #expect(canvasRect.contains(l.box, tolerance: 1e-6), "\(l.role) \(l.box) leaves the canvas") }
        for l in chart.annotationLabels { #expect(chart.plotRect.contains(l.box)) }
        #expect(chart.annotationLabels.count + chart.droppedLabels.count == 8)
        #expect(chart.droppedLabels.isEmpty)
    }

    @Test func crowdedAnnotationsNeverOverlap() throws {
        let m = try Fixtures.measurer()
        let chart = try ChartLayout.build(Fixtures.crowded(), size: size, measurer: m)
        let canvas = RecordingCanvas(size: size, measurer: m)
        try chart.draw(on: canvas)
        let canvasRect = Rect(origin: .zero, size: size)
        // Over the built value…
        assertNoOverlaps(chart.labels.map(\.box), "label")
        for l in chart.labels { #expect(canvasRect.contains(l.box)) }
        for l in chart.annotationLabels { #expect(chart.plotRect.contains(l.box)) }
        // …and over what was actually drawn.
        let drawn = canvas.texts.map(\.box)
        #expect(drawn.count == chart.labels.count)
        assertNoOverlaps(drawn, "drawn text")
        for b in drawn { #expect(canvasRect.contains(b, tolerance: 1e-6)) }
        // Every annotation is either placed or reported as dropped, with a reason.
        #expect(chart.annotationLabels.count + chart.droppedLabels.count == 40)
        #expect(chart.annotationLabels.count >= 10)
        #expect(chart.droppedLabels.allSatisfy { !$0.reason.isEmpty })
        // Labels do not cover markers: no annotation box contains any data point's centre.
        guard case .markers(let centres, _, _) = chart.marks.first?.geometry else { Issue.record("no markers"); return }
        for l in chart.annotationLabels { #expect(!centres.contains { l.box.contains($0, tolerance: 0) }) }
        // Far labels are joined to their anchor.
        #expect(!chart.leaderLines.isEmpty)
    }

    @Test func annotationsPlacedInPriorityOrder() throws {
        var spec = Fixtures.crowded(count: 40)
        spec.annotations = spec.annotations.enumerated().map { (i, a) in var a = a; a.priority = i == 39 ? 100 : 0; return a }
        let chart = try ChartLayout.build(spec, size: size, measurer: try Fixtures.measurer())
        #expect(chart.labels(.annotation(39)).count == 1)
        #expect(!chart.droppedLabels.contains { $0.role == .annotation(39) })
    }

    @Test func vlineOnLogAxisSitsExactlyAtScaleValue() throws {
        let m = try Fixtures.measurer()
        var spec = Fixtures.roofline()
        spec.series.append(.vline(x: 295, style: .series(3), label: "ridge"))
        let chart = try ChartLayout.build(spec, size: size, measurer: m)
        let x = chart.xScale(295)
        #expect(x > chart.plotRect.minX && x < chart.plotRect.maxX)
        let rules = chart.marks.compactMap { mark -> Segment? in
            if case .rule(let s, _) = mark.geometry { return s } else { return nil }
        }
        #expect(rules.count == 2) // the series vline and the reference line
        for r in rules {
            #expect(r.from.x == x && r.to.x == x)
            #expect(r.from.y == chart.plotRect.minY && r.to.y == chart.plotRect.maxY)
        }
        let canvas = RecordingCanvas(size: size, measurer: m)
        try chart.draw(on: canvas)
        let verticals = canvas.operations.compactMap { e -> Path? in
            guard case .stroke(let p, let st) = e.op, st != chart.theme.gridStyle, let b = p.bounds, b.width == 0, b.height > 0, p.elements.count == 2 else { return nil }
            return b.minX > chart.plotRect.minX + 1 && b.height == chart.plotRect.height ? p : nil
        }
        #expect(verticals.count == 2)
        for p in verticals { #expect(p.elements == [.move(Point(x, chart.plotRect.minY)), .line(Point(x, chart.plotRect.maxY))]) }
        // The reference label sits right next to the line.
        let ref = chart.labels(.reference(0))
        #expect(ref.count == 1)
        if let b = ref.first?.box { #expect(abs(b.minX - (x + 3)) < 1e-9 || abs(b.maxX - (x - 3)) < 1e-9) }
        // And the point helper agrees with the scales.
        #expect(chart.point(x: 295, y: 1e14) == Point(chart.xScale(295), chart.yScale(1e14)))
    }

    @Test func legendAvoidsTitleTicksAndMarks() throws {
        let m = try Fixtures.measurer()
        let chart = try ChartLayout.build(Fixtures.roofline(), size: size, measurer: m)
        let legend = try #require(chart.legendRect)
        #expect(Rect(origin: .zero, size: size).contains(legend))
        for l in chart.labels {
            switch l.role {
            case .title, .subtitle, .tick, .axisTitle, .caption, .annotation, .reference:
                #expect(!legend.overlaps(l.box), "legend overlaps \(l.role)")
            case .legend:
                #expect(legend.contains(l.box))
            }
        }
        #expect(chart.legendEntries.count == 3)
        // Inside the plot, the roofline leaves an empty corner: no line crosses the legend.
        #expect(chart.plotRect.contains(legend))
        for mark in chart.marks {
            if case .polyline(let pieces, _) = mark.geometry {
                for piece in pieces { for (a, b) in zip(piece, piece.dropFirst()) { #expect(!Geo.crosses(a, b, legend), "\(mark.source) crosses the legend \(legend)") } }
            }
        }
    }

    @Test func legendGoesOutsideWhenNoCornerIsFree() throws {
        // Lines through all four corners.
        let spec = ChartSpec(
            title: "Busy corners",
            x: AxisSpec(domain: .explicit(0...10)), y: AxisSpec(domain: .explicit(0...10)),
            series: [.line(points: [DataPoint(0, 0), DataPoint(10, 10)], style: .series(0), label: "up"),
                     .line(points: [DataPoint(0, 10), DataPoint(10, 0)], style: .series(1), label: "down")])
        let chart = try ChartLayout.build(spec, size: size, measurer: try Fixtures.measurer())
        let legend = try #require(chart.legendRect)
        #expect(!legend.intersects(chart.plotRect))
        #expect(Rect(origin: .zero, size: size).contains(legend))
        for l in chart.labels where l.role != .legend(0) && l.role != .legend(1) { #expect(!legend.overlaps(l.box)) }
    }

    @Test func tickLabelsAreThinnedWhenCrowded() throws {
        let spec = ChartSpec(
            x: AxisSpec(title: "value", domain: .explicit(1e6...2e6), format: .fixed(digits: 0), tickCount: 11),
            y: AxisSpec(domain: .explicit(0...1)))
        let chart = try ChartLayout.build(spec, size: Size(200, 150), measurer: try Fixtures.measurer())
        let boxes = chart.xTicks.compactMap(\.labelBox)
        #expect(boxes.count >= 2)
        #expect(boxes.count < chart.xTicks.count)
        for (a, b) in zip(boxes, boxes.dropFirst()) { #expect(b.minX - a.maxX >= chart.theme.tickLabelSpacing - 1e-9) }
        for l in chart.labels { #expect(Rect(origin: .zero, size: Size(200, 150)).contains(l.box)) }
    }

    @Test func buildingTwiceGivesEqualValuesAndDrawings() throws {
        let m = try Fixtures.measurer()
        let a = try ChartLayout.build(Fixtures.crowded(), size: size, measurer: m)
        let b = try ChartLayout.build(Fixtures.crowded(), size: size, measurer: try Fixtures.measurer())
        #expect(a == b)
        let ca = RecordingCanvas(size: size, measurer: m), cb = RecordingCanvas(size: size, measurer: m)
        try a.draw(on: ca); try b.draw(on: cb)
        #expect(ca.operations.map(\.op) == cb.operations.map(\.op))
        #expect(try ChartLayout.build(Fixtures.roofline(), size: size, measurer: m)
            == ChartLayout.build(Fixtures.roofline(), size: size, measurer: m))
    }

    @Test func autoDomainContainsAllData() throws {
        let pts = [DataPoint(-3, 0.02), DataPoint(7, 40), DataPoint(2, 5)]
        let spec = ChartSpec(x: AxisSpec(), y: AxisSpec(scale: .log), series: [.scatter(points: pts, marker: .series(0), color: .black, label: nil)])
        let chart = try ChartLayout.build(spec, size: size, measurer: try Fixtures.measurer())
        for p in pts {
            #expect(chart.xScale.domain.contains(p.x) && chart.yScale.domain.contains(p.y))
            #expect(chart.plotRect.contains(chart.point(p)))
        }
        // Niced: the domain ends on ticks.
        #expect(chart.xTicks.first?.value == chart.xScale.domain.lowerBound)
        #expect(chart.xTicks.last?.value == chart.xScale.domain.upperBound)
        #expect(chart.yTicks.filter(\.isMajor).count >= 2)
    }

    @Test func nonPositiveLogDomainIsRejected() throws {
        let spec = ChartSpec(x: AxisSpec(scale: .log, domain: .explicit(0...100)))
        #expect(throws: ChartError.nonPositiveLogDomain(axis: "x", lower: 0, upper: 100)) {
            try ChartLayout.build(spec, size: size, measurer: ApproximateTextMeasurer())
        }
        let noPositive = ChartSpec(y: AxisSpec(scale: .log), series: [.line(points: [DataPoint(0, -1), DataPoint(1, 0)], style: .series(0), label: nil)])
        #expect(throws: ChartError.noPositiveData(axis: "y")) {
            try ChartLayout.build(noPositive, size: size, measurer: ApproximateTextMeasurer())
        }
    }

    @Test func logLinesSkipNonPositivePoints() throws {
        let spec = ChartSpec(x: AxisSpec(scale: .log, domain: .explicit(1...100)), y: AxisSpec(domain: .explicit(0...10)),
                             series: [.line(points: [DataPoint(1, 1), DataPoint(10, 2), DataPoint(0, 3), DataPoint(50, 4), DataPoint(100, 5)],
                                            style: .series(0), label: nil)])
        let chart = try ChartLayout.build(spec, size: size, measurer: ApproximateTextMeasurer())
        guard case .polyline(let pieces, _) = chart.marks.first?.geometry else { Issue.record("no polyline"); return }
        #expect(pieces.map(\.count) == [2, 2])
    }

    @Test func zeroWidthAndNegativeDomainsBuild() throws {
        let m = try Fixtures.measurer()
        let flat = ChartSpec(series: [.line(points: [DataPoint(1, 5), DataPoint(2, 5)], style: .series(0), label: nil)])
        let c1 = try ChartLayout.build(flat, size: size, measurer: m)
        #expect(c1.yScale.domain.contains(5) && c1.yScale.domain.lowerBound < 5)
        let neg = ChartSpec(x: AxisSpec(domain: .explicit(-100 ... -20)), y: AxisSpec(domain: .explicit(-1...1)))
        let c2 = try ChartLayout.build(neg, size: size, measurer: m)
        #expect(c2.xTicks.compactMap(\.label) == ["\u{2212}100", "\u{2212}80", "\u{2212}60", "\u{2212}40", "\u{2212}20"])
        #expect(c2.yTicks.contains { $0.value == 0 && $0.label == "0.0" })
    }

    @Test func tickLabelsClearOfAxisTitles() throws {
        let chart = try ChartLayout.build(Fixtures.roofline(), size: size, measurer: try Fixtures.measurer())
        let ticks = chart.labels.filter { if case .tick = $0.role { return true } else { return false } }
        let titles = chart.labels(.axisTitle(.x)) + chart.labels(.axisTitle(.y))
        #expect(titles.count == 2)
        for t in ticks { for a in titles { #expect(!t.box.overlaps(a.box)) } }
        // Tick labels are outside the plot.
        for t in ticks { #expect(!t.box.overlaps(chart.plotRect)) }
        #expect(chart.yTicks.filter(\.isMajor).compactMap(\.label) == ["100 G", "1 T", "10 T", "100 T", "1 P"])
    }

    @Test func markersAreBuiltFromPaths() {
        for shape in MarkerShape.allCases {
            let b = shape.path(center: Point(10, 10), size: 6).bounds
            #expect(b != nil)
            if let b { #expect(b.contains(Point(10, 10)) && b.width <= 8.5 && b.height <= 8.5) }
        }
        #expect(Palette.seriesColors.count == 7)
        #expect(!Palette.seriesColors.contains(Palette.yellow))
        #expect(Set(Palette.dashes.prefix(6)).count == 6)
    }

    /// Thousands of labelled points: at most `maxAnnotationLabels` are tried (highest priority
    /// first), the rest are reported as dropped with the reason, none is lost silently.
    @Test func annotationLabelsHaveABudget() throws {
        let pts = (1...5_000).map { DataPoint(Double($0), Double($0 % 97 + 1)) }
        let spec = ChartSpec(x: AxisSpec(scale: .log), y: AxisSpec(scale: .log),
                             series: [.scatter(points: pts, marker: .series(0), color: .black, label: nil)],
                             annotations: pts.enumerated().map { Annotation("B=\($0.offset)", at: $0.element, priority: $0.offset % 7) })
        let chart = try ChartLayout.build(spec, size: size, measurer: try Fixtures.measurer())
        let budget = ChartSpec.maxAnnotationLabels
        #expect(chart.annotationLabels.count <= budget)
        let overBudget = chart.droppedLabels.filter { $0.reason.contains("budget") }
        #expect(overBudget.count == pts.count - budget)
        #expect(chart.annotationLabels.count + chart.droppedLabels.filter { if case .annotation = $0.role { return true } else { return false } }.count == pts.count)
        // The labels tried are the highest-priority ones.
        for l in chart.annotationLabels {
            if case .annotation(let i) = l.role { #expect(i % 7 == 6) }
        }
    }

    /// A wrapped axis title keeps its unit whole: no line break after the slash of "FLOP/s".
    @Test func axisUnitsDoNotBreakAtTheirSlash() throws {
        let axis = AxisSpec(scale: .log, title: "Attainable performance per GPU", unit: "FLOP/s")
        #expect(axis.titleMarkup == "Attainable performance per GPU [FLOP/\u{2060}s]")
        let m = try Fixtures.measurer()
        let narrow = try m.measure(TextBlock(axis.titleMarkup, font: Font(size: 9), width: 150))
        #expect(narrow.lineCount == 2)
        // Where the plain title breaks after the slash, the joined one moves the whole unit down.
        let upToSlash = try m.measure(TextBlock("Attainable performance per GPU [FLOP/", font: Font(size: 9))).size.width
        let plain = try m.measure(TextBlock("Attainable performance per GPU [FLOP/s]", font: Font(size: 9), width: upToSlash + 1))
        let joined = try m.measure(TextBlock(axis.titleMarkup, font: Font(size: 9), width: upToSlash + 1))
        #expect(plain.lineCount == 2 && joined.lineCount == 2)
        // The plain title's first line runs to the slash; the joined one's stops before "[".
        #expect(joined.size.width < plain.size.width - 20, "\(joined.size.width) vs \(plain.size.width)")
    }
}
