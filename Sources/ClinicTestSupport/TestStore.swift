import Foundation
import Testing
import ClinicServices
import ClinicStore
import ClinicStorePostgres
import PostgresNIO

// # One conformance suite, both stores
//
// A use-case test that should hold on every record store takes the store as its argument
// instead of making an SQLite file itself:
//
//     @Test("a patient is found by a prefix of her family name", arguments: TestStore.all)
//     func search(store: TestStore) throws {
//         let clinic = try store.newClinic()          // an empty location, dropped afterwards
//         let setup = try ClinicSession.open(path: clinic.location, handle: "", environment: [:])
//         try setup.setUpClinic(firstAccount: …)
//         …                                           // the same assertions for both stores
//     }
//
// `clinic.location` is what a user passes to `--database`: an SQLite file path in a fresh
// temporary folder, or a `postgres://` URL of a fresh database on the server that
// `KNOT_TEST_POSTGRES` names (`.ci/postgres-cluster start DIR` prints one). Keep `clinic`
// alive for the length of the test: releasing it removes the folder or drops the database.
// Without `KNOT_TEST_POSTGRES`, the PostgreSQL case is cancelled (reported as skipped, with
// the reason) and the SQLite case runs as before. Convert an existing test by replacing its
// `TemporaryDirectory` + `dir.file("clinic.sqlite")` with `store.newClinic().location`; do
// not copy a test per store. A test of SQLite's own mechanics (WAL files, file modes, row
// seals against sqlite3 edits) stays SQLite-only.

/// The record store a conformance test runs on.
public enum TestStore: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// Every store, for `@Test(arguments: TestStore.all)`.
    public static let all: [TestStore] = allCases

    public var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// The URL of a PostgreSQL role that may create databases, or nil when the tests run without one.
    public static let postgresURL: String? = ProcessInfo.processInfo.environment["KNOT_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// Why PostgreSQL cases are skipped.
    public static let postgresSkipped = "KNOT_TEST_POSTGRES is not set (a postgres:// URL of a role that may create databases; `.ci/postgres-cluster start DIR` prints one): the PostgreSQL case is skipped"

    private static let skipNoticeLock = NSLock()
    nonisolated(unsafe) private static var skipNoticeGiven = false

    /// A new, empty place for a clinic on this store. On PostgreSQL without `KNOT_TEST_POSTGRES`
    /// the current test case is cancelled (skipped, saying why).
    public func newClinic() throws -> TestClinicLocation {
        switch self {
        case .sqlite:
            return TestClinicLocation(sqliteIn: TemporaryDirectory(prefix: "knot-store-test"))
        case .postgres:
            guard let url = Self.postgresURL else {
                // The console does not show a cancelled case's reason: say it on stderr, once.
                if Self.skipNoticeLock.withLock({ defer { Self.skipNoticeGiven = true }; return !Self.skipNoticeGiven }) {
                    FileHandle.standardError.write(Data("note: \(Self.postgresSkipped)\n".utf8))
                }
                try Test.cancel(Comment(rawValue: Self.postgresSkipped))
            }
            return try TestClinicLocation(postgresOn: url)
        }
    }
}

/// An empty location for one test's clinic: an SQLite path in a temporary folder, or a fresh
/// PostgreSQL database. Released, it removes the folder or drops the database.
public final class TestClinicLocation: @unchecked Sendable {
    /// What `--database` takes: a file path or a `postgres://` URL.
    public let location: String
    /// The store it is on.
    public let store: TestStore
    private let folder: TemporaryDirectory?
    private let admin: PostgresConnectionSettings?
    private let databaseName: String?

    init(sqliteIn folder: TemporaryDirectory) {
        self.folder = folder
        location = folder.file("clinic.sqlite")
        store = .sqlite
        admin = nil
        databaseName = nil
    }

