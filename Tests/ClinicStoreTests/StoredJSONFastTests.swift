import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore
import ClinicTestSupport
import SeededRandom

/// Plan items and PSFS items are read from their JSON columns without `JSONDecoder` when they
/// have the shape Knot writes (StoredJSON+Fast.swift). What the clinic relies on: the value read
/// is the value the decoder gives, and a column the decoder refuses is still refused, with its
/// table, row and column named, and an export of it writes nothing.
@Suite struct StoredJSONFastTests {
    static let decoder = StoreTransaction.jsonDecoder

    /// The fast reader's answer must be the decoder's whenever it gives one.
    static func agrees<E: FastJSONArrayElement & Decodable & Equatable>(_ text: String, _ type: E.Type) -> (fast: [E]?, decoded: [E]?) {
        let fast = [E].fastDecode(text)
        let decoded = try? decoder.decode([E].self, from: Data(text.utf8))
        return (fast, decoded)
    }

    @Test("plan items as Knot writes them (escapes, accents, optional fields) are read without the decoder, to the decoder's value")
    func planItemsAsWritten() throws {
        let items: [FollowUpPlan.Item] = [
            FollowUpPlan.Item(section: .homeProgram, text: "Calf stretch 3 x 30 s / side, \"gently\"\nthen rest\t(2–3 min) \\ é 漢字 🙂",
                              rule: "home-program.trp", muscleID: "gastrocnemius-medial", side: .left),
            FollowUpPlan.Item(section: .redFlags, text: "", rule: ""),
            FollowUpPlan.Item(section: .outcomes, text: "control \u{8}\u{c}\r end", rule: "r", muscleID: "", side: .bilateral),
        ]
        let text = String(decoding: try StoreTransaction.json.encode(items), as: UTF8.self)
        let (fast, decoded) = Self.agrees(text, FollowUpPlan.Item.self)
        #expect(fast != nil, "the shape Knot writes takes the fast path: \(text)")
        #expect(fast == decoded)
        #expect(fast == items)
        let spaced = " [ { \"section\" : \"review\" , \"rule\":\"a\",\"text\":\"b\" } ]\n"
        #expect(Self.agrees(spaced, FollowUpPlan.Item.self).fast == [FollowUpPlan.Item(section: .review, text: "b", rule: "a")])
        #expect(Self.agrees("[]", FollowUpPlan.Item.self).fast == [])
    }

    @Test("PSFS items as Knot writes them are read without the decoder, to the decoder's value")
    func psfsAsWritten() throws {
        let items = [PSFSItem(activity: "Walking 30 minutes", score: PSFSScore(unchecked: 0)),
                     PSFSItem(activity: "Stairs / \"steep\" ones", score: PSFSScore(unchecked: 10))]
        let text = String(decoding: try StoreTransaction.json.encode(items), as: UTF8.self)
        let (fast, decoded) = Self.agrees(text, PSFSItem.self)
        #expect(fast != nil)
        #expect(fast == decoded)
        #expect(fast == items)
    }

