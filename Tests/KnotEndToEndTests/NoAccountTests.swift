import Foundation
import Testing
import ClinicTestSupport

/// Without a Knot account (no handle, an empty one, or an OS login that is no handle) every
/// command that opens a clinic with accounts is refused, exit 77, printing nothing and writing
/// nothing; the table covers every subcommand `knot` has, so that a new one cannot be added
/// unguarded without this test failing. Who is running Knot is the system's account, never `$USER`.
@Suite("no account, no access", .serialized)
struct NoAccountTests {
    /// Subcommands that open no clinic: the built-in catalogues.
    static let openNoClinic: Set<String> = ["muscles", "outcome scales"]

    /// Every subcommand that opens the clinic, by its path, with arguments that parse (`v` a
    /// signed visit, `K1` a patient, held letter 1, `export` a clinic export, `backup` a backup,
    /// `out(name)` a file that must not be created).
    static func walk(v: String, export: String, backup: String, key: String, out: (String) -> String) -> [String: [String]] {
        [
            "init": ["init", "--handle", "mallory", "--name", "Mal Lory"],
            "demo": ["demo"],
            "practitioner add": ["practitioner", "add", "--handle", "mal", "--name", "Mal Lory", "--role", "reception"],
            "practitioner edit": ["practitioner", "edit", "rec", "--registration", "X1"],
            "practitioner list": ["practitioner", "list"],
            "practitioner show": ["practitioner", "show", "amy"],
            "practitioner deactivate": ["practitioner", "deactivate", "rec"],
            "practitioner reactivate": ["practitioner", "reactivate", "rec"],
            "patient add": ["patient", "add", "--given", "Al", "--family", "Walk", "--dob", "1990-01-01"],
            "patient edit": ["patient", "edit", "K1", "--phone", "0400 000 001"],
            "patient list": ["patient", "list"],
            "patient search": ["patient", "search", "smi"],
            "patient show": ["patient", "show", "K1"],
            "patient archive": ["patient", "archive", "K1"],
            "patient merge": ["patient", "merge", "K1", "K2"],
            "alert add": ["alert", "add", "K1", "--kind", "allergy", "--text", "Latex"],
            "alert confirm": ["alert", "confirm", "1"],
            "alert dismiss": ["alert", "dismiss", "1", "--reason", "no"],
            "visit new": ["visit", "new", "K1", "--complaint", "Sore"],
            "visit show": ["visit", "show", v],
            "visit impression": ["visit", "impression", v, "Something"],
            "visit sign": ["visit", "sign", v],
            "visit amend": ["visit", "amend", v, "--reason", "walk", "--set", "notes=changed"],
            "finding add": ["finding", "add", v, "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred"],
            "finding edit": ["finding", "edit", v, "1", "--side", "right"],
            "finding strike": ["finding", "strike", v, "1", "--reason", "wrong"],
            "treatment add": ["treatment", "add", v, "--kind", "stretching"],
            "treatment edit": ["treatment", "edit", v, "1", "--notes", "x"],
            "treatment strike": ["treatment", "strike", v, "1", "--reason", "wrong"],
            "needle add": ["needle", "add", v, "--muscle", "soleus", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse",
                           "--sharps-disposed", "--inserted", "1", "--size", "0.25x40", "--brand", "Seirin", "--lot", "L1"],
            "needle remove": ["needle", "remove", "1", "--removed", "1"],
            "needle edit": ["needle", "edit", v, "1", "--side", "right"],
            "needle strike": ["needle", "strike", v, "1", "--reason", "wrong"],
            "consent record": ["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"],
            "consent strike": ["consent", "strike", "1", "--reason", "wrong"],
            "screen record": ["screen", "record", "K1", "--valid-days", "90", "--none-present"],
            "screen strike": ["screen", "strike", "1", "--reason", "wrong"],
            "history": ["history", "K1"],
            "log needling": ["log", "needling", "--from", "2000-01-01"],
            "audit verify": ["audit", "verify"],
            "audit anchor": ["audit", "anchor"],
            "audit log": ["audit", "log"],
            "import": ["import", "--dry-run", export],
            "export": ["export", "-o", out("export.xml")],
            "plan": ["plan", v],
            "reviews": ["reviews"],
            "backup": ["backup", out("backup.sqlite")],
            "restore": ["restore", backup],
            "check": ["check"],
            "retention report": ["retention", "report"],
            "referral list": ["referral", "list", "K1"],
            "referral show": ["referral", "show", "1"],
            "referral conflicts": ["referral", "conflicts"],
            "referral resolve": ["referral", "resolve", "1", "--patient", "K1"],
            "clinic show": ["clinic", "show"],
            "clinic set": ["clinic", "set", "--name", "Mallory's"],
            "clinic key": ["clinic", "key"],
            "clinic trust": ["clinic", "trust", key],
            "template list": ["template", "list"],
            "template show": ["template", "show", "patient.opening"],
            "template edit": ["template", "edit", "patient.opening", "--file", "/dev/null"],
            "template reset": ["template", "reset", "patient.opening"],
            "outcome add": ["outcome", "add", v, "--measure", "ndi", "--items", "1,1,1,1,1,1,1,1,1,1"],
            "outcome strike": ["outcome", "strike", v, "1", "--reason", "wrong"],
            "outcome list": ["outcome", "list", "K1"],
            "migrate-store": ["migrate-store", "--to", out("moved.sqlite")],
        ]
    }

