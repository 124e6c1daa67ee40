import TextCells

/// A one-line text input: the text, a cursor, and the usual editing keys.
///
/// A value type, so it lives in the front end's state and `update` edits it. Keys follow
/// readline: Left/Right, Home/End, Ctrl-A/Ctrl-E, Backspace, Delete/Ctrl-D, Ctrl-U (delete
/// to the start), Ctrl-K (delete to the end), Ctrl-W (delete the word before the cursor),
/// Alt-B/Alt-F (word left/right), Ctrl-B/Ctrl-F (character left/right). The cursor counts
/// characters (graphemes), so "é" and "中" are one step each; drawing is display-width aware
/// and scrolls horizontally when the text is wider than the field.
///
/// A form selects a pre-filled or remembered value when the field gets focus (`selectAll`):
/// typing or pasting then replaces it, Backspace/Delete clear it, and the moving keys keep it
/// for editing (Left/Home go to its start, Right/End to its end). Typing past `maxLength` is
/// refused, never cut silently: `refusedInput` says so until the next key, for the screen to
/// tell the user, and a field near its limit draws a counter ("1999/2000") while focused.
public struct TextField: Hashable, Sendable {
    /// The text entered.
    public private(set) var text: String
    /// Cursor position in characters, 0...text.count.
    public private(set) var cursor: Int
    /// Longest text accepted, in characters; nil for no limit.
    public let maxLength: Int?
    /// True while the whole text is selected (the next typed character replaces it).
    public private(set) var isSelected = false
    /// True when the last key's text did not fit under `maxLength` (all or part of it was
    /// not typed); cleared by the next key.
    public private(set) var refusedInput = false

    /// A field holding `text` with the cursor at its end. Text longer than `maxLength` is cut.
    public init(text: String = "", maxLength: Int? = nil) {
        self.maxLength = maxLength.map { max(0, $0) }
        let clean = Self.cleanedInput(text)
        self.text = maxLength.map { String(clean.prefix(max(0, $0))) } ?? clean
        self.cursor = self.text.count
    }

    /// True when no text is entered.
    public var isEmpty: Bool { text.isEmpty }

    // MARK: - Keys

