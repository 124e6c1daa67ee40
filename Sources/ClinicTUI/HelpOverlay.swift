import TerminalKit

/// The keys of the screen shown, in a box over it, read from the same table that maps them.
///
/// The box fits an 80-column terminal; a long description wraps under itself when the rows
/// allow, so every key of the screen is listed in full.
enum HelpOverlay {
    static func draw(_ kind: ScreenKind, into buffer: inout ScreenBuffer) {
        let bindings = KeyMap.bindings(for: kind)
        let keyWidth = min(16, bindings.map { displayWidth(of: $0.keyLabel) }.max() ?? 4)
        let boxWidth = min(buffer.columns - 2, 78)
        let textWidth = max(1, boxWidth - 2 - keyWidth - 4)
        var entries = bindings.map { (binding: $0, lines: TextLayout.wrapped($0.help, width: textWidth)) }
        if entries.map(\.lines.count).reduce(0, +) + 4 > buffer.rows - 2 {
            entries = bindings.map { (binding: $0, lines: [$0.help]) }  // too tall: one row each, cut with an ellipsis
        }
        let rows = entries.map(\.lines.count).reduce(0, +)
        let boxHeight = min(buffer.rows - 2, rows + 4)
        guard boxWidth >= 10, boxHeight >= 4 else { return }
        let box = Rect(row: max(1, (buffer.rows - boxHeight) / 2), column: (buffer.columns - boxWidth) / 2,
                       height: boxHeight, width: boxWidth)
        buffer.fill(box)
        buffer.drawBox(box, title: "Keys: \(kind.title)", titleStyle: .bold)
        let inner = box.inset(by: 1)
        var row = inner.row
        let used = keyWidth + 3
        for entry in entries {
            for (index, line) in entry.lines.enumerated() where row < inner.bottom - 1 {
                if index == 0 {
                    buffer.put(" " + TextLayout.padded(entry.binding.keyLabel, toWidth: keyWidth), row: row, column: inner.column,
                               style: .bold, maxWidth: inner.width)
                }
                buffer.put(line, row: row, column: inner.column + used, maxWidth: inner.width - used - 1, overflow: .ellipsis)
                row += 1
            }
        }
        buffer.put(" Any key closes this help.", row: inner.bottom - 1, column: inner.column, style: .dim, maxWidth: inner.width)
    }
}
