import Canvas

/// Greedy, deterministic label placement (after Vega's `label` transform): candidates around
/// an anchor at increasing offsets; the first one inside `bounds` that overlaps no occupied
/// box wins. Candidates that do not cross a line are preferred; farther candidates get a leader.
struct LabelPlacer {
    /// Where labels may go.
    var bounds: Rect
    /// Boxes labels must not overlap (placed labels, legend, markers, anchors).
    var occupied: [Rect] = []
    /// Line pieces labels should avoid crossing (soft), with the mark they belong to.
    var lines: [(Point, Point, PlacedMark.Source)] = []
    /// Empty space kept between a label and occupied boxes.
    var gap = 1.0

    static let defaultOrder: [LabelPosition] = [.aboveRight, .belowRight, .aboveLeft, .belowLeft, .right, .left, .above, .below]

    func isFree(_ r: Rect) -> Bool {
        guard bounds.contains(r) else { return false }
        let g = r.insetBy(-gap)
        return !occupied.contains { $0.intersects(g) }
    }
    func crossesLine(_ r: Rect, ignoring source: PlacedMark.Source?) -> Bool {
        lines.contains { $0.2 != source && Geo.crosses($0.0, $0.1, r) }
    }

    /// The first free candidate, preferring ones that cross no line.
    func firstFree(_ candidates: [Rect], ignoring source: PlacedMark.Source?) -> Rect? {
        candidates.first { isFree($0) && !crossesLine($0, ignoring: source) } ?? candidates.first { isFree($0) }
    }

    static func candidate(_ p: LabelPosition, size s: Size, anchor a: Point, offset d: Double) -> Rect {
        let k = d * 0.71
        let o: Point
        switch p {
        case .aboveRight: o = Point(a.x + k, a.y - k - s.height)
        case .belowRight: o = Point(a.x + k, a.y + k)
        case .aboveLeft: o = Point(a.x - k - s.width, a.y - k - s.height)
        case .belowLeft: o = Point(a.x - k - s.width, a.y + k)
        case .right: o = Point(a.x + d, a.y - s.height / 2)
        case .left: o = Point(a.x - d - s.width, a.y - s.height / 2)
        case .above: o = Point(a.x - s.width / 2, a.y - d - s.height)
        case .below: o = Point(a.x - s.width / 2, a.y + d)
        }
        return Rect(origin: o, size: s)
    }

    /// A leader from near the anchor (outside its marker) to the nearest point of `box`.
    static func leader(from a: Point, to box: Rect, anchorRadius r: Double) -> Segment? {
        let n = Geo.nearest(in: box, to: a)
        let len = Geo.length(a, n)
        guard len > r + 4 else { return nil }
        let ux = (n.x - a.x) / len, uy = (n.y - a.y) / len
        return Segment(Point(a.x + ux * (r + 1), a.y + uy * (r + 1)), n)
    }

    /// Leader lines placed so far (a new leader must not cross them).
    var leaders: [Segment] = []
    /// Largest extra distance (beyond the near offsets) a label may move, joined by a leader.
    var maxLeaderOffset = 60.0

    /// Places a label of `size` near `anchor`; returns its box and an optional leader line.
    ///
    /// Order: near and crossing no line; farther with a leader, crossing no line; near,
    /// crossing lines (drawn on a halo); farther with a leader, crossing lines; else nil.
    func place(size: Size, anchor: Point, preferred: [LabelPosition], baseOffset: Double,
               allowLeader: Bool, anchorRadius: Double) -> (Rect, Segment?)? {
        var positions = preferred
        for p in Self.defaultOrder where !positions.contains(p) { positions.append(p) }
        let near = [baseOffset, baseOffset + 4]
        let far = [12.0, 20, 30, 42, 56, 72, 90].filter { $0 <= maxLeaderOffset }.map { baseOffset + $0 }
        func nearby(avoidLines: Bool) -> (Rect, Segment?)? {
            for d in near {
                for p in positions {
                    let r = Self.candidate(p, size: size, anchor: anchor, offset: d)
                    if isFree(r) && (!avoidLines || !crossesLine(r, ignoring: nil)) { return (r, nil) }
                }
            }
            return nil
        }
        func withLeader(avoidLines: Bool) -> (Rect, Segment?)? {
            guard allowLeader else { return nil }
            for d in far {
                for p in positions {
                    let r = Self.candidate(p, size: size, anchor: anchor, offset: d)
                    guard isFree(r), !avoidLines || !crossesLine(r, ignoring: nil) else { continue }
                    let leader = Self.leader(from: anchor, to: r, anchorRadius: anchorRadius)
                    if let l = leader {
                        if occupied.contains(where: { !$0.contains(anchor) && Geo.crosses(l.from, l.to, $0.insetBy(0.5)) }) { continue }
                        if leaders.contains(where: { Geo.segmentsCross(l.from, l.to, $0.from, $0.to) }) { continue }
                    }
                    return (r, leader)
                }
            }
            return nil
        }
        return nearby(avoidLines: true) ?? withLeader(avoidLines: true) ?? nearby(avoidLines: false) ?? withLeader(avoidLines: false)
    }
}
