import Testing
import SeededRandom
import TerminalKit

/// Every wide cell has its continuation to the right and every continuation a wide cell to
/// its left: no half of a wide character anywhere.
func wideCharactersAreWhole(_ buffer: ScreenBuffer) -> Bool {
    for row in 0..<buffer.rows {
        for column in 0..<buffer.columns {
            let cell = buffer[row, column]
            if cell.width == 2 {
                guard column + 1 < buffer.columns, buffer[row, column + 1].isContinuation else { return false }
            }
            if cell.isContinuation {
                guard column > 0, buffer[row, column - 1].width == 2 else { return false }
            }
        }
    }
    return true
}

@Suite("Screen buffer")
struct ScreenBufferTests {
    @Test func putClipsAtTheRightEdge() {
        var buffer = ScreenBuffer(rows: 1, columns: 10)
        let used = buffer.put("Hello, world", row: 0, column: 0)
        #expect(buffer.text == "Hello, wor")
        #expect(used == 10)
    }

    @Test func putWithinMaxWidth() {
        var buffer = ScreenBuffer(rows: 1, columns: 10)
        #expect(buffer.put("abcdef", row: 0, column: 2, maxWidth: 3) == 3)
        #expect(buffer.text == "  abc")
    }

    @Test func ellipsisOnlyWhenCut() {
        var buffer = ScreenBuffer(rows: 2, columns: 10)
        buffer.put("abcdef", row: 0, column: 0, maxWidth: 4, overflow: .ellipsis)
        buffer.put("abcd", row: 1, column: 0, maxWidth: 4, overflow: .ellipsis)
        #expect(buffer.lines == ["abc…", "abcd"])
    }

    @Test func wideCharacterNeverHalfAtTheEdge() {
        var buffer = ScreenBuffer(rows: 4, columns: 5)
        #expect(buffer.put("中文字", row: 0, column: 0) == 4)
        #expect(buffer.put("中文字", row: 1, column: 0, maxWidth: 4, overflow: .ellipsis) == 3)
        #expect(buffer.put("中文字", row: 2, column: 0, overflow: .ellipsis) == 5)
        #expect(buffer.put("中", row: 3, column: 4) == 0)
        #expect(buffer.lines == ["中文", "中…", "中文…", ""])
        #expect(buffer[0, 4] == .blank)
        #expect(wideCharactersAreWhole(buffer))
    }

    @Test func narrowWidthsWithEllipsis() {
        var buffer = ScreenBuffer(rows: 3, columns: 10)
        buffer.put("Nakamura", row: 0, column: 0, maxWidth: 1, overflow: .ellipsis)
        buffer.put("Nakamura", row: 1, column: 0, maxWidth: 0, overflow: .ellipsis)
        buffer.put("中文", row: 2, column: 0, maxWidth: 2, overflow: .ellipsis)
        #expect(buffer.lines == ["…", "", "…"])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var right = ScreenBuffer(rows: 1, columns: 6)
        right.put("中", row: 0, column: 0)
        right.put("x", row: 0, column: 1)
        #expect(right.text == " x")

        var left = ScreenBuffer(rows: 1, columns: 6)
        left.put("中", row: 0, column: 0)
        left.put("x", row: 0, column: 0)
        #expect(left.text == "x")
        #expect(!left[0, 1].isContinuation)

        var shifted = ScreenBuffer(rows: 1, columns: 6)
        shifted.put("中文", row: 0, column: 0)
        shifted.put("字", row: 0, column: 1)
        #expect(shifted.text == " 字")
        #expect(wideCharactersAreWhole(shifted))
    }

    @Test func randomDrawingKeepsWideCharactersWhole() {
        var generator = SplitMix64(state: 7)
        let pieces = ["中", "ab", "文字", "x", "😀", "e\u{301}", "──", "山田 太郎", "…"]
        var buffer = ScreenBuffer(rows: 3, columns: 9)
        for _ in 0..<500 {
            let text = pieces[Int(generator.next() % UInt64(pieces.count))]
            let row = Int(generator.next() % 3)
            let column = Int(generator.next() % 11) - 1
            if generator.next() % 5 == 0 {
                buffer.fill(Rect(row: row, column: column, height: 1, width: Int(generator.next() % 4)), with: "字")
            } else {
                buffer.put(text, row: row, column: column, maxWidth: Int(generator.next() % 6), overflow: .ellipsis)
            }
            #expect(wideCharactersAreWhole(buffer))
        }
    }

