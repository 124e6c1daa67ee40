import TextCells

/// Width-aware string helpers for laying out columns and paragraphs before drawing.
///
/// Everything here counts terminal cells (see `displayWidth(of:)`), never characters or bytes,
/// so a column of Japanese names lines up with a column of Latin ones. Results are sanitised.
public enum TextLayout {
    /// Horizontal placement of text inside a wider column.
    public enum Alignment: Hashable, Sendable {
        case left, center, right
    }

    /// `text` cut to at most `width` cells. With `ellipsis`, a cut text ends in "…" (which
    /// takes one of the cells). A wide character that does not fit entirely is left out.
    public static func truncated(_ text: String, toWidth width: Int, ellipsis: Bool = true) -> String {
        let clean = sanitizedForTerminal(text)
        guard width > 0 else { return "" }
        if displayWidth(of: clean) <= width { return clean }
        let budget = ellipsis ? width - 1 : width
        var result = ""
        var used = 0
        for character in clean {
            let characterWidth = cellWidth(of: character)
            if used + characterWidth > budget { break }
            result.append(character)
            used += characterWidth
        }
        if ellipsis { result.append("…") }
        return result
    }

    /// `text` truncated (with ellipsis) and padded with spaces to exactly `width` cells.
    public static func padded(_ text: String, toWidth width: Int, alignment: Alignment = .left) -> String {
        let fitted = truncated(text, toWidth: width)
        let gap = max(0, width - displayWidth(of: fitted))
        switch alignment {
        case .left:
            return fitted + String(repeating: " ", count: gap)
        case .right:
            return String(repeating: " ", count: gap) + fitted
        case .center:
            let before = gap / 2
            return String(repeating: " ", count: before) + fitted + String(repeating: " ", count: gap - before)
        }
    }

    /// `text` broken into lines of at most `width` cells, for notes and letters.
    ///
    /// Breaks at "\n" (CR LF and CR count as one), then between words; a word longer than a
    /// line is split between characters. Tabs become single spaces, runs of spaces at a break
    /// are dropped. An empty paragraph gives an empty line. Returns `[]` when `width` < 1.
    public static func wrapped(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var normalised = String.UnicodeScalarView()
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            defer { previousWasReturn = scalar == "\r" }
            switch scalar {
            case "\n" where previousWasReturn: continue
            case "\r", "\n", "\u{2028}", "\u{2029}": normalised.append("\n")
            case "\t": normalised.append(" ")
            default: normalised.append(scalar)
            }
        }
        return normalised
            .split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { wrapParagraph(sanitizedForTerminal(String($0)), width: width) }
    }

    private static func wrapParagraph(_ paragraph: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = displayWidth(of: String(word))
            if lineWidth > 0 && lineWidth + 1 + wordWidth <= width {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            if wordWidth <= width {
                line = String(word)
                lineWidth = wordWidth
                continue
            }
            for character in word { // hard break inside a long word
                let characterWidth = cellWidth(of: character)
                if lineWidth + characterWidth > width && lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                if characterWidth > width { continue } // a wide character in a 1-cell column
                line.append(character)
                lineWidth += characterWidth
            }
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }
}
