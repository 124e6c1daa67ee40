import Foundation
import GRDB
import Testing
@testable import ClinicStore
import ClinicModel

/// A database made by an earlier Knot is carried forward by the named migrations, data intact.
@Suite struct MigrationTests {
    @Test("a v5 clinic gains the held full-text insert trigger: its patients still found, one added afterwards indexed, the hold table empty")
    func v5ToSearchTriggerHold() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        // The clinic as the last v5 migration left it, a patient in it (indexed by v5's trigger).
        let q = try DatabaseQueue(path: path)
        try ClinicMigrations.migrator.migrate(q, upTo: "v5-patient-name-index")
        try q.write { db in
            try db.execute(sql: """
                INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, sort_name, created_at, updated_at)
                VALUES ('R-1', 'Siobhán', 'O''Brien', '1980-01-01', 'female', 'obrien siobhan', '2026-01-01', '2026-01-01')
                """)
        }
        try q.close()

        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        let trigger = try db.read { try String.fetchOne($0.db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'patient_fts_insert'") }
        #expect(trigger?.contains("WHEN NOT EXISTS (SELECT 1 FROM patient_fts_hold)") == true, "\(trigger ?? "no trigger")")
        #expect(try db.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM patient_fts_hold") } == 0)
        #expect(try db.read { try $0.searchPatients("obrien", includeArchived: true).count } == 1)
        _ = try db.write { tx in
            try tx.insertPatient(Patient(recordNumber: "", givenNames: "Late", familyName: "Comer", dateOfBirth: try LocalDate(parsing: "1990-02-03")),
                                 actor: "test", today: testToday)
        }
        #expect(try db.read { try $0.searchPatients("comer", includeArchived: true).count } == 1)
        #expect(try db.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM patient_fts") } == 2)
    }

    @Test("a v1 database gains sort names: accented names sort with their letter, 'obrien' finds O'Brien")
    func v1ToV2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        // Build a database exactly as v1 left it, with patients written by v1's schema.
        let q = try DatabaseQueue(path: path)
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1-clinic") { db in try ClinicMigrations.v1ForTests(db) }
        try v1.migrate(q)
        try q.write { db in
            for (given, family) in [("Siobhán", "O'Brien"), ("José", "Álvarez"), ("Zed", "Zimmer"), ("Amy", "Baker")] {
                try db.execute(sql: """
                    INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, created_at, updated_at)
                    VALUES (?, ?, ?, '1980-01-01', 'female', '2026-01-01', '2026-01-01')
                    """, arguments: ["R-\(family)", given, family])
            }
        }
        try q.close()

        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        #expect(try db.appliedMigrations() == ["v1-clinic", "v2-patient-sort-name", "v3-patient-id-sort-index", "v4-form-drafts", "v5-clinic-settings", "v5-safety", "v5-entry-strike", "v5-patient-merge", "v5-accounts", "v5-referral-matching", "v5-alert-reason", "v5-tamper-evidence", "v5-safety-strike", "v5-outcomes", "v5-letter-templates", "v5-practitioner-registration", "v5-origin", "v5-fhir-referrals", "v5-treatment-kind", "v5-match-keys", "v5-keyed-seals", "v5-signed-visit-guards", "v5-search-prefix", "v5-outcome-strike", "v5-patient-name-index", "v6-search-trigger-hold", "v7-compact-seals", "v8-check-comparisons", "v9-identifier-numbers"])
        let names = try db.read { try $0.patientSummaries().map(\.familyName) }
        #expect(names == ["Álvarez", "Baker", "O'Brien", "Zimmer"])
        #expect(try db.read { try $0.searchPatients("obrien").map(\.familyName) } == ["O'Brien"])
        #expect(try db.read { try $0.searchPatients("alvarez jose").map(\.familyName) } == ["Álvarez"])
    }
}
