import Foundation
import PostgresNIO
import Testing
@testable import ClinicStorePostgres

/// The server the schema tests use: `KNOT_TEST_POSTGRES`, a postgres:// URL of a role that may
/// create databases (`.ci/run` starts a throwaway cluster and sets it). Each test gets a new,
/// empty database that is dropped afterwards.
enum PostgresTestServer {
    static let url: String? = ProcessInfo.processInfo.environment["KNOT_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let isConfigured = url != nil
    static let skipped: Comment = "KNOT_TEST_POSTGRES is not set (a postgres:// URL of a role that may create databases; .ci/run starts a throwaway cluster): PostgreSQL schema tests skipped"
    static let logger = Logger(label: "knot.tests.postgres")

    /// Runs `body` on a connection to a fresh, empty database.
    static func withFreshDatabase(_ body: (PostgresConnection) async throws -> Void) async throws {
        let settings = try PostgresConnectionSettings.parse(try #require(url))
        let admin = try await PostgresConnector.connect(settings, logger: logger)
        let name = "knot_test_" + UUID().uuidString.prefix(8).lowercased()
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        var fresh = settings
        fresh.database = name
        do {
            let connection = try await PostgresConnector.connect(fresh, logger: logger)
            do {
                try await body(connection)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            try? await admin.close()
            throw error
        }
        try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        try await admin.close()
    }

    /// A new connection to the same database as `connection` (for two sessions at once).
    static func second(like database: String) async throws -> PostgresConnection {
        var settings = try PostgresConnectionSettings.parse(try #require(url))
        settings.database = database
        return try await PostgresConnector.connect(settings, logger: logger)
    }
}

extension PostgresConnection {
    /// Runs SQL, ignoring rows.
    func run(_ sql: PostgresQuery) async throws {
        try await query(sql, logger: PostgresTestServer.logger)
    }

    /// The first column of every row as Int.
    func ints(_ sql: PostgresQuery) async throws -> [Int] {
        var values: [Int] = []
        for try await value in try await query(sql, logger: PostgresTestServer.logger).decode(Int.self) { values.append(value) }
        return values
    }

    /// The first column of every row as String.
    func strings(_ sql: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await query(sql, logger: PostgresTestServer.logger).decode(String.self) { values.append(value) }
        return values
    }

    /// Expects the server to refuse `sql`; returns what it said.
    @discardableResult
    func expectRefused(_ sql: PostgresQuery, sqlState: String, saying words: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async -> PostgresServerError? {
        do {
            try await query(sql, logger: PostgresTestServer.logger)
            Issue.record("the server accepted: \(sql.sql)", sourceLocation: sourceLocation)
            return nil
        } catch {
            let refusal = PostgresServerError(error)
            #expect(refusal.sqlState == sqlState, "\(refusal)", sourceLocation: sourceLocation)
            if let words { #expect(refusal.message.contains(words), "\(refusal)", sourceLocation: sourceLocation) }
            return refusal
        }
    }
}
