import Foundation
import Testing
import ClinicTestSupport
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// Registering someone who may already be on file asks first; two records of one person are
/// merged without losing a row, signed visits included, and the merge is audited.
@Suite struct PatientDuplicateTests {
    func session(_ clinic: Clinic) -> ClinicSession { ClinicSession(database: clinic.db, user: clinic.practitioner) }

    func newPatient(_ given: String, _ family: String, born: String = "1980-05-17", identifiers: [PatientIdentifier] = []) throws -> Patient {
        Patient(recordNumber: "", givenNames: given, familyName: family, dateOfBirth: try LocalDate(parsing: born), identifiers: identifiers)
    }

    @Test func aSimilarNameWithTheSameBirthDateIsRefusedWithTheCandidateAndAcceptedWhenConfirmed() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let jo = try clinic.addPatient("Jo", "Smith", record: "K1")
        let s = session(clinic)
        for (given, family) in [("Jo", "Smith"), ("JO", "SMITH"), ("Zoé", "Smith"), ("Jo", "Smyth"), ("Joe", "Smithers"), ("Jo Anne", "Brown")] {
            let refused = caught { try s.addPatient(try newPatient(given, family), today: testToday) }
            let duplicate = try #require(refused as? PossibleDuplicatePatient, "\(given) \(family) was not refused")
            #expect(duplicate.candidates.map(\.patient.id) == [jo.id!])
            #expect(duplicate.description.contains("K1  Smith, Jo  born 1980-05-17"), "\(duplicate.description)")
        }
        #expect(try s.patientCount() == 1, "nothing was saved")
        // A different person: another birth date, or a name far from Smith and Jo.
        _ = try s.addPatient(try newPatient("Jo", "Smith", born: "1980-05-18"), today: testToday)
        _ = try s.addPatient(try newPatient("Ann", "Brown"), today: testToday)
        // Confirmed: registered after all.
        let twin = try s.addPatient(try newPatient("Jo", "Smith"), today: testToday, allowDuplicate: true)
        #expect(twin.id != jo.id)
        #expect(try s.patientCount() == 4)
    }

    @Test("a value that breaks a rule is refused as such, not reported as a possible duplicate")
    func badValuesAreRefusedBeforeTheDuplicateCheck() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        _ = try clinic.addPatient("Jo", "Smith", record: "K1")
        let s = session(clinic)
        var escape = try newPatient("Jo\u{1B}[31m", "Smith")
        var phone = try newPatient("Jo", "Smith")
        phone.phone = "04x2 345 678"
        for (patient, field) in [(escape, "givenNames"), (phone, "phone")] {
            let refused = caught { try s.addPatient(patient, today: testToday) }
            let invalid = try #require(refused as? ValidationErrors, "\(String(describing: refused))")
            #expect(invalid.errors.map(\.field) == [field])
        }
        // allowDuplicate does not let a bad value through either.
        escape.familyName = "Brown"
        #expect(caught { try s.addPatient(escape, today: testToday, allowDuplicate: true) } is ValidationErrors)
        #expect(try s.patientCount() == 1, "nothing was saved")
    }

    @Test func theSameIdentifierIsADuplicateWhateverTheNameAndCannotBeShared() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let medicare = PatientIdentifier(system: .medicare, value: "2951234571")
        _ = try clinic.addPatient("Jo", "Smith", record: "K1", identifiers: [medicare])
        let s = session(clinic)
        let refused = caught { try s.addPatient(try newPatient("Mary", "Jones", born: "1950-03-04", identifiers: [medicare]), today: testToday) }
        let duplicate = try #require(refused as? PossibleDuplicatePatient)
        #expect(duplicate.sharesIdentifier)
        #expect(duplicate.candidates.first?.reasons == ["same medicare identifier 2951234571"])
        // Confirming does not let two patients share one identifier.
        #expect(caught { try s.addPatient(try newPatient("Mary", "Jones", born: "1950-03-04", identifiers: [medicare]), today: testToday, allowDuplicate: true) } is StorageError)
        #expect(try s.patientCount() == 1)
    }
}

