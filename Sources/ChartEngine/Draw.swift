import Canvas

extension BuiltChart {
    /// Draws the chart: background, grid, areas, lines and markers (clipped to the plot),
    /// axes and ticks, legend, leader lines and every label.
    public func draw(on canvas: Canvas) throws {
        if let bg = theme.background {
            canvas.fill(.rect(Rect(origin: .zero, size: size)), color: bg)
        }
        for g in gridLines { canvas.stroke(.line(g.from, g.to), style: theme.gridStyle) }

        canvas.save()
        canvas.clip(to: plotRect)
        for m in marks { if case .area(let poly, let c) = m.geometry { canvas.fill(.polygon(poly), color: c) } }
        for m in marks {
            switch m.geometry {
            case .polyline(let pieces, let st):
                for piece in pieces where piece.count >= 2 { canvas.stroke(.polyline(piece), style: st) }
            case .rule(let s, let st): canvas.stroke(.line(s.from, s.to), style: st)
            default: break
            }
        }
        canvas.restore()
        // Markers are not clipped (their centres are inside the plot), so edge points stay whole.
        for m in marks {
            if case .markers(let cs, let ms, let c) = m.geometry { for p in cs { ms.draw(on: canvas, at: p, color: c) } }
        }

        // Axes and ticks.
        let p = plotRect, ax = theme.axisStyle
        if theme.frame {
            canvas.stroke(.rect(p), style: ax)
        } else {
            canvas.stroke(.polyline([Point(p.minX, p.minY), Point(p.minX, p.maxY), Point(p.maxX, p.maxY)]), style: ax)
        }
        var tickStyle = ax
        tickStyle.cap = .butt
        for t in xTicks {
            let l = t.isMajor ? theme.majorTickLength : theme.minorTickLength
            canvas.stroke(.line(Point(t.position, p.maxY), Point(t.position, p.maxY + l)), style: tickStyle)
        }
        for t in yTicks {
            let l = t.isMajor ? theme.majorTickLength : theme.minorTickLength
            canvas.stroke(.line(Point(p.minX - l, t.position), Point(p.minX, t.position)), style: tickStyle)
        }

        // Legend box and samples.
        if let r = legendRect, !legendEntries.isEmpty {
            canvas.fill(.rect(r), color: theme.legendBackground)
            if let b = theme.legendBorder { canvas.stroke(.rect(r), style: b) }
            for e in legendEntries {
                let s = e.sampleRect
                switch e.sample {
                case .line(let st, let marker):
                    canvas.stroke(.line(Point(s.minX, s.midY), Point(s.maxX, s.midY)), style: st)
                    marker?.draw(on: canvas, at: s.center, color: st.color)
                case .marker(let m, let c):
                    m.draw(on: canvas, at: s.center, color: c)
                case .swatch(let c):
                    canvas.fill(.rect(s.insetBy(1)), color: c)
                }
            }
        }

        for l in leaderLines { canvas.stroke(.line(l.from, l.to), style: theme.leaderStyle) }

        for l in labels {
            switch l.role {
            case .annotation, .reference:
                if let halo = theme.annotationHalo { canvas.fill(.rect(l.box.insetBy(-0.5)), color: halo) }
            default: break
            }
            try canvas.draw(l.text, at: l.origin, rotation: l.rotation)
        }
    }
}
