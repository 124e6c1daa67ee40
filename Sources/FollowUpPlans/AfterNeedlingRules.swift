import ClinicModel

/// Rules `after-needling.*`: what to expect after dry needling and when to call, given only
/// when the visit included needling.
///
/// Soreness usually settles in 24-48 h; bruising is the commonest adverse event (7.6% of
/// treatments, Brady et al. 2014), so both are named before the patient worries.
enum AfterNeedlingRules {
    static func items(for ctx: PlanContext) -> [FollowUpPlan.Item] {
        let visit = ctx.visit
        guard !visit.needling.isEmpty else { return [] }
        let events = Set(visit.needling.flatMap(\.adverseEvents).map(\.kind))
        var bruising = "A small bruise can appear where a needle went in. It is harmless and fades over a week or two."
        let noted = [AdverseEvent.Kind.bruising, .bleeding].filter(events.contains).map(\.rawValue)
        if !noted.isEmpty {
            bruising = "Some \(noted.joined(separator: " and ")) was noted at today's visit. " + bruising
        }
        let call = ctx.clinicPhone.map { "Call the clinic on \($0)" } ?? "Call the clinic"
        return [
            FollowUpPlan.Item(
                section: .afterNeedling,
                text: "Soreness like after a hard workout is common where the needles went in. It usually settles within 24 to 48 hours.",
                rule: PlanRule.afterNeedlingSoreness),
            FollowUpPlan.Item(section: .afterNeedling, text: bruising, rule: PlanRule.afterNeedlingBruising),
            FollowUpPlan.Item(
                section: .afterNeedling,
                text: "What helps: keep moving gently, use a warm shower or a heat pack on sore spots, and go easy on hard training of the treated muscles for a day.",
                rule: PlanRule.afterNeedlingWhatHelps),
            FollowUpPlan.Item(
                section: .afterNeedling,
                text: "\(call) if the soreness lasts longer than 48 hours or is getting worse instead of better, if a bruise keeps growing, or if you feel unwell after treatment.",
                rule: PlanRule.afterNeedlingWhenToCall),
        ]
    }
}
