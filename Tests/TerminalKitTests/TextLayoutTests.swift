import Testing
import TerminalKit

@Suite("Text layout")
struct TextLayoutTests {
    @Test func truncated() {
        #expect(TextLayout.truncated("Supraspinatus", toWidth: 8) == "Suprasp…")
        #expect(TextLayout.truncated("Supraspinatus", toWidth: 8, ellipsis: false) == "Supraspi")
        #expect(TextLayout.truncated("short", toWidth: 8) == "short")
        #expect(TextLayout.truncated("山田太郎", toWidth: 4) == "山…")
        #expect(TextLayout.truncated("anything", toWidth: 0) == "")
    }

    @Test func padded() {
        #expect(TextLayout.padded("ab", toWidth: 5) == "ab   ")
        #expect(TextLayout.padded("ab", toWidth: 5, alignment: .right) == "   ab")
        #expect(TextLayout.padded("中", toWidth: 5, alignment: .center) == " 中  ")
        #expect(displayWidth(of: TextLayout.padded("山田太郎", toWidth: 5)) == 5)
    }

    @Test func wrapsWordsAndLongWords() {
        #expect(TextLayout.wrapped("dry needling of the upper trapezius", width: 12)
            == ["dry needling", "of the upper", "trapezius"])
        #expect(TextLayout.wrapped("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrapped("中文字符", width: 3) == ["中", "文", "字", "符"])
    }

    @Test func keepsLineBreaksAndEmptyLines() {
        #expect(TextLayout.wrapped("one\r\ntwo\n\nthree\rfour", width: 10) == ["one", "two", "", "three", "four"])
        #expect(TextLayout.wrapped("", width: 10) == [""])
        #expect(TextLayout.wrapped("a\tb", width: 10) == ["a b"])
        #expect(TextLayout.wrapped("x", width: 0) == [])
    }

    @Test func wrappedLinesAreSanitised() {
        #expect(TextLayout.wrapped("a\u{1B}[2J", width: 10) == ["a\u{FFFD}[2J"])
    }
}
