import Foundation
import GRDB
import Testing
@testable import ClinicStore
import ClinicModel

/// Only a clinic that was never keyed is sealed as it stands: a database an older Knot left is
/// keyed on its first writable open, and one whose `keyed_from` was erased outside Knot is
/// never re-sealed (the forged rows stay reported; every write is refused).
@Suite struct KeyedFromErasureTests {
    @Test("a clinic from before tamper evidence is keyed on its first writable open; keyed_from erased later is never re-sealed, is reported, and refuses writes")
    func legacyKeyedOnceThenNeverAgain() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        // As an older Knot left it: no clinic_identity, no seals, a patient in it.
        let q = try DatabaseQueue(path: path)
        try ClinicMigrations.migrator.migrate(q, upTo: "v5-alert-reason")
        try q.write { db in
            try db.execute(sql: """
                INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, sort_name, created_at, updated_at)
                VALUES ('R-1', 'Jo', 'Smith', '1980-01-01', 'female', 'smith jo', '2026-01-01', '2026-01-01')
                """)
        }
        try q.close()

        do {
            let db = try ClinicDatabase(path: path)
            defer { try? db.close() }
            #expect(db.sealRefusal == nil)
            let v = try db.read { try $0.verifyAudit() }
            #expect(v.isIntact && v.keyedFrom == 1 && v.rowsChecked >= 1, "\(v.firstProblem ?? "") \(v.rowsChecked)")
            _ = try db.write { tx in
                try tx.insertPatient(Patient(recordNumber: "", givenNames: "Ann", familyName: "Lee", dateOfBirth: try LocalDate(parsing: "1970-02-03")),
                                     actor: "test", today: testToday)
            }
            #expect(try db.read { try $0.verifyAudit() }.isIntact)
        }

        // With sqlite3: a patient's birth date changed, and the keyed point erased.
        let edit = try DatabaseQueue(path: path)
        try edit.write { db in
            try db.execute(sql: "UPDATE patient SET date_of_birth = '1999-09-09' WHERE record_number = 'R-1'")
            try db.execute(sql: "UPDATE clinic_identity SET keyed_from = NULL")
        }
        let seals = try edit.read { try Row.fetchAll($0, sql: "SELECT * FROM row_seal ORDER BY tbl, row_id") }
        try edit.close()

        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        #expect(db.sealRefusal?.contains("erased outside Knot") == true, "\(db.sealRefusal ?? "writes allowed")")
        #expect(try db.read { try Int64.fetchOne($0.db, sql: "SELECT keyed_from FROM clinic_identity") } == nil, "not re-keyed")
        #expect(try db.read { try Row.fetchAll($0.db, sql: "SELECT * FROM row_seal ORDER BY tbl, row_id") } == seals, "not re-sealed")
        let v = try db.read { try $0.verifyAudit() }
        #expect(!v.isIntact)
        #expect(v.sealProblems.contains { $0.contains("clinic_identity.keyed_from) was erased outside Knot") }, "\(v.sealProblems)")
        #expect(v.rowFindings.contains { $0.table == "patient" && $0.columns.contains("date_of_birth") }, "\(v.rowFindings.map(\.description))")
        let refused = #expect(throws: StorageError.self) {
            _ = try db.write { tx in
                try tx.insertPatient(Patient(recordNumber: "", givenNames: "Late", familyName: "Comer", dateOfBirth: try LocalDate(parsing: "1990-02-03")),
                                     actor: "test", today: testToday)
            }
        }
        if case .cannotSeal = refused {} else { Issue.record("expected cannotSeal, got \(String(describing: refused))") }
        #expect(try db.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM patient") } == 2)
    }

    @Test("an upgrade never re-seals a clinic whose keyed_from was erased: opening for writing is refused, the file untouched")
    func upgradeRefusedWhenKeyedFromErased() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        do {
            let db = try ClinicDatabase(path: path)
            defer { try? db.close() }
            _ = try db.write { tx in
                try tx.insertPatient(Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17")),
                                     actor: "test", today: testToday)
            }
        }
        // With sqlite3: a birth date forged, keyed_from erased, and an upgrade made due (v7 again, which re-seals every row).
        let edit = try DatabaseQueue(path: path)
        try edit.write { db in
            try db.execute(sql: "UPDATE patient SET date_of_birth = '1999-09-09'")
            try db.execute(sql: "UPDATE clinic_identity SET keyed_from = NULL")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-compact-seals'")
        }
        let seals = try edit.read { try Row.fetchAll($0, sql: "SELECT * FROM row_seal ORDER BY tbl, row_id") }
        try edit.close()

        let refused = #expect(throws: StorageError.self) { _ = try ClinicDatabase(path: path) }
        guard case .cannotSeal(_, let reason) = refused else { Issue.record("expected cannotSeal, got \(String(describing: refused))"); return }
        #expect(reason.contains("needs an upgrade") && reason.contains("erased outside Knot"), "\(reason)")
        let after = try DatabaseQueue(path: path)
        defer { try? after.close() }
        #expect(try after.read { try Row.fetchAll($0, sql: "SELECT * FROM row_seal ORDER BY tbl, row_id") } == seals, "not re-sealed")
        #expect(try after.read { try Bool.fetchOne($0, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = 'v7-compact-seals')") } == false,
                "not migrated")
    }
}
