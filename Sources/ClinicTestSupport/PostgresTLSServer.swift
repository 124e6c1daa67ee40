import Foundation
import Testing
import PostgresNIO
import ClinicStorePostgres

/// A PostgreSQL server that speaks TLS, made by `.ci/postgres-tls` in a scratch folder under
/// /tmp, for the TLS tests (issue 20): a self-signed CA, a server certificate for 127.0.0.1
/// and localhost (not 127.0.0.2, which reaches the same server), TCP logins only over TLS.
/// One server per test process, started by the first test that asks and stopped when the
/// process exits (`.ci/run` also stops one left by a process that died).
public struct PostgresTLSServer: Sendable {
    /// Whether Debian's PostgreSQL server binaries and openssl are installed.
    public static var isAvailable: Bool {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let server = versions.contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") }
        let openssl = ["/usr/bin/openssl", "/bin/openssl", "/usr/local/bin/openssl"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        return server && openssl
    }
    public static let skipped: Comment = "no PostgreSQL server under /usr/lib/postgresql or no openssl (apt-get install postgresql openssl): the TLS tests are skipped"

    /// The repository's `.ci/postgres-tls`.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".ci/postgres-tls").path
    /// The server's folder, named after this process (how `.ci/run` tells a leftover).
    static let directory = "/tmp/knot-tls-\(getpid())"

    /// The TCP port the server listens on, at 127.0.0.1 and 127.0.0.2.
    public let port: Int
    /// The CA's PEM file: the `sslrootcert` that verifies the server.
    public let certificateAuthority: String
    /// The folder of the server's unix socket (logins there need no TLS, for setting up).
    public let socketFolder: String

    /// The one server, started once.
    public static let shared = Task<PostgresTLSServer, any Error> {
        let output: String
        do {
            output = try await BlockingWork.run { try runScript(["start", directory]) }
        } catch {
            _ = try? runScript(["stop", directory])
            throw error
        }
        atexit { _ = try? PostgresTLSServer.runScript(["stop", PostgresTLSServer.directory]) }
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let port = values["PORT"].flatMap({ Int($0) }), let ca = values["CA"], let socket = values["SOCKET"] else {
            throw BlockingWork.ScriptFailed(script: script, arguments: ["start", directory], status: 0, output: "no PORT=, CA= and SOCKET= in: \(output)")
        }
        return PostgresTLSServer(port: port, certificateAuthority: ca, socketFolder: socket)
    }

    /// A new, empty database on the server (made over the unix socket), for one test's clinic.
    public func newDatabase() async throws -> String {
        let name = "knot_tls_" + UUID().uuidString.prefix(8).lowercased()
        let admin = try PostgresConnectionSettings.parse("postgres://knot@/knot_test?host=\(socketFolder)&port=\(port)&sslmode=disable")
        let logger = Logger(label: "knot.tests.postgres-tls")
        let connection = try await PostgresConnector.connect(admin, environment: [:], logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        try await connection.close()
        return name
    }

    /// The clinic's URL over TCP to `host` with `query` (sslmode and the rest).
    public func url(host: String = "127.0.0.1", database: String, _ query: String) -> String {
        "postgres://knot@\(host):\(port)/\(database)?\(query)"
    }

    static func runScript(_ arguments: [String]) throws -> String {
        try BlockingWork.runScript(script, arguments)
    }
}
