import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore
import ClinicTestSupport

/// A whole clinic loaded into an empty database (`knot init --from`, `knot import` of an export
/// into an empty clinic) builds its full-text entries and the per-patient tables' secondary
/// indexes once, at the end of its one transaction. What the clinic relies on: the database ends exactly
/// as one made the normal way (the same schema text, the same index, full-text and prefix
/// contents, search finding the same patients), and a refused import leaves the schema whole.
@Suite struct NewClinicBulkLoadTests {
    /// A synthetic clinic written the normal way (patient by patient, every index in place) and
    /// its export with the audit trail.
    static let source: (dir: TemporaryDirectory, database: String, export: String) = {
        let dir = TemporaryDirectory(prefix: "knot-bulk-load")
        let path = dir.file("clinic.sqlite")
        let db = try! ClinicDatabase(path: path)
        _ = try! SyntheticClinic.generate(into: db, patients: 60, visitsPerPatient: 2, seed: 11,
                                          today: try! LocalDate(year: 2026, month: 6, day: 30))
        let export = dir.file("clinic.xml")
        _ = try! ClinicSession.maintenance(database: db, actor: "test").export(to: export)
        try! db.close()
        return (dir, path, export)
    }()

    /// The schema as `sqlite_master` holds it (every table, index and trigger, with its SQL),
    /// sorted by kind and name: dropping and making an index again moves its row in the table.
    static func schema(_ path: String) throws -> [[String]] {
        try SQLiteProbe.query(path, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name")
    }

    /// What search reads: each patient's full-text entry and search-prefix rows, and the
    /// contents of every secondary index (each index's columns read through that index).
    static func searchContents(_ path: String) throws -> [String: [[String]]] {
        var contents: [String: [[String]]] = [
            "fts": try SQLiteProbe.query(path, "SELECT rowid, names, record_number, phone, dob FROM patient_fts ORDER BY rowid"),
            "prefix": try SQLiteProbe.query(path, "SELECT prefix, sort_name, patient_id, archived FROM patient_search_prefix ORDER BY 1, 2, 3"),
        ]
        for name in StoreTransaction.indexesBuiltAfterLoad.union(StoreTransaction.indexesBuiltAfterCommit) {
            guard let row = try SQLiteProbe.query(path, "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name = '\(name)'").first else { continue }
            // Every column the index holds: its own, then the row's key (rowid, or a WITHOUT ROWID table's primary key).
            let columns = try SQLiteProbe.query(path, "SELECT coalesce(name, 'rowid') FROM pragma_index_xinfo('\(name)') ORDER BY seqno")
                .map { $0[0] }.joined(separator: ", ")
            // A partial index is read with its own condition.
            let partial = row[1].range(of: " WHERE ").map { String(row[1][$0.lowerBound...]) } ?? ""
            contents[name] = try SQLiteProbe.query(path, "SELECT \(columns) FROM \(row[0]) INDEXED BY \(name)\(partial) ORDER BY \(columns)")
        }
        return contents
    }

    /// The checks SQLite and FTS5 make of their own structures: every index holds exactly its
    /// table's rows, the full-text index its entries.
    static func integrity(_ path: String) throws -> [String] {
        try SQLiteProbe.query(path, "PRAGMA integrity_check").map { $0[0] }
            + [try SQLiteProbe.python("""
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1])
                c.execute("INSERT INTO patient_fts(patient_fts) VALUES('integrity-check')")
                print("fts ok")
                """, [path]).trimmingCharacters(in: .whitespacesAndNewlines)]
    }

    /// What a few searches find, by record number, on `database`.
    static func found(_ database: any ClinicRecordStore) throws -> [String: [String]] {
        let session = ClinicSession.maintenance(database: database, actor: "test")
        var found: [String: [String]] = [:]
        for query in ["a", "ma", "smi", "19", "0", "j s"] {
            found[query] = try session.searchPatients(query, includeArchived: true).map(\.recordNumber)
        }
        return found
    }

    @Test("init --from: the schema, indexes, full-text and prefix rows are those of the clinic made the normal way; search finds the same")
    func initFromMatchesNormalPath() throws {
        let dir = TemporaryDirectory(prefix: "knot-bulk-load-init")
        let path = dir.file("copy.sqlite")
        let (session, outcome) = try ClinicSession.createClinic(at: path, fromExport: Self.source.export, handle: nil)
        #expect(outcome.status == .created, "\(outcome.detail)")
        let foundHere = try Self.found(session.database)
        try session.database.close()
        let original = try ClinicDatabase(path: Self.source.database)
        let foundThere = try Self.found(original)
        try original.close()
        #expect(!(foundThere["a"] ?? []).isEmpty)
        #expect(foundHere == foundThere)
        #expect(try Self.schema(path) == Self.schema(Self.source.database))
        #expect(try Self.searchContents(path) == Self.searchContents(Self.source.database))
        #expect(try Self.integrity(path) == ["ok", "fts ok"])
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM patient_fts_hold") == "0")
    }

    @Test("knot import of the export into an empty clinic: the same schema and search contents, the audit chain intact, a change made afterwards found")
    func importIntoEmptyMatchesNormalPath() throws {
        let dir = TemporaryDirectory(prefix: "knot-bulk-load-import")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        let session = ClinicSession.maintenance(database: db, actor: "test")
        let outcome = session.importFile(Self.source.export)
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(try session.verifyAudit().isIntact)
        try db.close()
        #expect(try Self.schema(path) == Self.schema(Self.source.database))
        #expect(try Self.searchContents(path) == Self.searchContents(Self.source.database))
        #expect(try Self.integrity(path) == ["ok", "fts ok"])
        // A row changed outside Knot afterwards is still found.
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE patient SET phone = '0400 000 000' WHERE id = (SELECT min(id) FROM patient)")
            c.commit()
            """, [path])
        let reopened = try ClinicDatabase(path: path)
        defer { try? reopened.close() }
        let verified = try ClinicSession.maintenance(database: reopened, actor: "test").verifyAudit()
        #expect(!verified.isIntact, "a row changed with sqlite3 after the load was not found")
    }

    @Test("an import into an empty clinic refused after its records were loaded: nothing written, every index and trigger back")
    func refusedAfterLoadLeavesSchemaWhole() throws {
        let dir = TemporaryDirectory(prefix: "knot-bulk-load-refused")
        // The last audit event (read after every patient was written) no longer chains.
        let text = try String(contentsOfFile: Self.source.export, encoding: .utf8)
        let hash = try #require(text.range(of: " hash=\"", options: .backwards))
        let edited = dir.file("clinic.xml")
        try text.replacingCharacters(in: hash, with: " hash=\"XYZ").write(toFile: edited, atomically: true, encoding: .utf8)
        let fresh = dir.file("fresh.sqlite"), path = dir.file("clinic.sqlite")
        try ClinicDatabase(path: fresh).close()
        let db = try ClinicDatabase(path: path)
        var options = ImportOptions()
        options.untrusted = true
        let outcome = ClinicSession.maintenance(database: db, actor: "test").importFile(edited, options: options)
        try db.close()
        #expect(outcome.status == .rejected, "\(outcome.detail)")
        #expect(try SQLiteProbe.scalar(path, "SELECT (SELECT count(*) FROM patient) + (SELECT count(*) FROM patient_fts) + (SELECT count(*) FROM patient_search_prefix) + (SELECT count(*) FROM patient_fts_hold)") == "0")
        #expect(try Self.schema(path) == Self.schema(fresh))
        #expect(try Self.schema(path) == Self.schema(Self.source.database))
        // The clinic then takes the export as any empty clinic does.
        let again = try ClinicDatabase(path: path)
        defer { try? again.close() }
        #expect(ClinicSession.maintenance(database: again, actor: "test").importFile(Self.source.export).status == .created)
    }

    @Test("the full-text statement is the insert trigger's own, read as one INSERT ... SELECT")
    func searchFillStatement() throws {
        let trigger = """
            CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient WHEN NOT EXISTS (SELECT 1 FROM patient_fts_hold) BEGIN
              INSERT INTO patient_fts(rowid, names) VALUES (NEW.id, NEW.given_names || ' ' || coalesce(NEW.preferred_name, ''));
            END
            """
        #expect(StoreTransaction.searchFillStatement(insertTrigger: trigger)
                == "INSERT INTO patient_fts(rowid, names) SELECT NEW.id, NEW.given_names || ' ' || coalesce(NEW.preferred_name, '') FROM patient AS NEW ORDER BY NEW.id")
        // Two statements, or another shape: not read (the load then leaves the trigger as it is).
        #expect(StoreTransaction.searchFillStatement(insertTrigger: trigger.replacingOccurrences(of: "END", with: "SELECT 1; END")) == nil)
        #expect(StoreTransaction.searchFillStatement(insertTrigger: "CREATE TRIGGER t AFTER INSERT ON patient BEGIN DELETE FROM x; END") == nil)
    }
}
