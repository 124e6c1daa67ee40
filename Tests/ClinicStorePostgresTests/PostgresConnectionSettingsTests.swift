import Foundation
import PostgresNIO
import Testing
@testable import ClinicStorePostgres

/// The database URL as a clinic group's IT person writes it: every rule without a server.
@Suite("PostgreSQL connection settings")
struct PostgresConnectionSettingsTests {
    let env: [String: String] = ["HOME": "/nonexistent"]

    @Test func aFullTCPURLNamesHostPortDatabaseUserAndTLS() throws {
        let s = try PostgresConnectionSettings.parse(
            "postgres://knot_app@db1.clinic.example:6432/knot_group?sslmode=require&passfile=/etc/knot/pgpass&application_name=knot-site3&connect_timeout=5",
            environment: env)
        #expect(s.endpoint == .tcp(host: "db1.clinic.example", port: 6432))
        #expect(s.username == "knot_app")
        #expect(s.database == "knot_group")
        #expect(s.sslMode == .require)
        #expect(s.passfile == "/etc/knot/pgpass")
        #expect(s.applicationName == "knot-site3")
        #expect(s.connectTimeoutSeconds == 5)
    }

    @Test func defaultsForUserDatabasePortAndTLS() throws {
        let s = try PostgresConnectionSettings.parse("postgresql://db1", environment: ["PGUSER": "reception"])
        #expect(s.endpoint == .tcp(host: "db1", port: 5432))
        #expect(s.username == "reception")
        #expect(s.database == "reception", "the database is named like the user when the URL names none")
        #expect(s.sslMode == .prefer)
        let local = try PostgresConnectionSettings.parse("postgres:///clinic", environment: env, currentUser: "alice")
        #expect(local.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(local.username == "alice")
        #expect(local.database == "clinic")
    }

    @Test func aPasswordInTheURLIsRefusedAndNeverRepeated() {
        for url in ["postgres://knot:s3cret-pw@db1/clinic", "postgres://knot@db1/clinic?password=s3cret-pw"] {
            do throws(PostgresSettingsError) {
                _ = try PostgresConnectionSettings.parse(url, environment: env)
                Issue.record("accepted a password in \(url)")
            } catch {
                guard case .passwordInURL = error else { Issue.record("wrong error \(error)"); continue }
                #expect(error.description.contains("pgpass"))
                #expect(!error.description.contains("s3cret"))
            }
        }
        #expect(PostgresConnectionSettings.redacted("postgres://knot:s3cret@db1/x") == "postgres://knot:***@db1/x")
    }

    @Test func aUnixSocketFolderComesPercentEncodedOrAsHostParameter() throws {
        let encoded = try PostgresConnectionSettings.parse("postgres://knot@%2Fvar%2Frun%2Fpostgresql/clinic", environment: env)
        #expect(encoded.endpoint == .unixSocket(directory: "/var/run/postgresql", port: 5432))
        let query = try PostgresConnectionSettings.parse("postgres://knot@/clinic?host=/tmp/pg%20sock&port=5433", environment: env)
        #expect(query.endpoint == .unixSocket(directory: "/tmp/pg sock", port: 5433))
        #expect(PostgresConnector.socketPath(directory: "/tmp/pg sock/", port: 5433) == "/tmp/pg sock/.s.PGSQL.5433")
        let configuration = try PostgresConnector.configuration(for: query, password: nil)
        #expect(configuration.unixSocketPath == "/tmp/pg sock/.s.PGSQL.5433")
        #expect(configuration.host == nil)
        #expect(configuration.database == "clinic")
    }

