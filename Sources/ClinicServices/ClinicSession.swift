import Foundation
import Logging
import ClinicModel
internal import ClinicStore
internal import ClinicStorePostgres

/// Who is working, on which database: every use case runs in a session.
///
/// The practitioner is chosen per command (`--practitioner`, `KNOT_PRACTITIONER`) or mapped
/// from the operating-system user. Every use case starts with `authorize(_:)`, which checks
/// the one table of who may do what (`ClinicAction.allowed`); without an active account,
/// only setting up a new database is allowed. The use cases reach the records only through
/// `database`, a `ClinicRecordStore`; only `open(path:)` (SQLite for a path, PostgreSQL for a
/// `postgres://` URL) and the restore name a store.
public final class ClinicSession: Sendable {
    /// Where the records are; any `ClinicRecordStore` (the SQLite `ClinicDatabase` when opened from a path).
    public let database: any ClinicRecordStore
    /// The chosen user, when one is.
    public let user: Practitioner?
    /// Who the audit trail names: the user's handle, else the OS user.
    public let actor: String
    /// Where the session logs (no patient data goes into it).
    public let logger: Logger
    /// A session for in-process tools acting for the clinic as a whole (benchmarks, test set-up),
    /// never a person at a terminal: `knot` never makes one.
    public let isMaintenance: Bool
    /// The handle asked for when it had no account yet (an empty clinic): looked up again when
    /// needed, since `knot init` or a clinic export imported in the same run may have made it.
    let pendingHandle: String?

    /// A session for `user` on `database`; the audit trail names the user's handle, else `actor`, else
    /// the operating-system user Knot runs as (`OperatingSystemUser.current`, never `$USER`).
    public convenience init(database: any ClinicRecordStore, user: Practitioner?, actor: String? = nil, logger: Logger = Logger(label: "knot")) {
        self.init(database: database, user: user, actor: actor, logger: logger, maintenance: false)
    }

    private init(database: any ClinicRecordStore, user: Practitioner?, actor: String?, logger: Logger, maintenance: Bool,
                 pendingHandle: String? = nil) {
        self.database = database
        self.pendingHandle = user == nil ? pendingHandle.flatMap { $0.isEmpty ? nil : $0 } : nil
        self.user = user
        self.actor = user?.handle ?? actor ?? OperatingSystemUser.current ?? "unknown"
        self.logger = logger
        self.isMaintenance = maintenance
    }

    /// The same person's session on `database` (the same clinic, reopened at another path: a new
    /// clinic built under a private name and renamed into place), the handle still pending if it was.
    func reopened(on database: any ClinicRecordStore) -> ClinicSession {
        ClinicSession(database: database, user: user, actor: actor, logger: logger, maintenance: isMaintenance,
                      pendingHandle: pendingHandle)
    }

    /// A session allowed every action, for code that links the library and acts for the clinic
    /// as a whole (a benchmark, a test's set-up); its audit events name `actor`.
    public static func maintenance(database: any ClinicRecordStore, actor: String, logger: Logger = Logger(label: "knot")) -> ClinicSession {
        ClinicSession(database: database, user: nil, actor: actor, logger: logger, maintenance: true)
    }

    /// Opens the database and resolves who is working.
    ///
    /// An empty handle means nobody (it never falls back to the OS user); an unknown handle is
    /// refused once the clinic has accounts; a deactivated account is refused.
    /// - Parameters:
    ///   - path: the database file (`--database`, `KNOT_DATABASE`, or the default path).
    ///   - handle: `--practitioner` or `KNOT_PRACTITIONER`; when nil the OS user name is tried
    ///     (the effective user's login from the password database, `OperatingSystemUser.current`).
    ///   - create: whether to create the database when there is none at `path` yet.
    ///   - environment: where a PostgreSQL store's settings are read from; never who is working
    ///     (`USER` and `LOGNAME` are anyone's to set).
    ///   - notice: told when opening does long work first (an upgrade of a database an older
    ///     Knot made, which checks and re-seals every record: minutes for a large clinic).
    public static func open(path: String, handle: String?, create: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            notice: ((OpeningNotice) -> Void)? = nil) throws -> ClinicSession {
        let db = try openRecordStore(at: path, create: create, environment: environment, notice: notice)
        let osUser = OperatingSystemUser.current
        // Every date and time this process shows, writes or exports is in the clinic's zone.
        ClinicTimeZone.use(try db.read { tx in try ClinicSession.storedTimeZone(tx) })
        let user: Practitioner? = try db.read { tx in
            if let handle {
                if handle.isEmpty { return nil }
                guard let p = try tx.practitioner(handle: handle) else {
                    // An empty clinic has nobody to choose yet (init, demo, a first import).
                    if try tx.practitioners().isEmpty { return nil }
                    throw ServiceError.noPractitioner("no practitioner with handle '\(handle)' (see `knot practitioner list`); " + Self.howToBeAdded)
                }
                return p
            }
            if let osUser, let p = try tx.practitioner(handle: osUser) { return p }
            return nil
        }
        if let user, !user.isActive {
            throw ServiceError.forbidden("the account '\(user.handle)' is deactivated; ask a clinic administrator to run `knot practitioner reactivate \(user.handle)`")
        }
        if let user { try checkOSUser(of: user, in: db, running: osUser) }
        return ClinicSession(database: db, user: user, actor: user == nil && handle?.isEmpty == false ? handle : osUser,
                             logger: Logger(label: "knot"), maintenance: false, pendingHandle: handle)
    }

