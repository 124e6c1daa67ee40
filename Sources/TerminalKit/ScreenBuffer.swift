import TextCells

/// A grid of cells the front end draws a whole frame into; the `Renderer` sends it to the
/// terminal and the tests compare it as text.
///
/// Drawing is immediate mode (as in ratatui): build a fresh buffer for every frame from the
/// state, then hand it to the renderer, which writes only what changed. Everything drawn is
/// sanitised, clipped to the buffer and width-aware: a wide character never straddles an
/// edge, and overwriting half of one blanks the other half.
///
/// Coordinates are zero-based (row, column). Drawing outside the buffer is clipped, never a
/// crash.
public struct ScreenBuffer: Hashable, Sendable, CustomStringConvertible {
    /// What `put` does with text wider than the space it is given.
    public enum Overflow: Hashable, Sendable {
        /// Cut the text at the edge.
        case clip
        /// Cut the text and end it with "…", so the reader sees that something is missing.
        case ellipsis
    }

    /// Rows and columns.
    public let size: TerminalSize
    /// Cells row by row.
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown after drawing (a text field's caret), or nil
    /// to keep it hidden. Positions outside the buffer count as nil.
    public var cursor: ScreenPosition?

    /// A buffer of `size` filled with `fill` (which must be one cell wide; else blank).
    public init(size: TerminalSize, fill: Cell = .blank) {
        self.size = size
        let cell = fill.width == 1 ? fill : .blank
        self.cells = Array(repeating: cell, count: size.rows * size.columns)
    }

    /// A blank buffer of `rows` by `columns`.
    public init(rows: Int, columns: Int) {
        self.init(size: TerminalSize(rows: rows, columns: columns))
    }

    /// Number of rows.
    public var rows: Int { size.rows }
    /// Number of columns.
    public var columns: Int { size.columns }
    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(size: size) }

    /// The cell at a position; out-of-range positions read as blank.
    public subscript(row: Int, column: Int) -> Cell {
        guard row >= 0, row < rows, column >= 0, column < columns else { return .blank }
        return cells[row * columns + column]
    }

    // MARK: - Drawing text

    /// Draws `text` on one row starting at `column`, within `maxWidth` cells (default: to the
    /// right edge), and returns the number of cells used.
    ///
    /// The text is sanitised first (controls and ESC become "�"). Zero-width characters that
    /// cannot attach to anything are skipped. With `.ellipsis`, text that does not fit ends in
    /// "…". A wide character that would cross the limit is not drawn; the cell is left as it
    /// was. Cells beyond the text are not touched: `fill` first to clear a row.
    @discardableResult
    public mutating func put(
        _ text: String,
        row: Int,
        column: Int,
        style: Style = .plain,
        maxWidth: Int? = nil,
        overflow: Overflow = .clip
    ) -> Int {
        guard row >= 0, row < rows else { return 0 }
        let limit = min(columns, maxWidth.map { column + max(0, $0) } ?? columns)
        guard column < limit else { return 0 }
        let clean = sanitizedForTerminal(text)
        var right = limit
        var ellipsis = false
        if overflow == .ellipsis, displayWidth(of: clean) > limit - column {
            right = limit - 1
            ellipsis = true
        }
        var position = column
        for character in clean {
            let width = cellWidth(of: character)
            if width == 0 { continue }
            if position + width > right { break }
            place(character, width: width, row: row, column: position, style: style)
            position += width
        }
        if ellipsis {
            place("…", width: 1, row: row, column: position, style: style)
            position += 1
        }
        return position - column
    }

    /// Draws `text` aligned in a column of `width` cells, padding with spaces in `style`
    /// (so a highlighted row is highlighted end to end); too-long text ends in "…".
    public mutating func put(
        _ text: String,
        row: Int,
        column: Int,
        width: Int,
        alignment: TextLayout.Alignment,
        style: Style = .plain
    ) {
        put(TextLayout.padded(text, toWidth: width, alignment: alignment), row: row, column: column, style: style, maxWidth: width)
    }

