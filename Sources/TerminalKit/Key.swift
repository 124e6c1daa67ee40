/// One key press (or one bracketed paste), decoded from the bytes a terminal sends.
///
/// The front end maps these to its own commands through a table. Control bytes that have their
/// own key are never reported as `.ctrl`: Ctrl-H is `.backspace`, Ctrl-I `.tab`, Ctrl-J and
/// Ctrl-M are `.enter`, Ctrl-[ is `.escape`. Modifiers on arrows and editing keys (Ctrl-Right,
/// Shift-Home, ...) are dropped: they arrive as the plain key.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (one grapheme, possibly several Unicode scalars), including space.
    case character(Character)
    /// Return or Enter (CR, LF, keypad Enter).
    case enter
    /// Tab.
    case tab
    /// Shift-Tab (ESC [ Z).
    case backTab
    /// Backspace (DEL 0x7f or BS 0x08).
    case backspace
    /// A lone Escape press: ESC followed by nothing within `KeyDecoder.escapeTimeout`.
    case escape
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Home (ESC [ H, ESC O H, ESC [ 1 ~, ESC [ 7 ~).
    case home
    /// End (ESC [ F, ESC O F, ESC [ 4 ~, ESC [ 8 ~).
    case end
    /// Page Up.
    case pageUp
    /// Page Down.
    case pageDown
    /// Insert.
    case insert
    /// Delete (forward delete, ESC [ 3 ~).
    case delete
    /// Function key F1...F12.
    case function(Int)
    /// Ctrl with a lowercase letter `a`...`z` (except h, i, j, m), or one of `" "`, `\`, `]`,
    /// `^`, `_` (Ctrl-Space, Ctrl-\ and friends). Ctrl-C arrives here as `.ctrl("c")`.
    case ctrl(Character)
    /// Alt (Meta) with a printable character: ESC immediately followed by the character.
    case alt(Character)
    /// Text pasted while bracketed paste was on. Line breaks are normalised to "\n"; the text
    /// is otherwise raw (it may contain any character): sanitise before drawing.
    case paste(String)

    /// The key as a user reads it in help text: "Enter", "Ctrl-S", "Alt-x", "F2", "a".
    public var description: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .escape: return "Esc"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .function(let number): return "F\(number)"
        case .ctrl(" "): return "Ctrl-Space"
        case .ctrl(let character): return "Ctrl-\(String(character).uppercased())"
        case .alt(let character): return "Alt-\(character)"
        case .paste(let text): return "Paste(\(text.count) characters)"
        }
    }

    /// The bytes a typical xterm-compatible terminal sends for this key (with bracketed paste
    /// on, for `.paste`). `KeyDecoder` decodes them back to the same key, so tests and the
    /// in-memory terminal can queue keys by name. Keys with no encoding give `[]`.
    public var inputBytes: [UInt8] {
        func csi(_ tail: String) -> [UInt8] { [0x1B, 0x5B] + Array(tail.utf8) }
        switch self {
        case .character(let character): return Array(String(character).utf8)
        case .enter: return [0x0D]
        case .tab: return [0x09]
        case .backTab: return csi("Z")
        case .backspace: return [0x7F]
        case .escape: return [0x1B]
        case .up: return csi("A")
        case .down: return csi("B")
        case .right: return csi("C")
        case .left: return csi("D")
        case .home: return csi("H")
        case .end: return csi("F")
        case .pageUp: return csi("5~")
        case .pageDown: return csi("6~")
        case .insert: return csi("2~")
        case .delete: return csi("3~")
        case .function(let number):
            switch number {
            case 1...4: return [0x1B, 0x4F, UInt8(0x50 + number - 1)]
            case 5: return csi("15~")
            case 6...10: return csi("\(number + 11)~")
            case 11, 12: return csi("\(number + 12)~")
            default: return []
            }
        case .ctrl(let character):
            guard let byte = Key.controlByte(for: character) else { return [] }
            return [byte]
        case .alt(let character): return [0x1B] + Array(String(character).utf8)
        case .paste(let text): return csi("200~") + Array(text.utf8) + csi("201~")
        }
    }

    /// The control byte for Ctrl plus `character`, or nil when there is none.
    static func controlByte(for character: Character) -> UInt8? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case 0x61...0x7A: return ascii - 0x60          // a...z
        case 0x41...0x5A: return ascii - 0x40          // A...Z
        case 0x20, 0x40: return 0x00                   // Space, @
        case 0x5C: return 0x1C                         // \
        case 0x5D: return 0x1D                         // ]
        case 0x5E: return 0x1E                         // ^
        case 0x5F: return 0x1F                         // _
        default: return nil
        }
    }
}
