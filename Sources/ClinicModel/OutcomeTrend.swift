import Foundation

/// One outcome scale's scores over a patient's visits, oldest first, and whether the change from
/// the first to the latest reaches the scale's MCID (`ClinicalImportance`).
public struct OutcomeTrend: Sendable, Hashable, Codable {
    /// One visit's score.
    public struct Point: Sendable, Hashable, Codable {
        /// The visit the score comes from (nil for one not stored).
        public var visitID: Int64?
        /// The visit's date.
        public var date: LocalDate
        /// The score, in the scale's units.
        public var score: Double
        /// A score from one visit.
        public init(visitID: Int64?, date: LocalDate, score: Double) { self.visitID = visitID; self.date = date; self.score = score }
    }

    /// The questionnaire the scores are on.
    public var scale: OutcomeScale
    /// The scores, oldest first.
    public var points: [Point]

    /// A trend of `points` (oldest first) on `scale`.
    public init(scale: OutcomeScale, points: [Point]) { self.scale = scale; self.points = points }

    /// One trend per scale recorded in `visits` (any order), in the order of `OutcomeScale.allCases`;
    /// a visit with two of the same scale counts its latest.
    public static func trends(in visits: [Visit]) -> [OutcomeTrend] {
        trends(visits.sorted { $0.startedAt < $1.startedAt }.map { ($0.id, $0.date, $0.outcomes) })
    }

    /// The trends over visits given oldest first as (visit id, date, its measures).
    public static func trends(_ visits: [(visitID: Int64?, date: LocalDate, outcomes: [OutcomeMeasure])]) -> [OutcomeTrend] {
        OutcomeScale.allCases.compactMap { scale in
            let points = visits.compactMap { v in
                v.outcomes.last { $0.scale == scale }.map { Point(visitID: v.visitID, date: v.date, score: $0.score) }
            }
            return points.isEmpty ? nil : OutcomeTrend(scale: scale, points: points)
        }
    }

    /// The first-to-latest change; nil with fewer than two scores.
    public var change: ClinicalImportance.Change? {
        guard points.count >= 2, let f = points.first, let l = points.last else { return nil }
        return ClinicalImportance.change(.outcome(scale), from: f.score, to: l.score)
    }

    /// "LEFS 40/80 → 52/80: 12 points better, more than the 9-point MCID".
    public var summary: String {
        let scores = points.map { scale.format($0.score) }.joined(separator: " → ")
        guard let change else { return "\(scale.name) \(scores)" }
        let mcid = scale.formatChange(scale.mcid).replacingOccurrences(of: " points", with: "-point")
        switch change.direction {
        case .unchanged: return "\(scale.name) \(scores): no change"
        case .better, .worse:
            return "\(scale.name) \(scores): \(scale.formatChange(change.difference)) \(change.direction.rawValue), "
                + (change.reachesMCID ? "at least the \(mcid) MCID" : "within the \(mcid) MCID")
        }
    }
}
