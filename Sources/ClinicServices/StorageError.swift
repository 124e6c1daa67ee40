import Foundation
import ClinicModel
internal import ClinicStore

/// Store errors at the seam: the SQLite store's `StoreError` becomes the `StorageError` the use
/// cases throw (the PostgreSQL store throws `StorageError` itself).
extension StorageError {
    /// `error` as the use cases throw it: a store error becomes a `StorageError`; any other
    /// error (a refusal, a validation) is returned as it is.
    static func mapped(_ error: Error) -> Error {
        if let e = error as? StoreError { return StorageError(e) }
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
