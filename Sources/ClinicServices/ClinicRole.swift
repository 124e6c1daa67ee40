import ClinicModel

/// What a user may hold in the clinic, for deciding who may do what.
///
/// A reception user holds `.reception`, a practitioner `.practitioner`; a clinic administrator
/// holds `.administrator` beside either (the practitioner made by `knot init` is one).
public enum ClinicRole: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Reception, practitioner, or clinic administrator (held beside one of the others).
    case reception, practitioner, administrator

    /// Reception below practitioner below administrator: no one grants a role above their own.
    var rank: Int {
        switch self {
        case .reception: 0
        case .practitioner: 1
        case .administrator: 2
        }
    }

    public static func < (a: ClinicRole, b: ClinicRole) -> Bool { a.rank < b.rank }

    /// The roles an account holds (none once deactivated).
    public static func held(by p: Practitioner) -> Set<ClinicRole> {
        guard p.isActive else { return [] }
        var roles: Set<ClinicRole> = [p.role == .reception ? .reception : .practitioner]
        if p.isAdministrator { roles.insert(.administrator) }
        return roles
    }
}
