import Foundation
import Testing
import ClinicTestSupport

/// The last defaults that stated what nobody said, through the built `knot`: the precaution
/// screen's days (it stood 90 days unless told), the algometer probe (1.0 cm² unless told), an
/// adverse event's severity (mild unless told) and, in the plan, the side of a paired muscle
/// treated with no side recorded (both sides were planned). Each is stated or refused, naming
/// the option, with nothing written.
@Suite("knot: the screen's days, the probe, an adverse event's severity and a treated side are stated, never assumed")
struct UnstatedSafetyDefaultsTests {
    let clinic = EndToEndClinic()

    func json(_ r: KnotProcess.Result) throws -> [String: Any] { try clinic.json(r) }

    /// Runs knot and checks it exits `status` with each text in its message, the database unchanged.
    func expectRefused(_ args: [String], status: Int32, naming texts: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = KnotProcess.fingerprint(clinic.db)
        let r = try clinic.knot(args)
        #expect(r.status == status, "\(args): \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        for text in texts { #expect(r.stderr.contains(text), "\(args): '\(text)' not in \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(KnotProcess.fingerprint(clinic.db) == before, "\(args) changed the database", sourceLocation: sourceLocation)
    }

    @Test("screen record without --valid-days is refused naming it (exit 64 with the usage, as any statement left out; nothing written); stated, the screen stands that long")
    func screenDaysStated() throws {
        _ = try clinic.draftVisit()
        try expectRefused(["screen", "record", "K1", "--none-present"], status: 64,
                          naming: ["--valid-days is required: the days the screen stands, 1-365", "Usage: knot screen record"])
        let s = try json(clinic.knot(["screen", "record", "K1", "--none-present", "--valid-days", "30", "--json"]))
        // Recorded now: it stands until 30 days from today (a day either way across midnight in the clinic's zone).
        let untilText = try #require(s["validUntil"] as? String, "\(s)")
        let until = try #require(ISO8601DateFormatter.day.date(from: untilText), "\(s)")
        let days = until.timeIntervalSinceNow / 86_400
        #expect((28.5...31.5).contains(days), "30 days stated, \(days) recorded: \(s)")
        let help = try clinic.knot(["screen", "record", "--help"])
        #expect(help.stdout.contains("--valid-days") && help.stdout.contains("required"), "\(help.stdout)")
    }

    @Test("finding add --ppt without --probe is refused naming --probe (exit 64, nothing written); --probe alone too; stated, it is kept")
    func probeStated() throws {
        let visit = try clinic.draftVisit()
        let tp = ["finding", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--active", "--taut-band",
                  "--no-twitch", "--no-referred"]
        try expectRefused(tp + ["--ppt", "3.2"], status: 64, naming: ["--probe with --ppt"])
        try expectRefused(tp + ["--probe", "1"], status: 64, naming: ["--probe", "give --ppt with it"])
        let f = try json(clinic.knot(tp + ["--ppt", "3.2", "--probe", "1.5", "--json"]))
        let ppt = try #require(f["pressurePainThreshold"] as? [String: Any], "\(f)")
        #expect((ppt["probeSizeCm2"] as? NSNumber)?.doubleValue == 1.5, "\(ppt)")
        let shown = try clinic.knot(["visit", "show", visit])
        #expect(shown.stdout.contains("1.5 cm² probe"), "\(shown.stdout)")
        // A first reading added by a correction needs its probe too.
        let bare = try clinic.knot(tp)
        try #require(bare.status == 0, "\(bare.stderr)")
        try expectRefused(["finding", "edit", visit, "2", "--ppt", "2.5"], status: 64, naming: ["--probe", "never assumed"])
    }

    @Test("needle add --adverse bruising (no severity) exits 65 naming the severity, nothing written; bruising:mild is logged")
    func adverseSeverityStated() throws {
        let visit = try clinic.draftVisit()
        try #require(clinic.knot(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"]).status == 0)
        try #require(clinic.knot(["screen", "record", "K1", "--valid-days", "90", "--none-present"]).status == 0)
        let needle = ["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--size", "0.25x40",
                      "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--removed", "1", "--technique", "static",
                      "--twitches", "0", "--sharps-disposed"]
        try expectRefused(needle + ["--adverse", "bruising"], status: 65,
                          naming: ["--adverse", "the severity of 'bruising' is not stated", "mild, significant, serious"])
        let n = try json(clinic.knot(needle + ["--adverse", "bruising:mild", "--json"]))
        let events = try #require(n["adverseEvents"] as? [[String: Any]], "\(n)")
        #expect(events.count == 1 && events.first?["kind"] as? String == "bruising" && events.first?["severity"] as? String == "mild",
                "\(events)")
    }

    @Test("an old treatment of a paired muscle with no side: the plan and the letter say 'side not recorded', never both sides")
    func sidelessTreatmentPlan() throws {
        let visit = try clinic.draftVisit()
        try #require(clinic.knot(["treatment", "add", visit, "--kind", "ischaemic-compression", "--muscle", "upper-trapezius",
                                  "--side", "left", "--hold", "60"]).status == 0)
        // Written before the side was required: the row has none.
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE treatment SET side = NULL"); c.commit()
            """, [clinic.db])
        try #require(clinic.knot(["visit", "sign", visit]).status == 0)
        let plan = try clinic.knot(["plan", visit])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("Side not recorded"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Trapezius (upper fibres)"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("Left Trapezius") && !plan.stdout.contains("Right Trapezius"), "no side is invented:\n\(plan.stdout)")
        let letter = try clinic.knot(["plan", visit, "--for", "referrer"])
        #expect(letter.status == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("side not recorded"), "\(letter.stdout)")
    }
}

extension ISO8601DateFormatter {
    /// YYYY-MM-DD in UTC.
    fileprivate static var day: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f
    }
}