    @Test func clippingOnTheLeftAndOutside() {
        var buffer = ScreenBuffer(rows: 2, columns: 5)
        buffer.put("abc", row: 0, column: -1)
        buffer.put("中a", row: 1, column: -1)
        buffer.put("nothing", row: 2, column: 0)
        buffer.put("nothing", row: -1, column: 0)
        #expect(buffer.lines == ["bc", " a"])
    }

    @Test func zeroWidthCharactersAreSkipped() {
        var buffer = ScreenBuffer(rows: 1, columns: 5)
        #expect(buffer.put("\u{301}a\u{200B}b", row: 0, column: 0) == 2)
        #expect(buffer.text == "ab")
    }

    @Test func alignedPut() {
        var buffer = ScreenBuffer(rows: 3, columns: 8)
        buffer.put("Ab", row: 0, column: 0, width: 5, alignment: .right, style: .reverse)
        buffer.put("Ab", row: 1, column: 0, width: 5, alignment: .center)
        buffer.put("Abcdefgh", row: 2, column: 0, width: 5, alignment: .left)
        #expect(buffer.lines == ["   Ab", " Ab", "Abcd…"])
        #expect(buffer[0, 0].style == .reverse, "padding is highlighted too")
    }

    @Test func boxWithTitle() {
        var buffer = ScreenBuffer(rows: 4, columns: 12)
        buffer.drawBox(Rect(row: 0, column: 0, height: 3, width: 12), title: "Pat")
        #expect(buffer.lines == ["┌ Pat ─────┐", "│          │", "└──────────┘", ""])
    }

    @Test func boxTitleTooLongGetsEllipsis() {
        var buffer = ScreenBuffer(rows: 3, columns: 6)
        buffer.drawBox(buffer.bounds, border: .rounded, title: "Title")
        #expect(buffer.lines == ["╭ Ti…╮", "│    │", "╰────╯"])
    }

    @Test func asciiBoxAndLines() {
        var buffer = ScreenBuffer(rows: 3, columns: 5)
        buffer.drawBox(buffer.bounds, border: .ascii)
        buffer.drawVerticalLine(row: 1, column: 2, height: 1, border: .ascii)
        #expect(buffer.lines == ["+---+", "| | |", "+---+"])
    }

    @Test func fillAndSetStyle() {
        var buffer = ScreenBuffer(rows: 2, columns: 4)
        buffer.fill(Rect(row: 0, column: 1, height: 2, width: 2), with: "#", style: .bold)
        buffer.fill(Rect(row: 1, column: 0, height: 1, width: 3), with: "中")
        #expect(buffer.lines == [" ##", "中"])
        #expect(buffer[0, 1].style == .bold)
        buffer.setStyle(.reverse, in: Rect(row: 0, column: 0, height: 1, width: 10))
        #expect(buffer[0, 3].style == .reverse)
        #expect(buffer[0, 1].grapheme == "#")
    }

    @Test func textTrimsTrailingSpacesAndKeepsEveryRow() {
        var buffer = ScreenBuffer(rows: 3, columns: 6)
        buffer.put("a  ", row: 1, column: 1)
        #expect(buffer.text == "\n a\n")
        #expect(buffer.lines.count == 3)
    }

    @Test func equality() {
        var first = ScreenBuffer(rows: 2, columns: 4)
        var second = ScreenBuffer(rows: 2, columns: 4)
        first.put("ok", row: 0, column: 0, style: .bold)
        second.put("ok", row: 0, column: 0, style: .bold)
        #expect(first == second)
        second.put("ok", row: 0, column: 0, style: .plain)
        #expect(first != second)
        #expect(first.text == second.text)
    }

    @Test func cellsAreAlwaysSafe() {
        #expect(Cell("\u{1B}").grapheme == "\u{FFFD}")
        #expect(Cell("\u{301}").grapheme == "\u{FFFD}")
        #expect(Cell("中").width == 2)
    }
}
