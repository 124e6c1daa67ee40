import Foundation
import Testing
import ClinicTestSupport

/// Who may do what, as a user with a shell account meets it through the built `knot`: every
/// subcommand for every kind of account against the one permission table, the escalations of
/// issue 15 refused (exit 77, with a message), no anonymous use, deactivated accounts refused,
/// private files and a terminal that never receives an original letter's controls raw.
@Suite("who may do what", .serialized)
struct AccessTests {
    /// amy (practitioner, administrator: made by init), rec (reception), doc (practitioner),
    /// spare (reception, for deactivating); patient K1 with a signed visit; an export to import.
    func clinic() throws -> (EndToEndClinic, visit: Int64, export: String) {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try #require(clinic.knot(["practitioner", "add", "--handle", "doc", "--name", "Doc Holm"]).status == 0)
        try #require(clinic.knot(["practitioner", "add", "--handle", "spare", "--name", "Spare Desk", "--role", "reception"]).status == 0)
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = try clinic.signedVisit("K1")
        let export = clinic.home.file("clinic-export.xml")
        try #require(clinic.knot(["export", "-o", export]).status == 0)
        return (clinic, visit, export)
    }

    /// The roles each test account holds, as the permission table names them.
    static let accounts: [(handle: String?, roles: Set<String>)] = [
        ("amy", ["practitioner", "administrator"]), ("doc", ["practitioner"]), ("rec", ["reception"]),
        (nil, []), ("", []),
    ]

    /// Every subcommand that opens the clinic, with the roles the table allows it (`muscles`
    /// reads only the built-in catalogue and is everyone's; `init` and `demo` on a new database
    /// are walked in `noAnonymousUse`).
    static func walk(_ v: String, _ home: TemporaryDirectory, _ who: String, export: String) -> [(args: [String], allowed: Set<String>)] {
        let everyone: Set<String> = ["reception", "practitioner", "administrator"]
        let desk: Set<String> = ["reception", "practitioner"]
        let clinical: Set<String> = ["practitioner"]
        let admin: Set<String> = ["administrator"]
        let clinicalOrAdmin: Set<String> = ["practitioner", "administrator"]
        let tag = who.isEmpty ? "empty" : who
        return [
            (["init"], everyone),
            (["demo"], admin),
            (["practitioner", "list"], everyone),
            (["practitioner", "add", "--handle", "new-\(tag)", "--name", "New Person", "--role", "reception"], admin),
            (["practitioner", "edit", "doc", "--registration", "PHY000\(tag.count)"], admin),
            (["practitioner", "set", "doc", "--registration-body", "HCPC", "--registration-number", "PH\(100 + tag.count)"], admin),
            (["practitioner", "show", "doc"], everyone),
            (["practitioner", "deactivate", "spare"], admin),
            (["practitioner", "reactivate", "spare"], admin),
            (["patient", "list"], everyone),
            (["patient", "search", "smi"], everyone),
            (["patient", "add", "--given", "Al", "--family", "Walk", "--dob", "1990-01-01", "--record", "W-\(tag)"], desk),
            (["patient", "edit", "K1", "--phone", "0400 000 001"], desk),
            (["patient", "show", "K1"], desk),
            (["patient", "archive", "K1", "--restore"], desk),
            (["alert", "confirm", "1"], clinical),
            (["alert", "dismiss", "1"], clinical),
            (["referral", "show", "1"], desk),
            (["alert", "add", "K1", "--kind", "allergy", "--text", "Latex"], desk),
            (["referral", "list", "K1"], desk),
            (["reviews"], desk),
            (["visit", "show", v], clinical),
            (["history", "K1"], clinical),
            (["log", "needling", "--from", "2000-01-01"], clinical),
            (["plan", v], clinical),
            (["visit", "new", "K1", "--complaint", "Walk \(tag)"], clinical),
            (["finding", "add", v, "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred"], clinical),
            (["treatment", "add", v, "--kind", "stretching"], clinical),
            (["outcome", "add", v, "--measure", "ndi", "--items", "1,1,1,1,1,1,1,1,1,1"], clinical),
            (["outcome", "list", "K1"], clinical),
            (["visit", "impression", v, "Walked by \(tag)"], clinical),
            (["needle", "add", v, "--muscle", "soleus", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--inserted", "1", "--size", "0.25x40",
              "--brand", "Seirin", "--lot", "L1"], clinical),
            (["needle", "remove", "1", "--removed", "1"], clinical),
            (["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"], clinical),
            (["screen", "record", "K1", "--valid-days", "90", "--none-present"], clinical),
            (["visit", "sign", v], clinical),
            (["visit", "amend", v, "--reason", "walk", "--set", "notes=walked by \(tag)"], clinical),
            (["audit", "verify"], everyone),
            (["audit", "log"], clinicalOrAdmin),
            (["check"], everyone),
            (["export", "-o", home.file("walk-\(tag).xml")], clinicalOrAdmin),
            (["backup", home.file("walk-\(tag).sqlite")], clinicalOrAdmin),
            (["retention", "report"], admin),
            (["template", "list"], clinicalOrAdmin),
            (["template", "edit", "patient.opening", "--file", "/dev/null"], admin),
            (["template", "reset", "patient.opening"], admin),
            (["import", "--dry-run", export], admin),
        ]
    }