    @Test("biomechanical measures of every kind as Knot writes them are read without the decoder, to the decoder's value; other shapes go to the decoder")
    func biomechanicsAsWritten() throws {
        let measures: [BiomechanicalMeasure] = [
            .footPostureIndex(try FootPostureIndex(items: [2, 1, -1, 2, 0, -2])), .lunge(LungeCentimetres(unchecked: 6.5)),
            .lunge(LungeCentimetres(unchecked: 0)), .legLengthDifference(LegLengthMillimetres(unchecked: 12.25)),
            .halluxDorsiflexion(Degrees(unchecked: -39)), .halluxDorsiflexion(Degrees(unchecked: 0.1)), .gait([]),
            .gait([.antalgic, .overpronation, .wideBase]), .strength(movement: "hip \"abduction\" / é", grade: StrengthGrade(unchecked: 4)),
            .jointRange(joint: "ankle", movement: "dorsiflexion", degrees: Degrees(unchecked: 17.3)), .posture,
            .measure(name: "calf girth", value: 36.7, unit: "cm"), .measure(name: "tiny", value: 0.000123, unit: "m"),
        ]
        for m in measures {
            let text = String(decoding: try StoreTransaction.json.encode(m), as: UTF8.self)
            let fast = BiomechanicalMeasure.fastDecode(text)
            let decoded = try Self.decoder.decode(BiomechanicalMeasure.self, from: Data(text.utf8))
            #expect(fast == nil || fast == decoded, "\(text)")
            #expect(decoded == m)
            // Knot's own spelling takes the fast path, except a number JSONEncoder writes with an exponent.
            if !text.contains("e-") { #expect(fast != nil, "\(text)") }
        }
        let unsure = [
            #"{"kind":"lunge","cm":31}"#,                              // off the scale: refused
            #"{"kind":"lunge","cm":7,"extra":1}"#,                     // a key the decoder ignores
            #"{"kind":"lunge","cm":7,"cm":8}"#,                        // repeated key
            #"{"kind":"lunge","cm":7e0}"#,                             // exponent
            #"{"kind":"lunge","cm":07}"#,                              // not JSON
            #"{"kind":"lunge"}"#,                                      // value missing: refused
            #"{"kind":"fpi6","items":[3,0,0,0,0,0],"total":3,"category":"normal"}"#,  // item off its scale
            #"{"kind":"fpi6","items":[0,0,0,0,0],"total":0,"category":"normal"}"#,    // five items
            #"{"kind":"fpi6","items":[0,0,0,0,0,0]}"#,                 // without total and category
            #"{"kind":"strength","movement":"m","grade":6}"#,
            #"{"kind":"gait","observations":["limping"]}"#,
            #"{"kind":"bogus"}"#, #"{"kind":5}"#, #"{"lunge":{"_0":7}}"#, "null", "{}", #"{"kind":"posture"} x"#,
        ]
        for text in unsure {
            #expect(BiomechanicalMeasure.fastDecode(text) == nil, "\(text): the fast reader must leave this to the decoder")
        }
    }

    @Test("every shape the fast reader is not sure of goes to the decoder: it never accepts what the decoder refuses, never reads another value")
    func unsureShapesGoToTheDecoder() {
        let plans = [
            #"[{"section":"bogus","rule":"","text":"x"}]"#,               // unknown section: refused
            #"[{"section":"review","text":"x"}]"#,                         // rule missing: refused
            #"[{"section":"review","rule":"","text":"x","extra":1}]"#,     // unknown key: decoder ignores it
            #"[{"section":"review","rule":"","text":"x","text":"y"}]"#,    // repeated key
            #"[{"section":"review","rule":"","text":"\u00e9"}]"#,          // \u escape
            #"[{"section":"review","rule":"","text":"x","side":null}]"#,   // null optional
            #"[{"section":"review","rule":"","text":"x","side":"up"}]"#,   // unknown side: refused
            #"[{"section":"review","rule":"","text":"x"}] x"#,             // text after the array
            #"[{"section":"review","rule":"","text":"x"},]"#,              // trailing comma
            "[{\"section\":\"review\",\"rule\":\"\",\"text\":\"a\u{1}b\"}]", // raw control character
            #"[{"section":"review","rule":"","text":"x\q"}]"#,             // bad escape
            #"[{"section":"review","rule":"","text":5}]"#,                 // a number for text
            #"{"section":"review","rule":"","text":"x"}"#,                 // not an array
            #"[{"section":"review","rule":"","text":"x""#,                 // cut short
            "", "null", "[", "[{}]", "[1]",
        ]
        for text in plans {
            let (fast, decoded) = Self.agrees(text, FollowUpPlan.Item.self)
            #expect(fast == nil, "\(text): the fast reader must leave this to the decoder")
            _ = decoded
        }
        let psfs = [
            #"[{"activity":"a","score":11}]"#,      // out of the scale: refused
            #"[{"activity":"a","score":-1}]"#,
            #"[{"activity":"a","score":2.0}]"#,     // a fraction
            #"[{"activity":"a","score":2e0}]"#,     // an exponent
            #"[{"activity":"a","score":02}]"#,      // a leading zero: not JSON
            #"[{"activity":"a","score":"2"}]"#,     // text for a number
            #"[{"activity":"a"}]"#,                 // score missing
            #"[{"activity":"a","score":2,"score":3}]"#,
            #"[{"activity":"a","score":99999999999999999999}]"#,
        ]
        for text in psfs {
            let (fast, _) = Self.agrees(text, PSFSItem.self)
            #expect(fast == nil, "\(text): the fast reader must leave this to the decoder")
        }
    }

    @Test("random plan and PSFS items: whatever the fast reader reads is the decoder's value, and Knot's own spelling always takes the fast path")
    func randomItemsAgree() throws {
        var random = SplitMix64(seed: 19)
        let pieces = ["a", "é", "\"", "\\", "/", "\n", "\t", "\r", "\u{8}", "\u{c}", "漢", "🙂", " ", "{", "}", "[", "]", ":", ","]
        func text() -> String { (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined() }
        for _ in 0..<300 {
            let items = (0..<Int(random.next() % 4)).map { _ in
                FollowUpPlan.Item(section: FollowUpPlan.Item.Section.allCases[Int(random.next() % 8)], text: text(), rule: text(),
                                  muscleID: random.next() % 2 == 0 ? nil : text(),
                                  side: random.next() % 2 == 0 ? nil : Side.allCases[Int(random.next() % 4)])
            }
            let json = String(decoding: try StoreTransaction.json.encode(items), as: UTF8.self)
            let (fast, decoded) = Self.agrees(json, FollowUpPlan.Item.self)
            #expect(fast != nil && fast == decoded && fast == items, "\(json)")
            let psfs = (0..<Int(random.next() % 4)).map { _ in PSFSItem(activity: text(), score: PSFSScore(unchecked: Int(random.next() % 11))) }
            let pjson = String(decoding: try StoreTransaction.json.encode(psfs), as: UTF8.self)
            let (pfast, pdecoded) = Self.agrees(pjson, PSFSItem.self)
            #expect(pfast != nil && pfast == pdecoded && pfast == psfs, "\(pjson)")
        }
    }

    @Test("a plan's items edited outside Knot to an unknown section: the export is refused naming follow_up_plan, the row and items_json, and leaves no file")
    func tamperedPlanItemsRefuseTheExport() throws {
        let dir = ClinicTestSupport.TemporaryDirectory(prefix: "knot-fast-json-db")
        defer { withExtendedLifetime(dir) {} }
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        _ = try SyntheticClinic.generate(into: db, patients: 12, visitsPerPatient: 2, seed: 4,
                                         today: try LocalDate(year: 2026, month: 6, day: 30))
        try db.close()
        let plan = try #require(SQLiteProbe.query(path, "SELECT id FROM follow_up_plan ORDER BY id LIMIT 1").first?.first)
        // Another program with sqlite3 can drop the trigger that keeps final plans unchanged.
        try StoreProbe.execute(path, "DROP TRIGGER plan_final_immutable")
        try StoreProbe.execute(path, "UPDATE follow_up_plan SET items_json = replace(items_json, '\"section\":\"', '\"section\":\"x') WHERE id = \(plan)")
        let reopened = try ClinicDatabase(path: path, create: false)
        defer { try? reopened.close() }
        let out = ClinicTestSupport.TemporaryDirectory(prefix: "knot-fast-json-out")
        var refusal: Error?
        do { _ = try ClinicSession.maintenance(database: reopened, actor: "test").export(to: out.file("clinic.xml")) } catch { refusal = error }
        guard case .damaged(let table, let row, let column, let problem)? = refusal as? StorageError else {
            Issue.record("not reported as damaged: \(String(describing: refusal))")
            return
        }
        #expect(table == "follow_up_plan" && row == plan && column == "items_json" && problem.contains("not valid JSON"), "\(problem)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [], "nothing is left beside the export")
        withExtendedLifetime(out) {}
    }
}
