import CTerminalShim
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real terminal: standard input and output in raw mode with ANSI escapes (no ncurses).
///
/// It always gives the terminal back. `restore()` runs on normal return (use
/// `TerminalSession.withFullScreen`), on `exit()` (an atexit hook), on SIGINT, SIGTERM, SIGHUP
/// and SIGQUIT sent from outside (restore, then the signal's previous action: usually the
/// process ends), on crashes and Swift traps (SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE,
/// SIGTRAP, SIGSYS: restore, then the previous action, e.g. the Swift backtracer, runs on a
/// readable screen), and around SIGTSTP (suspended with a normal terminal, raw again on `fg`).
/// All of that lives in the C shim's async-signal-safe handlers. In raw mode Ctrl-C, Ctrl-Z
/// and Ctrl-\ are keys (`.ctrl("c")`...), not signals: the front end decides what they do.
///
/// There is one terminal per process: a second `enterFullScreen()` while one is active throws
/// `.alreadyInFullScreen`.
public final class POSIXTerminal: Terminal {
    /// File descriptor keys are read from.
    public let inputDescriptor: Int32
    /// File descriptor the screen is written to.
    public let outputDescriptor: Int32
    /// Whether full-screen mode switches on bracketed paste (pastes arrive as `.paste`).
    public let bracketedPaste: Bool

    private var unflushed: [UInt8] = []
    private var entered = false

    /// True when standard input and standard output are both terminals, i.e. the
    /// full-screen interface can run.
    public static var isInteractive: Bool {
        knot_term_isatty(STDIN_FILENO) == 1 && knot_term_isatty(STDOUT_FILENO) == 1
    }

    /// A terminal on the given descriptors (standard input and output by default).
    /// Throws `.notATerminal` when either is not a terminal (piped, redirected, under a
    /// test runner), before anything is changed.
    public init(
        inputDescriptor: Int32 = STDIN_FILENO,
        outputDescriptor: Int32 = STDOUT_FILENO,
        bracketedPaste: Bool = true
    ) throws(TerminalError) {
        guard knot_term_isatty(inputDescriptor) == 1 else {
            throw .notATerminal(stream: Self.streamName(inputDescriptor, fallback: "input"))
        }
        guard knot_term_isatty(outputDescriptor) == 1 else {
            throw .notATerminal(stream: Self.streamName(outputDescriptor, fallback: "output"))
        }
        self.inputDescriptor = inputDescriptor
        self.outputDescriptor = outputDescriptor
        self.bracketedPaste = bracketedPaste
    }

    deinit {
        restore()
    }

    private static func streamName(_ descriptor: Int32, fallback: String) -> String {
        switch descriptor {
        case STDIN_FILENO: return "standard input"
        case STDOUT_FILENO: return "standard output"
        case STDERR_FILENO: return "standard error"
        default: return "\(fallback) (file descriptor \(descriptor))"
        }
    }

    /// The window size from the terminal (TIOCGWINSZ); `LINES`/`COLUMNS` or 24×80 if unknown.
    public var size: TerminalSize {
        var rows: Int32 = 0
        var columns: Int32 = 0
        if knot_term_window_size(outputDescriptor, &rows, &columns) == 0
            || knot_term_window_size(inputDescriptor, &rows, &columns) == 0 {
            return TerminalSize(rows: Int(rows), columns: Int(columns))
        }
        if let lines = environmentValue("LINES").flatMap(Int.init),
           let width = environmentValue("COLUMNS").flatMap(Int.init), lines > 0, width > 0 {
            return TerminalSize(rows: lines, columns: width)
        }
        return .standard
    }

    public var isFullScreen: Bool { entered && knot_term_is_active() == 1 }

    public func write(_ bytes: [UInt8]) {
        unflushed.append(contentsOf: bytes)
    }

    public func flush() throws(TerminalError) {
        var offset = 0
        defer { unflushed.removeFirst(offset) }
        while offset < unflushed.count {
            let written = unflushed.withUnsafeBytes { buffer in
                systemWrite(outputDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            let code = currentErrno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                var descriptor = pollfd(fd: outputDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 100)
                continue
            }
            offset = unflushed.count // drop the frame; the next full redraw repairs the screen
            throw .systemCall(operation: "write", code: code)
        }
    }

    public func readInput(timeout: Duration?) throws(TerminalError) -> [UInt8] {
        var descriptor = pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.map { Self.milliseconds($0) } ?? -1
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 {
            let code = currentErrno
            if code == EINTR || code == EAGAIN { return [] } // a signal, e.g. SIGWINCH
            throw .systemCall(operation: "poll", code: code)
        }
        if ready == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { systemRead(inputDescriptor, $0.baseAddress!, $0.count) }
        if count > 0 { return Array(buffer[0..<count]) }
        if count == 0 { throw .inputClosed }
        let code = currentErrno
        if code == EINTR || code == EAGAIN || code == EWOULDBLOCK { return [] }
        throw .systemCall(operation: "read", code: code)
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let total = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: total)
    }

    public func enterFullScreen() throws(TerminalError) {
        guard !entered else { throw .alreadyInFullScreen }
        try flush()
        let enter = Array(ControlSequences.enterFullScreen(bracketedPaste: bracketedPaste).utf8)
        let leave = Array(ControlSequences.leaveFullScreen.utf8)
        let result = enter.withUnsafeBufferPointer { enterBytes in
            leave.withUnsafeBufferPointer { leaveBytes in
                enterBytes.withMemoryRebound(to: CChar.self) { enterChars in
                    leaveBytes.withMemoryRebound(to: CChar.self) { leaveChars in
                        knot_term_enter(inputDescriptor, outputDescriptor,
                                        enterChars.baseAddress, enterChars.count,
                                        leaveChars.baseAddress, leaveChars.count)
                    }
                }
            }
        }
        guard result == 0 else {
            let code = currentErrno
            if code == EBUSY { throw .alreadyInFullScreen }
            throw .systemCall(operation: "tcsetattr", code: code)
        }
        entered = true
    }

    public func restore() {
        guard entered else { return }
        entered = false
        try? flush()
        unflushed.removeAll()
        _ = knot_term_restore()
    }

    public func consumeResize() -> Bool {
        knot_term_take_resized() == 1
    }

    /// Suspends the program like Ctrl-Z in a shell: the terminal is restored, the process
    /// stops, and on `fg` full-screen mode comes back and a resize is reported (redraw then).
    /// Returns false when the shell has no job control; nothing happens then.
    @discardableResult
    public func suspend() -> Bool {
        guard entered else { return false }
        try? flush()
        return knot_term_suspend() == 0
    }
}

// The C library's write and read, out of reach inside the class, whose `write(_:)` method
// would otherwise shadow them.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, bytes, count)
}
