import Testing
@testable import TerminalKit
import TextCells

@Suite("Display width")
struct DisplayWidthTests {
    @Test func ascii() {
        #expect(displayWidth(of: "") == 0)
        #expect(displayWidth(of: "Trapezius") == 9)
        #expect(displayWidth(of: Character("x")) == 1)
    }

    @Test func accentedLetterComposedAndDecomposed() {
        let composed = "\u{E9}"           // é
        let decomposed = "e\u{301}"       // e + combining acute
        #expect(displayWidth(of: composed) == 1)
        #expect(displayWidth(of: decomposed) == 1)
        #expect(displayWidth(of: "Ren\u{E9}e Dupr\u{E9}") == 11)
        #expect(displayWidth(of: "Rene\u{301}e") == 5)
    }

    @Test func eastAsianWide() {
        #expect(displayWidth(of: "中") == 2)
        #expect(displayWidth(of: "山田太郎") == 8)
        #expect(displayWidth(of: "김민준") == 6)
        #expect(displayWidth(of: "ｱ") == 1, "half-width katakana")
        #expect(displayWidth(of: "Ａ") == 2, "full-width Latin")
    }

    @Test func emoji() {
        #expect(displayWidth(of: "😀") == 2)
        #expect(displayWidth(of: "❤️") == 2, "heart with emoji presentation selector")
        #expect(displayWidth(of: "👍🏽") == 2, "skin tone modifier")
        #expect(displayWidth(of: "👨‍👩‍👧") == 2, "ZWJ family is one grapheme")
        #expect(displayWidth(of: "🇫🇷") == 2, "flag")
    }

    @Test func zeroWidthAndControls() {
        #expect(displayWidth(of: "\u{301}") == 0)
        #expect(displayWidth(of: "\u{200B}") == 0)
        #expect(displayWidth(of: "a\u{1B}b") == 3, "a control counts as its replacement")
        #expect(displayWidth(of: Character("\u{1B}")) == 1)
    }

    @Test func mixed() {
        #expect(displayWidth(of: "Müller 中 😀") == 6 + 1 + 2 + 1 + 2)
    }

    @Test("built-in table agrees with wcwidth on common characters", arguments: [
        "a", "é", "\u{301}", "中", "한", "\u{1161}", "😀", "─", "…", "ｱ", "Ａ", "\u{200B}",
    ])
    func fallbackAgrees(sample: String) {
        let scalar = sample.unicodeScalars.first!
        #expect(fallbackScalarWidth(scalar) == scalarWidth(scalar))
    }
}
