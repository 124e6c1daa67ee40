import Testing
import TerminalKit

private func typed(_ text: String, into field: TextField = TextField()) -> TextField {
    var field = field
    for character in text { field.handle(.character(character)) }
    return field
}

@Suite("Text field")
struct TextFieldTests {
    @Test func typingInsertsAtTheCursor() {
        var field = typed("Ann")
        #expect(field.text == "Ann" && field.cursor == 3)
        field.handle(.left)
        field.handle(.left)
        field.handle(.character("x"))
        #expect(field.text == "Axnn")
        #expect(field.cursor == 2)
    }

    @Test func backspaceAndDelete() {
        var field = typed("abc")
        field.handle(.backspace)
        #expect(field.text == "ab")
        field.handle(.home)
        field.handle(.backspace)
        #expect(field.text == "ab", "backspace at the start does nothing")
        field.handle(.delete)
        #expect(field.text == "b" && field.cursor == 0)
        field.handle(.ctrl("d"))
        field.handle(.delete)
        #expect(field.text == "" && field.cursor == 0)
    }

    @Test func movementStaysInBounds() {
        var field = typed("ab")
        field.handle(.right)
        #expect(field.cursor == 2)
        field.handle(.ctrl("a"))
        #expect(field.cursor == 0)
        field.handle(.left)
        #expect(field.cursor == 0)
        field.handle(.ctrl("e"))
        #expect(field.cursor == 2)
        field.handle(.ctrl("b"))
        field.handle(.home)
        field.handle(.ctrl("f"))
        #expect(field.cursor == 1)
        field.handle(.end)
        #expect(field.cursor == 2)
    }

    @Test func killToStartAndToEnd() {
        var field = TextField(text: "upper trapezius")
        for _ in 0..<9 { field.handle(.left) }
        field.handle(.ctrl("u"))
        #expect(field.text == "trapezius" && field.cursor == 0)
        field.handle(.right)
        field.handle(.ctrl("k"))
        #expect(field.text == "t" && field.cursor == 1)
    }

    @Test func deleteWordBackward() {
        var field = TextField(text: "left  upper trapezius  ")
        field.handle(.ctrl("w"))
        #expect(field.text == "left  upper ")
        field.handle(.ctrl("w"))
        #expect(field.text == "left  ")
        field.handle(.ctrl("w"))
        field.handle(.ctrl("w"))
        #expect(field.text == "" && field.cursor == 0)
    }

    @Test func wordMovement() {
        var field = TextField(text: "levator scapulae left")
        field.handle(.alt("b"))
        #expect(field.cursor == 17)
        field.handle(.alt("b"))
        #expect(field.cursor == 8)
        field.handle(.alt("f"))
        #expect(field.cursor == 16)
    }

    @Test func maxLengthRefusesTypingAndPastesThatDoNotFitAndSaysSo() {
        var field = TextField(maxLength: 5)
        field = typed("abcdefg", into: field)
        #expect(field.text == "abcde")
        #expect(field.refusedInput, "the refused keys are reported, not dropped silently")
        field.handle(.home)
        #expect(!field.refusedInput, "cleared by the next key")
        field.handle(.paste("XYZ"))
        #expect(field.text == "abcde" && field.refusedInput)
        field.handle(.delete)
        field.handle(.delete)
        field.handle(.paste("XYZ"))
        #expect(field.text == "cde" && field.refusedInput, "a paste that does not fit is refused whole, never cut")
        field.handle(.paste("XY"))
        #expect(field.text == "XYcde" && field.cursor == 2 && !field.refusedInput)
        #expect(TextField(text: "123456", maxLength: 3).text == "123")
    }

    @Test func selectedValueIsReplacedByTypingAndKeptByMovingKeys() {
        var lot = TextField(text: "L2411", maxLength: 40)
        lot.selectAll()
        lot = typed("L2411", into: lot)
        #expect(lot.text == "L2411", "typing over a remembered value replaces it")
        #expect(!lot.isSelected)

        var count = TextField(text: "1", maxLength: 2)
        count.selectAll()
        count = typed("2", into: count)
        #expect(count.text == "2")

        var kept = TextField(text: "0.25x40")
        kept.selectAll()
        kept.handle(.left)
        #expect(kept.text == "0.25x40" && kept.cursor == 0 && !kept.isSelected, "Left keeps it to edit, from its start")
        kept.selectAll()
        kept.handle(.end)
        kept = typed("mm", into: kept)
        #expect(kept.text == "0.25x40mm", "End keeps it and types after it")

        var cleared = TextField(text: "6")
        cleared.selectAll()
        cleared.handle(.backspace)
        #expect(cleared.text.isEmpty, "Backspace on a selection clears it")

        var full = TextField(text: "ab", maxLength: 2)
        full.selectAll()
        full.handle(.paste("xyz"))
        #expect(full.text == "ab" && full.refusedInput, "a paste too long for the field keeps the selected value")
        #expect(!TextField(text: "").isSelected)
        var blank = TextField(text: "")
        blank.selectAll()
        #expect(!blank.isSelected, "nothing to select in a blank field")
    }

