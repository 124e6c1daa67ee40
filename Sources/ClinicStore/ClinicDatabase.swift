import Foundation
import GRDB
import GRDBSQLite
import CSQLiteSettings
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
    /// Why the file was opened read-only although writing was asked for (a file this user may
    /// not write, a read-only mount): reads work, every write is refused with this reason.
    public let readOnlyReason: String?
    /// True when this open created the database (false when it was there, or another process
    /// creating it at the same moment won).
    public let createdHere: Bool
    /// The clinic key that seals rows and the audit chain (nil when missing; see `keyPath`).
    let key: ClinicKey?
    /// Where the clinic key is kept (nil for a database an older Knot left, until migrated).
    public let keyPath: String?
    /// Collects the rows each write touches, so that they are sealed before commit.
    let collector: RowChangeCollector?
    /// Why every write is refused because it could not be sealed (a keyed clinic whose key is
    /// not found, cannot be read or is not the clinic's; a keyed point erased outside Knot);
    /// nil when writes are sealed. Reads still work; `knot audit verify` reports it.
    public let sealRefusal: String?

    /// Whether SQLite's memory statistics are off in this process: switched off once, as the
    /// first clinic database opens, before SQLite has opened any connection. With them on (as
    /// Debian builds SQLite), every allocation and free SQLite makes takes one process-wide
    /// mutex to count bytes that Knot never reads (no heap limit, no memory report), about 6% of
    /// a whole-clinic import's writing thread. False when SQLite had already been started in
    /// this process (a program using GRDB before Knot): then nothing changed.
    static let memoryStatisticsOff: Bool = knot_sqlite_memory_statistics_off() == 0

    /// How long a writer waits for another before giving up.
    public static let busyTimeout: TimeInterval = 10

    /// Opens (creating when missing, with folder 0700 and file 0600) and migrates.
    ///
    /// A new database appears whole or not at all: it is built and migrated under a private
    /// name beside `path`, then linked into place, so several processes creating one database
    /// at once all end up opening the same complete clinic. An existing file must be a whole
    /// SQLite file (an empty or truncated one is refused as damaged, never made a new clinic).
    /// A file this user may not write (or on a read-only mount) opens read-only: reads work and
    /// writes are refused saying why. A `-shm` left unwritable by a read-only episode is made
    /// writable again when it is ours, else named.
    /// - Parameter create: when false, a missing file is an error instead of a new database.
    /// - Parameter notice: told when opening does long work before the clinic is ready (an
    ///   upgrade of a database an older Knot made: see ``OpeningNotice``), so that the user
    ///   is not left waiting in silence.
    public init(path: String, create: Bool = true, readOnly: Bool = false,
                notice: ((OpeningNotice) -> Void)? = nil) throws {
        _ = Self.memoryStatisticsOff
        self.path = path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDir)
        if exists, isDir.boolValue {
            throw StoreError.cannotOpen(path: path, reason: "it is a folder, not a database file")
        }
        if !exists {
            guard create else { throw StoreError.missing(path: path) }
            createdHere = try Self.createWhole(at: path)
        } else {
            createdHere = false
        }
        let reason = readOnly ? nil : Self.whyReadOnly(path)
        let openReadOnly = readOnly || reason != nil
        if !openReadOnly { Self.rollBackInterruptedTransaction(path) }
        try Self.checkSQLiteHeader(path)
        if !openReadOnly { try Self.repairSharedMemory(path) }
        try Self.inspectBeforeOpening(path)
        readOnlyReason = reason

        var config = Configuration()
        config.foreignKeysEnabled = true
        config.readonly = openReadOnly
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "knot"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // SQLite's temporary storage in memory, not in files under /var/tmp: above all the
            // journal of each savepoint (a batched import files every letter in its own), which
            // otherwise wrote every page a letter touched to a temporary file (194 MB of writes
            // for 1,000 letters; issue 19), with clinical data in it.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let e as DatabaseError {
            throw Self.translateOpen(e, path: path)
        }
        let started = Date()
        let (migrated, before) = try Self.checkIdentityAndMigrate(pool: pool, path: path, readOnly: openReadOnly, notice: notice)
        (key, keyPath, collector, sealRefusal) = try Self.prepareSeals(pool: pool, path: path, readOnly: openReadOnly, migrated: migrated,
                                                                       foundBeforeMigration: before)
        if migrated {
            notice?(.upgraded(seconds: Date().timeIntervalSince(started), foundProblems: before.map { !$0.isIntact }))
        }
        Self.tightenPermissions(path)
    }

    /// Loads the clinic key (creating it for a clinic that has none yet), seals the rows already
    /// there when the keyed chain starts (or after a migration changed rows), and installs the
    /// observer that seals every later write. What a verification found just before a migration
    /// (`foundBeforeMigration`) is recorded before the re-sealing, so that it is still reported
    /// afterwards.
    ///
    /// Only a clinic that was never keyed is sealed as it stands (`RowSeal.keyingTraces`): one
    /// whose keyed point was erased outside Knot is never re-sealed. A keyed clinic whose key is
    /// not found, cannot be read or is not the clinic's still opens for reading, but every write
    /// is refused (the fourth value says why): nothing is ever written unsealed.
    static func prepareSeals(pool: DatabasePool, path: String, readOnly: Bool, migrated: Bool,
                             foundBeforeMigration: AuditVerification?) throws -> (ClinicKey?, String?, RowChangeCollector?, String?) {
        do {
            guard let identity = try pool.read({ try RowSeal.identity($0) }) else { return (nil, nil, nil, nil) }
            let keyPath = ClinicKey.location(clinicID: identity.clinicID)
            var key: ClinicKey?
            var keyProblem: String?
            do { key = try ClinicKey.load(path: keyPath) } catch { keyProblem = Self.keyProblem(error) }
            let tables = try pool.read { try RowSeal.sealedTables($0) }
            if identity.keyedFrom == nil {
                if readOnly {
                    let traces = try pool.read { try RowSeal.keyingTraces($0, keyPath: keyPath) }
                    return (traces.isEmpty ? nil : key, keyPath, nil, traces.isEmpty ? nil : RowSeal.erasedRefusal(traces))
                }
                // In one write transaction: the look for traces of an earlier keying, the key's
                // making and the sealing, so that two first opens at once never take each
                // other's half-done keying (its new key file) for an erased one.
                let (made, refusal) = try pool.write { db -> (ClinicKey?, String?) in
                    // Keyed meanwhile by another Knot: its key, loaded below.
                    guard let now = try RowSeal.identity(db), now.keyedFrom == nil else { return (nil, nil) }
                    let traces = try RowSeal.keyingTraces(db, keyPath: keyPath)
                    // Keyed once, its point erased outside Knot: never sealed again as it stands.
                    if !traces.isEmpty { return (nil, RowSeal.erasedRefusal(traces)) }
                    let created: ClinicKey
                    do { created = try ClinicKey.create(path: keyPath) } catch {
                        return (nil, "no clinic key could be made for it (\(Self.keyProblem(error))): make its folder writable, or set KNOT_KEY_FILE to a file that can be made; every write is sealed with it")
                    }
                    try sealAsItStands(db, key: created, tables: tables, keepKeyedFrom: migrated, findings: foundBeforeMigration)
                    return (created, nil)
                }
                if let refusal { return (key, keyPath, nil, refusal) }
                if let made { key = made } else {
                    do { key = try ClinicKey.load(path: keyPath) } catch { keyProblem = Self.keyProblem(error) }
                    if key == nil { return (nil, keyPath, nil, RowSeal.missingKeyRefusal(keyPath: keyPath, problem: keyProblem)) }
                }
            } else {
                guard let found = key else {
                    return (nil, keyPath, nil, RowSeal.missingKeyRefusal(keyPath: keyPath, problem: keyProblem))
                }
                guard try pool.read({ try RowSeal.keyMatches($0, key: found, identity: identity) }) else {
                    return (nil, keyPath, nil, RowSeal.wrongKeyRefusal(keyPath: keyPath))
                }
                if readOnly { return (found, keyPath, nil, nil) }
                if migrated {
                    // Re-sealed after a migration changed rows (the chain point stays).
                    try pool.write { db in
                        try sealAsItStands(db, key: found, tables: tables, keepKeyedFrom: true, findings: foundBeforeMigration)
                    }
                }
            }
            guard let key else { return (nil, keyPath, nil, nil) }
            let collector = RowChangeCollector(tables: Set(tables + ["audit_event"]))
            pool.add(transactionObserver: collector, extent: .databaseLifetime)
            let keyed = try pool.read { try RowSeal.keyedTables($0) }
            try pool.writeWithoutTransaction { db in try RowSeal.followKeyedTables(db, tables: keyed) }
            return (key, keyPath, collector, nil)
        } catch let e as DatabaseError {
            throw translate(e, path: path)
        }
    }

    /// Seals every row as it stands with `key` (`keepKeyedFrom`: the chain point stays), first
    /// recording what a verification found before a migration (`findings`), whose events are sealed too.
    private static func sealAsItStands(_ db: Database, key: ClinicKey, tables: [String], keepKeyedFrom: Bool,
                                       findings: AuditVerification?) throws {
        let events = try findings.map { try RowSeal.recordFindings(db, $0) } ?? []
        try RowSeal.baseline(db, key: key, tables: tables, keepKeyedFrom: keepKeyedFrom)
        if !events.isEmpty { try RowSeal.seal(db, key: key, changes: ["audit_event": events]) }
    }

    /// Why a clinic key file could not be read or made, in words.
    static func keyProblem(_ error: Error) -> String {
        if case let StoreError.cannotOpen(path, reason) = error { return "\(reason): \(path)" }
        return "\(error)"
    }

    /// Builds a migrated database under a private name in the same folder and links it to
    /// `path`; when another process linked first, its database is kept and ours removed.
    /// Returns false when another process's database took the name first.
    @discardableResult
    static func createWhole(at path: String) throws -> Bool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let name = (path as NSString).lastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\(name).creating-\(getpid())-\(UUID().uuidString.prefix(8))")
        try prepareNewFile(at: temporary, reportedAs: path)
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) } }
        do {
            var config = Configuration()
            config.foreignKeysEnabled = true
            config.label = "knot-create"
            let queue = try DatabaseQueue(path: temporary, configuration: config)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try ClinicMigrations.migrator.migrate(queue)
            try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try queue.close()
        } catch let e as DatabaseError {
            throw translateOpen(e, path: path)
        }
        let handle = Glibc.open(temporary, O_RDONLY)
        if handle >= 0 { _ = fsync(handle); _ = Glibc.close(handle) }
        if link(temporary, path) != 0 {
            let error = errno
            if error == EEXIST { return false }  // another process created it first: open theirs
            if error == EPERM || error == ENOTSUP || error == EXDEV {
                // No hard links on this file system: a rename instead (not exclusive, but the
                // database it would replace is just as new and empty as this one).
                if !FileManager.default.fileExists(atPath: path), rename(temporary, path) == 0 { return true }
                if FileManager.default.fileExists(atPath: path) { return false }
            }
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(error)))
        }
        let dir = Glibc.open(folder, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); _ = Glibc.close(dir) }
        return true
    }

    /// Why an existing database cannot be written by this process, or nil when it can.
    static func whyReadOnly(_ path: String) -> String? {
        if access(path, W_OK) != 0 {
            let error = errno
            if error == EROFS { return "the disk it is on is mounted read-only" }
            let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
            return "the file is not writable by this user (permission denied\(mode.map { ", mode " + String($0, radix: 8) } ?? ""))"
        }
        return nil
    }

    /// Whether a non-empty rollback journal (`-journal`) is beside the file: a transaction in the
    /// rollback journal writing it now, or one cut short.
    static func hasRollbackJournal(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-journal", &info) == 0 && info.st_size > 0
    }

    /// Lets SQLite roll back a transaction cut short in the rollback journal (a whole-clinic
    /// import into an empty clinic, `withRollbackJournal`, killed or out of power), before the
    /// file is checked and opened: until then the file may be part-written past its header's page
    /// count (read as damaged), and a read-only connection (the identity check's) cannot roll
    /// back. Only when a non-empty `-journal` is beside the file; SQLite itself decides whether
    /// the journal is hot (no other process writing). Done through SQLite's own file layer, never
    /// a descriptor of our own (see `headerAndSize`); whatever fails here (a file that is not a
    /// database, a lock held elsewhere) is left for the checks that follow to name.
    static func rollBackInterruptedTransaction(_ path: String) {
        guard hasRollbackJournal(path) else { return }
        var connection: OpaquePointer?
        defer { sqlite3_close(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else { return }
        // The first read takes the shared lock, and with it rolls back a hot journal. No waiting:
        // a lock held elsewhere means a live transaction, whose journal is not hot.
        _ = sqlite3_exec(connection, "SELECT count(*) FROM sqlite_master", nil, nil, nil)
    }

    /// A `-shm` (shared memory, no data of its own) left unwritable, typically 0400 after the
    /// database was opened read-only, would make every later open fail: made 0600 again when
    /// this user owns it, else named.
    static func repairSharedMemory(_ path: String) throws {
        let shm = path + "-shm"
        var info = stat()
        guard stat(shm, &info) == 0, access(shm, W_OK) != 0 else { return }
        // Gone since `stat`: the last connection of another Knot closed and SQLite removed it.
        if errno == ENOENT { return }
        if info.st_uid == geteuid() {
            if chmod(shm, 0o600) == 0, access(shm, W_OK) == 0 { return }
            if errno == ENOENT { return }
        }
        throw StoreError.cannotOpen(path: path, reason: "the shared-memory file \(shm) is not writable by this user (mode \(String(info.st_mode & 0o777, radix: 8))); with no Knot running, remove it or run: chmod 600 \(shm)")
    }

    /// Creates the folder (0700) and an empty file (0600) so that SQLite inherits the mode.
    /// - Parameter reportedAs: the path errors name (the database, not its private build name).
    static func prepareNewFile(at path: String, reportedAs: String? = nil) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let fm = FileManager.default
        if !fm.fileExists(atPath: dir) {
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotOpen(path: reportedAs ?? path, reason: "cannot create the folder \(dir) (\(Self.reason(error)))")
            }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw StoreError.cannotOpen(path: reportedAs ?? path, reason: String(cString: strerror(errno)))
        }
        _ = Glibc.close(fd)
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? CocoaError, let u = e.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(u.code)))
        }
        return (error as NSError).localizedDescription
    }

    /// Takes group and other access away (a file made read-only on purpose stays read-only).
    static func tightenPermissions(_ path: String) {
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            if stat(path + suffix, &info) == 0, info.st_mode & 0o077 != 0 { chmod(path + suffix, info.st_mode & 0o700) }
        }
    }

    /// An existing file must be a whole SQLite file: its header, and at least as many bytes as
    /// the header says it has pages. An empty or cut file is damaged, not a new clinic.
    static func checkSQLiteHeader(_ path: String) throws {
        // Another process's checkpoint may be writing the file as it is read (page 1 with the new
        // page count first, the pages that extend the file after): a whole file that is growing
        // is seen consistent again a moment later, a cut one never is.
        var attempt = 0
        while true {
            do { return try checkSQLiteHeaderOnce(path) } catch let error as StoreError {
                guard case .cannotOpen(_, let reason) = error, reason == damaged, attempt < 3 else { throw error }
                attempt += 1
                Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
            }
        }
    }

    private static func checkSQLiteHeaderOnce(_ path: String) throws {
        guard let (header, size) = headerAndSize(path) else {
            if access(path, R_OK) != 0, errno == EACCES {
                let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
                throw StoreError.notReadable(path: path, reason: "permission denied (the file is not readable by this user"
                                             + (mode.map { ", mode " + String($0, radix: 8) } ?? "") + ")")
            }
            throw StoreError.cannotOpen(path: path, reason: "permission denied")
        }
        if header.isEmpty {
            throw StoreError.cannotOpen(path: path, reason: "the file is empty (0 bytes), so it holds no clinic; nothing was changed. If it should hold the clinic, restore the latest backup with `knot restore FILE`; to start a new clinic, remove it and run `knot init`")
        }
        if header.count < 16 || Data(header.prefix(16)) != Data("SQLite format 3\0".utf8) {
            throw StoreError.notADatabase(path: path)
        }
        if header.count < 100 { throw StoreError.cannotOpen(path: path, reason: damaged) }
        func be32(_ at: Int) -> Int { header[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        let pages = be32(28)
        // The page count is trusted only when the header says it is current (SQLite's own rule),
        // and only with no rollback journal beside the file: with one, a transaction in the
        // rollback journal (`withRollbackJournal`) may be writing the file, or have been cut
        // short while it did, and SQLite restores the file from the journal first.
        if pages > 0, be32(92) == be32(24), size < pages * pageSize, !Self.hasRollbackJournal(path) {
            throw StoreError.cannotOpen(path: path, reason: damaged)
        }
    }

    /// The file's first bytes (up to 100, the SQLite header) and its size, or nil when it cannot
    /// be opened for reading. Read through SQLite's own file layer, never a descriptor of our own:
    /// SQLite's locks on a database are POSIX locks, held per process, and closing ANY descriptor
    /// of the file drops them all, while every connection of this process believes it still holds
    /// them. Another program (python's sqlite3, a second `knot`) then takes the file as unused:
    /// on closing it checkpoints and deletes the WAL under this process's open connections, which
    /// go on reading an old snapshot and writing into a deleted WAL
    /// (https://sqlite.org/howtocorrupt.html, "POSIX advisory locks canceled by a separate thread
    /// doing close()"). SQLite keeps a descriptor of a locked file open until its locks go.
    static func headerAndSize(_ path: String) -> ([UInt8], Int)? {
        var connection: OpaquePointer?
        defer { sqlite3_close(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else { return nil }
        var pointer: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(connection, "main", SQLITE_FCNTL_FILE_POINTER, &pointer) == SQLITE_OK,
              let file = pointer, let methods = file.pointee.pMethods,
              let fileSize = methods.pointee.xFileSize, let read = methods.pointee.xRead else { return nil }
        var before: sqlite3_int64 = 0
        guard fileSize(file, &before) == SQLITE_OK else { return nil }
        var header = [UInt8](repeating: 0, count: 100)
        let count = Int(min(before, 100))
        if count > 0 {
            let rc = header.withUnsafeMutableBytes { read(file, $0.baseAddress, Int32(count), 0) }
            guard rc == SQLITE_OK else { return nil }
        }
        // The size is taken after the header, as the file only grows while it is written: a
        // size read before a page count another process has just raised would look cut.
        var size: sqlite3_int64 = 0
        guard fileSize(file, &size) == SQLITE_OK else { return nil }
        return (Array(header.prefix(count)), Int(size))
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

    /// Migrates a writable database; true when migrations ran on it, with what a verification
    /// of a keyed clinic found just before (a migration is followed by re-sealing every row, which
    /// must not hide an edit made outside Knot before the upgrade). False, with no verification
    /// and no notice, when every pending migration changes only the schema's text
    /// (`ClinicMigrations.schemaTextOnly`): nothing is sealed again then.
    private static func checkIdentityAndMigrate(pool: DatabasePool, path: String, readOnly: Bool,
                                                notice: ((OpeningNotice) -> Void)?) throws -> (Bool, AuditVerification?) {
        let known = Set(ClinicMigrations.knownMigrations)
        do {
            let applied = try pool.read { db in try Self.checkIdentity(db, path: path) }
            if readOnly { return (false, nil) }
            if Set(applied) != known {
                let pending = ClinicMigrations.knownMigrations.filter { !applied.contains($0) }
                // Only the schema's text changes: no row to verify first or to seal again.
                if Set(pending).isSubset(of: ClinicMigrations.schemaTextOnly) {
                    try ClinicMigrations.migrator.migrate(pool)
                    return (false, nil)
                }
                if let notice {
                    let patients = try pool.read { db in
                        try db.tableExists("patient") ? try Int.fetchOne(db, sql: "SELECT count(*) FROM patient") ?? 0 : 0
                    }
                    notice(.upgrading(migrations: pending, patients: patients))
                }
                let before = try pool.read { db -> AuditVerification? in
                    guard let identity = try RowSeal.identity(db) else { return nil }
                    let keyPath = ClinicKey.location(clinicID: identity.clinicID)
                    // An upgrade re-seals every row: never without the clinic's own key, never
                    // on a clinic whose keyed point was erased (that would seal it as it stands).
                    func refuse(_ why: String) -> StoreError {
                        .cannotSeal(path: path, reason: "it needs an upgrade for this version of Knot, which re-seals every record, and " + why)
                    }
                    guard identity.keyedFrom != nil else {
                        let traces = try RowSeal.keyingTraces(db, keyPath: keyPath)
                        if !traces.isEmpty { throw refuse(RowSeal.erasedRefusal(traces)) }
                        return nil
                    }
                    let loaded: ClinicKey?
                    do { loaded = try ClinicKey.load(path: keyPath) } catch {
                        throw refuse(RowSeal.missingKeyRefusal(keyPath: keyPath, problem: Self.keyProblem(error)))
                    }
                    guard let key = loaded else { throw refuse(RowSeal.missingKeyRefusal(keyPath: keyPath, problem: nil)) }
                    guard try RowSeal.keyMatches(db, key: key, identity: identity) else { throw refuse(RowSeal.wrongKeyRefusal(keyPath: keyPath)) }
                    return try StoreTransaction(db: db, key: key, keyPath: keyPath).verifyAudit(anchor: nil)
                }
                try ClinicMigrations.migrator.migrate(pool)
                return (true, before)
            }
            return (false, nil)
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        }
    }

    /// A Knot database whose pages are damaged (truncated, overwritten): not "not a database".
    static let damaged = "the file is damaged (SQLite reports it malformed); nothing was changed. Restore the latest backup with `knot restore FILE`"
    /// SQLite's "disk I/O error": a write or sync failed, most often because the disk is full.
    static let diskError = "a read or write on the disk failed (is the disk full, or failing?)"

    /// A value GRDB could not decode in a query that names no one table (most reads go through
    /// `CheckedRow`, which names table, row and column).
    static let undecodable = StoreError.damaged(table: "", row: "", column: "", problem: "is not of the kind its column holds")

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
        if let readOnlyReason { throw StoreError.notWritable(path: path, reason: readOnlyReason) }
        if let sealRefusal { throw StoreError.cannotSeal(path: path, reason: sealRefusal) }
        do {
            return try pool.write { db in
                let result = try body(StoreTransaction(db: db, key: key, keyPath: keyPath, collector: collector))
                if let key, let collector { try RowSeal.seal(db, key: key, changes: collector.take()) }
                return result
            }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        } catch is RowDecodingError {
            throw Self.undecodable
        }
    }

    /// Runs `body` on a consistent snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(StoreTransaction(db: db, key: key, keyPath: keyPath)) }
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        } catch is RowDecodingError {
            throw Self.undecodable
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
