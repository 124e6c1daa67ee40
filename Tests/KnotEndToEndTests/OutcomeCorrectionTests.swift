import Foundation
import Testing
import ClinicTestSupport

/// Issue 16 through the built `knot`: an outcome measure saved by mistake on a draft is struck
/// out by its number in `knot visit show` (with a reason, kept and listed as struck, out of the
/// trend and the export) and recorded again; the impression is replaced or cleared; a signed
/// visit refuses both ("amend it instead").
@Suite struct OutcomeCorrectionTests {
    static let lefsLow = "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"
    static let lefsRight = "3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3"

    /// A draft for K1 with a LEFS (items entered wrongly) and an NDI; its id.
    func draft(_ clinic: EndToEndClinic) throws -> String {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let v = try clinic.knot(["visit", "new", "K1", "--complaint", "Knee and neck pain", "--json"])
        try #require(v.status == 0, "\(v.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        let id = String(try #require((json?["id"] as? NSNumber)?.int64Value))
        for args in [["outcome", "add", id, "--measure", "lefs", "--items", Self.lefsLow],
                     ["outcome", "add", id, "--measure", "ndi", "--items", "2,2,2,2,2,2,2,2,2,2"]] {
            let r = try clinic.knot(args)
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
        return id
    }

    @Test("outcome strike keeps the measure with its reason, out of the note, the trend and the export; re-entered it corrects")
    func strikeAndReenter() throws {
        let clinic = EndToEndClinic()
        let id = try draft(clinic)
        let before = try clinic.knot(["visit", "show", id]).stdout
        #expect(before.contains("Outcome 1: LEFS 20/80") && before.contains("Outcome 2: NDI 40%"), "\(before)")

        let noReason = try clinic.knot(["outcome", "strike", id, "1", "--reason", " "])
        #expect(noReason.status == 1 && noReason.stderr.contains("reason"), "\(noReason.stderr)")
        let missing = try clinic.knot(["outcome", "strike", id, "3", "--reason", "typo"])
        #expect(missing.status == 66 && missing.stderr.contains("numbered 1 to 2"), "\(missing.stderr)")

        let s = try clinic.knot(["outcome", "strike", id, "1", "--reason", "items typed from the wrong form", "--json"])
        #expect(s.status == 0, "\(s.stderr)")
        let struck = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any]
        #expect(struck?["kind"] as? String == "outcome" && struck?["summary"] as? String == "LEFS 20/80", "\(s.stdout)")
        #expect(struck?["reason"] as? String == "items typed from the wrong form" && struck?["struckBy"] as? String == "amy")

        let again = try clinic.knot(["outcome", "add", id, "--measure", "lefs", "--items", Self.lefsRight])
        #expect(again.status == 0, "\(again.stderr)")
        let show = try clinic.knot(["visit", "show", id]).stdout
        #expect(show.contains("Outcome 1: NDI 40%") && show.contains("Outcome 2: LEFS 60/80") && !show.contains("LEFS 20/80"), "\(show)")
        #expect(show.contains("Struck out while a draft (kept in the record's history)")
                && show.contains("outcome measure") && show.contains(": items typed from the wrong form"), "\(show)")

        let list = try clinic.knot(["outcome", "list", "K1"]).stdout
        #expect(list.contains("60/80") && !list.contains("20/80"), "the struck measure leaves the trend:\n\(list)")
        let audit = try clinic.knot(["audit", "log", "--patient", "K1", "--json"]).stdout
        #expect(audit.contains("struck out outcome measure") && audit.contains("items typed from the wrong form"), "\(audit)")

        try #require(clinic.knot(["visit", "sign", id]).status == 0)
        let export = clinic.home.file("clinic.xml")
        let exported = try clinic.knot(["export", "--output", export])
        #expect(exported.status == 0, "\(exported.stderr)")
        let xml = String(decoding: FileManager.default.contents(atPath: export) ?? Data(), as: UTF8.self)
        #expect(xml.contains("scale=\"lefs\" items=\"3 3 3") && !xml.contains("items=\"1 1 1"), "the struck measure is not exported")
    }

    @Test("visit impression replaces and clears a draft's impression, --json says what it holds, the audit names the change")
    func impressionReplacedAndCleared() throws {
        let clinic = EndToEndClinic()
        let id = try draft(clinic)
        #expect(try clinic.knot(["visit", "impression", id, "Patellar tendinopathy"]).status == 0)
        let replaced = try clinic.knot(["visit", "impression", id, "Patellofemoral pain", "--code", "icd-10:M22.2", "--json"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let saved = try JSONSerialization.jsonObject(with: Data(replaced.stdout.utf8)) as? [String: Any]
        let impression = saved?["impression"] as? [String: Any]
        #expect(impression?["text"] as? String == "Patellofemoral pain" && impression?["code"] as? String == "M22.2", "\(replaced.stdout)")
        #expect(try clinic.knot(["visit", "show", id]).stdout.contains("Impression: Patellofemoral pain (ICD-10 M22.2)"))

        let cleared = try clinic.knot(["visit", "impression", id, "--clear", "--json"])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        let after = try JSONSerialization.jsonObject(with: Data(cleared.stdout.utf8)) as? [String: Any]
        #expect(after?["impression"] == nil && (after?["visitID"] as? NSNumber)?.stringValue == id, "\(cleared.stdout)")
        #expect(!(try clinic.knot(["visit", "show", id]).stdout.contains("Impression:")))
        let audit = try clinic.knot(["audit", "log", "--patient", "K1", "--json"]).stdout
        #expect(audit.contains("impression replaced: words, code none → icd-10:M22.2") && audit.contains("impression cleared (code was icd-10:M22.2)"),
                "\(audit)")
    }

    @Test("on a signed visit, outcome strike and impression --clear are refused: amend it instead")
    func signedRefused() throws {
        let clinic = EndToEndClinic()
        let id = try draft(clinic)
        #expect(try clinic.knot(["visit", "impression", id, "Patellofemoral pain"]).status == 0)
        try #require(clinic.knot(["visit", "sign", id]).status == 0)
        let strike = try clinic.knot(["outcome", "strike", id, "1", "--reason", "oops"])
        #expect(strike.status == 1 && strike.stderr.contains("amend it instead"), "\(strike.stderr)")
        let clear = try clinic.knot(["visit", "impression", id, "--clear"])
        #expect(clear.status == 1 && clear.stderr.contains("signed"), "\(clear.stderr)")
        let show = try clinic.knot(["visit", "show", id]).stdout
        #expect(show.contains("Outcome 1: LEFS 20/80") && show.contains("Impression: Patellofemoral pain"), "\(show)")
        #expect(!show.contains("Struck out while a draft"))
    }
}
