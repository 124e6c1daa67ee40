import Foundation
import Testing
import ClinicTestSupport

/// Amending a signed visit through the built `knot`: any field of the note or of its entries,
/// checked as when recorded, and every output showing the value as amended, marked, with the
/// signed one beside it.
@Suite("knot visit amend: entries and every output")
struct AmendEntryTests {
    let clinic = EndToEndClinic()

    func knot(_ args: String...) throws -> KnotProcess.Result { try clinic.knot(args) }

    /// A signed visit (id 1) for K1 with one of each entry: a trigger point (tenderness 7), a
    /// lunge of 7 cm, ischaemic compression with 30 s holds, and a needling site at 12 mm.
    func signedVisitWithEveryEntry() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let steps: [[String]] = [
            ["visit", "new", "K1", "--complaint", "Left calf pain", "--pain-now", "4", "--pain-worst", "8"],
            ["finding", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-twitch", "--no-referred", "--active", "--tenderness", "7"],
            ["finding", "add", "1", "--kind", "lunge", "--side", "left", "--value", "7"],
            ["treatment", "add", "1", "--kind", "ischaemic-compression", "--muscle", "gastrocnemius-medial", "--side", "left",
             "--hold", "30", "--cycles", "3"],
            ["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"],
            ["screen", "record", "K1", "--valid-days", "90", "--none-present"],
            ["needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
             "--lot", "L2411", "--inserted", "2", "--removed", "2", "--depth", "12"],
            ["visit", "sign", "1"],
        ]
        for step in steps {
            let r = try clinic.knot(step)
            try #require(r.status == 0, "\(step.joined(separator: " ")): \(r.stderr)")
        }
    }

