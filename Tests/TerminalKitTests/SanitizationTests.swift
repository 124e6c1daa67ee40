import Testing
import TerminalKit

@Suite("Sanitisation")
struct SanitizationTests {
    @Test func escapeSequenceInsideAName() {
        let name = "Smith\u{1B}[2J\u{1B}]0;owned\u{07}"
        let clean = sanitizedForTerminal(name)
        #expect(!clean.unicodeScalars.contains("\u{1B}"))
        #expect(!clean.unicodeScalars.contains("\u{07}"))
        #expect(clean == "Smith\u{FFFD}[2J\u{FFFD}]0;owned\u{FFFD}")
    }

    @Test func everyControlIsReplaced() {
        for value in Array(0x00...0x1F) + Array(0x7F...0x9F) {
            let scalar = Unicode.Scalar(UInt32(value))!
            let clean = sanitizedForTerminal("a" + String(Character(scalar)) + "b")
            #expect(clean == "a\u{FFFD}b", "U+\(String(value, radix: 16))")
        }
    }

    @Test func lineBreaksAndBidiOverrides() {
        #expect(sanitizedForTerminal("a\r\nb") == "a\u{FFFD}\u{FFFD}b")
        #expect(sanitizedForTerminal("abc\u{202E}fed") == "abc\u{FFFD}fed")
        #expect(sanitizedForTerminal("x\u{2066}y\u{2069}") == "x\u{FFFD}y\u{FFFD}")
        #expect(sanitizedForTerminal("a\u{2028}b") == "a\u{FFFD}b")
    }

    @Test func safeTextIsUnchanged() {
        let text = "Dr. Ünal – 山田 😀 e\u{301} 👨‍👩‍👧"
        #expect(sanitizedForTerminal(text) == text)
        #expect(Array(sanitizedForTerminal(text).unicodeScalars) == Array(text.unicodeScalars))
    }

    @Test func bufferNeverLetsAnEscapeThrough() {
        var frame = ScreenBuffer(rows: 2, columns: 20)
        frame.put("Ann\u{1B}[2J\u{9B}31m", row: 0, column: 0)
        #expect(frame.lines[0] == "Ann\u{FFFD}[2J\u{FFFD}31m")

        var renderer = Renderer(colorPolicy: .color)
        _ = renderer.render(ScreenBuffer(rows: 2, columns: 20))
        let output = String(decoding: renderer.render(frame), as: UTF8.self)
        #expect(!output.contains("\u{1B}[2J"))
        #expect(!output.unicodeScalars.contains("\u{9B}"))
    }
}

@Suite("sanitizing for the terminal, kept lines and escapes")
struct SanitizingStylesTests {
    @Test("printed lines keep newlines and tabs; C0, C1, bidi and separators are replaced")
    func keepingLineBreaks() {
        let text = "a\tb\nc\u{1B}[2J\u{9B}31m\u{85}\u{202E}\u{2066}\u{2028}\r"
        #expect(sanitizedForTerminal(text, keepingLineBreaks: true, as: .replace("?")) == "a\tb\nc?[2J?31m?????")
    }

    @Test("an original letter shown on a terminal: every control escaped visibly, nothing lost")
    func escaping() {
        let text = "CSI \u{9B}31m NEL \u{85} RLO \u{202E} ESC \u{1B} tab\tok\n"
        #expect(sanitizedForTerminal(text, keepingLineBreaks: true, as: .escape)
            == "CSI \\u{009B}31m NEL \\u{0085} RLO \\u{202E} ESC \\u{001B} tab\tok\n")
    }
}
