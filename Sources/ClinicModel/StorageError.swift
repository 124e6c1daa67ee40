import Foundation

/// Why the record store refused to open or to write, in words a practitioner can act on: what
/// the use cases throw for a storage problem, whichever store keeps the records, and the one
/// wording of each. Both stores throw these themselves (the SQLite store's `StoreError` and the
/// PostgreSQL store's `PostgresStoreError` are this type), so that a front end never names a
/// store; each maps to one exit code in `knot`.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path exists but is not a database at all.
    case notADatabase(path: String)
    /// A database, but not one of Knot's.
    case notAKnotDatabase(path: String)
    /// Made by a newer Knot: migrations this build does not know.
    case newerDatabase(path: String, unknownMigrations: [String])
    /// No database at a path that is not to be created; nothing was created there.
    case missing(path: String)
    /// The folder or file cannot be created, read or written.
    case cannotOpen(path: String, reason: String)
    /// A record was not found.
    case notFound(entity: String, key: String)
    /// A uniqueness rule (e.g. a record number already used).
    case duplicate(entity: String, field: String, value: String)
    /// A rule enforced by the schema (CHECK, trigger, foreign key) refused the write.
    case constraint(message: String)
    /// A clinical rule of the model refused the value.
    case invalid(ValidationErrors)
    /// A draft was saved by someone else since it was read.
    case draftConflict(visitID: Int64)
    /// The disk is full or a write failed; nothing was written.
    case writeFailed(reason: String)
    /// The database is read-only (file permissions, read-only mount).
    case readOnly(path: String)
    /// The database was opened read-only because it cannot be written, and `reason` says why.
    case notWritable(path: String, reason: String)
    /// Writes are refused because they could not be sealed: the clinic key of a keyed clinic
    /// was not found (or cannot be read, or belongs to another clinic), or the clinic's keyed
    /// point was erased outside Knot. `reason` says which, where the key was looked for and how
    /// to fix it. Nothing is written; reads still work. `knot` exits 77.
    case cannotSeal(path: String, reason: String)
    /// The database file cannot be read by this user (its permissions, or its folder's):
    /// `reason` says why. Not permitted, as `knot` exits for it (77), not a file to create.
    case notReadable(path: String, reason: String)
    /// Another process holds the database for longer than the busy timeout.
    case busy
    /// A value read back cannot be what its column holds (changed outside Knot, or damaged):
    /// `problem` says why, e.g. "'yesterday' is not a timestamp". `table` is empty when the
    /// value came from a query that names no one table.
    case damaged(table: String, row: String, column: String, problem: String)
    /// The operation works on an SQLite clinic but is not built on PostgreSQL yet (issue 20);
    /// its transaction is rolled back. `knot` exits 74, as for an I/O failure.
    case notBuilt(operation: String)
    /// The connection to the server was lost while a change was being committed: it was saved
    /// whole or not at all, and only looking says which (PostgreSQL). `knot` exits 74.
    case commitUnknown(reason: String)

    /// Whether a write failed for want of room (disk full, a file-size limit, a failing disk),
    /// as opposed to a rule refusing the data.
    public var isWriteFailure: Bool {
        if case .writeFailed = self { return true }
        return false
    }

    /// What to tell the practitioner; a path that is a server's URL (`postgres://`) is worded as
    /// a server's database, any other as an SQLite file.
    public var description: String {
        switch self {
        case .notADatabase(let p): "\(p) is not a Knot database (not an SQLite file); refusing to open or overwrite it"
        case .notAKnotDatabase(let p):
            "\(p) is \(Self.isServerURL(p) ? "a PostgreSQL" : "an SQLite") database but not a Knot database; refusing to change it"
        case .newerDatabase(let p, let m):
            "\(p) was written by a newer Knot (unknown migrations: \(m.joined(separator: ", "))); upgrade Knot to open it"
        case .missing(let p) where Self.isServerURL(p):
            "there is no clinic database at \(p) (nothing was created there). Check the URL, or create a clinic there with `knot init --database \(p)`"
        case .missing(let p):
            "there is no clinic database at \(p) (nothing was created there). Check the path, or create a clinic there with `knot init --database \(p)` (`knot demo` for the demo clinic, `knot init --from EXPORT.xml` from a whole-clinic export)"
        case .cannotOpen(let p, let r), .notReadable(let p, let r): "cannot open the database at \(p): \(r)"
        case .notFound(let e, let k): "no \(e) \(k)"
        case .duplicate(let e, let f, let v): "a \(e) with \(f) '\(v)' already exists"
        case .constraint(let m): "the database refused the change: \(m)"
        case .invalid(let e): e.description
        case .draftConflict(let id):
            "visit \(id) was changed in another session since you opened it; reopen it to see those changes (nothing was overwritten)"
        case .writeFailed(let r): "the database could not be written (\(r)); nothing was saved"
        case .readOnly(let p): "the database at \(p) is read-only; nothing was saved"
        case .notWritable(let p, let r): "the database at \(p) is read-only: \(r); nothing was saved (lists and searches still work)"
        case .cannotSeal(let p, let r): "the clinic at \(p) takes no writes: \(r); nothing was saved (lists and searches still work)"
        case .busy: "the database stayed busy (another Knot is writing); try again"
        case .damaged(let t, let r, let c, let p):
            (t.isEmpty ? "a value read from the database \(p)" : "\(t.replacingOccurrences(of: "_", with: " ")) \(r), column \(c): \(p)")
                + " (the database was changed outside Knot, or is damaged)"
        case .notBuilt(let operation):
            "\(operation) is not built on PostgreSQL yet (it works on an SQLite clinic database)"
        case .commitUnknown(let r):
            "\(r) while the change was being committed: it was saved whole or not at all, and only looking says which; check before doing it again"
        }
    }

    /// Whether `path` is a database server's URL rather than a file's path.
    static func isServerURL(_ path: String) -> Bool {
        path.hasPrefix("postgres://") || path.hasPrefix("postgresql://")
    }
}
