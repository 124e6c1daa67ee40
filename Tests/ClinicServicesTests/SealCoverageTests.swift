import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Tamper evidence, continued: rows of tables without rowid (settings, templates, form drafts)
/// are sealed by primary key; a schema upgrade's re-sealing keeps what it found instead of hiding
/// it; `audit verify` resumes the chain from a keyed checkpoint and still re-reads every row.
@Suite struct SealCoverageTests {
    typealias T = TamperEvidenceTests

    /// A copy of the demo clinic with a setting, a template and a form draft written by Knot.
    static func clinicWithSettings() throws -> (TemporaryDirectory, String) {
        let (dir, path) = try T.tampered("SELECT 1")
        let db = try ClinicDatabase(path: path, create: false)
        try db.write { tx in
            try tx.setClinicSetting(name: ClinicSettingName.emergencyNumber, value: "000", actor: "test")
            try tx.setClinicSetting(name: ClinicSettingName.phone, value: "02 9555 0100", actor: "test")
            try tx.setLetterTemplate(name: "referrer.closing", body: "Kind regards,", actor: "test")
        }
        try db.close()
        return (dir, path)
    }

    static func edit(_ path: String, _ sql: String) throws {
        let literal = sql.replacingOccurrences(of: "\\", with: "\\\\")
        try T.python(path, """
            con = sqlite3.connect(path, isolation_level=None)
            con.executescript(\"\"\"\(literal)\"\"\")
            con.close()
            """)
    }

    @Test("Knot's own writes to settings and templates are sealed: no false alarm")
    func settingsSealed() throws {
        let (dir, path) = try Self.clinicWithSettings()
        _ = dir
        let v = try T.verify(path)
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        // Changing and removing a setting through Knot re-seals and forgets the seal.
        let db = try ClinicDatabase(path: path, create: false)
        try db.write { tx in
            try tx.setClinicSetting(name: ClinicSettingName.emergencyNumber, value: "112", actor: "test")
            try tx.removeClinicSetting(name: ClinicSettingName.phone, actor: "test")
        }
        try db.close()
        let again = try T.verify(path)
        #expect(again.isIntact, "\(again.firstProblem ?? "") \(again.rowFindings.map(\.description))")
    }

    @Test("the emergency number changed with sqlite3 is named by table, key and column")
    func emergencyNumber() throws {
        let (dir, path) = try Self.clinicWithSettings()
        _ = dir
        try Self.edit(path, "UPDATE clinic_setting SET value = '911' WHERE name = 'emergency_number'")
        let v = try T.verify(path)
        T.expectFinding(v, table: "clinic_setting", column: "value")
        let f = try #require(v.rowFindings.first { $0.table == "clinic_setting" })
        #expect(f.key == "[\"emergency_number\"]")
        #expect(f.description == "clinic_setting row 'emergency_number': column value changed outside Knot (no longer matches its last audited write)")
    }

    @Test("a template's wording changed, a setting added and one deleted with sqlite3")
    func templateAndSettings() throws {
        let (dir, path) = try Self.clinicWithSettings()
        _ = dir
        try Self.edit(path, """
            UPDATE letter_template SET body = 'Pay cash only.' WHERE name = 'referrer.closing';
            INSERT INTO clinic_setting (name, value) VALUES ('website', 'https://evil.example');
            DELETE FROM clinic_setting WHERE name = 'phone';
            """)
        let v = try T.verify(path)
        T.expectFinding(v, table: "letter_template", column: "body")
        T.expectFinding(v, table: "clinic_setting", kind: .noAuditedOrigin)
        T.expectFinding(v, table: "clinic_setting", kind: .deleted)
        #expect(v.rowFindings.contains { $0.kind == .noAuditedOrigin && $0.key == "[\"website\"]" })
        #expect(v.rowFindings.contains { $0.kind == .deleted && $0.key == "[\"phone\"]" })
    }

    @Test("a keyed seal rewritten to match the edit fails under the clinic key")
    func keyedSealForged() throws {
        let (dir, path) = try Self.clinicWithSettings()
        _ = dir
        try Self.edit(path, """
            UPDATE clinic_setting SET value = '911' WHERE name = 'emergency_number';
            UPDATE row_key_seal SET columns = zeroblob(length(columns)) WHERE tbl = 'clinic_setting' AND row_key = '["emergency_number"]';
            """)
        let v = try T.verify(path)
        T.expectFinding(v, table: "clinic_setting", kind: .forgedSeal)
    }

