import Foundation

/// A consent or precaution screen struck out (recorded in error): kept, with what it was, and
/// when, by whom and why it was struck. It no longer covers any visit.
public struct StruckSafety: Sendable, Hashable, Codable {
    /// Which record was struck.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A consent or a precaution screen.
        case consent, screen

        /// "consent", "precaution screen".
        public var noun: String { self == .consent ? "consent" : "precaution screen" }
    }
    /// A consent or a screen.
    public var kind: Kind
    /// The struck record's store id.
    public var id: Int64
    /// The patient it belonged to.
    public var patientID: Int64
    /// When the consent was given or the screen done.
    public var recordedAt: Date
    /// The last day it would have covered.
    public var validUntil: LocalDate
    /// When it was struck.
    public var struckAt: Date
    /// The handle of the practitioner who struck it.
    public var struckBy: String
    /// Why it was struck, in their words.
    public var reason: String

    /// A struck consent or screen from its columns.
    public init(kind: Kind, id: Int64, patientID: Int64, recordedAt: Date, validUntil: LocalDate,
                struckAt: Date, struckBy: String, reason: String) {
        self.kind = kind; self.id = id; self.patientID = patientID; self.recordedAt = recordedAt
        self.validUntil = validUntil; self.struckAt = struckAt; self.struckBy = struckBy; self.reason = reason
    }

    /// Whether it would have covered `date` had it not been struck.
    public func wouldCover(_ date: LocalDate) -> Bool { date >= LocalDate(recordedAt) && date <= validUntil }
}
