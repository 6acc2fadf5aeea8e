import Canvas
import Testing
@testable import ChartEngine

/// One test group per part of the chart layout (Sources/ChartEngine/Layout/): each part is
/// checked alone, with the approximate measurer where text size does not matter.
@Suite struct LayoutPartsTests {
    let measurer = ApproximateTextMeasurer()

    // MARK: Domains

    @Test func extentCollectsEveryKindOfData() {
        let spec = ChartSpec(
            series: [.line(points: [DataPoint(1, 2)], style: .series(0), label: nil),
                     .band(lower: [DataPoint(3, 4)], upper: [DataPoint(5, 6)], color: .black, label: nil),
                     .hline(y: 7, style: .series(0), label: nil), .vline(x: 8, style: .series(0), label: nil),
                     .xSpan(9...10, color: .black, label: nil)],
            annotations: [Annotation("a", at: DataPoint(11, 12))],
            references: [ReferenceLine(axis: .x, value: 13), ReferenceLine(axis: .y, value: 14)])
        let e = DataExtent(spec)
        #expect(e.xs == [1, 3, 5, 8, 9, 10, 11, 13])
        #expect(e.ys == [2, 4, 6, 7, 12, 14])
    }

    @Test func domainsResolvePerScale() throws {
        // Log, nice: data 7.6e11…1.3e15 with no padding snaps to 1-2-5 values.
        let log = AxisSpec(scale: .log, domain: .auto(padding: 0))
        #expect(try DomainResolver.resolve(log, name: "y", values: [7.6e11, 1.3e15], targetTickCount: 5) == 5e11...2e15)
        // Nothing to show: a default decade (log) or unit interval (linear).
        #expect(try DomainResolver.resolve(log, name: "y", values: [], targetTickCount: 5) == 1...10)
        #expect(try DomainResolver.resolve(AxisSpec(), name: "x", values: [.nan], targetTickCount: 5) == 0...1)
        // Linear, nice: extended to whole ticks.
        #expect(try DomainResolver.resolve(AxisSpec(), name: "x", values: [0.3, 9.2], targetTickCount: 5) == 0...10)
        #expect(throws: ChartError.self) {
            try DomainResolver.resolve(AxisSpec(domain: .explicit(0...(.infinity))), name: "x", values: [], targetTickCount: 5)
        }
        #expect(throws: ChartError.self) {
            try DomainResolver.resolve(log, name: "y", values: [-1, 0], targetTickCount: 5)
        }
    }

    // MARK: Axes

    @Test func eachAxisHasItsOwnLocator() {
        #expect(AxisSpec(format: .categories(["a", "b", "c"])).locator(targetCount: 5) is CategoryTickLocator)
        #expect(AxisSpec(scale: .log).locator(targetCount: 5) is LogTickLocator)
        #expect(AxisSpec().locator(targetCount: 5) is LinearTickLocator)
        #expect(CategoryTickLocator(count: 4).ticks(in: 0.5...2.5).map(\.value) == [1, 2])
    }

    @Test func axisPlanLabelsOnlyMajorTicksWithItsFormatter() throws {
        let plan = try AxisPlan(AxisSpec(scale: .log, domain: .explicit(1...1000), format: .si()), name: "x", values: [], targetCount: 5)
        let majors = zip(plan.ticks, plan.labels).filter { $0.0.isMajor }
        #expect(majors.map(\.1) == ["1", "10", "100", "1 k"])
        #expect(zip(plan.ticks, plan.labels).allSatisfy { $0.0.isMajor == ($0.1 != nil) })
        let percent = try AxisPlan(AxisSpec(domain: .explicit(0...1), format: .percent()), name: "y", values: [], targetCount: 3)
        #expect(percent.labels.compactMap { $0 }.last == "100%")
    }

    @Test func thinningKeepsTheZeroLabel() {
        // Labels 10 pt wide every 6 pt: every other one must go, and the one at 0 (index 3) stays.
        var ticks = (0..<7).map { i -> AxisTick in
            let p = Double(i) * 6
            return AxisTick(value: Double(i - 3), position: p, isMajor: true, label: "\(i - 3)",
                            labelBox: Rect(x: p - 5, y: 0, width: 10, height: 8))
        }
        AxisPlan.thin(&ticks, horizontal: true, spacing: 1)
        #expect(ticks.compactMap(\.label) == ["-2", "0", "2"])
    }

    // MARK: Legend

    @Test func legendSkipsUnlabelledSeriesAndWrapsWhenFlowing() throws {
        let spec = ChartSpec(series: [.line(points: [], style: .series(0), label: "first series"),
                                      .line(points: [], style: .series(1), label: nil),
                                      .scatter(points: [], marker: .series(0), color: .black, label: "second series")])
        let legend = LegendLayout(spec, measurer: measurer)
        #expect(legend.items.map(\.0) == [0, 2])
        let column = try legend.layout(at: .zero, flow: nil)
        let row = try legend.layout(at: .zero, flow: 1000)
        let narrow = try legend.layout(at: .zero, flow: 60)
        #expect(column.entries.count == 2 && column.entries[1].sampleRect.minY > column.entries[0].sampleRect.minY)
        #expect(row.entries[1].sampleRect.minY == row.entries[0].sampleRect.minY)
        #expect(narrow.entries[1].sampleRect.minY > narrow.entries[0].sampleRect.minY)
    }

    @Test func legendTakesTheCornerWithNoData() {
        let plot = Rect(x: 0, y: 0, width: 200, height: 100)
        // A line across the top half from left to right: both top corners are taken.
        let marks = [PlacedMark(source: .series(0), geometry: .polyline([[Point(0, 10), Point(200, 10)]], StrokeStyle(color: .black)))]
        let obstacles = Obstacles(marks: marks, anchors: [Point(190, 90)])
        let corner = LegendLayout.freeCorner(size: Size(40, 20), plot: plot, obstacles: obstacles, marks: marks)
        #expect(corner == .bottomLeft)
        #expect(LegendLayout.cornerOrigin(.bottomRight, size: Size(40, 20), plot: plot) == Point(154, 74))
        #expect(LegendLayout.freeCorner(size: Size(400, 20), plot: plot, obstacles: obstacles, marks: marks) == nil)
    }

    // MARK: Marks

    @Test func marksBreakWhereALogAxisCannotShowAPoint() throws {
        let spec = ChartSpec(series: [.line(points: [DataPoint(1, 1), DataPoint(2, 10), DataPoint(3, -1), DataPoint(4, 100), DataPoint(5, 10)],
                                            style: .series(0), label: nil),
                                      .xSpan(0...2.5, color: .black, label: nil)],
                             references: [ReferenceLine(axis: .y, value: 0)])
        let plot = Rect(x: 0, y: 0, width: 100, height: 100)
        let xs = AxisScale.linear(LinearScale(domain: 1...5, from: 0, to: 100))
        let ys = AxisScale.log(try LogScale(domain: 1...100, from: 100, to: 0, axis: "y"))
        let marks = MarkLayout(spec: spec, plot: plot, xScale: xs, yScale: ys).marks()
        guard case .polyline(let pieces, _) = marks[0].geometry else { Issue.record("no line"); return }
        #expect(pieces.map(\.count) == [2, 2])
        // The span is clipped to the plot; the y = 0 reference cannot be drawn on a log axis.
        guard case .area(let poly, _) = marks[1].geometry else { Issue.record("no span"); return }
        #expect(poly.map(\.x).min() == 0 && poly.map(\.x).max() == 37.5)
        #expect(marks.count == 2)
        let obstacles = Obstacles(marks: marks, anchors: [])
        #expect(obstacles.lines.count == 2 && obstacles.markerBoxes.isEmpty)
    }

    // MARK: Data labels

    @Test func referenceLabelsTrySpotsOnBothSides() {
        let layout = DataLabelLayout(spec: ChartSpec(), plot: Rect(x: 0, y: 0, width: 100, height: 50),
                                     xScale: .linear(LinearScale(domain: 0...1, from: 0, to: 100)),
                                     yScale: .linear(LinearScale(domain: 0...1, from: 50, to: 0)), measurer: measurer)
        let c = layout.referenceCandidates(.x, at: 40, size: Size(20, 10))
        #expect(c[0] == Rect(x: 43, y: 3, width: 20, height: 10) && c[1] == Rect(x: 17, y: 3, width: 20, height: 10))
        #expect(c.allSatisfy { $0.maxY <= 50 })
        let h = layout.referenceCandidates(.y, at: 25, size: Size(20, 10))
        #expect(h[0].maxY == 23 && h[1].minY == 27 && h[0].maxX == 97)
    }

    @Test func droppedLabelsSayWhy() throws {
        var spec = ChartSpec(annotations: [Annotation("outside", at: DataPoint(5, 0.5))],
                             references: [ReferenceLine(axis: .x, value: 3, label: "beyond")])
        spec.x.domain = .explicit(0...1); spec.y.domain = .explicit(0...1)
        let chart = try ChartLayout.build(spec, size: Size(300, 200), measurer: measurer)
        #expect(chart.droppedLabels.map(\.reason) == ["reference value outside the plot", "anchor outside the plot"])
    }

    // MARK: Frame

    @Test func frameMakesRoomForTitlesAndAnOutsideLegend() throws {
        let base = ChartSpec(series: [.line(points: [DataPoint(0, 0), DataPoint(1, 1)], style: .series(0), label: "a series")])
        var titled = base
        titled.title = "A title"; titled.caption = "A caption"
        func frame(_ spec: ChartSpec, _ mode: LegendMode) throws -> ChartFrame {
            try ChartFrame(try Context(spec: spec, size: Size(400, 300), measurer: measurer), legend: mode)
        }
        let plain = try frame(base, .none)
        let withTitles = try frame(titled, .none)
        #expect(withTitles.plot.minY > plain.plot.minY && withTitles.plot.maxY < plain.plot.maxY)
        #expect(withTitles.titles.map(\.role) == [.title, .caption])
        let right = try frame(base, .right)
        #expect(right.plot.maxX < plain.plot.maxX && right.legendOutside != nil)
        let bottom = try frame(base, .bottom)
        #expect(bottom.plot.maxY < plain.plot.maxY && bottom.legendOutside != nil)
        #expect(throws: ChartError.self) { try ChartFrame(try Context(spec: titled, size: Size(80, 60), measurer: measurer), legend: .right) }
    }
}
