import TerminalKit

/// The keys of the screen shown, in a box over it, read from the same table that maps them.
enum HelpOverlay {
    static func draw(_ kind: ScreenKind, into buffer: inout ScreenBuffer) {
        let bindings = KeyMap.bindings(for: kind)
        let keyWidth = min(16, bindings.map { displayWidth(of: $0.keyLabel) }.max() ?? 4)
        let boxWidth = min(buffer.columns - 2, 72)
        let boxHeight = min(buffer.rows - 2, bindings.count + 4)
        guard boxWidth >= 10, boxHeight >= 4 else { return }
        let box = Rect(row: max(1, (buffer.rows - boxHeight) / 2), column: (buffer.columns - boxWidth) / 2,
                       height: boxHeight, width: boxWidth)
        buffer.fill(box)
        buffer.drawBox(box, title: "Keys: \(kind.title)", titleStyle: .bold)
        let inner = box.inset(by: 1)
        for (index, binding) in bindings.prefix(inner.height - 2).enumerated() {
            let row = inner.row + index
            buffer.put(" " + TextLayout.padded(binding.keyLabel, toWidth: keyWidth), row: row, column: inner.column, style: .bold,
                       maxWidth: inner.width)
            let used = keyWidth + 3
            buffer.put(binding.help, row: row, column: inner.column + used, maxWidth: inner.width - used - 1, overflow: .ellipsis)
        }
        buffer.put(" Any key closes this help.", row: inner.bottom - 1, column: inner.column, style: .dim, maxWidth: inner.width)
    }
}
