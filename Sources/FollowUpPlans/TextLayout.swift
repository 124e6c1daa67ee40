import TextCells

/// Word wrapping by display width, for the plain-text plan.
///
/// Widths are counted in terminal columns with the one display-width function every module
/// uses (`displayWidth(of:)`, TextCells): combining marks take none and East Asian wide
/// characters two, so a patient's name in any script never pushes a line past the width. A
/// word longer than the line is broken.
enum TextLayout {
    /// Terminal columns taken by `s`.
    static func width(_ s: some StringProtocol) -> Int { displayWidth(of: String(s)) }

    /// Wraps `text` to `width` columns. The first line starts with `first`, later lines with
    /// `rest` (a hanging indent); line breaks in the text start new paragraphs with `rest`.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineWidth = Self.width(first)
        var lineHasWord = false
        let restWidth = Self.width(rest)

        func flush() {
            lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))
            line = rest; lineWidth = restWidth; lineHasWord = false
        }

        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (p, paragraph) in paragraphs.enumerated() {
            if p > 0 { flush() }
            let cleaned = paragraph.map { $0.isWhitespace || $0.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) ? " " : $0 }
            for word in String(cleaned).split(separator: " ") {
                var word = Substring(word)
                let w = Self.width(word)
                let needed = (lineHasWord ? 1 : 0) + w
                if lineWidth + needed <= width {
                    if lineHasWord { line += " "; lineWidth += 1 }
                    line += word; lineWidth += w; lineHasWord = true
                    continue
                }
                if lineHasWord { flush() }
                // Break a word longer than the room on a line.
                while lineWidth + Self.width(word) > width {
                    let room = max(1, width - lineWidth)
                    var piece = ""
                    var pieceWidth = 0
                    var index = word.startIndex
                    while index < word.endIndex {
                        let cw = Self.width(String(word[index]))
                        if pieceWidth + cw > room, !piece.isEmpty { break }
                        piece.append(word[index]); pieceWidth += cw
                        index = word.index(after: index)
                    }
                    line += piece; lineWidth += pieceWidth; lineHasWord = true
                    word = word[index...]
                    if word.isEmpty { break }
                    flush()
                }
                if !word.isEmpty {
                    line += word; lineWidth += Self.width(word); lineHasWord = true
                }
            }
        }
        flush()
        return lines
    }

    /// `left` and `right` on one line of `width` columns, or on two lines when they do not fit.
    static func spread(_ left: String, _ right: String, width: Int) -> [String] {
        let gap = width - Self.width(left) - Self.width(right)
        if gap >= 2 { return [left + String(repeating: " ", count: gap) + right] }
        return wrap(left, width: width) + wrap(right, width: width)
    }
}
