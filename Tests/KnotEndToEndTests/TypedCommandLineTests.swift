import Foundation
import Testing
import ClinicTestSupport

/// The command line typed and uniform (issue 18): a value an option does not accept exits 65
/// naming the option and what it accepts, before anything is written; every writing command
/// prints what it wrote with `--json`; the exit codes are the README's.
@Suite("knot command line: typed options, uniform errors, --json on writes")
struct TypedCommandLineTests {
    let clinic = EndToEndClinic()

    func json(_ r: KnotProcess.Result) throws -> [String: Any] {
        try #require(r.status == 0, "\(r.status) \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    /// A clinic with patient K1 and one draft visit; returns the visit id.
    func draftVisit() throws -> String {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let v = try json(clinic.knot(["visit", "new", "K1", "--complaint", "Left calf pain", "--json"]))
        return String(try #require((v["id"] as? NSNumber)?.int64Value))
    }

    @Test("finding add --kind bogus exits 65 naming --kind and the kinds, with no root usage; nothing is recorded")
    func badFindingKind() throws {
        let visit = try draftVisit()
        let r = try clinic.knot(["finding", "add", visit, "--kind", "bogus", "--side", "left", "--value", "3"])
        #expect(r.status == 65, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("--kind"), "\(r.stderr)")
        #expect(r.stderr.contains("bogus"))
        for kind in ["trigger-point", "fpi6", "lunge", "joint-range", "measure"] { #expect(r.stderr.contains(kind), "\(kind): \(r.stderr)") }
        #expect(!r.stderr.contains("SUBCOMMANDS"), "the root usage is not printed: \(r.stderr)")
        let shown = try json(clinic.knot(["visit", "show", visit, "--json"]))
        let v = shown["visit"] as? [String: Any]
        #expect((v?["biomechanics"] as? [Any])?.isEmpty ?? true)
    }

    @Test("visit new --at 31/02/2026 exits 65 naming --at and the date forms; no visit is opened")
    func badVisitDate() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        for bad in ["31/02/2026", "2026-02-31T09:30", "yesterday"] {
            let r = try clinic.knot(["visit", "new", "K1", "--at", bad])
            #expect(r.status == 65, "\(bad): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--at"), "\(r.stderr)")
            #expect(r.stderr.contains(bad))
            #expect(r.stderr.contains("YYYY-MM-DDTHH:MM"), "the accepted forms are named: \(r.stderr)")
        }
        let history = try clinic.knot(["history", "K1", "--json"])
        #expect(history.status == 0, "\(history.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.isEmpty == true, "\(history.stdout)")
    }

    @Test("needle add --inserted -1 exits 65 naming --inserted and the range 1 to 50; so does a word, and 51")
    func badNeedleCount() throws {
        let visit = try draftVisit()
        for bad in ["-1", "0", "51", "two"] {
            let r = try clinic.knot(["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40",
                                     "--brand", "Seirin", "--lot", "L1", "--inserted", bad])
            #expect(r.status == 65, "\(bad): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--inserted"), "\(r.stderr)")
            #expect(r.stderr.contains("1 to 50"), "the range is named: \(r.stderr)")
        }
    }

    @Test("enum options list their values in --help and refuse others with 65: --side, --profession, --sex, --for, --measure, --risks")
    func enumOptions() throws {
        let visit = try draftVisit()
        let help = try clinic.knot(["treatment", "add", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("ischaemic-compression") && help.stdout.contains("massage-ball-instruction"), "\(help.stdout)")
        let refusals: [([String], String)] = [
            (["treatment", "add", visit, "--kind", "massage-ish"], "--kind"),
            (["finding", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "up"], "--side"),
            (["practitioner", "add", "--handle", "zed", "--name", "Zed", "--profession", "wizard"], "--profession"),
            (["patient", "add", "--given", "A", "--family", "B", "--dob", "1990-01-01", "--sex", "robot"], "--sex"),
            (["plan", visit, "--for", "insurer"], "--for"),
            (["outcome", "add", visit, "--measure", "xyz", "--items", "1"], "--measure"),
            (["consent", "record", "K1", "--risks", "bruising,soreness,telepathy", "--benefits-explained"], "--risks"),
            (["screen", "record", "K1", "--valid-days", "90", "--none-present", "--present", "werewolf"], "--present"),
        ]
        for (args, option) in refusals {
            let r = try clinic.knot(args)
            #expect(r.status == 65, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(option), "\(args): \(r.stderr)")
        }
        // The same values as before are still read: first letters for a side, any case for a sex.
        #expect(try clinic.knot(["finding", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "L", "--latent", "--taut-band", "--no-twitch", "--no-referred"]).status == 0)
        #expect(try clinic.knot(["patient", "add", "--given", "A", "--family", "B", "--dob", "1990-01-01", "--sex", "Female"]).status == 0)
    }

    @Test("writing commands print what they wrote with --json: finding, treatment, consent, screen, alert, sign, amend")
    func jsonOnWrites() throws {
        let visit = try draftVisit()
        let finding = try json(clinic.knot(["finding", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active",
                                            "--causes", "injury, stress", "--json"]))
        #expect(finding["muscleID"] as? String == "gastrocnemius-medial")
        #expect(finding["likelyCauses"] as? [String] == ["injury", "stress"])
        let measure = try json(clinic.knot(["finding", "add", visit, "--kind", "lunge", "--side", "right", "--value", "8.5", "--json"]))
        #expect((measure["measure"] as? [String: Any])?["kind"] as? String == "lunge")
        let treatment = try json(clinic.knot(["treatment", "add", visit, "--kind", "stretching", "--json"]))
        #expect(treatment["kind"] as? String == "stretching")
        let consent = try json(clinic.knot(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained", "--json"]))
        #expect(Set(consent["risksExplained"] as? [String] ?? []) == ["bruising", "soreness", "fainting"])
        let screen = try json(clinic.knot(["screen", "record", "K1", "--valid-days", "90", "--none-present", "--json"]))
        #expect(screen["id"] != nil)
        let alert = try json(clinic.knot(["alert", "add", "K1", "--kind", "allergy", "--text", "latex", "--json"]))
        #expect(alert["text"] as? String == "latex")
        #expect(alert["kind"] as? String == "allergy")
        let alertID = try #require((alert["id"] as? NSNumber)?.int64Value)
        let dismissed = try json(clinic.knot(["alert", "dismiss", String(alertID), "--reason", "latex gloves tolerated at three visits", "--json"]))
        #expect(dismissed["status"] as? String == "dismissed")
        let signed = try json(clinic.knot(["visit", "sign", visit, "--json"]))
        #expect(signed["status"] as? String == "signed")
        let amended = try json(clinic.knot(["visit", "amend", visit, "--reason", "typo", "--set", "complaint=Right calf pain", "--json"]))
        let changes = amended["changes"] as? [[String: Any]]
        #expect(changes?.first?["field"] as? String == "complaint")
        #expect(changes?.first?["after"] as? String == "Right calf pain")
    }
}
