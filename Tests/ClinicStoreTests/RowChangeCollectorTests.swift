import Foundation
import Testing
import GRDB
@testable import ClinicStore

/// The collector hands each table's rowids ascending and distinct whatever order they were
/// written in (sealing reads them back by ranges of consecutive ids and seals each once), by
/// GRDB's observation or straight through SQLite (`DirectSteps`), and counts what waits.
@Suite struct RowChangeCollectorTests {
    @Test("rowids written out of order, again and interleaved between tables come back ascending and distinct, by either path; only sealed tables kept",
          arguments: [false, true])
    func takenAscendingDistinct(straightThroughSQLite: Bool) throws {
        let queue = try DatabaseQueue()
        let collector = RowChangeCollector(tables: ["a", "b"])
        let direct = straightThroughSQLite ? DirectSteps(collector: collector) : nil
        try queue.write { db in
            db.add(transactionObserver: collector, extent: .databaseLifetime)
            try db.execute(sql: "CREATE TABLE a (id INTEGER PRIMARY KEY, v); CREATE TABLE b (id INTEGER PRIMARY KEY, v); CREATE TABLE c (id INTEGER PRIMARY KEY, v)")
        }
        let taken = try queue.write { db -> [String: [Int64]] in
            func run(_ sql: String) throws {
                let statement = InPlaceBinding(try db.cachedStatement(sql: InPlaceBinding.marker + " " + sql), direct: direct)
                try statement.execute()
            }
            try run("INSERT INTO a (id, v) VALUES (5, 1), (6, 1), (7, 1)")
            try run("INSERT INTO b (id, v) VALUES (2, 1)")
            try run("INSERT INTO a (id, v) VALUES (1, 1), (3, 1)")
            try run("UPDATE a SET v = 2 WHERE id IN (6, 7)")  // written again, in order after 3: out of order
            try run("UPDATE a SET v = 3 WHERE id = 7")  // the last one again
            try run("INSERT INTO c (id, v) VALUES (1, 1)")  // not sealed
            try run("INSERT INTO b (id, v) VALUES (9, 1), (4, 1)")
            #expect(collector.pending >= 8, "\(collector.pending) waiting")
            return collector.take()
        }
        #expect(taken == ["a": [1, 3, 5, 6, 7], "b": [2, 4, 9]])
        #expect(collector.pending == 0)
    }

    @Test("ids noted in order are kept as they came; out of order, sorted and made distinct")
    func touchedRowIDs() {
        var inOrder = TouchedRowIDs()
        for id: Int64 in [1, 2, 2, 5, 9, 9, 9, 10] { _ = inOrder.add(id) }
        #expect(inOrder.sortedDistinct() == [1, 2, 5, 9, 10])
        var mixed = TouchedRowIDs()
        var added = 0
        for id: Int64 in [7, 3, 7, 1, 3, 3, -4, 7, Int64.max, Int64.min] where mixed.add(id) { added += 1 }
        #expect(mixed.sortedDistinct() == [Int64.min, -4, 1, 3, 7, Int64.max])
        #expect(added == 9, "a repeat of the last id is not added; any other is, until taken")
        #expect(TouchedRowIDs().sortedDistinct() == [])
    }
}
