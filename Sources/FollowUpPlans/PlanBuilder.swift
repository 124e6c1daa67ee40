import Foundation
import ClinicModel

/// Builds the draft follow-up plan for a signed visit, for the practitioner to review.
///
/// The plan is a list of items, each from one rule (`PlanRule`), in section order: home
/// program, after needling, biomechanics, activity, red flags, outcome measures, review; the adverse-event rules
/// add to the home program, after-needling and red-flag sections. The practitioner then
/// adds, removes or rewords items before the plan is made final; renderers draw whatever the
/// plan holds, so their edits always show.
public enum PlanBuilder {
    /// The draft plan for the signed visit in `ctx`: every rule's items in section order, and the review
    /// date `rules` give.
    public static func build(_ ctx: PlanContext, rules: ReviewRules = .standard) -> FollowUpPlan {
        let decision = rules.decide(ctx)
        var items: [FollowUpPlan.Item] = []
        items += HomeProgramRules.items(for: ctx.visit)
        items += SelfManagementRules.items(for: ctx.visit)
        let adverse = AdverseEventRules.items(for: ctx)
        items += adverse.filter { $0.section == .homeProgram }
        items += adverse.filter { $0.section == .afterNeedling }
        items += AfterNeedlingRules.items(for: ctx)
        items += BiomechanicsRules.items(for: ctx.visit)
        items += ActivityRules.items(for: ctx.visit)
        items += adverse.filter { $0.section == .redFlags }
        items += RedFlagRules.items(for: ctx)
        items += OutcomeRules.items(for: ctx)
        items += ReviewItems.items(for: ctx, decision: decision)
        return FollowUpPlan(visitID: ctx.visit.id ?? 0, status: .draft, createdAt: Date(),
                            reviewDate: decision.date, items: items)
    }
}
