import TextCells

/// One cell of a `ScreenBuffer`: a grapheme and the style it is drawn in.
///
/// A wide character (CJK, emoji) fills two cells: its own, with `width` 2, and a continuation
/// cell to its right that draws nothing. Keeping the continuation explicit is what lets the
/// buffer guarantee that no half of a wide character is ever left on screen.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn here (a space for blank and continuation cells). Always safe to
    /// send to a terminal and always 1 or 2 cells wide.
    public private(set) var grapheme: Character
    /// How the cell is drawn.
    public var style: Style
    /// Cells the grapheme covers: 1, 2 for a wide character, 0 for a continuation cell.
    public private(set) var width: Int

    /// A cell showing `grapheme`. Unsafe or zero-width graphemes become the replacement
    /// character, so that a cell always shows something of a known width.
    public init(_ grapheme: Character = " ", style: Style = .plain) {
        var safe = grapheme
        if grapheme.unicodeScalars.contains(where: isUnsafeForTerminal) || cellWidth(of: grapheme) == 0 {
            safe = terminalReplacementCharacter
        }
        self.init(trusted: safe, width: cellWidth(of: safe), style: style)
    }

    /// A cell from a grapheme already sanitised and measured.
    init(trusted grapheme: Character, width: Int, style: Style) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    /// A plain space.
    public static let blank = Cell()

    /// The right half of a wide character.
    static func continuation(style: Style) -> Cell {
        Cell(trusted: " ", width: 0, style: style)
    }

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}
