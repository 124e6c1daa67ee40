import Foundation
import Testing
import ClinicTestSupport
import ClinicModel
@testable import ClinicStore

/// Patients, identifiers and alerts round-trip; duplicates and each model rule come back as the
/// store's typed errors naming the field.
@Suite struct RecordRulesTests {
    @Test func patientWithIdentifiersAndAlertsReadsBackAsWritten() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let written = try clinic.db.write { tx in
            try tx.insertPatient(Patient(
                recordNumber: "", givenNames: "Zoë", familyName: "Müller", preferredName: "Zo",
                dateOfBirth: try LocalDate(parsing: "1975-02-28"), sex: .female, phone: "0412 345 678", email: "zoe@example.com",
                address: "12 Wattle Ave, Fitzroy VIC 3065",
                identifiers: [PatientIdentifier(system: .medicare, value: "2123456701"),
                              PatientIdentifier(system: .ihi, value: "8003608166690503")],
                generalPractitioner: "Dr Anna Whitford",
                alerts: [PatientAlert(kind: .precaution(.anticoagulant), text: "Apixaban 5 mg bd"),
                         PatientAlert(kind: .allergy, text: "Nickel", status: .proposed, source: "referral")]),
                actor: "test", today: testToday)
        }
        #expect(written.recordNumber == "K00001")
        let read = try #require(try clinic.db.read { try $0.patient(id: written.id!) })
        #expect(read == written)
        #expect(read.confirmedPrecautions == [.anticoagulant])
        #expect(try clinic.db.read { try $0.patientID(identifier: PatientIdentifier(system: .ihi, value: "8003608166690503")) } == written.id)
        #expect(try clinic.db.read { try $0.patient(key: "k00001") }?.id == written.id)
        let summary = try #require(try clinic.db.read { try $0.patientSummaries() }.first)
        #expect(summary.alertCount == 2)
        #expect(summary.displayName == "Müller, Zoë")
    }

    @Test func duplicateRecordNumberOrIdentifierIsRefused() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.addPatient("Jo", "Smith", record: "K00042", identifiers: [PatientIdentifier(system: .medicare, value: "2123456701")])
        let sameNumber = caught { try clinic.addPatient("Joe", "Bloggs", record: "K00042") }
        guard case .duplicate(_, let field, let value)? = sameNumber as? StoreError else {
            Issue.record("expected duplicate, got \(String(describing: sameNumber))"); return
        }
        #expect(field == "record number" && value == "K00042")
        let sameMedicare = caught {
            try clinic.addPatient("Joe", "Bloggs", identifiers: [PatientIdentifier(system: .medicare, value: "2123456701")])
        }
        guard case .duplicate(_, let f2, _)? = sameMedicare as? StoreError else {
            Issue.record("expected duplicate, got \(String(describing: sameMedicare))"); return
        }
        #expect(f2.contains("medicare"))
        #expect(try clinic.db.read { try $0.patientCount() } == 1)
    }

    @Test func futureDateOfBirthIsRefusedByName() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let error = caught { try clinic.addPatient("Jo", "Smith", born: testToday.adding(days: 1).description) } as? StoreError
        #expect(error?.invalidFields == ["dateOfBirth"])
        #expect(try clinic.db.read { try $0.patientCount() } == 0)
    }

    @Test func painOutOfRangeInAVisitHeaderIsRefusedByName() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let p = try clinic.addPatient("Jo", "Smith")
        let error = caught {
            try clinic.db.write { tx in
                try tx.insertVisit(Visit(patientID: p.id!, practitionerID: clinic.practitioner.id!, startedAt: moment(testToday),
                                         pain: PainScores(now: NPRS(unchecked: 11))), actor: "test")
            }
        } as? StoreError
        #expect(error?.invalidFields == ["pain.now"])
        let v = try clinic.addVisit(patient: p)
        var edited = v
        edited.pain.worst = NPRS(unchecked: -1)
        edited.psfs = [PSFSItem(activity: "Running", score: PSFSScore(unchecked: 12))]
        let update = caught { try clinic.db.write { tx in try tx.updateVisitHeader(edited, actor: "test") } } as? StoreError
        #expect(Set(update?.invalidFields ?? []) == ["pain.worst", "psfs[0].score"])
    }

    @Test func unknownMuscleIsRefusedByName() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let v = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"))
        let error = caught {
            try clinic.db.write { tx in
                try tx.insertTriggerPoint(TriggerPointFinding(muscleID: "musculus-imaginarius", side: .left, activity: .active),
                                          visitID: v.id!, actor: "test")
            }
        } as? StoreError
        #expect(error?.invalidFields == ["muscle"])
    }

    @Test func moreNeedlesRemovedThanInsertedIsRefusedByName() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let v = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"), needles: 2, removed: 0)
        let insert = caught {
            try clinic.db.write { tx in try tx.insertNeedling(Clinic.needling(2, removed: 3), visitID: v.id!, actor: "test") }
        } as? StoreError
        #expect(insert?.invalidFields == ["needlesRemoved"])
        let update = caught {
            try clinic.db.write { tx in try tx.updateNeedlesRemoved(entryID: v.needling[0].id!, removed: 3, actor: "test") }
        } as? StoreError
        #expect(update?.invalidFields == ["needlesRemoved"])
        let count = try #require(try clinic.db.read { try $0.visit(id: v.id!) }).needleCount
        #expect(count.inserted == 2 && count.removed == 0)
    }

    @Test func needleGaugeOutOfRangeIsRefusedByName() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let v = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"))
        let error = caught {
            try clinic.db.write { tx in try tx.insertNeedling(Clinic.needling(1, removed: 1, gauge: 0.5), visitID: v.id!, actor: "test") }
        } as? StoreError
        #expect(error?.invalidFields == ["needle.gauge"])
        #expect(try clinic.db.read { try $0.visit(id: v.id!) }?.needling.isEmpty == true)
    }
}