    /// The store for a location: PostgreSQL for a `postgres://` or `postgresql://` URL (a clinic
    /// group's server; `create` runs its migrations, as `knot init` does), else the SQLite file
    /// at that path. Either refuses an uninitialised location when not creating, and a database
    /// of a newer Knot, with the same errors.
    static func openRecordStore(at location: String, create: Bool, environment: [String: String],
                                notice: ((OpeningNotice) -> Void)? = nil) throws -> any ClinicRecordStore {
        if PostgresConnectionSettings.isPostgresURL(location) {
            return try PostgresRecordStore(url: location, create: create, environment: environment)
        }
        return try ClinicDatabase(path: location, create: create, notice: notice)
    }

    /// Whether opening this session created its database (a new, empty clinic at the path).
    public var createdItsDatabase: Bool {
        if let postgres = database as? PostgresRecordStore { return postgres.createdHere }
        return (database as? ClinicDatabase)?.createdHere ?? false
    }

    static let howToBeAdded = howToBeAdded(as: nil)

    /// How to get an account, naming the handle to ask for (the OS user's name, when it can be one).
    static func howToBeAdded(as name: String?) -> String {
        let handle = name.flatMap { n in
            !n.isEmpty && n != "unknown" && n.count <= 32 && n.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) ? n : nil
        } ?? "HANDLE"
        return "ask a clinic administrator to run `knot practitioner add --handle \(handle) --name \"Your Name\" --role practitioner|reception`, then work with --practitioner \(handle) or KNOT_PRACTITIONER=\(handle)"
    }

    /// The roles the user holds now (none without an active account).
    public var roles: Set<ClinicRole> {
        if isMaintenance { return Set(ClinicRole.allCases) }
        return ((try? currentAccount()) ?? nil).map(ClinicRole.held(by:)) ?? []
    }

    /// The account as it stands now: a front end stays open for hours, and an administrator may
    /// deactivate it or change its roles meanwhile; a handle asked for on an empty clinic may
    /// have been made since (`knot init`, a clinic export).
    func currentAccount() throws -> Practitioner? {
        if let user {
            return try user.id.flatMap { id in try database.read { try $0.practitioner(id: id) } } ?? user
        }
        guard let pendingHandle else { return nil }
        return try database.read { try $0.practitioner(handle: pendingHandle) }
    }

    /// Whether the user may do `action` (for showing or hiding what they cannot do).
    public func may(_ action: ClinicAction) -> Bool {
        (try? authorize(action)) != nil
    }

    /// The one permission check, at the top of every use case: refuses (exit 77) unless the
    /// user's roles allow `action` in `ClinicAction.allowed`. Without an account only
    /// `.initialize` and `.loadDemo` are allowed, on a database with no accounts yet, and
    /// `.importClinicExport` into an empty database (moving a clinic: it brings its accounts).
    public func authorize(_ action: ClinicAction) throws {
        _ = try authorizedAccount(action)
    }

    /// `authorize(action)`, answering with the account as it stands (nil for a maintenance
    /// session or a bootstrap without an account). One read of the account, whatever the path.
    private func authorizedAccount(_ action: ClinicAction) throws -> Practitioner? {
        if isMaintenance { return nil }
        guard let current = try currentAccount() else {
            if action.bootstraps, try Self.isBootstrap(action, database) { return nil }
            throw ServiceError.noPractitioner(
                "\(actor.isEmpty || actor == "unknown" ? "this user" : "'" + actor + "'") has no Knot account here, so cannot \(action.wording); " + Self.howToBeAdded(as: actor))
        }
        guard current.isActive else {
            throw ServiceError.forbidden("the account '\(current.handle)' is deactivated and cannot \(action.wording)")
        }
        guard action.isAllowed(for: ClinicRole.held(by: current)) else {
            let held = ClinicRole.held(by: current).sorted().map(\.rawValue).joined(separator: " and ")
            let allowed = ClinicAction.allowed(action).sorted().map(\.rawValue).joined(separator: " or ")
            throw ServiceError.forbidden("\(current.handle) works as \(held) and cannot \(action.wording) (that is for: \(allowed))")
        }
        return current
    }

    /// `authorize(action)` for work that names the practitioner doing it (visits, consent...).
    public func practitioner(authorizedFor action: ClinicAction) throws -> Practitioner {
        guard let user = try authorizedAccount(action) else {
            throw ServiceError.noPractitioner("to \(action.wording), Knot needs to know who is working: pass --practitioner HANDLE or set KNOT_PRACTITIONER")
        }
        return user
    }

    /// The practitioner doing clinical work. Kept for callers written before `authorize(_:)`:
    /// the same check as `practitioner(authorizedFor: .recordVisit)`.
    public func requirePractitioner(for action: String) throws -> Practitioner {
        try practitioner(authorizedFor: .recordVisit)
    }

    /// Refuses those who may not read clinical notes: `authorize(.readClinicalNotes)`.
    public func requireClinicalAccess() throws {
        try authorize(.readClinicalNotes)
    }

    /// True when the user works as reception (no clinical notes).
    public var isReception: Bool { user?.role == .reception }

    /// Without an account: setting up is allowed on a database with no accounts (init, the
    /// demo), and a clinic export may move a whole clinic into an empty database.
    static func isBootstrap(_ action: ClinicAction, _ database: any ClinicRecordStore) throws -> Bool {
        switch action {
        case .initialize, .loadDemo: try database.read { try $0.practitioners().isEmpty }
        case .importClinicExport: try database.read { try $0.isEmptyClinic() }
        default: false
        }
    }
}
