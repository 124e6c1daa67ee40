import Foundation
import Testing
import ClinicTestSupport
import GRDB
import ClinicModel
@testable import ClinicStore

/// The schema keeps the clinical invariants even against a program that bypasses Knot and
/// writes raw SQL to the file.
@Suite struct SchemaInvariantTests {
    /// Runs raw SQL through a separate plain connection and returns SQLite's refusal, if any.
    static func rawRefusal(_ clinic: Clinic, _ sql: String, _ arguments: StatementArguments = []) throws -> DatabaseError? {
        let q = try clinic.raw()
        defer { try? q.close() }
        do {
            try q.write { db in try db.execute(sql: sql, arguments: arguments) }
            return nil
        } catch let e as DatabaseError {
            return e
        }
    }

    @Test func checkConstraintsRefuseOutOfRangeValuesWrittenAsRawSQL() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let v = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"), needles: 2, removed: 1)
        let pain = try Self.rawRefusal(clinic, "UPDATE visit SET pain_now = 11 WHERE id = ?", [v.id])
        #expect(pain?.resultCode == .SQLITE_CONSTRAINT)
        #expect(pain?.message?.contains("CHECK") == true)
        let removed = try Self.rawRefusal(clinic, "UPDATE needling_entry SET removed = inserted + 1 WHERE id = ?", [v.needling[0].id])
        #expect(removed?.resultCode == .SQLITE_CONSTRAINT)
        let gauge = try Self.rawRefusal(clinic, "UPDATE needling_entry SET needle_gauge_mm = 0.5 WHERE id = ?", [v.needling[0].id])
        #expect(gauge?.resultCode == .SQLITE_CONSTRAINT)
        let read = try #require(try clinic.db.read { try $0.visit(id: v.id!) })
        #expect(read.pain.now?.value == 6)
        #expect(read.needling[0].needlesRemoved == 1 && read.needling[0].needle.gaugeMm == 0.25)
    }

    @Test func aSignedVisitCannotBeChangedThroughSQL() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let v = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"), needles: 2)
        try clinic.db.write { tx in try tx.signVisit(id: v.id!, actor: "test") }
        let entry = try #require(v.needling.first?.id)
        let attempts: [(String, StatementArguments)] = [
            ("UPDATE visit SET complaint = 'edited after signing' WHERE id = ?", [v.id]),
            ("UPDATE visit SET status = 'draft', signed_at = NULL WHERE id = ?", [v.id]),
            ("""
             INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
               inserted, removed, technique, twitch_responses, sharps_disposed)
             VALUES (?, 'infraspinatus', 'left', 'Seirin', 0.25, 40, 'L1', 1, 1, 'pistoning', 0, 1)
             """, [v.id]),
            ("UPDATE needling_entry SET removed = 1 WHERE id = ?", [entry]),
            ("DELETE FROM needling_entry WHERE id = ?", [entry]),
            ("INSERT INTO trigger_point (visit_id, muscle_id, side, activity, taut_band, local_twitch, referred_pain) VALUES (?, 'soleus', 'left', 'active', 1, 0, 0)", [v.id]),
            ("DELETE FROM trigger_point WHERE visit_id = ?", [v.id]),
        ]
        for (sql, args) in attempts {
            let refusal = try Self.rawRefusal(clinic, sql, args)
            #expect(refusal?.message?.contains("signed visit cannot be changed") == true, "\(sql) was allowed")
        }
        // Through the store the refusal is a typed error, and nothing changed.
        let viaStore = caught {
            try clinic.db.write { tx in try tx.insertTriggerPoint(TriggerPointFinding(muscleID: "soleus", side: .left, activity: .active),
                                                                  visitID: v.id!, actor: "test") }
        }
        guard case .constraint(let message)? = viaStore as? StoreError else {
            Issue.record("expected a constraint error, got \(String(describing: viaStore))"); return
        }
        #expect(message.contains("amend"))
        let read = try #require(try clinic.db.read { try $0.visit(id: v.id!) })
        #expect(read.status == .signed && read.complaint == "Neck pain")
        #expect(read.needling.count == 1 && read.needling[0].needlesRemoved == 2 && read.triggerPoints.count == 1)
    }

    @Test func signingIsRefusedWhileNeedlesAreUnaccountedFor() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let v = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"), needles: 3, removed: 2)
        let auditBefore = try clinic.db.read { try $0.verifyAudit().eventsChecked }
        let error = caught { try clinic.db.write { tx in try tx.signVisit(id: v.id!, actor: "test") } }
        guard case .constraint(let message)? = error as? StoreError else {
            Issue.record("expected a constraint error, got \(String(describing: error))"); return
        }
        #expect(message.contains("needle count does not balance"))
        #expect(try clinic.db.read { try $0.visit(id: v.id!) }?.status == .draft)
        #expect(try clinic.db.read { try $0.verifyAudit().eventsChecked } == auditBefore)
        // Raw SQL cannot sign it either.
        let raw = try Self.rawRefusal(clinic, "UPDATE visit SET status = 'signed', signed_at = '2026-06-30 10:00:00.000' WHERE id = ?", [v.id])
        #expect(raw?.message?.contains("needle count does not balance") == true)
        // Once the last needle is counted out, it signs.
        try clinic.db.write { tx in
            try tx.updateNeedlesRemoved(entryID: v.needling[0].id!, removed: 3, actor: "test")
            try tx.signVisit(id: v.id!, actor: "test")
        }
        #expect(try clinic.db.read { try $0.visit(id: v.id!) }?.status == .signed)
    }

    @Test func clinicalRowsAreNeverDeleted() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let p = try clinic.addPatient("Jo", "Smith", identifiers: [PatientIdentifier(system: .medicare, value: "2123456701")],
                                      alerts: [PatientAlert(kind: .allergy, text: "Latex")])
        let v = try clinic.addVisit(patient: p)
        for (sql, args) in [("DELETE FROM patient WHERE id = ?", [p.id]), ("DELETE FROM visit WHERE id = ?", [v.id]),
                            ("DELETE FROM patient_identifier WHERE patient_id = ?", [p.id]),
                            ("DELETE FROM patient_alert WHERE patient_id = ?", [p.id])] as [(String, StatementArguments)] {
            let refusal = try Self.rawRefusal(clinic, sql, args)
            #expect(refusal?.message?.contains("never deleted") == true, "\(sql) was allowed")
        }
        let read = try #require(try clinic.db.read { try $0.patient(id: p.id!) })
        #expect(read.identifiers.count == 1 && read.alerts.count == 1)
        #expect(try clinic.db.read { try $0.visits(patientID: p.id!) }.count == 1)
    }
}
