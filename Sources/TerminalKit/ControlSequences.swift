/// The escape sequences TerminalKit writes, in one place so that the POSIX terminal, the
/// signal handlers (through the C shim) and the in-memory interpreter agree.
enum ControlSequences {
    static let escape = "\u{1B}["

    /// Alternate screen (with saved cursor), no autowrap, hidden cursor, optionally
    /// bracketed paste.
    static func enterFullScreen(bracketedPaste: Bool) -> String {
        escape + "?1049h" + escape + "?7l" + escape + "?25l" + (bracketedPaste ? escape + "?2004h" : "")
    }

    /// Everything `enterFullScreen` changed, put back; bracketed paste is always switched
    /// off (harmless when it was never on).
    static let leaveFullScreen = escape + "0m" + escape + "?2004l" + escape + "?7h" + escape + "?25h" + escape + "?1049l"

    static let hideCursor = escape + "?25l"
    static let showCursor = escape + "?25h"
    static let clearScreen = escape + "2J"

    /// CUP: move the cursor to a zero-based position (written one-based).
    static func moveCursor(to position: ScreenPosition) -> String {
        escape + "\(position.row + 1);\(position.column + 1)H"
    }
}
