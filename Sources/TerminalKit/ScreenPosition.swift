/// A cell on the screen, zero-based: row 0 is the top line, column 0 the left edge.
///
/// TerminalKit is zero-based everywhere; only the escape sequences it writes are one-based.
public struct ScreenPosition: Hashable, Sendable, CustomStringConvertible {
    /// Zero-based line.
    public var row: Int
    /// Zero-based cell within the line.
    public var column: Int

    /// Makes a position.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public var description: String { "(\(row), \(column))" }
}