    @Test("each kind of entry field is amended; the signed note is kept and the amended one is shown, marked")
    func amendsEveryKindOfEntryField() throws {
        try signedVisitWithEveryEntry()
        let amend = try knot("visit", "amend", "1", "--reason", "entered from the wrong sheet",
                             "--set", "trigger-point.1.tenderness=5", "--set", "finding.2.value=9.5", "--set", "finding.2.side=right",
                             "--set", "treatment.1.hold=60", "--set", "needle.1.depth=15", "--set", "pain.now=6")
        #expect(amend.status == 0, "\(amend.stderr)")
        #expect(amend.stdout.contains("needle.1.depth: 12 → 15"), "\(amend.stdout)")

        let show = try knot("visit", "show", "1")
        #expect(show.status == 0, "\(show.stderr)")
        let today = String(ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate]))
        #expect(show.stdout.contains("now 6 (amended from 4, \(today))"), "\(show.stdout)")
        #expect(show.stdout.contains("tenderness 5/10"))
        #expect(show.stdout.contains("↳ amended: tenderness 5 (amended from 7, \(today))"))
        #expect(show.stdout.contains("Lunge 9.5 cm R"))
        #expect(show.stdout.contains("↳ amended: value 9.5 (amended from 7, \(today))"))
        #expect(show.stdout.contains("↳ amended: side right (amended from left, \(today))"))
        #expect(show.stdout.contains("60 s holds"))
        #expect(show.stdout.contains("↳ amended: hold 60 (amended from 30, \(today))"))
        #expect(show.stdout.contains("↳ amended: depth 15 (amended from 12, \(today))"))
        #expect(show.stdout.contains("entered from the wrong sheet"))

        // --json keeps the signed note and adds the note as amended, field by field.
        let json = try knot("visit", "show", "1", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let signed = try #require(object["visit"] as? [String: Any])
        let signedNeedling = try #require((signed["needling"] as? [[String: Any]])?.first)
        #expect((signedNeedling["depth"] as? NSNumber)?.doubleValue == 12)
        let amended = try #require(object["amended"] as? [String: Any])
        let amendedVisit = try #require(amended["visit"] as? [String: Any])
        let amendedNeedling = try #require((amendedVisit["needling"] as? [[String: Any]])?.first)
        #expect((amendedNeedling["depth"] as? NSNumber)?.doubleValue == 15)
        let corrections = try #require(amended["corrections"] as? [[String: Any]])
        let depth = try #require(corrections.first { $0["field"] as? String == "needle.1.depth" })
        #expect(depth["original"] as? String == "12")
        #expect(depth["value"] as? String == "15")
        #expect(Set(corrections.compactMap { $0["field"] as? String }) == [
            "trigger-point.1.tenderness", "finding.2.value", "finding.2.side", "treatment.1.hold", "needle.1.depth", "pain.now",
        ])
    }

    @Test("an unknown field is refused with the fields this visit can amend; 'side' names the entries' side fields")
    func unknownFieldsAreRefusedWithTheList() throws {
        try signedVisitWithEveryEntry()
        let banana = try knot("visit", "amend", "1", "--reason", "test", "--set", "banana=7")
        #expect(banana.status == 65, "\(banana.stderr)")
        #expect(banana.stderr.contains("banana: is not a field visit 1 can amend"))
        for field in ["complaint", "pain.now", "trigger-point.1.tenderness", "finding.2.value", "treatment.1.hold", "needle.1.depth"] {
            #expect(banana.stderr.contains(field), "the list names \(field): \(banana.stderr)")
        }

        let side = try knot("visit", "amend", "1", "--reason", "test", "--set", "side=right")
        #expect(side.status == 65, "\(side.stderr)")
        #expect(side.stderr.contains("'side' belongs to an entry, so name it: trigger-point.1.side, finding.2.side, treatment.1.side, needle.1.side"),
                "\(side.stderr)")

        let missing = try knot("visit", "amend", "1", "--reason", "test", "--set", "needle.3.depth=10")
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("needle.3.depth: is not a field visit 1 can amend"))

        // --fields lists them with their values now.
        let fields = try knot("visit", "amend", "1", "--fields")
        #expect(fields.status == 0, "\(fields.stderr)")
        #expect(fields.stdout.contains("needle.1.depth"))
        #expect(fields.stdout.contains("trigger-point.1.tenderness"))

        // Nothing was recorded.
        let show = try knot("visit", "show", "1")
        #expect(!show.stdout.contains("Amendments"))
    }

    @Test("a bad value is refused naming field, value and rule (65); an unbalanced needle count is a clinical refusal (1)")
    func badValuesAreRefused() throws {
        try signedVisitWithEveryEntry()
        let cases: [(String, String)] = [
            ("needle.1.depth=99", "needle.1.depth: '99' is deeper than the needle: the depth must be 0-40 mm (needle length 40 mm)"),
            ("trigger-point.1.tenderness=11", "trigger-point.1.tenderness: '11' is out of range: NPRS is 0 to 10"),
            ("finding.2.side=sideways", "finding.2.side: 'sideways' is not a side"),
            ("treatment.1.hold=300", "ischaemic compression holds are 5 to 180 s"),
            ("trigger-point.1.activity=angry", "trigger-point.1.activity: 'angry' is not active or latent"),
            ("needle.1.technique=twirling", "needle.1.technique: 'twirling' is not a technique"),
            ("pain.now=ten", "pain.now: 'ten' is not a number"),
        ]
        for (set, message) in cases {
            let r = try knot("visit", "amend", "1", "--reason", "test", "--set", set)
            #expect(r.status == 65, "\(set): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(set): \(r.stderr)")
        }
        let unbalanced = try knot("visit", "amend", "1", "--reason", "test", "--set", "needle.1.removed=1")
        #expect(unbalanced.status == 1, "\(unbalanced.stderr)")
        #expect(unbalanced.stderr.contains("needle count would not balance (2 in, 1 out)"))
        #expect(!(try knot("visit", "show", "1")).stdout.contains("Amendments"))
    }

    @Test("history, the referrer letter, the needling log and an export round trip show the amended values")
    func everyOutputShowsTheAmendedValue() throws {
        try signedVisitWithEveryEntry()
        let amend = try knot("visit", "amend", "1", "--reason", "misheard", "--set", "pain.now=6", "--set", "needle.1.depth=15")
        try #require(amend.status == 0, "\(amend.stderr)")
        let today = String(ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate]))

        let history = try knot("history", "K1")
        #expect(history.stdout.contains("6/10*"), "\(history.stdout)")
        #expect(history.stdout.contains("* visit 1 pain now: 6 (amended from 4, \(today))"))

        let letter = try knot("plan", "1", "--for", "referrer")
        #expect(letter.status == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("now 6/10 (amended from 4, \(today))"), "\(letter.stdout)")
        #expect(letter.stdout.contains("depth 15 mm"))
        #expect(!letter.stdout.contains("now 4/10"))
        let html = try knot("plan", "1", "--for", "referrer", "--format", "html")
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("now 6/10 (amended from 4, \(today))"))
        #expect(html.stdout.contains("<li class=\"amended\">"), "the pain line carries the marker")
        #expect(html.stdout.contains("<sup class=\"amended-mark\">amended</sup>"))
        #expect(html.stdout.contains("<li class=\"amendment-note\"><span class=\"label\">Amended after signing:</span> Pain now: 6 (amended from 4, \(today))"),
                "the footnote gives the signed value")

        let log = try knot("log", "needling", "--from", "2000-01-01")
        #expect(log.stdout.contains("15 mm"), "\(log.stdout)")
        #expect(log.stdout.contains("amended after signing: depth 15 (amended from 12, \(today))"))
        let csv = try knot("log", "needling", "--from", "2000-01-01", "--format", "csv")
        #expect(csv.stdout.contains(",15,\"depth 15 (amended from 12, \(today))\""), "\(csv.stdout)")

        // The export keeps the signed note and the amendment; another clinic reads them back.
        let file = clinic.home.file("export.xml")
        let export = try knot("export", "--output", file)
        try #require(export.status == 0, "\(export.stderr)")
        let other = clinic.home.file("other.sqlite")
        try #require(clinic.knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil, database: other).status == 0)
        let imported = try clinic.knot(["import", file], database: other)
        try #require(imported.status == 0, "\(imported.stderr)")
        let show = try clinic.knot(["visit", "show", "1", "--json"], database: other)
        try #require(show.status == 0, "\(show.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let signedNeedling = try #require(((object["visit"] as? [String: Any])?["needling"] as? [[String: Any]])?.first)
        #expect((signedNeedling["depth"] as? NSNumber)?.doubleValue == 12)
        let amendedNeedling = try #require((((object["amended"] as? [String: Any])?["visit"] as? [String: Any])?["needling"] as? [[String: Any]])?.first)
        #expect((amendedNeedling["depth"] as? NSNumber)?.doubleValue == 15)
        let text = try clinic.knot(["visit", "show", "1"], database: other)
        #expect(text.stdout.contains("↳ amended: depth 15 (amended from 12, \(today))"), "\(text.stdout)")
    }
}
