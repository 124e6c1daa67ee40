import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicStore
import ClinicTestSupport

/// Tamper evidence: edits made with sqlite3 behind Knot's back (triggers dropped or not) are
/// named by table, row and column by `audit verify`; the demo clinic, a backup and an
/// export/import round trip raise no false alarm.
@Suite struct TamperEvidenceTests {
    /// The demo clinic, built once and copied for each test (same clinic id, so the same key).
    static let template: (TemporaryDirectory, String) = {
        let dir = TemporaryDirectory(prefix: "knot-tamper-template")
        let path = dir.file("demo.sqlite")
        let db = try! ClinicDatabase(path: path)
        _ = try! DemoClinic.load(into: db, actor: "demo", today: try! LocalDate(year: 2026, month: 6, day: 30))
        try! db.checkpoint()
        try! db.close()
        return (dir, path)
    }()

    /// Runs `script` in python3 with the database path as `path` and sqlite3 imported.
    static func python(_ path: String, _ script: String) throws {
        let file = path + ".edit.py"
        try ("import sqlite3, sys\npath = sys.argv[1]\n" + script).write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [file, path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "python3: \(message)")
    }

    /// A private copy of the demo clinic, edited directly with `sql` (as sqlite3 would).
    static func tampered(_ sql: String, dropTriggers: Bool = false) throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory(prefix: "knot-tamper")
        let path = dir.file("clinic.sqlite")
        try FileManager.default.copyItem(atPath: template.1, toPath: path)
        let literal = sql.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "")
        try python(path, """
            con = sqlite3.connect(path, isolation_level=None)
            if \(dropTriggers ? "True" : "False"):
                for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'patient_fts%'").fetchall():
                    con.execute('DROP TRIGGER "%s"' % name)
            con.executescript(\"\"\"\(literal)\"\"\")
            con.close()
            """)
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
        let hit = v.rowFindings.contains { (f: TamperFinding) -> Bool in
            f.table == table && f.kind == kind && (column == nil || f.columns.contains(column!))
        }
        #expect(hit, "expected \(kind) in \(table).\(column ?? "*"); found \(v.rowFindings.map(\.description)) \(v.sealProblems)",
                sourceLocation: sourceLocation)
    }

    @Test("the demo clinic verifies whole, with every row sealed and the chain keyed")
    func demoClinicIsIntact() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        _ = dir
        let v = try Self.verify(path)
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        #expect(v.keyedFrom == 1)
        #expect(v.rowsChecked > 500)
        #expect(v.rowFindings.isEmpty && v.sealProblems.isEmpty)
    }

    @Test("a patient's birth date changed with sqlite3 is named by table, row and column")
    func birthDate() throws {
        let (dir, path) = try Self.tampered("UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = 3")
        _ = dir
        let v = try Self.verify(path)
        Self.expectFinding(v, table: "patient", column: "date_of_birth")
        #expect(v.rowFindings.first?.rowID == 3)
        #expect(v.firstProblem?.contains("patient row 3: column date_of_birth changed outside Knot") == true)
    }

    @Test("a practitioner's role changed with sqlite3")
    func role() throws {
        let (dir, path) = try Self.tampered("UPDATE practitioner SET role = 'reception' WHERE id = (SELECT min(id) FROM practitioner WHERE role = 'practitioner')")
        _ = dir
        Self.expectFinding(try Self.verify(path), table: "practitioner", column: "role")
    }

    @Test("an alert dismissed with sqlite3")
    func alertDismissed() throws {
        let (dir, path) = try Self.tampered("UPDATE patient_alert SET status = 'dismissed', dismiss_reason = 'not relevant any more' WHERE id = (SELECT min(id) FROM patient_alert WHERE status <> 'dismissed')")
        _ = dir
        Self.expectFinding(try Self.verify(path), table: "patient_alert", column: "status")
    }

    @Test("a consent changed with sqlite3")
    func consent() throws {
        let (dir, path) = try Self.tampered("UPDATE consent SET risks = 'none discussed' WHERE id = (SELECT min(id) FROM consent)")
        _ = dir
        Self.expectFinding(try Self.verify(path), table: "consent", column: "risks")
    }

    @Test("a referral's original letter swapped with sqlite3")
    func referralLetter() throws {
        let (dir, path) = try Self.tampered("UPDATE referral SET original_letter = CAST('<forged/>' AS BLOB) WHERE id = (SELECT min(id) FROM referral)")
        _ = dir
        Self.expectFinding(try Self.verify(path), table: "referral", column: "original_letter")
    }

    @Test("a signed visit edited with its triggers dropped")
    func signedVisit() throws {
        let (dir, path) = try Self.tampered("UPDATE visit SET complaint = 'nothing' WHERE id = (SELECT min(id) FROM visit WHERE status = 'signed')", dropTriggers: true)
        _ = dir
        Self.expectFinding(try Self.verify(path), table: "visit", column: "complaint")
    }

    @Test("a needle count unbalanced with the triggers dropped")
    func needleCount() throws {
        let (dir, path) = try Self.tampered("UPDATE needling_entry SET removed = removed - 1 WHERE id = (SELECT min(id) FROM needling_entry WHERE removed > 0)", dropTriggers: true)
        _ = dir
        Self.expectFinding(try Self.verify(path), table: "needling_entry", column: "removed")
    }

    @Test("a row added with sqlite3 has no audited origin; a row deleted leaves its seal")
    func addedAndDeleted() throws {
        let (dir, path) = try Self.tampered("""
            INSERT INTO practitioner (handle, name, profession, role, created_at) VALUES ('mallory', 'Mallory', 'other', 'practitioner', '2026-01-01T00:00:00Z');
            DELETE FROM patient_identifier WHERE id = (SELECT min(id) FROM patient_identifier);
            """, dropTriggers: true)
        _ = dir
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
        _ = dir
        let v = try Self.verify(path)
        #expect(!v.isIntact)
        #expect(v.sealProblems.contains { $0.contains("were removed outside Knot") }, "\(v.sealProblems)")
        #expect(v.sealProblems.contains { $0.contains("keyed head seal does not match") })
    }

    @Test("the whole trail deleted with its head")
    func trailDeleted() throws {
        let (dir, path) = try Self.tampered("DELETE FROM audit_event; DELETE FROM audit_head;", dropTriggers: true)
        _ = dir
        let v = try Self.verify(path)
        #expect(!v.isIntact)
        #expect(v.sealProblems.contains { $0.contains("audit events 1 to") }, "\(v.sealProblems)")
    }

    @Test("an event altered and the whole chain re-hashed (unkeyed SHA-256 recomputed) fails its keyed seal")
    func rehashed() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        _ = dir
        // Recompute the unkeyed chain after changing event 10, as anyone could.
        let db = try ClinicDatabase(path: path, create: false)
        let events = try db.read { try $0.auditLog(patientID: nil, limit: 1_000_000) }.reversed()
        try db.close()
        var prev = AuditChain.genesisHash
        var updates: [String] = []
        for var record in events {
            if record.event.id == 10 { record.event.detail = "rewritten" }
            let hash = AuditChain.hash(id: record.event.id!, event: record.event, prevHash: prev)
            updates.append("(\(record.event.id!), '\(prev)', '\(hash)')")
            prev = hash
        }
        try Self.python(path, """
            con = sqlite3.connect(path, isolation_level=None)
            con.execute("DROP TRIGGER audit_no_update")
            con.execute("UPDATE audit_event SET detail = 'rewritten' WHERE id = 10")
            for (i, p, h) in [\(updates.joined(separator: ","))]:
                con.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", (p, h, i))
            con.execute("UPDATE audit_head SET last_hash = ?", ("\(prev)",))
            con.close()
            """)
        let v = try Self.verify(path)
        #expect(!v.isIntact)
        #expect(v.firstProblem == "audit event 10 does not match its keyed seal (the trail was altered or re-hashed outside Knot)")
    }

    @Test("an anchor taken earlier catches a trail cut back to before it")
    func anchor() throws {
        let (dir, path) = try Self.tampered("SELECT 1")
        _ = dir
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
        _ = dir
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

        // Knot's own write, sealed as it commits.
        _ = session
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
