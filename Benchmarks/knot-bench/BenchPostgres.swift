import ClinicStorePostgres
import Foundation
import PostgresNIO

/// The bench's own databases on the PostgreSQL server that `--postgres URL` names: a new, empty
/// database per measured run (the URL's role must be allowed to create databases), dropped
/// afterwards unless `--keep`. Credentials come from where `knot` reads them (PGPASSFILE, a
/// `passfile` in the URL).
enum BenchPostgres {
    static let logger = Logger(label: "knot-bench.postgres")

    /// Creates database `name` on the server and returns the URL of it.
    static func createDatabase(on url: String, name: String) throws -> String {
        let settings = try PostgresConnectionSettings.parse(url)
        try onServer(settings) { c in
            _ = try c.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).wait()
        }
        var fresh = settings
        fresh.database = name
        return fresh.displayURL
    }

    /// Drops database `name` (closing any connection left to it).
    static func dropDatabase(on url: String, name: String) throws {
        try onServer(try PostgresConnectionSettings.parse(url)) { c in
            _ = try c.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger).wait()
        }
    }

    /// The server's version and the settings that decide what a commit costs, for the report.
    static func describeServer(_ url: String) throws -> String {
        var text = ""
        try onServer(try PostgresConnectionSettings.parse(url)) { c in
            let rows = try c.query("SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('max_connections')",
                                   logger: logger).wait().rows
            let (version, fsync, commit, connections) = try rows[0].decode((String, String, String, String).self)
            text = "PostgreSQL \(version), fsync=\(fsync), synchronous_commit=\(commit), max_connections=\(connections)"
        }
        return text
    }

    private static func onServer(_ settings: PostgresConnectionSettings, _ body: (PostgresConnection) throws -> Void) throws {
        try PostgresConnector.withBlockingConnection(settings, logger: logger, body)
    }
}
