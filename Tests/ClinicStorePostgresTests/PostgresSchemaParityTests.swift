import ClinicStore
import ClinicTestSupport
import Foundation
import PostgresNIO
import Testing
@testable import ClinicStorePostgres

/// The PostgreSQL schema keeps step with the SQLite one: the same tables, the same columns, the
/// same NOT NULLs. A new SQLite migration without its PostgreSQL twin fails here, naming what
/// is missing.
@Suite("PostgreSQL schema parity", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresSchemaParityTests {
    /// Columns only PostgreSQL has: its migrations table, the generated search columns
    /// (SQLite searches through its FTS5 table instead), and the trusted signing keys (SQLite
    /// lists them in a `trusted-keys` file beside its clinic key; a clinic on PostgreSQL has no
    /// key file). GRDB's own migrations table is left out on that side.
    static let postgresOnly: Set<String> = ["knot_schema_migration.name", "knot_schema_migration.applied_at",
                                            "patient.search_names", "patient.search_document",
                                            "trusted_export_key.public_key", "trusted_export_key.label", "trusted_export_key.trusted_at"]

    @Test func everySQLiteTableAndColumnHasItsPostgreSQLTwin() async throws {
        let folder = TemporaryDirectory(prefix: "knot-pg-parity")
        let path = folder.file("clinic.sqlite")
        try ClinicDatabase(path: path).close()
        let sqliteRows = try SQLiteProbe.query(path, """
            SELECT m.name, p.name, p."notnull" FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'patient_fts%' AND m.name <> 'grdb_migrations'
              AND m.name <> 'patient_search_prefix'
            """)
        var sqlite: [String: Bool] = [:]
        for row in sqliteRows { sqlite["\(row[0]).\(row[1])"] = row[2] == "1" }
        #expect(sqlite.count > 150)

        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            var postgres: [String: Bool] = [:]
            let rows = try await db.query("""
                SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns WHERE table_schema = 'public'
                """, logger: PostgresTestServer.logger)
            for try await (table, column, nullable) in rows.decode((String, String, String).self) {
                postgres["\(table).\(column)"] = nullable == "NO"
            }
            let missing = Set(sqlite.keys).subtracting(postgres.keys).sorted()
            #expect(missing.isEmpty, "SQLite columns without a PostgreSQL column (add a pg migration): \(missing)")
            let extra = Set(postgres.keys).subtracting(sqlite.keys).subtracting(Self.postgresOnly).sorted()
            #expect(extra.isEmpty, "PostgreSQL columns SQLite does not have: \(extra)")
            // SQLite reports an INTEGER PRIMARY KEY as nullable; PostgreSQL's primary keys are NOT NULL.
            let nullability = sqlite.keys.filter { key in
                guard let pg = postgres[key], let lite = sqlite[key] else { return false }
                return pg != lite && !(pg && key.hasSuffix(".id")) && !(pg && key.hasSuffix(".singleton"))
                    && !(pg && ["form_draft.slot", "form_draft.actor", "clinic_setting.name", "letter_template.name",
                                "imported_document.sha256", "row_seal.tbl", "row_seal.row_id", "audit_mac.event_id",
                                "row_key_seal.tbl", "row_key_seal.row_key", "account_os_user.practitioner_id"].contains(key))
            }.sorted()
            #expect(nullability.isEmpty, "NOT NULL differs between the stores: \(nullability)")
        }
    }

    /// Indexes PostgreSQL has and SQLite does not: a NOCASE handle's uniqueness (SQLite's is the
    /// column's own UNIQUE), search (SQLite searches through its FTS5 table), and `patient_name`
    /// (SQLite dropped it in v5-patient-name-index: no query used it there; PostgreSQL keeps its own).
    static let postgresOnlyIndexes: Set<String> = ["practitioner_handle", "patient_search_document", "patient_search_names_trgm",
                                                   "patient_record_number_trgm", "patient_name"]

    @Test func everySQLiteIndexHasItsPostgreSQLTwinByName() async throws {
        let folder = TemporaryDirectory(prefix: "knot-pg-parity")
        let path = folder.file("clinic.sqlite")
        try ClinicDatabase(path: path).close()
        // Named indexes only: SQLite's own (for UNIQUE and PRIMARY KEY) have no SQL.
        let sqlite = Set(try SQLiteProbe.query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").map { $0[0] })
            .subtracting(["patient_search_prefix_patient"])  // SQLite's short-query search table; PostgreSQL uses trigrams
        #expect(sqlite.contains("patient_birth_sort") && !sqlite.contains("patient_date_of_birth"))

        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            // Likewise PostgreSQL's indexes that back a PRIMARY KEY or UNIQUE constraint are left out.
            let postgres = Set(try await db.strings("""
                SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'
                AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
                """))
            let missing = sqlite.subtracting(postgres).sorted()
            #expect(missing.isEmpty, "SQLite indexes without a PostgreSQL index of that name (add a pg migration): \(missing)")
            let extra = postgres.subtracting(sqlite).subtracting(Self.postgresOnlyIndexes).sorted()
            #expect(extra.isEmpty, "PostgreSQL indexes SQLite does not have (dropped there?): \(extra)")
        }
        withExtendedLifetime(folder) {}
    }
}
