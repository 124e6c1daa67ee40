import Foundation

/// One needling entry of the needling log, with the visit it was made at, the patient's record
/// number and the handle of the practitioner who needled (the entry as signed, not amended).
public struct NeedlingLogEntry: Sendable, Hashable, Codable {
    /// The visit (its complaint is left out, and its amendments not counted).
    public var visit: VisitSummary
    /// The patient's clinic record number (`K00001`).
    public var recordNumber: String
    /// The practitioner's handle.
    public var practitioner: String
    /// The needling entry: site, needle, counts, technique, adverse events.
    public var entry: NeedlingEntry

    /// A line of the needling log.
    public init(visit: VisitSummary, recordNumber: String, practitioner: String, entry: NeedlingEntry) {
        self.visit = visit; self.recordNumber = recordNumber; self.practitioner = practitioner; self.entry = entry
    }
}
