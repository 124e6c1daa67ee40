/// The role Knot works as day to day on PostgreSQL (`knot_app`), which does not own the clinic's
/// tables: the one statement of its grants.
///
/// Instead of the SQLite store's keyed row seals (which detect a file edited with sqlite3), the
/// server's own rules guard the rows: a role that owns nothing cannot ALTER or DROP a table,
/// DISABLE TRIGGER, TRUNCATE, or change its grants, and this one has no UPDATE or DELETE on
/// `audit_event`. `docs/postgres-app-role.sql`, the script the owner runs with psql, is
/// ``script(role:)`` for `knot_app`, written out: a test compares the file with it, and
/// `KNOT_UPDATE_GOLDEN=1 swift test --filter PostgresWorkingRoleScriptTests` writes it again
/// after a change here.
public enum PostgresWorkingRole {
    /// The role's name in the script the README points to.
    public static let defaultName = "knot_app"

    /// The statements, in order, that make `role` Knot's working role in the current database
    /// (run by the tables' owner, after the migrations; safe to run again). Each is one
    /// statement, to run one by one (one transaction may hold them all).
    ///
    /// - Throws: `PostgresSettingsError.invalid` when `role` is not a plain SQL name (it is
    ///   written into the statements unquoted and inside a string literal).
    public static func statements(role: String) throws -> [String] {
        try steps(role: role).map(\.sql)
    }

    /// The whole script for psql, with the comments that explain it: what
    /// `docs/postgres-app-role.sql` holds, for `knot_app`.
    public static func script(role: String = defaultName) throws -> String {
        var text = header(role: role) + "\n"
        for step in try steps(role: role) {
            if step.comment == "" {
                text += "\n"
            } else if let comment = step.comment {
                text += "\n" + comment.split(separator: "\n", omittingEmptySubsequences: false).map { "-- \($0)" }.joined(separator: "\n") + "\n"
            }
            text += step.sql + ";\n"
        }
        return text
    }

    /// The statements with the comment, if any, that the script puts above each (an empty
    /// comment is a blank line).
    static func steps(role r: String) throws -> [(comment: String?, sql: String)] {
        guard isPlainName(r) else {
            throw PostgresSettingsError.invalid(field: "role", value: r,
                                                rule: "a plain SQL name: lower-case letters, digits and underscores, not starting with a digit, at most 63 characters")
        }
        return [
            (nil, """
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(r)') THEN
                    CREATE ROLE \(r) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
                  END IF;
                END
                $$
                """),
            ("", "GRANT USAGE ON SCHEMA public TO \(r)"),
            (nil, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(r)"),
            (nil, "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO \(r)"),
            (nil, "REVOKE UPDATE, DELETE ON audit_event FROM \(r)"),
            (nil, "REVOKE INSERT, UPDATE, DELETE ON knot_schema_migration FROM \(r)"),
            ("Tables and sequences the owner creates later (a newer Knot's migrations) get the same grants.",
             "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(r)"),
            (nil, "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO \(r)"),
        ]
    }

    /// Whether `name` is a role name that needs no quoting: `[a-z_][a-z0-9_]*`, at most 63 bytes.
    static func isPlainName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard let first = b.first, b.count <= 63, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return b.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }

    /// The script's opening comment: how to run it, and what the role can and cannot do.
    static func header(role r: String) -> String {
        """
        -- Knot on PostgreSQL: the role Knot runs as day to day, `\(r)`, which does not own the
        -- clinic's tables.
        --
        -- Run this as the role that owns the tables (the one Knot's migrations ran as), in the clinic
        -- database, after the migrations:
        --
        --     psql -v ON_ERROR_STOP=1 -d clinic -f docs/postgres-app-role.sql
        --
        -- and again after an upgrade of Knot that added tables (it is safe to run twice). Then give
        -- \(r) a way to log in (`\\password \(r)` and a line in the clinic's password file, or
        -- certificate/peer authentication in pg_hba.conf) and point Knot at
        -- postgres://\(r)@host/clinic.
        --
        -- What \(r) can do: read and write rows as Knot's use cases do, within the rules the schema's
        -- triggers keep (signed visits immutable, needle balance at signing, nothing clinical deleted),
        -- and move the id sequences (UPDATE on them: an import that keeps an export's ids sets them past
        -- the highest). What it cannot do, because only a table's owner (or a superuser) can: ALTER or
        -- DROP a table, DISABLE TRIGGER, TRUNCATE, or change these grants. The audit trail is
        -- append-only twice over: \(r) has no UPDATE or DELETE on audit_event at all, and the trigger
        -- refuses them for everyone else. knot_schema_migration is read-only to it, so a newer Knot's
        -- migrations run as the owner, never as \(r). It connects with PUBLIC's CONNECT on the
        -- database (a cluster that revoked that grants CONNECT ON DATABASE to \(r) itself).
        --
        -- Written from Sources/ClinicStorePostgres/PostgresWorkingRole.swift, the one statement of these
        -- grants (edit there, then: KNOT_UPDATE_GOLDEN=1 swift test --filter PostgresWorkingRoleScriptTests).

        """
    }
}
