import Foundation
import Testing
import ClinicTestSupport

/// The clinic key and `keyed_from` as a user meets them: a login without the key writes
/// nothing (exit 77, naming where the key was looked for and how to fix it) instead of writing
/// unsealed rows that `audit verify` would later call tampering; a `keyed_from` erased with
/// sqlite3 is reported and never re-sealed, and a command refused for permissions leaves the
/// file exactly as it was.
@Suite struct ClinicKeyRefusalTests {
    /// Every row of every table (seals included), in a fixed order: what the file holds.
    static func contents(_ db: String) throws -> String {
        try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for line in c.iterdump():
                print(line)
            """, [db])
    }

    /// Runs SQL on the file as sqlite3 would (outside Knot).
    static func edit(_ db: String, _ sql: String) throws {
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.executescript(sys.argv[2])
            c.close()
            """, [db, sql])
    }

    @Test("a keyed clinic's key not found (another XDG_CONFIG_HOME, a mistyped KNOT_KEY_FILE): every write refused with exit 77 and nothing written; reads work; the real work verifies")
    func missingKeyRefusesWrites() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        _ = try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let before = try Self.contents(clinic.db)
        let elsewhere = clinic.home.file("other-config")
        let add = ["patient", "add", "--given", "Ann", "--family", "Lee", "--dob", "1970-01-01", "--record", "K2"]

        let noConfig = try clinic.knot(add, environment: ["XDG_CONFIG_HOME": elsewhere])
        #expect(noConfig.status == 77, "\(noConfig.stdout) \(noConfig.stderr)")
        #expect(noConfig.stderr.contains("no clinic key at \(elsewhere)/knot/") && noConfig.stderr.contains("KNOT_KEY_FILE")
                && noConfig.stderr.contains("knot clinic key") && noConfig.stderr.contains("nothing was saved"), "\(noConfig.stderr)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere), "no new key is made for a keyed clinic")

        let typo = try clinic.knot(add, environment: ["KNOT_KEY_FILE": "/nonexistent/x.key"])
        #expect(typo.status == 77 && typo.stderr.contains("no clinic key at /nonexistent/x.key"), "\(typo.stderr)")

        // Another clinic's key is not this one's.
        let other = EndToEndClinic()
        try other.setUp()
        let otherKey = try #require(other.knot(["clinic", "key"]).stdout.split(separator: "\n")
            .first { $0.hasPrefix("Key file: ") }.map { String($0.dropFirst("Key file: ".count)) })
        let wrong = try clinic.knot(add, environment: ["KNOT_KEY_FILE": otherKey])
        #expect(wrong.status == 77 && wrong.stderr.contains("is not this clinic's"), "\(wrong.stderr)")

        let list = try clinic.knot(["patient", "list"], environment: ["KNOT_KEY_FILE": "/nonexistent/x.key"])
        #expect(list.status == 0 && list.stdout.contains("Smith"), "\(list.stdout) \(list.stderr)")
        let frontEnd = try clinic.knot([], environment: ["KNOT_KEY_FILE": "/nonexistent/x.key"])
        #expect(frontEnd.status == 0 && frontEnd.stdout.contains("Nothing can be saved: no clinic key at /nonexistent/x.key"),
                "knot with no arguments (not a terminal) says so: \(frontEnd.stdout) \(frontEnd.stderr)")
        let log = try clinic.knot(["audit", "log"], environment: ["KNOT_KEY_FILE": "/nonexistent/x.key"])
        #expect(log.status == 0 && log.stdout.contains("patient"), "listing the trail writes nothing: \(log.stdout) \(log.stderr)")
        let key = try clinic.knot(["clinic", "key"], environment: ["KNOT_KEY_FILE": "/nonexistent/x.key"])
        #expect(key.stdout.contains("every write is refused"), "\(key.stdout)")

        #expect(try Self.contents(clinic.db) == before, "a refused write leaves the file as it was")
        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test("keyed_from set to NULL with sqlite3 after forging a signed visit: audit verify and check say so and name the forged row (exit 3); no command re-seals the clinic; writes refused")
    func erasedKeyedFromIsReportedNeverResealed() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let record = try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = try clinic.signedVisit(record)
        try Self.edit(clinic.db, """
            DROP TRIGGER visit_signed_immutable;
            UPDATE visit SET complaint = 'forged' WHERE id = \(visit);
            UPDATE clinic_identity SET keyed_from = NULL;
            """)
        let before = try Self.contents(clinic.db)

        // Refused for want of an account, and refused for want of a role: nothing written.
        let nobody = try clinic.knot(["patient", "list"], as: nil)
        #expect(nobody.status == 77, "\(nobody.stderr)")
        let reception = try clinic.knot(["practitioner", "add", "--handle", "zed", "--name", "Zed"], as: "rec")
        #expect(reception.status == 77, "\(reception.stderr)")
        #expect(try Self.contents(clinic.db) == before, "a refused command leaves the file as it was")

        for command in [["audit", "verify"], ["check"]] {
            let r = try clinic.knot(command)
            #expect(r.status == 3, "\(command): \(r.stdout) \(r.stderr)")
            #expect(r.stdout.contains("clinic_identity.keyed_from) was erased outside Knot") && r.stdout.contains("rows in row_seal"), "\(r.stdout)")
            #expect(r.stdout.contains("visit row \(visit): column complaint changed outside Knot"), "\(r.stdout)")
        }
        let add = try clinic.knot(["patient", "add", "--given", "Ann", "--family", "Lee", "--dob", "1970-01-01"])
        #expect(add.status == 77 && add.stderr.contains("was erased outside Knot"), "\(add.stderr)")
        #expect(try Self.contents(clinic.db) == before, "no open re-sealed the clinic")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT keyed_from IS NULL FROM clinic_identity") == "1")

        // Every seal in the file erased as well: the key file, outside the database, still shows it was keyed.
        try Self.edit(clinic.db, """
            DELETE FROM row_seal; DELETE FROM row_key_seal; DELETE FROM audit_mac; DELETE FROM audit_checkpoint;
            UPDATE clinic_identity SET head_mac = '', seal_root = '';
            """)
        let bare = try Self.contents(clinic.db)
        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 3 && verify.stdout.contains("erased outside Knot") && verify.stdout.contains("its key file "), "\(verify.stdout)")
        #expect(try clinic.knot(["patient", "list"], as: nil).status == 77)
        #expect(try clinic.knot(["patient", "add", "--given", "Ann", "--family", "Lee", "--dob", "1970-01-01"]).status == 77)
        #expect(try Self.contents(clinic.db) == bare, "never baselined again")
    }

    @Test("a patient deleted together with its seal is named by table and row; the headline says records changed (not the trail), or that the seals went unchecked without the key")
    func headlineSaysWhatFailed() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        _ = try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        _ = try clinic.addPatient("Ann", "Lee", dob: "1970-01-01", record: "K2")
        let id = try #require(try SQLiteProbe.scalar(clinic.db, "SELECT id FROM patient WHERE record_number = 'K2'"))
        try Self.edit(clinic.db, """
            DROP TRIGGER IF EXISTS patient_no_delete;
            DELETE FROM patient_search_prefix WHERE patient_id = \(id);
            DELETE FROM patient WHERE id = \(id);
            DELETE FROM row_seal WHERE tbl = 'patient' AND row_id = \(id);
            """)
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "1", "the edit deleted the patient")

        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 3)
        #expect(verify.stdout.hasPrefix("Records changed outside Knot (the audit trail itself verifies: "), "\(verify.stdout)")
        #expect(verify.stdout.contains("patient row \(id): deleted outside Knot together with its seal"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("BROKEN"), "\(verify.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(clinic.knot(["audit", "verify", "--json"]).stdout.utf8)) as? [String: Any]
        #expect(json?["failure"] as? String == "records", "\(String(describing: json))")
        let kinds = (json?["rowFindings"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        #expect(kinds.contains("deleted-with-seal"), "\(kinds)")
        let check = try clinic.knot(["check"])
        #expect(check.status == 3 && check.stdout.contains("RECORDS CHANGED outside Knot"), "\(check.stdout)")

        let unchecked = try clinic.knot(["audit", "verify"], environment: ["KNOT_KEY_FILE": "/nonexistent/x.key"])
        #expect(unchecked.status == 3 && unchecked.stdout.hasPrefix("Audit trail NOT VERIFIED"), "\(unchecked.stdout)")
    }
}
