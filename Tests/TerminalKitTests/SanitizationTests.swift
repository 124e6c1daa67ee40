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
