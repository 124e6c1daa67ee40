import ClinicModel

/// Rules `review.*`: the review date, and what is left of the referral.
///
/// The referral's sessions and expiry are named here because a review the referral no longer
/// covers needs a new one from the referrer before the patient comes back.
enum ReviewItems {
    static func items(for ctx: PlanContext, decision: ReviewDecision) -> [FollowUpPlan.Item] {
        let event = decision.reasons.lazy.compactMap { reason -> AdverseEvent.Kind? in
            if case .adverseEvent(let kind, _) = reason { kind } else { nil }
        }.first
        let purpose = event.map {
            "to check on you after today's \(AdverseEventRules.eventName($0)), before any more needling or self-release at that spot"
        } ?? "to check how the spots and your pain have responded and to progress the program"
        var items = [
            FollowUpPlan.Item(
                section: .review,
                text: "Next review: \(ClinicWording.longDate(decision.date)) (in \(ClinicWording.interval(days: decision.days))), \(purpose).",
                rule: PlanRule.reviewDate),
        ]
        guard let referral = ctx.referral else { return items }
        if let allowed = referral.sessionsAllowed, let left = ctx.sessionsRemaining {
            let used = min(ctx.sessionsUsed, allowed)
            let text = left == 0
                ? "Referral from \(referral.referrerName): all \(allowed) sessions used; a new referral is needed for further sessions."
                : "Referral from \(referral.referrerName): \(used) of \(allowed) sessions used, \(left) left."
            items.append(FollowUpPlan.Item(section: .review, text: text, rule: PlanRule.reviewSessions))
        }
        if let expiry = referral.expiresOn, expiry < decision.date {
            let verb = expiry < ctx.today ? "expired" : "expires"
            items.append(FollowUpPlan.Item(
                section: .review,
                text: "The referral from \(referral.referrerName) \(verb) on \(ClinicWording.date(expiry)), before the review: a new referral is needed.",
                rule: PlanRule.reviewReferralExpiry))
        }
        return items
    }
}