    init(postgresOn url: String) throws {
        let settings = try PostgresConnectionSettings.parse(url)
        let name = "knot_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try Self.onAdmin(settings) { admin in
            _ = try admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Self.logger).wait()
        }
        var fresh = settings
        fresh.database = name
        location = fresh.displayURL
        store = .postgres
        admin = settings
        databaseName = name
        folder = nil
    }

    /// A scratch folder beside the clinic (for exports, backups, letters).
    public lazy var scratch = TemporaryDirectory(prefix: "knot-store-scratch")

    deinit {
        if let admin, let databaseName {
            try? Self.onAdmin(admin) { admin in
                _ = try admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)"), logger: Self.logger).wait()
            }
        }
    }

    private static let logger = Logger(label: "knot.tests.postgres")

    private static func onAdmin(_ settings: PostgresConnectionSettings, _ body: (PostgresConnection) throws -> Void) throws {
        try PostgresConnector.withBlockingConnection(settings, logger: logger, body)
    }
}

extension TestClinicLocation {
    /// A maintenance session on this location (every action allowed, its audit events naming
    /// `actor`; the clinic created when there is none yet): a test's records team at work, on
    /// either store, as `ClinicSession.maintenance(database: ClinicDatabase(path:), …)` is on SQLite.
    public func maintenanceSession(actor: String = "records") throws -> ClinicSession {
        let database: any ClinicRecordStore = switch store {
        case .sqlite: try ClinicDatabase(path: location)
        case .postgres: try PostgresRecordStore(url: location, create: true)
        }
        return ClinicSession.maintenance(database: database, actor: actor)
    }
}

/// One value read straight from a clinic database, whichever store keeps it (what a test
/// checks behind Knot's back): `SQLiteProbe.scalar` for a file, a query on the server for a
/// `postgres://` location. `sql` is one scalar SELECT valid on both (count(*), a column).
public enum StoreProbe {
    public static func scalar(_ location: String, _ sql: String) throws -> String? {
        guard PostgresConnectionSettings.isPostgresURL(location) else { return try SQLiteProbe.scalar(location, sql) }
        return try connected(location) { connection, logger in
            let rows = try connection.query(PostgresQuery(unsafeSQL: "SELECT (\(sql))::text"), logger: logger).wait().rows
            return try rows.first?.decode(String?.self) ?? nil
        }
    }

    /// Runs one statement valid on both stores (an UPDATE behind Knot's back, as another program
    /// would), committed; throws when the database refuses it (a trigger, a constraint).
    public static func execute(_ location: String, _ sql: String) throws {
        guard PostgresConnectionSettings.isPostgresURL(location) else {
            _ = try SQLiteProbe.python("""
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1])
                c.execute(sys.argv[2])
                c.commit()
                """, [location, sql])
            return
        }
        try connected(location) { connection, logger in
            _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).wait()
        }
    }

    /// Runs statements straight on a clinic database, behind Knot's back, as its owner (what a
    /// test does to damage a clinic, or to see the schema refuse a write whatever writes it):
    /// "ok", or the database's refusal in its words. Each statement is one command valid on
    /// that store; they run in order, in one transaction, up to the first refused.
    public static func run(_ location: String, _ statements: [String]) throws -> String {
        guard PostgresConnectionSettings.isPostgresURL(location) else {
            let script = """
            import sqlite3, sys, json
            c = sqlite3.connect(sys.argv[1])
            try:
                for statement in json.loads(sys.argv[2]):
                    c.execute(statement)
                c.commit()
                print("ok")
            except sqlite3.DatabaseError as e:
                print(e)
            """
            let json = String(decoding: try JSONEncoder().encode(statements), as: UTF8.self)
            return try SQLiteProbe.python(script, [location, json]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return try connected(location) { connection, logger in
            do {
                _ = try connection.query("BEGIN", logger: logger).wait()
                for statement in statements { _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait() }
                _ = try connection.query("COMMIT", logger: logger).wait()
                return "ok"
            } catch let error as PSQLError {
                return error.serverInfo?[.message] ?? "\(error)"
            }
        }
    }

    /// `body` on a new connection to the clinic database at a `postgres://` location, closed after.
    private static func connected<T>(_ location: String, _ body: (PostgresConnection, Logger) throws -> T) throws -> T {
        let settings = try PostgresConnectionSettings.parse(location)
        let password = try PostgresPassFile.password(for: settings, environment: ProcessInfo.processInfo.environment)
        let configuration = try PostgresConnector.configuration(for: settings, password: password)
        let logger = Logger(label: "knot.tests.probe")
        let connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                        id: 0, logger: logger).wait()
        defer { _ = try? connection.close().wait() }
        return try body(connection, logger)
    }
}
