import Foundation
import Testing
import ClinicModel

/// `Visit.applying(_:)`: the one function every output reads a signed visit through.
@Suite struct AmendedVisitTests {
    let signedAt = Date(timeIntervalSince1970: 1_790_000_000)

    func visit() throws -> Visit {
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L1")
        return Visit(id: 1, patientID: 1, practitionerID: 1, startedAt: signedAt, complaint: "Calf pain",
                     pain: PainScores(now: try NPRS(4, field: "pain.now")), status: .signed, signedAt: signedAt,
                     triggerPoints: [TriggerPointFinding(muscleID: "gastrocnemius-medial", side: .left, activity: .active,
                                                         tenderness: try NPRS(7, field: "t"))],
                     biomechanics: [BiomechanicalFinding(measure: .lunge(try LungeCentimetres(7, field: "l")), side: .left)],
                     treatments: [Treatment(kind: .ischaemicCompression, muscleID: "soleus", side: .left, holdTime: try Seconds(30, field: "h"))],
                     needling: [NeedlingEntry(id: 9, muscleID: "gastrocnemius-medial", side: .left, needle: needle, needlesInserted: 2,
                                              needlesRemoved: 2, depth: try DepthMillimetres(12, field: "d"))])
    }

    func amendment(_ id: Int64, at offset: TimeInterval, _ changes: [(String, String)]) -> Amendment {
        Amendment(id: id, visitID: 1, practitionerID: 1, amendedAt: signedAt.addingTimeInterval(offset), reason: "r\(id)",
                  changes: changes.map { Amendment.Change(field: $0.0, before: "", after: $0.1) })
    }

    @Test func theLatestAmendmentWinsAndTheSignedValueIsKeptAsTheOriginal() throws {
        let signed = try visit()
        let amended = signed.applying([
            amendment(2, at: 7200, [("needle.1.depth", "15")]),
            amendment(1, at: 3600, [("needle.1.depth", "14"), ("pain.now", "6")]),
        ])
        #expect(amended.visit.needling[0].depth?.value == 15)
        #expect(amended.visit.needling[0].id == 9, "an entry keeps its id")
        #expect(amended.visit.pain.now?.value == 6)
        let depth = try #require(amended.correction(AmendableField(.needle, 1, "depth")))
        #expect(depth.original == "12")
        #expect(depth.value == "15")
        #expect(depth.amendmentID == 2)
        #expect(amended.mark(.painNow) == " (amended from 4, \(LocalDate(signedAt.addingTimeInterval(3600))))")
        #expect(signed.needling[0].depth?.value == 12, "the signed visit is a value: untouched")
    }

    @Test func everyKindOfEntryFieldApplies() throws {
        let amended = try visit().applying([amendment(1, at: 60, [
            ("trigger-point.1.tenderness", "5"), ("trigger-point.1.side", "right"), ("trigger-point.1.causes", "injury, stress"),
            ("finding.2.value", "9.5"), ("treatment.1.hold", "60"), ("treatment.1.cycles", "4"),
            ("needle.1.technique", "electrical: 2 Hz, 10 min"), ("needle.1.sharps", "no"), ("likely-cause-notes", "Hill runs"),
        ])])
        let v = amended.visit
        #expect(v.triggerPoints[0].tenderness?.value == 5)
        #expect(v.triggerPoints[0].side == .right)
        #expect(v.triggerPoints[0].likelyCauses == [.injury, .stress])
        #expect(v.biomechanics[0].measure == .lunge(try LungeCentimetres(9.5, field: "l")))
        #expect(v.treatments[0].holdTime?.value == 60)
        #expect(v.treatments[0].cycles == 4)
        #expect(v.needling[0].technique == .electricalStimulation(settings: "2 Hz, 10 min"))
        #expect(v.needling[0].sharpsDisposed == false)
        #expect(v.likelyCauseNotes == "Hill runs")
        #expect(amended.corrections.count == 9)
        #expect(amended.notes(of: .finding, 2) == ["value 9.5 (amended from 7, \(LocalDate(signedAt.addingTimeInterval(60))))"])
    }

