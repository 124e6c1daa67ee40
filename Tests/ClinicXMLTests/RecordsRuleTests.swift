import Foundation
import Testing
import ClinicModel
import LibXML
import ClinicTestSupport
@testable import ClinicXML

/// An export broken one rule at a time: the schema or the Swift rules refuse it, at the right line.
@Suite struct RecordsRuleTests {
    static let today = SampleRecords.day("2026-11-25")

    /// A valid export of the rich patient, as text to break.
    static let valid: String = {
        let data = try! RecordsExportWriter.document(practitioners: SampleRecords.practitioners,
                                                     records: [SampleRecords.fullRecord, SampleRecords.minimalRecord],
                                                     audit: SampleRecords.audit)
        return String(decoding: data, as: UTF8.self)
    }()

    /// The errors reading `text` gives (from `init` or from any `next()`), nil when it reads.
    static func refusal(_ text: String) -> ClinicXMLErrors? {
        do {
            let reader = try RecordsImportReader(data: Data(text.utf8), fileName: "broken.xml", today: today)
            while try reader.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    /// `valid` with the first `old` replaced by `new`, and the line of that place.
    static func breaking(_ old: String, _ new: String) -> (text: String, line: Int) {
        let line = TestFiles.line(of: old, in: valid)!
        let range = valid.range(of: old)!
        return (valid.replacingCharacters(in: range, with: new), line)
    }

    @Test func theValidExportReads() {
        #expect(Self.refusal(Self.valid) == nil)
    }

    struct SchemaCase: CustomTestStringConvertible, Sendable {
        let rule: String, old: String, new: String
        /// Where libxml2 reports it, from the changed line (a missing element is noticed at the next one).
        var lineOffset = 0
        var testDescription: String { rule }
    }

    static let schemaCases: [SchemaCase] = [
        SchemaCase(rule: "NPRS 11", old: #"now="6""#, new: #"now="11""#),
        SchemaCase(rule: "NPRS tenderness 11", old: #"tenderness="7""#, new: #"tenderness="11""#),
        SchemaCase(rule: "FPI item 3", old: #"items="2 1 -2 0 -1 2""#, new: #"items="3 1 -2 0 -1 2""#),
        SchemaCase(rule: "FPI with five items", old: #"items="2 1 -2 0 -1 2""#, new: #"items="2 1 -2 0 -1""#),
        SchemaCase(rule: "needle gauge 0.5", old: #"gauge="0.25""#, new: #"gauge="0.5""#),
        SchemaCase(rule: "needle length 200", old: #"length="40""#, new: #"length="200""#),
        SchemaCase(rule: "needles inserted 0", old: #"needlesInserted="2""#, new: #"needlesInserted="0""#),
        SchemaCase(rule: "needles inserted 51", old: #"needlesInserted="2""#, new: #"needlesInserted="51""#),
        SchemaCase(rule: "unknown side", old: #"side="left""#, new: #"side="sinister""#),
        SchemaCase(rule: "unknown technique", old: #"technique="pistoning""#, new: #"technique="acupuncture""#),
        SchemaCase(rule: "unknown adverse event", old: #"kind="bruising""#, new: #"kind="hiccups""#),
        SchemaCase(rule: "unknown severity", old: #"severity="serious""#, new: #"severity="catastrophic""#),
        SchemaCase(rule: "unknown precaution", old: #"precaution="anticoagulant""#, new: #"precaution="vegan""#),
        SchemaCase(rule: "strength grade 6", old: #"grade="4""#, new: #"grade="6""#),
        SchemaCase(rule: "sessions allowed 0", old: #"sessionsAllowed="5""#, new: #"sessionsAllowed="0""#),
        SchemaCase(rule: "date not xs:date", old: #"dateOfBirth="1980-02-29""#, new: #"dateOfBirth="29/02/1980""#),
        SchemaCase(rule: "impossible date", old: #"dateOfBirth="1980-02-29""#, new: #"dateOfBirth="1981-02-29""#),
        SchemaCase(rule: "instant not in UTC", old: #"startedAt="2026-06-02T09:00:00.000Z""#, new: #"startedAt="2026-06-02T09:00:00.000+10:00""#),
        SchemaCase(rule: "muscle id not a slug", old: #"muscle="soleus""#, new: #"muscle="Soleus muscle""#),
        SchemaCase(rule: "missing required element", old: "<givenNames>Zoë Ann</givenNames>", new: "", lineOffset: 1),
        SchemaCase(rule: "missing required attribute", old: #" sharpsDisposed="true""#, new: ""),
        SchemaCase(rule: "unknown element", old: "<complaint>", new: "<mood>calm</mood><complaint>"),
        SchemaCase(rule: "hash not SHA-256 hex", old: #"hash=""#, new: #"hash="XYZ"#),
        SchemaCase(rule: "id zero", old: #"<visit id="41""#, new: #"<visit id="0""#),
    ]

    @Test(arguments: schemaCases)
    func theSchemaRefusesWithTheLine(_ c: SchemaCase) throws {
        let (text, line) = Self.breaking(c.old, c.new)
        let errors = try #require(Self.refusal(text), "\(c.rule) was accepted")
        #expect(errors.errors.contains { $0.kind == .invalid }, "\(errors)")
        #expect(errors.errors.contains { $0.line == line + c.lineOffset }, "expected line \(line + c.lineOffset): \(errors)")
        #expect(errors.description.contains("broken.xml:\(line + c.lineOffset): "))
    }

    struct RuleCase: CustomTestStringConvertible, Sendable {
        let rule: String, old: String, new: String, says: String
        var testDescription: String { rule }
    }

    static let ruleCases: [RuleCase] = [
        RuleCase(rule: "more needles removed than inserted", old: #"needlesInserted="2" needlesRemoved="2""#,
                 new: #"needlesInserted="2" needlesRemoved="3""#, says: "needlesRemoved"),
        RuleCase(rule: "duplicate visit id", old: #"<visit id="42""#, new: #"<visit id="41""#, says: "visit id 41 appears twice"),
        RuleCase(rule: "duplicate practitioner id", old: #"<practitioner id="2""#, new: #"<practitioner id="1""#,
                 says: "practitioner id 1 appears twice"),
        RuleCase(rule: "duplicate needling id", old: #"<needling id="92""#, new: #"<needling id="91""#,
                 says: "needling entry id 91 appears twice"),
        RuleCase(rule: "duplicate record number", old: "<recordNumber>K00102</recordNumber>",
                 new: "<recordNumber>K00101</recordNumber>", says: "record number 'K00101' appears twice"),
        RuleCase(rule: "practitioner not in the file", old: #"<consent id="21" practitioner="1""#,
                 new: #"<consent id="21" practitioner="99""#, says: "practitioner 99"),
        RuleCase(rule: "visit names another patient's referral", old: #"referral="11""#, new: #"referral="77""#,
                 says: "referral 77"),
        RuleCase(rule: "plan for a visit not in the record", old: #"<plan id="112" visit="42""#,
                 new: #"<plan id="112" visit="43""#, says: "visit 43"),
        RuleCase(rule: "precaution alert without its precaution", old: #"kind="precaution" precaution="anticoagulant""#,
                 new: #"kind="precaution""#, says: "must name its precaution"),
        RuleCase(rule: "allergy alert naming a precaution", old: #"kind="allergy""#,
                 new: #"kind="allergy" precaution="pregnancy""#, says: "only a precaution alert"),
        RuleCase(rule: "electrical settings on a static needle", old: #"<needling id="92""#, new: #"<needling id="92""#,
                 says: "electrical settings"),
        RuleCase(rule: "altered original letter", old: "sha256=\"\(LetterDigest.sha256Hex(SampleRecords.letter))\"",
                 new: "sha256=\"\(String(repeating: "0", count: 64))\"", says: "does not match its SHA-256"),
        RuleCase(rule: "muscle not in the catalogue", old: #"muscle="soleus""#, new: #"muscle="flexor-nonexistens""#,
                 says: "not a muscle in Knot's catalogue"),
        RuleCase(rule: "consent without fainting explained", old: #"risksExplained="bruising soreness fainting""#,
                 new: #"risksExplained="bruising soreness""#, says: "fainting"),
        RuleCase(rule: "severe adverse event without action", old: #"<action>Ambulance called</action>"#, new: "",
                 says: "needs the action taken"),
        RuleCase(rule: "over-lung needling without depth", old: #"depthMm="7""#, new: "", says: "lung fields"),
    ]

    @Test(arguments: ruleCases)
    func swiftRulesRefuseWithTheLine(_ c: RuleCase) throws {
        var (text, line) = Self.breaking(c.old, c.new)
        if c.rule == "electrical settings on a static needle" {
            // Settings go after <needle>, where the schema allows them.
            text = text.replacingOccurrences(of: #"(<lot>L-7</lot>\s*</needle>)"#, with: "$1<electricalSettings>5 Hz</electricalSettings>",
                                             options: .regularExpression)
            #expect(text != Self.valid)
        }
        if c.rule == "severe adverse event without action" || c.rule == "over-lung needling without depth" {
            line = TestFiles.line(of: #"<needling id="92""#, in: Self.valid)!
        }
        let errors = try #require(Self.refusal(text), "\(c.rule) was accepted")
        #expect(!errors.errors.contains { $0.kind == .invalid }, "the schema refused it: \(errors)")
        let match = errors.errors.first { $0.message.contains(c.says) }
        #expect(match != nil, "expected '\(c.says)': \(errors)")
        #expect(match?.line == line, "expected line \(line): \(errors)")
        #expect(match?.path?.hasPrefix("/clinicRecords/") == true)
    }

    @Test func afterARefusedRecordTheNextOneIsRead() throws {
        var text = Self.valid.replacingOccurrences(of: #"<needling id="92""#, with: #"<needling id="91""#)
        text = text.replacingOccurrences(of: "<recordNumber>K00102</recordNumber>", with: "<recordNumber>K00101</recordNumber>")
        let reader = try RecordsImportReader(data: Data(text.utf8), fileName: "two.xml", today: Self.today)
        var refusals: [ClinicXMLErrors] = [], audit = 0
        while true {
            do {
                guard let item = try reader.next() else { break }
                if case .audit = item { audit += 1 }
            } catch {
                refusals.append(error)
            }
        }
        #expect(refusals.count == 2, "a dry run lists every broken record: \(refusals)")
        #expect(audit == SampleRecords.audit.count)
    }

    @Test func anotherRootIsNotAClinicExport() throws {
        let errors = try #require(Self.refusal(#"<clinicRecords xmlns="urn:other:1" version="1"/>"#))
        #expect(errors.errors.map(\.kind) == [.unknownFormat])
    }

    @Test func aDoctypeIsRefusedBeforeAnything() throws {
        let errors = try #require(Self.refusal(#"<!DOCTYPE x [<!ENTITY e "boom">]>"# + "\n" + Self.valid.split(separator: "\n", maxSplits: 1)[1]))
        #expect(errors.errors.first?.kind == .unreadable)
    }

    @Test(arguments: HostileXMLCorpus.cases(rootName: "clinicRecords", namespace: "urn:knot:records:1"))
    func hostileExportsAreRefused(_ hostile: HostileXMLCorpus.Case) throws {
        let errors: ClinicXMLErrors?
        do {
            let reader = try RecordsImportReader(data: hostile.data, fileName: "hostile.xml", today: Self.today)
            while try reader.next() != nil {}
            errors = nil
        } catch {
            errors = error
        }
        if hostile.expectation == .acceptable {
            #expect(errors?.errors.allSatisfy { $0.kind != .unreadable } ?? true, "\(hostile.name): \(errors!)")
        } else {
            #expect(errors != nil, "\(hostile.name) was accepted")
        }
        #expect(!(errors?.description.contains(HostileXMLCorpus.leakedPasswdMarker) ?? false))
    }
}
