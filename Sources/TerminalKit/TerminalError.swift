/// What went wrong talking to the terminal, with enough context to tell the user.
///
/// One error type for the whole module (as swift-nio does per area). `description` is a
/// sentence fit for showing after the terminal has been restored.
public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The named stream ("standard input", "standard output") is not a terminal, e.g. when
    /// output is piped to a file or the program runs under a test runner or cron.
    case notATerminal(stream: String)
    /// Another `POSIXTerminal` is already in full-screen mode; there is one terminal per process.
    case alreadyInFullScreen
    /// A system call failed; `operation` names it ("tcsetattr", "read", ...), `code` is errno.
    case systemCall(operation: String, code: Int32)
    /// Input reached end of file (the terminal hung up, or an in-memory terminal ran out of
    /// queued input). An input loop should end cleanly on this.
    case inputClosed

    public var description: String {
        switch self {
        case .notATerminal(let stream):
            return "\(stream) is not a terminal; the full-screen interface needs an interactive terminal"
        case .alreadyInFullScreen:
            return "the terminal is already in full-screen mode"
        case .systemCall(let operation, let code):
            return "\(operation) failed: \(systemErrorMessage(code)) (errno \(code))"
        case .inputClosed:
            return "terminal input was closed"
        }
    }
}
