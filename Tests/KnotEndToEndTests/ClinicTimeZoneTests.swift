import Foundation
import Testing
import ClinicTestSupport

/// The clinic's time zone, as a practitioner meets it: every date, time and weekday `knot`
/// prints, writes or exports is the clinic's, whatever `TZ` the viewer runs with; and the
/// recall list counts from today.
@Suite("The clinic's time zone and the recall list")
struct ClinicTimeZoneTests {
    let home = TemporaryDirectory(prefix: "knot-tz")
    var db: String { home.file("clinic.sqlite") }
    static let sydney = TimeZone(identifier: "Australia/Sydney")!

    func knot(_ args: [String], tz: String = "UTC", practitioner: String? = "amy") throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": db, "TZ": tz]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    @discardableResult
    func ok(_ args: String..., tz: String = "UTC", practitioner: String? = "amy") throws -> KnotProcess.Result {
        try ok(args, tz: tz, practitioner: practitioner)
    }

    @discardableResult
    func ok(_ args: [String], tz: String = "UTC", practitioner: String? = "amy") throws -> KnotProcess.Result {
        let r = try knot(args, tz: tz, practitioner: practitioner)
        try #require(r.status == 0, "knot \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    /// Today in Sydney as "yyyy-MM-dd", or in `format`.
    static func sydneyToday(_ format: String = "yyyy-MM-dd") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = sydney
        f.dateFormat = format
        return f.string(from: Date())
    }

    @Test("a visit at 09:00 in Sydney reads the same, on the Sydney date and weekday, under TZ=UTC, Sydney and Los Angeles")
    func everyOutputIsTheClinicsWhateverTheViewersZone() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", "--time-zone", "Australia/Sydney", practitioner: nil)
        let shown = try ok("clinic", "show")
        #expect(shown.stdout.hasPrefix("Time zone: Australia/Sydney\n"))
        try ok("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1")
        let day = Self.sydneyToday()
        // Typed on a UTC machine: --at is the clinic's 09:00, not the machine's.
        try ok("visit", "new", "K1", "--at", "\(day)T09:00", "--complaint", "Neck pain", "--pain-now", "5")
        try ok("finding", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--taut-band", "--no-twitch", "--no-referred", "--active")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained", tz: "America/Los_Angeles")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present")
        try ok("needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0", "--sharps-disposed", "--size", "0.25x30", "--brand", "Seirin",
               "--lot", "L1", "--inserted", "1", "--removed", "1", "--depth", "10",
               "--adverse", "suspected-pneumothorax:serious:needling stopped, sent to the emergency department")
        try ok("visit", "sign", "1")
        try ok("plan", "1", "--final")

