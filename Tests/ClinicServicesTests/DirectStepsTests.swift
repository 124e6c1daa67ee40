import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Inside a whole-clinic load into an empty clinic (`beginNewClinicLoad` to `finishNewClinicLoad`)
/// the store runs its inserts bound in place and its row seals straight through SQLite, not
/// through GRDB's per-statement bookkeeping (issue 19). What the clinic relies on stays: every
/// row written is sealed (a row a trigger writes, a row GRDB's own path writes between, included:
/// `knot audit verify` walks every row of every sealed table and names one without a seal), a
/// statement SQLite refuses is refused with the same message as outside a load and leaves no
/// seal behind, and writes after the load are sealed as always.
@Suite struct DirectStepsTests {
    static let born = try! LocalDate(parsing: "1970-01-02")

    static func verify(_ path: String) throws -> AuditVerification {
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        return try ClinicSession.maintenance(database: db, actor: "test").verifyAudit()
    }

    static func patient(_ id: Int64, given: String = "Ada") -> Patient {
        Patient(id: id, recordNumber: "K\(id)", givenNames: given, familyName: "Lovelace", dateOfBirth: born,
                identifiers: [PatientIdentifier(system: .clinic, value: "C\(id)")],
                alerts: [PatientAlert(kind: .allergy, text: "latex")])
    }

    /// Inserts `first`, then tries `refused` (given names past the schema's 100 characters,
    /// the model's check skipped as in an import), then `last`: returns the refusal's words.
    static func insertWithRefusal(_ tx: StoreTransaction, first: Int64, refused: Int64, last: Int64) throws -> String {
        let load = tx.withoutRowAudit().withModelChecked()
        try load.insertPatient(patient(first), actor: "test", preservingID: true)
        let words: String
        do {
            try load.insertPatient(patient(refused, given: String(repeating: "a", count: 101)), actor: "test", preservingID: true)
            words = "not refused"
        } catch {
            words = String(describing: error)
        }
        try load.insertPatient(patient(last), actor: "test", preservingID: true)
        return words
    }

    @Test("a refusal inside a load has the words it has outside one; the refused row's writes are undone, unsealed; the rest sealed, verify intact")
    func refusalAsOutsideALoad() throws {
        let dir = TemporaryDirectory(prefix: "knot-direct-steps")
        // Outside a load: GRDB's path.
        let plainPath = dir.file("plain.sqlite")
        let plain = try ClinicDatabase(path: plainPath)
        let outside = try plain.write { tx in try Self.insertWithRefusal(tx, first: 1, refused: 2, last: 3) }
        try plain.close()
        // Inside a load: straight through SQLite.
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        let inside = try db.write { tx in
            let load = try #require(try tx.beginNewClinicLoad())
            let words = try Self.insertWithRefusal(tx, first: 1, refused: 2, last: 3)
            try tx.finishNewClinicLoad(load)
            return words
        }
        try db.close()
        #expect(inside == outside)
        #expect(inside.contains("given_names"), "\(inside)")
        for p in [path, plainPath] {
            #expect(try SQLiteProbe.scalar(p, "SELECT group_concat(id) FROM patient") == "1,3")
            #expect(try SQLiteProbe.scalar(p, "SELECT count(*) FROM row_seal WHERE tbl = 'patient'") == "2")
            #expect(try SQLiteProbe.scalar(p, "SELECT count(*) FROM patient_identifier") == "2")
            let verified = try Self.verify(p)
            #expect(verified.isIntact, "\(p): \(verified.firstProblem ?? "")")
            #expect(verified.rowsChecked == Int(try SQLiteProbe.scalar(p, "SELECT count(*) FROM row_seal") ?? ""))
        }
    }

