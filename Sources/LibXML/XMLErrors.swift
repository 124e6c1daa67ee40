import Foundation

/// Everything that went wrong in one parse, validation, read or write: what every LibXML API throws.
///
/// Validation reports all problems at once (de-duplicated, the first `XMLErrors.cap` kept) so a
/// practitioner can fix a file in one pass; a parse usually stops at its first fatal error.
/// `issues` is never empty.
public struct XMLErrors: Error, Sendable, CustomStringConvertible, Equatable, LocalizedError {
    /// How many issues are kept; the rest are only counted in `omittedCount`.
    public static let cap = 50

    public let issues: [XMLError]
    /// Issues found beyond `cap` (not kept).
    public let omittedCount: Int

    public init(_ issues: [XMLError], omittedCount: Int = 0) {
        precondition(!issues.isEmpty, "XMLErrors needs at least one issue")
        self.issues = issues
        self.omittedCount = omittedCount
    }

    public init(_ issue: XMLError) {
        self.init([issue])
    }

    /// The first issue, the one to show when there is room for one line.
    public var first: XMLError { issues[0] }

    /// The kind of the first issue.
    public var kind: XMLError.Kind { issues[0].kind }

    /// One issue per line, then "... and N more" when some were omitted.
    public var description: String {
        var lines = issues.map(\.description)
        if omittedCount > 0 {
            lines.append("... and \(omittedCount) more")
        }
        return lines.joined(separator: "\n")
    }

    /// Same as `description`, so `localizedDescription` shows file, line and column.
    public var errorDescription: String? { description }
}
