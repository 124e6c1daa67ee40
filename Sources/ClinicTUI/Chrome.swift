import TerminalKit

/// The frame every screen shares: a title bar on top and a status line at the bottom.
///
/// The status line always says which database is open and who is working, because a
/// practitioner with two clinics (or a test database) must never write in the wrong one.
enum Chrome {
    static let titleStyle = Style.reverse.bolded()
    static let statusStyle = Style.reverse
    static let errorStyle = Style.reverse.bolded().withForeground(.red)

    /// The area between the title bar and the status line.
    static func body(of size: TerminalSize) -> Rect {
        Rect(row: 1, column: 0, height: size.rows - 2, width: size.columns)
    }

    static func draw(_ state: AppState, title: String, into buffer: inout ScreenBuffer) {
        let columns = buffer.columns
        let top = Rect(row: 0, column: 0, height: 1, width: columns)
        buffer.fill(top, style: titleStyle)
        let date = state.context.today.description
        let dateWidth = columns >= 40 ? date.count + 2 : 0
        buffer.put(" Knot · " + title, row: 0, column: 0, style: titleStyle, maxWidth: columns - dateWidth, overflow: .ellipsis)
        if dateWidth > 0 {
            buffer.put(date, row: 0, column: columns - date.count - 1, style: titleStyle)
        }

        let last = buffer.rows - 1
        let bottom = Rect(row: last, column: 0, height: 1, width: columns)
        if let message = state.message {
            // A long message (a refusal with its reasons) takes up to three rows, so the reason is read whole.
            let style = message.kind == .error ? errorStyle : statusStyle
            let lines = Array(TextLayout.wrapped(message.text, width: max(1, columns - 2)).prefix(3))
            for (index, line) in lines.enumerated() {
                let row = last - lines.count + 1 + index
                buffer.fill(Rect(row: row, column: 0, height: 1, width: columns), style: style)
                buffer.put(" " + line, row: row, column: 0, style: style, maxWidth: columns, overflow: .ellipsis)
            }
            if lines.isEmpty { buffer.fill(bottom, style: style) }
            drawProgress(state, row: last - max(1, lines.count), into: &buffer)
            return
        }
        drawProgress(state, row: last - 1, into: &buffer)
        buffer.fill(bottom, style: statusStyle)
        let hint = state.current.kind == .newVisit || state.current.kind == .settingsForm || state.current.isVisitForm ? "F1 help" : "? help"
        let hintWidth = columns >= 40 ? hint.count + 2 : 0
        let status = " \(state.context.databasePath) · \(state.context.workingAs)"
        buffer.put(status, row: last, column: 0, style: statusStyle, maxWidth: columns - hintWidth, overflow: .ellipsis)
        if hintWidth > 0 {
            buffer.put(hint, row: last, column: columns - hint.count - 1, style: statusStyle)
        }
    }

    /// The progress line of long work running off the input loop (`LongEffect`), above the
    /// status line: what is being done, and whether Esc stops it.
    private static func drawProgress(_ state: AppState, row: Int, into buffer: inout ScreenBuffer) {
        guard let work = state.working[.work] ?? state.working[.search], row > 0 else { return }
        let line = Rect(row: row, column: 0, height: 1, width: buffer.columns)
        buffer.fill(line, style: statusStyle)
        buffer.put(" " + work.progressLine, row: row, column: 0, style: statusStyle, maxWidth: buffer.columns, overflow: .ellipsis)
    }

    /// The first row shown of a list of `count` rows in `visible` rows, so that `selection`
    /// is on screen. Pages are fixed (0, visible, 2 × visible...), which keeps the view pure:
    /// it depends on the selection alone, not on how the user got there.
    static func firstVisibleRow(selection: Int, visible: Int, count: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        return min(selection / visible * visible, count - visible)
    }
}
