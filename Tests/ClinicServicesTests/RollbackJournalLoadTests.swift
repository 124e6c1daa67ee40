import Foundation
import Testing
import ClinicModel
import ClinicServices
@testable import ClinicStore
import ClinicTestSupport

/// A whole-clinic export imported into an empty SQLite clinic is written with SQLite's rollback
/// journal instead of the WAL when the importing process alone has the file
/// (`ClinicDatabase.withRollbackJournal`): each page once, into the file. What a clinic relies on:
/// the clinic ends exactly as one imported in the WAL, it is a WAL clinic again afterwards, a
/// refused import leaves it empty, and another program having the file open makes the import use
/// the WAL as before rather than fail or wait.
@Suite struct RollbackJournalLoadTests {
    /// What the import's writing thread saw of the clinic's files while its transaction was
    /// open: whether the rollback journal (`-journal`) existed, and the WAL's largest size.
    final class JournalWatch: @unchecked Sendable {
        let path: String
        var journalSeen = false
        var walPeak = 0
        init(_ path: String) { self.path = path }
        func look() {
            if FileManager.default.fileExists(atPath: path + "-journal") { journalSeen = true }
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            walPeak = max(walPeak, wal)
        }
    }

    /// Imports `NewClinicBulkLoadTests.source`'s export into the clinic at `path` (empty), watching its files.
    static func importWatched(_ db: ClinicDatabase, path: String, dryRun: Bool = false) -> (ImportOutcome, JournalWatch) {
        let watch = JournalWatch(path)
        var options = ImportOptions()
        options.dryRun = dryRun
        options.recordsProgress = { _ in watch.look() }
        let outcome = ClinicSession.maintenance(database: db, actor: "test").importFile(NewClinicBulkLoadTests.source.export, options: options)
        return (outcome, watch)
    }

    /// Every patient and visit row (but the times the import stamped them with) and every audit
    /// event but the import's own, as stored.
    static func rows(_ path: String) throws -> [[String]] {
        var rows: [[String]] = []
        for table in ["patient", "visit"] {
            let columns = try SQLiteProbe.query(path, "SELECT name FROM pragma_table_info('\(table)') WHERE name NOT LIKE '%\\_at' ESCAPE '\\'")
                .map { $0[0] }.joined(separator: ", ")
            rows += try SQLiteProbe.query(path, "SELECT \(columns) FROM \(table) ORDER BY id")
        }
        return rows + (try SQLiteProbe.query(path, "SELECT id, hash FROM audit_event WHERE id < (SELECT max(id) FROM audit_event) ORDER BY id"))
    }

    @Test("an export into an empty clinic is written through the rollback journal, not the WAL; the clinic is the WAL import's, and a WAL clinic again")
    func rollbackJournalImport() throws {
        let dir = TemporaryDirectory(prefix: "knot-rollback-load")
        // The same export into two empty clinics: one alone (the rollback journal), one with a
        // second connection open on it all along (the WAL, as before).
        let alonePath = dir.file("alone.sqlite"), sharedPath = dir.file("shared.sqlite")
        let alone = try ClinicDatabase(path: alonePath)
        let (aloneOutcome, aloneWatch) = Self.importWatched(alone, path: alonePath)
        try #require(aloneOutcome.status == .created, "\(aloneOutcome.detail)")
        #expect(aloneWatch.journalSeen, "no rollback journal while the import wrote")
        #expect(aloneWatch.walPeak == 0, "the import wrote \(aloneWatch.walPeak) bytes into the WAL")
        // The WAL again, as soon as the import returns, and no journal left beside the file.
        #expect(try alone.read { try String.fetchOne($0.db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(!FileManager.default.fileExists(atPath: alonePath + "-journal"))
        try alone.close()

        let shared = try ClinicDatabase(path: sharedPath)
        let other = try ClinicDatabase(path: sharedPath)
        _ = try other.read { try $0.isEmptyClinic() }
        let (sharedOutcome, sharedWatch) = Self.importWatched(shared, path: sharedPath)
        try #require(sharedOutcome.status == .created, "\(sharedOutcome.detail)")
        #expect(!sharedWatch.journalSeen, "another connection had the file, yet the journal changed")
        #expect(sharedWatch.walPeak > 0)
        try other.close()
        try shared.close()

        #expect(aloneOutcome.detail == sharedOutcome.detail)
        #expect(try SQLiteProbe.scalar(alonePath, "PRAGMA journal_mode") == "wal")
        #expect(try NewClinicBulkLoadTests.schema(alonePath) == NewClinicBulkLoadTests.schema(sharedPath))
        #expect(try Self.rows(alonePath) == Self.rows(sharedPath))
        #expect(try NewClinicBulkLoadTests.searchContents(alonePath) == NewClinicBulkLoadTests.searchContents(sharedPath))
        #expect(try NewClinicBulkLoadTests.integrity(alonePath) == ["ok", "fts ok"])
        let reopened = try ClinicDatabase(path: alonePath)
        defer { try? reopened.close() }
        #expect(try ClinicSession.maintenance(database: reopened, actor: "test").verifyAudit().isIntact)
    }

    @Test("a dry run into an empty clinic through the rollback journal writes nothing and leaves a WAL clinic that then imports")
    func dryRunLeavesEmpty() throws {
        let dir = TemporaryDirectory(prefix: "knot-rollback-dry")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        let (outcome, watch) = Self.importWatched(db, path: path, dryRun: true)
        #expect(outcome.patients > 0)
        #expect(watch.journalSeen)
        #expect(try db.read { try $0.isEmptyClinic() })
        #expect(try db.read { try String.fetchOne($0.db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        let (again, _) = Self.importWatched(db, path: path)
        #expect(again.status == .created, "\(again.detail)")
        try db.close()
        #expect(try NewClinicBulkLoadTests.integrity(path) == ["ok", "fts ok"])
    }

    @Test("withRollbackJournal: the journal while the body runs, the WAL after it returns or throws; the WAL kept when another connection has the file")
    func journalAroundBody() throws {
        let dir = TemporaryDirectory(prefix: "knot-rollback-body")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        func mode() throws -> String? { try db.read { try String.fetchOne($0.db, sql: "PRAGMA journal_mode") } }
        let inside = try db.withRollbackJournal { used in
            (used, try db.write { try String.fetchOne($0.db, sql: "PRAGMA journal_mode") })
        }
        #expect(inside.0 && inside.1 == "truncate")
        #expect(try mode() == "wal")

        struct Refused: Error {}
        #expect(throws: Refused.self) { try db.withRollbackJournal { _ in throw Refused() } }
        #expect(try mode() == "wal")

        let other = try ClinicDatabase(path: path)
        _ = try other.read { try $0.isEmptyClinic() }
        let started = Date()
        let whileShared = try db.withRollbackJournal { used in used }
        #expect(!whileShared)
        // Refused at once, not after the busy timeout.
        #expect(Date().timeIntervalSince(started) < ClinicDatabase.busyTimeout / 2)
        try other.close()
        #expect(try mode() == "wal")
    }
}
