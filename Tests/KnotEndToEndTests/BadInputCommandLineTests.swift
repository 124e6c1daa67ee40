import Foundation
import Testing
import ClinicTestSupport

/// Bad input is not a clinical refusal (issue 18): a value out of its range (an NPRS of 11, more
/// needles removed than inserted, a negative depth) or structured text not in its form
/// (`--adverse`, `--ack`, `plan --add`) exits 65 naming the option, the value and what it
/// accepts, and writes nothing; a clinical rule (an unbalanced needle count at signing) still
/// exits 1; `--help` wins over a bad value typed with it.
@Suite("knot command line: bad values exit 65 naming option, value and range; --help wins")
struct BadInputCommandLineTests {
    let clinic = EndToEndClinic()

    /// A clinic with patient K1 (consent and a clear screen on file) and one draft visit; returns the visit id.
    func draftVisit() throws -> String {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try #require(clinic.knot(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"]).status == 0)
        try #require(clinic.knot(["screen", "record", "K1", "--valid-days", "90", "--none-present"]).status == 0)
        let v = try clinic.knot(["visit", "new", "K1", "--complaint", "Left calf pain", "--json"])
        try #require(v.status == 0, "\(v.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        return String(try #require((json?["id"] as? NSNumber)?.int64Value))
    }

    var needle: [String] {
        ["--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin", "--lot", "L1"]
    }

    /// Runs knot and checks it exits 65 with every text in stderr and the database unchanged.
    func expectBadInput(_ args: [String], naming texts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = KnotProcess.fingerprint(clinic.db)
        let r = try clinic.knot(args)
        #expect(r.status == 65, "\(args): \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        for text in texts { #expect(r.stderr.contains(text), "\(args): '\(text)' not in \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(!r.stderr.contains("SUBCOMMANDS"), "no usage screen: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(KnotProcess.fingerprint(clinic.db) == before, "\(args) changed the database", sourceLocation: sourceLocation)
    }

    @Test("an NPRS of 11 exits 65 naming the option, the value and 0 to 10; the help names the range; no visit is opened")
    func nprsOutOfRange() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        for option in ["--pain-now", "--pain-best", "--pain-worst"] {
            try expectBadInput(["visit", "new", "K1", option, "11"], naming: [option, "'11'", "NPRS is 0 to 10"])
        }
        try expectBadInput(["visit", "new", "K1", "--pain-now", "-1"], naming: ["--pain-now", "'-1'", "0 to 10"])
        try expectBadInput(["visit", "new", "K1", "--psfs", "walking=12"], naming: ["--psfs", "walking=12", "PSFS is 0 to 10"])
        let help = try clinic.knot(["visit", "new", "--help"])
        #expect(help.status == 0 && help.stdout.contains("NPRS 0-10"), "\(help.stdout)")
        let history = try clinic.knot(["history", "K1", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.isEmpty == true, "\(history.stdout)")
        // The same value through the model (a finding's tenderness) is bad input too.
        let visit = try clinic.knot(["visit", "new", "K1"])
        #expect(visit.status == 0, "\(visit.stderr)")
        try expectBadInput(["finding", "add", "1", "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred", "--tenderness", "11"],
                           naming: ["--tenderness", "'11'", "0 to 10"])
    }

    @Test("more needles removed than inserted, a negative depth: 65 naming the option, the value and the range; nothing is written")
    func needleCountsOutOfRange() throws {
        let visit = try draftVisit()
        try expectBadInput(["needle", "add", visit] + needle + ["--inserted", "2", "--removed", "3"],
                           naming: ["--removed", "'3'", "between 0 and the 2 inserted"])
        try expectBadInput(["needle", "add", visit] + needle + ["--inserted", "2", "--depth", "-3"],
                           naming: ["--depth", "'-3'", "0.0 to 125.0 mm"])
        let added = try clinic.knot(["needle", "add", visit] + needle + ["--inserted", "2", "--json"])
        try #require(added.status == 0, "\(added.stderr)")
        let entry = try #require(((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["id"] as? NSNumber)?.stringValue)
        try expectBadInput(["needle", "remove", entry, "--removed", "5"], naming: ["--removed", "'5'", "between 0 and the 2 inserted"])
        try expectBadInput(["needle", "remove", entry, "--removed", "51"], naming: ["--removed", "'51'", "from 0 to 50"])
        // A clinical rule is still a refusal: the count does not balance at signing.
        let sign = try clinic.knot(["visit", "sign", visit])
        #expect(sign.status == 1 && sign.stderr.contains("needle count does not balance"), "\(sign.status) \(sign.stderr)")
    }

