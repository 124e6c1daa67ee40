import Testing
import Foundation
import LibXML
import ClinicModel
@testable import ClinicXML

/// Reading a letter takes byte-level shortcuts for ASCII text (issue 19: far less work per byte).
/// Each shortcut must give exactly what the general path gives; these tests hold the general
/// path's definitions as they were and compare, on the characters where the two could differ.
@Suite("Letter reading: ASCII shortcuts give what the general path gives")
struct LetterReadingFastPathTests {
    /// The definitions before the shortcuts (Foundation and `Character`s only).
    private enum Reference {
        static func withoutControls(_ s: String) -> String {
            String(s.filter { ch in
                ch == "\n" || ch == "\r\n" || ch == "\t" || !ch.unicodeScalars.contains { $0.properties.generalCategory == .control }
            })
        }
        static func trimmed(_ s: String) -> String? {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        static func collapsed(_ s: String) -> String? {
            trimmed(withoutControls(s).split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
        }
    }

    /// Short strings built from the characters that matter: every ASCII byte, C1 controls, CR LF,
    /// non-breaking and ideographic spaces, accents, and plain words.
    private static let samples: [String] = {
        var pieces: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        pieces += ["\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{A0}x", "\r\n", "\u{3000}", "é", "e\u{301}", "\u{2028}",
                   "Warfarin", "  5 mg  ", "XARELTO20mg", "Déjà vu", "李"]
        var result = pieces
        for (i, a) in pieces.enumerated() {
            result.append("ab" + a + "cd")
            result.append(a + "Word " + pieces[(i * 7 + 3) % pieces.count])
            result.append(" " + a + " ")
        }
        result += ["", " ", "\t\n", "plain text", " Dear colleague,\n   thank you ", "Valid until 01/02/2027.\r\nSessions: 5"]
        return result
    }()

    @Test("Controls, trimming and collapsing white space")
    func textValues() {
        for s in Self.samples {
            #expect(s.cdaWithoutControls == Reference.withoutControls(s), "\(Array(s.unicodeScalars))")
            #expect(s.cdaTrimmed == Reference.trimmed(s), "\(Array(s.unicodeScalars))")
            #expect(s.cdaCollapsed == Reference.collapsed(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test("The words an alert is matched on: ASCII without Foundation, the same words")
    func alertWords() {
        for s in Self.samples {
            #expect(ReferralAlertDetector.words(s) == ReferralAlertDetector.foldedWords(s), "\(Array(s.unicodeScalars))")
            if s.utf8.allSatisfy({ $0 < 0x80 }) {
                #expect(ReferralAlertDetector.asciiWords(s) != nil)
            } else {
                #expect(ReferralAlertDetector.asciiWords(s) == nil)
            }
        }
    }

    @Test("Narrative text with controls, CR LF and C1 characters flattens as before")
    func narrativeControls() throws {
        // &#13; and &#x85; reach the text as characters; a C0 control cannot be written in XML 1.0.
        let inner = "<paragraph>One&#13;&#10;two&#13;three\u{85}four\u{A0}five</paragraph><paragraph>\tsix  seven\n</paragraph>"
        let document = try XMLDocument(data: Data("<text xmlns=\"urn:hl7-org:v3\">\(inner)</text>".utf8))
        let text = CDANarrative.text(of: document.root)
        // The general path: controls dropped (a lone CR too), CR LF and white space made spaces.
        #expect(text == "One twothreefour five\nsix seven")
        var expected: [String] = []
        for paragraph in document.root.elements {
            var line = ""
            for ch in Reference.withoutControls(paragraph.textContent) { line.append(ch.isWhitespace ? " " : ch) }
            expected.append(line.split(separator: " ").joined(separator: " "))
        }
        #expect(text == expected.joined(separator: "\n"))
    }

    @Test("A letter's SHA-256 is still 64 lower-case hex digits, leading zeros kept")
    func digestHex() {
        #expect(LetterDigest.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(LetterDigest.sha256Hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(LetterDigest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test("Validity phrases: the word check before the patterns finds what the patterns find, in any case")
    func validityWordCheck() throws {
        let date = try LocalDate(year: 2026, month: 11, day: 2)
        #expect(CDAReferralValidity.expiry(in: "VALID UNTIL 01/02/2027.", from: date)?.description == "2027-02-01")
        #expect(CDAReferralValidity.expiry(in: "ExPiRy: 2027-03-31", from: date)?.description == "2027-03-31")
        #expect(CDAReferralValidity.expiry(in: "a 12-MONTH Referral", from: date)?.description == "2027-11-02")
        #expect(CDAReferralValidity.expiry(in: "Review in 3 months. Thank you.", from: date) == nil)
        #expect(CDAReferralValidity.sessions(in: "5 SESSIONS") == 5)
        #expect(CDAReferralValidity.sessions(in: "Up to six Consultations") == 6)
        #expect(CDAReferralValidity.sessions(in: "Review in 3 months") == nil)
        // ASCII text (and accented or CJK letters) is decided by the word check; other text goes to the patterns.
        #expect(CDAReferralValidity.asciiText("Review in 3 months", lacksAllOf: ["valid"]))
        #expect(!CDAReferralValidity.asciiText("Valid for 3 months", lacksAllOf: ["valid"]))
        #expect(CDAReferralValidity.asciiText("Révision in 3 months", lacksAllOf: ["valid"]))
        #expect(!CDAReferralValidity.asciiText("Reviſion in 3 months", lacksAllOf: ["valid"]))
        #expect(CDAReferralValidity.expiry(in: "Válid until 01/02/2027; expiry 2027-02-01", from: date)?.description == "2027-02-01")
    }

    @Test("Section titles find the same kind byte by byte as through Foundation")
    func sectionTitles() {
        func reference(_ title: String) -> String? {
            let lowered = title.lowercased()
            return CDACodes.sectionTitleRules.first { rule in rule.words.contains { lowered.contains($0) } }?.kind
        }
        let titles = ["Reason for referral", "REFERRAL DETAIL", "Current medications", "Allergies and adverse reactions",
                      "Past medical history", "History", "Social history", "Plan", "Goals", "Examination findings",
                      "Referral", "Notes", "", "Médication actuelle", "Allergies (Überempfindlichkeit)", "既往歴 history",
                      "Prescription", "A", "reason"]
        for title in titles {
            #expect(CDACodes.sectionKind(forTitle: title) == reference(title), "\(title)")
        }
        #expect(CDACodes.sectionKind(forTitle: "Current medications") == "medications")
        #expect(CDACodes.sectionKind(forTitle: "Notes") == nil)
    }
}
