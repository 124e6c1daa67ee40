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

    /// A signed visit for `patient` with one needling site on the medial gastrocnemius, no depth.
    func signedVisitWithCalfNeedle(_ patient: String) throws -> String {
        let visit = try id(in: try require(["visit", "new", patient, "--complaint", "Neck and calf pain", "--json"]).stdout)
        _ = try require(["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning",
                         "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
                         "--lot", "L1", "--inserted", "1", "--removed", "1"])
        _ = try require(["visit", "sign", visit])
        return visit
    }

    @Test("visit amend applies every --set before checking: the needle's muscle and depth are accepted in either order")
    func amendOrderDoesNotMatter() throws {
        try twoPatients()
        _ = try require(["consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained"])
        _ = try require(["screen", "record", "K1", "--valid-days", "90", "--none-present"])
        let first = try signedVisitWithCalfNeedle("K1")
        let second = try signedVisitWithCalfNeedle("K1")

        let muscleFirst = try knot("visit", "amend", first, "--reason", "site misrecorded",
                                   "--set", "needle.1.muscle=upper-trapezius", "--set", "needle.1.depth=10")
        #expect(muscleFirst.status == 0, "\(muscleFirst.stderr)")
        let depthFirst = try knot("visit", "amend", second, "--reason", "site misrecorded",
                                  "--set", "needle.1.depth=10", "--set", "needle.1.muscle=upper-trapezius")
        #expect(depthFirst.status == 0, "\(depthFirst.stderr)")
        for visit in [first, second] {
            let show = try require(["visit", "show", visit])
            #expect(show.stdout.contains("muscle upper-trapezius (amended from gastrocnemius-medial")
                    && show.stdout.contains("depth 10 (amended from –"), "visit \(visit) as amended:\n\(show.stdout)")
        }
        // Without the depth, either way, the lung-field rule still refuses it (65), naming the depth.
        let noDepth = try knot("visit", "amend", first, "--reason", "r", "--set", "needle.1.depth=", "--set", "needle.1.side=right")
        #expect(noDepth.status == 65 && noDepth.stderr.contains("needle.1.depth") && noDepth.stderr.contains("lung"), "\(noDepth.stderr)")
    }

    @Test("visit amend moving a needle over the lung fields needs a consent naming pneumothorax, refused as needle add refuses it")
    func amendOntoTheLungFieldsNeedsPneumothorax() throws {
        try twoPatients()
        _ = try require(["consent", "record", "K2", "--risks", "bruising,soreness,fainting", "--benefits-explained"])
        _ = try require(["screen", "record", "K2", "--valid-days", "90", "--none-present"])
        let visit = try signedVisitWithCalfNeedle("K2")

        let added = try knot("needle", "add", try id(in: try require(["visit", "new", "K2", "--json"]).stdout),
                             "--muscle", "upper-trapezius", "--side", "left", "--technique", "pistoning", "--twitches", "0",
                             "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin", "--lot", "L1",
                             "--inserted", "1", "--removed", "1", "--depth", "10")
        let before = KnotProcess.fingerprint(clinic.db)
        let amended = try knot("visit", "amend", visit, "--reason", "site misrecorded",
                               "--set", "needle.1.muscle=upper-trapezius", "--set", "needle.1.depth=10")
        #expect(amended.status == added.status && added.status == 1, "needle add \(added.status), amend \(amended.status): \(amended.stderr)")
        let rule = "Trapezius (upper fibres) lies over the lung fields: the consent covering this visit does not name pneumothorax"
        #expect(added.stderr.contains(rule) && amended.stderr.contains(rule), "needle add: \(added.stderr)\namend: \(amended.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before, "no amendment is written")

        // A correction that keeps the needle where it was is not the lung-field rule's business.
        let depth = try knot("visit", "amend", visit, "--reason", "depth noted later", "--set", "needle.1.depth=15")
        #expect(depth.status == 0, "\(depth.stderr)")
    }
}
