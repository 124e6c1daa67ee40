/// Who a rendered plan is for: the patient's take-home plan, or the letter back to the referrer.
///
/// The same plan reads differently to each: the patient gets every instruction in full, the
/// referrer gets findings, treatment, the response so far and the plan in summary.
public enum PlanAudience: String, Sendable, Hashable, CaseIterable {
    /// The patient's plan, or the letter to the referrer.
    case patient, referrer
}
