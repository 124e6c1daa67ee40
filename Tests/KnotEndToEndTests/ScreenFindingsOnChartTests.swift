import Foundation
import Testing
import ClinicTestSupport

/// What the precaution screen found reaches the chart: `patient show` lists the screen in force
/// today with each present precaution and the practitioner's reason (a stop first, in capitals),
/// and `visit show` gives the reasons too. Reception, who never reads clinical notes, is not shown it.
@Suite("The precaution screen's findings on the chart")
struct ScreenFindingsOnChartTests {
    let home = TemporaryDirectory(prefix: "knot-screen-chart")
    var db: String { home.file("clinic.sqlite") }

    @discardableResult
    func ok(_ args: String..., as user: String = "amy") throws -> KnotProcess.Result {
        let r = try KnotProcess.run(args, home: home.path, environment: ["KNOT_DATABASE": db, "TZ": "UTC", "KNOT_PRACTITIONER": user])
        try #require(r.status == 0, "knot \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    @Test("needle phobia and unable to consent answered present: both on patient show and visit show with their reasons; not for reception")
    func findingsWithReasons() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", "--time-zone", "Australia/Sydney")
        try ok("practitioner", "add", "--handle", "rec", "--name", "Rita Reception", "--role", "reception")
        try ok("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1950-05-17", "--record", "K1")
        var before = try ok("patient", "show", "K1").stdout
        #expect(!before.contains("PRECAUTION SCREEN"), "no screen yet: \(before)")
        try ok("visit", "new", "K1", "--complaint", "Neck pain")
        try ok("screen", "record", "K1", "--valid-days", "30", "--present", "needle-phobia,inability-to-consent",
               "--absent", "anticoagulant,antiplatelet,bleeding-disorder,pregnancy,immunocompromise,diabetes-poor-healing,lymphoedema,metal-allergy,local-skin-lesion,epilepsy",
               "--ack", "needle-phobia=fainted at blood tests last year", "--ack", "inability-to-consent=advanced dementia, no guardian present")

        let chart = try ok("patient", "show", "K1").stdout
        #expect(chart.contains("PRECAUTION SCREEN in force today"), "\(chart)")
        #expect(chart.contains("! UNABLE TO CONSENT (stop: no needling): advanced dementia, no guardian present"), "\(chart)")
        #expect(chart.contains("! needle phobia: fainted at blood tests last year"), "\(chart)")
        let stop = try #require(chart.range(of: "UNABLE TO CONSENT")), phobia = try #require(chart.range(of: "! needle phobia"))
        #expect(stop.lowerBound < phobia.lowerBound, "the stop comes first")

        let visit = try ok("visit", "show", "1").stdout
        #expect(visit.contains("present: UNABLE TO CONSENT (stop: no needling): advanced dementia, no guardian present; needle phobia: fainted at blood tests last year"), "\(visit)")

        let json = try ok("patient", "show", "K1", "--json").stdout
        #expect(json.contains("\"currentScreen\""), "\(json)")

        let reception = try ok("patient", "show", "K1", as: "rec")
        #expect(!reception.stdout.contains("PRECAUTION SCREEN") && !reception.stdout.contains("dementia"), "\(reception.stdout)")
        before = try ok("patient", "show", "K1", "--json", as: "rec").stdout
        #expect(!before.contains("currentScreen") && !before.contains("dementia"), "\(before)")
    }
}
