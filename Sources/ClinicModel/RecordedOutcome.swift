import Foundation

/// An outcome measure as recorded at one of the patient's visits, with that visit's id and
/// start: what the chart's trends are drawn from, without reading every visit in full.
public struct RecordedOutcome: Sendable, Hashable, Codable {
    /// The visit it was recorded at.
    public var visitID: Int64
    /// When the visit started.
    public var startedAt: Date
    /// The measure: its scale, item scores and total.
    public var measure: OutcomeMeasure

    /// An outcome measure with the visit it was recorded at.
    public init(visitID: Int64, startedAt: Date, measure: OutcomeMeasure) {
        self.visitID = visitID; self.startedAt = startedAt; self.measure = measure
    }
}
