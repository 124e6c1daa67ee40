/// The size of a terminal window or a screen buffer, in character cells.
///
/// Rows come first, as on the screen (and in ANSI cursor addressing). Sizes are never negative;
/// a zero size is allowed and simply draws nothing.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    /// Number of text lines.
    public var rows: Int
    /// Number of cells per line.
    public var columns: Int

    /// Makes a size; negative values are treated as zero.
    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
    }

    /// The size most terminals start with, used when the real size cannot be read.
    public static let standard = TerminalSize(rows: 24, columns: 80)

    /// "80x24": columns first, as terminal sizes are usually written.
    public var description: String { "\(columns)x\(rows)" }
}
