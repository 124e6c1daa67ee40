import Foundation
import ClinicModel

/// Both stores throw `StorageError` themselves (the SQLite store's `StoreError` is the same
/// type), so a store error reaches the use cases' callers as it is, with no mapping at the seam.
extension StorageError {
    /// The write failure `error` is (disk full, a file-size limit, a failing disk); nil for any
    /// other error.
    static func writeFailure(in error: Error) -> StorageError? {
        guard let e = error as? StorageError, e.isWriteFailure else { return nil }
        return e
    }
}
