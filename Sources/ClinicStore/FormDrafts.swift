import Foundation
import GRDB
import ClinicModel

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
