/// One problem found in an XML document or schema, with the place it was found.
///
/// Messages are shown to practitioners and support staff as `letter.xml:12:5: error: ...`, so
/// every error carries the file name (when known), the line and the column (0 when unknown;
/// schema validation errors have a line but no column).
public struct XMLError: Error, Sendable, CustomStringConvertible, Equatable, Hashable {
    /// What kind of problem this is, so callers can choose a message or an exit code.
    public enum Kind: String, Sendable, Equatable, Hashable, CaseIterable {
        /// Over a size or nesting limit (file size, text node, attribute, depth, name).
        case tooLarge
        /// The file is empty or holds only whitespace.
        case empty
        /// Not well-formed XML (including namespace errors).
        case notWellFormed
        /// The document has a DOCTYPE; Knot refuses all DTDs and entity declarations.
        case doctypeForbidden
        /// Bad bytes for the encoding: invalid UTF-8, NUL bytes, UTF-16 without a byte order
        /// mark, an encoding declaration that does not match the bytes or is not supported.
        case encoding
        /// Well-formed but not valid against the schema.
        case invalid
        /// Reading or writing a file failed.
        case io
        /// Something Knot does not handle: another file type (PDF, ZIP), XML 1.1, an external
        /// resource a schema asked for, a misuse of the streaming API.
        case unsupported
    }

    public var kind: Kind
    /// File name shown in messages (not a path that is ever opened).
    public var file: String?
    /// 1-based line, 0 when unknown.
    public var line: Int
    /// 1-based column in characters, 0 when unknown.
    public var column: Int
    public var message: String

    public init(kind: Kind, message: String, file: String? = nil, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `letter.xml:12:5: error: message`; the column or line is left out when unknown.
    public var description: String {
        var place = file ?? "<memory>"
        if line > 0 {
            place += ":\(line)"
            if column > 0 {
                place += ":\(column)"
            }
        }
        return "\(place): error: \(message)"
    }
}
