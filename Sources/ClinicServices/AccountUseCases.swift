import Foundation
import ClinicModel

/// Accounts: the first administrator, adding and changing accounts without granting more than
/// one holds, and deactivation (an account stays for the record and is refused at login).
extension ClinicSession {
    /// `knot init`: on a database with no accounts, anyone may make the first one, which becomes
    /// the clinic's administrator; after that, adding an account is an administrator's work.
    @discardableResult
    public func setUpClinic(firstAccount p: Practitioner?) throws -> Practitioner? {
        try authorize(.initialize)
        guard let p else { return nil }
        guard user == nil, !isMaintenance else { return try addPractitioner(p) }
        return try database.write { tx in
            guard try tx.practitioners().isEmpty else {
                throw ServiceError.noPractitioner("the clinic has accounts already, so the first one cannot be made again; " + Self.howToBeAdded)
            }
            var first = p
            first.role = .practitioner
            first.isAdministrator = true
            first.isActive = true
            let saved = try tx.insertPractitioner(first, actor: actor, preservingID: false)
            // The first account is the person setting the clinic up: bound to their login.
            if let id = saved.id, let login = OperatingSystemUser.current { try tx.setOSUser(practitionerID: id, osUser: login, actor: actor) }
            return saved
        }
    }

    /// Restores a backup over this session's database (see `restore(backup:over:actor:)`): a
    /// clinic administrator's work. The session's database is closed first; do not use it after.
    public func restore(backup: String, notice: ((OpeningNotice) -> Void)? = nil) throws -> String {
        try authorize(.restore)
        let target = database.path
        try database.close()
        return try Self.restore(backup: backup, over: target, actor: actor, notice: notice)
    }

    /// A clinic moved in from an export written before accounts had an administrator flag gets
    /// one, as the accounts migration does: its first active practitioner.
    static func ensureAdministrator(_ tx: any ClinicRecords, actor: String) throws {
        let all = try tx.practitioners()
        guard !all.contains(where: { $0.isAdministrator && $0.isActive }),
              var first = all.filter({ $0.role == .practitioner && $0.isActive }).min(by: { ($0.id ?? 0) < ($1.id ?? 0) }) else { return }
        first.isAdministrator = true
        try tx.updatePractitioner(first, actor: actor)
    }

    /// Whether the database has no patients yet (the front end's first run). Reveals nothing
    /// about anyone, so it needs no account.
    public func hasNoPatients() throws -> Bool {
        try database.read { tx in try tx.patientCount(includeArchived: true) == 0 }
    }

    /// Refuses granting roles the granter does not hold: a practitioner account needs a
    /// practitioner to make it, an administrator an administrator (reception, the least, any
    /// administrator may give).
    func checkGrant(_ granted: Set<ClinicRole>, to handle: String) throws {
        if isMaintenance { return }
        let mine = roles
        let above = granted.subtracting(mine).subtracting([.reception])
        if !above.isEmpty {
            throw ServiceError.forbidden("\(user?.handle ?? actor) cannot give '\(handle)' the role \(above.sorted().map(\.rawValue).joined(separator: " and ")): no one grants a role they do not hold")
        }
    }

    /// Deactivates (`active: false`) or reactivates an account. The last active administrator
    /// cannot be deactivated (someone must be able to manage accounts).
    @discardableResult
    public func setAccountActive(handle: String, _ active: Bool) throws -> Practitioner {
        try authorize(.manageAccounts)
        return try database.write { tx in
            guard let p = try tx.practitioner(handle: handle) else { throw ServiceError.notFound("no practitioner '\(handle)' (see `knot practitioner list`)") }
            if !active && p.isAdministrator && p.isActive {
                let admins = try tx.practitioners().filter { $0.isAdministrator && $0.isActive }
                if admins.count <= 1 {
                    throw ServiceError.refused(action: "deactivate \(p.handle)", reasons: ["\(p.handle) is the clinic's only active administrator; make another one first"])
                }
            }
            var after = p
            after.isActive = active
            if active { try checkGrant(ClinicRole.held(by: after), to: p.handle) }
            try tx.updatePractitioner(after, actor: actor)
            return after
        }
    }
}
