import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// The whole-clinic import's writer binds visits, their entries, plans and restored audit rows
/// in place and writes their JSON columns directly (issue 19). What the clinic relies on stays:
/// the same records come back out (export, import into an empty clinic, export: the same bytes),
/// every row written is sealed, `knot audit verify` passes, the stored audit head is the last
/// restored event, and a row changed with sqlite3 afterwards is found by table, row and column.
@Suite struct ImportWriterTests {
    static let entryTables = ["visit", "trigger_point", "biomechanical_finding", "treatment", "needling_entry",
                              "outcome_measure", "follow_up_plan"]

    static func verify(_ path: String) throws -> AuditVerification {
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        return try ClinicSession.maintenance(database: db, actor: "test").verifyAudit()
    }

    /// Every row of the visits' tables sealed, and every event keyed; the stored head is the last event.
    static func expectSealed(_ path: String) throws {
        for table in entryTables {
            let unsealed = try SQLiteProbe.scalar(path, """
                SELECT count(*) FROM \(table) WHERE rowid NOT IN (SELECT row_id FROM row_seal WHERE tbl = '\(table)')
                """)
            #expect(unsealed == "0", "\(unsealed ?? "?") \(table) row(s) without a seal")
        }
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_event") == (try SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_mac")))
        let head = try SQLiteProbe.scalar(path, """
            SELECT (SELECT last_id FROM audit_head) = (SELECT max(id) FROM audit_event)
              AND (SELECT last_hash FROM audit_head) = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)
            """)
        #expect(head == "1", "the stored audit head is not the last event")
    }

    @Test("export, knot import into an empty clinic, export: the same bytes; every row sealed, verify intact, a changed row found")
    func importIntoEmptyClinic() throws {
        let dir = TemporaryDirectory(prefix: "knot-import-writer")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        let session = ClinicSession.maintenance(database: db, actor: "test")
        let outcome = session.importFile(WholeClinicExchangeTests.exported.withAudit, options: ImportOptions())
        #expect(outcome.status == .created, "\(outcome.detail)")
        let again = dir.file("again.xml")
        _ = try session.export(to: again, includeAudit: false)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: WholeClinicExchangeTests.exported.withoutAudit))
        try db.close()
        for table in ["visit", "trigger_point", "needling_entry", "follow_up_plan"] {
            #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM \(table)") != "0", "the export has no \(table) rows to check")
        }
        try Self.expectSealed(path)
        let verified = try Self.verify(path)
        #expect(verified.isIntact, "\(verified.firstProblem ?? "")")

        // Changed behind Knot's back after the import (its guards dropped first, as anyone with
        // sqlite3 can): each found, by table, row and column.
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                c.execute('DROP TRIGGER "%s"' % name)
            c.execute("UPDATE visit SET psfs_json = '[]' WHERE id = (SELECT max(id) FROM visit)")
            c.execute("UPDATE needling_entry SET needle_lot = 'X' WHERE id = (SELECT min(id) FROM needling_entry)")
            c.execute("UPDATE trigger_point SET notes = 'changed' WHERE id = (SELECT max(id) FROM trigger_point)")
            c.execute("UPDATE follow_up_plan SET items_json = '[]' WHERE id = (SELECT min(id) FROM follow_up_plan)")
            c.commit()
            """, [path])
        let tampered = try Self.verify(path)
        #expect(!tampered.isIntact)
        for (table, column) in [("visit", "psfs_json"), ("needling_entry", "needle_lot"), ("trigger_point", "notes"), ("follow_up_plan", "items_json")] {
            #expect(tampered.rowFindings.contains { $0.table == table && $0.kind == .changed && $0.columns.contains(column) },
                    "\(table).\(column) not found: \(tampered.rowFindings.map(\.description))")
        }
    }

    @Test("a new clinic from the export (init --from): every row sealed, the head the last event, a restored event changed with sqlite3 found")
    func newClinic() throws {
        let dir = TemporaryDirectory(prefix: "knot-import-writer-new")
        let path = dir.file("copy.sqlite")
        let (session, outcome) = try ClinicSession.createClinic(at: path, fromExport: WholeClinicExchangeTests.exported.withAudit, handle: nil)
        #expect(outcome.status == .created, "\(outcome.detail)")
        try session.database.close()
        try Self.expectSealed(path)
        #expect(try Self.verify(path).isIntact)
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                c.execute('DROP TRIGGER "%s"' % name)
            c.execute("UPDATE audit_event SET detail = 'changed' WHERE id = 5")
            c.execute("UPDATE biomechanical_finding SET notes = 'changed' WHERE id = (SELECT max(id) FROM biomechanical_finding)")
            c.commit()
            """, [path])
        let tampered = try Self.verify(path)
        #expect(!tampered.isIntact)
        #expect(tampered.firstProblem != nil)
    }
}