    @Test("a bad --adverse exits 65 naming the option, the value and the form with the kinds or severities; nothing is written")
    func badAdverse() throws {
        let visit = try draftVisit()
        let add = ["needle", "add", visit] + needle + ["--inserted", "1", "--removed", "1"]
        try expectBadInput(add + ["--adverse", "sneezing"],
                           naming: ["--adverse", "'sneezing'", "kind:severity[:action]", "bruising", "suspected-pneumothorax"])
        try expectBadInput(add + ["--adverse", "vasovagal:awful:lay flat"],
                           naming: ["--adverse", "vasovagal:awful:lay flat", "'awful' is not a severity", "mild, significant, serious"])
        // The form read, the entry is written with the event.
        let ok = try clinic.knot(add.filter { $0 != "--no-adverse" } + ["--adverse", "vasovagal:significant:lay flat, fluids", "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let events = (try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])?["adverseEvents"] as? [[String: Any]]
        #expect(events?.first?["kind"] as? String == "vasovagal")
        #expect(events?.first?["severity"] as? String == "significant")
        #expect(events?.first?["action"] as? String == "lay flat, fluids")
    }

    @Test("a bad --ack exits 65 naming the option, the value and 'precaution=reason'; no screen is recorded")
    func badAck() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let screen = ["screen", "record", "K1", "--valid-days", "90", "--present", "anticoagulant"]
        try expectBadInput(screen + ["--ack", "anticoagulant"], naming: ["--ack", "'anticoagulant'", "precaution=reason", "no '='"])
        try expectBadInput(screen + ["--ack", "werewolf=full moon"], naming: ["--ack", "werewolf=full moon", "'werewolf' is not a precaution", "anticoagulant"])
        try expectBadInput(screen + ["--ack", "anticoagulant="], naming: ["--ack", "the reason after '=' is empty"])
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM precaution_screen") == "0")
    }

    @Test("a bad plan --add exits 65 naming the option, the value and 'section:text' with the sections; the plan is not stored")
    func badPlanAdd() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = String(try clinic.signedVisit("K1"))
        try expectBadInput(["plan", visit, "--add", "hobbies:Swim", "--save"],
                           naming: ["--add", "hobbies:Swim", "section:text", "'hobbies' is not a section", "home-program", "red-flags"])
        try expectBadInput(["plan", visit, "--add", "Swim twice a week", "--save"], naming: ["--add", "section:text", "no ':'"])
        try expectBadInput(["plan", visit, "--reword", "two=Swim", "--save"], naming: ["--reword", "two=Swim", "N=text"])
        let added = try clinic.knot(["plan", visit, "--add", "activity: Swim twice a week", "--save", "--items"])
        #expect(added.status == 0 && added.stdout.contains("[activity] Swim twice a week"), "\(added.stderr)\(added.stdout)")
    }

    @Test("the other structured options read while parsing: --id, --code, --size, --set, --save-attachment, --clear exit 65 naming their form")
    func otherForms() throws {
        let visit = try draftVisit()
        try expectBadInput(["patient", "add", "--given", "Al", "--family", "Lee", "--dob", "1980-01-01", "--id", "2951234571"],
                           naming: ["--id", "'2951234571'", "SYSTEM:VALUE"])
        try expectBadInput(["visit", "impression", visit, "Calf pain", "--code", "24026003"], naming: ["--code", "'24026003'", "SYSTEM:CODE"])
        try expectBadInput(["needle", "add", visit] + needle.map { $0 == "0.25x40" ? "0.25x400" : $0 } + ["--inserted", "1"],
                           naming: ["--size", "0.25x400", "needle length is 7.0 to 125.0 mm"])
        try expectBadInput(["visit", "amend", visit, "--reason", "typo", "--set", "pain.now"], naming: ["--set", "'pain.now'", "field=value"])
        try expectBadInput(["referral", "show", "1", "--save-attachment", "first=a.pdf"], naming: ["--save-attachment", "N=FILE"])
        try #require(clinic.knot(["finding", "add", visit, "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred"]).status == 0)
        try expectBadInput(["finding", "edit", visit, "1", "--clear", "everything"], naming: ["--clear", "'everything'", "location"])
        try expectBadInput(["patient", "add", "--given", "Al", "--family", "Lee", "--dob", "1980-02-30"], naming: ["--dob", "'1980-02-30'", "real calendar date"])
    }

    @Test("--help wins over a bad value typed with it: the command's help, exit 0")
    func helpWins() throws {
        let visit = try draftVisit()
        let cases: [([String], String)] = [
            (["needle", "add", visit, "--inserted", "-1", "--help"], "--inserted"),
            (["needle", "add", visit, "--help", "--inserted", "-1"], "--inserted"),
            (["finding", "add", visit, "--kind", "bogus", "-h"], "--kind"),
            (["visit", "new", "K1", "--pain-now", "11", "--help"], "--pain-now"),
            (["plan", visit, "--add", "hobbies:Swim", "--help"], "section:text"),
            (["visit", "show", "abc", "--help"], "Show a visit"),
        ]
        for (args, text) in cases {
            let before = KnotProcess.fingerprint(clinic.db)
            let r = try clinic.knot(args)
            #expect(r.status == 0, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.contains("USAGE") && r.stdout.contains(text), "\(args): \(r.stdout)")
            #expect(r.stderr.isEmpty, "\(args): \(r.stderr)")
            #expect(KnotProcess.fingerprint(clinic.db) == before)
        }
        // After `--` it is a value, not a request for help.
        #expect(try clinic.knot(["visit", "show", "abc", "--", "--help"]).status != 0)
        // Unknown options and subcommands are still usage errors.
        #expect(try clinic.knot(["visit", "show", visit, "--bogus"]).status == 64)
        #expect(try clinic.knot(["visti", "show", visit]).status == 64)
    }
}
