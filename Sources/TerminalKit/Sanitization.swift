/// The character drawn in place of anything that must not reach the terminal raw (U+FFFD).
public let terminalReplacementCharacter: Character = "\u{FFFD}"

/// `text` with every character that could act on the terminal replaced by
/// `terminalReplacementCharacter`, one replacement per offending Unicode scalar.
///
/// Why: patient names, notes and imported letters are untrusted. An ESC inside them would let
/// "ESC [ 2 J" clear the screen, retitle the window or worse. Replaced are C0 controls
/// (U+0000-U+001F, including tab and newline: split lines before drawing), DEL and the C1
/// controls (U+007F-U+009F), the line and paragraph separators (U+2028, U+2029) and the bidi
/// embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069), which can make
/// text display in a misleading order. `ScreenBuffer` applies this to everything it draws.
public func sanitizedForTerminal(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafeForTerminal) else { return text }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if isUnsafeForTerminal(scalar) {
            result.append(contentsOf: terminalReplacementCharacter.unicodeScalars)
        } else {
            result.append(scalar)
        }
    }
    return String(result)
}

/// True for the scalars `sanitizedForTerminal(_:)` replaces.
func isUnsafeForTerminal(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x2028, 0x2029: return true
    case 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
}
