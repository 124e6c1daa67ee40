import ClinicModel

/// Rules `activity.*`: activity and load advice, general for everyone, specific for the likely
/// causes recorded with the visit's trigger points.
///
/// Trigger points are kept going by what caused them (sustained postures, overload, repetitive
/// work, stress, medical factors), so the advice follows the coded causes.
enum ActivityRules {
    static func items(for visit: Visit) -> [FollowUpPlan.Item] {
        var items = [
            FollowUpPlan.Item(
                section: .activity,
                text: "Keep active within comfort. Reduce, rather than stop, the activities that flare the pain, then build back up gradually. Mild discomfort (up to about 3 out of 10) that has settled by the next morning is fine.",
                rule: PlanRule.activityLoad),
        ]
        let causes = Set(visit.triggerPoints.flatMap(\.likelyCauses))
        if causes.contains(.sustainedPosture) {
            items.append(FollowUpPlan.Item(
                section: .activity,
                text: "Break up long spells of sitting or standing: change position or move for a minute at least every 30 to 45 minutes.",
                rule: PlanRule.activityPostureBreaks))
        }
        if !causes.isDisjoint(with: [.increasedActivity, .suddenMovement, .injury]) {
            items.append(FollowUpPlan.Item(
                section: .activity,
                text: "Return to sport and harder activity step by step: start below the level that brought the pain on and add a little each week while it stays settled.",
                rule: PlanRule.activityGradedReturn))
        }
        if causes.contains(.repetitiveWorkOrLifting) {
            items.append(FollowUpPlan.Item(
                section: .activity,
                text: "At work: vary repetitive tasks, take short breaks, and lift with the load close to your body.",
                rule: PlanRule.activityWorkTasks))
        }
        if causes.contains(.stress) {
            items.append(FollowUpPlan.Item(
                section: .activity,
                text: "Stress keeps muscles tense: regular slow breathing, enough sleep and gentle exercise help the muscles let go.",
                rule: PlanRule.activityStress))
        }
        if !causes.isDisjoint(with: [.illness, .nutritionalDeficiency, .metabolicEndocrine]) {
            items.append(FollowUpPlan.Item(
                section: .activity,
                text: "Illness, low iron or vitamin levels and thyroid or other hormone problems can keep trigger points going: ask your GP whether these have been checked.",
                rule: PlanRule.activityMedicalFactors))
        }
        return items
    }
}
