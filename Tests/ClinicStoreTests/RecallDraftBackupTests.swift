import Foundation
import Testing
import ClinicTestSupport
import GRDB
import ClinicModel
@testable import ClinicStore

/// Two sessions editing one draft, and backups (the recall list: RecallListStoreTests, on every store).
@Suite struct RecallDraftBackupTests {
    @Test func aStaleDraftIsNotOverwritten() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let visit = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"))
        let opened = try clinic.db.read { try $0.visitRevision(id: visit.id!) }

        // Session A saves first.
        var a = visit
        a.complaint = "Neck pain, worse turning left"
        let newRevision = try clinic.db.write { tx in try tx.updateVisitHeader(a, expectedRevision: opened, actor: "a") }
        #expect(newRevision == opened + 1)

        // Session B, still holding the old revision, is refused and writes nothing.
        let auditBefore = try clinic.db.read { try $0.verifyAudit().eventsChecked }
        var b = visit
        b.complaint = "Headache"
        let error = caught { try clinic.db.write { tx in try tx.updateVisitHeader(b, expectedRevision: opened, actor: "b") } }
        #expect(error as? StoreError == .draftConflict(visitID: visit.id!))
        #expect(try clinic.db.read { try $0.visit(id: visit.id!) }?.complaint == "Neck pain, worse turning left")
        #expect(try clinic.db.read { try $0.verifyAudit().eventsChecked } == auditBefore)

        // Adding a finding is a save too: a header held from before it is stale.
        let beforeFinding = try clinic.db.read { try $0.visitRevision(id: visit.id!) }
        try clinic.db.write { tx in
            _ = try tx.insertTriggerPoint(TriggerPointFinding(muscleID: "levator-scapulae", side: .right, activity: .latent),
                                          visitID: visit.id!, actor: "a")
        }
        let stale = caught { try clinic.db.write { tx in try tx.updateVisitHeader(a, expectedRevision: beforeFinding, actor: "b") } }
        #expect(stale as? StoreError == .draftConflict(visitID: visit.id!))
    }

    @Test func backupIsAPrivateCopyThatOpens() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.addPatient("Zoë", "Müller")
        try clinic.addPatient("José", "Álvarez", identifiers: [PatientIdentifier(system: .medicare, value: "2123456701")])
        _ = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"), needles: 1)
        let destination = clinic.directory.file("backups/2026-06-30.sqlite")
        try clinic.db.backup(to: destination)
        #expect(posixMode(destination) == 0o600)
        #expect(posixMode(clinic.directory.file("backups")) == 0o700)

        let copy = try ClinicDatabase(path: destination, create: false)
        defer { try? copy.close() }
        let original = try clinic.db.read { try $0.patientSummaries() }
        #expect(original.count == 3)
        #expect(try copy.read { try $0.patientSummaries() } == original)
        #expect(try copy.read { try $0.patient(id: original[0].id) } == clinic.db.read { try $0.patient(id: original[0].id) })
        #expect(try copy.read { try $0.verifyAudit() }.isIntact)
        #expect(try copy.integrityProblems().isEmpty)

        // A second backup to the same place is refused and leaves the first alone.
        let bytes = fileBytes(destination)
        #expect(caught { try clinic.db.backup(to: destination) } is StoreError)
        #expect(fileBytes(destination) == bytes)
    }
}
