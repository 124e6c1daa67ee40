import TextCells

/// A tiny terminal emulator: applies the bytes written to an `InMemoryTerminal` to a screen.
///
/// It understands the subset TerminalKit writes (CUP and cursor moves, SGR, erase in display
/// and line, alternate screen, cursor visibility, autowrap, bracketed paste, CR, LF, BS, TAB)
/// and records anything else in `unrecognizedSequences`, so a test can assert that the
/// renderer wrote nothing unexpected. Text is placed with the same width rules as
/// `ScreenBuffer`, including wide characters.
struct ScreenInterpreter {
    private(set) var mainScreen: ScreenBuffer
    private(set) var alternateScreen: ScreenBuffer
    private(set) var isAlternateScreenActive = false
    private(set) var cursor = ScreenPosition(row: 0, column: 0)
    private(set) var style = Style.plain
    private(set) var isCursorVisible = true
    private(set) var isAutowrapEnabled = true
    private(set) var isBracketedPasteEnabled = false
    private(set) var unrecognizedSequences: [String] = []

    private var savedMainCursor = ScreenPosition(row: 0, column: 0)
    private var pending: [UInt8] = []

    init(size: TerminalSize) {
        mainScreen = ScreenBuffer(size: size)
        alternateScreen = ScreenBuffer(size: size)
    }

    /// The screen being shown.
    var screen: ScreenBuffer { isAlternateScreenActive ? alternateScreen : mainScreen }

    /// Resizes both screens, keeping what fits (top-left anchored).
    mutating func resize(to size: TerminalSize) {
        mainScreen = Self.copy(mainScreen, into: size)
        alternateScreen = Self.copy(alternateScreen, into: size)
        cursor = ScreenPosition(row: min(cursor.row, max(0, size.rows - 1)), column: min(cursor.column, max(0, size.columns - 1)))
    }

    private static func copy(_ old: ScreenBuffer, into size: TerminalSize) -> ScreenBuffer {
        var new = ScreenBuffer(size: size)
        for row in 0..<min(old.rows, size.rows) {
            var column = 0
            while column < min(old.columns, size.columns) {
                let cell = old[row, column]
                if !cell.isContinuation {
                    new.place(cell.grapheme, width: cell.width, row: row, column: column, style: cell.style)
                }
                column += 1
            }
        }
        return new
    }

    // MARK: - Parsing

    mutating func apply(_ bytes: [UInt8]) {
        pending.append(contentsOf: bytes)
        var index = 0
        var text: [UInt8] = []
        func flushText(_ interpreter: inout ScreenInterpreter) {
            if !text.isEmpty { interpreter.print(text); text.removeAll() }
        }
        while index < pending.count {
            let byte = pending[index]
            switch byte {
            case 0x1B:
                flushText(&self)
                guard let length = sequenceLength(at: index) else {
                    pending.removeFirst(index)
                    return
                }
                handleSequence(Array(pending[index..<index + length]))
                index += length
            case 0x0D:
                flushText(&self); cursor.column = 0; index += 1
            case 0x0A:
                flushText(&self); lineFeed(); index += 1
            case 0x08:
                flushText(&self); cursor.column = max(0, min(cursor.column, screen.columns - 1) - 1); index += 1
            case 0x09:
                flushText(&self); cursor.column = min(screen.columns - 1, (cursor.column / 8 + 1) * 8); index += 1
            case 0x00...0x1F, 0x7F:
                flushText(&self); index += 1
            default:
                if byte >= 0x80, case .incomplete = KeyDecoder.decodeScalar(pending, at: index) {
                    flushText(&self)
                    pending.removeFirst(index)
                    return
                }
                text.append(byte)
                index += 1
            }
        }
        flushText(&self)
        pending.removeAll()
    }

    /// Length of the escape sequence at `index`, nil when incomplete.
    private func sequenceLength(at index: Int) -> Int? {
        guard index + 1 < pending.count else { return nil }
        guard pending[index + 1] == 0x5B else { return 2 } // ESC x
        var end = index + 2
        while end < pending.count {
            if (0x40...0x7E).contains(pending[end]) { return end + 1 - index }
            end += 1
        }
        return nil
    }

    private mutating func handleSequence(_ sequence: [UInt8]) {
        let spelled = String(decoding: sequence.dropFirst(), as: UTF8.self)
        guard sequence.count >= 3, sequence[1] == 0x5B, let final = sequence.last else {
            unrecognizedSequences.append("ESC " + spelled)
            return
        }
        var body = String(decoding: sequence[2..<(sequence.count - 1)], as: UTF8.self)
        let isPrivate = body.hasPrefix("?")
        if isPrivate { body.removeFirst() }
        let numbers = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let first = numbers.first ?? nil
        func parameter(_ index: Int, default value: Int) -> Int {
            guard index < numbers.count, let number = numbers[index], number > 0 else { return value }
            return number
        }
        let rows = screen.rows
        let columns = screen.columns
        switch (isPrivate, final) {
        case (false, 0x48), (false, 0x66): // CUP H, HVP f
            cursor = ScreenPosition(row: min(max(0, rows - 1), parameter(0, default: 1) - 1),
                                    column: min(max(0, columns - 1), parameter(1, default: 1) - 1))
        case (false, 0x41): cursor.row = max(0, cursor.row - parameter(0, default: 1))
        case (false, 0x42): cursor.row = min(max(0, rows - 1), cursor.row + parameter(0, default: 1))
        case (false, 0x43): cursor.column = min(max(0, columns - 1), cursor.column + parameter(0, default: 1))
        case (false, 0x44): cursor.column = max(0, min(cursor.column, columns) - parameter(0, default: 1))
        case (false, 0x4A): eraseInDisplay(first ?? 0, sequence: spelled)
        case (false, 0x4B): eraseInLine(first ?? 0, sequence: spelled)
        case (false, 0x6D): selectGraphicRendition(numbers, sequence: spelled)
        case (true, 0x68), (true, 0x6C):
            setMode(first, on: final == 0x68, sequence: spelled)
        default:
            unrecognizedSequences.append("ESC " + spelled)
        }
    }

