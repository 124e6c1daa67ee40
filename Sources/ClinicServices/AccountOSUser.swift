import Foundation
import ClinicModel
internal import ClinicStorePostgres

/// The operating-system login Knot runs as (the effective user, from the password database;
/// never `$USER`, which anyone may set).
public enum OperatingSystemUser {
    /// The login name of the effective user; nil when it has none.
    public static var current: String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }

    /// Whether `name` can be an operating-system login name (1-64 letters, digits, `.`, `_`, `-`,
    /// not starting with `-`, an optional final `$`).
    public static func isValid(_ name: String) -> Bool {
        guard (1...64).contains(name.count), !name.hasPrefix("-") else { return false }
        let body = name.hasSuffix("$") ? name.dropLast() : Substring(name)
        return !body.isEmpty && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}

/// Who a handle is: an account may be bound to the operating-system login of the person it
/// belongs to, and is then refused to anyone else running Knot (`--os-user`).
extension ClinicSession {
    /// Refuses (exit 77) an account bound to another login than the one running Knot.
    static func checkOSUser(of user: Practitioner, in database: any ClinicRecordStore, running: String?) throws {
        guard let id = user.id, let bound = try database.read({ try $0.osUser(practitionerID: id) }), bound != running else { return }
        throw ServiceError.forbidden(
            "the account '\(user.handle)' belongs to the operating-system user '\(bound)', and Knot is running as '\(running ?? "(a user with no name)")':"
            + " log in as \(bound) to work as \(user.handle) (on a shared login, through the ssh key whose forced command sets KNOT_PRACTITIONER=\(user.handle));"
            + " if the account is now someone else's, a clinic administrator runs `knot practitioner set \(user.handle) --os-user LOGIN`")
    }

    /// Binds an account to an operating-system login, or unbinds it (nil): an administrator's
    /// work, audited. The login need not exist on this machine yet.
    public func bindOSUser(handle: String, osUser: String?) throws {
        try authorize(.manageAccounts)
        if let osUser, !OperatingSystemUser.isValid(osUser) {
            throw ServiceError.input("--os-user '\(osUser)' is not a login name (1-64 letters, digits, '.', '_', '-')")
        }
        try database.write { tx in
            guard let p = try tx.practitioner(handle: handle), let id = p.id else {
                throw ServiceError.notFound("no practitioner '\(handle)' (see `knot practitioner list`)")
            }
            try tx.setOSUser(practitionerID: id, osUser: osUser, actor: actor)
        }
    }

    /// The operating-system login of each bound account, by handle.
    public func osUsers() throws -> [String: String] {
        try authorize(.listAccounts)
        return try Self.osUsers(database)
    }

    static func osUsers(_ database: any ClinicRecordStore) throws -> [String: String] {
        try database.read { tx in
            var out: [String: String] = [:]
            for p in try tx.practitioners() { if let id = p.id, let u = try tx.osUser(practitionerID: id) { out[p.handle] = u } }
            return out
        }
    }

    /// `knot check`'s warnings: every active account not bound to a login, which anyone who can
    /// run Knot on the file may claim with `--practitioner`.
    func unboundAccountWarnings() throws -> [String] {
        let bound = try Self.osUsers(database)
        let place = PostgresConnectionSettings.isPostgresURL(database.path) ? "with this database's URL and password" : "on this file"
        return try database.read { try $0.practitioners() }.filter { $0.isActive && bound[$0.handle] == nil }.map {
            "account '\($0.handle)' is not bound to an operating-system user: anyone who can run knot \(place) may work as it"
                + " (knot practitioner set \($0.handle) --os-user LOGIN; see the README's deployment section)"
        }
    }
}
