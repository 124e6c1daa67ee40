import Foundation

/// An outcome measure as recorded at one of the patient's visits, with that visit's id and
/// start: what the chart's trends are drawn from, without reading every visit in full.
public struct RecordedOutcome: Sendable, Hashable, Codable {
    public var visitID: Int64
    /// When the visit started.
    public var startedAt: Date
    public var measure: OutcomeMeasure

    public init(visitID: Int64, startedAt: Date, measure: OutcomeMeasure) {
        self.visitID = visitID; self.startedAt = startedAt; self.measure = measure
    }
}