    /// Fills `rect` (clipped to the buffer) with `character` in `style`; a wide fill character
    /// that does not fit the last cell of a line leaves a space there.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let cell = Cell(character, style: style)
        for row in area.row..<area.bottom {
            var column = area.column
            while column < area.right {
                if column + cell.width > area.right {
                    place(" ", width: 1, row: row, column: column, style: style)
                    column += 1
                } else {
                    place(cell.grapheme, width: cell.width, row: row, column: column, style: style)
                    column += cell.width
                }
            }
        }
    }

    /// Makes every cell a space in `style`.
    public mutating func clear(style: Style = .plain) {
        let cell = Cell(" ", style: style)
        for index in cells.indices { cells[index] = cell }
    }

    /// Changes the style of the cells in `rect` and keeps their text, e.g. to highlight the
    /// selected row of a list after drawing it.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.row..<area.bottom {
            for column in area.column..<area.right {
                cells[row * columns + column].style = style
            }
        }
    }

    // MARK: - Lines and boxes

    /// Draws a frame on the edge of `rect` (the inside is not touched), with an optional title
    /// in the top edge: "┌─ Title ───┐". Needs at least 2 × 2 cells.
    public mutating func drawBox(
        _ rect: Rect,
        border: BorderStyle = .single,
        style: Style = .plain,
        title: String? = nil,
        titleStyle: Style? = nil
    ) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let last = rect.bottom - 1
        let lastColumn = rect.right - 1
        drawHorizontalLine(row: rect.row, column: rect.column + 1, width: rect.width - 2, border: border, style: style)
        drawHorizontalLine(row: last, column: rect.column + 1, width: rect.width - 2, border: border, style: style)
        drawVerticalLine(row: rect.row + 1, column: rect.column, height: rect.height - 2, border: border, style: style)
        drawVerticalLine(row: rect.row + 1, column: lastColumn, height: rect.height - 2, border: border, style: style)
        putBorder(border.topLeft, row: rect.row, column: rect.column, style: style)
        putBorder(border.topRight, row: rect.row, column: lastColumn, style: style)
        putBorder(border.bottomLeft, row: last, column: rect.column, style: style)
        putBorder(border.bottomRight, row: last, column: lastColumn, style: style)
        if let title, !title.isEmpty, rect.width >= 5 {
            put(" " + title + " ", row: rect.row, column: rect.column + 1, style: titleStyle ?? style,
                maxWidth: rect.width - 2, overflow: .ellipsis)
        }
    }

    /// Draws a horizontal line of `width` cells.
    public mutating func drawHorizontalLine(row: Int, column: Int, width: Int, border: BorderStyle = .single, style: Style = .plain) {
        fill(Rect(row: row, column: column, height: 1, width: width), with: border.horizontal, style: style)
    }

    /// Draws a vertical line of `height` cells.
    public mutating func drawVerticalLine(row: Int, column: Int, height: Int, border: BorderStyle = .single, style: Style = .plain) {
        fill(Rect(row: row, column: column, height: height, width: 1), with: border.vertical, style: style)
    }

    private mutating func putBorder(_ character: Character, row: Int, column: Int, style: Style) {
        fill(Rect(row: row, column: column, height: 1, width: 1), with: character, style: style)
    }

    // MARK: - Reading back

    /// Each row as plain text (continuation cells skipped), trailing spaces trimmed.
    public var lines: [String] {
        (0..<rows).map { row in
            var line = ""
            for column in 0..<columns {
                let cell = cells[row * columns + column]
                if !cell.isContinuation { line.append(cell.grapheme) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole screen as text: `lines` joined by "\n". Tests compare screens with this.
    public var text: String { lines.joined(separator: "\n") }

    public var description: String { text }

    // MARK: - Cell placement (keeps wide characters whole)

    /// Puts a measured, safe grapheme at a position, blanking any wide character it cuts.
    /// Parts that fall outside the buffer are clipped; a wide character cut by the left or
    /// right edge is not drawn and its visible half becomes a space.
    mutating func place(_ grapheme: Character, width: Int, row: Int, column: Int, style: Style) {
        guard row >= 0, row < rows, width > 0 else { return }
        if column < 0 || column + width > columns {
            for partial in max(0, column)..<min(columns, column + width) {
                place(" ", width: 1, row: row, column: partial, style: style)
            }
            return
        }
        let base = row * columns
        if cells[base + column].isContinuation, column > 0 {
            cells[base + column - 1] = Cell(trusted: " ", width: 1, style: cells[base + column - 1].style)
        }
        let lastCovered = column + width - 1
        if cells[base + lastCovered].width == 2, lastCovered + 1 < columns {
            cells[base + lastCovered + 1] = Cell(trusted: " ", width: 1, style: cells[base + lastCovered + 1].style)
        }
        cells[base + column] = Cell(trusted: grapheme, width: width, style: style)
        if width == 2 {
            cells[base + column + 1] = .continuation(style: style)
        }
    }

    /// Appends a zero-width grapheme (a combining mark) to the cell left of `column`, as a
    /// terminal does; used when interpreting output.
    mutating func attach(_ mark: Character, row: Int, column: Int) {
        guard row >= 0, row < rows else { return }
        var target = min(column, columns) - 1
        while target >= 0, cells[row * columns + target].isContinuation { target -= 1 }
        guard target >= 0 else { return }
        let cell = cells[row * columns + target]
        var combined = String(cell.grapheme)
        combined.append(mark)
        guard combined.count == 1, let grapheme = combined.first else { return }
        cells[row * columns + target] = Cell(trusted: grapheme, width: cell.width, style: cell.style)
    }

    /// Moves every row up by one, leaving a blank last row (terminal scrolling).
    mutating func scrollUp() {
        guard rows > 0 else { return }
        cells.removeFirst(columns)
        cells.append(contentsOf: repeatElement(.blank, count: columns))
    }

    /// Sets cells in one row to blank in `style` (terminal erase).
    mutating func erase(row: Int, columns range: Range<Int>, style: Style) {
        guard row >= 0, row < rows else { return }
        let clamped = range.clamped(to: 0..<columns)
        for column in clamped {
            place(" ", width: 1, row: row, column: column, style: style)
        }
    }
}
