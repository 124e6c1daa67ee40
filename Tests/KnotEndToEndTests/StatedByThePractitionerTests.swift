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

    @Test("needle remove takes the total out: a lower total is refused (65, nothing written) unless --correction, which says 'lowered from 2 to 1'")
    func needlesRemovedIsTheTotal() throws {
        try twoPatients()
        _ = try require(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"])
        _ = try require(["screen", "record", "K1", "--valid-days", "90", "--none-present"])
        _ = try require(["visit", "new", "K1", "--complaint", "Calf pain"])
        let added = try require(["needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning",
                                 "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
                                 "--lot", "L1", "--inserted", "3", "--json"])
        let entry = try id(in: added.stdout)

        let first = try require(["needle", "remove", entry, "--removed", "2"])
        #expect(first.stdout.contains("Needling entry \(entry): 2 removed in all."), "\(first.stdout)")

        // The last needle logged as a batch of its own ("1"): refused, the count on file kept.
        let before = KnotProcess.fingerprint(clinic.db)
        let lowered = try knot("needle", "remove", entry, "--removed", "1")
        #expect(lowered.status == 65, "\(lowered.status) \(lowered.stderr)")
        #expect(lowered.stderr.contains("--removed") && lowered.stderr.contains("fewer than the 2 already recorded as removed")
                && lowered.stderr.contains("give the new total, 3") && lowered.stderr.contains("--correction"), "\(lowered.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before, "nothing is written")

        let all = try require(["needle", "remove", entry, "--removed", "3"])
        #expect(all.stdout.contains("3 removed in all (was 2)"), "\(all.stdout)")
        let corrected = try require(["needle", "remove", entry, "--removed", "1", "--correction", "--json"])
        #expect(corrected.stdout.contains(#""previous""#) && corrected.stdout.contains("3"), "\(corrected.stdout)")
        let plain = try require(["needle", "remove", entry, "--removed", "0", "--correction"])
        #expect(plain.stdout.contains("lowered from 1 to 0"), "\(plain.stdout)")

        let help = try knot("needle", "remove", "--help")
        #expect(help.status == 0 && help.stdout.contains("TOTAL out") && help.stdout.contains("--correction"), "\(help.stdout)")
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
