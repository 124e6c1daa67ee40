/// How a cell is drawn: attributes plus optional colours (nil means the terminal's default).
///
/// Build styles from the presets and modifiers: `Style.bold.withForeground(.red)`.
/// Colours are dropped at output time when the `ColorPolicy` says so (NO_COLOR); the
/// attributes stay, because reverse video and bold carry meaning (selection, headings).
public struct Style: Hashable, Sendable {
    /// Text colour; nil for the terminal's default.
    public var foreground: TerminalColor?
    /// Background colour; nil for the terminal's default.
    public var background: TerminalColor?
    /// Bold (SGR 1).
    public var isBold: Bool
    /// Dim, faint (SGR 2).
    public var isDim: Bool
    /// Underlined (SGR 4).
    public var isUnderlined: Bool
    /// Reverse video (SGR 7).
    public var isReversed: Bool

    /// Makes a style; everything off by default.
    public init(
        foreground: TerminalColor? = nil,
        background: TerminalColor? = nil,
        bold: Bool = false,
        dim: Bool = false,
        underline: Bool = false,
        reverse: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.isBold = bold
        self.isDim = dim
        self.isUnderlined = underline
        self.isReversed = reverse
    }

    /// The terminal's default look.
    public static let plain = Style()
    /// Bold (often drawn brighter).
    public static let bold = Style(bold: true)
    /// Dim (faint), for secondary text.
    public static let dim = Style(dim: true)
    /// Underlined, e.g. for an input field.
    public static let underline = Style(underline: true)
    /// Reverse video, the usual selection highlight; readable without colours.
    public static let reverse = Style(reverse: true)

    /// This style with another foreground colour.
    public func withForeground(_ color: TerminalColor?) -> Style { var copy = self; copy.foreground = color; return copy }
    /// This style with another background colour.
    public func withBackground(_ color: TerminalColor?) -> Style { var copy = self; copy.background = color; return copy }
    /// This style, bold.
    public func bolded() -> Style { var copy = self; copy.isBold = true; return copy }
    /// This style, dim.
    public func dimmed() -> Style { var copy = self; copy.isDim = true; return copy }
    /// This style, underlined.
    public func underlined() -> Style { var copy = self; copy.isUnderlined = true; return copy }
    /// This style with reverse video switched on.
    public func reversed() -> Style { var copy = self; copy.isReversed = true; return copy }

    /// The SGR escape sequence that sets exactly this style from any previous one
    /// (it always starts with a reset, "ESC [ 0").
    public func sgrSequence(colorPolicy: ColorPolicy) -> String {
        var codes = [0]
        if isBold { codes.append(1) }
        if isDim { codes.append(2) }
        if isUnderlined { codes.append(4) }
        if isReversed { codes.append(7) }
        if colorPolicy == .color {
            if let foreground { codes.append(foreground.foregroundCode) }
            if let background { codes.append(background.backgroundCode) }
        }
        return "\u{1B}[" + codes.map(String.init).joined(separator: ";") + "m"
    }
}
