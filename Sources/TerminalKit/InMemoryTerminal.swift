/// A `Terminal` for tests: you set its size and queue its input; it interprets what is
/// written into a screen you read back as text.
///
/// Because it interprets the bytes (CUP, SGR, erase, alternate screen, cursor visibility)
/// rather than trusting the `ScreenBuffer` it was meant to show, a test that compares
/// `screenText` with the expected frame proves that the renderer's diff really produces that
/// screen. Output reaches the screen only on `flush()`, like a real terminal, so a forgotten
/// flush shows up in tests too.
///
/// Input is a queue of reads: each `enqueue` call is one chunk returned by one
/// `readInput(timeout:)`, a pause is an empty read (a timeout), and once the queue is empty
/// `readInput` throws `.inputClosed`, so an input loop under test always ends.
public final class InMemoryTerminal: Terminal {
    private enum InputChunk {
        case bytes([UInt8])
        case pause
    }

    private var interpreter: ScreenInterpreter
    private var unflushed: [UInt8] = []
    private var input: [InputChunk] = []
    private var resizePending = false

    /// The window size; change it with `resize(to:)`.
    public private(set) var size: TerminalSize
    /// True between `enterFullScreen()` and `restore()`.
    public private(set) var isFullScreen = false
    /// True while raw mode would be on (same as `isFullScreen`; kept apart for readable tests).
    public private(set) var isRawMode = false
    /// Whether full-screen mode asks for bracketed paste.
    public let bracketedPaste: Bool
    /// How many times `enterFullScreen()` succeeded.
    public private(set) var enterCount = 0
    /// How many times `restore()` actually left full-screen mode.
    public private(set) var restoreCount = 0
    /// Every byte flushed so far, in order.
    public private(set) var output: [UInt8] = []
    /// How many times `flush()` sent something.
    public private(set) var flushCount = 0

    /// A terminal of `rows` by `columns` with an empty input queue.
    public init(rows: Int = 24, columns: Int = 80, bracketedPaste: Bool = true) {
        let size = TerminalSize(rows: rows, columns: columns)
        self.size = size
        self.bracketedPaste = bracketedPaste
        self.interpreter = ScreenInterpreter(size: size)
    }

    // MARK: - Screen, as a person would see it

    /// The visible screen (alternate or main), with styles.
    public var screen: ScreenBuffer { interpreter.screen }
    /// The visible screen as text, trailing spaces trimmed (see `ScreenBuffer.text`).
    public var screenText: String { interpreter.screen.text }
    /// The alternate screen's content, kept after leaving it (for checking the last frame
    /// after `restore()`).
    public var alternateScreen: ScreenBuffer { interpreter.alternateScreen }
    /// True while the alternate screen is shown.
    public var isAlternateScreenActive: Bool { interpreter.isAlternateScreenActive }
    /// Where the cursor is (zero-based).
    public var cursor: ScreenPosition { interpreter.cursor }
    /// Whether the cursor is shown.
    public var isCursorVisible: Bool { interpreter.isCursorVisible }
    /// Whether bracketed paste was switched on by the output.
    public var isBracketedPasteEnabled: Bool { interpreter.isBracketedPasteEnabled }
    /// Whether line wrapping at the right edge is on.
    public var isAutowrapEnabled: Bool { interpreter.isAutowrapEnabled }
    /// Escape sequences written that the interpreter does not know (should stay empty).
    public var unrecognizedSequences: [String] { interpreter.unrecognizedSequences }
    /// The flushed output as text, ESC shown as "␛", for readable failure messages.
    public var outputTranscript: String {
        String(decoding: output, as: UTF8.self).replacingEscapes()
    }

    /// Forgets the output log (not the screen), e.g. to count the bytes of one frame.
    public func clearOutputLog() {
        output.removeAll()
        flushCount = 0
    }

    // MARK: - Driving it

    /// Changes the window size and reports a resize, as SIGWINCH would.
    public func resize(to newSize: TerminalSize) {
        size = newSize
        interpreter.resize(to: newSize)
        resizePending = true
    }

    /// Queues one read of raw bytes.
    public func enqueue(bytes: [UInt8]) {
        input.append(.bytes(bytes))
    }

    /// Queues one read of typed text.
    public func enqueue(text: String) {
        input.append(.bytes(Array(text.utf8)))
    }

    /// Queues keys, each as its own read (an Escape is followed by a pause, so it is read as a
    /// lone Escape and not as the start of a sequence).
    public func enqueue(_ keys: Key...) {
        enqueue(keys: keys)
    }

    /// Queues keys, each as its own read (see `enqueue(_:)`).
    public func enqueue(keys: [Key]) {
        for key in keys {
            input.append(.bytes(key.inputBytes))
            if key == .escape { input.append(.pause) }
        }
    }

    /// Queues a read that times out with nothing.
    public func enqueuePause() {
        input.append(.pause)
    }

    /// True while queued input remains.
    public var hasQueuedInput: Bool { !input.isEmpty }

    // MARK: - Terminal

    public func write(_ bytes: [UInt8]) {
        unflushed.append(contentsOf: bytes)
    }

    public func flush() throws(TerminalError) {
        guard !unflushed.isEmpty else { return }
        output.append(contentsOf: unflushed)
        interpreter.apply(unflushed)
        unflushed.removeAll()
        flushCount += 1
    }

    public func readInput(timeout: Duration?) throws(TerminalError) -> [UInt8] {
        guard !input.isEmpty else { throw .inputClosed }
        switch input.removeFirst() {
        case .bytes(let bytes): return bytes
        case .pause: return []
        }
    }

    public func enterFullScreen() throws(TerminalError) {
        guard !isFullScreen else { throw .alreadyInFullScreen }
        write(ControlSequences.enterFullScreen(bracketedPaste: bracketedPaste))
        try flush()
        isFullScreen = true
        isRawMode = true
        enterCount += 1
    }

    public func restore() {
        guard isFullScreen else { return }
        write(ControlSequences.leaveFullScreen)
        try? flush()
        isFullScreen = false
        isRawMode = false
        restoreCount += 1
    }

    public func consumeResize() -> Bool {
        defer { resizePending = false }
        return resizePending
    }
}

extension String {
    /// ESC shown as "␛" (U+241B), for test messages.
    func replacingEscapes() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{1B}" ? "\u{241B}" : $0 }))
    }
}
