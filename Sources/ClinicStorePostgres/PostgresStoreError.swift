import ClinicModel
import PostgresNIO

/// Why the PostgreSQL store refused to open or to write: the seam's own `StorageError`
/// (ClinicModel), thrown as it is, so the use cases pass it on unchanged and `knot` exits with
/// the same code, and words it the same, for the same trouble on either store. The name stays
/// for the store's code and tests; the SQLSTATE mapping below is this store's alone.
///
/// `path` is the database's URL without anything secret (`PostgresConnectionSettings.displayURL`).
public typealias PostgresStoreError = StorageError

extension StorageError {
    /// The store error for what the server said (`error` from PostgresNIO) while working on `path`.
    ///
    /// SQLSTATE 23505 (unique) is a duplicate, naming the constraint; the rest of class 23
    /// (CHECK 23514, foreign key 23503, NOT NULL 23502, Knot's triggers 23000) is a constraint
    /// with the server's message; 40001/40P01/55P03 (serialization, deadlock, lock not
    /// available) are busy; 25006 and a hot standby are read-only; 53100 (disk full) and a lost
    /// connection (class 08, 57P01-57P03 shutdown) are write failures; 3D000 (no such
    /// database) is missing; class 28 (login refused) cannot open.
    public static func from(_ error: any Error, path: String) -> StorageError {
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