    @Test func tlsOnAUnixSocketIsAContradiction() {
        #expect(throws: PostgresSettingsError.self) {
            try PostgresConnectionSettings.parse("postgres://knot@/clinic?host=/run/postgresql&sslmode=require", environment: env)
        }
    }

    @Test func sslModesBecomeTLSSettings() throws {
        let disabled = try PostgresConnector.configuration(
            for: PostgresConnectionSettings.parse("postgres://knot@db1/c?sslmode=disable", environment: env), password: nil)
        #expect(!disabled.tls.isAllowed)
        let preferred = try PostgresConnector.configuration(
            for: PostgresConnectionSettings.parse("postgres://knot@db1/c", environment: env), password: nil)
        #expect(preferred.tls.isAllowed && !preferred.tls.isEnforced)
        let required = try PostgresConnector.configuration(
            for: PostgresConnectionSettings.parse("postgres://knot@db1/c?sslmode=verify-full", environment: env), password: "pw")
        #expect(required.tls.isEnforced)
        #expect(required.options.tlsServerName == "db1")
        // An IP address is no TLS server name: the certificate is checked against the address.
        let byAddress = try PostgresConnector.configuration(
            for: PostgresConnectionSettings.parse("postgres://knot@127.0.0.1/c?sslmode=verify-full", environment: env), password: nil)
        #expect(byAddress.options.tlsServerName == nil)
        #expect(required.password == "pw")
    }

    @Test func ipv6AddressesInBrackets() throws {
        let s = try PostgresConnectionSettings.parse("postgres://knot@[::1]:5433/clinic", environment: env)
        #expect(s.endpoint == .tcp(host: "::1", port: 5433))
        #expect(s.displayURL == "postgres://knot@[::1]:5433/clinic?sslmode=prefer")
    }

    @Test(arguments: [
        ("mysql://knot@db1/clinic", "database URL"),
        ("postgres://knot@db1/clinic?sslmode=sometimes", "sslmode"),
        ("postgres://knot@db1:99999/clinic", "port"),
        ("postgres://knot@db1/clinic?sslmod=require", "URL parameter"),
        ("postgres://knot@db1,db2/clinic", "host"),
        ("postgres://knot@/clinic?host=db1,db2", "host"),
        ("postgres://knot@db1/clinic?target_session_attrs=read-write", "URL parameter"),
        ("postgres://knot@db1:5432/clinic?port=5433", "port"),
        ("postgres://knot@db1/clinic?sslmode=require&sslmode=disable", "sslmode"),
        ("postgres://knot@db1/clinic/extra", "database"),
    ])
    func badURLsNameTheFieldAndTheRule(url: String, field: String) {
        do throws(PostgresSettingsError) {
            _ = try PostgresConnectionSettings.parse(url, environment: env)
            Issue.record("accepted \(url)")
        } catch {
            guard case let .invalid(f, _, rule) = error else { Issue.record("wrong error \(error)"); return }
            #expect(f == field)
            #expect(!rule.isEmpty)
        }
    }

    @Test func knotDatabaseNamesTheServerWhenItIsAURL() throws {
        let s = try PostgresConnectionSettings.fromEnvironment(["KNOT_DATABASE": "postgres://knot@db1/group", "HOME": "/x"])
        #expect(s?.database == "group")
        #expect(try PostgresConnectionSettings.fromEnvironment(["KNOT_DATABASE": "/srv/knot/clinic.sqlite"]) == nil)
        #expect(try PostgresConnectionSettings.fromEnvironment([:]) == nil)
        #expect(PostgresConnectionSettings.isPostgresURL("PostgreSQL://x"))
    }

    @Test("query_timeout is whole seconds from 1 to 86400, 120 when not given; anything else is refused naming it")
    func querySetting() throws {
        #expect(try PostgresConnectionSettings.parse("postgres://knot@db/clinic").queryTimeoutSeconds == 120)
        #expect(try PostgresConnectionSettings.parse("postgres://knot@db/clinic?query_timeout=30").queryTimeoutSeconds == 30)
        for bad in ["0", "86401", "-1", "1.5", "soon"] {
            #expect(throws: PostgresSettingsError.invalid(field: "query_timeout", value: bad, rule: "whole seconds from 1 to 86400")) {
                try PostgresConnectionSettings.parse("postgres://knot@db/clinic?query_timeout=\(bad)")
            }
        }
    }
}
