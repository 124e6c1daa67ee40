import Foundation
import Testing
import ClinicModel

/// The pure rules behind issue 13: explicit screen answers, late-entry marks, the depth range
/// over the lung fields, and what needling needs for a minor or over the chest wall.
@Suite struct SafetyRuleTests {
    @Test("a screen answers every precaution once; none present is said, not implied")
    func screenAnswers() {
        #expect(ScreenAnswers().unanswered == Precaution.allCases)
        #expect(ScreenAnswers(nonePresent: true).problems().isEmpty)
        let both = ScreenAnswers(present: [.pregnancy], absent: Set(Precaution.allCases),
                                 acknowledgments: [.pregnancy: "second trimester, no abdomen"])
        #expect(both.problems().map(\.field) == ["--absent"])
        let stray = ScreenAnswers(acknowledgments: [.epilepsy: "well controlled"], nonePresent: true)
        #expect(stray.problems().map(\.field) == ["--ack"])
        let mixed = ScreenAnswers(present: [.epilepsy], acknowledgments: [.epilepsy: "well controlled"], nonePresent: true)
        #expect(mixed.problems().first?.field == "--none-present")
    }

    @Test("an alert proposed or confirmed cannot be answered absent; a dismissed one can")
    func conflicts() {
        let alerts = [PatientAlert(id: 4, kind: .precaution(.anticoagulant), text: "apixaban", status: .proposed, source: "referral"),
                      PatientAlert(id: 5, kind: .precaution(.metalAllergy), text: "nickel", status: .confirmed),
                      PatientAlert(id: 6, kind: .precaution(.pregnancy), text: "was pregnant", status: .dismissed),
                      PatientAlert(id: 7, kind: .allergy, text: "latex")]
        let said = ScreenAnswers(nonePresent: true).conflicts(with: alerts)
        #expect(said.count == 2)
        #expect(said[0].contains("alert 4, proposed (referral)") && said[0].contains("knot alert dismiss 4"))
        #expect(said[1].contains("alert 5 on the chart confirms 'metal allergy'"))
        #expect(ScreenAnswers.raised(by: alerts) == [.anticoagulant: .proposed, .metalAllergy: .confirmed])
    }

    @Test("a late entry is marked after 15 minutes, never in the future or before birth")
    func lateEntries() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(LateEntry.mark(happened: now.addingTimeInterval(-600), now: now, by: 1) == nil)
        #expect(LateEntry.mark(happened: now.addingTimeInterval(-3_600), now: now, by: 2) == LateEntry(writtenAt: now, writtenBy: 2))
        let born = try LocalDate(parsing: "1980-05-17")
        #expect(LateEntry.problem(happened: now, now: now, dateOfBirth: born) == nil)
        #expect(LateEntry.problem(happened: now.addingTimeInterval(3_600), now: now, dateOfBirth: born)?.rule.contains("future") == true)
        #expect(LateEntry.problem(happened: Date(timeIntervalSince1970: 0), now: now, dateOfBirth: born)?.rule
                .contains("before the patient's birth (1980-05-17)") == true)
    }

    @Test("over the lung fields the depth is 1 mm to the needle's length")
    func depthRange() {
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 30, lot: "L1")
        func entry(_ muscle: String, _ depth: Double?) -> NeedlingEntry {
            NeedlingEntry(muscleID: muscle, side: .right, needle: needle, needlesInserted: 1, needlesRemoved: 1,
                          depth: depth.map(DepthMillimetres.init(unchecked:)))
        }
        #expect(entry("upper-trapezius", 1).depthRange == 1...30)
        #expect(entry("gastrocnemius-medial", 1).depthRange == 0...30)
        #expect(NeedlingEntry.depthRangeText(overLung: true, needleLength: 30) == "1-30 mm (needle length 30 mm)")
        for bad in [0.0, 0.5, 31] {
            #expect(throws: ValidationErrors.self) { try entry("upper-trapezius", bad).validate() }
        }
        #expect(throws: Never.self) { try entry("upper-trapezius", 30).validate() }
        #expect(throws: Never.self) { try entry("gastrocnemius-medial", 0).validate() }
    }

    @Test("needling a minor needs a guardian's consent or a mature-minor assessment; the chest wall needs pneumothorax")
    func minorAndPneumothorax() throws {
        let visit = Visit(id: 1, patientID: 7, practitionerID: 3, startedAt: Date())
        let minor = Patient(id: 7, recordNumber: "K7", givenNames: "A", familyName: "B", dateOfBirth: LocalDate.today().adding(years: -17))
        let screen = PrecautionScreen(patientID: 7, practitionerID: 3, validUntil: LocalDate.today().adding(days: 90))
        let plain = Consent(patientID: 7, practitionerID: 3, risksExplained: [.bruising, .soreness, .fainting], benefitsExplained: true)
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: minor, consents: [plain], screens: [screen]) == [.minorWithoutGuardian(age: 17)])
        var guarded = plain
        guarded.guardian = .init(name: "Kim B", relationship: "father")
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: minor, consents: [guarded], screens: [screen]).isEmpty)
        let trapezius = NeedlingEntry(muscleID: "upper-trapezius", side: .right, needle: Needle(brand: "S", gaugeMm: 0.25, lengthMm: 40, lot: "L"),
                                      needlesInserted: 1, needlesRemoved: 1, depth: DepthMillimetres(unchecked: 10))
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: minor, consents: [guarded], screens: [screen], entry: trapezius)
                == [.consentLacksPneumothorax(muscle: "Trapezius (upper fibres)")])
    }
}