    @Test func focusedFieldNearItsLimitShowsACounterAndASelectionShowsReversed() {
        var field = TextField(text: String(repeating: "a", count: 1999), maxLength: 2000)
        #expect(field.limitCounter(width: 60) == " 1999/2000")
        #expect(TextField(text: String(repeating: "a", count: 100), maxLength: 2000).limitCounter(width: 60) == nil)
        var buffer = ScreenBuffer(rows: 1, columns: 40)
        field.render(into: &buffer, row: 0, column: 0, width: 40)
        #expect(buffer.lines[0].hasSuffix(" 1999/2000"))
        field.setText("6")
        field.selectAll()
        buffer = ScreenBuffer(rows: 1, columns: 10)
        field.render(into: &buffer, row: 0, column: 0, width: 3)
        #expect(buffer[0, 0].style.isReversed, "the selected value shows in reverse video while focused")
        buffer = ScreenBuffer(rows: 1, columns: 10)
        field.render(into: &buffer, row: 0, column: 0, width: 3, showsCursor: false)
        #expect(!buffer[0, 0].style.isReversed)
    }

    @Test func pasteOnOneLine() {
        var field = TextField()
        field.handle(.paste("line one\nline\ttwo\u{1B}[2J"))
        #expect(field.text == "line one line two[2J")
    }

    @Test func combiningMarkJoinsTheCharacterBefore() {
        var field = typed("e")
        field.handle(.character("\u{301}"))
        #expect(field.text == "e\u{301}")
        #expect(field.text.count == 1 && field.cursor == 1)
    }

    @Test func wideCharactersMoveOneStepEach() {
        var field = typed("山田")
        field.handle(.left)
        field.handle(.backspace)
        #expect(field.text == "田" && field.cursor == 0)
    }

    @Test func keysTheFieldDoesNotUse() {
        var field = typed("a")
        for key in [Key.enter, .up, .down, .escape, .tab, .backTab, .function(1), .ctrl("s")] {
            let used = field.handle(key)
            #expect(!used, "\(key)")
        }
        #expect(field.text == "a")
        let used = field.handle(.character("b"))
        #expect(used)
    }

    @Test func renderShortText() {
        var buffer = ScreenBuffer(rows: 1, columns: 20)
        typed("Ann").render(into: &buffer, row: 0, column: 6, width: 10)
        #expect(buffer.text == "      Ann")
        #expect(buffer.cursor == ScreenPosition(row: 0, column: 9))
        #expect(buffer[0, 15].style == .underline, "the whole field is drawn")
        #expect(buffer[0, 16].style == .plain)
    }

    @Test func renderScrollsToKeepTheCursorVisible() {
        var field = TextField(text: "abcdefghijklmnopqrstuvwxyz")
        var buffer = ScreenBuffer(rows: 1, columns: 10)
        field.render(into: &buffer, row: 0, column: 0, width: 10)
        let cursor = buffer.cursor!
        #expect(cursor.column >= 0 && cursor.column < 10)
        #expect(buffer.text.hasSuffix("z"))
        #expect(buffer.text == "uvwxyz")

        field.handle(.home)
        buffer = ScreenBuffer(rows: 1, columns: 10)
        field.render(into: &buffer, row: 0, column: 0, width: 10)
        #expect(buffer.text == "abcdefghij")
        #expect(buffer.cursor == ScreenPosition(row: 0, column: 0))
    }

    @Test func scrollingMovesInSteps() {
        var field = TextField(text: String(repeating: "x", count: 12))
        #expect(field.visibleLayout(width: 10).offset == 5)
        field.handle(.left)
        #expect(field.visibleLayout(width: 10).offset == 5, "a small move does not scroll")
        field.handle(.character("y"))
        #expect(field.visibleLayout(width: 10).offset == 5)
    }

    @Test func renderNeverShowsHalfAWideCharacter() {
        for cursorSteps in 0...12 {
            var field = TextField(text: "山田太郎中文字符漢字語")
            for _ in 0..<cursorSteps { field.handle(.left) }
            var buffer = ScreenBuffer(rows: 1, columns: 7)
            field.render(into: &buffer, row: 0, column: 0, width: 7)
            #expect(wideCharactersAreWhole(buffer))
            let cursor = buffer.cursor!.column
            #expect(cursor >= 0 && cursor < 7, "cursor \(cursor) after \(cursorSteps) steps left")
        }
    }
}
