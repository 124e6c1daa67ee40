import Foundation
import GRDB
import Testing
import ClinicTestSupport
@testable import ClinicStore

/// Migrations are frozen once shipped: the schema after each one is kept in
/// `Schema/<migration>.txt` (its SQL, as text), so a change to a migration that already ran on a
/// clinic's database (which would leave old and new databases with different schemas) fails
/// here. A new migration adds a new file (`KNOT_UPDATE_GOLDEN=1` writes it); no existing file
/// changes.
@Suite struct SchemaSnapshotTests {
    /// Every table, index, trigger and view, as SQLite stores its SQL, in a stable order
    /// (internal `sqlite_` objects and the FTS shadow tables SQLite makes itself left out).
    static func schema(_ db: Database) throws -> String {
        let rows = try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL
            ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name
            """)
        return rows.map { row -> String in
            let type: String = row["type"], name: String = row["name"], table: String = row["tbl_name"], sql: String = row["sql"]
            return "-- \(type) \(name) on \(table)\n\(sql);\n"
        }.joined(separator: "\n")
    }

    @Test("the schema after every migration is the one committed for it")
    func schemaAfterEachMigration() throws {
        let migrations = ClinicMigrations.knownMigrations
        #expect(migrations.count >= 16)
        let queue = try DatabaseQueue()
        for name in migrations {
            try ClinicMigrations.migrator.migrate(queue, upTo: name)
            let sql = try queue.read { try Self.schema($0) }
            expectGolden(sql, named: name + ".txt", folder: "Schema")
        }
    }

    @Test("no schema file is left for a migration that is not registered")
    func everySnapshotHasItsMigration() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schema")
        let expected = Set(ClinicMigrations.knownMigrations.map { $0 + ".txt" })
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") })
        #expect(files == expected)
    }

    @Test("treatment.kind refuses a value that is not a treatment kind, as a CHECK would")
    func treatmentKindIsChecked() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let visit = try clinic.addVisit(patient: try clinic.addPatient("Jo", "Smith"))
        try clinic.db.close()
        // Another program writing the file directly, as `sqlite3` would.
        let raw = try clinic.raw()
        defer { try? raw.close() }
        let insert = "INSERT INTO treatment (visit_id, kind) VALUES (?, ?)"
        let refused = #expect(throws: DatabaseError.self) {
            try raw.write { try $0.execute(sql: insert, arguments: [visit.id!, "cupping"]) }
        }
        #expect(refused?.message?.contains("treatment.kind") == true, "\(String(describing: refused))")
        try raw.write { try $0.execute(sql: insert, arguments: [visit.id!, "exercise"]) }
        #expect(throws: DatabaseError.self) {
            try raw.write { try $0.execute(sql: "UPDATE treatment SET kind = 'Exercise' WHERE visit_id = ?", arguments: [visit.id!]) }
        }
        #expect(try raw.read { try String.fetchAll($0, sql: "SELECT kind FROM treatment") } == ["exercise"])
    }
}
