/// Whether colours may be written. Attributes (bold, reverse, ...) are always allowed.
///
/// Follows https://no-color.org: a non-empty `NO_COLOR` environment variable turns colour off.
public enum ColorPolicy: Hashable, Sendable {
    /// Colours are written.
    case color
    /// No colour codes at all; only attributes.
    case noColor

    /// The policy for a given value of `NO_COLOR` (nil when unset).
    public static func forNoColorValue(_ value: String?) -> ColorPolicy {
        guard let value, !value.isEmpty else { return .color }
        return .noColor
    }

    /// The policy from this process's environment.
    public static func fromEnvironment() -> ColorPolicy {
        forNoColorValue(environmentValue("NO_COLOR"))
    }
}
