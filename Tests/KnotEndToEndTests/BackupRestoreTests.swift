import Foundation
import Testing
import ClinicTestSupport

/// `knot backup`, `knot restore` and `knot check` as a clinic uses them: a backup taken while
/// others write is consistent, a restore checks the backup before replacing anything and keeps
/// the old database aside, and a corrupt backup is refused with the current database untouched.
@Suite("backup, restore and check", .serialized)
struct BackupRestoreTests {
    @Test("a backup taken while another terminal writes is consistent, private and restorable")
    func backupWhileWriting() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        // Another terminal imports letters while the backups are taken.
        let folder = clinic.home.file("letters")
        _ = try EndToEndClinic.writeReferrals(count: 30, into: folder, padding: 20)
        let writer = try RunningKnot(["import", folder], home: clinic.home.path,
                                     environment: ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"])
        var backups: [String] = []
        for i in 0..<4 {
            let file = clinic.home.file("backup-\(i).sqlite")
            let r = try clinic.knot(["backup", file])
            #expect(r.status == 0, "\(r.stderr)")
            backups.append(file)
        }
        let w = writer.wait()
        #expect(w.status == 0, "\(w.stdout)\(w.stderr)")
        for file in backups {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "backup mode \(String(mode ?? 0, radix: 8))")
            #expect(try SQLiteProbe.scalar(file, "PRAGMA integrity_check") == "ok")
            // Whole letters only: every referral in the copy has its import record and audit row.
            let half = try SQLiteProbe.scalar(file, """
                SELECT count(*) FROM referral r WHERE NOT EXISTS (SELECT 1 FROM imported_document d WHERE d.sha256 = r.original_sha256)
                  OR NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'import' AND e.detail = 'sha256 ' || r.original_sha256)
                """)
            #expect(half == "0")
            let check = try clinic.knot(["check"], database: file)
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
        // A backup never overwrites a file.
        let again = try clinic.knot(["backup", backups[0]])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already there"))
        // The backup itself is audited.
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM audit_event WHERE action = 'backup'") == "4")
    }

    @Test("restore checks the backup, keeps the old database aside and brings the backup's records back")
    func restore() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let backup = clinic.home.file("monday.sqlite")
        try #require(clinic.knot(["backup", backup]).status == 0)
        try clinic.addPatient("Late", "Arrival", dob: "1990-01-01", record: "K2")
        let oldPatients = try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient")
        #expect(oldPatients == "2")

        let r = try clinic.knot(["restore", backup])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("previous database is kept at"))
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "1")
        let aside = try FileManager.default.contentsOfDirectory(atPath: clinic.home.path).filter { $0.hasPrefix("clinic.sqlite.before-restore-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(aside.count == 1)
        if let a = aside.first {
            #expect(try SQLiteProbe.scalar(clinic.home.file(a), "SELECT count(*) FROM patient") == "2", "the old database is kept whole")
            let mode = try FileManager.default.attributesOfItem(atPath: clinic.home.file(a))[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        let mode = try FileManager.default.attributesOfItem(atPath: clinic.db)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM audit_event WHERE action = 'restore'") == "1")
        let check = try clinic.knot(["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Integrity: ok"))
        #expect(check.stdout.contains("Audit trail: intact"))
    }

    @Test("restore refuses a corrupt backup, a tampered audit trail, garbage and a missing file, touching nothing")
    func restoreRefusals() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.signedVisit("K1")
        let good = clinic.home.file("good.sqlite")
        try #require(clinic.knot(["backup", good]).status == 0)
        let before = KnotProcess.fingerprint(clinic.db)

        // Corrupt pages: overwrite the middle of the file.
        let corrupt = clinic.home.file("corrupt.sqlite")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let pageSize = 4096
        for i in stride(from: pageSize * 2, to: bytes.count - 1, by: 7) { bytes[i] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        // A tampered audit trail: one event's actor rewritten behind Knot's back.
        let tampered = clinic.home.file("tampered.sqlite")
        try FileManager.default.copyItem(atPath: good, toPath: tampered)
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("DROP TRIGGER audit_no_update")
            c.execute("UPDATE audit_event SET actor = 'mallory' WHERE id = 2")
            c.commit()
            """, [tampered])
        let garbage = clinic.home.file("garbage.sqlite")
        try Data(repeating: 0x42, count: 10_000).write(to: URL(fileURLWithPath: garbage))

        for (file, words) in [(corrupt, ["integrity", "malformed", "not a Knot database", "damaged"]),
                              (tampered, ["audit trail"]), (garbage, ["not a Knot database"]),
                              (clinic.home.file("missing.sqlite"), ["no such file"])] {
            let r = try clinic.knot(["restore", file])
            #expect(r.status != 0, "restore from \(file) should be refused")
            #expect(words.contains { r.stderr.contains($0) }, "\(file): \(r.stderr)")
            #expect(KnotProcess.fingerprint(clinic.db) == before, "restore from \(file) changed the database")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: clinic.home.path).filter { $0.contains("before-restore") || $0.contains(".restoring") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
        // `knot check` names the problem in a damaged database and exits non-zero.
        let check = try clinic.knot(["check"], database: tampered)
        #expect(check.status == 3)
        #expect(check.stdout.contains("Audit trail: BROKEN"))
    }
}
