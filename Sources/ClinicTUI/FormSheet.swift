import TerminalKit

/// A form body that may be taller than the screen: the fields are drawn whole on a tall sheet,
/// then the rows around the focused field are copied into the space on screen.
///
/// The offset is computed from the focus alone (no scroll state to keep in step): the sheet
/// shows from its top while the focused field fits there, and otherwise scrolls just far enough
/// to show the focused field with one row under it. Arrows at the right edge say when there
/// is more above or below.
struct FormSheet {
    /// The tall sheet the form draws on, row 0 at the top of the scrolling part.
    var buffer: ScreenBuffer
    /// The rows of the field that has the focus.
    var focusRows: Range<Int> = 0..<1
    /// Rows drawn so far (the form's height).
    var used = 0

    init(width: Int, height: Int = 80) {
        buffer = ScreenBuffer(rows: height, columns: max(1, width))
    }

    var width: Int { buffer.columns }

    /// Notes that `rows` belong to the focused field.
    mutating func focus(_ rows: Range<Int>) { focusRows = rows }

    /// The first sheet row to show in `visible` rows.
    static func offset(focus: Range<Int>, used: Int, visible: Int) -> Int {
        guard used > visible, visible > 0 else { return 0 }
        let wanted = max(0, focus.upperBound + 1 - visible)
        return min(wanted, focus.lowerBound, used - visible)
    }

    /// Copies the part in view into `rect` of `screen` (with the cursor, if it is in view).
    func draw(in rect: Rect, into screen: inout ScreenBuffer) {
        let top = Self.offset(focus: focusRows, used: used, visible: rect.height)
        let visible = min(rect.height, max(0, used - top))
        for row in 0..<visible {
            for column in 0..<min(rect.width, width) {
                let cell = buffer[top + row, column]
                if cell.isContinuation { continue }
                screen.put(String(cell.grapheme), row: rect.row + row, column: rect.column + column, style: cell.style)
            }
        }
        if let cursor = buffer.cursor, (top..<(top + visible)).contains(cursor.row) {
            screen.cursor = ScreenPosition(row: rect.row + cursor.row - top, column: rect.column + cursor.column)
        } else {
            screen.cursor = nil
        }
        let right = rect.column + rect.width - 8
        if top > 0 {
            screen.put(" ↑ more ", row: rect.row, column: right, style: .dim)
        }
        if top + rect.height < used {
            screen.put(" ↓ more ", row: rect.row + rect.height - 1, column: right, style: .dim)
        }
    }
}
