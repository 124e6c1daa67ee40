import Foundation
import Testing
@testable import ClinicModel

/// Every range and required field of the clinical model, as a practitioner meets them.
@Suite("Clinical model rules")
struct ClinicalRulesTests {
    let today = try! LocalDate(year: 2026, month: 11, day: 25)

    @Test("typed measures accept their range and refuse outside it, naming the field and the scale",
          arguments: [(-1, false), (0, true), (10, true), (11, false)])
    func nprs(value: Int, ok: Bool) {
        do {
            _ = try NPRS(value, field: "pain.now")
            #expect(ok)
        } catch {
            #expect(!ok)
            #expect(error.field == "pain.now")
            #expect(error.rule.contains("NPRS is 0 to 10"))
        }
    }

    @Test("every measure's range")
    func ranges() throws {
        #expect(throws: ValidationError.self) { try VAS(101, field: "vas") }
        #expect(throws: ValidationError.self) { try PSFSScore(11, field: "psfs") }
        #expect(throws: ValidationError.self) { try FPIItemScore(3, field: "fpi") }
        #expect(throws: ValidationError.self) { try FPIItemScore(-3, field: "fpi") }
        #expect(throws: ValidationError.self) { try StrengthGrade(6, field: "mmt") }
        #expect(throws: ValidationError.self) { try LungeCentimetres(-0.5, field: "lunge") }
        #expect(throws: ValidationError.self) { try LegLengthMillimetres(120, field: "lld") }
        #expect(throws: ValidationError.self) { try Degrees(181, field: "deg") }
        #expect(throws: ValidationError.self) { try KilogramsPerSquareCentimetre(25, field: "ppt") }
        #expect(throws: ValidationError.self) { try Seconds(3601, field: "hold") }
        #expect(throws: ValidationError.self) { try DepthMillimetres(130, field: "depth") }
        #expect(try LungeCentimetres(parsing: "9.5", field: "lunge").value == 9.5)
        #expect(throws: ValidationError.self) { try NPRS(parsing: "seven", field: "pain") }
    }

    @Test("FPI-6 needs six items; its total and category follow Redmond")
    func fpi() throws {
        #expect(throws: ValidationErrors.self) { try FootPostureIndex(items: [1, 1, 1]) }
        let pronated = try FootPostureIndex(items: [2, 1, 2, 1, 1, 1])
        #expect(pronated.total == 8)
        #expect(pronated.category == .pronated)
        #expect(try FootPostureIndex(items: [2, 2, 2, 2, 2, 2]).category == .highlyPronated)
        #expect(try FootPostureIndex(items: [0, 1, 0, 1, 1, 2]).category == .normal)
        #expect(try FootPostureIndex(items: [-1, -1, -1, -1, -1, 0]).category == .highlySupinated)
        #expect(try FootPostureIndex(items: [-1, 0, 0, 0, 0, 0]).category == .supinated)
    }

    @Test("dates are real calendar dates; ages count whole years")
    func dates() throws {
        #expect(throws: ValidationError.self) { try LocalDate(parsing: "2026-02-29") }
        #expect(try LocalDate(parsing: "2024-02-29").day == 29)
        #expect(throws: ValidationError.self) { try LocalDate(parsing: "17/05/1980") }
        let dob = try LocalDate(parsing: "1980-11-26")
        #expect(dob.years(until: today) == 45)
        #expect(try LocalDate(parsing: "1970-01-01").dayNumber == 0)
        #expect(LocalDate(dayNumber: today.dayNumber) == today)
        #expect(today.adding(days: 7).description == "2026-12-02")
    }

    @Test("a patient needs names and a plausible date of birth; contacts and identifiers have shapes")
    func patient() throws {
        var p = Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17"))
        try p.validate(today: today)
        p.dateOfBirth = try LocalDate(parsing: "2027-01-01")
        p.givenNames = ""
        p.phone = "call me"
        p.email = "not-an-email"
        p.identifiers = [PatientIdentifier(system: .ihi, value: "1234"), PatientIdentifier(system: .medicare, value: "29512345611")]
        do {
            try p.validate(today: today)
            Issue.record("should refuse")
        } catch {
            let fields = Set(error.errors.map(\.field))
            #expect(fields == ["dateOfBirth", "givenNames", "phone", "email", "identifiers[0].value"])
        }
    }

    @Test("control characters and escape sequences are refused in one-line fields")
    func controlCharacters() {
        let p = Patient(recordNumber: "K1", givenNames: "Jo\u{1B}[2J", familyName: "Smith\n", dateOfBirth: today)
        #expect(throws: ValidationErrors.self) { try p.validate(today: today) }
    }

