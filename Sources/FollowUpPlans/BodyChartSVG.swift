import ClinicModel

/// The body chart: front and back figures with a numbered mark on each treated spot.
///
/// Marks come from each muscle's `ChartAnchor` (stored for the patient's left) and are
/// mirrored for the right side, so a left calf mark lands on the back figure's viewer-left
/// leg and a left shoulder mark on the front figure's viewer-right shoulder. Mark coordinates
/// are exposed so that tests (and any other renderer) can check where a mark lands.
public enum BodyChartSVG {
    /// One numbered mark, in the chart's SVG coordinates.
    public struct Mark: Sendable, Hashable {
        /// The home-program number printed in the mark.
        public var number: Int
        /// The muscle the mark is for (`Muscle.id`).
        public var muscleID: String
        /// Left, right or midline (a bilateral spot gives two marks).
        public var side: Side
        /// The figure the mark is drawn on.
        public var view: BodyView
        /// The mark's centre across the chart, in SVG units.
        public var x: Double
        /// The mark's centre down the chart, in SVG units.
        public var y: Double

        /// A mark at `x`, `y` on the figure `view`.
        public init(number: Int, muscleID: String, side: Side, view: BodyView, x: Double, y: Double) {
            self.number = number; self.muscleID = muscleID; self.side = side; self.view = view; self.x = x; self.y = y
        }
    }

    /// Where the two figures sit in the chart.
    public struct Layout: Sendable, Hashable {
        /// Width of one figure's box, in SVG units.
        public var figureWidth: Double
        /// Height of one figure's box, in SVG units.
        public var figureHeight: Double
        /// Top-left corner of each figure's box.
        public var frontOrigin: (x: Double, y: Double) { (x: 10, y: 30) }
        /// Top-left corner of the back figure's box.
        public var backOrigin: (x: Double, y: Double) { (x: 30 + figureWidth, y: 30) }
        /// Width of the whole chart, in SVG units.
        public var width: Double { 40 + 2 * figureWidth }
        /// Height of the whole chart, in SVG units.
        public var height: Double { 30 + figureHeight + 32 }

        /// The figure box for a view: origin and size.
        public func box(_ view: BodyView) -> (x: Double, y: Double, width: Double, height: Double) {
            let o = view == .front ? frontOrigin : backOrigin
            return (o.x, o.y, figureWidth, figureHeight)
        }
    }

    /// The layout every chart uses (the figures' own size).
    public static let layout = Layout(figureWidth: BodyFigure.width, figureHeight: BodyFigure.height)

    /// Marks for the plan's numbered home-program spots.
    public static func marks(for plan: FollowUpPlan) -> [Mark] {
        marks(for: HomeProgramSpot.spots(in: plan))
    }

    /// Marks for a visit's treated trigger points, numbered as a freshly built plan numbers them.
    public static func marks(for visit: Visit) -> [Mark] {
        let spots = TreatedTriggerPoint.inVisit(visit).enumerated().map { i, t in
            HomeProgramSpot(number: i + 1, muscleID: t.muscleID, side: t.side, itemIndex: i)
        }
        return marks(for: spots)
    }

    /// Marks for numbered spots; spots whose muscle the catalogue does not know are left off,
    /// and so is a paired muscle's spot whose side was not recorded (a mark would choose one).
    public static func marks(for spots: [HomeProgramSpot]) -> [Mark] {
        spots.flatMap { spot -> [Mark] in
            guard let muscle = MuscleCatalogue.muscle(id: spot.muscleID) else { return [] }
            return TreatedTriggerPoint.sides(of: spot.muscleID, spot.side).compactMap { side -> Mark? in
                guard let side else { return nil }
                let p = muscle.anchor.position(forRightSide: side == .right)
                let box = layout.box(muscle.anchor.view)
                return Mark(number: spot.number, muscleID: spot.muscleID, side: side, view: muscle.anchor.view,
                            x: box.x + p.x * box.width, y: box.y + p.y * box.height)
            }
        }
    }

