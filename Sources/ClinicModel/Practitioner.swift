import Foundation

/// The allied-health profession of a practitioner.
public enum Profession: String, Sendable, Codable, CaseIterable {
    /// The professions Knot records; `other` for any not listed.
    case physiotherapist, podiatrist, chiropractor, osteopath, myotherapist, other
}

/// What a user of Knot may see: practitioners see everything; reception sees demographics and
/// referrals, never clinical notes.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// A practitioner (sees the whole record) or reception (demographics and referrals only).
    case practitioner, reception
}

/// Dry-needling training on file (some jurisdictions require it before needling).
public struct DryNeedlingTraining: Sendable, Hashable, Codable {
    /// The course's name and provider.
    public var course: String
    /// Hours of training.
    public var hours: Int
    /// When the course was completed.
    public var completedOn: LocalDate

    /// A course on file.
    public init(course: String, hours: Int, completedOn: LocalDate) {
        self.course = course; self.hours = hours; self.completedOn = completedOn
    }
}

/// A person who uses Knot: a treating practitioner or a receptionist.
public struct Practitioner: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// Short login-like handle used on the command line (`--practitioner jsmith`), unique.
    public var handle: String
    /// The practitioner's full name, as printed on letters.
    public var name: String
    /// The practitioner's profession.
    public var profession: Profession
    /// The register the number is on (AHPRA, HCPC, NPI, or another body's name); nil on a
    /// number entered before bodies were recorded.
    public var registrationBody: String?
    /// The registration number on that register.
    public var registrationNumber: String?
    /// A Medicare or insurer provider number, where the clinic's country uses one.
    public var providerNumber: String?
    /// What the account may see.
    public var role: Role
    /// The dry-needling training on file; nil gives a warning, not a refusal.
    public var dryNeedlingTraining: DryNeedlingTraining?
    /// A clinic administrator: accounts, clinic settings, restore, retention, importing clinic
    /// exports. Beside the role, not instead of it (the practitioner made by `knot init` is one).
    public var isAdministrator: Bool
    /// False once deactivated: kept for the record (their visits name them), refused at login.
    public var isActive: Bool

    /// A practitioner account; active, not an administrator, unless told otherwise.
    public init(id: Int64? = nil, handle: String, name: String, profession: Profession,
                registrationBody: String? = nil, registrationNumber: String? = nil, providerNumber: String? = nil,
                role: Role = .practitioner,
                dryNeedlingTraining: DryNeedlingTraining? = nil, isAdministrator: Bool = false, isActive: Bool = true) {
        self.id = id; self.handle = handle; self.name = name; self.profession = profession
        self.registrationBody = registrationBody; self.registrationNumber = registrationNumber
        self.providerNumber = providerNumber; self.role = role
        self.dryNeedlingTraining = dryNeedlingTraining
        self.isAdministrator = isAdministrator; self.isActive = isActive
    }

    enum CodingKeys: String, CodingKey {
        case id, handle, name, profession, registrationBody, registrationNumber, providerNumber, role, dryNeedlingTraining, isAdministrator, isActive
    }

    /// Decodes JSON written before accounts had an administrator flag or could be deactivated,
    /// or registrations had a body and a provider number.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decodeIfPresent(Int64.self, forKey: .id), handle: try c.decode(String.self, forKey: .handle),
                  name: try c.decode(String.self, forKey: .name), profession: try c.decode(Profession.self, forKey: .profession),
                  registrationBody: try c.decodeIfPresent(String.self, forKey: .registrationBody),
                  registrationNumber: try c.decodeIfPresent(String.self, forKey: .registrationNumber),
                  providerNumber: try c.decodeIfPresent(String.self, forKey: .providerNumber),
                  role: try c.decode(Role.self, forKey: .role),
                  dryNeedlingTraining: try c.decodeIfPresent(DryNeedlingTraining.self, forKey: .dryNeedlingTraining),
                  isAdministrator: try c.decodeIfPresent(Bool.self, forKey: .isAdministrator) ?? false,
                  isActive: try c.decodeIfPresent(Bool.self, forKey: .isActive) ?? true)
    }

    /// Checks every field; throws all violations together.
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        v.required("handle", handle)
        if !handle.isEmpty, !handle.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) {
            v.badValue("handle", handle, "may hold only letters, digits, '.', '-' and '_'")
        }
        v.maxLength("handle", handle, 32)
        v.required("name", name)
        v.maxLength("name", name, 200)
        v.singleLine("name", name)
        validateRegistration(&v)
        if let t = dryNeedlingTraining {
            v.required("dryNeedlingTraining.course", t.course)
            v.singleLine("dryNeedlingTraining.course", t.course)
            if !(1...2000).contains(t.hours) {
                v.badValue("dryNeedlingTraining.hours", "\(t.hours)", "must be between 1 and 2000")
            }
            if t.completedOn > LocalDate.today() {
                v.add("dryNeedlingTraining.completedOn", t.completedOn.description, "is in the future")
            }
        }
        try v.finish()
    }
}
