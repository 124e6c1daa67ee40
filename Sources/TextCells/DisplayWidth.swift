import CTerminalShim

/// Number of terminal cells `text` takes when `ScreenBuffer` draws it.
///
/// The sum of `displayWidth(of:)` over the characters of the sanitised text: ASCII 1 each,
/// East Asian wide characters and emoji 2, combining accents 0 (so "é" is 1 whether composed
/// or decomposed). Control characters count 1, as the replacement character drawn for them.
public func displayWidth(of text: String) -> Int {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    var width = 0
    for character in sanitizedForTerminal(text) {
        width += cellWidth(of: character)
    }
    return width
}

/// Number of terminal cells one character (grapheme) takes: 0, 1 or 2.
///
/// Widths come from the C library's wcwidth in a UTF-8 locale (East Asian Width), with
/// emoji presentation (including U+FE0F and flags) forced to 2 as modern terminals draw them.
/// A character containing control characters is measured as its sanitised form.
public func displayWidth(of character: Character) -> Int {
    if character.unicodeScalars.contains(where: isUnsafeForTerminal) {
        return displayWidth(of: String(character))
    }
    return cellWidth(of: character)
}

/// Width of a character that contains no unsafe scalars.
package func cellWidth(of character: Character) -> Int {
    let scalars = character.unicodeScalars
    var iterator = scalars.makeIterator()
    guard let first = iterator.next() else { return 0 }
    if first.value >= 0x20 && first.value < 0x7F, scalars.count == 1 { return 1 }

    var width = scalarWidth(first)
    var isEmoji = first.properties.isEmojiPresentation
    while let scalar = iterator.next() {
        if scalar.value == 0xFE0F, first.properties.isEmoji { isEmoji = true }
        if scalar.properties.isEmojiPresentation { isEmoji = true }
        width += scalarWidth(scalar)
    }
    if isEmoji { return 2 }
    return min(width, 2)
}

/// Cells for one scalar on its own: wcwidth, or a built-in table without a UTF-8 locale.
package func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value >= 0x20 && value < 0x7F { return 1 }
    let width = knot_term_wcwidth(value)
    switch width {
    case 0, 1, 2: return Int(width)
    case -1 where scalar.properties.generalCategory == .unassigned: return 1
    default: return fallbackScalarWidth(scalar)
    }
}

/// An approximation of wcwidth for systems without a UTF-8 locale: marks and format
/// characters 0, East Asian wide ranges and emoji 2, everything else 1.
package func fallbackScalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return 0
    case .format where value != 0x00AD: return 0
    default: break
    }
    if (0x1160...0x11FF).contains(value) { return 0 } // Hangul medial vowels, final consonants
    if scalar.properties.isEmojiPresentation { return 2 }
    let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
    return wideRanges.contains(where: { $0.contains(value) }) ? 2 : 1
}
