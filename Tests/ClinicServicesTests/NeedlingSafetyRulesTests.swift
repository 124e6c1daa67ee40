import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Issue 13's safety rules through the use cases, on a temporary database: every refusal names
/// what is missing and leaves the database as it was.
@Suite("Precautions, consent, needling values and late entries")
struct NeedlingSafetyRulesTests {
    let dir = TemporaryDirectory(prefix: "knot-safety")
    static let everyRisk = Set(Consent.Risk.allCases)
    static let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L2411")

    /// A clinic with a trained practitioner (amy) and one patient; returns amy's session and the patient.
    func clinic(dob: LocalDate = try! LocalDate(parsing: "1980-05-17"), alerts: [PatientAlert] = []) throws -> (ClinicSession, Patient) {
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        let setup = ClinicSession.maintenance(database: db, actor: "setup")
        let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(parsing: "2024-03-01"))
        let amy = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Nguyen", profession: .physiotherapist,
                                                         dryNeedlingTraining: training))
        let patient = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith", dateOfBirth: dob,
                                                   alerts: alerts))
        return (ClinicSession(database: db, user: amy), patient)
    }

    /// The error's words, or "" when `body` does not throw.
    func refusal(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch let e as ValidationErrors { return e.description } catch { return "\(error)" }
    }

    func counts(_ s: ClinicSession, _ p: Patient) throws -> (consents: Int, screens: Int) {
        try s.database.read { tx in (try tx.consents(patientID: p.id!).count, try tx.screens(patientID: p.id!).count) }
    }

    static let proposedApixaban = PatientAlert(kind: .precaution(.anticoagulant), text: "Apixaban 5 mg bd", status: .proposed,
                                               source: "referral 2026-11-20 (medications)")

    // MARK: precautions

    @Test("a screen with no answers is refused, naming every precaution not answered")
    func unansweredScreen() throws {
        let (amy, jo) = try clinic()
        let said = refusal { _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(), validDays: 90) }
        #expect(said.contains("every precaution must be answered"), "\(said)")
        #expect(said.contains("anticoagulant,antiplatelet,bleeding-disorder"))
        let partly = refusal { _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(absent: [.pregnancy, .epilepsy]), validDays: 90) }
        #expect(partly.contains("not answered: anticoagulant") && !partly.contains("pregnancy,") && !partly.contains("epilepsy"), "\(partly)")
        #expect(try counts(amy, jo).screens == 0)
    }

    @Test("how long a screen stands is stated, 1 to 365 days; out of range is refused and nothing is written",
          arguments: [0, -5, 366])
    func screenDaysOutOfRange(days: Int) throws {
        let (amy, jo) = try clinic()
        let said = refusal { _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: days) }
        #expect(said.contains("valid days") && said.contains("1 to 365") && said.contains("\(days)"), "\(said)")
        #expect(try counts(amy, jo).screens == 0)
        let screen = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 14)
        #expect(screen.validUntil == LocalDate(screen.recordedAt).adding(days: 14))
    }

    @Test("a referral's proposed anticoagulant cannot be answered absent until it is dismissed")
    func proposedAlertIsAnOpenQuestion() throws {
        let (amy, jo) = try clinic(alerts: [Self.proposedApixaban])
        let alertID = try #require(jo.alerts.first?.id)
        let none = refusal { _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90) }
        #expect(none.contains("--none-present: alert \(alertID), proposed"), "\(none)")
        #expect(none.contains("anticoagulant medicine"))
        let absent = refusal {
            _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(absent: Set(Precaution.allCases)), validDays: 90)
        }
        #expect(absent.contains("--absent anticoagulant"), "\(absent)")
        #expect(try counts(amy, jo).screens == 0, "nothing written")

        // Answered present with a reason: recorded.
        var others = Set(Precaution.allCases); others.remove(.anticoagulant)
        let screen = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(
            present: [.anticoagulant], absent: others, acknowledgments: [.anticoagulant: "Apixaban; superficial sites, firm pressure"]), validDays: 90)
        #expect(screen.present == [.anticoagulant])

        // Dismissed: then "none present" is the practitioner's to say.
        try amy.setAlert(id: alertID, status: .dismissed, reason: "Apixaban stopped in October (GP letter on file)")
        #expect(try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90).present.isEmpty)
    }

    @Test("--none-present is refused while a confirmed alert says otherwise")
    func confirmedAlertRefusesNonePresent() throws {
        let (amy, jo) = try clinic(alerts: [PatientAlert(kind: .precaution(.metalAllergy), text: "Nickel")])
        let said = refusal { _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90) }
        #expect(said.contains("confirms 'metal allergy'"), "\(said)")
        #expect(try counts(amy, jo).screens == 0)
    }

    @Test("an acknowledgment of a precaution not answered present is an error, not dropped")
    func ackWithoutPresent() throws {
        let (amy, jo) = try clinic()
        let said = refusal {
            _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(acknowledgments: [.epilepsy: "well controlled, no seizures"],
                                                                             nonePresent: true), validDays: 90)
        }
        #expect(said.contains("--ack: 'epilepsy' acknowledges a precaution not answered present"), "\(said)")
        #expect(try counts(amy, jo).screens == 0)
    }

    @Test("needling is refused while a referral's proposed precaution is answered absent in the screen")
    func proposedAfterTheScreen() throws {
        let (amy, jo) = try clinic()
        _ = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true) }
        _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90)
        _ = try amy.database.write { tx in try tx.insertAlert(Self.proposedApixaban, patientID: jo.id!, actor: "import") }
        let visit = try amy.newVisit(patientKey: "K1", complaint: "Calf", pain: PainScores())
        let said = refusal { _ = try amy.addNeedling(visitID: visit.id!, Self.calf()) }
        #expect(said.contains("a referral proposes 'anticoagulant medicine'"), "\(said)")
        #expect(try amy.visitRecord(id: visit.id!).visit.needling.isEmpty)
    }

    // MARK: consent

    static func calf(depth: Double? = nil) -> NeedlingEntry {
        NeedlingEntry(muscleID: "gastrocnemius-medial", side: .left, needle: needle, needlesInserted: 1, needlesRemoved: 1,
                      depth: depth.map(DepthMillimetres.init(unchecked:)))
    }

    static func upperTrapezius(depth: Double?) -> NeedlingEntry {
        NeedlingEntry(muscleID: "upper-trapezius", side: .right, needle: needle, needlesInserted: 1, needlesRemoved: 1,
                      depth: depth.map(DepthMillimetres.init(unchecked:)))
    }

    @Test("a lung-field muscle needs pneumothorax among the risks of the consent covering the visit")
    func pneumothoraxConsent() throws {
        let (amy, _) = try clinic()
        _ = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: [.bruising, .soreness, .fainting], benefitsExplained: true) }
        _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90)
        let visit = try amy.newVisit(patientKey: "K1", complaint: "Neck", pain: PainScores())
        let said = refusal { _ = try amy.addNeedling(visitID: visit.id!, Self.upperTrapezius(depth: 12)) }
        #expect(said.contains("lies over the lung fields: the consent covering this visit does not name pneumothorax"), "\(said)")
        #expect(try amy.visitRecord(id: visit.id!).visit.needling.isEmpty)
        // The calf is not over the lung fields: the same consent covers it.
        _ = try amy.addNeedling(visitID: visit.id!, Self.calf())
        _ = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true) }
        _ = try amy.addNeedling(visitID: visit.id!, Self.upperTrapezius(depth: 12))
        #expect(try amy.visitRecord(id: visit.id!).visit.needling.count == 2)
    }

    @Test("a patient under 18 consents with a guardian or on a mature-minor assessment")
    func minorConsent() throws {
        let dob = LocalDate.today().adding(years: -17)
        let (amy, jo) = try clinic(dob: dob)
        let said = refusal {
            _ = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true) }
        }
        #expect(said.contains("the patient is 17 (under 18)") && said.contains("--guardian-name"), "\(said)")
        #expect(try counts(amy, jo).consents == 0)
        let guardian = try amy.recordConsent(patientKey: "K1") {
            Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true, guardian: .init(name: "Kim Smith", relationship: "mother"))
        }
        #expect(guardian.guardian?.name == "Kim Smith")
        let mature = try amy.recordConsent(patientKey: "K1") {
            Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true,
                    matureMinorAssessment: "Understands the procedure, risks and alternatives; explained back in own words")
        }
        #expect(mature.standsForMinor)
        let stored = try amy.database.read { tx in try tx.consents(patientID: jo.id!) }
        #expect(stored.map(\.guardian?.relationship) == ["mother", nil])
        #expect(stored.last?.matureMinorAssessment?.hasPrefix("Understands") == true)
    }

    @Test("needling a minor is refused when the consent covering the visit has no guardian (an older record)")
    func minorNeedling() throws {
        let (amy, jo) = try clinic(dob: LocalDate.today().adding(years: -16))
        let amyID = try #require(amy.user?.id)
        _ = try amy.database.write { tx in
            try tx.insertConsent(Consent(patientID: jo.id!, practitionerID: amyID, risksExplained: Self.everyRisk, benefitsExplained: true), actor: "import")
        }
        _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90)
        let visit = try amy.newVisit(patientKey: "K1", complaint: "Calf", pain: PainScores())
        let said = refusal { _ = try amy.addNeedling(visitID: visit.id!, Self.calf()) }
        #expect(said.contains("the patient is 16 (under 18) on the visit date"), "\(said)")
        #expect(try amy.visitRecord(id: visit.id!).visit.needling.isEmpty)
    }

    // MARK: needling values

    @Test("over the lung fields the depth is required, above zero and within the needle's length")
    func lungDepth() throws {
        let (amy, _) = try clinic()
        _ = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true) }
        _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90)
        let visit = try amy.newVisit(patientKey: "K1", complaint: "Neck", pain: PainScores())
        for (depth, expected) in [(0.0, "depth: '0' over the lung fields the depth must be 1-40 mm (needle length 40 mm)"),
                                  (41.0, "depth: '41' over the lung fields the depth must be 1-40 mm (needle length 40 mm)")] {
            let said = refusal { _ = try amy.addNeedling(visitID: visit.id!, Self.upperTrapezius(depth: depth)) }
            #expect(said.contains(expected), "\(said)")
        }
        let missing = refusal { _ = try amy.addNeedling(visitID: visit.id!, Self.upperTrapezius(depth: nil)) }
        #expect(missing.contains("depth: is required") && missing.contains("1-40 mm"), "\(missing)")
        let deep = refusal { _ = try amy.addNeedling(visitID: visit.id!, Self.calf(depth: 45)) }
        #expect(deep.contains("is deeper than the needle: the depth must be 0-40 mm"), "\(deep)")
        #expect(try amy.visitRecord(id: visit.id!).visit.needling.isEmpty)
        _ = try amy.addNeedling(visitID: visit.id!, Self.upperTrapezius(depth: 1))
    }

    // MARK: late entries

    @Test("consent, screen and needling written late are marked with when and by whom, and shown with the visit")
    func lateEntries() throws {
        let (amy, jo) = try clinic()
        let now = Date()
        // Noon yesterday, so the visit and its needling minutes later fall on one day whatever
        // the time the test runs (a day back from now put them either side of midnight near 00:00).
        let yesterday = Calendar.current.startOfDay(for: now).addingTimeInterval(-12 * 3_600)
        let visit = try amy.newVisit(patientKey: "K1", at: yesterday.addingTimeInterval(-60), complaint: "Calf", pain: PainScores())
        let consent = try amy.recordConsent(patientKey: "K1", now: now) {
            Consent(patientID: $0, practitionerID: $1, recordedAt: yesterday, risksExplained: Self.everyRisk, benefitsExplained: true)
        }
        let screen = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90, at: yesterday, now: now)
        var entry = Self.calf()
        entry.performedAt = yesterday.addingTimeInterval(300)
        let (needled, _) = try amy.addNeedling(visitID: visit.id!, entry, now: now)
        for mark in [consent.lateEntry, screen.lateEntry, needled.lateEntry] {
            #expect(mark?.writtenBy == amy.user?.id)
            #expect(abs((mark?.writtenAt ?? .distantPast).timeIntervalSince(now)) < 1)
        }
        let record = try amy.visitRecord(id: visit.id!)
        #expect(record.consents.first?.lateEntry != nil && record.screens.first?.lateEntry != nil)
        #expect(record.visit.needling.first?.lateEntry?.writtenBy == amy.user?.id)
        #expect(record.describe(try #require(record.visit.needling.first?.lateEntry)).contains("by Amy Nguyen"))
        // Written as it happens: no mark.
        let onTime = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Self.everyRisk, benefitsExplained: true) }
        #expect(onTime.lateEntry == nil)
        #expect(try counts(amy, jo).consents == 2)
    }

    @Test("a late entry is never dated in the future or before the patient's birth")
    func lateEntryDates() throws {
        let (amy, jo) = try clinic()
        let future = refusal {
            _ = try amy.recordConsent(patientKey: "K1") {
                Consent(patientID: $0, practitionerID: $1, recordedAt: Date().addingTimeInterval(3_600), risksExplained: Self.everyRisk, benefitsExplained: true)
            }
        }
        #expect(future.contains("--at") && future.contains("is in the future"), "\(future)")
        let beforeBirth = refusal {
            _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90,
                                     at: try LocalDate(parsing: "1979-01-01").startOfDayForTests)
        }
        #expect(beforeBirth.contains("is before the patient's birth (1980-05-17)"), "\(beforeBirth)")
        #expect(try counts(amy, jo) == (0, 0))
    }
}

extension LocalDate {
    /// Noon on this day, local time.
    var startOfDayForTests: Date {
        Calendar(identifier: .gregorian).date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }
}
