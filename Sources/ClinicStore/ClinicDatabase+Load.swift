import Foundation
import GRDB

extension ClinicDatabase {
    /// Writes without the WAL and without waiting for the disk, for a database that is not a
    /// clinic yet: one being built under a private name (`knot init --from`), opened by nobody
    /// else, renamed into place only once whole (`finishLoad()`). Every byte is then written
    /// once, into the file, instead of into the WAL and again by its checkpoint.
    ///
    /// The journal is kept in memory (`journal_mode = MEMORY`), so a refused import still rolls
    /// back (savepoints included); for a new database it holds only the few pages that existed
    /// before (pages added later need no journal). `synchronous = OFF`: a crash during the load
    /// leaves a damaged private file, never a clinic. The pool's read-only connections are closed
    /// first (SQLite leaves WAL mode only when one connection has the file). Returns false (and
    /// changes nothing) when SQLite keeps the WAL: the load is then as safe, only slower.
    package func loadWithoutJournal() throws -> Bool {
        if let readOnlyReason { throw StoreError.notWritable(path: path, reason: readOnlyReason) }
        pool.releaseMemory()
        do {
            return try pool.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = MEMORY")
                guard mode?.lowercased() == "memory" else { return false }
                try db.execute(sql: "PRAGMA synchronous = OFF")
                return true
            }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    /// Builds, after a new clinic's load has committed and before anyone opens it (a private
    /// file, `loadWithoutJournal()`), the indexes its load left (`NewClinicLoad.leftForAfterCommit`),
    /// from their stored SQL, in one transaction, with SQLite's temporary storage on disk for
    /// that step only: `CREATE INDEX` sorts its keys, and with `temp_store = MEMORY` the whole
    /// sort stays in memory (40-70 MB per index at 100,000 patients, growing with the clinic),
    /// where on disk it is sorted in runs the size of the page cache, merged from a temporary
    /// file SQLite creates 0600 and unlinks at once (the keys are ids and visit times). The
    /// connection's temporary triggers go with the change (SQLite drops them), so this is the
    /// last step before `finishLoad()` closes it.
    package func buildIndexesAfterLoad(_ statements: [String]) throws {
        guard !statements.isEmpty else { return }
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA temp_store = FILE")
                defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
                try db.inTransaction {
                    for sql in statements { try db.execute(sql: sql) }
                    return .commit
                }
            }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    /// Ends a load begun by `loadWithoutJournal()`: closes every connection and forces the file
    /// to the disk (`fsync`), so that what is renamed into place is whole. The next open turns
    /// it back into a WAL database, as every clinic is.
    package func finishLoad() throws {
        do {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
        try close()
        // Every connection is closed: no lock of this process's SQLite is lost by closing a
        // descriptor of our own here (see `headerAndSize`).
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.writeFailed(reason: "cannot reopen \(path) to write it to the disk: \(String(cString: strerror(errno)))") }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw StoreError.writeFailed(reason: Self.diskError) }
    }
}
