/// A terminal the front end draws on and reads keys from.
///
/// Two implementations stand side by side (as in swift-nio): `POSIXTerminal` for the real
/// thing and `InMemoryTerminal` for tests, which interprets what is written into a screen the
/// tests read as text. The front end should depend only on this protocol.
///
/// Output is buffered: `write` collects bytes, `flush` sends them. Input is raw bytes; use
/// `InputReader` (or `KeyDecoder`) to get keys.
public protocol Terminal: AnyObject {
    /// The current window size. Read it again after a resize event.
    var size: TerminalSize { get }

    /// True between `enterFullScreen()` and `restore()`.
    var isFullScreen: Bool { get }

    /// Queues raw bytes for output (escape sequences included, nothing is sanitised).
    func write(_ bytes: [UInt8])

    /// Sends everything written so far.
    func flush() throws(TerminalError)

    /// Waits up to `timeout` (nil: until input arrives) and returns the bytes available, or
    /// `[]` when the time ran out or a signal (e.g. a resize) interrupted the wait.
    /// Throws `.inputClosed` at end of input.
    func readInput(timeout: Duration?) throws(TerminalError) -> [UInt8]

    /// Raw mode, alternate screen, hidden cursor, no line wrap (and bracketed paste if
    /// enabled). Pair with `restore()`; `TerminalSession.withFullScreen` does both.
    func enterFullScreen() throws(TerminalError)

    /// Undoes `enterFullScreen()`: main screen, visible cursor, the modes the user had.
    /// Idempotent and never fails loudly: it runs on every way out.
    func restore()

    /// True once after each change of window size (or resume after suspension), then false
    /// until the next one. Redraw in full (`Renderer.invalidate()`) when it is true.
    func consumeResize() -> Bool
}

extension Terminal {
    /// Queues the UTF-8 bytes of `string` raw. For untrusted text draw through `ScreenBuffer`,
    /// which sanitises.
    public func write(_ string: String) {
        write(Array(string.utf8))
    }
}
