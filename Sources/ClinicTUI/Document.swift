import TerminalKit

/// Lines of read-only text in their styles, wrapped to the screen width, that a screen
/// scrolls through (the visit view, the audit log).
struct Document: Sendable {
    struct Line: Sendable, Hashable {
        var text: String
        var style: Style
        /// Drawn across the whole width (for banners that must not be missed).
        var fillsRow = false
    }

    let width: Int
    private(set) var lines: [Line] = []

    init(width: Int) {
        self.width = max(1, width)
    }

    mutating func heading(_ text: String) {
        if !lines.isEmpty { blank() }
        paragraph(text, style: .bold)
    }

    mutating func blank() {
        lines.append(Line(text: "", style: .plain))
    }

    /// `text` wrapped to the width, each line indented by `indent` cells (record text may hold
    /// several paragraphs; `TextLayout` sanitises it).
    mutating func paragraph(_ text: String, indent: Int = 1, style: Style = .plain) {
        let pad = String(repeating: " ", count: indent)
        for line in TextLayout.wrapped(text, width: max(1, width - indent - 1)) {
            lines.append(Line(text: pad + line, style: style))
        }
    }

    /// One line as it is (cut at the edge when drawn), for tables whose columns must stay put.
    mutating func line(_ text: String, style: Style = .plain) {
        lines.append(Line(text: text, style: style))
    }

    /// A full-width line in reverse video.
    mutating func banner(_ text: String, style: Style) {
        for line in TextLayout.wrapped(text, width: max(1, width - 2)) {
            lines.append(Line(text: " " + line, style: style, fillsRow: true))
        }
    }

    /// Draws the lines from `top` into `body`.
    func draw(from top: Int, in body: Rect, into buffer: inout ScreenBuffer) {
        for (offset, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            let row = body.row + offset
            if line.fillsRow { buffer.fill(Rect(row: row, column: body.column, height: 1, width: body.width), style: line.style) }
            buffer.put(line.text, row: row, column: body.column, style: line.style, maxWidth: body.width, overflow: .ellipsis)
        }
    }

    /// The first line shown after a scrolling command, kept so the last page stays full.
    static func scrolled(_ top: Int, by command: Intent, lineCount: Int, visible: Int) -> Int {
        let page = max(1, visible - 1)
        let target: Int
        switch command {
        case .moveUp: target = top - 1
        case .moveDown: target = top + 1
        case .pageUp: target = top - page
        case .pageDown: target = top + page
        default: target = top
        }
        return min(max(0, target), max(0, lineCount - visible))
    }
}