@Suite struct PatientMergeTests {
    /// Two records of one person, each with a signed visit, a draft visit, a referral, an alert,
    /// a consent, a screen and identifiers of different systems; OTHER has a details form draft.
    func twoRecords(_ clinic: Clinic) throws -> (keep: Patient, other: Patient) {
        let keep = try clinic.addPatient("Jo", "Smith", record: "K1", identifiers: [PatientIdentifier(system: .medicare, value: "2951234571")])
        let other = try clinic.addPatient("Joanne", "Smith", record: "K2", identifiers: [PatientIdentifier(system: .dva, value: "NX123456")],
                                          alerts: [PatientAlert(kind: .allergy, text: "Latex", status: .confirmed)])
        let day = testToday.adding(days: -3)
        for p in [keep, other] {
            let signed = try clinic.addVisit(patient: p, day: day.adding(days: -2))
            try clinic.db.write { tx in
                try tx.signVisit(id: signed.id!, actor: "mchen")
                _ = try tx.insertReferral(Referral(patientID: p.id!, referrerName: "Dr Whitford", date: day.adding(days: -5), reason: "Neck pain"), actor: "mchen")
                _ = try tx.insertConsent(Consent(patientID: p.id!, practitionerID: clinic.practitioner.id!, recordedAt: moment(day, hour: 9), risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true), actor: "mchen")
                _ = try tx.insertScreen(PrecautionScreen(patientID: p.id!, practitionerID: clinic.practitioner.id!, recordedAt: moment(day, hour: 9),
                                                         validUntil: day.adding(days: 90)), actor: "mchen")
            }
            _ = try clinic.addVisit(patient: p, day: day)
        }
        try clinic.db.write { tx in
            try tx.saveFormDraft(StoredFormDraft(slot: .patient(other.id!), actor: "mchen", kind: "patient", state: "{}", savedAt: Date()))
        }
        return (keep, other)
    }

    func counts(_ clinic: Clinic, _ id: Int64) throws -> [String: Int] {
        try clinic.db.read { tx in try tx.rowsBelonging(toPatient: id) }
    }

