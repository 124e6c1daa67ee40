import Foundation
import ClinicModel
import PostgresNIO

/// A clinic's records on a PostgreSQL server (clinic groups, issue 20): the same operations as
/// the SQLite store, over PostgresNIO, behind the same synchronous API.
///
/// Each `write` is one transaction (`BEGIN` … `COMMIT`, `ROLLBACK` when the body throws); each
/// `read` is a read-only `REPEATABLE READ` transaction, so it sees one snapshot. The calls block
/// the calling thread on PostgresNIO's futures (never call them on an event loop). Connections
/// come from a small pool: up to `maximumConnections` transactions run at once, from any
/// threads; a connection that lost the server is dropped, never reused. Errors are
/// ``PostgresStoreError``s with the SQLite store's cases (ClinicServices maps both alike).
public final class PostgresRecordStore: Sendable {
    /// The database's URL without anything secret, for messages, `knot check` and the banner.
    public let path: String
    /// The parsed settings the store connects with.
    public let settings: PostgresConnectionSettings
    /// Whether opening this store made the clinic (ran the first migration).
    public let createdHere: Bool
    /// Where the clinic's key files are looked for (`XDG_CONFIG_HOME`, `HOME`).
    let environment: [String: String]
    let pool: PostgresConnectionPool
    static let logger = Logger(label: "knot.postgres")

    /// How many transactions may run at once from one process.
    public static let maximumConnections = 8

    /// Connects to `url` (`postgres://` or `postgresql://`), checks that it holds a Knot clinic
    /// this build knows, and, when `create`, makes one there (runs the migrations).
    ///
    /// - Throws: `PostgresStoreError.missing` for a database without a clinic (or no such
    ///   database) when not creating; `.notAKnotDatabase` for one with other tables;
    ///   `.newerDatabase` for one migrated by a newer Knot; `.cannotOpen` when the server cannot
    ///   be reached or the URL is unusable.
    public convenience init(url: String, create: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let settings: PostgresConnectionSettings
        do { settings = try PostgresConnectionSettings.parse(url, environment: environment) }
        catch { throw PostgresStoreError.cannotOpen(path: PostgresConnectionSettings.redacted(url), reason: "\(error)") }
        try self.init(settings: settings, create: create, environment: environment)
    }

    public init(settings: PostgresConnectionSettings, create: Bool,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let path = settings.displayURL
        self.path = path
        self.settings = settings
        self.environment = environment
        let configuration: PostgresConnection.Configuration
        do {
            let password = try PostgresPassFile.password(for: settings, environment: environment)
            configuration = try PostgresConnector.configuration(for: settings, password: password)
        } catch {
            throw PostgresStoreError.cannotOpen(path: path, reason: "\(error)")
        }
        pool = PostgresConnectionPool(configuration: configuration, path: path, maximum: Self.maximumConnections)
        do {
            createdHere = try pool.withConnection { connection in
                try Self.prepare(connection, path: path, create: create)
            }
        } catch let error as PostgresStoreError {
            throw Self.explained(error, settings: settings, configuration: configuration)
        }
    }

