import Foundation

/// A patient's next review as their latest final follow-up plan sets it: the recall list's
/// line before it is counted from today or matched to a referral.
public struct PlannedReview: Sendable, Hashable, Codable {
    /// The patient (archived patients are not recalled).
    public var patient: PatientSummary
    /// The review date the plan set.
    public var reviewDate: LocalDate
    /// The visit whose plan set the review date.
    public var visitID: Int64

    /// A patient's planned review.
    public init(patient: PatientSummary, reviewDate: LocalDate, visitID: Int64) {
        self.patient = patient; self.reviewDate = reviewDate; self.visitID = visitID
    }
}
