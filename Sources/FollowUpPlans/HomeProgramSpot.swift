import ClinicModel

/// A numbered spot of the home program: the number printed beside its instructions and on its
/// mark on the body chart.
///
/// Numbers come from the plan as it stands (home-program items that name a muscle, in order),
/// not from the visit, so they still match after the practitioner removes or adds items. An
/// `adverse-event.no-self-release` item names its site but is not numbered or charted.
public struct HomeProgramSpot: Sendable, Hashable {
    /// The spot's number, from 1.
    public var number: Int
    /// The muscle (`Muscle.id`).
    public var muscleID: String
    /// The side, when the item names one.
    public var side: Side?
    /// The item's index in `plan.items`.
    public var itemIndex: Int

    /// A spot numbered `number` for item `itemIndex` of the plan.
    public init(number: Int, muscleID: String, side: Side?, itemIndex: Int) {
        self.number = number; self.muscleID = muscleID; self.side = side; self.itemIndex = itemIndex
    }

    /// The numbered spots of `plan`, in item order.
    public static func spots(in plan: FollowUpPlan) -> [HomeProgramSpot] {
        var spots: [HomeProgramSpot] = []
        // A spot withheld after an adverse event names its muscle but is not one to self-release.
        for (index, item) in plan.items.enumerated() where item.section == .homeProgram && item.rule != PlanRule.adverseEventNoSelfRelease {
            guard let muscleID = item.muscleID else { continue }
            spots.append(HomeProgramSpot(number: spots.count + 1, muscleID: muscleID, side: item.side, itemIndex: index))
        }
        return spots
    }
}
