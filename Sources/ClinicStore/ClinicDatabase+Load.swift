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
        if let sealRefusal { throw StoreError.cannotSeal(path: path, reason: sealRefusal) }
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

extension ClinicDatabase {
    /// Runs `body`, the one transaction that fills this empty clinic from a whole-clinic export
    /// (`knot import EXPORT` on a new clinic, `knot migrate-store` to a new SQLite file), with
    /// SQLite's rollback journal (`journal_mode = TRUNCATE`) in place of the WAL when this
    /// process alone has the file; the WAL is put back as `body` ends, whether it returned or
    /// threw. `body` is told which journal it runs with.
    ///
    /// Why: in the WAL every page of the clinic is written twice, into the WAL as the transaction
    /// spills and commits, then into the file by the checkpoint, and every page read back is
    /// first looked up in the WAL's index, which grows with the clinic. A rollback journal keeps
    /// only the pages that were in the file before the transaction; the pages it adds past the
    /// file's end (all but a few of an empty clinic's) are written once, into the file. At
    /// 100,000 patients (2.4 GB) the import took 15% less time, about half the system time and
    /// a fifth less memory (BENCHMARKS.md, session 17).
    ///
    /// As safe as the WAL: `synchronous = FULL` as ever, so the commit is on the disk when it
    /// returns, and a crash before that leaves a hot journal that the next opening rolls back (the
    /// empty clinic again, never part of one). What changes for other processes: while the
    /// import writes, they cannot open or read the clinic being filled (they are told it is busy)
    /// where in the WAL they saw it empty. The file's own mode is the WAL again before this returns
    /// (and every opening sets the WAL in any case).
    ///
    /// `body` runs in the WAL, as it is, when the file is read-only, when its journal is not the
    /// WAL (a new clinic loaded under a private name, `loadWithoutJournal()`), or when another
    /// connection has the file open: SQLite then refuses the change at once, without waiting.
    package func withRollbackJournal<T>(_ body: (_ rollbackJournal: Bool) throws -> T) throws -> T {
        guard readOnlyReason == nil else { return try body(false) }
        // This pool's idle readers are connections too: closed, so that only the writer has the file.
        pool.releaseMemory()
        let switched: Bool
        do {
            switched = try pool.writeWithoutTransaction { db in
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() == "wal" else { return false }
                return try String.fetchOne(db, sql: "PRAGMA journal_mode = TRUNCATE")?.lowercased() == "truncate"
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
            switched = false  // another connection has the file: the WAL stays
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
        guard switched else { return try body(false) }
        defer {
            // Back to the WAL; should another process hold the file now, its own opening set it.
            _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        }
        return try body(true)
    }
}
