import Foundation
import ClinicModel
internal import ClinicStore
internal import ClinicStorePostgres

/// An empty place a whole clinic is moved into (`knot init --from`, `knot migrate-store`): a new
/// SQLite file, or a PostgreSQL database (migrated, holding no clinic yet).
///
/// Opening it refuses a place that already holds a clinic, creating nothing: an SQLite path where
/// a file already is, a PostgreSQL database with patients, accounts or audit events. When the
/// move fails, `discard()` leaves nothing behind that the move made: the new SQLite file (and its
/// journal files, and a folder made for it) is removed; a PostgreSQL database keeps only its
/// schema (the import is one transaction, rolled back: no clinic row was written, and a database
/// is the server administrator's to drop).
struct NewClinicTarget {
    /// The store opened at the location.
    let store: any ClinicRecordStore
    /// Where it is, as given.
    let location: String
    private let sqliteFiles: [String]
    private let folderMade: String?

    /// Opens (creating) the place at `location` for `purpose` (the command, for the refusal,
    /// which ends with `hint`).
    static func open(_ location: String, purpose: String, hint: String = "",
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NewClinicTarget {
        if PostgresConnectionSettings.isPostgresURL(location) {
            let store = try ClinicSession.openRecordStore(at: location, create: true, environment: environment)
            let empty: Bool
            do { empty = try store.read { try $0.isEmptyClinic() } } catch {
                try? store.close()
                throw error
            }
            guard empty else {
                try? store.close()
                throw StorageError.cannotOpen(path: store.path, reason: "it already holds a clinic (accounts, patients or audit events); \(purpose) moves a clinic only into an empty database\(hint)")
            }
            return NewClinicTarget(store: store, location: location, sqliteFiles: [], folderMade: nil)
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: location) {
            throw StorageError.cannotOpen(path: location, reason: "a file is already there; \(purpose) makes a new clinic file\(hint)")
        }
        let folder = (location as NSString).deletingLastPathComponent
        let folderExisted = folder.isEmpty || fm.fileExists(atPath: folder)
        let store = try ClinicSession.openRecordStore(at: location, create: true, environment: environment)
        return NewClinicTarget(store: store, location: location, sqliteFiles: ["", "-wal", "-shm", "-journal"].map { location + $0 },
                               folderMade: folderExisted ? nil : folder)
    }

    /// Whether `discard()` removes what was written (a new SQLite file), not only what a
    /// rolled-back transaction never wrote.
    var removedOnDiscard: Bool { !sqliteFiles.isEmpty }

    /// After a failed move: closes the store (unless the caller already did) and removes what
    /// opening it made (SQLite files).
    func discard(closing: Bool = true) {
        if closing { try? store.close() }
        let fm = FileManager.default
        for file in sqliteFiles { try? fm.removeItem(atPath: file) }
        if let folderMade { try? fm.removeItem(atPath: folderMade) }
    }
}
