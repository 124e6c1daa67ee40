/// One named, frozen step of the PostgreSQL schema: plain SQL statements (one command each,
/// since PostgreSQL runs one command per prepared statement), applied in one transaction and
/// recorded by name. Once shipped, a migration is never edited; a change is a new migration.
public struct PGMigration: Sendable {
    public let name: String
    /// Extensions the server must offer (`pg_available_extensions`) before this step runs.
    public let requiredExtensions: [String]
    public let statements: [String]

    public init(name: String, requiredExtensions: [String] = [], statements: [String]) {
        self.name = name
        self.requiredExtensions = requiredExtensions
        self.statements = statements
    }
}
