import Foundation
import Testing
import ClinicTestSupport
import ClinicModel

/// The `knot` command as a user meets it: the built binary on a temporary database.
@Suite("knot command line")
struct CommandLineTests {
    let home = TemporaryDirectory(prefix: "knot-e2e")
    var db: String { home.file("clinic.sqlite") }

    @discardableResult
    func knot(_ args: String..., practitioner: String? = "amy") throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": db]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    func setUpClinic() throws {
        try #require(knot("init", "--handle", "amy", "--name", "Amy Physio").status == 0)
        try #require(knot("practitioner", "add", "--handle", "rec", "--name", "Rita Reception", "--role", "reception").status == 0)
        try #require(knot("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--phone", "0412 345 678",
                          "--record", "K1").status == 0)
    }

    @Test("the default database is created under XDG_DATA_HOME with folder 0700 and file 0600")
    func defaultLocation() throws {
        let data = home.file("data")
        let r = try KnotProcess.run(["init"], home: home.path, environment: ["XDG_DATA_HOME": data])
        #expect(r.status == 0, "\(r.stderr)")
        let file = data + "/knot/clinic.sqlite"
        let fileMode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: data + "/knot")[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(dirMode == 0o700)
        // And ~/.local/share without XDG_DATA_HOME.
        let r2 = try KnotProcess.run(["init"], home: home.path)
        #expect(r2.status == 0)
        #expect(FileManager.default.fileExists(atPath: home.path + "/.local/share/knot/clinic.sqlite"))
    }

    @Test("patients are added, listed, searched and shown, as tables and JSON")
    func patients() throws {
        try setUpClinic()
        let list = try knot("patient", "list")
        #expect(list.stdout.contains("Smith, Jo"))
        let search = try knot("patient", "search", "smi", "jo", "--json")
        #expect(search.status == 0)
        let found = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]]
        #expect(found?.first?["recordNumber"] as? String == "K1")
        #expect(try knot("patient", "search", "0412345678").stdout.contains("K1"))
        #expect(try knot("patient", "search", "17/05/1980").stdout.contains("K1"))
        let show = try knot("patient", "show", "K1", "--json")
        let chart = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let patient = chart?["patient"] as? [String: Any]
        #expect(patient?["familyName"] as? String == "Smith")
        #expect(patient?["dateOfBirth"] as? String == "1980-05-17")
        let edited = try knot("patient", "edit", "K1", "--email", "jo@example.org")
        #expect(edited.status == 0)
        #expect(try knot("patient", "show", "K1").stdout.contains("jo@example.org"))
    }

    @Test("bad input is refused with a message naming the field, a non-zero exit, and the database unchanged")
    func badInput() throws {
        try setUpClinic()
        try #require(knot("visit", "new", "K1", "--complaint", "calf pain", "--pain-now", "6", practitioner: "amy").status == 0)
        let before = KnotProcess.fingerprint(db)
        let cases: [([String], String)] = [
            (["patient", "add", "--given", "Al", "--family", "Future", "--dob", "2999-01-01"], "dateOfBirth"),
            (["patient", "add", "--given", "Al", "--family", "Bad", "--dob", "1980-02-30"], "not a real calendar date"),
            (["visit", "new", "K1", "--pain-now", "11"], "NPRS is 0 to 10"),
            (["finding", "add", "1", "--muscle", "not-a-muscle", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred"], "not a muscle"),
            (["finding", "add", "1", "--kind", "fpi6", "--side", "left", "--fpi", "1,1,3,0,0,0"], "FPI-6 item"),
            (["needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
              "--lot", "L1", "--inserted", "2"], "consent"),
            (["patient", "add", "--given", "Al\u{1B}[2J", "--family", "Esc", "--dob", "1980-01-01"], "control characters"),
        ]
        for (args, expected) in cases {
            var env = ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"]
            env["X"] = nil
            let r = try KnotProcess.run(args, home: home.path, environment: env)
            #expect(r.status != 0, "\(args) should fail")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("\u{1B}"), "escape sequences must never reach the terminal")
        }
        #expect(KnotProcess.fingerprint(db) == before, "a refused command must not change the database")
    }

    @Test("a path that is not a Knot database is refused and left byte for byte as it was")
    func notADatabase() throws {
        let text = home.file("notes.txt")
        try Data("Dear diary, not a database.\n".utf8).write(to: URL(fileURLWithPath: text))
        let r = try KnotProcess.run(["--database", text, "patient", "list"], home: home.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("not a Knot database"))
        #expect(FileManager.default.contents(atPath: text) == Data("Dear diary, not a database.\n".utf8))

        let other = home.file("other.sqlite")
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        sqlite.arguments = ["-c", "import sqlite3; c=sqlite3.connect('\(other)'); c.execute('create table t(x)'); c.commit()"]
        try sqlite.run(); sqlite.waitUntilExit()
        let beforeOther = KnotProcess.fingerprint(other)
        let r2 = try KnotProcess.run(["--database", other, "patient", "list"], home: home.path)
        #expect(r2.status != 0)
        #expect(r2.stderr.contains("not a Knot database"))
        #expect(KnotProcess.fingerprint(other) == beforeOther)

        let r3 = try KnotProcess.run(["--database", "/proc/knot-cannot-write/clinic.sqlite", "init"], home: home.path)
        #expect(r3.status != 0)
        #expect(r3.stderr.contains("cannot"))
    }

    @Test("a whole visit: consent and screen before needling, counts that balance, sign, amend, audit")
    func wholeVisit() throws {
        try setUpClinic()
        #expect(try knot("alert", "add", "K1", "--kind", "anticoagulant", "--text", "Apixaban 5 mg bd", practitioner: "amy").status == 0)
        #expect(try knot("visit", "new", "K1", "--complaint", "Left calf pain running", "--pain-now", "6", "--pain-worst", "8", practitioner: "amy").status == 0)
        #expect(try knot("finding", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-referred", "--active", "--twitch",
                         "--tenderness", "7", practitioner: "amy").status == 0)
        #expect(try knot("finding", "add", "1", "--kind", "fpi6", "--side", "left", "--fpi", "2,1,2,1,1,1", practitioner: "amy").status == 0)
        let noConsent = try knot("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40",
                                 "--brand", "Seirin", "--lot", "L2411", "--inserted", "2", practitioner: "amy")
        #expect(noConsent.status == 1)
        #expect(noConsent.stderr.contains("informed consent"))
        #expect(try knot("consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained", practitioner: "amy").status == 0)
        let screenMissing = try knot("screen", "record", "K1", "--valid-days", "90", practitioner: "amy")
        #expect(screenMissing.status != 0, "the chart's anticoagulant must be answered in the screen")
        #expect(try knot("screen", "record", "K1", "--valid-days", "90", "--present", "anticoagulant", "--ack", "anticoagulant=INR stable; superficial sites, firm pressure",
                         "--absent", Precaution.allCases.filter { $0 != .anticoagulant }.map(\.rawValue).joined(separator: ","),
                         practitioner: "amy").status == 0)
        let needle = try knot("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40",
                              "--brand", "Seirin", "--lot", "L2411", "--inserted", "2", "--removed", "1", practitioner: "amy")
        #expect(needle.status == 0, "\(needle.stderr)")
        #expect(needle.stderr.contains("unaccounted"))
        // Over the lung fields the depth is required.
        let lung = try knot("needle", "add", "1", "--muscle", "lower-trapezius", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--inserted", "1", "--removed", "1", practitioner: "amy")
        #expect(lung.status != 0)
        #expect(lung.stderr.contains("lung fields"))
        let unbalanced = try knot("visit", "sign", "1", practitioner: "amy")
        #expect(unbalanced.status == 1)
        #expect(unbalanced.stderr.contains("needle count does not balance"))
        #expect(try knot("needle", "remove", "1", "--removed", "2", practitioner: "amy").status == 0)
        let signed = try knot("visit", "sign", "1", practitioner: "amy")
        #expect(signed.status == 0, "\(signed.stderr)")
        let late = try knot("finding", "add", "1", "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred", practitioner: "amy")
        #expect(late.status != 0)
        #expect(late.stderr.contains("signed"))
        #expect(try knot("visit", "amend", "1", "--reason", "typo in complaint", "--set", "complaint=Left calf pain after running",
                         practitioner: "amy").status == 0)
        let show = try knot("visit", "show", "1", practitioner: "amy")
        #expect(show.stdout.contains("Left calf pain running"))
        #expect(show.stdout.contains("Left calf pain after running"))
        #expect(show.stdout.contains("typo in complaint"))
        let reception = try knot("visit", "show", "1", practitioner: "rec")
        #expect(reception.status != 0)
        #expect(reception.stderr.contains("reception"))
        let log = try knot("log", "needling", "--from", "2000-01-01", "--format", "csv", practitioner: "amy")
        #expect(log.stdout.contains("L2411"))
        let verify = try knot("audit", "verify")
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact"))
        let history = try knot("history", "K1", practitioner: "amy")
        #expect(history.stdout.contains("signed (amended)"))
    }

    @Test("help is there for every command")
    func help() throws {
        for cmd in [["--help"], ["patient", "add", "--help"], ["needle", "add", "--help"], ["import", "--help"], ["plan", "--help"]] {
            let r = try KnotProcess.run(cmd, home: home.path)
            #expect(r.status == 0)
            #expect(r.stdout.contains("USAGE"))
        }
    }
}
