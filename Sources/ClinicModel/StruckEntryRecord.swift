import Foundation

/// An entry struck out of a visit while it was a draft, as the visit keeps it: which entry, and
/// when, by whom and why it was struck (what it said is in the audit trail, see `StruckEntry`).
public struct StruckEntryRecord: Sendable, Hashable, Codable {
    /// What kind of entry it was (finding, treatment, needling, outcome).
    public var kind: VisitEntryKind
    /// The entry's id (its row is kept).
    public var id: Int64
    /// When it was struck out.
    public var struckAt: Date
    /// The handle of the practitioner who struck it out.
    public var struckBy: String
    /// Why it was struck out, as the practitioner gave it.
    public var reason: String

    /// A struck-out entry as the visit keeps it.
    public init(kind: VisitEntryKind, id: Int64, struckAt: Date, struckBy: String, reason: String) {
        self.kind = kind; self.id = id; self.struckAt = struckAt; self.struckBy = struckBy; self.reason = reason
    }
}
