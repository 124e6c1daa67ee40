import Foundation
import GRDB
import ClinicModel

/// One clinic database file: a GRDB `DatabasePool` in WAL mode with foreign keys on,
/// `synchronous=FULL` for clinical writes, and a busy timeout so that several terminals can work
/// at once without "database is locked" reaching anyone.
///
/// Opening refuses, with a clear message and without touching the file, anything that is not a
/// Knot database or that a newer Knot wrote.
public final class ClinicDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

    /// How long a writer waits for another before giving up.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (creating when missing, with folder 0700 and file 0600) and migrates.
    /// - Parameter create: when false, a missing file is an error instead of a new database.
    public init(path: String, create: Bool = true, readOnly: Bool = false) throws {
        self.path = path
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        var isDir: ObjCBool = false
        if exists, fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw StoreError.cannotOpen(path: path, reason: "it is a folder, not a database file")
        }
        if !exists {
            guard create else { throw StoreError.cannotOpen(path: path, reason: "no database there (run `knot init`)") }
            try Self.prepareNewFile(at: path)
        } else if try Self.checkSQLiteHeader(path) {
            try Self.inspectBeforeOpening(path)
        }

        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "knot"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let e as DatabaseError {
            throw Self.translateOpen(e, path: path)
        }
        try checkIdentityAndMigrate(readOnly: readOnly)
        Self.tightenPermissions(path)
    }

    /// Creates the folder (0700) and an empty file (0600) so that SQLite inherits the mode.
    static func prepareNewFile(at path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let fm = FileManager.default
        if !fm.fileExists(atPath: dir) {
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create the folder \(dir) (\(Self.reason(error)))")
            }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if fd < 0 {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        _ = Glibc.close(fd)
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? CocoaError, let u = e.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(u.code)))
        }
        return (error as NSError).localizedDescription
    }

    static func tightenPermissions(_ path: String) {
        for suffix in ["", "-wal", "-shm"] {
            let p = path + suffix
            if FileManager.default.fileExists(atPath: p) { chmod(p, 0o600) }
        }
    }

    /// An existing non-empty file must start with the SQLite header; true when it is not empty.
    @discardableResult
    static func checkSQLiteHeader(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return false }  // an empty file (created by us before a failed first open) is fine
        if header != Data("SQLite format 3\0".utf8) { throw StoreError.notADatabase(path: path) }
        return true
    }

    static func translateOpen(_ e: DatabaseError, path: String) -> StoreError {
        switch e.resultCode {
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, reason: "permission denied or missing folder")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
        case .SQLITE_FULL: return .writeFailed(reason: "the disk is full")
        case .SQLITE_CORRUPT: return .cannotOpen(path: path, reason: damaged)
        case .SQLITE_IOERR: return .cannotOpen(path: path, reason: diskError)
        default: return .cannotOpen(path: path, reason: e.message ?? "\(e.resultCode)")
        }
    }

    /// Refuses a database that is not Knot's or that a newer Knot migrated; returns the
    /// migrations applied.
    static func checkIdentity(_ db: Database, path: String) throws -> [String] {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        let applied = try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        if appID != ClinicMigrations.applicationID && tables > 0 {
            throw StoreError.notAKnotDatabase(path: path)
        }
        let unknown = applied.filter { !Set(ClinicMigrations.knownMigrations).contains($0) }
        if !unknown.isEmpty { throw StoreError.newerDatabase(path: path, unknownMigrations: unknown.sorted()) }
        return applied
    }

    /// Checks an existing file through a read-only connection before the pool opens it: the
    /// pool switches the file to WAL mode, which would change a file that is not ours.
    static func inspectBeforeOpening(_ path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "knot-inspect"
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            _ = try queue.read { db in try checkIdentity(db, path: path) }
        } catch let e as DatabaseError {
            throw translateOpen(e, path: path)
        }
    }

    private func checkIdentityAndMigrate(readOnly: Bool) throws {
        let known = Set(ClinicMigrations.knownMigrations)
        do {
            let applied = try pool.read { db in try Self.checkIdentity(db, path: path) }
            if readOnly { return }
            if Set(applied) != known {
                try ClinicMigrations.migrator.migrate(pool)
            }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    /// A Knot database whose pages are damaged (truncated, overwritten): not "not a database".
    static let damaged = "the file is damaged (SQLite reports it malformed); nothing was changed. Restore the latest backup with `knot restore FILE`"
    /// SQLite's "disk I/O error": a write or sync failed, most often because the disk is full.
    static let diskError = "a read or write on the disk failed (is the disk full, or failing?)"

    /// Turns SQLite's errors into messages a practitioner can act on.
    static func translate(_ e: DatabaseError, path: String) -> StoreError {
        switch e.resultCode {
        case .SQLITE_CONSTRAINT:
            let m = e.message ?? "constraint failed"
            if m.hasPrefix("UNIQUE constraint failed: ") {
                let col = m.replacingOccurrences(of: "UNIQUE constraint failed: ", with: "")
                let parts = col.split(separator: ".")
                return .duplicate(entity: parts.first.map(String.init)?.replacingOccurrences(of: "_", with: " ") ?? "record",
                                  field: parts.dropFirst().joined(separator: ",").replacingOccurrences(of: "_", with: " "), value: "")
            }
            // SQLite's own wording never reaches the user: say what was wrong in the clinic's words.
            if m.hasPrefix("FOREIGN KEY constraint failed") {
                return .constraint(message: "a record it refers to (a patient, practitioner, referral or visit) does not exist")
            }
            if m.hasPrefix("NOT NULL constraint failed: ") {
                let column = m.dropFirst("NOT NULL constraint failed: ".count).replacingOccurrences(of: ".", with: " ").replacingOccurrences(of: "_", with: " ")
                return .constraint(message: "\(column) is required")
            }
            if m.hasPrefix("CHECK constraint failed: ") {
                return .constraint(message: "a value is outside what the record allows (\(m.dropFirst("CHECK constraint failed: ".count)))")
            }
            return .constraint(message: m)
        case .SQLITE_FULL: return .writeFailed(reason: "the disk is full")
        case .SQLITE_IOERR: return .writeFailed(reason: diskError)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_CORRUPT: return .cannotOpen(path: path, reason: damaged)
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, reason: e.message ?? "cannot open")
        default: return .constraint(message: e.message ?? "\(e.resultCode)")
        }
    }

    /// Runs `body` in one immediate write transaction: all of it or none of it.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.write { db in try body(StoreTransaction(db: db)) }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    /// Runs `body` on a consistent snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(StoreTransaction(db: db)) }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    /// The migrations applied, oldest first (for `knot check` and tests).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: empty when healthy.
    public func integrityProblems() throws -> [String] {
        try pool.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += fk.map { "foreign key broken in \($0[0] as String? ?? "?") row \($0[1] as Int64? ?? -1)" }
            return problems
        }
    }

    /// A consistent copy through SQLite's online backup, safe while others write; the copy is 0600.
    public func backup(to destination: String) throws {
        if FileManager.default.fileExists(atPath: destination) {
            throw StoreError.cannotOpen(path: destination, reason: "a file is already there; refusing to overwrite it")
        }
        try Self.prepareNewFile(at: destination)
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            try target.close()
        } catch let e as DatabaseError {
            try? FileManager.default.removeItem(atPath: destination)
            throw Self.translate(e, path: destination)
        }
        Self.tightenPermissions(destination)
    }

    /// Checkpoints the WAL into the main file (before copying or replacing files).
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            guard db.sqliteConnection != nil else { return }  // closed already: nothing to fold
            _ = try db.checkpoint(.truncate)
        }
    }

    /// Closes every connection, first copying the WAL into the main file (GRDB closes the
    /// writer before the read-only readers, so SQLite's own checkpoint-on-close never runs and a
    /// copy of the main file alone would miss the latest notes). The checkpoint is passive: it
    /// never waits for another terminal's reads.
    public func close() throws {
        if !pool.configuration.readonly {
            try? pool.writeWithoutTransaction { db in
                guard db.sqliteConnection != nil else { return }  // closed already
                _ = try db.checkpoint(.passive)
            }
        }
        try pool.close()
    }
}
