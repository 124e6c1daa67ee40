import Foundation

/// A consent or precaution screen struck out (recorded in error): kept, with what it was, and
/// when, by whom and why it was struck. It no longer covers any visit.
public struct StruckSafety: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case consent, screen

        /// "consent", "precaution screen".
        public var noun: String { self == .consent ? "consent" : "precaution screen" }
    }
    public var kind: Kind
    public var id: Int64
    public var patientID: Int64
    /// When the consent was given or the screen done.
    public var recordedAt: Date
    /// The last day it would have covered.
    public var validUntil: LocalDate
    public var struckAt: Date
    public var struckBy: String
    public var reason: String

    public init(kind: Kind, id: Int64, patientID: Int64, recordedAt: Date, validUntil: LocalDate,
                struckAt: Date, struckBy: String, reason: String) {
        self.kind = kind; self.id = id; self.patientID = patientID; self.recordedAt = recordedAt
        self.validUntil = validUntil; self.struckAt = struckAt; self.struckBy = struckBy; self.reason = reason
    }

    /// Whether it would have covered `date` had it not been struck.
    public func wouldCover(_ date: LocalDate) -> Bool { date >= LocalDate(recordedAt) && date <= validUntil }
}
