import ClinicModel

/// A line chart of pain now (NPRS 0-10) at each visit.
///
/// Visits are spaced evenly rather than by date: the chart answers "is it getting better
/// visit by visit", and irregular gaps would squeeze the points that matter. Each point is
/// labelled with its score and date; when there are many visits only some dates are labelled.
public enum PainChartSVG {
    /// Width of the chart, in SVG units.
    public static let width = 480.0
    /// Height of the chart, in SVG units.
    public static let height = 210.0
    /// The plotting area (NPRS 10 at the top, 0 at the bottom).
    static let plot = (left: 44.0, right: 460.0, top: 18.0, bottom: 160.0)

    /// The SVG position of the point for visit `index` of `count` with score `nprs`.
    public static func position(index: Int, count: Int, nprs: Int) -> (x: Double, y: Double) {
        let x = count <= 1
            ? (plot.left + plot.right) / 2
            : plot.left + 24 + Double(index) * (plot.right - plot.left - 48) / Double(count - 1)
        let y = plot.bottom - Double(nprs) / 10 * (plot.bottom - plot.top)
        return (x, y)
    }

    /// The chart as a standalone `<svg>` element.
    public static func render(_ trend: PainTrend, title: String = "Pain now (0-10) at each visit") -> String {
        svg(trend, title: title).output
    }

    static func svg(_ trend: PainTrend, title: String) -> Markup {
        let f = Markup.number
        let font = BodyChartSVG.Style.font
        var m = Markup()
        m.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(f(width)) \(f(height))"),
            ("width", f(width)), ("height", f(height)), ("role", "img"), ("class", "pain-chart"), ("aria-label", title),
        ])
        m.element("title", text: title)
        m.newline()
        // Grid and scale.
        for score in stride(from: 0, through: 10, by: 2) {
            let y = position(index: 0, count: 1, nprs: score).y
            m.empty("line", [("x1", f(plot.left)), ("y1", f(y)), ("x2", f(plot.right)), ("y2", f(y)),
                             ("stroke", score == 0 ? "#8a96a3" : "#dde3e9"), ("stroke-width", "1")])
            m.element("text", [("x", f(plot.left - 8)), ("y", f(y + 4)), ("fill", "#5b6875"), ("font-size", "11"),
                               ("text-anchor", "end"), font], text: String(score))
        }
        m.element("text", [("x", "12"), ("y", f((plot.top + plot.bottom) / 2)), ("fill", "#5b6875"), ("font-size", "11"),
                           ("text-anchor", "middle"), ("transform", "rotate(-90 12 \(f((plot.top + plot.bottom) / 2)))"), font],
                  text: "Pain (0-10)")
        let points = trend.points
        if points.isEmpty {
            m.element("text", [("x", f((plot.left + plot.right) / 2)), ("y", f((plot.top + plot.bottom) / 2)),
                               ("fill", "#5b6875"), ("font-size", "13"), ("text-anchor", "middle"), font],
                      text: "No pain scores recorded yet")
        } else {
            let positions = points.enumerated().map { position(index: $0.offset, count: points.count, nprs: $0.element.nprs) }
            if positions.count > 1 {
                m.empty("polyline", [("points", positions.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")),
                                     ("fill", "none"), ("stroke", "#1f6f8b"), ("stroke-width", "2.5"),
                                     ("stroke-linejoin", "round")])
            }
            let labelEvery = max(1, Int((Double(points.count) / 8).rounded(.up)))
            for (i, point) in points.enumerated() {
                let p = positions[i]
                m.open("g", [("class", "point"), ("data-nprs", String(point.nprs)), ("data-date", point.date.description)])
                m.element("title", text: "\(ClinicWording.date(point.date)): pain \(point.nprs)/10")
                m.empty("circle", [("cx", f(p.x)), ("cy", f(p.y)), ("r", "4.5"), ("fill", "#1f6f8b"),
                                   ("stroke", "#ffffff"), ("stroke-width", "1.5")])
                m.element("text", [("x", f(p.x)), ("y", f(p.y - 9)), ("fill", "#1f2d3a"), ("font-size", "12"),
                                   ("font-weight", "bold"), ("text-anchor", "middle"), font], text: String(point.nprs))
                if i % labelEvery == 0 || i == points.count - 1 {
                    m.element("text", [("x", f(p.x)), ("y", f(plot.bottom + 18)), ("fill", "#5b6875"), ("font-size", "11"),
                                       ("text-anchor", "middle"), font], text: ClinicWording.shortDate(point.date))
                }
                m.close("g")
            }
            m.newline()
        }
        m.element("text", [("x", f((plot.left + plot.right) / 2)), ("y", f(height - 8)), ("fill", "#5b6875"),
                           ("font-size", "11"), ("text-anchor", "middle"), font],
                  text: "Visits, oldest first. A change of \(PainTrend.mcid) points or more is one people notice.")
        m.close("svg")
        return m
    }
}