    /// `error` from the first connection, with TLS trouble said in words: the pool's message
    /// cannot say why a TLS handshake failed (PostgresNIO hides it), so one more attempt, made
    /// only after a failure to reach the server over TLS, finds out; and a server that takes
    /// only TLS logins refusing `sslmode=disable` says which setting to change.
    private static func explained(_ error: PostgresStoreError, settings: PostgresConnectionSettings,
                                  configuration: PostgresConnection.Configuration) -> PostgresStoreError {
        guard case let .cannotOpen(path, reason) = error, case .tcp = settings.endpoint else { return error }
        if settings.sslMode == .disable, reason.contains("no encryption") {
            // The pool's hint about the password file does not apply: the login was refused for want of TLS.
            let refused = reason.components(separatedBy: " (see PGPASSFILE").first ?? reason
            return .cannotOpen(path: path, reason: refused + "; the server takes only TLS logins here: use sslmode=require, or verify-full with sslrootcert")
        }
        guard settings.sslMode != .disable, reason.hasPrefix("cannot reach the PostgreSQL server") else { return error }
        let connecting = PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                    id: 0, logger: logger)
        do {
            let connection = try PostgresQueryWait.result(of: connecting, on: nil,
                                                          timeout: .seconds(Int64(settings.connectTimeoutSeconds) + 10))
            _ = try? PostgresQueryWait.result(of: connection.close(), on: connection, timeout: .seconds(5))
            return error
        } catch {
            connecting.whenSuccess { late in let closing: EventLoopFuture<Void> = late.close(); _ = closing }
            guard let words = PostgresConnector.tlsTrouble(error, settings: settings) else { return .cannotOpen(path: path, reason: reason) }
            return .cannotOpen(path: path, reason: "cannot reach the PostgreSQL server over TLS: \(words)")
        }
    }

    /// Checks (and when `create`, brings up to date) the schema; true when it made the clinic.
    private static func prepare(_ connection: PostgresConnection, path: String, create: Bool) throws -> Bool {
        let rows = try PostgresQueryWait.result(of: connection.query(
            "SELECT to_regclass(\(PostgresMigrations.table)) IS NOT NULL, (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())::bigint",
            logger: logger), on: connection, timeout: .seconds(120))
        let (hasMigrations, tables) = try rows.rows[0].decode((Bool, Int64).self)
        if !hasMigrations {
            if tables > 0 { throw PostgresStoreError.notAKnotDatabase(path: path) }
            guard create else { throw PostgresStoreError.missing(path: path) }
        }
        let applied: [String]
        do { applied = try PostgresMigrations.appliedBlocking(connection, logger: logger) }
        catch {
            if hasMigrations { throw PostgresStoreError.cannotOpen(path: path, reason: error.description) }
            applied = []
        }
        let known = Set(PostgresMigrations.all.map(\.name))
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw PostgresStoreError.newerDatabase(path: path, unknownMigrations: unknown.sorted()) }
        if hasMigrations && applied.isEmpty && !create { throw PostgresStoreError.missing(path: path) }
        // An existing clinic is brought up to date (as the SQLite store migrates on open); one
        // that is needs no privilege beyond reading and writing records (Knot's working role).
        if hasMigrations, Set(applied) == known { return false }
        do {
            let ran = try PostgresMigrations.migrateBlocking(connection, logger: logger)
            return ran.contains(PostgresMigrations.all[0].name)
        } catch {
            if case .newerDatabase(let m) = error { throw PostgresStoreError.newerDatabase(path: path, unknownMigrations: [m]) }
            throw PostgresStoreError.cannotOpen(path: path, reason: error.description)
        }
    }

    /// Runs `body` on a consistent snapshot (a read-only `REPEATABLE READ` transaction).
    public func read<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try transaction("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// Runs `body` in one write transaction: all of it or none of it.
    @discardableResult
    public func write<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try transaction("BEGIN", body)
    }

    private func transaction<T>(_ begin: PostgresQuery, _ body: (PostgresTransaction) throws -> T) throws -> T {
        let path = path
        return try pool.withConnection { connection in
            let tx = PostgresTransaction(connection: connection, path: path, store: self)
            try tx.execute(begin)
            let result: T
            do {
                result = try body(tx)
            } catch {
                // A lost connection has nothing to roll back (the server does it): the pool drops
                // it and the error says why. A rollback that fails leaves the connection unusable too.
                if connection.isClosed || PostgresStoreError.isConnectionLoss(PostgresStoreError.translated(error, path: path)) {
                    throw PostgresConnectionPool.Discard(error: error)
                }
                do { try tx.execute("ROLLBACK") } catch { throw PostgresConnectionPool.Discard(error: error) }
                throw error
            }
            // Not sent on a connection already gone: then nothing was saved, for certain.
            if connection.isClosed { throw PostgresConnectionPool.Discard(error: PostgresStoreError.writeFailed(reason: "the connection to the PostgreSQL server was lost")) }
            do {
                try tx.execute("COMMIT")
            } catch let error as PostgresStoreError where PostgresStoreError.isConnectionLoss(error) {
                // Sent, but no answer: the server may have committed before the connection went.
                guard case .writeFailed(let reason) = error else { throw PostgresConnectionPool.Discard(error: error) }
                throw PostgresConnectionPool.Discard(error: PostgresStoreError.commitUnknown(reason: reason))
            }
            return result
        }
    }

    /// The migrations applied, oldest first (for `knot check`).
    public func appliedMigrations() throws -> [String] {
        try pool.withConnection { connection in
            do { return try PostgresMigrations.appliedBlocking(connection, logger: Self.logger) }
            catch { throw PostgresStoreError.cannotOpen(path: path, reason: "\(error)") }
        }
    }

    /// Problems PostgreSQL's own guarantees leave to look for: foreign keys and validated CHECKs
    /// cannot be broken in a committed row, so this names rows breaking a CHECK added `NOT VALID`,
    /// disabled triggers among Knot's rules, and indexes marked invalid. Empty when healthy.
    public func integrityProblems() throws -> [String] {
        try read { tx in
            var problems: [String] = []
            // A CHECK added NOT VALID (a later rule, as SQLite's triggers: older rows kept) is
            // checked here: a row breaking it is named.
            for row in try tx.query("""
                SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE NOT convalidated AND contype = 'c' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2
                """) {
                let (table, name, definition) = try row.decode((String, String, String).self)
                guard definition.hasPrefix("CHECK "), definition.hasSuffix(" NOT VALID") else { continue }
                let expression = definition.dropFirst("CHECK ".count).dropLast(" NOT VALID".count)
                let broken = try tx.value(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table) WHERE NOT \(expression)"), as: Int64.self) ?? 0
                if broken > 0 { problems.append("\(broken) row(s) of \(table) break constraint \(name)") }
            }
            for row in try tx.query("""
                SELECT tgrelid::regclass::text, tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE NOT t.tgisinternal AND t.tgenabled = 'D' AND c.relnamespace = current_schema()::regnamespace ORDER BY 1, 2
                """) {
                let (table, name) = try row.decode((String, String).self)
                problems.append("trigger \(name) on \(table) is disabled (a rule of the clinic is not enforced)")
            }
            for row in try tx.query("""
                SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace ORDER BY 1
                """) {
                problems.append("index \(try row.decode(String.self)) is invalid (rebuild it with REINDEX)")
            }
            return problems
        }
    }

    /// Refused: a PostgreSQL clinic is backed up with the server's own tools.
    public func backup(to destination: String) throws {
        throw PostgresStoreError.cannotOpen(
            path: destination,
            reason: "`knot backup` copies an SQLite clinic file; a clinic on PostgreSQL is backed up on the server: "
                + "`pg_dump --format=custom` for a copy of the database, `pg_basebackup` with WAL archiving for point-in-time recovery (nothing was written)")
    }

    /// Closes every connection; later calls fail cleanly.
    public func close() throws {
        pool.close()
    }
}
