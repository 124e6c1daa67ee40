import Foundation
import GRDB
import GRDBSQLite

/// The statements of a whole-clinic load into an empty clinic (`beginNewClinicLoad`), run
/// straight through SQLite (`sqlite3_step`) instead of GRDB's `execute()`, with the row seals'
/// collector told of every row each one writes.
///
/// Why: a load runs a statement bound in place (`InPlaceBinding`) and a seal (`SealRowWriter`)
/// for nearly every row of the clinic, and GRDB does per statement what a load does not need:
/// its checks for a cancelled or suspended database, the region it read for value observation,
/// and, for the transaction observers, which of them watch the statement (asked of each, by
/// table name) and the update hook installed and removed around it, each row's event handed
/// through its broker. That bookkeeping was about a tenth of the writing thread's time.
///
/// No row escapes its seal: the rows are told to the collector (`RowChangeCollector`) from the
/// same source GRDB's observation reads, SQLite's update hook, installed on the connection for
/// the one step and removed after it. GRDB keeps no update hook installed between statements
/// (it installs its own for a statement some observer watches and removes it as that statement
/// ends; `DirectStepsTests` fails if a GRDB upgrade changes that), so this one is the only hook
/// while the step runs, and it sees every row the step
/// writes, triggers' rows included, in every table (the collector keeps those of the sealed
/// tables, as it does for GRDB's events). Rows a step wrote reach the collector only once the
/// step is done, so a step that fails adds none (SQLite has undone them).
///
/// A step that fails is not reported from here: the statement is reset and run again through
/// GRDB's `execute()`, which fails the same way (a constraint, a trigger's refusal) and reports it
/// as for any statement, with GRDB's own bookkeeping (the statement dropped from its cache, the
/// transaction's end noticed); in the unlikely case it then succeeds, GRDB's observation told the
/// collector of its rows. Either way the outcome and the message are those of GRDB's path.
///
/// Only for statements run between GRDB's statements (never while a GRDB cursor of a watched
/// statement is stepping) and outside savepoints (GRDB holds observers' events until a
/// savepoint is released and drops them when it rolls back; a whole-clinic load opens none).
final class DirectSteps {
    /// The collector the rows are told to.
    let collector: RowChangeCollector
    /// The rows of sealed tables written by the step under way (told to the collector once it
    /// is done), each table by its place in `sealedNames`.
    private var written: [(table: Int, rowID: Int64)] = []
    /// The sealed tables' names met so far.
    private var sealedNames: [String] = []
    /// The table names SQLite reported, by the address of the name it passed (the schema's own
    /// copy): the name (checked against the text at that address on each use, so an address
    /// reused after a schema change is never taken for another table) and, for a sealed table,
    /// its place in `sealedNames`.
    private var names: [UnsafeRawPointer: (name: ContiguousArray<CChar>, sealed: Int?)] = [:]
    /// The last table met (a statement's rows are nearly always of one table): its address, and
    /// its entry in `names`.
    private var lastAddress: UnsafeRawPointer?
    private var lastTable: (name: ContiguousArray<CChar>, sealed: Int?) = ([], nil)

    init(collector: RowChangeCollector) { self.collector = collector }

    /// Notes one row SQLite's update hook reported (any table; only sealed ones are kept).
    fileprivate func note(table: UnsafePointer<CChar>, rowID: Int64) {
        let address = UnsafeRawPointer(table)
        if address == lastAddress, lastTable.name.withUnsafeBufferPointer({ strcmp($0.baseAddress!, table) == 0 }) {
            if let sealed = lastTable.sealed { written.append((sealed, rowID)) }
            return
        }
        let known: (name: ContiguousArray<CChar>, sealed: Int?)
        if let seen = names[address], seen.name.withUnsafeBufferPointer({ strcmp($0.baseAddress!, table) == 0 }) {
            known = seen
        } else {
            let name = String(cString: table)
            var sealed: Int?
            if collector.tables.contains(name) {
                sealed = sealedNames.firstIndex(of: name) ?? sealedNames.count
                if sealed == sealedNames.count { sealedNames.append(name) }
            }
            known = (ContiguousArray(name.utf8CString), sealed)
            names[address] = known
        }
        lastAddress = address
        lastTable = known
        if let sealed = known.sealed { written.append((sealed, rowID)) }
    }

    private static let hook: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, sqlite3_int64) -> Void = {
        context, _, _, table, rowID in
        guard let context, let table else { return }
        Unmanaged<DirectSteps>.fromOpaque(context).takeUnretainedValue().note(table: table, rowID: rowID)
    }

    /// Runs `statement` (its parameters bound) to its end, straight through SQLite, the rows it
    /// writes told to the collector; on failure runs it again through GRDB, which reports it.
    func execute(_ statement: Statement) throws {
        let stmt = statement.sqliteStatement
        let connection = sqlite3_db_handle(stmt)
        written.removeAll(keepingCapacity: true)
        sqlite3_update_hook(connection, Self.hook, Unmanaged.passUnretained(self).toOpaque())
        var rc: Int32
        repeat { rc = sqlite3_step(stmt) } while rc == SQLITE_ROW
        sqlite3_update_hook(connection, nil, nil)
        if rc == SQLITE_DONE {
            sqlite3_reset(stmt)
            if !written.isEmpty { collector.note(written, names: sealedNames) }
            return
        }
        // The bindings stay across a reset: GRDB runs the same statement with the same values.
        written.removeAll(keepingCapacity: true)
        sqlite3_reset(stmt)
        try statement.execute()
    }
}