    /// Applies an editing key; returns false for keys the field does not use (Enter, Tab,
    /// Escape, arrows up/down...), which the screen then handles itself.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        guard KeyKind(key) != .other else { return false }
        refusedInput = false
        if isSelected {
            switch KeyKind(key) {
            case .typing: break  // `insert` replaces the selection, when the typing fits
            case .deleting: isSelected = false; removeAll(); return true
            case .movingToStart: isSelected = false; cursor = 0; return true
            case .movingToEnd: isSelected = false; cursor = text.count; return true
            case .other: break
            }
        }
        switch key {
        case .character(let character): insert(String(character))
        case .paste(let pasted): insert(pasted)
        case .backspace: deleteBackward()
        case .delete, .ctrl("d"): deleteForward()
        case .left, .ctrl("b"): moveLeft()
        case .right, .ctrl("f"): moveRight()
        case .home, .ctrl("a"): moveToStart()
        case .end, .ctrl("e"): moveToEnd()
        case .ctrl("u"): deleteToStart()
        case .ctrl("k"): deleteToEnd()
        case .ctrl("w"): deleteWordBackward()
        case .alt("b"): moveWordLeft()
        case .alt("f"): moveWordRight()
        default: return false
        }
        return true
    }

    /// How a key treats a selection.
    private enum KeyKind {
        case typing, deleting, movingToStart, movingToEnd, other

        init(_ key: Key) {
            switch key {
            case .character, .paste: self = .typing
            case .backspace, .delete, .ctrl("d"), .ctrl("u"), .ctrl("k"), .ctrl("w"): self = .deleting
            case .left, .ctrl("b"), .home, .ctrl("a"), .alt("b"): self = .movingToStart
            case .right, .ctrl("f"), .end, .ctrl("e"), .alt("f"): self = .movingToEnd
            default: self = .other
            }
        }
    }

    /// Selects the whole text (nothing when it is blank), with the cursor at its end: the
    /// next character typed replaces it.
    public mutating func selectAll() {
        isSelected = !text.isEmpty
        cursor = text.count
    }

    /// Drops the selection, keeping the text.
    public mutating func deselect() { isSelected = false }

    private mutating func removeAll() {
        text = ""
        cursor = 0
    }

    // MARK: - Editing

    /// Inserts `newText` at the cursor. Line breaks and tabs become spaces, other control
    /// characters are dropped; text that would pass `maxLength` is not typed at all
    /// (`refusedInput` says so), never cut to fit.
    public mutating func insert(_ newText: String) {
        let addition = Self.cleanedInput(newText)
        if let maxLength, addition.count > maxLength - (isSelected ? 0 : text.count) {
            // Refused whole (a paste is not cut to fit), the selection kept: the screen says why.
            refusedInput = true
            return
        }
        if isSelected { removeAll(); isSelected = false }
        guard !addition.isEmpty else { return }
        let split = index(at: cursor)
        let before = String(text[..<split]) + addition
        let combined = before + text[split...]
        if let maxLength, combined.count > maxLength { refusedInput = true; return }
        text = combined
        cursor = min(before.count, text.count)
    }

    /// Replaces the whole text and puts the cursor at its end (not selected).
    public mutating func setText(_ newText: String) {
        self = TextField(text: newText, maxLength: maxLength)
    }

    /// The counter a focused field `width` cells wide shows near its limit ("1999/2000"):
    /// from nine tenths of a limit of 20 or more; nil otherwise or when the field is too narrow.
    public func limitCounter(width: Int) -> String? {
        guard let maxLength, maxLength >= 20, text.count * 10 >= maxLength * 9 else { return nil }
        let counter = " \(text.count)/\(maxLength)"
        return width >= counter.count + 6 ? counter : nil
    }

    /// Deletes the character before the cursor (Backspace).
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        remove(from: cursor - 1, to: cursor)
    }

    /// Deletes the character under the cursor (Delete).
    public mutating func deleteForward() {
        guard cursor < text.count else { return }
        remove(from: cursor, to: cursor + 1)
    }

    /// Deletes from the start of the line to the cursor (Ctrl-U).
    public mutating func deleteToStart() {
        remove(from: 0, to: cursor)
    }

    /// Deletes from the cursor to the end of the line (Ctrl-K).
    public mutating func deleteToEnd() {
        remove(from: cursor, to: text.count)
    }

    /// Deletes the word before the cursor and the spaces after it (Ctrl-W).
    public mutating func deleteWordBackward() {
        remove(from: wordStart(before: cursor), to: cursor)
    }

    /// Moves the cursor one character left.
    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    /// Moves the cursor one character right.
    public mutating func moveRight() { cursor = min(text.count, cursor + 1) }
    /// Moves the cursor to the start (Home, Ctrl-A).
    public mutating func moveToStart() { cursor = 0 }
    /// Moves the cursor to the end (End, Ctrl-E).
    public mutating func moveToEnd() { cursor = text.count }

    /// Moves the cursor to the start of the word before it (Alt-B).
    public mutating func moveWordLeft() { cursor = wordStart(before: cursor) }

    /// Moves the cursor past the end of the word after it (Alt-F).
    public mutating func moveWordRight() {
        let characters = Array(text)
        var position = cursor
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        while position < characters.count, !characters[position].isWhitespace { position += 1 }
        cursor = position
    }

    // MARK: - Drawing

    /// Draws the field on one row of `buffer`: `width` cells in `style` (fill included, so the
    /// field's extent shows), the text scrolled horizontally to keep the cursor visible, and,
    /// with `showsCursor`, the buffer's cursor placed on the caret.
    ///
    /// Scrolling moves in steps of half the field, so the text does not jump on every key.
    public func render(
        into buffer: inout ScreenBuffer,
        row: Int,
        column: Int,
        width: Int,
        style: Style = .underline,
        showsCursor: Bool = true
    ) {
        guard width > 0 else { return }
        let counter = showsCursor ? limitCounter(width: width) : nil
        let counterWidth = counter?.count ?? 0
        let width = width - counterWidth
        if let counter {
            let full = text.count >= (maxLength ?? 0)
            buffer.put(counter, row: row, column: column + width, style: full ? Style.reverse.bolded() : .dim)
        }
        buffer.fill(Rect(row: row, column: column, height: 1, width: width), style: style)
        // A selection shows in reverse video while the field has the focus.
        let textStyle = isSelected && showsCursor ? Style.reverse : style
        let characters = Array(sanitizedForTerminal(text))
        let layout = visibleLayout(width: width)
        var position = 0
        for character in characters {
            let characterWidth = cellWidth(of: character)
            defer { position += characterWidth }
            guard position >= layout.offset else { continue }
            if position + characterWidth > layout.offset + width { break }
            buffer.place(character, width: characterWidth, row: row, column: column + position - layout.offset, style: textStyle)
        }
        if showsCursor {
            buffer.cursor = ScreenPosition(row: row, column: column + layout.cursorColumn)
        }
    }

    /// The horizontal scroll for a field `width` cells wide: the first display column shown
    /// and the caret's column within the field.
    public func visibleLayout(width: Int) -> (offset: Int, cursorColumn: Int) {
        guard width > 0 else { return (0, 0) }
        let widths = Array(sanitizedForTerminal(text)).map(cellWidth(of:))
        let caret = widths.prefix(cursor).reduce(0, +)
        guard caret > width - 1 else { return (0, caret) }
        let step = max(1, width / 2)
        var offset = (caret - (width - 1) + step - 1) / step * step
        // Never start inside a wide character.
        var start = 0
        for characterWidth in widths {
            if start >= offset { break }
            if start + characterWidth > offset { offset = start + characterWidth; break }
            start += characterWidth
        }
        return (offset, caret - offset)
    }

    // MARK: - Helpers

    private func index(at offset: Int) -> String.Index {
        text.index(text.startIndex, offsetBy: min(max(0, offset), text.count))
    }

    private mutating func remove(from start: Int, to end: Int) {
        guard start < end else { return }
        text.removeSubrange(index(at: start)..<index(at: end))
        cursor = start
    }

    private func wordStart(before position: Int) -> Int {
        let characters = Array(text)
        var start = min(position, characters.count)
        while start > 0, characters[start - 1].isWhitespace { start -= 1 }
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        return start
    }

    /// Input text made fit for one line: breaks and tabs to spaces, controls dropped.
    static func cleanedInput(_ input: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasReturn = false
        for scalar in input.unicodeScalars {
            defer { previousWasReturn = scalar == "\r" }
            if scalar == "\n" && previousWasReturn { continue }
            switch scalar {
            case "\r", "\n", "\t", "\u{2028}", "\u{2029}": scalars.append(" ")
            default:
                if !isUnsafeForTerminal(scalar) { scalars.append(scalar) }
            }
        }
        return String(scalars)
    }
}

/// A field is kept as its text, cursor and limit (a form's draft survives a closed terminal).
/// Decoding cleans and cuts the text as typing would, and keeps the cursor inside it.
extension TextField: Codable {
    private enum CodingKeys: String, CodingKey { case text, cursor, maxLength, selected }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(text: try container.decode(String.self, forKey: .text),
                  maxLength: try container.decodeIfPresent(Int.self, forKey: .maxLength))
        let cursor = try container.decodeIfPresent(Int.self, forKey: .cursor) ?? text.count
        self.cursor = min(max(0, cursor), text.count)
        let selected = try container.decodeIfPresent(Bool.self, forKey: .selected) ?? false
        self.isSelected = selected && !text.isEmpty
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(cursor, forKey: .cursor)
        try container.encodeIfPresent(maxLength, forKey: .maxLength)
        if isSelected { try container.encode(true, forKey: .selected) }
    }
}
