import Foundation
import ClinicModel

/// Rules `self-management.exercise` and `self-management.education`: what was prescribed or
/// taught at the visit as a treatment reaches the patient's home program, so an exercise given
/// in the clinic is not lost between the visit and the plan.
///
/// An exercise becomes one item with its dose (hold time, sets) and the practitioner's notes;
/// advice (education) becomes an item only when the notes say what it was.
enum SelfManagementRules {
    static let rules: Set<String> = [PlanRule.selfManagementExercise, PlanRule.selfManagementEducation]

    static func items(for visit: Visit) -> [FollowUpPlan.Item] {
        visit.treatments.compactMap { t -> FollowUpPlan.Item? in
            let notes = t.notes?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            let site = t.muscleID.map { ClinicWording.muscleAndSideInline($0, t.side) }
            switch t.kind {
            case .exercise:
                var text = "Exercise" + (site.map { " for the \($0)" } ?? "") + ": " + (notes ?? "as shown at your visit")
                if !text.hasSuffix(".") { text += "." }
                if let dose = dose(t) { text += " \(dose)." }
                text += " Stop if: the pain gets sharp or spreads, and tell us at your review."
                return FollowUpPlan.Item(section: .homeProgram, text: text, rule: PlanRule.selfManagementExercise)
            case .education:
                guard let notes else { return nil }
                var text = "What we talked about" + (site.map { " (\($0))" } ?? "") + ": " + notes
                if !text.hasSuffix(".") { text += "." }
                return FollowUpPlan.Item(section: .homeProgram, text: text, rule: PlanRule.selfManagementEducation)
            default:
                return nil
            }
        }
    }

    /// "Hold 30 seconds, 3 times", "3 sets"; nil when no dose was recorded.
    private static func dose(_ t: Treatment) -> String? {
        switch (t.holdTime, t.cycles) {
        case let (hold?, cycles?): "Hold \(hold.value) seconds, \(cycles) time\(cycles == 1 ? "" : "s")"
        case let (hold?, nil): "Hold \(hold.value) seconds"
        case let (nil, cycles?): "\(cycles) set\(cycles == 1 ? "" : "s")"
        case (nil, nil): nil
        }
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
