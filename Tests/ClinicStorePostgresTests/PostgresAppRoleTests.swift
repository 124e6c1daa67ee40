import Foundation
import PostgresNIO
import Testing
import ClinicTestSupport
@testable import ClinicStorePostgres

/// `docs/postgres-app-role.sql`, run with psql by the tables' owner as the README says, makes
/// `knot_app`: a role that writes the clinic's rows as Knot does but cannot rewrite the audit
/// trail, switch a trigger off, truncate or drop a table, or record a migration.
@Suite("PostgreSQL knot_app role", .enabled(if: AppRoleScript.isRunnable, AppRoleScript.skipped))
struct PostgresAppRoleTests {
    /// Runs the script with psql as the owner (the test server's role) in `database`, on a
    /// thread of its own (see ``BlockingWork``).
    func runScript(as owner: PostgresConnectionSettings, database: String) async throws {
        var arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", AppRoleScript.path]
        var conninfo = "dbname=\(database) user=\(owner.username) sslmode=disable"
        switch owner.endpoint {
        case let .unixSocket(directory, port): conninfo += " host=\(directory) port=\(port)"
        case let .tcp(host, port): conninfo += " host=\(host) port=\(port)"
        }
        arguments += ["-d", conninfo]
        let psql = try #require(AppRoleScript.psql)
        let finalArguments = arguments
        let (status, text) = try await BlockingWork.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: psql)
            process.arguments = finalArguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (BlockingWork.exitStatus(of: process), text)
        }
        #expect(status == 0, "psql -f docs/postgres-app-role.sql: \(text)")
    }

    @Test func knotAppWritesRowsButCannotRewriteTheTrailDisableATriggerOrTruncate() async throws {
        try await PostgresTestServer.withFreshDatabase { owner in
            try await PostgresMigrations.migrate(owner)
            let database = try await owner.strings("SELECT current_database()::text")[0]
            let ownerSettings = try PostgresConnectionSettings.parse(try #require(PostgresTestServer.url))
            try await runScript(as: ownerSettings, database: database)
            try await runScript(as: ownerSettings, database: database)  // twice: idempotent, as the README says

            var appSettings = ownerSettings
            appSettings.username = "knot_app"
            appSettings.database = database
            let app = try await PostgresConnector.connect(appSettings, logger: PostgresTestServer.logger)
            do {
                #expect(try await app.strings("SELECT current_user::text") == ["knot_app"])
                // A normal write: a practitioner, a patient, a draft visit, an entry, an edit, an audit event.
                let practitioner = try await app.ints("""
                    INSERT INTO practitioner (handle, name, profession, role, created_at)
                    VALUES ('jo', 'Jo Physio', 'physiotherapist', 'practitioner', '2026-01-01T00:00:00Z') RETURNING id
                    """)[0]
                let patient = try await app.ints("""
                    INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, created_at, updated_at, sort_name)
                    VALUES ('R1', 'Mary', 'Smith', '1980-03-14', 'female', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'smith mary')
                    RETURNING id
                    """)[0]
                let visit = try await app.ints("""
                    INSERT INTO visit (patient_id, practitioner_id, started_at, status)
                    VALUES (\(patient), \(practitioner), '2026-01-02T09:00:00Z', 'draft') RETURNING id
                    """)[0]
                try await app.run("""
                    INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                                                inserted, removed, technique, twitch_responses, sharps_disposed)
                    VALUES (\(visit), 'upper-trapezius', 'left', 'Seirin', 0.25, 30, 'LOT1', 3, 3, 'static', 2, 1)
                    """)
                try await app.run("UPDATE visit SET complaint = 'neck pain', revision = revision + 1 WHERE id = \(visit)")
                try await app.run("""
                    INSERT INTO audit_event (at, actor, action, entity, entity_id, patient_id, prev_hash, hash)
                    VALUES ('2026-01-02T09:00:00Z', 'jo', 'visit.create', 'visit', \(visit), \(patient), 'GENESIS', 'h1')
                    """)
                #expect(try await app.strings("SELECT complaint FROM visit WHERE id = \(visit)") == ["neck pain"])
                // An import that keeps an export's ids moves the sequence past them (setval needs UPDATE on it).
                try await app.run("SELECT setval(pg_get_serial_sequence('patient', 'id'), 1000)")

                // What only an owner could do, refused by the server (42501: insufficient privilege).
                await app.expectRefused("UPDATE audit_event SET actor = 'someone else'", sqlState: "42501")
                await app.expectRefused("DELETE FROM audit_event", sqlState: "42501")
                await app.expectRefused("ALTER TABLE audit_event DISABLE TRIGGER audit_append_only", sqlState: "42501", saying: "owner")
                await app.expectRefused("ALTER TABLE visit DISABLE TRIGGER ALL", sqlState: "42501", saying: "owner")
                await app.expectRefused("TRUNCATE visit", sqlState: "42501")
                await app.expectRefused("DROP TABLE audit_event", sqlState: "42501", saying: "owner")
                await app.expectRefused("ALTER TABLE visit DROP CONSTRAINT visit_signed_at", sqlState: "42501", saying: "owner")
                await app.expectRefused("INSERT INTO knot_schema_migration (name) VALUES ('pg9-forged')", sqlState: "42501")
                // Granting itself more only warns ("no privileges were granted") and changes nothing.
                try await app.run("GRANT UPDATE ON audit_event TO knot_app")
                await app.expectRefused("UPDATE audit_event SET actor = 'someone else'", sqlState: "42501")
                // And the triggers still hold for it: a clinical row is never deleted.
                await app.expectRefused("DELETE FROM visit WHERE id = \(visit)", sqlState: "23000", saying: "never deleted")
                // Knot started as knot_app on an up-to-date database has nothing to migrate.
                #expect(try await PostgresMigrations.migrate(app).isEmpty)
                #expect(try await owner.ints("SELECT count(*)::int FROM audit_event WHERE actor = 'jo'") == [1])
                try await app.close()
            } catch {
                try? await app.close()
                throw error
            }
        }
    }
}

/// `docs/postgres-app-role.sql` and the psql that runs it (the server's own, else /usr/bin/psql).
enum AppRoleScript {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/postgres-app-role.sql").path

    static let psql: String? = {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted()
        let candidates = versions.reversed().map { "/usr/lib/postgresql/\($0)/bin/psql" } + ["/usr/bin/psql"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let isRunnable = PostgresTestServer.isConfigured && psql != nil
    static let skipped: Comment = psql == nil ? "no psql found: the knot_app role tests are skipped" : PostgresTestServer.skipped
}
