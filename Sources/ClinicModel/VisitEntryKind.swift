import Foundation

/// The kinds of entry recorded on a visit one by one, which a draft can correct or strike out
/// (an outcome measure is corrected by striking it and recording it again).
///
/// Named for the store (its table), the audit trail and the messages ("trigger point 5").
public enum VisitEntryKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A trigger-point finding.
    case triggerPoint = "trigger-point"
    /// A biomechanical finding.
    case biomechanical
    /// A treatment.
    case treatment
    /// A needling entry.
    case needling
    /// An outcome measure.
    case outcome

    /// The entry in words: "trigger point", "needling entry".
    public var noun: String {
        switch self {
        case .triggerPoint: "trigger point"
        case .biomechanical: "biomechanical finding"
        case .treatment: "treatment"
        case .needling: "needling entry"
        case .outcome: "outcome measure"
        }
    }
}

/// A trigger point, biomechanical finding, treatment, needling entry or outcome measure struck out of a draft:
/// what it was, and when, by whom and why it was struck.
public struct StruckEntry: Sendable, Hashable, Codable {
    /// What kind of entry was struck.
    public var kind: VisitEntryKind
    /// The entry's store id.
    public var id: Int64
    /// The visit it belonged to.
    public var visitID: Int64
    /// The entry in a line ("Gastrocnemius (medial head), left, 2 in, 0 out").
    public var summary: String
    /// When it was struck.
    public var struckAt: Date
    /// The handle of the practitioner who struck it.
    public var struckBy: String
    /// Why, in their words.
    public var reason: String

    /// A struck entry from its columns.
    public init(kind: VisitEntryKind, id: Int64, visitID: Int64, summary: String, struckAt: Date, struckBy: String, reason: String) {
        self.kind = kind; self.id = id; self.visitID = visitID; self.summary = summary
        self.struckAt = struckAt; self.struckBy = struckBy; self.reason = reason
    }
}
