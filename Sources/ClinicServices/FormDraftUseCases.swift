import Foundation
import ClinicModel
internal import ClinicStore

/// Half-typed forms kept for the one who typed them, so leaving, a closed terminal or a killed
/// process loses nothing: the front end saves a form's state as it is typed, and offers it
/// again when the same practitioner comes back to the same visit, patient or amendment.
///
/// Form drafts are the session actor's own: another practitioner never sees them. They hold
/// patient data, so nothing of them is logged; they are not clinical records, so they are not
/// audited or exported and are deleted once the form is saved or cancelled.
extension ClinicSession {
    /// Keeps the form typed in `slot` (replacing the actor's earlier one there).
    public func saveFormDraft(_ slot: FormDraftSlot, kind: String, state: String, at date: Date = Date()) throws {
        try authorize(.keepFormDrafts)
        try database.write { tx in
            try tx.saveFormDraft(StoredFormDraft(slot: slot, actor: actor, kind: kind, state: state, savedAt: date))
        }
    }

    /// The actor's form draft in `slot`, or nil. A visit form draft whose visit is no longer a
    /// draft (signed since, on any terminal) is stale: it is deleted, not offered, since the
    /// signed visit could not take it.
    public func formDraft(_ slot: FormDraftSlot) throws -> StoredFormDraft? {
        try authorize(.keepFormDrafts)
        return try database.write { tx in
            guard let draft = try tx.formDraft(slot: slot, actor: actor) else { return nil }
            if case .visit(let id) = slot, try tx.visit(id: id)?.status != .draft {
                try tx.deleteFormDrafts(slot: slot)
                return nil
            }
            return draft
        }
    }

    /// Forgets the actor's form draft in `slot` (after the form is saved or cancelled).
    public func discardFormDraft(_ slot: FormDraftSlot) throws {
        try authorize(.keepFormDrafts)
        try database.write { tx in try tx.deleteFormDraft(slot: slot, actor: actor) }
    }
}
