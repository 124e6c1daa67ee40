import PostgresNIO

/// What the server said when it refused a command: SQLSTATE, message and, for a broken
/// constraint, its name. PostgresNIO's own description hides the server's message (it may hold
/// data); this keeps the parts Knot needs to tell a clinical rule from a fault.
public struct PostgresServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The five-character SQLSTATE ("23514" for a CHECK), or nil when the server said nothing.
    public let sqlState: String?
    public let message: String
    public let constraint: String?

    public init(sqlState: String?, message: String, constraint: String?) {
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
    }

    public init(_ error: any Error) {
        if let psql = error as? PSQLError, let info = psql.serverInfo {
            self.init(sqlState: info[.sqlState], message: info[.message] ?? "\(psql.code)", constraint: info[.constraintName])
        } else if let psql = error as? PSQLError {
            self.init(sqlState: nil, message: "\(psql.code)", constraint: nil)
        } else {
            self.init(sqlState: nil, message: "\(error)", constraint: nil)
        }
    }

    /// True for class 23 (integrity constraint violation): CHECK, NOT NULL, foreign key,
    /// unique, and Knot's rule triggers, which all raise 23000. A store reports these as a
    /// clinical rule refused.
    public var isRuleRefusal: Bool { sqlState?.hasPrefix("23") == true }

    public var description: String {
        var text = message
        if let constraint { text += " (constraint \(constraint))" }
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        return text
    }
}
