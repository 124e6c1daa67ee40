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
            // The host name is sent as the TLS server name (SNI), and verify-full checks the
            // certificate against it. An IP address is never valid in SNI (NIOSSL refuses the
            // connection): without a name the certificate is checked against the address
            // connected to, which is the host asked for.
            if settings.sslMode == .verifyFull, (try? SocketAddress(ipAddress: host, port: 0)) == nil {
                configuration.options.tlsServerName = host
            }
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

    /// Words for why connecting with `settings` failed when TLS was the trouble: the server's
    /// certificate not signed by a trusted root, not naming the host, a handshake that failed,
    /// a server that offers no TLS. Nil for any other trouble. PostgresNIO's own description
    /// of such an error says nothing (it hides details that might hold data); a certificate's
    /// problem holds none.
    public static func tlsTrouble(_ error: any Error, settings: PostgresConnectionSettings) -> String? {
        let mode = "sslmode=\(settings.sslMode.rawValue)"
        var host = ""
        if case let .tcp(name, _) = settings.endpoint { host = name }
        let roots = settings.sslRootCertificate.map { "sslrootcert=\($0)" } ?? "the system's root certificates, as no sslrootcert is given"
        if let psql = error as? PSQLError {
            if psql.code == .sslUnsupported {
                return "the server offers no TLS and \(mode) requires it (ask the server's administrator for ssl=on, or use sslmode=prefer)"
            }
            return psql.underlying.flatMap { tlsTrouble($0, settings: settings) }
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "the server's certificate does not name the host \(host) (\(mode) checks the host name; connect by a name the certificate carries)"
        }
        if let ssl = error as? NIOSSLError {
            if case .handshakeFailed(let failure) = ssl {
                let detail = "\(failure)"
                if detail.contains("CERTIFICATE_VERIFY_FAILED") {
                    return "the server's certificate is not signed by a root trusted here (\(mode) checks it against \(roots))"
                }
                return "the TLS handshake with the server failed (\(mode)): \(detail)"
            }
            return "TLS with the server failed (\(mode)): \(ssl)"
        }
        if let extra = error as? NIOSSLExtraError { return "TLS with the server failed (\(mode)): \(extra)" }
        return nil
    }
}
