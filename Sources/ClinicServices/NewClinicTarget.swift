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
    /// Where the new SQLite file is built when staged (`open(_:purpose:hint:staged:)`): a private
    /// name in the same folder, renamed to `location` by `publish()`; nil otherwise.
    let stagingPath: String?
    private let sqliteFiles: [String]
    private let folderMade: String?

    /// Where the store is being written now: the staging file, else `location`.
    var workingLocation: String { stagingPath ?? location }

    /// Opens (creating) the place at `location` for `purpose` (the command, for the refusal,
    /// which ends with `hint`).
    ///
    /// `staged`: a new SQLite file is built under a private name beside `location`
    /// (`.NAME.knot-load-PID-XXXXXXXX`, removed by `discard()`, renamed into place by
    /// `publish()`), so that until it is whole there is no clinic at `location`, and a crash
    /// leaves only that private file (removed by the next staged open of the same `location`).
    static func open(_ location: String, purpose: String, hint: String = "", staged: Bool = false,
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
            return NewClinicTarget(store: store, location: location, stagingPath: nil, sqliteFiles: [], folderMade: nil)
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: location) {
            throw StorageError.cannotOpen(path: location, reason: "a file is already there; \(purpose) makes a new clinic file\(hint)")
        }
        let folder = (location as NSString).deletingLastPathComponent
        let folderExisted = folder.isEmpty || fm.fileExists(atPath: folder)
        var working = location
        if staged {
            if folderExisted { removeAbandonedStaging(for: location) }
            let name = (location as NSString).lastPathComponent
            working = (folder as NSString).appendingPathComponent(".\(name)\(stagingMark)\(getpid())-\(UUID().uuidString.prefix(8))")
        }
        let files = ["", "-wal", "-shm", "-journal"].map { working + $0 }
        let store: any ClinicRecordStore
        do { store = try ClinicSession.openRecordStore(at: working, create: true, environment: environment) } catch {
            if staged {
                for file in files { unlink(file) }
                if !folderExisted { try? fm.removeItem(atPath: folder) }
            }
            throw error
        }
        return NewClinicTarget(store: store, location: location, stagingPath: staged ? working : nil, sqliteFiles: files,
                               folderMade: folderExisted ? nil : folder)
    }

    /// What a staging file's name carries after `.NAME`.
    static let stagingMark = ".knot-load-"

    /// Removes what a staged build for `location` left when its process died before it ended
    /// (the process named in the file name is gone); a staging file of a build still running is kept.
    static func removeAbandonedStaging(for location: String) {
        let folder = (location as NSString).deletingLastPathComponent
        let prefix = "." + (location as NSString).lastPathComponent + stagingMark
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let pid = Int32(rest.prefix { $0.isNumber }), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }

    /// Moves a staged file, now whole and on the disk (`ClinicDatabase.finishLoad()`), to
    /// `location`: linked there (never replacing a file that appeared there meanwhile), then
    /// its private name removed, and the folder written to the disk. A no-op when not staged.
    func publish() throws {
        guard let stagingPath else { return }
        let folder = (location as NSString).deletingLastPathComponent
        if link(stagingPath, location) != 0 {
            let error = errno
            // No hard links on this file system: a rename, refused if a file is there by now.
            if (error == EPERM || error == ENOTSUP || error == EXDEV) && !FileManager.default.fileExists(atPath: location) {
                guard rename(stagingPath, location) == 0 else {
                    throw StorageError.cannotOpen(path: location, reason: String(cString: strerror(errno)))
                }
            } else if error == EEXIST || FileManager.default.fileExists(atPath: location) {
                throw StorageError.cannotOpen(path: location, reason: "a file appeared there while the clinic was being built; it was left as it is")
            } else {
                throw StorageError.cannotOpen(path: location, reason: String(cString: strerror(error)))
            }
        }
        for file in sqliteFiles { unlink(file) }
        let dir = Glibc.open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); _ = Glibc.close(dir) }
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
        // A staged build's folder is removed only when empty: a file another program put there
        // meanwhile is not this build's to remove.
        if let folderMade { if stagingPath != nil { rmdir(folderMade) } else { try? fm.removeItem(atPath: folderMade) } }
    }
}
