import Foundation
import Testing
import ClinicTestSupport
import GRDB
import ClinicModel
@testable import ClinicStore

/// The recall list, two sessions editing one draft, and backups.
@Suite struct RecallDraftBackupTests {
    static func plan(_ clinic: Clinic, after visit: Visit, review: LocalDate?, status: FollowUpPlan.Status = .final) throws {
        try clinic.db.write { tx in
            try tx.signVisit(id: visit.id!, at: visit.startedAt.addingTimeInterval(1800), actor: "test")
            try tx.insertPlan(FollowUpPlan(visitID: visit.id!, status: status, reviewDate: review,
                                           items: [.init(section: .review, text: "Review")]), actor: "test")
        }
    }

    @Test func reviewsDueListsOnlyPatientsWhoseLatestFinalPlanIsDueAndNotYetSeen() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let t = testToday
        // Due: review passed, no visit since.
        let overdue = try clinic.addPatient("Ava", "Overdue")
        try Self.plan(clinic, after: try clinic.addVisit(patient: overdue, day: t.adding(days: -60)), review: t.adding(days: -20))
        // Due today.
        let dueToday = try clinic.addPatient("Dan", "Duetoday")
        try Self.plan(clinic, after: try clinic.addVisit(patient: dueToday, day: t.adding(days: -14)), review: t)
        // Not yet due.
        let later = try clinic.addPatient("Lee", "Later")
        try Self.plan(clinic, after: try clinic.addVisit(patient: later, day: t.adding(days: -7)), review: t.adding(days: 7))
        // Seen again after the plan: not due.
        let seen = try clinic.addPatient("Sam", "Seenagain")
        try Self.plan(clinic, after: try clinic.addVisit(patient: seen, day: t.adding(days: -40)), review: t.adding(days: -10))
        _ = try clinic.addVisit(patient: seen, day: t.adding(days: -5))
        // Only a draft plan: not on the list.
        let draft = try clinic.addPatient("Di", "Draftplan")
        try Self.plan(clinic, after: try clinic.addVisit(patient: draft, day: t.adding(days: -30)), review: t.adding(days: -3), status: .draft)
        // A newer version of the plan moved the review later: the newest counts.
        let moved = try clinic.addPatient("Max", "Moved")
        let mv = try clinic.addVisit(patient: moved, day: t.adding(days: -30))
        try Self.plan(clinic, after: mv, review: t.adding(days: -2))
        _ = try clinic.db.write { tx in
            try tx.insertPlan(FollowUpPlan(visitID: mv.id!, status: .final, reviewDate: t.adding(days: 10),
                                           items: [.init(section: .review, text: "Review moved")]), actor: "test")
        }
        // Archived: not on the list.
        let archived = try clinic.addPatient("Arch", "Ived")
        try Self.plan(clinic, after: try clinic.addVisit(patient: archived, day: t.adding(days: -60)), review: t.adding(days: -30))
        try clinic.db.write { tx in
            var p = try tx.patient(id: archived.id!)!
            p.archived = true
            try tx.updatePatient(p, actor: "test", today: t)
        }

        let due = try clinic.db.read { try $0.reviewsDue(by: t) }
        #expect(due.map(\.patient.familyName) == ["Overdue", "Duetoday"])
        #expect(due.map(\.reviewDate) == [t.adding(days: -20), t])
        #expect(try clinic.db.read { try $0.reviewsDue(by: t.adding(days: 7)) }.map(\.patient.familyName)
                == ["Overdue", "Duetoday", "Later"])
    }

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
