import Foundation

/// One needling entry of the needling log, with the visit it was made at, the patient's record
/// number and the handle of the practitioner who needled (the entry as signed, not amended).
public struct NeedlingLogEntry: Sendable, Hashable, Codable {
    /// The visit (its complaint is left out, and its amendments not counted).
    public var visit: VisitSummary
    public var recordNumber: String
    /// The practitioner's handle.
    public var practitioner: String
    public var entry: NeedlingEntry

    public init(visit: VisitSummary, recordNumber: String, practitioner: String, entry: NeedlingEntry) {
        self.visit = visit; self.recordNumber = recordNumber; self.practitioner = practitioner; self.entry = entry
    }
}
