import Foundation
import Testing
import ClinicModel
import FollowUpPlans
import ClinicTestSupport
import TextCells

extension FollowUpPlan {
    /// The items a rule produced.
    func items(_ rule: String) -> [FollowUpPlan.Item] { items.filter { $0.rule == rule } }
    func has(_ rule: String) -> Bool { items.contains { $0.rule == rule } }
    var rules: [String] { items.map(\.rule) }
}

/// Builds the plan for a visit with the usual fixtures around it.
func plan(_ visit: Visit, history: [Visit]? = nil, rules: ReviewRules = .standard) -> FollowUpPlan {
    PlanBuilder.build(PlanFixtures.context(visit, history: history), rules: rules)
}

extension String {
    /// The text with line breaks and runs of spaces made single spaces (to find a phrase that
    /// wrapping split over lines).
    var flattened: String { split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
}
