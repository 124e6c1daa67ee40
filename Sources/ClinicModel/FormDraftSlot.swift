// Half-typed forms as a record store keeps them, whatever store that is.
import Foundation

/// What a half-typed form belongs to: the draft visit it adds to, the signed visit it amends,
/// a new patient, a patient's details, or a patient's new alert.
///
/// One form draft per slot and actor: a practitioner sees only the forms they typed.
public enum FormDraftSlot: Sendable, Hashable, CustomStringConvertible {
    /// A form over the visit editor (consent, finding, needling, treatment...) of draft visit N.
    case visit(Int64)
    /// The amendment of signed visit N.
    case amend(Int64)
    /// The new-patient form.
    case newPatient
    /// The details of patient N.
    case patient(Int64)
    /// A new alert on patient N.
    case alert(Int64)
    /// The clinic's settings (an administrator's typing in the front end's settings screen).
    case clinicSettings

    /// "visit:219", "amend:57", "patient:new", "patient:12", "alert:12", "clinic:settings".
    public var rawValue: String {
        switch self {
        case .visit(let id): "visit:\(id)"
        case .amend(let id): "amend:\(id)"
        case .newPatient: "patient:new"
        case .patient(let id): "patient:\(id)"
        case .alert(let id): "alert:\(id)"
        case .clinicSettings: "clinic:settings"
        }
    }

    /// Reads a slot's stored form (`visit:219`, `patient:new`...); nil for any other text.
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts == ["patient", "new"] { self = .newPatient; return }
        if parts == ["clinic", "settings"] { self = .clinicSettings; return }
        guard let id = Int64(parts[1]), id > 0 else { return nil }
        switch parts[0] {
        case "visit": self = .visit(id)
        case "amend": self = .amend(id)
        case "patient": self = .patient(id)
        case "alert": self = .alert(id)
        default: return nil
        }
    }

    public var description: String { rawValue }
}

/// A form as it was last typed: which form (`kind`), its state as JSON, and when.
public struct StoredFormDraft: Sendable, Hashable {
    /// Which form the draft belongs to.
    public var slot: FormDraftSlot
    /// The handle of the practitioner who typed it (only they see it).
    public var actor: String
    /// Which form ("needling", "amend", "patient"...): the front end decodes `state` by it.
    public var kind: String
    /// The form's state, as JSON the front end wrote.
    public var state: String
    /// When it was last saved.
    public var savedAt: Date

    /// A draft as the store keeps it.
    public init(slot: FormDraftSlot, actor: String, kind: String, state: String, savedAt: Date) {
        self.slot = slot
        self.actor = actor
        self.kind = kind
        self.state = state
        self.savedAt = savedAt
    }
}
