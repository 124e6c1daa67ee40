import Foundation
import Testing
import GRDB
import GRDBSQLite
import CSQLiteSettings
@testable import ClinicStore

/// SQLite's memory statistics are switched off before the first clinic opens (one process-wide
/// mutex taken on every SQLite allocation and free otherwise), and `memoryStatisticsOff` says
/// truly whether they are: in a test process, another suite may have started SQLite first.
@Suite struct MemoryStatisticsTests {
    @Test func theSettingSaysWhetherSQLiteCountsItsMemory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        // A connection is open and has allocated: with statistics on, SQLite has counted bytes;
        // with them off since before SQLite started, the count has never moved from zero.
        try db.pool.write { try $0.execute(sql: "CREATE TEMP TABLE t AS SELECT randomblob(100000) AS b") }
        let counted = sqlite3_memory_used() > 0 && sqlite3_memory_highwater(0) > 0
        #expect(counted != ClinicDatabase.memoryStatisticsOff)
    }

    /// The setting cannot change once SQLite has started: asked again, it is refused and nothing moves.
    @Test func askedAfterSQLiteStartedItIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        #expect(knot_sqlite_memory_statistics_off() == SQLITE_MISUSE)
    }
}
