import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// Issue 13: a consent or precaution screen recorded in error is struck out (kept, marked, with
/// the reason, audited) and no longer covers a visit; it is recorded again to correct it. One
/// that covers a signed visit is refused ("amend the signed visit instead").
@Suite struct SafetyStrikeTests {
    struct Setup {
        let clinic: Clinic
        let session: ClinicSession
        let patient: Patient
        let visitID: Int64
        let consentID: Int64
        let screenID: Int64
        let day = testToday.adding(days: -7)

        init() throws {
            clinic = try Clinic()
            patient = try clinic.addPatient("Jane", "Smith")
            let day = testToday.adding(days: -7)
            visitID = try clinic.addVisit(patient: patient, day: day).id!
            let practitionerID = clinic.practitioner.id!
            let patientID = patient.id!
            let ids = try clinic.db.write { tx in
                let c = try tx.insertConsent(Consent(patientID: patientID, practitionerID: practitionerID, recordedAt: moment(day, hour: 9),
                                                     risksExplained: Set(Consent.Risk.allCases), validUntil: day.adding(days: 90)), actor: "test")
                let s = try tx.insertScreen(PrecautionScreen(patientID: patientID, practitionerID: practitionerID, recordedAt: moment(day, hour: 9),
                                                             validUntil: day.adding(days: 90)), actor: "test")
                return (c.id!, s.id!)
            }
            consentID = ids.0
            screenID = ids.1
            session = ClinicSession(database: clinic.db, user: clinic.practitioner)
        }

        func needle() throws -> NeedlingEntry {
            try session.addNeedling(visitID: visitID, Clinic.needling(1, removed: 1), now: moment(day, hour: 11)).0
        }

        func insertConsent() throws {
            let c = Consent(patientID: patient.id!, practitionerID: clinic.practitioner.id!, recordedAt: moment(day, hour: 9, minute: 30),
                            risksExplained: Set(Consent.Risk.allCases), validUntil: day.adding(days: 90))
            try clinic.db.write { _ = try $0.insertConsent(c, actor: "test") }
        }
    }

    @Test func strikingAConsentKeepsItAuditedAndItCoversNothing() throws {
        let s = try Setup()
        defer { s.clinic.close() }
        let struck = try s.session.strikeSafety(.consent, id: s.consentID, reason: "recorded for the wrong patient")
        #expect(struck.kind == .consent && struck.id == s.consentID && struck.reason == "recorded for the wrong patient")
        #expect(try s.clinic.db.read { try $0.consents(patientID: s.patient.id!) }.isEmpty, "a struck consent covers nothing")
        let kept = try s.clinic.db.read { tx in try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM consent WHERE id = ? AND struck_at IS NOT NULL",
                                                                 arguments: [s.consentID]) }
        #expect(kept == 1, "the row is kept, marked")
        let audit = try s.clinic.db.read { try $0.auditLog(limit: 1000) }.compactMap(\.event.detail)
        #expect(audit.contains { $0.hasPrefix("struck out consent \(s.consentID) (recorded ") && $0.hasSuffix("reason: recorded for the wrong patient") })
        let record = try s.session.visitRecord(id: s.visitID)
        #expect(record.consents.isEmpty && record.struckSafety.map(\.id) == [s.consentID])

        // Needling is refused, naming consent; recording it again lets it go ahead.
        #expect {
            _ = try s.needle()
        } throws: { error in "\(error)".lowercased().contains("consent") }
        try s.insertConsent()
        #expect(try s.needle().id != nil)
        // A struck row is never changed again.
        #expect(throws: (any Error).self) {
            try s.clinic.db.write { tx in try tx.db.execute(sql: "UPDATE consent SET notes = 'x' WHERE id = ?", arguments: [s.consentID]) }
        }
        #expect(throws: (any Error).self) { try s.session.strikeSafety(.consent, id: s.consentID, reason: "again") }
    }

    @Test func strikingAScreenRefusesNeedlingUntilItIsDoneAgain() throws {
        let s = try Setup()
        defer { s.clinic.close() }
        _ = try s.session.strikeSafety(.screen, id: s.screenID, reason: "pregnancy answered wrongly")
        #expect(try s.clinic.db.read { try $0.screens(patientID: s.patient.id!) }.isEmpty)
        #expect {
            _ = try s.needle()
        } throws: { error in "\(error)".lowercased().contains("screen") }
        let screen = PrecautionScreen(patientID: s.patient.id!, practitionerID: s.clinic.practitioner.id!,
                                      recordedAt: moment(s.day, hour: 9, minute: 30), validUntil: s.day.adding(days: 90))
        try s.clinic.db.write { _ = try $0.insertScreen(screen, actor: "test") }
        #expect(try s.needle().id != nil)
    }

    @Test func aReasonIsRequiredAndASignedVisitKeepsWhatItWasSignedUnder() throws {
        let s = try Setup()
        defer { s.clinic.close() }
        #expect(throws: ValidationErrors.self) { try s.session.strikeSafety(.consent, id: s.consentID, reason: "  ") }
        _ = try s.needle()
        _ = try s.session.sign(visitID: s.visitID)
        #expect {
            try s.session.strikeSafety(.screen, id: s.screenID, reason: "wrong")
        } throws: { error in "\(error)".contains("amend the signed visit instead") }
        #expect(try s.clinic.db.read { try $0.screens(patientID: s.patient.id!) }.count == 1, "nothing struck")
    }
}
