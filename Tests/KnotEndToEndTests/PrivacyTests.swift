import Foundation
import Testing
import ClinicTestSupport

/// Health records stay private: files only the user can read, a warning when the database is
/// exposed, no patient data in logs or temporary files, and no clinical notes for reception
/// through any command.
@Suite("access and privacy")
struct PrivacyTests {
    static let secretNote = "Disclosed panic attacks at work"
    static let secretComplaint = "Pelvic floor pain since childbirth"

    /// A clinic with a patient whose visit holds notes reception must not see.
    func clinicWithNotes() throws -> (EndToEndClinic, Int64) {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let v = try clinic.knot(["visit", "new", "K1", "--complaint", Self.secretComplaint, "--notes", Self.secretNote, "--pain-now", "6", "--json"])
        try #require(v.status == 0, "\(v.stderr)")
        let id = try #require(((try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        try #require(clinic.knot(["finding", "add", String(id), "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active"]).status == 0)
        try #require(clinic.knot(["visit", "sign", String(id)]).status == 0)
        return (clinic, id)
    }

    func mode(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1
    }

    @Test("the database folder is 0700; the database, exports, backups and plans are 0600, even with a permissive umask")
    func fileModes() throws {
        let clinic = EndToEndClinic()
        let folder = clinic.home.file("clinic-data")
        let db = folder + "/clinic.sqlite"
        // Run under umask 000: Knot must not rely on the user's umask.
        let sh = try RunningKnot(["-c", "umask 000; exec \"$@\"", "sh", KnotProcess.executable, "init", "--handle", "amy", "--name", "Amy Physio"],
                                 home: clinic.home.path, environment: ["KNOT_DATABASE": db], executable: "/bin/sh").wait()
        try #require(sh.status == 0, "\(sh.stderr)")
        #expect(try mode(folder) == 0o700)
        #expect(try mode(db) == 0o600)
        try #require(clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"], database: db).status == 0)
        let visit = try clinic.knot(["visit", "new", "K1", "--complaint", "calf", "--json"], database: db)
        let id = ((try JSONSerialization.jsonObject(with: Data(visit.stdout.utf8)) as? [String: Any])?["id"] as? NSNumber)?.int64Value ?? 1
        try #require(clinic.knot(["finding", "add", String(id), "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred"], database: db).status == 0)
        try #require(clinic.knot(["visit", "sign", String(id)], database: db).status == 0)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            #expect(try mode(db + suffix) == 0o600, "\(suffix)")
        }
        let files: [(String, [String])] = [
            ("export.xml", ["export", "-o"]),
            ("backup.sqlite", ["backup"]),
            ("plan.html", ["plan", String(id), "--format", "html", "-o"]),
        ]
        for (name, args) in files {
            let out = clinic.home.file(name)
            let r = try RunningKnot(["-c", "umask 000; exec \"$@\"", "sh", KnotProcess.executable] + args + [out],
                                    home: clinic.home.path, environment: ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"],
                                    executable: "/bin/sh").wait()
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let m = try mode(out)
            #expect(m == 0o600, "\(name) is \(String(m, radix: 8))")
        }
    }

    @Test("a database readable by others draws a warning naming the fix")
    func exposedWarning() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        chmod(clinic.db, 0o644)
        let r = try clinic.knot(["patient", "list"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("readable by other users"), "\(r.stderr)")
        #expect(r.stderr.contains(clinic.db))
        // Knot closes the hole: the file is private again, and the warning does not repeat.
        #expect(try mode(clinic.db) == 0o600)
        #expect(try !clinic.knot(["patient", "list"]).stderr.contains("readable by other users"))
        // A folder others can write into is named too.
        chmod(clinic.home.path, 0o777)
        defer { chmod(clinic.home.path, 0o700) }
        #expect(try clinic.knot(["patient", "list"]).stderr.contains("writable by other users"))
    }

    @Test("no patient data in logs (even at trace level) or in temporary files")
    func noPatientDataInLogsOrTemporaryFiles() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let tmp = clinic.home.file("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let letters = try EndToEndClinic.writeReferrals(count: 2, into: clinic.home.file("letters"))
        let env = ["KNOT_LOG_LEVEL": "trace", "TMPDIR": tmp]
        var stderr = ""
        let runs: [[String]] = [
            ["patient", "add", "--given", "Zebedee", "--family", "Quartermaine", "--dob", "1971-03-04", "--record", "K9", "--phone", "0499 111 222"],
            ["visit", "new", "K9", "--complaint", Self.secretComplaint, "--notes", Self.secretNote],
            ["import", letters[0], letters[1]], ["patient", "show", "K9"], ["visit", "show", "1"], ["history", "K9"],
            ["export", "-o", clinic.home.file("all.xml")], ["backup", clinic.home.file("b.sqlite")],
            ["patient", "search", "quarter"], ["import", clinic.home.file("all.xml")],
        ]
        for args in runs {
            let r = try clinic.knot(args, environment: env)
            stderr += r.stderr
        }
        for secret in ["Zebedee", "Quartermaine", "1971-03-04", "0499", Self.secretComplaint, Self.secretNote, "Familya", "Givena"] {
            #expect(!stderr.contains(secret), "'\(secret)' reached the log: \(stderr)")
        }
        // Nothing left in the temporary folder, nothing stray beside the database.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
        let beside = try FileManager.default.contentsOfDirectory(atPath: clinic.home.path)
            .filter { !["clinic.sqlite", "clinic.sqlite-wal", "clinic.sqlite-shm", "tmp", "letters", "all.xml", "all.xml.sig", "b.sqlite"].contains($0) }
        #expect(beside.isEmpty, "stray files: \(beside)")
        // A failed export leaves no partial file behind.
        let blocked = clinic.home.file("no-such-folder/out.xml")
        #expect(try clinic.knot(["export", "-o", blocked]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: blocked + ".partial"))
        let partials = try FileManager.default.contentsOfDirectory(atPath: clinic.home.path).filter { $0.contains(".partial") }
        #expect(partials.isEmpty, "\(partials)")
    }

    @Test("reception cannot read clinical notes through any command; patient show hides visits")
    func receptionSeesNoClinicalNotes() throws {
        let (clinic, visit) = try clinicWithNotes()
        let v = String(visit)
        let refused: [[String]] = [
            ["visit", "show", v], ["visit", "show", v, "--json"], ["history", "K1"], ["history", "K1", "--json"],
            ["log", "needling", "--from", "2000-01-01"], ["log", "needling", "--from", "2000-01-01", "--format", "csv"],
            ["plan", v], ["plan", v, "--format", "xml"], ["plan", v, "--format", "html", "-o", clinic.home.file("plan.html")],
            ["export", "-o", clinic.home.file("r.xml")], ["export", "-o", clinic.home.file("r1.xml"), "--patient", "K1"],
            ["retention", "report"], ["retention", "report", "--json"], ["backup", "reception-copy.sqlite"],
            ["visit", "amend", v, "--reason", "peek", "--set", "notes=x"],
            ["visit", "new", "K1", "--complaint", "x"], ["finding", "add", v, "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred"],
            // Who looked at which chart is not reception's work either.
            ["audit", "log"], ["audit", "log", "--json"],
        ]
        for args in refused {
            let r = try clinic.knot(args, as: "rec")
            #expect(r.status == 77, "\(args) as reception: status \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("reception"), "\(args): \(r.stderr)")
            for secret in [Self.secretNote, Self.secretComplaint] {
                #expect(!(r.stdout + r.stderr).contains(secret), "\(args) showed reception a clinical note")
            }
        }
        for file in ["plan.html", "r.xml", "r1.xml"] { #expect(!FileManager.default.fileExists(atPath: clinic.home.file(file))) }
        // What reception may use shows demographics only.
        for args in [["patient", "show", "K1"], ["patient", "show", "K1", "--json"], ["patient", "list"], ["patient", "search", "smith"],
                     ["patient", "list", "--json"], ["reviews"], ["audit", "verify"]] {
            let r = try clinic.knot(args, as: "rec")
            #expect(r.status == 0, "\(args): \(r.stderr)")
            for secret in [Self.secretNote, Self.secretComplaint] {
                #expect(!(r.stdout + r.stderr).contains(secret), "\(args) showed reception a clinical note")
            }
        }
        let show = try clinic.knot(["patient", "show", "K1"], as: "rec")
        #expect(show.stdout.contains("Smith, Jo"))
        #expect(show.stdout.contains("clinical notes are not shown to reception"))
        #expect(!show.stdout.contains("VISITS"))
        let json = try clinic.knot(["patient", "show", "K1", "--json"], as: "rec")
        let chart = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((chart?["visits"] as? [Any])?.isEmpty ?? true)
        #expect(chart?["clinicalNotesHidden"] as? Bool == true)
        // The practitioner still sees everything.
        #expect(try clinic.knot(["visit", "show", v]).stdout.contains(Self.secretNote))
    }
}