    @Test("a needling entry: needle size, counts, depth over the lung fields, electrical settings, adverse-event action")
    func needling() throws {
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L1")
        var e = NeedlingEntry(muscleID: "gastrocnemius-medial", side: .left, needle: needle, needlesInserted: 2, needlesRemoved: 2)
        try e.validate()
        e.needlesRemoved = 3
        e.needle.gaugeMm = 0.5
        e.needle.lengthMm = 200
        e.technique = .electricalStimulation(settings: " ")
        e.adverseEvents = [AdverseEvent(kind: .vasovagal, severity: .significant)]
        do {
            try e.validate()
            Issue.record("should refuse")
        } catch {
            let fields = Set(error.errors.map(\.field))
            #expect(fields.isSuperset(of: ["needlesRemoved", "needle.gauge", "needle.length", "technique", "adverseEvents[0].action"]))
        }
        let lung = NeedlingEntry(muscleID: "lower-trapezius", side: .left, needle: needle, needlesInserted: 1, needlesRemoved: 1)
        #expect(throws: ValidationErrors.self) { try lung.validate() }
        var deep = lung
        deep.depth = try DepthMillimetres(15, field: "depth")
        try deep.validate()
        #expect(throws: ValidationErrors.self) {
            try NeedlingEntry(muscleID: "no-such-muscle", side: .left, needle: needle, needlesInserted: 1, needlesRemoved: 1).validate()
        }
        #expect(throws: ValidationErrors.self) {
            try NeedlingEntry(muscleID: "diaphragm", side: .left, needle: needle, needlesInserted: 1, needlesRemoved: 1).validate()
        }
    }

    @Test("needling needs consent and a screen covering the day; present precautions need a reason; stops stop")
    func mayNeedle() throws {
        let visit = Visit(id: 1, patientID: 7, practitionerID: 3, startedAt: Date())
        var patient = Patient(id: 7, recordNumber: "K7", givenNames: "A", familyName: "B", dateOfBirth: try LocalDate(parsing: "1970-01-01"))
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: patient, consents: [], screens: []) == [.noConsent, .noScreen])
        let consent = Consent(patientID: 7, practitionerID: 3, risksExplained: [.bruising, .soreness, .fainting], benefitsExplained: true)
        let screen = PrecautionScreen(patientID: 7, practitionerID: 3, validUntil: LocalDate.today().adding(days: 90))
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: patient, consents: [consent], screens: [screen]).isEmpty)
        patient.alerts = [PatientAlert(kind: .precaution(.anticoagulant), text: "warfarin")]
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: patient, consents: [consent], screens: [screen]) == [.precautionNotAcknowledged(.anticoagulant)])
        let acknowledged = PrecautionScreen(patientID: 7, practitionerID: 3, present: [.anticoagulant],
                                            acknowledgments: [.anticoagulant: "INR 2.4 stable, superficial only"], validUntil: LocalDate.today().adding(days: 90))
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: patient, consents: [consent], screens: [acknowledged]).isEmpty)
        let stop = PrecautionScreen(patientID: 7, practitionerID: 3, present: [.inabilityToConsent], acknowledgments: [.inabilityToConsent: "dementia, no guardian"],
                                    validUntil: LocalDate.today().adding(days: 90))
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: Patient(id: 7, recordNumber: "K7", givenNames: "A", familyName: "B", dateOfBirth: try LocalDate(parsing: "1970-01-01")),
                                              consents: [consent], screens: [stop]) == [.stop(.inabilityToConsent)])
        let old = Consent(patientID: 7, practitionerID: 3, recordedAt: Date().addingTimeInterval(-3 * 86400), risksExplained: [.bruising, .soreness, .fainting], benefitsExplained: true)
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: patient, consents: [old], screens: [acknowledged]) == [.noConsent])
        let standing = Consent(patientID: 7, practitionerID: 3, recordedAt: Date().addingTimeInterval(-3 * 86400), risksExplained: [.bruising, .soreness, .fainting], benefitsExplained: true, validUntil: LocalDate.today().adding(days: 30))
        #expect(NeedlingSafety.checkMayNeedle(visit: visit, patient: patient, consents: [standing], screens: [acknowledged]).isEmpty)
    }

    @Test("signing needs balanced needles, the visit's own practitioner, and sharps disposed")
    func maySign() {
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L1")
        var v = Visit(id: 1, patientID: 7, practitionerID: 3)
        v.needling = [NeedlingEntry(muscleID: "soleus", side: .left, needle: needle, needlesInserted: 3, needlesRemoved: 2, sharpsDisposed: false)]
        let refusals = NeedlingSafety.checkMaySign(visit: v, by: 4)
        #expect(refusals.contains(.needleCountMismatch(inserted: 3, removed: 2)))
        #expect(refusals.contains(.notTheTreatingPractitioner))
        #expect(refusals.contains(.sharpsNotDisposed(site: 1)))
        v.needling[0].needlesRemoved = 3
        v.needling[0].sharpsDisposed = true
        #expect(NeedlingSafety.checkMaySign(visit: v, by: 3).isEmpty)
        v.status = .signed
        #expect(NeedlingSafety.checkMaySign(visit: v, by: 3) == [.alreadySigned])
    }

    @Test("consent must explain the core risks; a precaution screen needs reasons; amendments need a reason and a change")
    func forms() throws {
        #expect(throws: ValidationErrors.self) { try Consent(patientID: 1, practitionerID: 1, risksExplained: [.bruising], benefitsExplained: true).validate() }
        #expect(throws: ValidationErrors.self) {
            try PrecautionScreen(patientID: 1, practitionerID: 1, present: [.pregnancy], validUntil: LocalDate.today()).validate()
        }
        #expect(throws: ValidationErrors.self) { try Amendment(visitID: 1, practitionerID: 1, reason: "", changes: []).validate() }
        #expect(throws: ValidationErrors.self) {
            var v = Visit(patientID: 1, practitionerID: 1)
            v.psfs = (0..<6).map { PSFSItem(activity: "a\($0)", score: PSFSScore(unchecked: 5)) }
            try v.validateHeader()
        }
        #expect(throws: ValidationErrors.self) {
            try Visit(patientID: 1, practitionerID: 1, pain: PainScores(best: NPRS(unchecked: 8), worst: NPRS(unchecked: 3))).validateHeader()
        }
    }
}
