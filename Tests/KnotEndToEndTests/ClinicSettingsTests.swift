import Foundation
import Testing
import ClinicTestSupport

/// The clinic's details as an administrator sets them once with `knot clinic set` and every
/// practitioner then meets them: in `knot clinic show`, at the head of every plan and letter in
/// text, HTML and XML, in the emergency number of the red flags, and in a review date that
/// never falls on a closed day. Broken settings are refused whole, naming the option.
@Suite("knot clinic set: letterhead, emergency number, open days, review rules")
struct ClinicSettingsTests {
    let clinic = EndToEndClinic()

    @discardableResult
    func ok(_ args: String..., as who: String = "amy") throws -> KnotProcess.Result {
        let r = try clinic.knot(args, as: who)
        try #require(r.status == 0, "knot \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    @Test("set once, kept for every plan: name, address, phone, email, web, ABN in text, HTML and XML; NZ's 111 in the red flags")
    func settingsReachEveryPlan() throws {
        try clinic.setUp()
        try ok("clinic", "set", "--name", "Harbour Physio", "--address", "1 Quay St\\nWellington 6011", "--phone", "04 555 0100",
               "--email", "desk@harbour.example", "--website", "harbour.example", "--business-number", "9429041234567", "--country", "nz")
        let shown = try ok("clinic", "show").stdout
        #expect(shown.contains("Name: Harbour Physio\n"))
        #expect(shown.contains("Address: 1 Quay St, Wellington 6011\n"))
        #expect(shown.contains("Business number: NZBN 9429041234567\n"))
        #expect(shown.contains("Emergency number: 111\n"))
        let json = try JSONSerialization.jsonObject(with: Data(try ok("clinic", "show", "--json").stdout.utf8)) as? [String: Any]
        let stored = try #require(json?["clinic"] as? [String: Any])
        #expect(stored["phone"] as? String == "04 555 0100")

        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try ok("visit", "new", "K1", "--complaint", "Chest wall pain", "--pain-now", "5")
        let visit = "1"
        try ok("finding", "add", visit, "--muscle", "pectoralis-minor", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present")
        try ok("needle", "add", visit, "--muscle", "pectoralis-minor", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x30", "--brand", "Seirin",
               "--lot", "L1", "--inserted", "1", "--removed", "1", "--depth", "8")
        try ok("visit", "sign", visit)
        // No --clinic on either: the stored name is used, plan after plan.
        for audience in ["patient", "referrer"] {
            let text = try ok("plan", visit, "--for", audience).stdout
            #expect(text.contains("Harbour Physio"))
            #expect(text.contains("1 Quay St, Wellington 6011"))
            #expect(text.contains("Phone 04 555 0100 · desk@harbour.example · harbour.example"))
            #expect(text.contains("NZBN 9429041234567"))
            #expect(!text.contains("Knot clinic"))
            if audience == "patient" { #expect(text.flattened.contains("call 111 or go")) }
            let html = try ok("plan", visit, "--for", audience, "--format", "html").stdout
            #expect(html.contains("<span>1 Quay St, Wellington 6011</span>"))
            #expect(html.contains("NZBN 9429041234567"))
        }
        let xml = try ok("plan", visit, "--format", "xml").stdout
        #expect(xml.contains("<clinic country=\"NZ\">"))
        #expect(xml.contains("<name>Harbour Physio</name>"))
        #expect(xml.contains("<address>1 Quay St\nWellington 6011</address>"))
        #expect(xml.contains("<businessNumber>9429041234567</businessNumber>"))
        #expect(xml.contains("<emergencyNumber>111</emergencyNumber>"))
        // --clinic renames one document only.
        #expect(try ok("plan", visit, "--clinic", "Locum Rooms").stdout.contains("Locum Rooms"))
        #expect(try ok("plan", visit).stdout.contains("Harbour Physio"))
    }

    /// `knot` on `clinic`, which must succeed.
    @discardableResult
    static func ok(_ clinic: EndToEndClinic, _ args: String..., as who: String = "amy") throws -> KnotProcess.Result {
        let r = try clinic.knot(args, as: who)
        try #require(r.status == 0, "knot \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    @Test("a broken setting is refused whole (exit 1, as every refused value) naming option, value and rule; nothing changes",
          arguments: TestStore.all)
    func brokenSettingsRefusedWhole(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        try clinic.setUp()
        try Self.ok(clinic, "clinic", "set", "--name", "Harbour Physio")
        let r = try clinic.knot(["clinic", "set", "--name", "Other", "--email", "nobody", "--emergency-number", "9"])
        #expect(r.status == 65, "a value not in its form is bad input, as everywhere in knot")
        #expect(r.stderr.contains("--email"))
        #expect(r.stderr.contains("'nobody'"))
        #expect(r.stderr.contains("--emergency-number"))
        #expect(try Self.ok(clinic, "clinic", "show").stdout.contains("Name: Harbour Physio\n"))
        let days = try clinic.knot(["clinic", "set", "--open-days", "funday"])
        #expect(days.status == 65)
        #expect(days.stderr.contains("--open-days"))
    }

    @Test("only an administrator changes the clinic's settings (exit 77); the change is audited", arguments: TestStore.all)
    func administratorsOnly(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        try clinic.setUp()
        let r = try clinic.knot(["clinic", "set", "--phone", "02 9555 0100"], as: "rec")
        #expect(r.status == 77)
        try Self.ok(clinic, "clinic", "set", "--phone", "02 9555 0100")
        let audit = try Self.ok(clinic, "audit", "log").stdout
        #expect(audit.contains("phone: 02 9555 0100"))
        #expect(try Self.ok(clinic, "audit", "verify").stdout.contains("Audit trail intact"))
    }

    @Test("open Monday to Friday: a review that falls on Sunday moves to Monday; review rules are settings")
    func reviewOffClosedDays() throws {
        try clinic.setUp()
        try ok("clinic", "set", "--open-days", "mon-fri", "--acute-days", "5", "--chronic-days", "5")
        let shown = try ok("clinic", "show").stdout
        #expect(shown.contains("Open days: mon,tue,wed,thu,fri\n"))
        #expect(shown.contains("Review: acute 5 days, otherwise 5 days"))
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        // Tuesday 7 July 2026 + 5 days is Sunday 12 July.
        let visit = String(try clinic.signedVisit("K1", at: "2026-07-07T09:00"))
        let items = try ok("plan", visit, "--items").stdout
        #expect(items.contains("review 2026-07-13"), "\(items)")
        #expect(items.contains("Monday 13 July 2026"))
        try ok("clinic", "set", "--clear", "open-days", "--clear", "review-rules")
        #expect(try ok("plan", visit, "--items", "--rebuild").stdout.contains("review 2026-07-14"))
    }

    @Test("the clinic's needle stock fills brand, size and lot at needling; an expired stock lot is refused (exit 1) and nothing is logged")
    func needleStockAndExpiredLot() throws {
        try clinic.setUp()
        try ok("clinic", "set", "--needle-brand", "Seirin", "--needle-size", "0.25x40", "--needle-lot", "L2411", "--needle-lot-expiry", "2099-03-31")
        #expect(try ok("clinic", "show").stdout.contains("Needle stock: Seirin 0.25x40 lot L2411, lot expires 2099-03-31\n"))
        let badSize = try clinic.knot(["clinic", "set", "--needle-size", "thin", "--needle-lot-expiry", "31/03/2027"])
        #expect(badSize.status == 65)
        #expect(badSize.stderr.contains("--needle-size") && badSize.stderr.contains("--needle-lot-expiry"))

        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try ok("visit", "new", "K1", "--complaint", "Calf pain", "--pain-now", "5")
        try ok("finding", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present")
        // No --brand, --size or --lot: the clinic's stock.
        try ok("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--inserted", "1", "--removed", "1")
        let shown = try ok("visit", "show", "1").stdout
        #expect(shown.contains("0.25 x 40 mm Seirin lot L2411"), "\(shown)")

        try ok("clinic", "set", "--needle-lot-expiry", "2020-01-31")
        #expect(try ok("clinic", "show").stdout.contains("lot expires 2020-01-31 (expired: refused at needling)"))
        let refused = try clinic.knot(["needle", "add", "1", "--muscle", "soleus", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--inserted", "1", "--removed", "1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("needle lot L2411 expired on 2020-01-31"))
        #expect(!(try ok("visit", "show", "1").stdout.contains("Soleus")))
        // Another lot, given outright, is fine.
        try ok("needle", "add", "1", "--muscle", "soleus", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--lot", "L2502", "--inserted", "1", "--removed", "1")
    }

    @Test("a PNG or a plain SVG logo is embedded in the HTML letterhead; a hostile SVG, a fake PNG and an oversized file are refused")
    func logo() throws {
        try clinic.setUp()
        func file(_ name: String, _ data: Data) throws -> String {
            let path = clinic.home.file(name)
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
        let hostile: [(String, String)] = [
            ("script.svg", #"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#),
            ("onload.svg", #"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>"#),
            ("remote.svg", #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://tracker.example/p.png"/></svg>"#),
            ("style.svg", #"<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(https://x.example/a) }</style></svg>"#),
            ("foreign.svg", #"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject></svg>"#),
            ("entity.svg", #"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"#),
            ("fake.png", "\u{89}PNG not really"),
        ]
        for (name, text) in hostile {
            let r = try clinic.knot(["clinic", "set", "--logo", try file(name, Data(text.utf8))])
            #expect(r.status == 65, "\(name): bad input is 65, got \(r.status)")
            #expect(r.stderr.contains("--logo"), "\(name): \(r.stderr)")
        }
        let big = try clinic.knot(["clinic", "set", "--logo", try file("big.svg", Data(repeating: 0x20, count: 200_000))])
        #expect(big.status == 65, "\(big.status) \(big.stderr)")
        #expect(try ok("clinic", "show").stdout.contains("Logo: (not set)\n"))

        try ok("clinic", "set", "--logo", try file("ok.svg", Data(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/></svg>"#.utf8)))
        #expect(try ok("clinic", "show").stdout.contains("Logo: image/svg+xml, "))
        // A 1 × 1 PNG.
        let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
        try ok("clinic", "set", "--logo", try file("logo.png", png))
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = String(try clinic.signedVisit("K1"))
        let html = try ok("plan", visit, "--format", "html").stdout
        #expect(html.contains("<img class=\"logo\" src=\"data:image/png;base64,\(png.base64EncodedString())\" alt=\"\"/>"))
        #expect(!(try ok("plan", visit).stdout.contains("base64")))
        try ok("clinic", "set", "--clear", "logo")
        #expect(!(try ok("plan", visit, "--format", "html").stdout.contains("<img")))
    }

    @Test("the settings travel in the clinic export: a clinic made from it has them, and exports the same bytes; an export without settings still imports")
    func settingsTravelInTheExport() throws {
        try clinic.setUp()
        try ok("clinic", "set", "--name", "Harbour Physio", "--phone", "04 555 0100", "--country", "NZ", "--open-days", "mon-sat",
               "--acute-days", "6")
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.signedVisit("K1")
        let a = clinic.home.file("a.xml"), b = clinic.home.file("b.xml")
        try ok("export", "--output", a, "--no-audit")
        let exported = String(decoding: try #require(FileManager.default.contents(atPath: a)), as: UTF8.self)
        #expect(exported.contains("<setting name=\"clinic_name\">Harbour Physio</setting>"))
        #expect(exported.contains("<setting name=\"emergency_number\">") == false, "111 follows the country; only what was set travels")
        #expect(exported.contains("<setting name=\"country\">NZ</setting>"))

        let copy = clinic.home.file("copy.sqlite")
        let made = try clinic.knot(["init", "--from", a], as: nil, database: copy)
        try #require(made.status == 0, "\(made.stderr)")
        #expect(try clinic.knot(["clinic", "show"], database: copy).stdout == (try ok("clinic", "show").stdout))
        #expect(try clinic.knot(["export", "--output", b, "--no-audit"], database: copy).status == 0)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))

        // An export from before settings travelled (no <setting>) still makes a clinic, with the defaults.
        let old = clinic.home.file("old.xml")
        let stripped = exported.replacingOccurrences(of: #"<setting name="[a-z_]+">[^<]*</setting>"#, with: "", options: .regularExpression)
        #expect(!stripped.contains("<setting"))
        try Data(stripped.utf8).write(to: URL(fileURLWithPath: old))
        let fromOld = clinic.home.file("old.sqlite")
        let r = try clinic.knot(["init", "--untrusted", "--from", old], as: nil, database: fromOld)
        try #require(r.status == 0, "\(r.stderr)")
        let shown = try clinic.knot(["clinic", "show"], database: fromOld).stdout
        #expect(shown.contains("Name: Knot clinic\n"))
        // The defaults guess no emergency number: no country, and the machine's zone (UTC) names none.
        #expect(shown.contains("Emergency number: (not set: plans say \"your local emergency number\""), "\(shown)")
    }
}

private extension String {
    /// Line breaks, runs of spaces and the red-flag box's "!" margins made single spaces.
    var flattened: String { split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "!" }).joined(separator: " ") }
}
