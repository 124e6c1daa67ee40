import Foundation

/// A consent or precaution screen in force (not struck out): whose it is, when it was recorded
/// and the last day it covers. What a strike checks before marking one struck out.
public struct SafetyInForce: Sendable, Hashable, Codable {
    /// The patient it was recorded for.
    public var patientID: Int64
    /// When the consent was given or the screen done.
    public var recordedAt: Date
    /// The last day it covers (the day it was recorded when it names no end).
    public var validUntil: LocalDate

    /// A consent or screen in force, as the store read it.
    public init(patientID: Int64, recordedAt: Date, validUntil: LocalDate) {
        self.patientID = patientID; self.recordedAt = recordedAt; self.validUntil = validUntil
    }
}
