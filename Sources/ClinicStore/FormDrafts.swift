import Foundation
import GRDB

/// What a half-typed form belongs to: the draft visit it adds to, the signed visit it amends,
/// a new patient, a patient's details, or a patient's new alert.
///
/// One form draft per slot and actor: a practitioner sees only the forms they typed.
public enum FormDraftSlot: Sendable, Hashable, CustomStringConvertible {
    /// A form over the visit editor (consent, finding, needling, treatment...) of draft visit N.
    case visit(Int64)
    /// The amendment of signed visit N.
    case amend(Int64)
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
    public var slot: FormDraftSlot
    public var actor: String
    /// Which form ("needling", "amend", "patient"...): the front end decodes `state` by it.
    public var kind: String
    /// The form's state, as JSON the front end wrote.
    public var state: String
    public var savedAt: Date

    public init(slot: FormDraftSlot, actor: String, kind: String, state: String, savedAt: Date) {
        self.slot = slot
        self.actor = actor
        self.kind = kind
        self.state = state
        self.savedAt = savedAt
    }
}

/// Form drafts: not clinical records, so they are replaced, deleted and never audited or
/// exported (the audit trail records what is saved, not every key).
extension StoreTransaction {
    /// Keeps `draft`, replacing the slot's earlier one for the same actor.
    public func saveFormDraft(_ draft: StoredFormDraft) throws {
        try db.cachedStatement(sql: """
            INSERT INTO form_draft (slot, actor, kind, state, saved_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (slot, actor) DO UPDATE SET kind = excluded.kind, state = excluded.state, saved_at = excluded.saved_at
            """).execute(arguments: [draft.slot.rawValue, draft.actor, draft.kind, draft.state, Self.truncated(draft.savedAt)])
    }

    /// The actor's form draft in `slot`, if any.
    public func formDraft(slot: FormDraftSlot, actor: String) throws -> StoredFormDraft? {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT kind, state, saved_at FROM form_draft WHERE slot = ? AND actor = ?"),
                                   arguments: [slot.rawValue, actor])
        return try row.map {
            let d = $0.checked("form_draft", key: "kind")
            return try StoredFormDraft(slot: slot, actor: actor, kind: d["kind"], state: d["state"], savedAt: d["saved_at"])
        }
    }

    /// Forgets the actor's form draft in `slot` (nothing when there is none).
    public func deleteFormDraft(slot: FormDraftSlot, actor: String) throws {
        try db.cachedStatement(sql: "DELETE FROM form_draft WHERE slot = ? AND actor = ?").execute(arguments: [slot.rawValue, actor])
    }

    /// Forgets every actor's form draft in `slot` (a visit that can no longer take them).
    public func deleteFormDrafts(slot: FormDraftSlot) throws {
        try db.cachedStatement(sql: "DELETE FROM form_draft WHERE slot = ?").execute(arguments: [slot.rawValue])
    }

    /// Every kept form draft, oldest first, without its typing (for `knot check`: which forms
    /// wait for whom, since when; `state` is left empty).
    public func formDraftOverview() throws -> [StoredFormDraft] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT slot, actor, kind, saved_at FROM form_draft ORDER BY saved_at, slot, actor"))
            .map { row in
                let d = row.checked("form_draft", key: "slot")
                let raw: String = try d["slot"]
                guard let slot = FormDraftSlot(rawValue: raw) else { throw d.damaged("slot", "\(CheckedRow.quoted(raw)) is not a known form slot") }
                return try StoredFormDraft(slot: slot, actor: d["actor"], kind: d["kind"], state: "", savedAt: d["saved_at"])
            }
    }

    /// How many form drafts are kept, all actors (for `knot check` and tests).
    public func formDraftCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM form_draft") ?? 0
    }
}
