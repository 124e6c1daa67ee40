import ClinicModel

/// The outline of the human figure on the body chart, drawn with simple smooth paths.
///
/// Coordinates are in a 200 x 440 box (y 0 = top of the head, 440 = soles), laid out to match
/// the muscle catalogue's chart anchors: arms hang slightly away from the body, the hands end
/// at about half height, and each anchor falls inside the outline. Only the viewer's right
/// half is listed; the left half is its mirror image.
enum BodyFigure {
    static let width = 200.0
    static let height = 440.0

    /// From the neck down the outside of the arm, round the hand, up the inside of the arm, down
    /// the trunk and the outside of the leg, round the foot and up the inside of the leg to the
    /// crotch.
    static let halfOutline: [(Double, Double)] = [
        (110, 48), (112, 62),
        (121, 69), (137, 75), (150, 80), (159, 90),
        (164, 108), (167, 132), (170, 156), (175, 180), (178, 203), (179, 213),
        (183, 226), (182, 240), (176, 249), (169, 246), (166, 232),
        (163, 215), (159, 194), (153, 168), (148, 140), (145, 118), (141, 107),
        (140, 125), (137, 150), (133, 176), (137, 200), (141, 222),
        (140, 250), (137, 278), (133, 304), (136, 334), (133, 366), (128, 403),
        (132, 419), (137, 431), (133, 439.5), (118, 439.5), (111, 433), (113, 406),
        (110, 370), (108, 338), (109, 304), (106, 272), (103, 248), (100.5, 239),
    ]

    static func mirrored(_ p: (Double, Double)) -> (Double, Double) { (width - p.0, p.1) }

    /// The whole closed outline as an SVG path, offset to `origin`.
    static func outlinePath(origin: (x: Double, y: Double)) -> String {
        let points = halfOutline + halfOutline.reversed().map(mirrored)
        return smoothClosedPath(points.map { ($0.0 + origin.x, $0.1 + origin.y) })
    }

    /// A closed Catmull-Rom spline through `points`, as cubic Bezier segments.
    static func smoothClosedPath(_ points: [(Double, Double)]) -> String {
        let n = points.count
        guard n > 2 else { return "" }
        func p(_ i: Int) -> (Double, Double) { points[(i % n + n) % n] }
        let f = Markup.number
        var d = "M\(f(p(0).0)) \(f(p(0).1))"
        for i in 0..<n {
            let (p0, p1, p2, p3) = (p(i - 1), p(i), p(i + 1), p(i + 2))
            let c1 = (p1.0 + (p2.0 - p0.0) / 6, p1.1 + (p2.1 - p0.1) / 6)
            let c2 = (p2.0 - (p3.0 - p1.0) / 6, p2.1 - (p3.1 - p1.1) / 6)
            d += "C\(f(c1.0)) \(f(c1.1)) \(f(c2.0)) \(f(c2.1)) \(f(p2.0)) \(f(p2.1))"
        }
        return d + "Z"
    }

    /// Landmarks drawn inside the outline so front and back read at a glance: collarbones,
    /// navel and kneecaps in front; spine, shoulder blades, buttocks and knee creases behind.
    static func landmarkPaths(view: BodyView, origin: (x: Double, y: Double)) -> [String] {
        let f = Markup.number
        func pt(_ x: Double, _ y: Double) -> String { "\(f(x + origin.x)) \(f(y + origin.y))" }
        func both(_ make: (Bool) -> String) -> [String] { [make(false), make(true)] }
        func x(_ v: Double, _ mirror: Bool) -> Double { mirror ? width - v : v }
        switch view {
        case .front:
            var paths = both { m in "M\(pt(x(104, m), 75))Q\(pt(x(118, m), 73)) \(pt(x(137, m), 79))" }
            paths += both { m in "M\(pt(x(114, m), 296))Q\(pt(x(120, m), 290)) \(pt(x(126, m), 296))Q\(pt(x(120, m), 310)) \(pt(x(114, m), 296))" }
            paths.append("M\(pt(100, 176))m-2 0a2 2 0 1 0 4 0a2 2 0 1 0 -4 0")
            paths += both { m in "M\(pt(x(104, m), 212))Q\(pt(x(118, m), 222)) \(pt(x(131, m), 214))" }
            return paths
        case .back:
            var paths = ["M\(pt(100, 62))L\(pt(100, 222))"]
            paths += both { m in "M\(pt(x(88, m), 86))L\(pt(x(70, m), 89))L\(pt(x(84, m), 124))Z" }
            paths += both { m in "M\(pt(x(101, m), 240))Q\(pt(x(118, m), 248)) \(pt(x(136, m), 238))" }
            paths.append("M\(pt(100, 222))L\(pt(100, 238))")
            paths += both { m in "M\(pt(x(113, m), 306))L\(pt(x(128, m), 306))" }
            return paths
        }
    }

    /// Ears, so a head reads as a head from either side.
    static func head(origin: (x: Double, y: Double)) -> (cx: Double, cy: Double, rx: Double, ry: Double) {
        (origin.x + 100, origin.y + 28, 18, 26)
    }
}
