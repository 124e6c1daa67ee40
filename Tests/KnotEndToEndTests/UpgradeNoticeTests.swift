import Foundation
import Testing
import ClinicTestSupport
@testable import ClinicStore

/// `knot` on a clinic an older Knot made (opened, or restored from a backup) says on stderr that
/// it is upgrading (every record is checked and sealed again: minutes for a large clinic) and
/// when it is done, then does what it was asked; stdout is the command's alone, and the next
/// command says nothing.
@Suite struct UpgradeNoticeTests {
    /// A clinic with two patients, left as a Knot before v7 left it: text seals, the v7
    /// migration not applied.
    static func clinicBeforeV7() throws -> EndToEndClinic {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.addPatient("Ann", "Lee", dob: "1975-02-01", record: "K2")
        let db = try ClinicDatabase(path: clinic.db, create: false)
        let key = try #require(db.key)
        try db.pool.write { try RowSeal.resealAsBeforeV7($0, key: key) }
        try db.close()
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("DELETE FROM grdb_migrations WHERE identifier = 'v7-compact-seals'")
            c.close()
            """, [clinic.db])
        return clinic
    }

    @Test("knot restore of a backup an older Knot made: the upgrade after the restore says so on stderr, naming the restored database")
    func restoreOldBackup() throws {
        let clinic = try Self.clinicBeforeV7()
        let target = clinic.home.file("restored.sqlite")
        let r = try clinic.knot(["restore", clinic.db], database: target)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("knot: upgrading \(target) (2 patients) for this version of Knot"), "\(r.stderr)")
        #expect(r.stderr.contains("knot: upgrade done"), "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Restored \(target) from \(clinic.db)."), "\(r.stdout)")
        let list = try clinic.knot(["patient", "list"], database: target)
        #expect(list.status == 0 && list.stderr.isEmpty && list.stdout.contains("Smith"), "\(list.stderr)")
    }

    @Test("a command on a clinic before v7: two lines on stderr (upgrading, with the patients; done), the command's output as usual, then silence")
    func upgradeSaysSo() throws {
        let clinic = try Self.clinicBeforeV7()
        let r = try clinic.knot(["patient", "list"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(r.stderr)")
        #expect(lines[0].hasPrefix("knot: upgrading \(clinic.db) (2 patients) for this version of Knot: every record is checked, then sealed again."), "\(lines[0])")
        #expect(lines[0].contains("Older versions of Knot cannot open the clinic afterwards."))
        #expect(lines[1].hasPrefix("knot: upgrade done"), "\(lines[1])")
        #expect(!lines[1].contains("audit verify"))
        #expect(r.stdout.contains("Smith") && r.stdout.contains("Lee") && !r.stdout.contains("upgrad"))

        let again = try clinic.knot(["patient", "list"])
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }
}
