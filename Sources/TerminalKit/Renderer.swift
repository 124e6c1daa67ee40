/// Sends `ScreenBuffer` frames to a terminal, writing only the cells that changed since the
/// previous frame.
///
/// The first frame, a frame of a different size, and the frame after `invalidate()` are full
/// redraws (reset, clear, every non-blank cell). Otherwise each changed cell is written with a
/// cursor move (CUP) when it does not follow the previous one, and an SGR when the style
/// changes. After a grapheme of several scalars (emoji sequences, combining marks) the cursor
/// position is treated as unknown, so a terminal that measures it differently cannot shift
/// the rest of the line. Output is deterministic: the same frames give the same bytes.
///
/// The cursor is hidden while cells are written and shown at `frame.cursor` afterwards, if set.
public struct Renderer: Sendable {
    /// Whether colours are written (attributes always are).
    public var colorPolicy: ColorPolicy
    /// The frame the terminal shows, as far as the renderer knows; nil before the first frame
    /// and after `invalidate()`.
    public private(set) var lastFrame: ScreenBuffer?

    private var terminalCursor: ScreenPosition?
    private var cursorVisible: Bool?

    /// A renderer; by default colours follow `NO_COLOR` in the environment.
    public init(colorPolicy: ColorPolicy = .fromEnvironment()) {
        self.colorPolicy = colorPolicy
    }

    /// Forgets what the terminal shows, so the next frame is a full redraw. Call after a
    /// resize event, after resuming from suspension, or when something else wrote to the screen.
    public mutating func invalidate() {
        lastFrame = nil
        terminalCursor = nil
        cursorVisible = nil
    }

    /// Renders `frame` and writes and flushes it to `terminal`.
    public mutating func draw(_ frame: ScreenBuffer, on terminal: some Terminal) throws(TerminalError) {
        let bytes = render(frame)
        if !bytes.isEmpty {
            terminal.write(bytes)
        }
        try terminal.flush()
    }

    /// The bytes that turn the previous frame into `frame` on the terminal (empty when
    /// nothing changed), and remembers `frame` as the current one.
    public mutating func render(_ frame: ScreenBuffer) -> [UInt8] {
        var output = FrameOutput(colorPolicy: colorPolicy, cursor: terminalCursor)
        let wantedCursor = frame.cursor.flatMap { frame.bounds.contains($0) ? $0 : nil }

        if let previous = lastFrame, previous.size == frame.size {
            let changed = Self.changedCells(from: previous, to: frame)
            if !changed.isEmpty {
                if cursorVisible != false {
                    output.append(ControlSequences.hideCursor)
                    cursorVisible = false
                }
                for index in changed {
                    output.draw(frame, cellAt: index)
                }
            }
        } else {
            output.append(ControlSequences.hideCursor)
            cursorVisible = false
            output.resetStyle()
            output.append(ControlSequences.clearScreen)
            output.cursor = nil
            for row in 0..<frame.rows {
                let start = row * frame.columns
                let end = start + frame.columns
                guard let last = (start..<end).last(where: { frame.cells[$0] != .blank }) else { continue }
                for index in start...last where !frame.cells[index].isContinuation {
                    output.draw(frame, cellAt: index)
                }
            }
        }
        output.finishStyle()

        if let wantedCursor {
            if output.cursor != wantedCursor {
                output.append(ControlSequences.moveCursor(to: wantedCursor))
                output.cursor = wantedCursor
            }
            if cursorVisible != true {
                output.append(ControlSequences.showCursor)
                cursorVisible = true
            }
        } else if cursorVisible != false {
            output.append(ControlSequences.hideCursor)
            cursorVisible = false
        }

        terminalCursor = output.cursor
        lastFrame = frame
        return output.bytes
    }

    /// Indexes of the cells to write, lead cells only, in screen order.
    static func changedCells(from previous: ScreenBuffer, to frame: ScreenBuffer) -> [Int] {
        var indexes: [Int] = []
        let cells = frame.cells
        let old = previous.cells
        for index in cells.indices {
            if cells[index].isContinuation {
                // Normally its lead changed too; if not, rewrite the lead (once).
                if cells[index] != old[index], index > 0, indexes.last != index - 1 {
                    indexes.append(index - 1)
                }
                continue
            }
            if cells[index] != old[index] {
                indexes.append(index)
            }
        }
        return indexes
    }
}

/// The bytes of one frame, with the cursor position and style the terminal will have.
private struct FrameOutput {
    let colorPolicy: ColorPolicy
    var bytes: [UInt8] = []
    var cursor: ScreenPosition?
    var style: Style = .plain

    init(colorPolicy: ColorPolicy, cursor: ScreenPosition?) {
        self.colorPolicy = colorPolicy
        self.cursor = cursor
        bytes.reserveCapacity(1024)
    }

    mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    mutating func resetStyle() {
        append(Style.plain.sgrSequence(colorPolicy: colorPolicy))
        style = .plain
    }

    /// Leaves the terminal in the plain style, which every frame starts from.
    mutating func finishStyle() {
        if style != .plain { resetStyle() }
    }

    mutating func draw(_ frame: ScreenBuffer, cellAt index: Int) {
        let cell = frame.cells[index]
        let position = ScreenPosition(row: index / frame.columns, column: index % frame.columns)
        if cursor != position {
            append(ControlSequences.moveCursor(to: position))
        }
        let effective = effectiveStyle(cell.style)
        if effective != style {
            append(effective.sgrSequence(colorPolicy: colorPolicy))
            style = effective
        }
        append(String(cell.grapheme))
        let next = position.column + cell.width
        if cell.grapheme.unicodeScalars.count > 1 || next >= frame.columns {
            cursor = nil
        } else {
            cursor = ScreenPosition(row: position.row, column: next)
        }
    }

    /// The style as it will look: without colours under NO_COLOR, so that a colour-only
    /// change writes nothing.
    private func effectiveStyle(_ style: Style) -> Style {
        guard colorPolicy == .noColor else { return style }
        return style.withForeground(nil).withBackground(nil)
    }
}
