import Foundation
import PostgresNIO

/// Opens connections to the clinic group's server from ``PostgresConnectionSettings``: the
/// password from the password file, TLS as `sslmode` asks, the unix socket when the host is a
/// folder.
public enum PostgresConnector {
    /// The PostgresNIO configuration for `settings` with `password` (nil: none sent).
    public static func configuration(for settings: PostgresConnectionSettings, password: String?) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch settings.endpoint {
        case let .tcp(host, port):
            configuration = .init(host: host, port: port, username: settings.username, password: password,
                                  database: settings.database, tls: try tls(for: settings))
            if settings.sslMode == .verifyFull { configuration.options.tlsServerName = host }
        case let .unixSocket(directory, port):
            let path = socketPath(directory: directory, port: port)
            // sockaddr_un.sun_path holds 108 bytes with the terminating NUL.
            guard path.utf8.count < 108 else {
                throw PostgresSettingsError.invalid(field: "host", value: directory, rule: "a socket folder whose path is shorter than 90 bytes")
            }
            configuration = .init(unixSocketPath: path, username: settings.username, password: password, database: settings.database)
        }
        configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = [("application_name", settings.applicationName)]
        return configuration
    }

    /// The socket file a server listening in `directory` on `port` creates (libpq's rule).
    public static func socketPath(directory: String, port: Int) -> String {
        (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/.s.PGSQL.\(port)"
    }

    /// Connects, reading the password from the password file.
    public static func connect(_ settings: PostgresConnectionSettings,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               logger: Logger = Logger(label: "knot.postgres")) async throws -> PostgresConnection {
        let password = try PostgresPassFile.password(for: settings, environment: environment)
        let configuration = try configuration(for: settings, password: password)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    }

    /// Runs `body` on a new connection of its own, blocking, and closes it afterwards: for work
    /// beside a clinic's store (creating or dropping a database, reading the server's settings)
    /// from a thread that may block (not from Swift concurrency's threads).
    public static func withBlockingConnection(_ settings: PostgresConnectionSettings,
                                              environment: [String: String] = ProcessInfo.processInfo.environment,
                                              logger: Logger = Logger(label: "knot.postgres"),
                                              _ body: (PostgresConnection) throws -> Void) throws {
        let password = try PostgresPassFile.password(for: settings, environment: environment)
        let configuration = try configuration(for: settings, password: password)
        let connection = try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                        id: 0, logger: logger).wait()
        defer { _ = try? connection.close().wait() }
        try body(connection)
    }

    private static func tls(for settings: PostgresConnectionSettings) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch settings.sslMode {
        case .disable:
            return .disable
        case .allow, .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let root = settings.sslRootCertificate {
            guard FileManager.default.isReadableFile(atPath: root) else {
                throw PostgresSettingsError.invalid(field: "sslrootcert", value: root, rule: "a readable PEM file of root certificates")
            }
            tls.trustRoots = .file(root)
        }
        let context = try NIOSSLContext(configuration: tls)
        return settings.sslMode == .allow || settings.sslMode == .prefer ? .prefer(context) : .require(context)
    }
}
