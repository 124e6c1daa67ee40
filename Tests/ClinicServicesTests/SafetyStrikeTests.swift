import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Issue 13: a consent or precaution screen recorded in error is struck out (kept, marked, with
/// the reason, audited) and no longer covers a visit; it is recorded again to correct it. One
/// that covers a signed visit is refused ("amend the signed visit instead"). On every store
/// (`TestStore.all`).
@Suite("striking out a consent or screen, on every store")
struct SafetyStrikeTests {
    struct Setup {
        let clinic: EntryCorrectionClinic
        let visitID: Int64
        let consentID: Int64
        let screenID: Int64
        let day = EntryCorrectionClinic.today.adding(days: -7)
        var session: ClinicSession { clinic.session }
        var patientID: Int64 { clinic.patient.id! }

        init(_ store: TestStore) throws {
            clinic = try EntryCorrectionClinic(store)
            visitID = try #require(try clinic.addVisit(day: day).id)
            (consentID, screenID) = try clinic.addConsentAndScreen(day: day)
        }

        func needle() throws -> NeedlingEntry {
            try session.addNeedling(visitID: visitID, EntryCorrectionClinic.needling(1, removed: 1),
                                    now: EntryCorrectionClinic.moment(day, hour: 11)).0
        }
    }

    @Test("a struck consent is kept, audited, and covers nothing", arguments: TestStore.all)
    func strikingAConsentKeepsItAuditedAndItCoversNothing(store: TestStore) throws {
        let s = try Setup(store)
        let struck = try s.session.strikeSafety(.consent, id: s.consentID, reason: "recorded for the wrong patient")
        #expect(struck.kind == .consent && struck.id == s.consentID && struck.reason == "recorded for the wrong patient")
        #expect(try s.session.database.read { try $0.consents(patientID: s.patientID) }.isEmpty, "a struck consent covers nothing")
        #expect(try StoreProbe.scalar(s.clinic.location, "SELECT count(*) FROM consent WHERE id = \(s.consentID) AND struck_at IS NOT NULL") == "1",
                "the row is kept, marked")
        let audit = try s.clinic.audit()
        #expect(audit.contains { $0.hasPrefix("struck out consent \(s.consentID) (recorded ") && $0.hasSuffix("reason: recorded for the wrong patient") })
        let record = try s.session.visitRecord(id: s.visitID)
        #expect(record.consents.isEmpty && record.struckSafety.map(\.id) == [s.consentID])
        let kept = try #require(try s.session.database.read { try $0.struckSafety(patientID: s.patientID) }.first)
        #expect(kept.struckBy == "mchen" && kept.validUntil == s.day.adding(days: 90) && LocalDate(kept.recordedAt) == s.day)

        // Needling is refused, naming consent; recording it again lets it go ahead.
        #expect {
            _ = try s.needle()
        } throws: { error in "\(error)".lowercased().contains("consent") }
        try s.clinic.session.database.write { tx in
            _ = try tx.insertConsent(Consent(patientID: s.patientID, practitionerID: s.clinic.practitioner.id!,
                                             recordedAt: EntryCorrectionClinic.moment(s.day, hour: 9, minute: 30),
                                             risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true, validUntil: s.day.adding(days: 90)), actor: "test")
        }
        #expect(try s.needle().id != nil)
        // A struck row is never changed again.
        #expect(throws: (any Error).self) {
            try StoreProbe.execute(s.clinic.location, "UPDATE consent SET notes = 'x' WHERE id = \(s.consentID)")
        }
        #expect(throws: (any Error).self) { try s.session.strikeSafety(.consent, id: s.consentID, reason: "again") }
        #expect(try s.clinic.auditVerifies())
    }

    @Test("a struck screen refuses needling until it is done again", arguments: TestStore.all)
    func strikingAScreenRefusesNeedlingUntilItIsDoneAgain(store: TestStore) throws {
        let s = try Setup(store)
        _ = try s.session.strikeSafety(.screen, id: s.screenID, reason: "pregnancy answered wrongly")
        #expect(try s.session.database.read { try $0.screens(patientID: s.patientID) }.isEmpty)
        #expect {
            _ = try s.needle()
        } throws: { error in "\(error)".lowercased().contains("screen") }
        let screen = PrecautionScreen(patientID: s.patientID, practitionerID: s.clinic.practitioner.id!,
                                      recordedAt: EntryCorrectionClinic.moment(s.day, hour: 9, minute: 30), validUntil: s.day.adding(days: 90))
        try s.session.database.write { _ = try $0.insertScreen(screen, actor: "test") }
        #expect(try s.needle().id != nil)
    }

    @Test("a reason is required, and a signed visit keeps what it was signed under", arguments: TestStore.all)
    func aReasonIsRequiredAndASignedVisitKeepsWhatItWasSignedUnder(store: TestStore) throws {
        let s = try Setup(store)
        #expect(throws: ValidationErrors.self) { try s.session.strikeSafety(.consent, id: s.consentID, reason: "  ") }
        _ = try s.needle()
        _ = try s.session.sign(visitID: s.visitID)
        #expect {
            try s.session.strikeSafety(.screen, id: s.screenID, reason: "wrong")
        } throws: { error in "\(error)".contains("amend the signed visit instead") }
        #expect(try s.session.database.read { try $0.screens(patientID: s.patientID) }.count == 1, "nothing struck")
    }
}
