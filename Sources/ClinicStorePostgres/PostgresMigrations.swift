import PostgresNIO

/// Brings a clinic database on PostgreSQL to the schema this Knot knows, one named migration
/// per transaction, recorded in `knot_schema_migration`.
///
/// Several Knot processes may start at once against one server: each migration's transaction
/// first takes a transaction-scoped advisory lock, then checks whether the step is recorded,
/// so a step runs exactly once. A database that records a migration this Knot does not know
/// was migrated by a newer Knot and is refused rather than written with an older idea of it.
public enum PostgresMigrations {
    /// Every migration, in order. Append only; never edit or reorder a shipped one.
    public static let all: [PGMigration] = [.schema, .rules, .patientSearch, .sqliteParity, .outcomeStrike, .exportKeys, .identifierNumbers]

    /// The table that records applied migrations.
    public static let table = "knot_schema_migration"

    /// The advisory lock key that serialises migrations ("KNOT" as a number).
    static let lockKey: Int64 = 0x4B4E_4F54

    /// Applies the migrations that `connection`'s database lacks; returns their names.
    @discardableResult
    public static func migrate(_ connection: PostgresConnection, migrations: [PGMigration] = all,
                               logger: Logger = Logger(label: "knot.postgres.migrations")) async throws(PostgresMigrationError) -> [String] {
        try migrateBlocking(connection, migrations: migrations, logger: logger)
    }

    /// The names of the migrations recorded in the database, in the order they were applied.
    public static func applied(_ connection: PostgresConnection,
                               logger: Logger = Logger(label: "knot.postgres.migrations")) async throws(PostgresMigrationError) -> [String] {
        try appliedBlocking(connection, logger: logger)
    }

    /// `migrate`, waiting on the connection's event loop from a thread that is not one: the
    /// record store's synchronous API (PostgresRecordStore) runs migrations this way.
    @discardableResult
    public static func migrateBlocking(_ connection: PostgresConnection, migrations: [PGMigration] = all,
                                       logger: Logger = Logger(label: "knot.postgres.migrations")) throws(PostgresMigrationError) -> [String] {
        // Only when the table is missing: a role that does not own the schema (knot_app, see
        // docs/postgres-app-role.sql) may not even run CREATE TABLE IF NOT EXISTS.
        let exists = try select(connection, logger: logger, during: "looking for \(table)",
                                "SELECT to_regclass(\(literal(table)))::text WHERE to_regclass(\(literal(table))) IS NOT NULL")
        if exists.isEmpty {
            try run(connection, logger: logger, during: "creating \(table)", statements: [
                "SELECT pg_advisory_xact_lock(\(lockKey))",
                "CREATE TABLE IF NOT EXISTS \(table) (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            ])
        }
        let known = Set(migrations.map(\.name))
        let recorded = try appliedBlocking(connection, logger: logger)
        if let unknown = recorded.first(where: { !known.contains($0) }) {
            throw .newerDatabase(migration: unknown)
        }
        var done: [String] = []
        for migration in migrations where !recorded.contains(migration.name) {
            for name in migration.requiredExtensions {
                let rows = try select(connection, logger: logger, during: "checking extension \(name)",
                                      "SELECT name FROM pg_available_extensions WHERE name = \(literal(name))")
                if rows.isEmpty { throw .extensionMissing(name: name, migration: migration.name) }
            }
            let ran = try transaction(connection, logger: logger, migration: migration)
            if ran { done.append(migration.name) }
        }
        return done
    }

    /// `applied`, blocking (see `migrateBlocking`).
    public static func appliedBlocking(_ connection: PostgresConnection,
                                       logger: Logger = Logger(label: "knot.postgres.migrations")) throws(PostgresMigrationError) -> [String] {
        try select(connection, logger: logger, during: "reading \(table)",
                   "SELECT name FROM \(table) ORDER BY applied_at, name")
    }

    /// Runs one statement and waits for its rows.
    private static func sql(_ connection: PostgresConnection, _ text: String, logger: Logger) throws -> PostgresQueryResult {
        // A migration may build indexes over a large clinic: an hour, not the query timeout.
        try PostgresQueryWait.result(of: connection.query(PostgresQuery(unsafeSQL: text), logger: logger),
                                     on: connection, timeout: .seconds(3600))
    }

    /// Runs one migration in its own transaction; false when another process applied it first.
    private static func transaction(_ connection: PostgresConnection, logger: Logger, migration: PGMigration) throws(PostgresMigrationError) -> Bool {
        do {
            _ = try sql(connection, "BEGIN", logger: logger)
            _ = try sql(connection, "SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            let rows = try sql(connection, "SELECT name FROM \(table) WHERE name = \(literal(migration.name))", logger: logger)
            if !rows.rows.isEmpty {
                _ = try sql(connection, "ROLLBACK", logger: logger)
                return false
            }
            for (index, statement) in migration.statements.enumerated() {
                do {
                    _ = try sql(connection, statement, logger: logger)
                } catch {
                    _ = try? sql(connection, "ROLLBACK", logger: logger)
                    throw PostgresMigrationError.failed(migration: migration.name, statement: index + 1,
                                                        detail: PostgresServerError(error).description)
                }
            }
            _ = try sql(connection, "INSERT INTO \(table) (name) VALUES (\(literal(migration.name)))", logger: logger)
            _ = try sql(connection, "COMMIT", logger: logger)
            logger.debug("applied migration", metadata: ["migration": "\(migration.name)"])
            return true
        } catch let error as PostgresMigrationError {
            throw error
        } catch {
            _ = try? sql(connection, "ROLLBACK", logger: logger)
            throw .failed(migration: migration.name, statement: 0, detail: PostgresServerError(error).description)
        }
    }

    private static func run(_ connection: PostgresConnection, logger: Logger, during: String,
                            statements: [String]) throws(PostgresMigrationError) {
        do {
            _ = try sql(connection, "BEGIN", logger: logger)
            for statement in statements { _ = try sql(connection, statement, logger: logger) }
            _ = try sql(connection, "COMMIT", logger: logger)
        } catch {
            _ = try? sql(connection, "ROLLBACK", logger: logger)
            throw .failed(migration: during, statement: 0, detail: PostgresServerError(error).description)
        }
    }

    private static func select(_ connection: PostgresConnection, logger: Logger, during: String,
                               _ text: String) throws(PostgresMigrationError) -> [String] {
        do {
            return try sql(connection, text, logger: logger).rows.map { try $0.decode(String.self) }
        } catch {
            throw .failed(migration: during, statement: 0, detail: PostgresServerError(error).description)
        }
    }

    /// A SQL string literal (migration and extension names are Knot's own constants).
    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// Why the schema could not be brought up to date.
public enum PostgresMigrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database records a migration this Knot does not know.
    case newerDatabase(migration: String)
    /// The server lacks an extension the schema needs.
    case extensionMissing(name: String, migration: String)
    /// A statement failed; nothing of that migration was kept.
    case failed(migration: String, statement: Int, detail: String)

    public var description: String {
        switch self {
        case let .newerDatabase(migration):
            "the clinic database was migrated by a newer Knot (it records migration '\(migration)', unknown here); upgrade Knot"
        case let .extensionMissing(name, migration):
            "the PostgreSQL server has no '\(name)' extension, which migration '\(migration)' needs for patient search; "
                + "install it on the server (Debian: the postgresql package ships it; elsewhere postgresql-contrib) and run Knot again"
        case let .failed(migration, statement, detail):
            statement > 0
                ? "migration '\(migration)' failed at statement \(statement) and was rolled back: \(detail)"
                : "migration step '\(migration)' failed: \(detail)"
        }
    }
}