    /// The chart as a standalone `<svg>` element (SVG namespace, no external references).
    /// `title` is the accessible name read out by screen readers.
    public static func render(marks: [Mark], title: String = "Body chart of the treated spots") -> String {
        svg(marks: marks, title: title).output
    }

    /// Presentation attributes rather than a stylesheet, so the SVG looks the same on its own,
    /// inside the HTML page and in converters that ignore CSS.
    enum Style {
        static let font = ("font-family", "Helvetica, Arial, sans-serif")
        static let skin = [("fill", "#f1e6dc"), ("stroke", "#7d7067"), ("stroke-width", "1.6"), ("stroke-linejoin", "round")]
        static let landmark = [("fill", "none"), ("stroke", "#b9aca1"), ("stroke-width", "1"), ("stroke-linecap", "round")]
        static let sideLetter = [("fill", "#6b7a88"), ("font-size", "15"), ("font-weight", "bold"), ("text-anchor", "middle"), font]
        static let viewLabel = [("fill", "#3d4a56"), ("font-size", "16"), ("text-anchor", "middle"), font]
        static let markCircle = [("fill", "#c2410c"), ("stroke", "#ffffff"), ("stroke-width", "2")]
        static let markNumber = [("fill", "#ffffff"), ("font-size", "14"), ("font-weight", "bold"), ("text-anchor", "middle"), font]
    }

    static func svg(marks: [Mark], title: String) -> Markup {
        let l = layout
        let f = Markup.number
        var m = Markup()
        m.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(f(l.width)) \(f(l.height))"),
            ("width", f(l.width)), ("height", f(l.height)), ("role", "img"), ("class", "body-chart"),
            ("aria-label", title),
        ])
        m.element("title", text: title)
        m.newline()
        for view in [BodyView.front, .back] {
            let box = l.box(view)
            let origin = (x: box.x, y: box.y)
            m.open("g", [("class", "figure \(view.rawValue)")])
            let head = BodyFigure.head(origin: origin)
            m.empty("path", [("class", "skin"), ("d", BodyFigure.outlinePath(origin: origin))] + Style.skin)
            for dx in [-head.rx + 1, head.rx - 1] {
                m.empty("ellipse", [("class", "skin"), ("cx", f(head.cx + dx)), ("cy", f(head.cy + 3)), ("rx", "4"), ("ry", "7")] + Style.skin)
            }
            m.empty("ellipse", [("class", "skin"), ("cx", f(head.cx)), ("cy", f(head.cy)), ("rx", f(head.rx)), ("ry", f(head.ry))] + Style.skin)
            for d in BodyFigure.landmarkPaths(view: view, origin: origin) {
                m.empty("path", [("class", "landmark"), ("d", d)] + Style.landmark)
            }
            // Side letters: the patient's right is on the viewer's left in front, on the right behind.
            let (leftLetter, rightLetter) = view == .front ? ("R", "L") : ("L", "R")
            m.element("text", [("class", "side"), ("x", f(box.x + 14)), ("y", f(box.y + 14))] + Style.sideLetter, text: leftLetter)
            m.element("text", [("class", "side"), ("x", f(box.x + box.width - 14)), ("y", f(box.y + 14))] + Style.sideLetter, text: rightLetter)
            m.element("text", [("class", "view"), ("x", f(box.x + box.width / 2)), ("y", f(box.y + box.height + 22))] + Style.viewLabel,
                      text: view == .front ? "Front" : "Back")
            m.close("g")
            m.newline()
        }
        for mark in marks {
            let label = "\(mark.number): \(ClinicWording.muscleAndSide(mark.muscleID, mark.side))"
            m.open("g", [("class", "mark"), ("data-number", String(mark.number)), ("data-muscle", mark.muscleID),
                         ("data-side", mark.side.rawValue)])
            m.element("title", text: label)
            m.empty("circle", [("cx", f(mark.x)), ("cy", f(mark.y)), ("r", "12")] + Style.markCircle)
            m.element("text", [("x", f(mark.x)), ("y", f(mark.y + 5))] + Style.markNumber, text: String(mark.number))
            m.close("g")
            m.newline()
        }
        m.close("svg")
        return m
    }
}
