import Foundation
import Testing
import ClinicTestSupport

/// Issue 13 through the built `knot`: `knot consent strike ID --reason` and `knot screen strike
/// ID --reason` strike a consent or screen out (the id `knot visit show` lists); needling is then
/// refused until it is recorded again; the strike shows in `visit show` and the audit trail. On
/// every store (`TestStore.all`).
@Suite struct SafetyStrikeEndToEndTests {
    /// The number after `prefix` in `text` ("Consent 3, given" → 3).
    func number(after prefix: String, in text: String) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    @Test("consent strike needs a reason (65), then needling is refused naming consent until consent is recorded again",
          arguments: TestStore.all)
    func consentStrike(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let v = try clinic.knot(["visit", "new", "K1", "--complaint", "Calf pain", "--json"])
        try #require(v.status == 0, "\(v.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        let visit = String(try #require((json?["id"] as? NSNumber)?.int64Value))
        for args in [["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"], ["screen", "record", "K1", "--valid-days", "90", "--none-present"]] {
            let r = try clinic.knot(args)
            try #require(r.status == 0, "\(args): \(r.stderr)")
        }
        let shown = try clinic.knot(["visit", "show", visit]).stdout
        let consent = try #require(number(after: "  Consent ", in: shown), "\(shown)")
        let screen = try #require(number(after: "  Screen ", in: shown), "\(shown)")

        let noReason = try clinic.knot(["consent", "strike", consent])
        #expect(noReason.status == 65 && noReason.stderr.contains("--reason"), "\(noReason.stderr)")
        let blank = try clinic.knot(["consent", "strike", consent, "--reason", " "])
        #expect(blank.status == 65, "\(blank.stderr)")

        let struck = try clinic.knot(["consent", "strike", consent, "--reason", "recorded for the wrong patient"])
        #expect(struck.status == 0 && struck.stdout.contains("Struck out consent \(consent)"), "\(struck.stderr)")
        let needle = ["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
                      "--lot", "L1", "--inserted", "1", "--removed", "1"]
        let refused = try clinic.knot(needle)
        #expect(refused.status == 1 && refused.stderr.lowercased().contains("consent"), "\(refused.stderr)")
        let show = try clinic.knot(["visit", "show", visit]).stdout
        #expect(show.contains("STRUCK: Consent \(consent)") && show.contains("recorded for the wrong patient"), "\(show)")
        let showJSON = try clinic.knot(["visit", "show", visit, "--json"]).stdout
        #expect(showJSON.contains("struckSafety") && showJSON.contains("recorded for the wrong patient"))
        let audit = try clinic.knot(["audit", "log", "--patient", "K1", "--json"]).stdout
        #expect(audit.contains("struck out consent \(consent)"), "\(audit)")

        #expect(try clinic.knot(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"]).status == 0)
        let ok = try clinic.knot(needle)
        #expect(ok.status == 0, "\(ok.stderr)")

        // The screen: struck, needling refused naming it; a signed visit keeps what it was signed under.
        #expect(try clinic.knot(["visit", "sign", visit]).status == 0)
        let signed = try clinic.knot(["screen", "strike", screen, "--reason", "wrong answers"])
        #expect(signed.status == 1 && signed.stderr.contains("amend the signed visit instead"), "\(signed.stderr)")
    }
}
