import Foundation
import GRDB
import Testing
@testable import ClinicStore

/// `v5-fhir-referrals` widens the referral format CHECK constraints to take `fhir`, leaving every
/// row, rowid, trigger and index as it was.
@Suite struct FHIRFormatMigrationTests {
    @Test("a database from before FHIR referrals keeps its referral and held letter, and takes format fhir afterwards")
    func widensTheFormatChecks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        let q = try DatabaseQueue(path: path)
        try ClinicMigrations.migrator.migrate(q, upTo: "v5-letter-templates")
        try q.write { db in
            try db.execute(sql: """
                INSERT INTO patient (id, record_number, given_names, family_name, date_of_birth, sex, created_at, updated_at)
                VALUES (7, 'K00007', 'Ann', 'Lee', '1980-01-01', 'female', '2026-01-01', '2026-01-01');
                INSERT INTO referral (id, patient_id, referrer_name, date, reason, format, created_at)
                VALUES (3, 7, 'Dr Ravi Iyer', '2026-11-01', 'Calf pain', 'cda', '2026-11-01');
                INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, received_at)
                VALUES ('a.xml', 'knot', x'3c612f3e', 'abc', 'doubtful', '2026-11-01');
                """)
            #expect(throws: (any Error).self) {
                try db.execute(sql: "INSERT INTO referral (patient_id, referrer_name, date, reason, format, created_at) VALUES (7, 'X', '2026-11-01', '', 'fhir', '2026-11-01')")
            }
        }
        let triggersBefore = try q.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name") }
        try q.close()

        let db = try ClinicDatabase(path: path)
        try db.close()
        let after = try DatabaseQueue(path: path)
        defer { try? after.close() }
        try after.write { db in
            #expect(try String.fetchAll(db, sql: "SELECT format FROM referral") == ["cda"])
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            try db.execute(sql: "INSERT INTO referral (patient_id, referrer_name, date, reason, format, created_at) VALUES (7, 'X', '2026-11-02', '', 'fhir', '2026-11-02')")
            try db.execute(sql: "INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, received_at) VALUES ('b.xml', 'fhir', x'00', 'def', 'doubtful', '2026-11-02')")
            #expect(throws: (any Error).self) {
                try db.execute(sql: "INSERT INTO referral (patient_id, referrer_name, date, reason, format, created_at) VALUES (7, 'X', '2026-11-02', '', 'hl7v2', '2026-11-02')")
            }
            #expect(throws: (any Error).self) {
                try db.execute(sql: "INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, received_at) VALUES ('c.xml', 'manual', x'00', 'ghi', 'doubtful', '2026-11-02')")
            }
            #expect(throws: (any Error).self) { try db.execute(sql: "DELETE FROM referral WHERE id = 3") }
        }
        let triggersAfter = try after.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name") }
        // The FHIR migration keeps every trigger and index; a later migration may replace an index
        // with a wider one (v5-match-keys: date_of_birth → date_of_birth, sort_name), or drop one
        // no query used (v5-patient-name-index: patient_name).
        let replacedLater: Set<String> = ["patient_date_of_birth", "patient_name"]
        #expect(Set(triggersBefore).subtracting(replacedLater).isSubset(of: Set(triggersAfter)))
    }
}