    @Test("rows a trigger writes during a load, and rows GRDB's path writes between its steps, are sealed; writes after the load are sealed as always")
    func triggerAndInterleavedRowsSealed() throws {
        let dir = TemporaryDirectory(prefix: "knot-direct-steps-trigger")
        let path = dir.file("clinic.sqlite")
        try ClinicDatabase(path: path).close()
        // A trigger that writes a sealed table for every patient inserted: its rows come from
        // inside the insert's own step.
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute('''CREATE TRIGGER knot_test_alert AFTER INSERT ON patient BEGIN
              INSERT INTO patient_alert (patient_id, kind, text, status, source, created_at)
              VALUES (NEW.id, 'other', 'added by a trigger', 'confirmed', 'test', '2026-01-01T00:00:00.000Z');
            END''')
            c.commit()
            """, [path])
        let db = try ClinicDatabase(path: path)
        try db.write { tx in
            let load = try #require(try tx.beginNewClinicLoad())
            let writer = tx.withoutRowAudit().withModelChecked()
            for id in Int64(1)...40 {
                try writer.insertPatient(Self.patient(id), actor: "test", preservingID: true)
                // Through GRDB's path, between the direct steps.
                if id % 10 == 0 {
                    try writer.setClinicSetting(name: "clinic_name", value: "Clinic \(id)", actor: "test")
                    try writer.insertPractitioner(Practitioner(handle: "p\(id)", name: "Pat \(id)", profession: .physiotherapist),
                                                  actor: "test", preservingID: false)
                }
                if id % 7 == 0 { try tx.sealWrittenSoFar(atLeast: 1) }
            }
            try tx.finishNewClinicLoad(load)
        }
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM patient_alert WHERE text = 'added by a trigger'") == "40")
        // After the load, an ordinary write: sealed through GRDB's observation as always.
        try db.write { tx in
            var p = try #require(try tx.patient(id: 5))
            p.phone = "0400 000 005"
            try tx.updatePatient(p, actor: "test")
        }
        try db.close()
        let verified = try Self.verify(path)
        #expect(verified.isIntact, "\(verified.firstProblem ?? "")")
        for table in ["patient", "patient_alert", "patient_identifier", "practitioner"] {
            let unsealed = try SQLiteProbe.scalar(path, """
                SELECT count(*) FROM \(table) WHERE rowid NOT IN (SELECT row_id FROM row_seal WHERE tbl = '\(table)')
                """)
            #expect(unsealed == "0", "\(unsealed ?? "?") \(table) row(s) without a seal")
        }
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM practitioner") == "4")
        // And a change behind Knot's back to a row a trigger wrote during the load is found.
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("DROP TRIGGER IF EXISTS patient_alert_no_update")
            c.execute("UPDATE patient_alert SET text = 'edited' WHERE id = (SELECT max(id) FROM patient_alert)")
            c.commit()
            """, [path])
        let tampered = try Self.verify(path)
        #expect(tampered.rowFindings.contains { $0.table == "patient_alert" && $0.kind == .changed && $0.columns.contains("text") },
                "\(tampered.rowFindings.map(\.description))")
    }

    /// Writes, in one transaction (inside a whole-clinic load or not), a practitioner, patient 1
    /// and visit 1 with three treatments, the second with 99 cycles (the schema allows 1 to 50;
    /// the model's check skipped as in an import): returns the refusal's words, as the user
    /// sees them (the transaction's error, as `ClinicDatabase.write` reports it).
    static func visitWithRefusedTreatment(_ db: ClinicDatabase, inLoad: Bool) -> String {
        do {
            try db.write { tx in
                var load: NewClinicLoad?
                if inLoad {
                    load = try tx.beginNewClinicLoad()
                    try #require(load != nil)
                }
                let writer = tx.withoutRowAudit().withModelChecked()
                let practitioner = try writer.insertPractitioner(Practitioner(id: 1, handle: "amy", name: "Amy Nguyen", profession: .physiotherapist),
                                                                 actor: "test", preservingID: true)
                try writer.insertPatient(patient(1), actor: "test", preservingID: true)
                let visit = Visit(id: 1, patientID: 1, practitionerID: try #require(practitioner.id),
                                  treatments: [Treatment(id: 1, kind: .stretching, cycles: 3), Treatment(id: 2, kind: .stretching, cycles: 99),
                                               Treatment(id: 3, kind: .education)])
                try writer.insertVisit(visit, actor: "test", preservingID: true)
                if let load { try tx.finishNewClinicLoad(load) }
            }
            return "not refused"
        } catch {
            return String(describing: error)
        }
    }

    @Test("a visit's entries written together in a load: one refused is refused in the words one statement each gives, nothing written")
    func entriesTogetherRefusedAsOneByOne() throws {
        let dir = TemporaryDirectory(prefix: "knot-direct-steps-entries")
        let plainPath = dir.file("plain.sqlite"), path = dir.file("clinic.sqlite")
        let plain = try ClinicDatabase(path: plainPath)
        let outside = Self.visitWithRefusedTreatment(plain, inLoad: false)
        try plain.close()
        let db = try ClinicDatabase(path: path)
        let inside = Self.visitWithRefusedTreatment(db, inLoad: true)
        try db.close()
        #expect(inside == outside)
        #expect(inside.contains("cycles"), "\(inside)")
        for p in [path, plainPath] {
            #expect(try SQLiteProbe.scalar(p, "SELECT (SELECT count(*) FROM patient) + (SELECT count(*) FROM treatment) + (SELECT count(*) FROM visit)") == "0")
            let verified = try Self.verify(p)
            #expect(verified.isIntact, "\(verified.firstProblem ?? "")")
        }
    }
}
