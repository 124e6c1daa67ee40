import Foundation
import Testing
import ClinicTestSupport

/// `knot plan` and `knot reviews` as the practitioner uses them after a visit.
@Suite("knot plan and reviews")
struct PlanCommandTests {
    let home = TemporaryDirectory(prefix: "knot-plan")
    var db: String { home.file("clinic.sqlite") }

    func knot(_ args: String..., practitioner: String? = "amy") throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": db]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    /// A signed visit with a needled calf trigger point and a pronated foot.
    func signedVisit() throws {
        try #require(knot("init", "--handle", "amy", "--name", "Amy Nguyen", practitioner: nil).status == 0)
        try #require(knot("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1").status == 0)
        try #require(knot("visit", "new", "K1", "--complaint", "Calf pain running", "--pain-now", "6").status == 0)
        try #require(knot("finding", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active").status == 0)
        try #require(knot("finding", "add", "1", "--kind", "fpi6", "--side", "left", "--fpi", "2,2,1,1,1,1").status == 0)
        try #require(knot("consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained").status == 0)
        try #require(knot("screen", "record", "K1", "--valid-days", "90", "--none-present").status == 0)
        try #require(knot("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40",
                          "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--removed", "1").status == 0)
    }

    @Test("a draft visit has no plan; a signed one gets the rules' plan, adjusted and stored as final")
    func planLifecycle() throws {
        try signedVisit()
        let draft = try knot("plan", "1")
        #expect(draft.status == 1)
        #expect(draft.stderr.contains("sign it first"))
        try #require(knot("visit", "sign", "1").status == 0)
        let preview = try knot("plan", "1")
        #expect(preview.status == 0)
        #expect(preview.stdout.contains("Gastrocnemius (medial head)"))
        #expect(preview.stdout.contains("24 to 48 hours"), "post-needling advice")
        #expect(preview.stdout.lowercased().contains("orthoses") || preview.stdout.lowercased().contains("footwear"), "pronated FPI-6 advice")
        #expect(preview.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "80 columns")
        let items = try knot("plan", "1", "--items").stdout.split(separator: "\n").count
        let final = try knot("plan", "1", "--remove", "2", "--add", "activity:Walk 20 minutes every day", "--final")
        #expect(final.status == 0, "\(final.stderr)")
        let after = try knot("plan", "1", "--items")
        #expect(after.stdout.contains("(final)"))
        #expect(after.stdout.contains("Walk 20 minutes every day"))
        #expect(after.stdout.split(separator: "\n").count == items)
        let refused = try knot("plan", "1", "--add", "activity:Swim")
        #expect(refused.status == 1, "a final plan is changed only by a new version")
        let html = home.file("plan.html")
        #expect(try knot("plan", "1", "--format", "html", "--output", html, "--for", "referrer").status == 0)
        let page = String(decoding: FileManager.default.contents(atPath: html) ?? Data(), as: UTF8.self)
        #expect(page.contains("<svg"))
        #expect(!page.contains("src=\"http"))
        let xml = try knot("plan", "1", "--format", "xml")
        #expect(xml.stdout.contains("urn:knot:plan:1"))
        // The final plan's review date puts the patient on the recall list once due.
        let reviews = try knot("reviews", "--due-by", "2099-01-01", "--json")
        #expect(reviews.stdout.contains("\"recordNumber\" : \"K1\""))
        let none = try knot("reviews", "--due-by", "2000-01-01")
        #expect(none.stdout.contains("No reviews due"))
    }
}
