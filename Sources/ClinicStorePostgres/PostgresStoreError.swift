import ClinicModel
import PostgresNIO

/// Why the PostgreSQL store refused to open or to write: the same cases, with the same
/// meaning, as the SQLite store's `StoreError` (ClinicServices turns both into its
/// `StorageError`, so `knot` exits with the same code for the same trouble on either store),
/// and one more for an operation not built on PostgreSQL yet.
///
/// `path` is the database's URL without anything secret (`PostgresConnectionSettings.displayURL`).
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A database that is not Knot's (tables, but no `knot_schema_migration`).
    case notAKnotDatabase(path: String)
    /// Migrated by a newer Knot: migrations this build does not know.
    case newerDatabase(path: String, unknownMigrations: [String])
    /// No clinic in that database (or no such database), and it was not to be created.
    case missing(path: String)
    /// The server cannot be reached, refused the login, or the settings are unusable.
    case cannotOpen(path: String, reason: String)
    /// A record was not found.
    case notFound(entity: String, key: String)
    /// A uniqueness rule (SQLSTATE 23505).
    case duplicate(entity: String, field: String, value: String)
    /// A CHECK, foreign key or Knot's rule trigger refused the write (SQLSTATE class 23).
    case constraint(message: String)
    /// A clinical rule of the model refused the value.
    case invalid(ValidationErrors)
    /// A draft was saved by someone else since it was read.
    case draftConflict(visitID: Int64)
    /// The server could not write (disk full, the connection lost mid-command); nothing was saved.
    case writeFailed(reason: String)
    /// The connection was lost while the server was committing: the change may or may not be
    /// saved (PostgreSQL kept all of it or none of it), and only looking says which.
    case commitUnknown(reason: String)
    /// The server is read-only (a hot standby, `default_transaction_read_only`).
    case readOnly(path: String)
    /// Another transaction held what this one needed (serialization failure, deadlock, lock timeout).
    case busy
    /// A value read back cannot be what its column holds.
    case damaged(table: String, row: String, column: String, problem: String)
    /// The operation exists on the SQLite store but not on PostgreSQL yet (exit 74, like an I/O failure).
    case notBuilt(operation: String)

    public var description: String {
        switch self {
        case .notAKnotDatabase(let p): "\(p) is a PostgreSQL database but not a Knot database; refusing to change it"
        case .newerDatabase(let p, let m):
            "\(p) was written by a newer Knot (unknown migrations: \(m.joined(separator: ", "))); upgrade Knot to open it"
        case .missing(let p):
            "there is no clinic database at \(p) (nothing was created there). Check the URL, or create a clinic there with `knot init --database \(p)`"
        case .cannotOpen(let p, let r): "cannot open the database at \(p): \(r)"
        case .notFound(let e, let k): "no \(e) \(k)"
        case .duplicate(let e, let f, let v): "a \(e) with \(f) '\(v)' already exists"
        case .constraint(let m): "the database refused the change: \(m)"
        case .invalid(let e): e.description
        case .draftConflict(let id):
            "visit \(id) was changed in another session since you opened it; reopen it to see those changes (nothing was overwritten)"
        case .writeFailed(let r): "the database could not be written (\(r)); nothing was saved"
        case .commitUnknown(let r):
            "\(r) while the change was being committed: it was saved whole or not at all, and only looking says which; check before doing it again"
        case .readOnly(let p): "the database at \(p) is read-only; nothing was saved"
        case .busy: "the database stayed busy (another Knot is writing); try again"
        case .damaged(let t, let r, let c, let p):
            (t.isEmpty ? "a value read from the database \(p)" : "\(t.replacingOccurrences(of: "_", with: " ")) \(r), column \(c): \(p)")
                + " (the database was changed outside Knot, or is damaged)"
        case .notBuilt(let operation):
            "\(operation) is not built on PostgreSQL yet (it works on an SQLite clinic database)"
        }
    }

    /// The store error for what the server said (`error` from PostgresNIO) while working on `path`.
    ///
    /// SQLSTATE 23505 (unique) is a duplicate, naming the constraint; the rest of class 23
    /// (CHECK 23514, foreign key 23503, NOT NULL 23502, Knot's triggers 23000) is a constraint
    /// with the server's message; 40001/40P01/55P03 (serialization, deadlock, lock not
    /// available) are busy; 25006 and a hot standby are read-only; 53100 (disk full) and a lost
    /// connection (class 08, 57P01-57P03 shutdown) are write failures; 3D000 (no such
    /// database) is missing; class 28 (login refused) cannot open.
    public static func from(_ error: any Error, path: String) -> PostgresStoreError {
        if let own = error as? PostgresStoreError { return own }
        if let validation = error as? ValidationErrors { return .invalid(validation) }
        if let wait = error as? PostgresQueryWait.Failure { return .writeFailed(reason: wait.reason) }
        let server = PostgresServerError(error)
        guard let state = server.sqlState else {
            if isConnectionLoss(error) {
                return .writeFailed(reason: "the connection to the PostgreSQL server was lost")
            }
            return .writeFailed(reason: "the PostgreSQL server did not answer: \(server.message)")
        }
        switch state {
        case "23505":
            let (entity, field) = uniqueRule(server.constraint)
            return .duplicate(entity: entity, field: field, value: "")
        case _ where state.hasPrefix("23"):
            return .constraint(message: server.message)
        case "40001", "40P01", "55P03", "57014":
            return .busy
        case "25006":
            return .readOnly(path: path)
        case "53100", "53000":
            return .writeFailed(reason: "the server's disk is full")
        case "3D000":
            return .missing(path: path)
        case _ where state.hasPrefix("08") || state.hasPrefix("57P"):
            return .writeFailed(reason: "the connection to the PostgreSQL server was lost (\(state))")
        case _ where state.hasPrefix("28"):
            return .cannotOpen(path: path, reason: "the server refused the login (\(server.message))")
        default:
            return .constraint(message: server.description)
        }
    }

    /// `error` as a store error when it came from the server or the connection; any other error
    /// (a use case's refusal, a validation, a store error already) is returned as it is.
    public static func translated(_ error: any Error, path: String) -> any Error {
        if error is PSQLError || error is ChannelError || error is IOError || error is PostgresQueryWait.Failure { return from(error, path: path) }
        return error
    }

    /// Whether `error` says the connection is gone (the server closed it, the network failed,
    /// or it was closed here): such a connection is never reused.
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError {
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed: return true
            default: break
            }
            if let state = psql.serverInfo?[.sqlState] { return state.hasPrefix("08") || state.hasPrefix("57P") }
            return false
        }
        if let own = error as? PostgresStoreError, case .writeFailed(let reason) = own { return reason.contains("connection") }
        return error is ChannelError || error is IOError || error is PostgresQueryWait.Failure
    }

    /// What a unique constraint protects, as (entity, field) for `duplicate`.
    static func uniqueRule(_ constraint: String?) -> (String, String) {
        switch constraint {
        case "patient_record_number_key": return ("patient", "record number")
        case "patient_identifier_system_value_key": return ("patient identifier", "system and value")
        case "practitioner_handle": return ("practitioner", "handle")
        case let constraint?:
            let parts = constraint.split(separator: "_")
            return (parts.first.map(String.init) ?? "record", parts.dropFirst().joined(separator: " "))
        case nil:
            return ("record", "key")
        }
    }
}