    @Test("every subcommand for every account: allowed is never 77, forbidden is 77 with a message")
    func everySubcommandForEveryRole() throws {
        let (clinic, visit, export) = try clinic()
        for account in Self.accounts {
            let who = account.handle ?? "nobody"
            for step in Self.walk(String(visit), clinic.home, who, export: export) {
                let args = account.handle == "" ? step.args + ["--practitioner", ""] : step.args
                let r = try clinic.knot(args, as: account.handle == "" ? nil : account.handle)
                if !step.allowed.isDisjoint(with: account.roles) {
                    #expect(r.status != 77, "\(who) \(step.args): refused \(r.stderr)")
                } else {
                    #expect(r.status == 77, "\(who) \(step.args): status \(r.status), \(r.stderr)")
                    #expect(r.stderr.contains("knot: error:") && r.stderr.count > 30, "\(who) \(step.args): \(r.stderr)")
                }
            }
        }
    }

    @Test("reception cannot lift its own restriction: add a practitioner, edit one, restore, import a clinic export")
    func receptionEscalationsRefused() throws {
        let (clinic, visit, export) = try clinic()
        let add = try clinic.knot(["practitioner", "add", "--handle", "recdoc", "--name", "Rec Doc", "--role", "practitioner"], as: "rec")
        #expect(add.status == 77, "\(add.stderr)")
        let show = try clinic.knot(["visit", "show", String(visit)], as: "recdoc")
        #expect(show.status == 77, "a refused account must not exist: \(show.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM practitioner WHERE handle = 'recdoc'") == "0")

        let edit = try clinic.knot(["practitioner", "edit", "amy", "--registration", "FAKE1"], as: "rec")
        #expect(edit.status == 77, "\(edit.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM practitioner WHERE registration_number = 'FAKE1'") == "0")

        let backup = clinic.home.file("b.sqlite")
        try #require(clinic.knot(["backup", backup]).status == 0)
        let before = KnotProcess.fingerprint(clinic.db)
        let restore = try clinic.knot(["restore", backup], as: "rec")
        #expect(restore.status == 77, "\(restore.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before)

        let imported = try clinic.knot(["import", export], as: "rec")
        #expect(imported.status == 77, "\(imported.stderr)")
        // A practitioner who is not an administrator may not either.
        #expect(try clinic.knot(["import", export], as: "doc").status == 77)
        #expect(try clinic.knot(["restore", backup], as: "doc").status == 77)
        // Nor grant more than they hold: an administrator who works as reception cannot make a practitioner.
        try #require(clinic.knot(["practitioner", "add", "--handle", "deskadmin", "--name", "Desk Admin", "--role", "reception", "--administrator"]).status == 0)
        let grant = try clinic.knot(["practitioner", "add", "--handle", "made", "--name", "Made Up", "--role", "practitioner"], as: "deskadmin")
        #expect(grant.status == 77, "\(grant.stderr)")
        #expect(grant.stderr.contains("no one grants a role they do not hold"), "\(grant.stderr)")
        // The administrator restores.
        #expect(try clinic.knot(["restore", backup]).status == 0)
    }

