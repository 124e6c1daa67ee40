import Foundation
import Logging
import ClinicModel
import ClinicStore

/// Who is working, on which database: every use case runs in a session.
///
/// The practitioner is chosen per command (`--practitioner`, `KNOT_PRACTITIONER`) or mapped
/// from the operating-system user; with none chosen, read-only commands work as the OS user.
/// The use cases reach the records only through `database`, a `ClinicRecordStore`; only
/// `open(path:)` and the restore name the SQLite store.
public final class ClinicSession: Sendable {
    /// Where the records are; any `ClinicRecordStore` (the SQLite `ClinicDatabase` when opened from a path).
    public let database: any ClinicRecordStore
    /// The chosen user, when one is.
    public let user: Practitioner?
    /// Who the audit trail names: the user's handle, else the OS user.
    public let actor: String
    public let logger: Logger

    public init(database: any ClinicRecordStore, user: Practitioner?, actor: String? = nil, logger: Logger = Logger(label: "knot")) {
        self.database = database
        self.user = user
        self.actor = user?.handle ?? actor ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        self.logger = logger
    }

    /// Opens the database and resolves who is working.
    /// - Parameters:
    ///   - handle: `--practitioner` or `KNOT_PRACTITIONER`; when nil the OS user name is tried.
    public static func open(path: String, handle: String?, create: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClinicSession {
        let db = try ClinicDatabase(path: path, create: create)
        let osUser = environment["USER"] ?? environment["LOGNAME"]
        // Every date and time this process shows, writes or exports is in the clinic's zone.
        ClinicTimeZone.use(try db.read { tx in try ClinicSession.storedTimeZone(tx) })
        let user: Practitioner? = try db.read { tx in
            if let handle, !handle.isEmpty {
                guard let p = try tx.practitioner(handle: handle) else {
                    // An empty clinic has nobody to choose yet (init, demo, a first import).
                    if try tx.practitioners().isEmpty { return nil }
                    throw ServiceError.noPractitioner("no practitioner with handle '\(handle)' (see `knot practitioner list`)")
                }
                return p
            }
            if let osUser, let p = try tx.practitioner(handle: osUser) { return p }
            return nil
        }
        return ClinicSession(database: db, user: user, actor: user == nil && handle?.isEmpty == false ? handle : osUser)
    }

    /// The practitioner doing clinical work; refuses when none is chosen or the user is reception.
    public func requirePractitioner(for action: String) throws -> Practitioner {
        guard let user else {
            throw ServiceError.noPractitioner(
                "\(action) needs to know who is working: pass --practitioner HANDLE or set KNOT_PRACTITIONER")
        }
        guard user.role == .practitioner else {
            throw ServiceError.forbidden("\(user.handle) works as reception and cannot \(action)")
        }
        return user
    }

    /// Refuses reception users access to clinical notes.
    public func requireClinicalAccess() throws {
        if user?.role == .reception {
            throw ServiceError.forbidden("reception users cannot read clinical notes (demographics and referrals only)")
        }
    }

    public var isReception: Bool { user?.role == .reception }
}
