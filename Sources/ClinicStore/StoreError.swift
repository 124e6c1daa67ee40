import Foundation
import ClinicModel

/// Why the store refused to open or to write, in words a practitioner can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path exists but is not an SQLite database at all.
    case notADatabase(path: String)
    /// An SQLite database, but not one of Knot's.
    case notAKnotDatabase(path: String)
    /// Made by a newer Knot: migrations this build does not know.
    case newerDatabase(path: String, unknownMigrations: [String])
    /// No database at a path that is not to be created (a path given by `--database` or
    /// `KNOT_DATABASE`); nothing was created there.
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
    /// Another process holds the database for longer than the busy timeout.
    case busy
    /// A cell read back cannot be what its column holds (changed outside Knot, or damaged):
    /// `problem` says why, e.g. "'yesterday' is not a timestamp". `table` is empty when the
    /// value came from a query that names no one table.
    case damaged(table: String, row: String, column: String, problem: String)

    /// Whether a write failed for want of room (disk full, a file-size limit, a failing disk),
    /// as opposed to a rule refusing the data.
    public var isWriteFailure: Bool {
        if case .writeFailed = self { return true }
        return false
    }

    /// The seam's words for it (`StorageError`, the one wording of a storage problem).
    public var description: String { StorageError(self).description }
}

extension StorageError {
    /// The same error from the SQLite store, case for case.
    public init(_ e: StoreError) {
        switch e {
        case .notADatabase(let p): self = .notADatabase(path: p)
        case .notAKnotDatabase(let p): self = .notAKnotDatabase(path: p)
        case .newerDatabase(let p, let m): self = .newerDatabase(path: p, unknownMigrations: m)
        case .missing(let p): self = .missing(path: p)
        case .cannotOpen(let p, let r): self = .cannotOpen(path: p, reason: r)
        case .notFound(let en, let k): self = .notFound(entity: en, key: k)
        case .duplicate(let en, let f, let v): self = .duplicate(entity: en, field: f, value: v)
        case .constraint(let m): self = .constraint(message: m)
        case .invalid(let v): self = .invalid(v)
        case .draftConflict(let id): self = .draftConflict(visitID: id)
        case .writeFailed(let r): self = .writeFailed(reason: r)
        case .readOnly(let p): self = .readOnly(path: p)
        case .notWritable(let p, let r): self = .notWritable(path: p, reason: r)
        case .busy: self = .busy
        case .damaged(let t, let r, let c, let p): self = .damaged(table: t, row: r, column: c, problem: p)
        }
    }
}