    private mutating func setMode(_ mode: Int?, on: Bool, sequence: String) {
        switch mode {
        case 1049:
            if on && !isAlternateScreenActive {
                savedMainCursor = cursor
                alternateScreen = ScreenBuffer(size: mainScreen.size)
                isAlternateScreenActive = true
            } else if !on && isAlternateScreenActive {
                isAlternateScreenActive = false
                cursor = savedMainCursor
            }
        case 25: isCursorVisible = on
        case 7: isAutowrapEnabled = on
        case 2004: isBracketedPasteEnabled = on
        default: unrecognizedSequences.append("ESC " + sequence)
        }
    }

    private mutating func selectGraphicRendition(_ numbers: [Int?], sequence: String) {
        for number in numbers.map({ $0 ?? 0 }) {
            switch number {
            case 0: style = .plain
            case 1: style.isBold = true
            case 2: style.isDim = true
            case 4: style.isUnderlined = true
            case 7: style.isReversed = true
            case 22: style.isBold = false; style.isDim = false
            case 24: style.isUnderlined = false
            case 27: style.isReversed = false
            case 30...37: style.foreground = TerminalColor(rawValue: number - 30)
            case 39: style.foreground = nil
            case 40...47: style.background = TerminalColor(rawValue: number - 40)
            case 49: style.background = nil
            case 90...97: style.foreground = TerminalColor(rawValue: number - 90 + 8)
            case 100...107: style.background = TerminalColor(rawValue: number - 100 + 8)
            default:
                unrecognizedSequences.append("ESC " + sequence)
                return
            }
        }
    }

    /// Erased cells take the current background only, as terminals do.
    private var eraseStyle: Style { Style(background: style.background) }

    private mutating func eraseInDisplay(_ mode: Int, sequence: String) {
        let rows = screen.rows
        let columns = screen.columns
        let blank = eraseStyle
        switch mode {
        case 0:
            eraseInLine(0, sequence: sequence)
            for row in (cursor.row + 1)..<max(cursor.row + 1, rows) { changeScreen { $0.erase(row: row, columns: 0..<columns, style: blank) } }
        case 1:
            eraseInLine(1, sequence: sequence)
            for row in 0..<cursor.row { changeScreen { $0.erase(row: row, columns: 0..<columns, style: blank) } }
        case 2, 3:
            for row in 0..<rows { changeScreen { $0.erase(row: row, columns: 0..<columns, style: blank) } }
        default:
            unrecognizedSequences.append("ESC " + sequence)
        }
    }

    private mutating func eraseInLine(_ mode: Int, sequence: String) {
        let columns = screen.columns
        let row = cursor.row
        let column = min(cursor.column, columns)
        let blank = eraseStyle
        switch mode {
        case 0: changeScreen { $0.erase(row: row, columns: column..<columns, style: blank) }
        case 1: changeScreen { $0.erase(row: row, columns: 0..<min(columns, column + 1), style: blank) }
        case 2: changeScreen { $0.erase(row: row, columns: 0..<columns, style: blank) }
        default: unrecognizedSequences.append("ESC " + sequence)
        }
    }

    // MARK: - Text

    private mutating func print(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for character in text {
            if character.unicodeScalars.contains(where: isUnsafeForTerminal) { continue }
            let width = cellWidth(of: character)
            if width == 0 {
                let position = cursor
                changeScreen { $0.attach(character, row: position.row, column: position.column) }
                continue
            }
            let columns = screen.columns
            if cursor.column + width > columns {
                if isAutowrapEnabled {
                    cursor.column = 0
                    lineFeed()
                } else {
                    cursor.column = max(0, columns - width)
                }
            }
            let position = cursor
            let currentStyle = style
            changeScreen { $0.place(character, width: width, row: position.row, column: position.column, style: currentStyle) }
            cursor.column += width // may equal `columns`: the pending-wrap position
        }
    }

    private mutating func lineFeed() {
        if cursor.row + 1 < screen.rows {
            cursor.row += 1
        } else {
            changeScreen { $0.scrollUp() }
        }
    }

    /// Changes the screen being shown in place (no copy of the cells).
    private mutating func changeScreen(_ change: (inout ScreenBuffer) -> Void) {
        if isAlternateScreenActive {
            change(&alternateScreen)
        } else {
            change(&mainScreen)
        }
    }
}
