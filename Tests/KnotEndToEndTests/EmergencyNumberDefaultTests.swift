import Foundation
import Testing
import ClinicTestSupport

/// The emergency number a plan gives, as a clinic that accepted every default meets it: never
/// another country's number. A clinic with no country whose time zone names none is warned, and
/// its plans say "your local emergency number" until an administrator sets the country.
@Suite("The emergency number in plans when the clinic set none")
struct EmergencyNumberDefaultTests {
    let home = TemporaryDirectory(prefix: "knot-emergency")
    var db: String { home.file("clinic.sqlite") }

    func knot(_ args: [String]) throws -> KnotProcess.Result {
        try KnotProcess.run(args, home: home.path, environment: ["KNOT_DATABASE": db, "TZ": "UTC", "KNOT_PRACTITIONER": "amy"])
    }

    @discardableResult
    func ok(_ args: String...) throws -> KnotProcess.Result {
        let r = try knot(args)
        try #require(r.status == 0, "knot \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    /// A signed visit with needling over the lung fields (its plan carries the pneumothorax red flag).
    func signedVisitOverTheLungFields() throws {
        try ok("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1")
        try ok("visit", "new", "K1", "--complaint", "Neck pain", "--pain-now", "3")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present")
        try ok("needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0",
               "--sharps-disposed", "--size", "0.25x30", "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--removed", "1",
               "--depth", "10", "--no-adverse")
        try ok("visit", "sign", "1")
    }

    @Test("init on a UTC machine with no country: warned at init, clinic show says not set, plans say 'your local emergency number' with a warning; setting the country gives its number")
    func noCountryNoGuess() throws {
        let initialized = try ok("init", "--handle", "amy", "--name", "Amy Nguyen")
        #expect(initialized.stdout.contains("No emergency number yet"), "\(initialized.stdout)")
        let show = try ok("clinic", "show").stdout
        #expect(show.contains("Emergency number: (not set"), "\(show)")
        try signedVisitOverTheLungFields()

        let plan = try ok("plan", "1")
        #expect(plan.stdout.flattened.contains("call your local emergency number or go to an emergency department"), "\(plan.stdout)")
        #expect(!plan.stdout.flattened.contains("call 000"), "a number the clinic never chose: \(plan.stdout)")
        #expect(plan.stderr.contains("warning: the clinic's emergency number is not set"), "\(plan.stderr)")
        let xml = try ok("plan", "1", "--format", "xml").stdout
        #expect(xml.contains("<emergencyNumber>your local emergency number</emergencyNumber>"), "\(xml)")

        try ok("clinic", "set", "--country", "GB")
        let after = try ok("plan", "1")
        #expect(after.stdout.flattened.contains("call 999 or go to an emergency department"), "\(after.stdout)")
        #expect(!after.stderr.contains("warning:"), "\(after.stderr)")
    }

    @Test("a clinic in an Australian time zone gives 000 without a country set, and clinic show says where it came from")
    func theTimeZonesCountry() throws {
        let initialized = try ok("init", "--handle", "amy", "--name", "Amy Nguyen", "--time-zone", "Australia/Sydney")
        #expect(!initialized.stdout.contains("No emergency number yet"), "\(initialized.stdout)")
        #expect(try ok("clinic", "show").stdout.contains("Emergency number: 000 (AU's, from the time zone"))
        try signedVisitOverTheLungFields()
        let plan = try ok("plan", "1")
        #expect(plan.stdout.flattened.contains("call 000 or go to an emergency department"), "\(plan.stdout)")
        #expect(!plan.stderr.contains("warning:"), "\(plan.stderr)")
    }

    @Test("plan --output onto a file that is there: exit 73 (cannot create), the file untouched")
    func outputFileThere() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", "--time-zone", "Australia/Sydney")
        try signedVisitOverTheLungFields()
        let path = home.file("plan.html")
        try ok("plan", "1", "--format", "html", "--output", path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let again = try knot(["plan", "1", "--format", "html", "--output", path])
        #expect(again.status == 73, "\(again.status) \(again.stderr)")
        #expect(again.stderr.contains(path) && again.stderr.contains("already there"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}

private extension String {
    /// The text with line breaks, runs of spaces and the red-flag box's "!" margins as single spaces
    /// (plans wrap at 80 columns).
    var flattened: String { split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "!" }).joined(separator: " ") }
}
