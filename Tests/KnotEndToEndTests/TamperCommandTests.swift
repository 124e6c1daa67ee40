import Foundation
import Testing
import ClinicTestSupport

/// `knot audit verify`, `knot audit anchor` and `knot clinic key` as a clinic administrator meets
/// them: a birth date changed with sqlite3 is named by table, row and column (exit 3), and an
/// anchor written down earlier proves the trail was not cut.
@Suite struct TamperCommandTests {
    @Test("knot audit verify names a birth date changed with sqlite3; anchor and clinic key print what to keep")
    func verifyNamesTheEdit() throws {
        let clinic = EndToEndClinic()
        let db = clinic.home.file("demo.sqlite")
        try #require(clinic.knot(["demo"], as: nil, database: db).status == 0)

        let intact = try clinic.knot(["audit", "verify"], as: "mchen", database: db)
        #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
        #expect(intact.stdout.contains("Audit trail intact") && intact.stdout.contains("keyed from the first event"))

        let anchor = try clinic.knot(["audit", "anchor"], as: "mchen", database: db)
        #expect(anchor.status == 0, "\(anchor.stderr)")
        let mark = String(anchor.stdout.split(separator: " ").first ?? "")
        #expect(try clinic.knot(["audit", "verify", "--anchor", mark], as: "mchen", database: db).status == 0)
        let bad = try clinic.knot(["audit", "verify", "--anchor", "12"], as: "mchen", database: db)
        #expect(bad.status == 64 && bad.stderr.contains("COUNT:HASH"), "\(bad.status) \(bad.stderr)")

        let key = try clinic.knot(["clinic", "key"], as: "mchen", database: db)
        #expect(key.status == 0 && key.stdout.contains("Key file: ") && key.stdout.contains("Public signing key: "), "\(key.stdout) \(key.stderr)")

        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = 3")
            c.commit()
            """, [db])
        let broken = try clinic.knot(["audit", "verify"], as: "mchen", database: db)
        #expect(broken.status == 3)
        #expect(broken.stdout.contains("patient row 3: column date_of_birth changed outside Knot"), "\(broken.stdout)")
        let check = try clinic.knot(["check"], as: "mchen", database: db)
        #expect(check.status == 3 && check.stdout.contains("patient row 3: column date_of_birth"), "\(check.stdout)")
    }

    @Test("knot audit verify names an emergency number changed with sqlite3 (a table without rowid), and says it resumed the chain")
    func verifyNamesASettingEdit() throws {
        let clinic = EndToEndClinic()
        let db = clinic.home.file("demo.sqlite")
        try #require(clinic.knot(["demo"], as: nil, database: db).status == 0)
        let set = try clinic.knot(["clinic", "set", "--emergency-number", "000"], as: "mchen", database: db)
        try #require(set.status == 0, "\(set.stderr)")
        let first = try clinic.knot(["audit", "verify"], as: "mchen", database: db)
        #expect(first.status == 0 && first.stdout.contains("Audit trail intact"), "\(first.stdout) \(first.stderr)")
        let second = try clinic.knot(["audit", "verify"], as: "mchen", database: db)
        #expect(second.status == 0 && second.stdout.contains("resumed from the keyed checkpoint at event"), "\(second.stdout)")

        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE clinic_setting SET value = '911' WHERE name = 'emergency_number'")
            c.commit()
            """, [db])
        let broken = try clinic.knot(["audit", "verify"], as: "mchen", database: db)
        #expect(broken.status == 3)
        #expect(broken.stdout.contains("clinic_setting row 'emergency_number': column value changed outside Knot"), "\(broken.stdout)")
        let check = try clinic.knot(["check"], as: "mchen", database: db)
        #expect(check.status == 3 && check.stdout.contains("clinic_setting row 'emergency_number'"), "\(check.stdout)")
    }
}
