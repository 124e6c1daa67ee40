import ClinicModel

/// Rules `red-flag.*`: the signs that need urgent care after dry needling.
///
/// Infection is possible at any needle site, so its flag follows any needling; pneumothorax is
/// possible only when a needled muscle lies over the lung fields (`Muscle.overLungFields`), and
/// warning every patient about it would blunt the warning that matters.
enum RedFlagRules {
    static func items(for ctx: PlanContext) -> [FollowUpPlan.Item] {
        let visit = ctx.visit
        guard !visit.needling.isEmpty else { return [] }
        var items = [
            FollowUpPlan.Item(
                section: .redFlags,
                text: "Fever, or redness, heat or swelling spreading from a needle site: see a doctor urgently (your GP today, or an emergency department).",
                rule: PlanRule.redFlagInfection),
        ]
        var seen = Set<String>()
        let overLungs = visit.needling.filter { entry in
            guard entry.muscle?.overLungFields == true else { return false }
            return seen.insert(entry.muscleID + "|" + entry.side.rawValue).inserted
        }
        if !overLungs.isEmpty {
            let sites = ClinicWording.list(overLungs.map { ClinicWording.muscleAndSideInline($0.muscleID, $0.side) })
            items.append(FollowUpPlan.Item(
                section: .redFlags,
                text: "Shortness of breath, chest pain, or pain on breathing in, in the hours or days after needling near the chest (\(sites)): call \(ctx.emergencyNumber) or go to an emergency department now, and say you had dry needling near the chest.",
                rule: PlanRule.redFlagPneumothorax))
        }
        return items
    }
}
