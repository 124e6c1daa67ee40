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

    @Test func maxLengthCutsTypingAndPastes() {
        var field = TextField(maxLength: 5)
        field = typed("abcdefg", into: field)
        #expect(field.text == "abcde")
        field.handle(.home)
        field.handle(.paste("XYZ"))
        #expect(field.text == "abcde")
        field.handle(.delete)
        field.handle(.delete)
        field.handle(.paste("XYZ"))
        #expect(field.text == "XYcde" && field.cursor == 2)
        #expect(TextField(text: "123456", maxLength: 3).text == "123")
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
