import Foundation
import Testing
import SeededRandom  // SplitMix64(state:): the same sequence on every platform, so a failure can be replayed
@testable import ClinicModel

/// `Patient.validate` reads ASCII phone numbers and identifiers as bytes, and the model's checks
/// look for control characters in UTF-8 bytes (issue 19, session 16): every value must pass or
/// fail exactly as it did through `Character`s and Unicode scalars.
@Suite struct PatientCheckBytesTests {
    /// Every ASCII character (controls too), CR LF, and letters beyond ASCII where characters and
    /// bytes part: a combining mark, full-width and Arabic-Indic digits, a no-break space, NEL.
    static let palette: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        + ["\r\n", "0", "1", "8", "3", "6", " ", "+", "(", ")", "-", "\u{301}", "１", "٣", "\u{A0}", "\u{85}", "\u{2003}", "é"]

    static func randomValues() -> [String] {
        var rng = SplitMix64(state: 0x5048_4F4E)
        var values = ["", "8003608166690503", "8003 6081 6669 0503", "2953 12345 1", "29531234511", "+61 (2) 9999-0000",
                      "02 9999 0000\r\n", "12345", "123456", "８００３６０８１６６６９０５０３", "0412\u{301}345678"]
        let digits = ["0", "1", "2", "3", "5", "6", "8", "9"]
        for _ in 0..<20_000 {
            var value = ""
            // Lengths near the limits (6 + 10 is an IHI's 16), mostly digits, a few other characters.
            let length = Bool.random(using: &rng) ? [5, 6, 9, 10, 11, 12, 16].randomElement(using: &rng)! : Int.random(in: 0...20, using: &rng)
            for _ in 0..<length {
                value += Int.random(in: 0..<12, using: &rng) == 0 ? palette.randomElement(using: &rng)! : digits.randomElement(using: &rng)!
            }
            if Bool.random(using: &rng) { value = "800360" + value }
            values.append(value)
        }
        return values
    }

    @Test("phone numbers: digits, spaces, + - ( ) only and six digits, as through Characters")
    func phone() {
        var passed = 0
        for value in Self.randomValues() {
            let before = value.allSatisfy({ $0.isASCIIDigit || " +-()".contains($0) }) && value.filter(\.isASCIIDigit).count >= 6
            #expect(Patient.isPhoneNumber(value) == before, "\(Array(value.unicodeScalars))")
            if before { passed += 1 }
        }
        #expect(passed > 1_000)
    }

    @Test("identifiers: IHI and Medicare numbers with their white space left out, as through Characters")
    func identifiers() throws {
        var ihi = 0, medicare = 0
        for value in Self.randomValues() {
            let digits = value.filter { !$0.isWhitespace }
            let found = PatientIdentifier.digitsIgnoringWhiteSpace(value)
            #expect(found.count == digits.count && found.allDigits == digits.allSatisfy(\.isASCIIDigit)
                    && String(found.text) == digits, "\(Array(value.unicodeScalars))")
            // Through the check itself: the same verdict as the rule written with Characters.
            let ihiBefore = digits.count == 16 && digits.allSatisfy(\.isASCIIDigit) && digits.hasPrefix("800360")
            #expect(Self.accepted(.ihi, value) == (ihiBefore && Self.otherRulesPass(value)), "\(Array(value.unicodeScalars))")
            let medicareBefore = (10...11).contains(digits.count) && digits.allSatisfy(\.isASCIIDigit)
            #expect(Self.accepted(.medicare, value) == (medicareBefore && Self.otherRulesPass(value)), "\(Array(value.unicodeScalars))")
            if ihiBefore { ihi += 1 }
            if medicareBefore { medicare += 1 }
        }
        #expect(ihi > 100 && medicare > 300)
    }

    static func accepted(_ system: PatientIdentifier.System, _ value: String) -> Bool {
        (try? PatientIdentifier(system: system, value: value).validate(field: "id")) != nil
    }

    /// Whether the value passes the checks every identifier has (given, one line, 64 characters).
    static func otherRulesPass(_ value: String) -> Bool {
        accepted(.other("x"), value)
    }

    @Test("control characters found in UTF-8 bytes as among Unicode scalars, in one-line fields and free text")
    func controls() {
        // Every C0 control, DEL, every C1 control, and characters whose UTF-8 is near theirs
        // (U+00A0-U+00FF start C2/C3; U+0100 and up; CR LF; a combining mark after a control).
        var palette: [String] = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\u{7F}", "\r\n", "\n\u{301}", " ", "a", "é", "李", "👍🏽"]
        palette += (0x80...0xBF).map { String(Character(Unicode.Scalar($0)!)) } + ["\u{C2}", "\u{C3}", "\u{100}", "\u{2028}", "\u{FEFF}"]
        var rng = SplitMix64(state: 0x4354_524C)
        var values = palette
        for _ in 0..<20_000 {
            var value = ""
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                value += Bool.random(using: &rng) ? palette.randomElement(using: &rng)! : "word"
            }
            values.append(value)
        }
        var controls = 0
        for value in values {
            let anyControl = value.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
            let freeControl = value.unicodeScalars.contains {
                ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && $0 != "\n" && $0 != "\t" && $0 != "\r"
            }
            #expect(Validator.holdsControl(value, besidesLineBreaksAndTabs: false) == anyControl, "\(Array(value.unicodeScalars))")
            #expect(Validator.holdsControl(value, besidesLineBreaksAndTabs: true) == freeControl, "\(Array(value.unicodeScalars))")
            if freeControl { controls += 1 }
        }
        #expect(controls > 2_000)
    }
}
