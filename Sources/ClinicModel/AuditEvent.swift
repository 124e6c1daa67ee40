import Foundation

/// Something that happened to the record, for the append-only, hash-chained audit trail.
///
/// Holds no clinical text: an action, who did it, when, and which record, by id.
public struct AuditEvent: Sendable, Hashable, Codable, Identifiable {
    /// What was done to the record.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// Viewed, created, updated, signed, amended, imported, exported, archived, backed up, restored, or
        /// logged in.
        case view, create, update, sign, amend, `import`, export, archive, backup, restore, login
    }
    public var id: Int64?
    /// When it happened.
    public var at: Date
    /// The practitioner's handle, or the operating-system user when none is chosen.
    public var actor: String
    /// What was done.
    public var action: Action
    /// The kind of record: patient, visit, referral, plan, practitioner, database...
    public var entity: String
    /// The record's id, when the event concerns one record.
    public var entityID: Int64?
    /// The patient whose chart the record belongs to, when it belongs to one.
    public var patientID: Int64?
    /// A short non-clinical detail (e.g. "needling entry 3", a file's SHA-256).
    public var detail: String?

    /// An event that has not been stored yet (`id` nil) or one read back from the trail.
    public init(id: Int64? = nil, at: Date = Date(), actor: String, action: Action, entity: String,
                entityID: Int64? = nil, patientID: Int64? = nil, detail: String? = nil) {
        self.id = id; self.at = at; self.actor = actor; self.action = action; self.entity = entity
        self.entityID = entityID; self.patientID = patientID; self.detail = detail
    }
}
