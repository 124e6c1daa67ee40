/// Something that happened at the terminal: a key, or a new window size.
public enum TerminalEvent: Hashable, Sendable {
    /// A key press (or a paste).
    case key(Key)
    /// The window changed size (or the program resumed after suspension): redraw in full at
    /// this size.
    case resized(TerminalSize)
}
