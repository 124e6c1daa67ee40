import ClinicModel

/// Rule `home-program.trp`: one self-release item per treated trigger point.
///
/// Each item says where (muscle, side, part of the body; the renderers add the number of its
/// mark on the body chart), how (a massage ball or thumb on the specific spot, placed for that
/// part of the body; random rubbing does little), how long (gentle holds under 15 s at first,
/// working up as tolerated towards 30-90 s), how often, and when to stop.
enum HomeProgramRules {
    static let holds = "3 to 5 holds, once or twice a day"

    /// Spots where a significant or serious adverse event happened are left out: the
    /// adverse-event rules say not to self-release them until the review.
    static func items(for visit: Visit) -> [FollowUpPlan.Item] {
        TreatedTriggerPoint.inVisit(visit).filter {
            !AdverseEventRules.withholdsSelfRelease(muscleID: $0.muscleID, side: $0.side, in: visit)
        }.map { spot in
            FollowUpPlan.Item(section: .homeProgram, text: text(for: spot), rule: PlanRule.homeProgramTriggerPoint,
                              muscleID: spot.muscleID, side: spot.side)
        }
    }

    static func text(for spot: TreatedTriggerPoint) -> String {
        let muscle = MuscleCatalogue.muscle(id: spot.muscleID)
        var parts: [String]
        if spot.sideNotRecorded {
            // Never a side nobody stated: the patient is told plainly, and the practitioner sees
            // it in the draft plan and can reword the item with the side before the plan is final.
            let name = ClinicWording.muscleName(spot.muscleID)
            parts = [(muscle.map { "\(name), \(ClinicWording.bodyPart($0))" } ?? name) + ".",
                     "Side not recorded: which side was treated was not written down, so it is not marked on the body chart;"
                        + " work only on the side we treated, and ask us if you are not sure which."]
        } else {
            var where_ = ClinicWording.muscleAndSide(spot.muscleID, spot.side)
            if let muscle { where_ += ", " + ClinicWording.bodyPart(muscle) }
            parts = [where_ + "."]
        }
        parts += [
            "How: \(method(for: muscle)), on the tender spot itself (rubbing around it does little).",
            "Hold: gently, under 15 seconds at first, building up as you can tolerate towards 30 to 90 seconds.",
            "How often: \(holds).",
            "Stop if: the pain gets sharp or spreads, or you feel numbness or pins and needles.",
        ]
        if spot.reasons.contains(.needled) {
            parts.append("Note: needled today, so start once the soreness has settled.")
        }
        return parts.joined(separator: " ")
    }

    /// How to reach the spot, by where it is.
    static func method(for muscle: Muscle?) -> String {
        guard let muscle else { return "press with your thumb or a massage ball" }
        let back = muscle.anchor.view == .back
        switch muscle.region {
        case .head:
            return "press with your fingertips"
        case .neck:
            return back
                ? "lean the spot against a massage ball on a wall, or press with your fingertips"
                : "gentle fingertip pressure only, as shown in the clinic (no ball at the front of the neck)"
        case .shoulder, .upperBack, .lowerBack:
            return back
                ? "lean the spot against a massage ball on a wall or the floor"
                : "press with your thumb or fingertips, or lean against a massage ball in a door frame"
        case .chest:
            return "lean against a massage ball in a door frame, or press with your fingertips"
        case .abdomen:
            return "gentle fingertip pressure lying on your back with your knees bent"
        case .upperArm, .forearm, .hand:
            return "press with the thumb of your other hand, or roll the spot onto a massage ball on a table"
        case .hipPelvis:
            return back
                ? "sit or lie with the spot on a massage ball"
                : "gentle fingertip pressure lying on your back, as shown in the clinic"
        case .thigh, .knee:
            return "sit with the spot on a massage ball, or press with your thumbs"
        case .lowerLeg:
            return back
                ? "sit with the calf resting on a massage ball, or press with your thumbs"
                : "press with your thumbs, or lean the spot against a massage ball on a wall"
        case .ankleFoot:
            return back
                ? "sit and press the sole of your foot down onto a massage ball"
                : "press with your thumb"
        }
    }
}
