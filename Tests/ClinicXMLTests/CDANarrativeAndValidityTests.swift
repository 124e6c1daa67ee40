import Testing
import Foundation
import ClinicModel
import LibXML
@testable import ClinicXML

/// The dense parts of CDA reading: narrative flattening, validity phrases, HL7 dates.
@Suite("CDA narrative and validity")
struct CDANarrativeAndValidityTests {
    private func narrative(_ inner: String) throws -> String {
        let document = try XMLDocument(data: Data("<text xmlns=\"urn:hl7-org:v3\">\(inner)</text>".utf8))
        return CDANarrative.text(of: document.root)
    }

    @Test("Paragraphs, line breaks and inline markup become lines of plain text")
    func paragraphs() throws {
        #expect(try narrative("<paragraph>One\n   two <content styleCode=\"Bold\">three</content>.</paragraph><paragraph>Four<br/>five</paragraph>")
                == "One two three.\nFour\nfive")
        #expect(try narrative("  plain   text  ") == "plain text")
        #expect(try narrative("") == "")
    }

    @Test("Lists: bullets, numbers, nested lists indented, paragraphs inside items")
    func lists() throws {
        let text = try narrative("""
            <list><item>Warfarin<list listType="ordered"><item>5 mg</item><item>INR 2-3</item></list></item>
            <item><paragraph>Aspirin</paragraph></item></list>
            """)
        #expect(text == "- Warfarin\n  1. 5 mg\n  2. INR 2-3\n- Aspirin")
    }

    @Test("Tables: caption, then one line per row with cells joined by |; multimedia dropped")
    func tables() throws {
        let text = try narrative("""
            <table><caption>Meds</caption><thead><tr><th>Drug</th><th>Dose</th></tr></thead>
            <tbody><tr><td><content>Apixaban</content></td><td>5 mg<br/>twice daily</td></tr><tr><td/><td/></tr></tbody></table>
            <renderMultiMedia referencedObject="img1"/><paragraph>After</paragraph>
            """)
        #expect(text == "Meds\nDrug | Dose\nApixaban | 5 mg twice daily\nAfter")
    }

    @Test("Validity phrases: durations, dates in three spellings, session counts")
    func validityPhrases() {
        let date = CDAFixtures.date("2026-01-31")
        func expiry(_ text: String) -> String? { CDAReferralValidity.expiry(in: text, from: date)?.description }
        #expect(expiry("This referral is valid for 12 months.") == "2027-01-31")
        #expect(expiry("Valid for three months") == "2026-04-30", "clamped to the month's end")
        #expect(expiry("A 6-month referral") == "2026-07-31")
        #expect(expiry("valid for 2 weeks") == "2026-02-14")
        #expect(expiry("Valid until 31/03/2027") == "2027-03-31")
        #expect(expiry("expires 2027-02-01") == "2027-02-01")
        #expect(expiry("Expiry: 1st March 2027") == "2027-03-01")
        #expect(expiry("valid until March 5, 2027") == "2027-03-05")
        #expect(expiry("Symptoms for 12 months") == nil)
        #expect(CDAReferralValidity.sessions(in: "up to 5 sessions") == 5)
        #expect(CDAReferralValidity.sessions(in: "Please see for six treatments.") == 6)
        #expect(CDAReferralValidity.sessions(in: "Sessions approved: 10") == 10)
        #expect(CDAReferralValidity.sessions(in: "Review in 3 months") == nil)
    }

    @Test("Values the model refuses are dropped with a warning")
    func checkedValidity() {
        var warnings: [String] = []
        let date = CDAFixtures.date("2026-06-01")
        let (expiry, sessions) = CDAReferralValidity.checked(expiresOn: CDAFixtures.date("2026-05-01"), sessions: 250,
                                                             referralDate: date, warnings: &warnings)
        #expect(expiry == nil)
        #expect(sessions == nil)
        #expect(warnings.count == 2)
    }

    @Test("HL7 timestamps: the sender's calendar date with its precision")
    func timestamps() {
        #expect(CDATime.date("20261102103000+1000")?.date == CDAFixtures.date("2026-11-02"))
        #expect(CDATime.date("20261102")?.precision == .day)
        #expect(CDATime.date("202611")?.precision == .month)
        #expect(CDATime.date("1988")?.date == CDAFixtures.date("1988-01-01"))
        #expect(CDATime.date("19581399") == nil)
        #expect(CDATime.date("abc") == nil)
        #expect(CDATime.adding(12, unit: "mo", to: CDAFixtures.date("2024-02-29")) == CDAFixtures.date("2025-02-28"))
        #expect(CDATime.adding(1, unit: "a", to: CDAFixtures.date("2026-03-10")) == CDAFixtures.date("2027-03-10"))
        #expect(CDATime.adding(1, unit: "furlong", to: CDAFixtures.date("2026-03-10")) == nil)
    }
}
