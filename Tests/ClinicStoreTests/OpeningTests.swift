import Foundation
import Testing
import ClinicTestSupport
import GRDB
import ClinicModel
@testable import ClinicStore

/// Opening a clinic database: migrations, idempotent reopening, refusing files that are not
/// Knot's (without touching them), and private permissions.
@Suite struct OpeningTests {
    static let expectedTables = [
        "amendment", "audit_event", "audit_head", "biomechanical_finding", "consent", "follow_up_plan", "imported_document",
        "needling_entry", "patient", "patient_alert", "patient_identifier", "practitioner", "precaution_screen", "referral",
        "referral_attachment", "treatment", "trigger_point", "visit", "form_draft", "letter_template",
    ]

    static func schema(_ path: String) throws -> [String] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        }
    }

    @Test func migratesAnEmptyFileIntoTheWholeSchema() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        #expect(try db.appliedMigrations() == ["v1-clinic", "v2-patient-sort-name", "v3-patient-id-sort-index", "v4-form-drafts", "v5-clinic-settings", "v5-safety", "v5-entry-strike", "v5-patient-merge", "v5-accounts", "v5-referral-matching", "v5-alert-reason", "v5-tamper-evidence", "v5-safety-strike", "v5-outcomes", "v5-letter-templates", "v5-practitioner-registration", "v5-origin", "v5-fhir-referrals", "v5-treatment-kind", "v5-match-keys", "v5-keyed-seals", "v5-signed-visit-guards", "v5-search-prefix", "v5-outcome-strike", "v5-patient-name-index", "v6-search-trigger-hold", "v7-compact-seals", "v8-check-comparisons", "v9-identifier-numbers"])
        try db.close()

        let q = try DatabaseQueue(path: dir.file("clinic.sqlite"))
        defer { try? q.close() }
        try q.read { db in
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            for t in Self.expectedTables { #expect(tables.contains(t), "missing table \(t)") }
            #expect(tables.contains("patient_fts"))
            let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            for t in ["visit_signed_immutable", "visit_sign_needles_balance", "needling_entry_signed_insert",
                      "needling_entry_signed_update", "needling_entry_signed_delete", "trigger_point_signed_insert",
                      "patient_no_delete", "visit_no_delete", "amendment_immutable", "plan_final_immutable",
                      "audit_no_update", "audit_no_delete", "patient_fts_insert", "patient_fts_update"] {
                #expect(triggers.contains(t), "missing trigger \(t)")
            }
            #expect(try Int32.fetchOne(db, sql: "PRAGMA application_id") == 0x4B4E_4F54)
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
        }
    }

    @Test func reopeningChangesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        let first = try ClinicDatabase(path: path)
        try first.write { tx in
            _ = try tx.insertPatient(Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith",
                                             dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "test", today: testToday)
        }
        try first.close()
        let before = try Self.schema(path)
        for _ in 0..<3 {
            let again = try ClinicDatabase(path: path)
            #expect(try again.appliedMigrations() == ["v1-clinic", "v2-patient-sort-name", "v3-patient-id-sort-index", "v4-form-drafts", "v5-clinic-settings", "v5-safety", "v5-entry-strike", "v5-patient-merge", "v5-accounts", "v5-referral-matching", "v5-alert-reason", "v5-tamper-evidence", "v5-safety-strike", "v5-outcomes", "v5-letter-templates", "v5-practitioner-registration", "v5-origin", "v5-fhir-referrals", "v5-treatment-kind", "v5-match-keys", "v5-keyed-seals", "v5-signed-visit-guards", "v5-search-prefix", "v5-outcome-strike", "v5-patient-name-index", "v6-search-trigger-hold", "v7-compact-seals", "v8-check-comparisons", "v9-identifier-numbers"])
            #expect(try again.read { try $0.patientCount() } == 1)
            try again.close()
        }
        #expect(try Self.schema(path) == before)
    }

    @Test func refusesAFileThatIsNotSQLiteAndLeavesItAlone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("notes.sqlite")
        let bytes = Data("Patient notes typed in a text editor, not a database.\n".utf8) + Data((0..<200).map { UInt8($0) })
        try bytes.write(to: URL(fileURLWithPath: path))

        let error = caught { try ClinicDatabase(path: path) }
        #expect(error as? StoreError == .notADatabase(path: path))
        #expect(fileBytes(path) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func refusesAnSQLiteDatabaseThatIsNotKnotsAndLeavesItAlone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("other.sqlite")
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: "CREATE TABLE invoice (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoice (amount) VALUES (42.5)")
        }
        try q.close()
        let bytes = try #require(fileBytes(path))

        let error = caught { try ClinicDatabase(path: path) }
        #expect(error as? StoreError == .notAKnotDatabase(path: path))
        #expect(fileBytes(path) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        // Read-only opening refuses it too.
        #expect(caught { try ClinicDatabase(path: path, readOnly: true) } as? StoreError == .notAKnotDatabase(path: path))
        #expect(fileBytes(path) == bytes)
    }

    @Test func refusesADatabaseANewerKnotMigratedAndLeavesItAlone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        try ClinicDatabase(path: path).close()
        let q = try DatabaseQueue(path: path)
        try q.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future-feature')") }
        try q.close()
        let bytes = try #require(fileBytes(path))

        let error = caught { try ClinicDatabase(path: path) }
        #expect(error as? StoreError == .newerDatabase(path: path, unknownMigrations: ["v99-future-feature"]))
        #expect(fileBytes(path) == bytes)
        let q2 = try DatabaseQueue(path: path)
        defer { try? q2.close() }
        #expect(try q2.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
                == ["v1-clinic", "v2-patient-sort-name", "v3-patient-id-sort-index", "v4-form-drafts", "v5-clinic-settings", "v5-safety", "v5-entry-strike", "v5-patient-merge", "v5-accounts", "v5-referral-matching", "v5-alert-reason", "v5-tamper-evidence", "v5-safety-strike", "v5-outcomes", "v5-letter-templates", "v5-practitioner-registration", "v5-origin", "v5-fhir-referrals", "v5-treatment-kind", "v5-match-keys", "v5-keyed-seals", "v5-signed-visit-guards", "v5-search-prefix", "v5-outcome-strike", "v5-patient-name-index", "v6-search-trigger-hold", "v7-compact-seals", "v8-check-comparisons", "v9-identifier-numbers", "v99-future-feature"])
    }

    @Test func refusesAFolderAndAMissingFileWhenNotCreating() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(caught { try ClinicDatabase(path: dir.path) } is StoreError)
        let missing = dir.file("nothing-here.sqlite")
        let error = caught { try ClinicDatabase(path: missing, create: false) }
        guard case .missing(let p)? = error as? StoreError else {
            Issue.record("expected missing, got \(String(describing: error))"); return
        }
        #expect(p == missing)
        #expect(!FileManager.default.fileExists(atPath: missing))
        let nested = dir.file("typo/x.sqlite")
        #expect(caught { try ClinicDatabase(path: nested, create: false) } as? StoreError == .missing(path: nested))
        #expect(!FileManager.default.fileExists(atPath: dir.file("typo")), "no folder either")
    }

    @Test func closingLeavesTheWholeDatabaseInTheMainFile() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.addPatient("Jo", "Smith")
        try clinic.db.close()
        try clinic.db.close()  // closing twice is harmless
        // Someone copies only clinic.sqlite (not the -wal beside it): the copy has everything.
        let copy = clinic.directory.file("copied.sqlite")
        try FileManager.default.copyItem(atPath: clinic.path, toPath: copy)
        let db = try ClinicDatabase(path: copy)
        defer { try? db.close() }
        #expect(try db.read { try $0.searchPatients("smith") }.map(\.displayName) == ["Smith, Jo"])
        #expect(try db.read { try $0.verifyAudit() }.isIntact)
    }

    @Test func createsAPrivateFolderAndFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let folder = dir.file("data/knot")
        let path = folder + "/clinic.sqlite"
        let db = try ClinicDatabase(path: path)
        try db.write { tx in
            _ = try tx.insertPatient(Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith",
                                             dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "test", today: testToday)
        }
        #expect(posixMode(folder) == 0o700)
        #expect(posixMode(dir.file("data")) == 0o700)
        #expect(posixMode(path) == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(posixMode(path + suffix) == 0o600, "\(suffix) is readable by others")
        }
        try db.close()
    }
}
