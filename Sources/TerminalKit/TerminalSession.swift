/// Runs code in full-screen mode and always gives the terminal back.
///
/// `restore()` runs when the body returns or throws; signals and crashes are covered by the
/// POSIX terminal's own handlers. Print error messages after this returns, not inside, so
/// they land on the normal screen.
public enum TerminalSession {
    /// Enters full-screen mode on `terminal`, runs `body`, restores the terminal.
    public static func withFullScreen<Result>(
        _ terminal: some Terminal,
        body: () throws -> Result
    ) throws -> Result {
        try terminal.enterFullScreen()
        defer { terminal.restore() }
        return try body()
    }

    /// Enters full-screen mode on `terminal`, runs the async `body`, restores the terminal.
    public static func withFullScreen<Result>(
        _ terminal: some Terminal,
        isolation: isolated (any Actor)? = #isolation,
        body: () async throws -> Result
    ) async throws -> Result {
        try terminal.enterFullScreen()
        defer { terminal.restore() }
        return try await body()
    }
}