        let commands: [[String]] = [
            ["visit", "show", "1"], ["visit", "show", "1", "--json"], ["history", "K1"], ["history", "K1", "--json"],
            ["plan", "1"], ["plan", "1", "--for", "referrer"], ["plan", "1", "--format", "html"],
            ["plan", "1", "--format", "html", "--for", "referrer"], ["plan", "1", "--format", "xml"],
            ["reviews", "--due-by", "2099-12-31"], ["reviews", "--due-by", "2099-12-31", "--json"],
            ["log", "needling", "--from", "2000-01-01", "--to", "2099-12-31"],
            ["log", "needling", "--from", "2000-01-01", "--to", "2099-12-31", "--format", "csv"],
            ["patient", "show", "K1"],
        ]
        var outputs: [String: [String]] = [:]
        for tz in ["UTC", "Australia/Sydney", "America/Los_Angeles"] {
            outputs[tz] = try commands.map { try ok($0, tz: tz).stdout }
            let file = home.file("export-\(tz.replacingOccurrences(of: "/", with: "-")).xml")
            try ok("export", "-o", file, "--no-audit", tz: tz)
            let xml = String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
            outputs[tz]!.append(xml.replacingOccurrences(of: #"exportedAt="[^"]*""#, with: "", options: .regularExpression))
        }
        for tz in ["Australia/Sydney", "America/Los_Angeles"] {
            for (i, output) in outputs[tz]!.enumerated() {
                let name = i < commands.count ? commands[i].joined(separator: " ") : "export"
                #expect(output == outputs["UTC"]![i], "knot \(name) differs between TZ=UTC and TZ=\(tz)")
            }
        }
        let utc = outputs["UTC"]!
        #expect(utc[0].contains("\(day) 09:00"), "the visit is at the clinic's 09:00: \(utc[0])")
        let weekday = Self.sydneyToday("EEEE d MMMM yyyy")
        #expect(utc[4].contains("Visit         \(weekday)"), "the patient plan names the Sydney weekday")
        #expect(utc[5].flattened.contains("I saw your patient Jo Smith on \(weekday)"), "the letter names the Sydney weekday")
        // Instants stay UTC in exports and JSON; dates derived from them are Sydney's.
        #expect(utc[1].contains("\"startedAt\" : \"") && utc[1].contains("T22:00:00.000Z\"") || utc[1].contains("T23:00:00.000Z\""))
        #expect(utc[11].contains(day))
    }

    @Test("a serious adverse event changes the plan: no self-release there, review the next day, what to watch for, said in the letter")
    func aSeriousAdverseEventChangesThePlanAndTheLetter() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", "--time-zone", "Australia/Sydney", practitioner: nil)
        try ok("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1")
        try ok("visit", "new", "K1", "--complaint", "Neck pain", "--pain-now", "3")
        try ok("finding", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--taut-band", "--no-twitch", "--no-referred", "--active")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present")
        try ok("needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0", "--sharps-disposed", "--size", "0.25x30", "--brand", "Seirin",
               "--lot", "L1", "--inserted", "1", "--removed", "1", "--depth", "10",
               "--adverse", "suspected-pneumothorax:serious:needling stopped, sent to the emergency department")
        try ok("visit", "sign", "1")
        let patient = try ok("plan", "1").stdout.flattened
        #expect(patient.contains("Right Trapezius (upper fibres): no self-release at this spot until we have reviewed you"))
        #expect(!patient.contains("1. Right Trapezius"), "the site is not in the numbered home program")
        #expect(patient.contains("(in 1 day), to check on you after today's suspected pneumothorax"))
        #expect(patient.contains("call 000 now"))
        let letter = try ok("plan", "1", "--for", "referrer").stdout.flattened
        #expect(letter.contains("Please note an adverse event at this visit: suspected pneumothorax (serious) after needling the right Trapezius (upper fibres); action taken: needling stopped, sent to the emergency department."))
    }

    @Test("overdue and due-in count from today; --due-by only chooses who is listed")
    func theRecallListCountsFromToday() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", practitioner: nil)
        try ok("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1")
        try ok("visit", "new", "K1", "--complaint", "Calf pain", "--pain-now", "4")
        try ok("visit", "sign", "1")
        try ok("plan", "1", "--final")  // a first visit: review in one week
        let listed = try ok("reviews", "--due-by", "2099-12-31").stdout
        #expect(listed.contains("in 7 d"), "\(listed)")
        #expect(!listed.contains("overdue"))
        let json = try ok("reviews", "--due-by", "2099-12-31", "--json").stdout
        #expect(json.contains("\"overdueDays\" : 0"))
        #expect(json.contains("\"dueInDays\" : 7"))
        #expect(try ok("reviews").stdout.contains("No reviews due by"), "not due by today")
    }

    @Test("the zone is set at init (the machine's by default), shown, changed with an audit entry, and a wrong name is refused")
    func theClinicsZoneIsASetting() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", tz: "Europe/London", practitioner: nil)
        #expect(try ok("clinic", "show").stdout.hasPrefix("Time zone: Europe/London\n"))
        let bad = try knot(["clinic", "set", "--time-zone", "Mars/Olympus_Mons"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--time-zone: 'Mars/Olympus_Mons' is not a time zone name"))
        #expect(try ok("clinic", "show", "--json").stdout.contains("\"timeZone\" : \"Europe/London\""))
        try ok("clinic", "set", "--time-zone", "Pacific/Auckland")
        #expect(try ok("clinic", "show").stdout.hasPrefix("Time zone: Pacific/Auckland\n"))
        #expect(try ok("check").stdout.contains("Time zone: Pacific/Auckland"))
        let audit = try ok("audit", "log", "--json").stdout
        #expect(audit.contains("time_zone: Europe/London → Pacific/Auckland"), "\(audit)")
        let refusedInit = try knot(["init", "--time-zone", "Nowhere"], practitioner: nil)
        #expect(refusedInit.status != 0)
        #expect(try ok("clinic", "show").stdout.hasPrefix("Time zone: Pacific/Auckland\n"))
    }
}

private extension String {
    /// Line breaks and runs of spaces made single spaces (a phrase the 80-column layout wrapped).
    var flattened: String { split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
}
