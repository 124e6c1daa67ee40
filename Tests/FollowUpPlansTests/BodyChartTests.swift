import Testing
import ClinicModel
@testable import FollowUpPlans

@Suite("Body chart marks land on the right figure, side and height")
struct BodyChartTests {
    typealias F = PlanFixtures
    let layout = BodyChartSVG.layout

    /// The only mark for one trigger point recorded at a visit.
    func mark(_ muscleID: String, _ side: Side) throws -> BodyChartSVG.Mark {
        let marks = BodyChartSVG.marks(for: F.visit(triggerPoints: [F.trp(muscleID, side)]))
        #expect(marks.count == 1)
        return try #require(marks.first)
    }

    /// Height of a mark as a fraction of its figure (0 top of head, 1 soles).
    func height(_ m: BodyChartSVG.Mark) -> Double {
        let box = layout.box(m.view)
        return (m.y - box.y) / box.height
    }

    /// True when the mark is on the viewer's left half of its figure.
    func onViewersLeft(_ m: BodyChartSVG.Mark) -> Bool {
        let box = layout.box(m.view)
        return m.x < box.x + box.width / 2
    }

    @Test func aLeftCalfMarkIsOnTheBackFigureLowerLegOnThePatientsLeft() throws {
        let m = try mark("gastrocnemius-medial", .left)
        #expect(m.view == .back)
        #expect((0.68...0.93).contains(height(m)))
        // Seen from behind, the patient's left is on the viewer's left.
        #expect(onViewersLeft(m))
        let box = layout.box(.back)
        #expect(m.x > box.x && m.x < box.x + box.width)
    }

    @Test func theRightCalfIsTheMirrorImage() throws {
        let left = try mark("gastrocnemius-medial", .left)
        let right = try mark("gastrocnemius-medial", .right)
        #expect(right.view == .back)
        #expect(!onViewersLeft(right))
        let box = layout.box(.back)
        #expect(abs((left.x - box.x) + (right.x - box.x) - box.width) < 0.01)
        #expect(left.y == right.y)
    }

    @Test func aLeftShinMarkIsOnTheFrontFigureOnTheViewersRight() throws {
        let m = try mark("tibialis-anterior", .left)
        #expect(m.view == .front)
        #expect((0.68...0.93).contains(height(m)))
        // Facing the patient, their left is on the viewer's right.
        #expect(!onViewersLeft(m))
        #expect(onViewersLeft(try mark("tibialis-anterior", .right)))
    }

    @Test(arguments: [
        ("deltoid-anterior", BodyView.front, 0.15...0.3),
        ("upper-trapezius", .back, 0.1...0.22),
        ("masseter", .front, 0.0...0.14),
        ("gluteus-medius", .back, 0.42...0.58),
        ("vastus-lateralis", .front, 0.52...0.7),
        ("abductor-hallucis", .back, 0.93...1.0),
        ("extensor-carpi-radialis-brevis", .back, 0.33...0.5),
    ])
    func eachRegionSitsAtItsHeight(muscleID: String, view: BodyView, band: ClosedRange<Double>) throws {
        for side in [Side.left, .right] {
            let m = try mark(muscleID, side)
            #expect(m.view == view)
            #expect(band.contains(height(m)), "\(muscleID) \(side) at \(height(m))")
            #expect(onViewersLeft(m) == ((view == .back) == (side == .left)))
        }
    }

    @Test func aBilateralPlanItemMarksBothSidesWithOneNumber() {
        let p = FollowUpPlan(visitID: 1, items: [
            .init(section: .homeProgram, text: "Both calves", muscleID: "soleus", side: .bilateral),
        ])
        let marks = BodyChartSVG.marks(for: p)
        #expect(marks.map(\.number) == [1, 1])
        #expect(Set(marks.map(\.side)) == [.left, .right])
    }

    @Test func aMidlineMuscleIsMarkedOnceOnTheMidline() throws {
        let m = try mark("diaphragm", .midline)
        let box = layout.box(m.view)
        #expect(abs(m.x - (box.x + box.width / 2)) < 0.01)
    }

    @Test func numbersFollowThePlanAfterThePractitionerRemovesAnItem() throws {
        var p = PlanBuilder.build(F.fullContext)
        #expect(BodyChartSVG.marks(for: p).map(\.muscleID)
            == ["upper-trapezius", "gastrocnemius-medial", "tibialis-anterior", "soleus"])
        p.items.removeAll { $0.muscleID == "gastrocnemius-medial" }
        let marks = BodyChartSVG.marks(for: p)
        #expect(marks.map(\.number) == [1, 2, 3])
        #expect(marks.map(\.muscleID) == ["upper-trapezius", "tibialis-anterior", "soleus"])
    }

    @Test func theRenderedChartHasOneNumberedMarkPerSpot() {
        let marks = BodyChartSVG.marks(for: PlanBuilder.build(F.fullContext))
        let svg = BodyChartSVG.render(marks: marks)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<g class=\"mark\"").count - 1 == 4)
        #expect(svg.contains("data-muscle=\"soleus\" data-side=\"left\""))
        #expect(svg.contains(">Front</text>") && svg.contains(">Back</text>"))
    }

    /// Every muscle in the catalogue, either side, is marked inside the drawn figure (checked
    /// against the outline's points, which the smooth path passes through).
    @Test func everyCatalogueMuscleIsMarkedOnTheBody() {
        let half = BodyFigure.halfOutline
        let polygon = half + half.reversed().map(BodyFigure.mirrored)
        func inside(_ x: Double, _ y: Double) -> Bool {
            let head = BodyFigure.head(origin: (0, 0))
            let dx = (x - head.cx) / head.rx, dy = (y - head.cy) / head.ry
            if dx * dx + dy * dy <= 1 { return true }
            var result = false
            var j = polygon.count - 1
            for i in polygon.indices {
                let (xi, yi) = polygon[i], (xj, yj) = polygon[j]
                if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { result.toggle() }
                j = i
            }
            return result
        }
        for muscle in MuscleCatalogue.all {
            for rightSide in [false, true] {
                let p = muscle.anchor.position(forRightSide: rightSide)
                let x = p.x * BodyFigure.width, y = p.y * BodyFigure.height
                #expect(inside(x, y), "\(muscle.id) (\(rightSide ? "right" : "left")) at \(x), \(y) is off the figure")
            }
        }
    }
}
