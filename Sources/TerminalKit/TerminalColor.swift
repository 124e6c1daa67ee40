/// One of the 16 colours every ANSI terminal has; the user's theme decides the exact shade.
///
/// A small palette on purpose: it follows the user's terminal theme (light or dark) and works
/// everywhere, unlike 256-colour or RGB codes.
public enum TerminalColor: Int, Hashable, Sendable, CaseIterable {
    /// The eight standard colours (SGR 30-37 / 40-47).
    case black, red, green, yellow, blue, magenta, cyan, white
    /// The eight bright colours (SGR 90-97 / 100-107).
    case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite

    /// SGR parameter for this colour as foreground (30-37, 90-97).
    var foregroundCode: Int { rawValue < 8 ? 30 + rawValue : 90 + rawValue - 8 }

    /// SGR parameter for this colour as background (40-47, 100-107).
    var backgroundCode: Int { rawValue < 8 ? 40 + rawValue : 100 + rawValue - 8 }
}