    /// Every subcommand `knot` has, by its path ("referral resolve"), from its own help dump.
    static func subcommands() throws -> Set<String> {
        let home = TemporaryDirectory(prefix: "knot-noaccount-help")
        let r = try KnotProcess.run(["--experimental-dump-help"], home: home.path)
        try #require(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var found = Set<String>()
        func walk(_ command: [String: Any], _ path: [String]) {
            let subs = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
            if subs.isEmpty { found.insert(path.joined(separator: " ")); return }
            for sub in subs { walk(sub, path + [sub["commandName"] as? String ?? "?"]) }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return found
    }

    @Test("the table names every subcommand knot has (a new one must be added here, and refused without an account)")
    func tableCoversEverySubcommand() throws {
        let table = Set(Self.walk(v: "1", export: "x", backup: "y", key: "z", out: { $0 }).keys)
        let all = try Self.subcommands()
        #expect(all.subtracting(table).subtracting(Self.openNoClinic).isEmpty,
                "subcommands missing from the no-account table: \(all.subtracting(table).subtracting(Self.openNoClinic).sorted())")
        #expect(table.subtracting(all).isEmpty, "no such subcommands: \(table.subtracting(all).sorted())")
    }

    @Test("every subcommand without an account (none, --practitioner \"\", or a $USER naming an account): 77, nothing printed, nothing written")
    func everySubcommandRefusedWithoutAnAccount() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.addPatient("Al", "Brown", dob: "1970-02-02", record: "K2")
        let visit = String(try clinic.signedVisit("K1"))
        // A held letter (two patients share its name and birth date).
        try clinic.addPatient("Sam", "Lee", dob: "2000-01-01", record: "K3")
        let twin = try clinic.knot(["patient", "add", "--given", "Sam", "--family", "Lee", "--dob", "2000-01-01", "--record", "K4", "--allow-duplicate"])
        try #require(twin.status == 0, "\(twin.stderr)")
        let letter = clinic.home.file("sam.xml")
        try Data(EndToEndClinic.referralLetter(given: "Sam", family: "Lee", dob: "2000-01-01").utf8).write(to: URL(fileURLWithPath: letter))
        try #require(clinic.knot(["import", letter]).status == 1)
        let export = clinic.home.file("clinic-export.xml")
        try #require(clinic.knot(["export", "-o", export]).status == 0)
        let backup = clinic.home.file("before.sqlite")
        try #require(clinic.knot(["backup", backup]).status == 0)
        let key = clinic.home.file("other.pub")
        try #require(clinic.knot(["clinic", "key"]).status == 0)
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: key))
        let before = KnotProcess.fingerprint(clinic.db)
        let out = { (name: String) in clinic.home.file("anon-" + name) }

        let steps = Self.walk(v: visit, export: export, backup: backup, key: key, out: out)
        // mallory has no account; amy is the administrator's handle, which $USER must not claim.
        for user in ["mallory", "amy"] {
            for (name, args) in steps.sorted(by: { $0.key < $1.key }) {
                for extra in user == "amy" ? [[]] : [[], ["--practitioner", ""]] {
                    let r = try clinic.knot(args + extra, as: nil, environment: ["USER": user, "LOGNAME": user])
                    #expect(r.status == 77, "\(name) \(extra) as USER=\(user): status \(r.status), \(r.stderr)")
                    #expect(r.stderr.contains("has no Knot account here"), "\(name) \(extra): \(r.stderr)")
                    #expect(r.stdout.isEmpty, "\(name) \(extra) printed: \(r.stdout)")
                    #expect(!r.stdout.contains("Smith") && !r.stdout.contains("Lee"), "\(name): patient data printed")
                }
            }
        }
        #expect(KnotProcess.fingerprint(clinic.db) == before, "a refused command wrote to the clinic")
        for name in ["export.xml", "backup.sqlite", "moved.sqlite"] {
            #expect(!FileManager.default.fileExists(atPath: out(name)), "\(name) was created")
        }
        // The held letter is still held, for someone with an account to file.
        let held = try clinic.knot(["referral", "conflicts"], as: "rec")
        #expect(held.status == 0 && held.stdout.contains("#1 sam.xml"), "\(held.status) \(held.stdout) \(held.stderr)")
    }
}
