import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// Tamper evidence: edits made with sqlite3 behind Knot's back (triggers dropped or not) are
/// named by table, row and column by `audit verify`; the demo clinic, a backup and an
/// export/import round trip raise no false alarm.
@Suite struct TamperEvidenceTests {
    /// The demo clinic, built once and copied for each test (same clinic id, so the same key).
    static let template: String = {
        let dir = try! TemporaryDirectory()
        let path = dir.file("demo.sqlite")
        let db = try! ClinicDatabase(path: path)
        _ = try! DemoClinic.load(into: db, actor: "demo", today: testToday)
        try! db.checkpoint()
        try! db.close()
        return path
    }()

    /// A private copy of the demo clinic, edited directly with `sql` (as sqlite3 would).
    static func tampered(_ sql: String, dropTriggers: Bool = false) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let path = dir.file("clinic.sqlite")
        try FileManager.default.copyItem(atPath: template, toPath: path)
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            if dropTriggers {
                for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'patient_fts%'") {
                    try db.execute(sql: "DROP TRIGGER \(name.quotedDatabaseIdentifier)")
                }
            }
            try db.execute(sql: sql)
        }
        try queue.close()
        return (dir, path)
    }

    static func verify(_ path: String, anchor: AuditAnchor? = nil) throws -> AuditVerification {
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        return try db.read { try $0.verifyAudit(anchor: anchor) }
    }

    static func expectFinding(_ v: AuditVerification, table: String, column: String? = nil, kind: TamperFinding.Kind = .changed,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!v.isIntact, sourceLocation: sourceLocation)
        let hit = v.rowFindings.contains { $0.table == table && $0.kind == kind && (column.map { c in $0.columns == [c] } ?? true) }
        #expect(hit, "expected \(kind) in \(table).\(column ?? "*"); found \(v.rowFindings.map(\.description)) \(v.sealProblems)",
                sourceLocation: sourceLocation)
    }

    @Test("the demo clinic verifies whole, with every row sealed and the chain keyed")
    func demoClinicIsIntact() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        defer { dir.remove() }
        let v = try Self.verify(path)
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        #expect(v.keyedFrom == 1)
        #expect(v.rowsChecked > 500)
        #expect(v.rowFindings.isEmpty && v.sealProblems.isEmpty)
    }

    @Test("a patient's birth date changed with sqlite3 is named by table, row and column")
    func birthDate() throws {
        let (dir, path) = try Self.tampered("UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = 3")
        defer { dir.remove() }
        let v = try Self.verify(path)
        Self.expectFinding(v, table: "patient", column: "date_of_birth")
        #expect(v.rowFindings.first?.rowID == 3)
        #expect(v.firstProblem?.contains("patient row 3: column date_of_birth changed outside Knot") == true)
    }

    @Test("a practitioner's role changed with sqlite3")
    func role() throws {
        let (dir, path) = try Self.tampered("UPDATE practitioner SET role = 'reception' WHERE id = (SELECT min(id) FROM practitioner WHERE role = 'practitioner')")
        defer { dir.remove() }
        Self.expectFinding(try Self.verify(path), table: "practitioner", column: "role")
    }

    @Test("an alert dismissed with sqlite3")
    func alertDismissed() throws {
        let (dir, path) = try Self.tampered("UPDATE patient_alert SET status = 'dismissed' WHERE id = (SELECT min(id) FROM patient_alert WHERE status <> 'dismissed')")
        defer { dir.remove() }
        Self.expectFinding(try Self.verify(path), table: "patient_alert", column: "status")
    }

    @Test("a consent changed with sqlite3")
    func consent() throws {
        let (dir, path) = try Self.tampered("UPDATE consent SET risks = 'none discussed' WHERE id = (SELECT min(id) FROM consent)")
        defer { dir.remove() }
        Self.expectFinding(try Self.verify(path), table: "consent", column: "risks")
    }

    @Test("a referral's original letter swapped with sqlite3")
    func referralLetter() throws {
        let (dir, path) = try Self.tampered("UPDATE referral SET original_letter = CAST('<forged/>' AS BLOB) WHERE id = (SELECT min(id) FROM referral)")
        defer { dir.remove() }
        Self.expectFinding(try Self.verify(path), table: "referral", column: "original_letter")
    }

    @Test("a signed visit edited with its triggers dropped")
    func signedVisit() throws {
        let (dir, path) = try Self.tampered("UPDATE visit SET complaint = 'nothing' WHERE id = (SELECT min(id) FROM visit WHERE status = 'signed')", dropTriggers: true)
        defer { dir.remove() }
        Self.expectFinding(try Self.verify(path), table: "visit", column: "complaint")
    }

    @Test("a needle count unbalanced with the triggers dropped")
    func needleCount() throws {
        let (dir, path) = try Self.tampered("UPDATE needling_entry SET removed = removed - 1 WHERE id = (SELECT min(id) FROM needling_entry WHERE removed > 0)", dropTriggers: true)
        defer { dir.remove() }
        Self.expectFinding(try Self.verify(path), table: "needling_entry", column: "removed")
    }

    @Test("a row added with sqlite3 has no audited origin; a row deleted leaves its seal")
    func addedAndDeleted() throws {
        let (dir, path) = try Self.tampered("""
            INSERT INTO practitioner (handle, name, profession, role, created_at) VALUES ('mallory', 'Mallory', 'other', 'practitioner', '2026-01-01T00:00:00Z');
            DELETE FROM patient_identifier WHERE id = (SELECT min(id) FROM patient_identifier);
            """, dropTriggers: true)
        defer { dir.remove() }
        let v = try Self.verify(path)
        Self.expectFinding(v, table: "practitioner", kind: .noAuditedOrigin)
        Self.expectFinding(v, table: "patient_identifier", kind: .deleted)
    }

    @Test("the audit tail cut with the head adjusted")
    func tailCut() throws {
        let (dir, path) = try Self.tampered("""
            DELETE FROM audit_event WHERE id > (SELECT max(id) - 7 FROM audit_event);
            UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_event), last_hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1);
            """, dropTriggers: true)
        defer { dir.remove() }
        let v = try Self.verify(path)
        #expect(!v.isIntact)
        #expect(v.sealProblems.contains { $0.contains("were removed outside Knot") }, "\(v.sealProblems)")
        #expect(v.sealProblems.contains { $0.contains("keyed head seal does not match") })
    }

    @Test("the whole trail deleted with its head")
    func trailDeleted() throws {
        let (dir, path) = try Self.tampered("DELETE FROM audit_event; DELETE FROM audit_head;", dropTriggers: true)
        defer { dir.remove() }
        let v = try Self.verify(path)
        #expect(!v.isIntact)
        #expect(v.sealProblems.contains { $0.contains("audit events 1 to") }, "\(v.sealProblems)")
    }

    @Test("an event altered and the whole chain re-hashed (unkeyed SHA-256 recomputed) fails its keyed seal")
    func rehashed() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        defer { dir.remove() }
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY id")
            var prev = AuditChain.genesisHash
            for row in rows {
                var record = StoreTransaction.auditRecord(row)
                if record.event.id == 10 { record.event.detail = "rewritten" }
                let hash = AuditChain.hash(id: record.event.id!, event: record.event, prevHash: prev)
                try db.execute(sql: "UPDATE audit_event SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                               arguments: [record.event.detail, prev, hash, record.event.id])
                prev = hash
            }
            try db.execute(sql: "UPDATE audit_head SET last_hash = ?", arguments: [prev])
        }
        try queue.close()
        let v = try Self.verify(path)
        #expect(!v.isIntact)
        #expect(v.firstProblem == "audit event 10 does not match its keyed seal (the trail was altered or re-hashed outside Knot)")
    }

    @Test("an anchor taken earlier catches a trail cut back to before it")
    func anchor() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        defer { dir.remove() }
        let db = try ClinicDatabase(path: path, create: false)
        let head = try db.read { try $0.auditLog(patientID: nil, limit: 1).first! }
        try db.close()
        let anchor = AuditAnchor(count: head.event.id!, hash: head.hash)
        #expect(try Self.verify(path, anchor: anchor).isIntact)
        #expect(AuditAnchor(parsing: anchor.description) == anchor)
        let wrong = AuditAnchor(count: head.event.id! + 5, hash: head.hash)
        #expect(try Self.verify(path, anchor: wrong).firstProblem?.contains("the trail was cut since the anchor") == true)
    }

    @Test("Knot's own later writes, a backup and an export/import round trip raise no false alarm")
    func noFalseAlarms() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        defer { dir.remove() }
        let db = try ClinicDatabase(path: path, create: false)
        let session = ClinicSession.maintenance(database: db, actor: "test")
        let patient = try db.read { try $0.patientSummaries(includeArchived: false, limit: 1, offset: 0).first! }
        try db.write { tx in
            var p = try tx.patient(id: patient.id)!
            p.phone = "0400 000 000"
            try tx.updatePatient(p, actor: "test")
        }
        var v = try db.read { try $0.verifyAudit() }
        #expect(v.isIntact, "\(v.firstProblem ?? "")")

        try session.backup(to: dir.file("backup.sqlite"))
        v = try Self.verify(dir.file("backup.sqlite"))
        #expect(v.isIntact, "\(v.firstProblem ?? "")")

        let export = dir.file("export.xml")
        _ = try session.export(to: export)
        try db.close()
        let copy = try ClinicDatabase(path: dir.file("imported.sqlite"))
        let outcome = ClinicSession.maintenance(database: copy, actor: "test").importFile(export)
        #expect(outcome.status == .created, "\(outcome.detail)")
        v = try copy.read { try $0.verifyAudit() }
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        #expect(v.rowsChecked > 500)
        try copy.close()
    }
}
