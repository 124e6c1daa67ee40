import Foundation
import PostgresNIO

/// Where a clinic group's PostgreSQL server is and how to reach it, read from a
/// `postgres://user@host:port/database?sslmode=...&passfile=...` URL (or `KNOT_DATABASE`).
///
/// Parsing is pure (no network, no files) so every rule can be tested without a server. The
/// password is never part of the settings: a URL that carries one is refused, and it is read
/// from a password file (``PostgresPassFile``) only when connecting, because a password typed on
/// a command line stays in shell history and shows in the process list.
public struct PostgresConnectionSettings: Sendable, Equatable {
    /// Where the server listens.
    public enum Endpoint: Sendable, Equatable {
        /// A TCP host name or address (IPv6 without brackets) and port.
        case tcp(host: String, port: Int)
        /// A unix-domain socket: the folder that holds `.s.PGSQL.<port>`, as libpq's `host=/dir`.
        case unixSocket(directory: String, port: Int)
    }

    /// libpq's `sslmode` values. `allow` and `prefer` try TLS and accept a server without it;
    /// `require` insists on TLS without checking the certificate (as libpq does without a root
    /// certificate); `verify-ca` checks the chain, `verify-full` the chain and the host name.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var username: String
    public var database: String
    public var sslMode: SSLMode
    /// A password file named by the URL's `passfile` parameter (wins over `PGPASSFILE`).
    public var passfile: String?
    /// A PEM file of trusted root certificates for `verify-ca` / `verify-full` (`sslrootcert`).
    public var sslRootCertificate: String?
    /// Shown in `pg_stat_activity` (`application_name`), "knot" unless the URL says otherwise.
    public var applicationName: String
    /// How long to wait for the server to answer a connection, in seconds (`connect_timeout`).
    public var connectTimeoutSeconds: Int
    /// How long one query may wait for the server's answer, in seconds (`query_timeout`, Knot's
    /// own parameter, default 120): past it the connection is closed, the server rolls back what
    /// was not committed, and the command fails saying so, instead of waiting for a server that
    /// died without closing the connection (see `PostgresQueryWait`).
    public var queryTimeoutSeconds: Int

    /// The environment variable that names the clinic database when `--database` is not given.
    public static let environmentVariable = "KNOT_DATABASE"
    public static let defaultPort = 5432

    public init(endpoint: Endpoint, username: String, database: String, sslMode: SSLMode = .prefer,
                passfile: String? = nil, sslRootCertificate: String? = nil,
                applicationName: String = "knot", connectTimeoutSeconds: Int = 10, queryTimeoutSeconds: Int = 120) {
        self.endpoint = endpoint
        self.username = username
        self.database = database
        self.sslMode = sslMode
        self.passfile = passfile
        self.sslRootCertificate = sslRootCertificate
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.queryTimeoutSeconds = queryTimeoutSeconds
    }

