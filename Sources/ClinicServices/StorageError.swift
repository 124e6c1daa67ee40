import Foundation
import ClinicModel
internal import ClinicStore
internal import ClinicStorePostgres

/// Why the record store refused to open or to write, in words a practitioner can act on: what
/// the use cases throw for a storage problem, whichever store keeps the records. A store's own
/// errors become these at the seam (`ClinicSession`'s store, `open`, `restore`), so that a front
/// end never names a store; each maps to one exit code in `knot`.
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
    /// Another process holds the database for longer than the busy timeout.
    case busy
    /// A value read back cannot be what its column holds (changed outside Knot, or damaged).
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

    /// The store's words, unchanged: the store keeps the one wording of each.
    public var description: String {
        if case .notBuilt(let operation) = self { return PostgresStoreError.notBuilt(operation: operation).description }
        if case .commitUnknown(let reason) = self { return PostgresStoreError.commitUnknown(reason: reason).description }
        return store.description
    }

    /// The same error as the SQLite store words it.
    private var store: StoreError {
        switch self {
        case .notADatabase(let p): .notADatabase(path: p)
        case .notAKnotDatabase(let p): .notAKnotDatabase(path: p)
        case .newerDatabase(let p, let m): .newerDatabase(path: p, unknownMigrations: m)
        case .missing(let p): .missing(path: p)
        case .cannotOpen(let p, let r): .cannotOpen(path: p, reason: r)
        case .notFound(let e, let k): .notFound(entity: e, key: k)
        case .duplicate(let e, let f, let v): .duplicate(entity: e, field: f, value: v)
        case .constraint(let m): .constraint(message: m)
        case .invalid(let v): .invalid(v)
        case .draftConflict(let id): .draftConflict(visitID: id)
        case .writeFailed(let r): .writeFailed(reason: r)
        case .readOnly(let p): .readOnly(path: p)
        case .notWritable(let p, let r): .notWritable(path: p, reason: r)
        case .busy: .busy
        case .damaged(let t, let r, let c, let p): .damaged(table: t, row: r, column: c, problem: p)
        case .notBuilt(let operation): .writeFailed(reason: operation)  // worded by `description`, never by this
        case .commitUnknown(let reason): .writeFailed(reason: reason)  // worded by `description`, never by this
        }
    }

    /// The same error from the PostgreSQL store (its cases are the SQLite store's, plus `notBuilt`).
    init(_ e: PostgresStoreError) {
        switch e {
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
        case .busy: self = .busy
        case .damaged(let t, let r, let c, let p): self = .damaged(table: t, row: r, column: c, problem: p)
        case .notBuilt(let operation): self = .notBuilt(operation: operation)
        case .commitUnknown(let reason): self = .commitUnknown(reason: reason)
        }
    }

    init(_ e: StoreError) {
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

    /// `error` as the use cases throw it: a store error becomes a `StorageError`; any other
    /// error (a refusal, a validation) is returned as it is.
    static func mapped(_ error: Error) -> Error {
        if let e = error as? StoreError { return StorageError(e) }
        if let e = error as? PostgresStoreError { return StorageError(e) }
        return error
    }

    /// Runs `body`, throwing any store error as a `StorageError`.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw mapped(error) }
    }

    /// The write failure `error` is, from the store or already mapped; nil for any other error.
    static func writeFailure(in error: Error) -> StorageError? {
        guard let e = mapped(error) as? StorageError, e.isWriteFailure else { return nil }
        return e
    }
}

/// A record store whose errors reach the use cases as `StorageError`: every session's store is
/// one of these (see `ClinicSession`), so no store error crosses the seam.
struct StorageErrorMapping<Base: ClinicRecordStore>: ClinicRecordStore {
    let base: Base

    var path: String { base.path }
    func read<T>(_ body: (Base.Reader) throws -> T) throws -> T { try StorageError.mapping { try base.read(body) } }
    func write<T>(_ body: (Base.Writer) throws -> T) throws -> T { try StorageError.mapping { try base.write(body) } }
    func appliedMigrations() throws -> [String] { try StorageError.mapping { try base.appliedMigrations() } }
    func integrityProblems() throws -> [String] { try StorageError.mapping { try base.integrityProblems() } }
    func backup(to destination: String) throws { try StorageError.mapping { try base.backup(to: destination) } }
    func close() throws { try StorageError.mapping { try base.close() } }
}

/// Marks a store whose errors are already mapped, so that a session never wraps one twice.
protocol StorageErrorsMapped {
    /// The store underneath (the SQLite `ClinicDatabase`, for one opened from a path).
    var underlyingStore: any ClinicRecordStore { get }
}

extension StorageErrorMapping: StorageErrorsMapped {
    var underlyingStore: any ClinicRecordStore { base }
}

extension ClinicRecordStore {
    /// This store with its errors mapped at the seam (itself when they already are).
    var mappingStorageErrors: any ClinicRecordStore {
        self is StorageErrorsMapped ? self : StorageErrorMapping(base: self)
    }
}
