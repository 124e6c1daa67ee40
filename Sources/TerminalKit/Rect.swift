/// A rectangle of cells: top-left corner plus height and width.
///
/// Used for fills, boxes and layout. A rectangle with zero height or width is empty and
/// drawing into it does nothing.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    /// Zero-based top line.
    public var row: Int
    /// Zero-based left column.
    public var column: Int
    /// Number of lines.
    public var height: Int
    /// Number of cells per line.
    public var width: Int

    /// Makes a rectangle; negative height or width is treated as zero.
    public init(row: Int, column: Int, height: Int, width: Int) {
        self.row = row
        self.column = column
        self.height = max(0, height)
        self.width = max(0, width)
    }

    /// The whole area of a screen of the given size.
    public init(size: TerminalSize) {
        self.init(row: 0, column: 0, height: size.rows, width: size.columns)
    }

    /// True when the rectangle holds no cell.
    public var isEmpty: Bool { height == 0 || width == 0 }

    /// One past the last row.
    public var bottom: Int { row + height }

    /// One past the last column.
    public var right: Int { column + width }

    /// The rectangle shrunk by `amount` cells on every side (an empty rect if nothing is left).
    /// Handy for the inside of a box: `rect.inset(by: 1)`.
    public func inset(by amount: Int) -> Rect {
        Rect(row: row + amount, column: column + amount, height: height - 2 * amount, width: width - 2 * amount)
    }

    /// The part of this rectangle that lies inside `other`.
    public func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row)
        let left = max(column, other.column)
        let bottom = min(self.bottom, other.bottom)
        let right = min(self.right, other.right)
        return Rect(row: top, column: left, height: bottom - top, width: right - left)
    }

    /// True when `position` is one of the rectangle's cells.
    public func contains(_ position: ScreenPosition) -> Bool {
        position.row >= row && position.row < bottom && position.column >= column && position.column < right
    }

    public var description: String { "Rect(row: \(row), column: \(column), height: \(height), width: \(width))" }
}