    @Test func everyRowOfTheOtherRecordMovesToTheKeptOneAndTheOtherIsArchivedAsMerged() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let (keep, other) = try twoRecords(clinic)
        let keepBefore = try counts(clinic, keep.id!), otherBefore = try counts(clinic, other.id!)
        #expect(otherBefore["visit"] == 2 && otherBefore["referral"] == 1 && otherBefore["patient_alert"] == 1
                && otherBefore["consent"] == 1 && otherBefore["precaution_screen"] == 1 && otherBefore["patient_identifier"] == 1)
        let tables = Set(keepBefore.keys).union(otherBefore.keys)
        let auditBefore = try clinic.db.read { tx in try tx.auditLog(limit: 100_000).count }

        let summary = try ClinicSession(database: clinic.db, user: clinic.practitioner).mergePatients(keepKey: "K1", otherKey: "K2")

        let keepAfter = try counts(clinic, keep.id!), otherAfter = try counts(clinic, other.id!)
        for table in tables {
            #expect(keepAfter[table, default: 0] == keepBefore[table, default: 0] + otherBefore[table, default: 0], "\(table)")
            #expect(otherAfter[table, default: 0] == 0, "\(table)")
        }
        #expect(summary.moved["visit"] == 2)
        #expect(summary.moved["form_draft"] == 1)
        #expect(try clinic.db.read { tx in try tx.formDraft(slot: .patient(keep.id!), actor: "mchen") } != nil, "the details form follows")
        let merged = try #require(try clinic.db.read { tx in try tx.patient(id: other.id!) })
        #expect(merged.archived)
        #expect(try clinic.db.read { tx in try tx.mergedInto(patientID: other.id!) } == keep.id)
        let kept = try #require(try clinic.db.read { tx in try tx.patient(id: keep.id!) })
        #expect(Set(kept.identifiers.map(\.system)) == [.medicare, .dva])
        #expect(kept.alerts.map(\.text) == ["Latex"])
        // Signed visits moved and are still signed, still immutable.
        let visits = try clinic.db.read { tx in try tx.visits(patientID: keep.id!) }
        #expect(visits.filter { $0.status == .signed }.count == 2)
        let signedID = try #require(visits.first { $0.status == .signed }?.id)
        #expect(throws: (any Error).self) {
            try clinic.raw().write { db in try db.execute(sql: "UPDATE visit SET complaint = 'changed' WHERE id = ?", arguments: [signedID]) }
        }
        // A merged record stays merged and archived; nothing was deleted.
        #expect(throws: (any Error).self) {
            try clinic.raw().write { db in try db.execute(sql: "UPDATE patient SET archived = 0 WHERE id = ?", arguments: [other.id!]) }
        }
        #expect(try clinic.db.read { tx in try tx.patientCount(includeArchived: true) } == 2)
        // Audited on both patients.
        let events = try clinic.db.read { tx in try tx.auditLog(limit: 100_000) }.map(\.event)
        #expect(events.count == auditBefore + 2)
        #expect(events.contains { $0.patientID == other.id && $0.action == .archive && $0.detail == "merged into patient \(keep.id!)" })
        #expect(events.contains { $0.patientID == keep.id && $0.action == .update && ($0.detail ?? "").hasPrefix("merged patient \(other.id!) (K2)") })
        #expect(try clinic.db.integrityProblems().isEmpty)
    }

    @Test func twoDifferentIdentifiersOfOneSystemAreRefusedAndNothingMoves() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let keep = try clinic.addPatient("Jo", "Smith", record: "K1", identifiers: [PatientIdentifier(system: .medicare, value: "2951234571")])
        let other = try clinic.addPatient("Jo", "Smith", record: "K2", identifiers: [PatientIdentifier(system: .medicare, value: "3951234582")])
        _ = try clinic.addVisit(patient: other)
        let before = try counts(clinic, other.id!)
        let error = caught { try ClinicSession(database: clinic.db, user: clinic.practitioner).mergePatients(keepKey: "K1", otherKey: "K2") }
        guard case .refused(_, let reasons) = error as? ServiceError else {
            Issue.record("not refused: \(String(describing: error))")
            return
        }
        #expect(reasons.contains { $0.contains("two different medicare identifiers") && $0.contains("2951234571") && $0.contains("3951234582") })
        #expect(try counts(clinic, other.id!) == before)
        #expect(try clinic.db.read { tx in try tx.mergedInto(patientID: other.id!) } == nil)
        #expect(try clinic.db.read { tx in try tx.patient(id: keep.id!) }?.archived == false)
    }

    @Test func unsavedFormsThatCannotBothBeKeptRefuseTheMerge() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let keep = try clinic.addPatient("Jo", "Smith", record: "K1")
        let other = try clinic.addPatient("Jo", "Smith", record: "K2")
        try clinic.db.write { tx in
            for id in [keep.id!, other.id!] {
                try tx.saveFormDraft(StoredFormDraft(slot: .patient(id), actor: "mchen", kind: "patient", state: "{}", savedAt: Date()))
            }
        }
        let error = caught { try ClinicSession(database: clinic.db, user: clinic.practitioner).mergePatients(keepKey: "K1", otherKey: "K2") }
        guard case .refused(_, let reasons) = error as? ServiceError else {
            Issue.record("not refused: \(String(describing: error))")
            return
        }
        #expect(reasons == ["mchen has unsaved details forms open on both records; save or discard one first"])
        #expect(try clinic.db.read { tx in try tx.mergedInto(patientID: other.id!) } == nil)
    }

    @Test func aSignedVisitStillCannotMoveToAPatientItWasNotMergedInto() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let a = try clinic.addPatient("Jo", "Smith", record: "K1")
        let b = try clinic.addPatient("Al", "Brown", born: "1970-01-01", record: "K2")
        let v = try clinic.addVisit(patient: a)
        try clinic.db.write { tx in try tx.signVisit(id: v.id!, actor: "mchen") }
        #expect(throws: (any Error).self) {
            try clinic.raw().write { db in try db.execute(sql: "UPDATE visit SET patient_id = ? WHERE id = ?", arguments: [b.id!, v.id!]) }
        }
    }
}