    @Test func changesThatNameNoFieldOrBreakARuleAreNotApplied() throws {
        // Stored before Knot checked them: kept in the list, but the signed value stands.
        let amended = try visit().applying([amendment(1, at: 60, [
            ("banana", "7"), ("side", "right"), ("needle.2.depth", "10"), ("needle.1.depth", "99"), ("pain.now", "eleven"),
        ])])
        #expect(amended.visit == (try visit()))
        #expect(!amended.isAmended)
        // The older `triggerPoints[0].side` names still read.
        let legacy = try visit().applying([amendment(2, at: 60, [("triggerPoints[0].side", "right")])])
        #expect(legacy.visit.triggerPoints[0].side == .right)
    }

    /// The walk's finding: a needle moved onto a muscle over the lung fields, with its depth, was
    /// refused or accepted by the order of the changes (each checked alone, the muscle went in
    /// without a depth). Set together, every value goes in first and the entry is checked once.
    @Test func changesSetTogetherDoNotDependOnTheirOrder() throws {
        var signed = try visit()
        signed.needling[0].depth = nil
        let muscle = AmendableField(.needle, 1, "muscle"), depth = AmendableField(.needle, 1, "depth")
        for order in [[(muscle, "upper-trapezius"), (depth, "10")], [(depth, "10"), (muscle, "upper-trapezius")]] {
            var v = signed
            try AmendableField.set(order.map { (field: $0.0, text: $0.1) }, in: &v)
            #expect(v.needling[0].muscleID == "upper-trapezius" && v.needling[0].depth?.value == 10)
            // An amendment stored with the changes in that order reads back whole.
            let amended = signed.applying([amendment(1, at: 60, order.map { ($0.0.rawValue, $0.1) })])
            #expect(amended.visit.needling[0].muscleID == "upper-trapezius", "\(order.map(\.0.rawValue))")
            #expect(amended.visit.needling[0].depth?.value == 10)
        }
        // Without the depth the rule still holds, naming the depth, whichever field is given.
        var v = signed
        #expect(throws: ValidationErrors.self) { try AmendableField.set([(field: muscle, text: "upper-trapezius")], in: &v) }
        do {
            var w = signed
            try AmendableField.set([(field: muscle, text: "upper-trapezius"), (field: AmendableField(.needle, 1, "side"), text: "right")], in: &w)
            Issue.record("a needle over the lung fields without a depth should be refused")
        } catch {
            #expect(error.errors.map(\.field) == ["needle.1.depth"], "\(error.errors)")
        }
    }

    @Test func blankClearsAnOptionalFieldAndARequiredOneRefuses() throws {
        var v = try visit()
        try AmendableField(.needle, 1, "depth").set("", in: &v)
        #expect(v.needling[0].depth == nil)
        #expect(throws: ValidationErrors.self) { try AmendableField(.needle, 1, "lot").set("", in: &v) }
        do {
            try AmendableField(.treatment, 1, "cycles").set("0", in: &v)
            Issue.record("0 cycles should be refused")
        } catch {
            #expect(error.errors.first?.field == "treatment.1.cycles")
            #expect(error.errors.first?.rule == "must be between 1 and 50")
        }
    }

    @Test func fieldsAreListedPerEntry() throws {
        let fields = AmendableField.fields(of: try visit()).map(\.rawValue)
        #expect(fields.contains("trigger-point.1.tenderness"))
        #expect(fields.contains("finding.2.value") && !fields.contains("finding.1.value"), "findings are numbered on after the trigger points, as visit show and finding edit number them")
        #expect(fields.contains("treatment.1.hold"))
        #expect(fields.contains("needle.1.depth"))
        #expect(!fields.contains("needle.2.depth"))
        #expect(AmendableField(rawValue: "needle.0.depth") == nil)
        #expect(AmendableField(rawValue: "needle.1.colour") == nil)
    }
}
