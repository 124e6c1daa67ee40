import Foundation
import Testing
import ClinicModel
@testable import ClinicXML

/// The validity phrases of a CDA letter's narrative run only the patterns whose words the (ASCII)
/// text holds (issue 19: the regular expressions were the CDA reader's largest cost). Text with
/// other characters than ASCII and inert letters runs every pattern; `narrowing: false` runs
/// every pattern on any text and is the reference.
@Suite struct ValidityWordGateTests {
    static let phrases = [
        "This referral is valid for 12 months.", "Valid for three months", "A 6-month referral", "a 12-MONTH Referral",
        "valid for 2 weeks", "Valid until 31/03/2027", "VALID UNTIL 01/02/2027.", "expires 2027-02-01", "ExPiRy: 2027-03-31",
        "Expiry: 1st March 2027", "valid until March 5, 2027", "Expiry date 5 Mar. 2027", "expires on 12.04.2027",
        "Symptoms for 12 months", "Review in 3 months. Thank you.", "Referral for neck pain.", "Sessions: 7.",
        "2 year referral", "valid through 2027-01-01", "a referral valid for one year", "valid", "expir", "referral month",
        "", "Valid until 30/12/2026. Sessions: 7.", "12 months referral; valid until 31/03/2027",
        "valid until 31/03/2027, a 12-month referral", "expires 2027-02-31", "Valid for 0 days",
    ]

    @Test("the expiry found with the word check is the expiry every pattern finds, for each phrase and pair of phrases")
    func sameAsEveryPattern() throws {
        let date = try LocalDate(year: 2026, month: 1, day: 31)
        var texts = Self.phrases
        for a in Self.phrases { for b in Self.phrases.prefix(12) { texts.append(a + " " + b) } }
        var checked = 0
        for text in texts {
            let gated = CDAReferralValidity.expiry(in: text, from: date)
            let everyPattern = CDAReferralValidity.expiry(in: text, from: date, narrowing: false)
            #expect(gated == everyPattern, "\(text)")
            // Accented and CJK letters (names) are decided by the word check too.
            #expect(CDAReferralValidity.expiry(in: text + " (Zoë, 李芳)", from: date) == gated, "\(text)")
            if gated != nil { checked += 1 }
        }
        #expect(checked > 300)
        #expect(CDAReferralValidity.ASCIIWords("Zoë") != nil)
        // Letters a case-insensitive pattern may match as ASCII are not decided: long s, Kelvin sign, ß, dotless i.
        for letter in ["ſ", "\u{212A}", "ß", "ı", "İ", "ŉ", "ẞ"] { #expect(CDAReferralValidity.ASCIIWords("a" + letter) == nil, "\(letter)") }
        #expect(CDAReferralValidity.ASCIIWords("A 12-MONTH Referral")?.contains("month") == true)
        #expect(CDAReferralValidity.ASCIIWords("A 12-MONTH Referral")?.contains("year") == false)
    }

    @Test("narrative lines and table rows are trimmed as Foundation trims white space")
    func narrativeTrim() {
        let ends = ["", " ", "\t", "\u{A0}", "\u{3000}", "\u{2003}", "a", "é", "|", "\n", "\u{85}", "e\u{301}"]
        var wrong: [String] = []
        for a in ends { for b in ends { for middle in ["", "x", " x | y ", "Zoë"] {
            let text = a + middle + b
            if XMLValueFormat.trimmed(text) != text.trimmingCharacters(in: .whitespaces) { wrong.append(text) }
        } } }
        #expect(wrong.isEmpty, "\(wrong.map { Array($0.unicodeScalars) })")
    }
}
