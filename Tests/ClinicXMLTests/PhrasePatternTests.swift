import Foundation
import Testing
import SeededRandom  // SplitMix64(state:): the same sequence on every platform, so a failure can be replayed
import ClinicModel
@testable import ClinicXML

/// The validity phrases of a letter are matched on its letters (`CDAPhrasePattern`) instead of
/// through ICU (issue 19, session 16): the first match and its groups must be exactly what
/// `NSRegularExpression` finds, case-insensitively, on the text itself, for every pattern the
/// reader uses, on every text `ASCIIWords` reads.
@Suite struct PhrasePatternTests {
    /// What ICU finds: the groups of the first match, lower-cased ("" for a group that took no part).
    static func icu(_ regex: NSRegularExpression, _ text: String) -> [String]? {
        guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]).lowercased() } ?? ""
        }
    }

    /// Pieces where a hand-made matcher could differ from ICU: every word and number the patterns
    /// name, near misses, each ASCII white space and control, word characters that end a `\b`
    /// (`_`, digits), inert letters (word letters, and × ÷ that are not), punctuation.
    static let pieces = [
        "valid", "Valid", "VALID", "invalid", "validity", "for", "a period of", "until", "till", "through", "to", "expires",
        "expire", "expiry", "Expiry Date", "on", "12", "3", "100", "1000", "2027", "1234", "twelve", "six", "twenty-four",
        "Twenty-Four", "twenty", "one", "eight", "eighteen", "seventeen", "month", "months", "year", "years", "week", "day",
        "days", "referral", "Referral", "referrals", "-", ":", "=", ".", ",", "/", "_", "31/03/2027", "1.4.2027", "2027-03-31",
        "2027-3-31", "12345-", "March 5, 2027", "5th Mar. 2027", "1st March 2027", "mar", "Septembre", "june", "session",
        "Sessions", "SESSIONS", "treatment", "treatments", "visit", "visits", "consultations", "appointment", "more", "further",
        "physio", "physiotherapy", "allied", "health", "allowed", "approved", "authorised", "authorized", "up to", "x", "revisit",
        "Zoë", "李芳", "Nguyễn", "Élodie", "×", "÷", "é", "Ÿ", "ĸ",
    ]
    static let gaps = [
        " ", "  ", "", "", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\r", "\u{1C}", "\u{1F}", "\u{7F}", "\u{01}", "-", ".", "_",
        "é", "×", ",", "/",
    ]

    @Test("every pattern the reader uses is read by CDAPhrasePattern (none falls back to ICU)")
    func everyPatternCompiles() {
        for pattern in CDAReferralValidity.patterns {
            #expect(CDAPhrasePattern(pattern) != nil, "\(pattern)")
        }
        // What it does not read, it refuses (the caller then uses ICU).
        for pattern in ["a.b", "[^a]", "a+?", "(?i)a", "\\w", "a{2,", "[a-", "(a", "a)", "\\p{L}", "[[a]]", "a??"] {
            #expect(CDAPhrasePattern(pattern) == nil, "\(pattern)")
        }
    }

    @Test("the first match and its groups are ICU's, for every pattern, on random phrases")
    func sameAsICU() throws {
        var rng = SplitMix64(state: 0x5048_5241)
        var texts = ValidityWordGateTests.phrases
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...7, using: &rng) {
                text += Self.pieces.randomElement(using: &rng)! + Self.gaps.randomElement(using: &rng)!
            }
            texts.append(text)
        }
        let patterns = CDAReferralValidity.patterns + [
            // Shapes the reader's patterns do not use, so that the matcher's rules are checked beyond them.
            "(a|ab)(c|bcd)(d*)", "\\b(\\d{2,3})\\b", "(x)?y", "([a-c]+)-(\\d+)", "(?:ab|a)(b?)c",
        ]
        var matched = 0, compared = 0
        for pattern in patterns {
            let phrase = try #require(CDAPhrasePattern(pattern))
            let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            for text in texts + ["abcd", "abbcd", "y", "xy", "abc-12", "a12 345 6789", "ac", "abc", "ABBC"] {
                guard let words = CDAReferralValidity.ASCIIWords(text) else { continue }
                let expected = Self.icu(regex, text)
                #expect(phrase.firstMatch(in: words.lowered) == expected, "\(pattern) on \(Array(text.unicodeScalars))")
                compared += 1
                if expected != nil { matched += 1 }
            }
        }
        #expect(compared > 30_000)
        #expect(matched > 1_500)
    }

    @Test("a letter's validity is found on its letters as before: expiry and sessions from the narrative")
    func letterValidity() throws {
        let date = try LocalDate(year: 2026, month: 7, day: 3)
        let found = CDAReferralValidity.fromNarrative(
            ["Thank you for seeing Zoë. Jaw pain.", "Valid until 30/12/2026. Sessions: 7."], referralDate: date)
        #expect(found.expiresOn?.description == "2026-12-30")
        #expect(found.sessions == 7)
        let words = CDAReferralValidity.fromNarrative(["A twelve-month referral for up to Six physio sessions (李芳)."], referralDate: date)
        #expect(words.expiresOn?.description == "2027-07-03")
        #expect(words.sessions == 6)
        // Text ASCIIWords does not read (a long s) goes through ICU, with the same answer.
        let other = CDAReferralValidity.fromNarrative(["Valid for 3 months, 5 ſessions or 4 visits"], referralDate: date)
        #expect(other.expiresOn?.description == "2026-10-03")
        #expect(other.sessions == 5)  // ICU reads the long s as an s
    }

    @Test("long hostile text (runs of white space, digits, near-misses) gives ICU's answer")
    func longText() throws {
        let texts = [
            "1" + String(repeating: " ", count: 200_000) + "sessions",
            String(repeating: "12 \t", count: 50_000) + "visits",
            String(repeating: "valid for ", count: 20_000) + "3 months",
            String(repeating: "expires 2027-", count: 10_000) + "expires 2027-03-31",
            String(repeating: "9", count: 100_000),
        ]
        for text in texts {
            let words = try #require(CDAReferralValidity.ASCIIWords(text))
            for pattern in CDAReferralValidity.patterns {
                let phrase = try #require(CDAPhrasePattern(pattern))
                let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                #expect(phrase.firstMatch(in: words.lowered) == Self.icu(regex, text), "\(pattern) on \(text.prefix(40))…")
            }
        }
    }
}
