import Foundation
import Testing
import ClinicTestSupport

/// Outcome measures and the clinical impression as a practitioner records them with `knot`,
/// and where they show up: `knot visit show`, `knot history`, `knot outcome list`, the plan and
/// the referrer letter, the clinic export.
@Suite("knot outcome and visit impression")
struct OutcomeCommandTests {
    let home = TemporaryDirectory(prefix: "knot-outcomes")
    var db: String { home.file("clinic.sqlite") }

    func knot(_ args: String..., practitioner: String? = "amy") throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": db]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    func setUp() throws {
        try #require(knot("init", "--handle", "amy", "--name", "Amy Nguyen", practitioner: nil).status == 0)
        try #require(knot("patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1").status == 0)
    }

    @Test("LEFS and NDI recorded at two visits trend in history, the outcome list, the plan and the letter with the MCID")
    func outcomesTrendEverywhere() throws {
        try setUp()
        try #require(knot("visit", "new", "K1", "--complaint", "Knee and neck pain", "--pain-now", "6", "--at", "2026-06-01T09:00").status == 0)
        let lefs1 = try knot("outcome", "add", "1", "--measure", "lefs", "--items", "2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2")
        #expect(lefs1.status == 0, "\(lefs1.stderr)")
        #expect(lefs1.stdout.contains("LEFS 40/80"))
        #expect(try knot("outcome", "add", "1", "--measure", "ndi", "--items", "2,2,2,2,2,2,2,2,2,2").status == 0)
        try #require(knot("visit", "sign", "1").status == 0)

        // A signed visit's measures are not added to afterwards.
        let late = try knot("outcome", "add", "1", "--measure", "odi", "--items", "1,1,1,1,1,1,1,1,1,1")
        #expect(late.status == 1)
        #expect(late.stderr.contains("signed"))

        try #require(knot("visit", "new", "K1", "--complaint", "Knee and neck pain", "--pain-now", "3", "--at", "2026-06-15T09:00").status == 0)
        #expect(try knot("outcome", "add", "2", "--measure", "lefs", "--items", "3,3,3,3,3,3,3,3,2,2,2,2,2,2,2,2,2,2,2,2").status == 0)
        #expect(try knot("outcome", "add", "2", "--measure", "ndi", "--items", "2,2,1,2,2,2,2,1,2,2").status == 0)
        let impression = try knot("visit", "impression", "2", "Patellofemoral pain with myofascial neck pain", "--code", "icd-10:M22.2")
        #expect(impression.status == 0, "\(impression.stderr)")
        try #require(knot("visit", "sign", "2").status == 0)

        let show = try knot("visit", "show", "2")
        #expect(show.stdout.contains("Impression: Patellofemoral pain with myofascial neck pain (ICD-10 M22.2)"))
        #expect(show.stdout.contains("Outcome 1: LEFS 48/80"))

        let history = try knot("history", "K1")
        #expect(history.status == 0)
        #expect(history.stdout.contains("Outcome trend: LEFS 40/80 → 48/80"), "\(history.stdout)")
        #expect(history.stdout.contains("Outcome trend: NDI 40% → 36%: 4 percentage points better, within the 10 percentage-point MCID"))

        let list = try knot("outcome", "list", "K1")
        #expect(list.stdout.contains("LEFS 40/80 → 48/80: 8 points better, within the 9-point MCID"))

        let letter = try knot("plan", "2", "--for", "referrer")
        #expect(letter.status == 0, "\(letter.stderr)")
        let flat = letter.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(flat.contains("CLINICAL IMPRESSION"))
        #expect(flat.contains("Patellofemoral pain with myofascial neck pain (ICD-10 M22.2)"))
        #expect(flat.contains("LEFS 40/80 (1 June 2026) to 48/80 (15 June 2026) over 2 visits: 8 points better, an improvement smaller than the smallest that matters (MCID 9 points)."))
        let patient = try knot("plan", "2")
        #expect(patient.stdout.contains("YOUR PROGRESS"))

        // The export carries both, and a new clinic made from it reads them back.
        let export = home.file("clinic.xml")
        try #require(knot("export", "--output", export).status == 0)
        let xml = String(decoding: FileManager.default.contents(atPath: export) ?? Data(), as: UTF8.self)
        #expect(xml.contains("<impression code=\"M22.2\" codeSystem=\"icd-10\">Patellofemoral pain with myofascial neck pain</impression>"))
        #expect(xml.contains("<outcome id=\"3\" scale=\"lefs\" items=\"3 3 3 3 3 3 3 3 2 2 2 2 2 2 2 2 2 2 2 2\"/>"))
    }

    @Test("an item out of range is refused with its number, label and range, and nothing is written")
    func outOfRangeItemRefused() throws {
        try setUp()
        try #require(knot("visit", "new", "K1", "--complaint", "Neck pain").status == 0)
        let bad = try knot("outcome", "add", "1", "--measure", "ndi", "--items", "2,2,6,2,2,2,2,2,2,2")
        #expect(bad.status == 65, "bad input, like any out-of-range clinical value (an NPRS of 11 too)")
        #expect(bad.stderr.contains("item3"))
        #expect(bad.stderr.contains("NDI item 3 (lifting) is 0 to 5"))
        let unknown = try knot("outcome", "add", "1", "--measure", "koos", "--items", "1")
        #expect(unknown.status == 65, "a measure Knot does not score is bad input, named with the ones it does: \(unknown.stderr)")
        #expect(unknown.stderr.contains("--measure") && unknown.stderr.contains("'lefs', 'ndi', 'odi', 'visa-a' or 'quickdash'"))
        #expect(!(try knot("visit", "show", "1").stdout.contains("Outcome:")))
        let scales = try knot("outcome", "scales", "visa-a")
        #expect(scales.stdout.contains("8. activity with pain (0-30)"))
    }

    @Test("an impression on a signed visit is corrected by an amendment")
    func impressionAmended() throws {
        try setUp()
        try #require(knot("visit", "new", "K1", "--complaint", "Neck pain").status == 0)
        try #require(knot("visit", "impression", "1", "Cervical facet irritation").status == 0)
        try #require(knot("visit", "sign", "1").status == 0)
        let refused = try knot("visit", "impression", "1", "Myofascial neck pain")
        #expect(refused.status == 1)
        let amend = try knot("visit", "amend", "1", "--set", "impression=Myofascial neck pain", "--reason", "Reassessed after palpation")
        #expect(amend.status == 0, "\(amend.stderr)")
        let show = try knot("visit", "show", "1")
        #expect(show.stdout.contains("Impression: Myofascial neck pain"))
        #expect(show.stdout.contains("amended from Cervical facet irritation"))
    }
}
