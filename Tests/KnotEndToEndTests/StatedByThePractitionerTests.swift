import Foundation
import Testing
import ClinicTestSupport

/// What a practitioner walking two consultations met (session 18), through the built `knot`:
/// nothing clinical is recorded as answered unless the practitioner answered it, and a
/// correction says what it changes.
@Suite("knot: stated by the practitioner (benefits explained, needles out in all, amendments in any order)")
struct StatedByThePractitionerTests {
    let clinic = EndToEndClinic()

    func knot(_ args: String...) throws -> KnotProcess.Result { try clinic.knot(args) }

    /// A clinic with Jo Smith (K1) and Ann Lee (K2), adults.
    func twoPatients() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.addPatient("Ann", "Lee", dob: "1975-02-03", record: "K2")
    }

    func require(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> KnotProcess.Result {
        let r = try clinic.knot(args)
        try #require(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    func id(in json: String) throws -> String {
        try #require(json.firstMatch(of: /"id"\s*:\s*(\d+)/)?.1).description
    }

    @Test("consent without --benefits-explained is refused (64, with the usage) and writes nothing; with it, the benefits are stored as stated")
    func benefitsExplainedIsStated() throws {
        try twoPatients()
        let before = KnotProcess.fingerprint(clinic.db)
        let silent = try knot("consent", "record", "K1", "--risks", "bruising,soreness,fainting")
        #expect(silent.status == 64, "\(silent.status) \(silent.stderr)")
        #expect(silent.stderr.contains("--benefits-explained is required") && silent.stderr.contains("Usage: knot consent record"),
                "\(silent.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before, "nothing is written")
        let none = try knot("visit", "new", "K1", "--json")
        #expect(none.status == 0, "\(none.stderr)")
        let show = try knot("visit", "show", try id(in: none.stdout), "--json")
        #expect(!show.stdout.contains("benefitsExplained"), "no consent covers the visit: \(show.stdout)")

        let stated = try require(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained", "--json"])
        #expect(stated.stdout.contains(#""benefitsExplained" : true"#) || stated.stdout.contains(#""benefitsExplained":true"#), "\(stated.stdout)")
        let help = try knot("consent", "record", "--help")
        #expect(help.status == 0 && help.stdout.contains("--benefits-explained") && help.stdout.contains("never assumed"), "\(help.stdout)")
    }
}
