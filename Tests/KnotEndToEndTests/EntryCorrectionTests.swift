import Foundation
import Testing
import ClinicTestSupport

/// Issue 13 B through the built `knot`: a draft's findings, treatments and needling entries are
/// edited and struck out by their number in `knot visit show`; the needle count follows; a
/// strike needs a reason and stays in the audit trail; a signed visit says "amend it instead".
@Suite struct EntryCorrectionTests {
    /// A draft with consent and screen, a trigger point, a lunge, a treatment and two needling sites.
    func draft(_ clinic: EndToEndClinic) throws -> String {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let v = try clinic.knot(["visit", "new", "K1", "--complaint", "Calf pain", "--json"])
        try #require(v.status == 0, "\(v.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        let id = String(try #require((json?["id"] as? NSNumber)?.int64Value))
        for args in [
            ["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"], ["screen", "record", "K1", "--valid-days", "90", "--none-present"],
            ["finding", "add", id, "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active", "--tenderness", "7"],
            ["finding", "add", id, "--kind", "lunge", "--side", "left", "--value", "7"],
            ["treatment", "add", id, "--kind", "ischaemic-compression", "--muscle", "soleus", "--side", "left", "--hold", "60", "--cycles", "3"],
            ["needle", "add", id, "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
             "--lot", "L1", "--inserted", "2", "--removed", "0"],
            ["needle", "add", id, "--muscle", "soleus", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--inserted", "3", "--removed", "0"],
        ] {
            let r = try clinic.knot(args)
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
        return id
    }

    @Test("finding, treatment and needle edit change only what is given; the needle count follows")
    func edits() throws {
        let clinic = EndToEndClinic()
        let id = try draft(clinic)
        let tp = try clinic.knot(["finding", "edit", id, "1", "--tenderness", "4", "--twitch"])
        #expect(tp.status == 0, "\(tp.stderr)")
        let lunge = try clinic.knot(["finding", "edit", id, "2", "--value", "9.5"])
        #expect(lunge.status == 0, "\(lunge.stderr)")
        let t = try clinic.knot(["treatment", "edit", id, "1", "--cycles", "5", "--clear", "hold"])
        #expect(t.status == 0, "\(t.stderr)")
        let n = try clinic.knot(["needle", "edit", id, "2", "--inserted", "1", "--removed", "1"])
        #expect(n.status == 0, "\(n.stderr)")
        #expect(n.stdout.contains("Needles at visit \(id): 3 in, 1 out."))
        let show = try clinic.knot(["visit", "show", id]).stdout
        #expect(show.contains("1. Gastrocnemius") && show.contains("LTR, tenderness 4/10"))
        #expect(show.contains("2. Lunge") || show.contains("2. lunge") || show.contains("9.5"))
        #expect(show.contains("1. ischaemic-compression") && show.contains("× 5") && !show.contains("60 s holds"))
        #expect(show.contains("Dry needling (3 in, 1 out)"))
        let audit = try clinic.knot(["audit", "log", "--patient", "K1", "--json"]).stdout
        #expect(audit.contains("edited"), "\(audit)")
    }

    @Test("needle edit re-checks the entry's rules and writes nothing when refused")
    func needleEditRules() throws {
        let clinic = EndToEndClinic()
        let id = try draft(clinic)
        let before = try clinic.knot(["visit", "show", id, "--json"]).stdout
        let r = try clinic.knot(["needle", "edit", id, "1", "--removed", "5"])
        #expect(r.status == 65, "more removed than inserted is bad input: \(r.stderr)")
        #expect(r.stderr.contains("removed") || r.stderr.contains("needlesRemoved"), "\(r.stderr)")
        let lung = try clinic.knot(["needle", "edit", id, "1", "--muscle", "rhomboid-major", "--clear", "depth"])
        #expect(lung.status == 1 && lung.stderr.contains("depth"), "\(lung.stderr)")
        #expect(try clinic.knot(["visit", "show", id, "--json"]).stdout == before)
    }

    @Test("strike needs a reason, leaves the note and the count, and is kept in the audit trail")
    func strikes() throws {
        let clinic = EndToEndClinic()
        let id = try draft(clinic)
        let noReason = try clinic.knot(["needle", "strike", id, "2", "--reason", "  "])
        #expect(noReason.status == 1 && noReason.stderr.contains("reason"), "\(noReason.stderr)")
        let missing = try clinic.knot(["needle", "strike", id, "2"])
        #expect(missing.status != 0)
        let s = try clinic.knot(["needle", "strike", id, "2", "--reason", "entered twice"])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("Struck out needling entry") && s.stdout.contains("Needles at visit \(id): 2 in, 0 out."))
        #expect(s.stderr.contains("3 needle(s) at that site were never recorded as removed"), "\(s.stderr)")
        let f = try clinic.knot(["finding", "strike", id, "1", "--reason", "wrong muscle"])
        #expect(f.status == 0, "\(f.stderr)")
        let t = try clinic.knot(["treatment", "strike", id, "1", "--reason", "not given"])
        #expect(t.status == 0, "\(t.stderr)")
        let show = try clinic.knot(["visit", "show", id]).stdout
        #expect(!show.contains("Soleus L: 0.25") && show.contains("Dry needling (2 in, 0 out)"))
        #expect(!show.contains("Trigger points") && !show.contains("Treatment\n"))
        #expect(show.contains("Struck out while a draft (kept in the record's history)") && show.contains(": entered twice"), "\(show)")
        let gone = try clinic.knot(["finding", "strike", id, "2", "--reason", "x"])
        #expect(gone.status == 66, "only the lunge is left, now finding 1: \(gone.stderr)")
        let audit = try clinic.knot(["audit", "log", "--patient", "K1", "--json"]).stdout
        #expect(audit.contains("entered twice") && audit.contains("wrong muscle"), "\(audit)")
        // Balanced after the remaining site's needles are out: the struck site does not hold it up.
        #expect(try clinic.knot(["needle", "edit", id, "1", "--removed", "2"]).status == 0)
        #expect(try clinic.knot(["visit", "sign", id]).status == 0)
    }

    @Test("edit and strike on a signed visit are refused: amend it instead")
    func signedRefused() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let id = String(try clinic.signedVisit("K1"))
        for args in [["finding", "edit", id, "1", "--tenderness", "2"], ["finding", "strike", id, "1", "--reason", "oops"]] {
            let r = try clinic.knot(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains("amend it instead"), "\(r.stderr)")
        }
        #expect(try clinic.knot(["visit", "show", id]).stdout.contains("tenderness 7/10"))
    }
}
