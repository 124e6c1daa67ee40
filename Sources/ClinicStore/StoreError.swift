import Foundation
import ClinicModel

/// Why the SQLite store refused to open or to write: the seam's `StorageError` itself, so
/// that both stores throw the one type and a use case passes it on as it is.
public typealias StoreError = StorageError
