import Foundation
import Testing
import GRDB
@testable import ClinicStore

/// SQLite's temporary storage (savepoint journals, temporary tables, sorts) stays in memory on
/// every connection: a batched import's savepoints wrote every page each letter touched to
/// temporary files (issue 19), clinical data included.
@Suite struct TemporaryStorageTests {
    @Test func temporaryStorageIsInMemoryOnWritesAndReads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        // 2 is MEMORY (0 default, 1 FILE).
        #expect(try db.pool.write { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
    }
}