    /// True when `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The settings named by `KNOT_DATABASE`, or nil when it is unset, empty, or names a file.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       currentUser: String? = nil) throws(PostgresSettingsError) -> PostgresConnectionSettings? {
        guard let value = environment[environmentVariable], isPostgresURL(value) else { return nil }
        return try parse(value, environment: environment, currentUser: currentUser)
    }

    /// Reads a `postgres://` or `postgresql://` URL.
    ///
    /// - A user name missing from the URL comes from `PGUSER`, then the login name; a database
    ///   missing from the path is named like the user (libpq's defaults). A URL without a host
    ///   reaches `localhost` over TCP (libpq would use its compiled-in socket folder instead).
    /// - A host that starts with `/` (percent-encoded in the authority, `%2Fvar%2Frun%2Fpostgresql`,
    ///   or given as `?host=/var/run/postgresql`) is a unix-socket folder.
    /// - Parameters: `sslmode`, `passfile`, `host`, `port`, `sslrootcert`, `application_name`,
    ///   `connect_timeout`, `query_timeout`. Any other parameter is refused (a typo must not be ignored), and so is
    ///   a password, in the authority or as `password=`.
    public static func parse(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                             currentUser: String? = nil) throws(PostgresSettingsError) -> PostgresConnectionSettings {
        let text = url.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = text.range(of: "://"),
              ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound].lowercased()) else {
            throw .invalid(field: "database URL", value: redacted(text), rule: "starts with postgres:// or postgresql://")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") {
            throw .invalid(field: "database URL", value: redacted(text), rule: "has no #fragment (found '\(rest[hash...])')")
        }
        var queryText: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var pathText: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            pathText = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var authority = rest
        var userText: Substring?
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if userInfo.contains(":") {
                throw .passwordInURL(parameter: "user:password@")
            }
            userText = userInfo
        }

        // Host and port from the authority.
        var host: String?
        var port: Int?
        if authority.contains(",") {
            throw .invalid(field: "host", value: String(authority), rule: "one server only (several hosts are not supported yet)")
        }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .invalid(field: "host", value: String(authority), rule: "an IPv6 address closes its bracket")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw .invalid(field: "host", value: String(authority), rule: "[address]:port")
                }
                port = try parsePort(String(after.dropFirst()))
            }
        } else if !authority.isEmpty {
            var hostPart = authority
            if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                port = try parsePort(String(authority[authority.index(after: colon)...]))
            }
            if !hostPart.isEmpty { host = try decode(hostPart, field: "host") }
        }

        var settings = PostgresConnectionSettings(endpoint: .tcp(host: "localhost", port: defaultPort), username: "", database: "")
        var seen = Set<String>()
        var queryHost: String?
        var queryPort: Int?
        for pair in queryText.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], field: "URL parameter")
            let value = parts.count > 1 ? try decode(parts[1], field: name) : ""
            guard seen.insert(name).inserted else {
                throw .invalid(field: name, value: value, rule: "given once")
            }
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw .invalid(field: "sslmode", value: value, rule: "one of " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                settings.sslMode = mode
            case "passfile":
                guard !value.isEmpty else { throw .invalid(field: "passfile", value: value, rule: "names a file") }
                settings.passfile = value
            case "sslrootcert":
                guard !value.isEmpty else { throw .invalid(field: "sslrootcert", value: value, rule: "names a file") }
                settings.sslRootCertificate = value
            case "host":
                guard !value.isEmpty else { throw .invalid(field: "host", value: value, rule: "names a host or a socket folder") }
                // libpq's host list (`host=a,b` with target_session_attrs); postgres-nio has no such thing.
                guard !value.contains(",") else {
                    throw .invalid(field: "host", value: value, rule: "one server only (several hosts are not supported yet)")
                }
                queryHost = value
            case "port":
                queryPort = try parsePort(value)
            case "application_name":
                guard (1...63).contains(value.utf8.count), !value.contains(where: \.isNewline) else {
                    throw .invalid(field: "application_name", value: value, rule: "1 to 63 bytes on one line")
                }
                settings.applicationName = value
            case "connect_timeout":
                guard let seconds = Int(value), (1...3600).contains(seconds) else {
                    throw .invalid(field: "connect_timeout", value: value, rule: "whole seconds from 1 to 3600")
                }
                settings.connectTimeoutSeconds = seconds
            case "query_timeout":
                guard let seconds = Int(value), (1...86_400).contains(seconds) else {
                    throw .invalid(field: "query_timeout", value: value, rule: "whole seconds from 1 to 86400")
                }
                settings.queryTimeoutSeconds = seconds
            case "password":
                throw .passwordInURL(parameter: "password=")
            default:
                throw .invalid(field: "URL parameter", value: name,
                               rule: "one of sslmode, passfile, host, port, sslrootcert, application_name, connect_timeout, query_timeout")
            }
        }
        if let queryHost {
            if host != nil {
                throw .invalid(field: "host", value: queryHost, rule: "given once (in the URL's authority or as ?host=, not both)")
            }
            host = queryHost
        }
        if let queryPort {
            if port != nil {
                throw .invalid(field: "port", value: String(queryPort), rule: "given once (in the URL's authority or as ?port=, not both)")
            }
            port = queryPort
        }

        let resolvedPort = port ?? defaultPort
        if let host, host.hasPrefix("/") {
            settings.endpoint = .unixSocket(directory: host, port: resolvedPort)
            if [.require, .verifyCA, .verifyFull].contains(settings.sslMode) {
                throw .invalid(field: "sslmode", value: settings.sslMode.rawValue,
                               rule: "a unix socket carries no TLS; use disable or prefer, or connect over TCP")
            }
        } else if let host {
            guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                throw .invalid(field: "host", value: host, rule: "a host name, an address, or a socket folder starting with /")
            }
            settings.endpoint = .tcp(host: host, port: resolvedPort)
        } else {
            settings.endpoint = .tcp(host: "localhost", port: resolvedPort)
        }

        var user: String?
        if let userText { user = try decode(userText, field: "user") }
        let fallbackUser = environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? currentUser ?? loginName()
        guard let username = (user?.isEmpty == false ? user : nil) ?? fallbackUser, !username.isEmpty else {
            throw .invalid(field: "user", value: "", rule: "named in the URL (user@host) or by PGUSER")
        }
        settings.username = username

        let database = try decode(pathText, field: "database")
        if database.contains("/") {
            throw .invalid(field: "database", value: database, rule: "one database name after the host")
        }
        settings.database = database.isEmpty ? username : database
        guard settings.database.utf8.count <= 63 else {
            throw .invalid(field: "database", value: settings.database, rule: "at most 63 bytes")
        }
        return settings
    }

    /// The URL again, without anything secret (there is nothing secret in the settings).
    public var displayURL: String {
        var query = ["sslmode=\(sslMode.rawValue)"]
        let hostPart: String
        switch endpoint {
        case let .tcp(host, port):
            hostPart = (host.contains(":") ? "[\(host)]" : host) + (port == Self.defaultPort ? "" : ":\(port)")
        case let .unixSocket(directory, port):
            hostPart = ""
            query.insert("host=\(directory)", at: 0)
            if port != Self.defaultPort { query.insert("port=\(port)", at: 1) }
        }
        if let passfile { query.append("passfile=\(passfile)") }
        return "postgres://\(username)@\(hostPart)/\(database)?" + query.joined(separator: "&")
    }

    /// The host name as the password file and the server's certificate know it: the TCP host,
    /// or the socket folder.
    public var hostForPassword: String {
        switch endpoint {
        case let .tcp(host, _): host
        case let .unixSocket(directory, _): directory
        }
    }

    public var port: Int {
        switch endpoint {
        case let .tcp(_, port), let .unixSocket(_, port): port
        }
    }

    private static func parsePort(_ text: String) throws(PostgresSettingsError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw .invalid(field: "port", value: text, rule: "a number from 1 to 65535")
        }
        return port
    }

    private static func decode(_ text: Substring, field: String) throws(PostgresSettingsError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw .invalid(field: field, value: String(text), rule: "valid percent-encoding (%2F for /)")
        }
        return decoded
    }

    /// The URL for an error message with any password replaced, so it never reaches a log.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"),
              let at = text[schemeEnd.upperBound...].firstIndex(of: "@") else { return text }
        let userInfo = text[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    private static func loginName() -> String? {
        guard let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