    @Test("no account, or an empty handle: visit show and export refused with the way in; init makes the first administrator")
    func noAnonymousUse() throws {
        let (clinic, visit, _) = try clinic()
        for args in [["visit", "show", String(visit)], ["export", "-o", clinic.home.file("anon.xml")], ["patient", "list"]] {
            for extra in [[], ["--practitioner", ""]] {
                let r = try clinic.knot(args + extra, as: nil, environment: ["USER": "mallory"])
                #expect(r.status == 77, "\(args + extra): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("knot practitioner add --handle"), "\(r.stderr)")
                #expect(!r.stdout.contains("Left calf pain"))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: clinic.home.file("anon.xml")))
        // A new database: init by anyone makes the first account, an administrator; demo is refused after.
        let fresh = clinic.home.file("fresh.sqlite")
        let first = try clinic.knot(["init", "--handle", "boss", "--name", "Bo Boss"], as: nil, database: fresh)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("clinic administrator"), "\(first.stdout)")
        #expect(try SQLiteProbe.scalar(fresh, "SELECT administrator FROM practitioner WHERE handle = 'boss'") == "1")
        #expect(try clinic.knot(["init", "--handle", "mallory", "--name", "Mal"], as: nil, database: fresh).status == 77)
        #expect(try clinic.knot(["demo"], as: nil, database: fresh).status == 77)
        // The demo into an empty database: anyone.
        #expect(try clinic.knot(["demo"], as: nil, database: clinic.home.file("demo.sqlite")).status == 0)
    }

    @Test("a deactivated account is kept for the record and refused; reactivated, it works again")
    func deactivatedAccountRefused() throws {
        let (clinic, visit, _) = try clinic()
        #expect(try clinic.knot(["practitioner", "deactivate", "doc"]).status == 0)
        let r = try clinic.knot(["visit", "show", String(visit)], as: "doc")
        #expect(r.status == 77)
        #expect(r.stderr.contains("deactivated"), "\(r.stderr)")
        #expect(try clinic.knot(["practitioner", "list"]).stdout.contains("doc (deactivated)"))
        // The only administrator cannot be deactivated.
        #expect(try clinic.knot(["practitioner", "deactivate", "amy"]).status == 1)
        #expect(try clinic.knot(["practitioner", "reactivate", "doc"]).status == 0)
        #expect(try clinic.knot(["visit", "show", String(visit)], as: "doc").status == 0)
    }

    @Test("with umask 000, plans and exports are never looser than 0600, and a link at the temporary name is not followed")
    func privateFiles() throws {
        let (clinic, visit, _) = try clinic()
        let plan = clinic.home.file("plan.html")
        let r = try KnotProcess.run(["plan", String(visit), "--format", "html", "-o", plan], home: clinic.home.path,
                                    environment: ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"], umask: 0)
        #expect(r.status == 0, "\(r.stderr)")
        let export = clinic.home.file("e.xml")
        #expect(try KnotProcess.run(["export", "-o", export], home: clinic.home.path,
                                    environment: ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"], umask: 0).status == 0)
        for file in [plan, export, clinic.db] {
            let mode = try #require(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(file) is \(String(mode, radix: 8))")
        }
        // An attacker's link at the old fixed temporary name is left alone, its target untouched.
        let victim = clinic.home.file("victim.txt")
        try Data("untouched".utf8).write(to: URL(fileURLWithPath: victim))
        let out = clinic.home.file("e2.xml")
        try FileManager.default.createSymbolicLink(atPath: out + ".partial", withDestinationPath: victim)
        #expect(try clinic.knot(["export", "-o", out]).status == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: clinic.home.path).filter { $0.hasPrefix("e2.xml.partial-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("referral show --original: on a terminal every control is escaped; to a pipe, byte for byte")
    func originalLetterOnATerminal() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let letter = clinic.home.file("hostile-letter.xml")
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Sarah Okafor</name></referrer>
          <date>2026-11-20</date>
          <patient><givenNames>Ann</givenNames><familyName>Lee</familyName><dateOfBirth>1970-01-01</dateOfBirth></patient>
          <reason>Neck pain</reason>
          <history>CSI \u{9B}31m NEL \u{85} RLO \u{202E}gnissecca</history>
        </referral>
        """
        try Data(xml.utf8).write(to: URL(fileURLWithPath: letter))
        let imported = try clinic.knot(["import", letter], as: "rec")
        try #require(imported.status == 0, "\(imported.stdout) \(imported.stderr)")
        let id = try #require(try SQLiteProbe.scalar(clinic.db, "SELECT max(id) FROM referral"))

        let piped = try clinic.knot(["referral", "show", id, "--original"], as: "rec")
        #expect(piped.status == 0)
        #expect(piped.stdout == xml, "to a pipe the letter is byte for byte")

        let onTerminal = try Self.runOnTerminal(["referral", "show", id, "--original"], home: clinic.home.path,
                                                environment: ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "rec"])
        for raw in ["\u{9B}", "\u{85}", "\u{202E}"] {
            #expect(!onTerminal.unicodeScalars.contains(raw.unicodeScalars.first!), "\(raw.unicodeScalars.first!.value) reached the terminal raw")
        }
        #expect(onTerminal.contains("CSI \\u{009B}31m NEL \\u{0085} RLO \\u{202E}gnissecca"), "\(onTerminal)")
    }

    /// Runs `knot` with its standard output on a pseudo-terminal (through util-linux `script`)
    /// and returns what reached the terminal.
    static func runOnTerminal(_ args: [String], home: String, environment: [String: String]) throws -> String {
        let command = ([KnotProcess.executable] + args).map { "'" + $0 + "'" }.joined(separator: " ")
        let r = try KnotProcess.runProgram("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], home: home, environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }
}
