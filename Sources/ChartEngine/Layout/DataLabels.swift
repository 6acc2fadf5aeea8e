import Canvas
import Foundation

/// Part 5 of a chart's layout: reference-line labels, then annotation labels in priority order,
/// each placed greedily on the first free spot; what finds none is reported, never lost.
struct DataLabelLayout {
    let spec: ChartSpec
    let plot: Rect
    let xScale: AxisScale
    let yScale: AxisScale
    let measurer: TextMeasurer

    struct Result {
        var labels: [PlacedLabel] = []
        var dropped: [DroppedLabel] = []
        var leaders: [Segment] = []
    }

    /// A placer over the plot that avoids `occupied` boxes, the marks' obstacles and the
    /// anchors inside the plot.
    func placer(occupied: [Rect], obstacles: Obstacles) -> LabelPlacer {
        var placer = LabelPlacer(bounds: plot.insetBy(2))
        placer.maxLeaderOffset = max(20, 0.2 * min(plot.width, plot.height))
        placer.occupied = occupied
        placer.occupied += obstacles.markerBoxes
        placer.occupied += obstacles.anchors.filter { plot.contains($0) }.map { Geo.box(center: $0, radius: 1.5) }
        placer.lines = obstacles.lines
        return placer
    }

    func place(using placer: inout LabelPlacer, anchors: [Point], marks: [PlacedMark]) throws -> Result {
        var out = Result()
        let theme = spec.theme
        for (i, ref) in spec.references.enumerated() {
            guard let markup = ref.label, !markup.isEmpty else { continue }
            let tb = TextBlock(markup, font: theme.annotationFont, color: theme.textColor)
            let s = try measurer.measure(tb).size
            let scale = ref.axis == .x ? xScale : yScale
            let v = scale(ref.value)
            guard scale.accepts(ref.value), v.isFinite,
                  ref.axis == .x ? (v >= plot.minX - 0.5 && v <= plot.maxX + 0.5) : (v >= plot.minY - 0.5 && v <= plot.maxY + 0.5) else {
                out.dropped.append(DroppedLabel(role: .reference(i), text: markup, reason: "reference value outside the plot"))
                continue
            }
            if let box = placer.firstFree(referenceCandidates(ref.axis, at: v, size: s), ignoring: .reference(i)) {
                placer.occupied.append(box)
                out.labels.append(PlacedLabel(role: .reference(i), text: tb, origin: box.origin, rotation: 0, box: box))
            } else {
                out.dropped.append(DroppedLabel(role: .reference(i), text: markup, reason: "no free position next to the reference line"))
            }
        }

        let order = spec.annotations.indices.sorted { a, b in
            let pa = spec.annotations[a].priority, pb = spec.annotations[b].priority
            return pa != pb ? pa > pb : a < b
        }
        let baseOffset = (marks.compactMap { m -> Double? in
            if case .markers(_, let ms, _) = m.geometry { return ms.radius } else { return nil }
        }.max() ?? 2) + 2
        // Placement costs grow with labels × obstacles: try at most `maxAnnotationLabels` (the
        // highest priorities); the rest are reported as dropped, never silently lost.
        var attempted = 0
        for i in order {
            let ann = spec.annotations[i]
            if attempted >= ChartSpec.maxAnnotationLabels {
                out.dropped.append(DroppedLabel(role: .annotation(i), text: ann.text,
                                                reason: "over the budget of \(ChartSpec.maxAnnotationLabels) annotation labels per chart"))
                continue
            }
            attempted += 1
            let tb = TextBlock(ann.text, font: theme.annotationFont, color: ann.color)
            let s = try measurer.measure(tb).size
            let a = anchors[i]
            guard a.x.isFinite, a.y.isFinite, plot.contains(a, tolerance: 0.5) else {
                out.dropped.append(DroppedLabel(role: .annotation(i), text: ann.text, reason: "anchor outside the plot"))
                continue
            }
            if let (box, leader) = placer.place(size: s, anchor: a, preferred: ann.preferred, baseOffset: baseOffset,
                                                allowLeader: ann.allowLeader, anchorRadius: baseOffset - 1) {
                placer.occupied.append(box)
                if let leader { out.leaders.append(leader); placer.leaders.append(leader) }
                out.labels.append(PlacedLabel(role: .annotation(i), text: tb, origin: box.origin, rotation: 0, box: box))
            } else {
                out.dropped.append(DroppedLabel(role: .annotation(i), text: ann.text, reason: "no free position near the anchor"))
            }
        }
        return out
    }

    /// Spots beside a reference line at page coordinate `v`, nearest the plot's top (x) or right
    /// end (y) first, on alternating sides.
    func referenceCandidates(_ axis: Axis, at v: Double, size s: Size) -> [Rect] {
        var candidates: [Rect] = []
        var t = 0.0
        if axis == .x {
            while t + s.height <= plot.height - 4 {
                candidates.append(Rect(x: v + 3, y: plot.minY + 3 + t, width: s.width, height: s.height))
                candidates.append(Rect(x: v - 3 - s.width, y: plot.minY + 3 + t, width: s.width, height: s.height))
                t += s.height / 2 + 1
            }
        } else {
            while t + s.width <= plot.width - 4 {
                candidates.append(Rect(x: plot.maxX - 3 - s.width - t, y: v - 2 - s.height, width: s.width, height: s.height))
                candidates.append(Rect(x: plot.maxX - 3 - s.width - t, y: v + 2, width: s.width, height: s.height))
                t += s.width / 4 + 1
            }
        }
        return candidates
    }
}
