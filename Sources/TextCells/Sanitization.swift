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
///
/// This is the one function for text bound for a terminal: the front end draws through it and
/// the command line prints through it (`keepingLineBreaks` lets newline and tab through, for
/// printed lines; `.escape` shows each control as `\u{009B}`, for a letter shown as received).
public func sanitizedForTerminal(_ text: String, keepingLineBreaks: Bool = false,
                                 as style: TerminalSanitizing = .replace(terminalReplacementCharacter)) -> String {
    func unsafe(_ scalar: Unicode.Scalar) -> Bool {
        isUnsafeForTerminal(scalar) && !(keepingLineBreaks && (scalar == "\n" || scalar == "\t"))
    }
    guard text.unicodeScalars.contains(where: unsafe) else { return text }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        guard unsafe(scalar) else { result.append(scalar); continue }
        switch style {
        case .replace(let replacement):
            result.append(contentsOf: replacement.unicodeScalars)
        case .escape:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            result.append(contentsOf: "\\u{\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)}".unicodeScalars)
        }
    }
    return String(result)
}

/// How `sanitizedForTerminal` shows what must not reach the terminal raw.
public enum TerminalSanitizing: Sendable, Hashable {
    /// One character in place of each unsafe scalar.
    case replace(Character)
    /// A visible escape, `\u{001B}`, so that nothing is hidden.
    case escape
}

/// True for the scalars `sanitizedForTerminal(_:)` replaces.
package func isUnsafeForTerminal(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x2028, 0x2029: return true
    case 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
}