    @Test("an edit made before a schema upgrade is kept as a finding, not re-sealed away")
    func editBeforeUpgradeIsKept() throws {
        let (dir, path) = try T.tampered("SELECT 1")
        _ = dir
        // The clinic as the Knot before `v5-keyed-seals` left it, then a birth date edited.
        try Self.edit(path, """
            DROP TABLE row_key_seal; DROP TABLE tamper_finding; DROP TABLE audit_checkpoint;
            DELETE FROM grdb_migrations WHERE identifier = 'v5-keyed-seals';
            UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = 3;
            """)
        // Opening runs the migration and re-seals every row.
        let db = try ClinicDatabase(path: path, create: false)
        #expect(try db.appliedMigrations().contains("v5-keyed-seals"))
        let events = try db.read { try $0.auditLog(patientID: nil, limit: 5) }
        try db.close()
        #expect(events.contains { $0.event.entity == "tamper_finding" && ($0.event.detail ?? "").contains("patient row 3: column date_of_birth") },
                "\(events.map { $0.event.detail ?? "" })")

        for _ in 0..<2 {  // and on every later verification
            let v = try T.verify(path)
            #expect(!v.isIntact)
            let f = try #require(v.rowFindings.first { $0.table == "patient" })
            #expect(f.rowID == 3 && f.columns == ["date_of_birth"] && f.kind == .changed && f.recordedAt != nil)
            #expect(f.description.contains("found before the schema upgrade of"))
            #expect(v.sealProblems.isEmpty, "\(v.sealProblems)")
        }

        // The kept finding is itself sealed: deleting it with sqlite3 shows.
        try Self.edit(path, "DELETE FROM tamper_finding")
        T.expectFinding(try T.verify(path), table: "tamper_finding", kind: .deleted)
    }

    @Test("audit verify resumes from its keyed checkpoint; an old event edited or a forged checkpoint makes it walk the whole chain")
    func checkpoint() throws {
        let (dir, path) = try T.tampered("SELECT 1")
        _ = dir
        let db = try ClinicDatabase(path: path, create: false)
        let session = ClinicSession.maintenance(database: db, actor: "test")
        let first = try session.verifyAudit()
        #expect(first.isIntact && first.resumedFrom == nil)
        let cut = try #require(first.checkpoint?.eventID)
        // Knot writes more; the next run resumes after the checkpoint and still checks every row.
        let patient = try db.read { try $0.patientSummaries(includeArchived: false, limit: 1, offset: 0).first! }
        try db.write { tx in
            var p = try tx.patient(id: patient.id)!
            p.phone = "0400 000 001"
            try tx.updatePatient(p, actor: "test")
        }
        let second = try session.verifyAudit()
        #expect(second.isIntact, "\(second.firstProblem ?? "")")
        #expect(second.resumedFrom == cut)
        #expect(second.eventsChecked > Int(cut))
        #expect(second.rowsChecked == first.rowsChecked)
        let third = try session.verifyAudit()
        #expect(third.resumedFrom == second.checkpoint?.eventID)
        try db.close()

        // A row edited after the checkpoint is still found: rows are re-read every run.
        try Self.edit(path, "UPDATE patient SET family_name = 'Nobody' WHERE id = 2")
        T.expectFinding(try T.verify(path), table: "patient", column: "family_name")

        // An event before the checkpoint edited (trigger dropped): no resuming, the edit is named.
        try Self.edit(path, "DROP TRIGGER audit_no_update; UPDATE audit_event SET detail = 'rewritten' WHERE id = 5")
        let v = try T.verify(path)
        #expect(v.resumedFrom == nil)
        #expect(v.firstProblem == "audit event 5 was altered (its hash does not match its contents)", "\(v.firstProblem ?? "")")

        // A checkpoint rewritten outside Knot is named.
        let (dir2, path2) = try T.tampered("SELECT 1")
        _ = dir2
        let db2 = try ClinicDatabase(path: path2, create: false)
        _ = try ClinicSession.maintenance(database: db2, actor: "test").verifyAudit()
        try db2.close()
        try Self.edit(path2, "UPDATE audit_checkpoint SET event_id = event_id - 1")
        let forged = try T.verify(path2)
        #expect(forged.resumedFrom == nil)
        #expect(forged.sealProblems.contains { $0.contains("verification checkpoint") }, "\(forged.sealProblems)")
    }
}
