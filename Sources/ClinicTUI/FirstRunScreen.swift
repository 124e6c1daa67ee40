import TerminalKit

/// Shown when the database has no patients at all: load the demo clinic or start empty.
///
/// A new user should be able to see every screen on believable records in one keystroke,
/// without typing a patient first.
enum FirstRunScreen {
    static func draw(databasePath: String, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row + 1
        func line(_ text: String, style: Style = .plain) {
            buffer.put(text, row: row, column: 0, style: style, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        line("  Welcome to Knot. This clinic database has no patients yet:", style: .bold)
        line("    " + databasePath)
        row += 1
        line("  d  load the demo clinic: made-up patients, referrals and visits")
        line("     to try every screen (never use it for real patients)")
        line("  e  start empty: then F2 registers a patient and F6 opens the")
        line("     referral inbox (letters in the import folder)")
        line("  q  quit")
    }
}
