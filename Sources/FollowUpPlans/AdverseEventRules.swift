import Foundation
import ClinicModel

/// Rules `adverse-event.*`: a significant or serious adverse event at the visit changes the plan.
///
/// A mild event (a small bruise, some soreness) is what the after-needling advice already covers.
/// A significant or serious one is not: the patient must not press on the site at home until the
/// practitioner has seen how it settles (`adverse-event.no-self-release`, which also takes the
/// site out of the numbered home program), must be told in plain words what happened and what
/// was done (`adverse-event.what-happened`), and what to watch for and whom to call
/// (`adverse-event.watch-for`, printed with the red flags). The review is brought forward by
/// `ReviewRules` (`ReviewDecision.Reason.adverseEvent`), and the referrer's letter names the
/// event, its severity and the action taken.
enum AdverseEventRules {
    /// One significant or serious event and the site it happened at.
    struct Notable: Hashable {
        var event: AdverseEvent
        var muscleID: String
        var side: Side
    }

    /// The significant and serious events of the visit, in the order they were recorded.
    static func notable(in visit: Visit) -> [Notable] {
        visit.needling.flatMap { entry in
            entry.adverseEvents.filter { $0.severity >= .significant }
                .map { Notable(event: $0, muscleID: entry.muscleID, side: entry.side) }
        }
    }

    /// Whether the visit's events keep the patient from self-releasing this spot until review.
    /// A bilateral entry's event covers both sides; a spot whose side was not recorded (nil) is
    /// withheld when an event happened on either side of that muscle, since it may be that side.
    static func withholdsSelfRelease(muscleID: String, side: Side?, in visit: Visit) -> Bool {
        notable(in: visit).contains {
            $0.muscleID == muscleID && (side == nil || TreatedTriggerPoint.sides(of: $0.muscleID, $0.side).contains(side))
        }
    }

    static func items(for ctx: PlanContext) -> [FollowUpPlan.Item] {
        let events = notable(in: ctx.visit)
        guard !events.isEmpty else { return [] }
        var items: [FollowUpPlan.Item] = []
        var sites = Set<String>()
        for n in events where sites.insert(n.muscleID + "|" + n.side.rawValue).inserted {
            let what = ClinicWording.list(events.filter { $0.muscleID == n.muscleID && $0.side == n.side }.map { plainKind($0.event.kind) })
            items.append(FollowUpPlan.Item(
                section: .homeProgram,
                text: "\(ClinicWording.muscleAndSide(n.muscleID, n.side)): no self-release at this spot until we have reviewed you, because of \(what) after needling there today.",
                rule: PlanRule.adverseEventNoSelfRelease, muscleID: n.muscleID, side: n.side))
        }
        for n in events {
            var text = "Today, after needling the \(ClinicWording.muscleAndSideInline(n.muscleID, n.side)), you had \(plainKind(n.event.kind)), \(severityWords(n.event.severity))."
            if let action = n.event.action?.trimmingCharacters(in: .whitespacesAndNewlines), !action.isEmpty {
                text += " What we did: \(action)" + (action.hasSuffix(".") ? "" : ".")
            }
            items.append(FollowUpPlan.Item(section: .afterNeedling, text: text, rule: PlanRule.adverseEventWhatHappened))
        }
        var warned = Set<AdverseEvent.Kind>()
        for n in events where warned.insert(n.event.kind).inserted {
            let serious = events.contains { $0.event.kind == n.event.kind && $0.event.severity == .serious }
            items.append(FollowUpPlan.Item(section: .redFlags, text: watchFor(n.event.kind, serious: serious, ctx: ctx),
                                           rule: PlanRule.adverseEventWatchFor))
        }
        return items
    }

    /// The event in a patient's words: "a suspected pneumothorax (air leaking around a lung)".
    static func plainKind(_ kind: AdverseEvent.Kind) -> String {
        switch kind {
        case .bruising: "bruising"
        case .bleeding: "bleeding"
        case .painDuringTreatment: "pain during the needling"
        case .postNeedlingSoreness: "soreness after the needling"
        case .vasovagal: "a faint or near-faint"
        case .nausea: "nausea"
        case .needleStuck: "a needle that stuck"
        case .needleBent: "a needle that bent"
        case .needleBroken: "a needle that broke"
        case .suspectedPneumothorax: "a suspected pneumothorax (air leaking around a lung)"
        case .other: "an unexpected reaction"
        }
    }

    /// The event after "today's": "suspected pneumothorax", "faint", "problem with a needle".
    static func eventName(_ kind: AdverseEvent.Kind) -> String {
        switch kind {
        case .bruising: "bruising"
        case .bleeding: "bleeding"
        case .painDuringTreatment, .postNeedlingSoreness: "pain with needling"
        case .vasovagal: "faint"
        case .nausea: "nausea"
        case .needleStuck, .needleBent, .needleBroken: "problem with a needle"
        case .suspectedPneumothorax: "suspected pneumothorax"
        case .other: "reaction"
        }
    }

    static func severityWords(_ severity: AdverseEvent.Severity) -> String {
        switch severity {
        case .mild: "a mild reaction"
        case .significant: "a significant reaction"
        case .serious: "a serious reaction"
        }
    }

    /// What to watch for after the event, and whom to call; the emergency number wherever the
    /// sign can mean a threat to life.
    static func watchFor(_ kind: AdverseEvent.Kind, serious: Bool, ctx: PlanContext) -> String {
        let clinic = ctx.clinicPhone.map { "call the clinic on \($0)" } ?? "call the clinic"
        let emergency = ctx.emergencyNumber
        let text: String
        switch kind {
        case .suspectedPneumothorax:
            text = "After today's \(eventName(kind)): if you become short of breath, have chest pain or pain on breathing in, or your heart races, call \(emergency) now and say you had dry needling near the chest. Do not drive yourself, and do not fly or scuba dive until a doctor has cleared you."
        case .bleeding, .bruising:
            text = "After today's \(eventName(kind)): if a bruise or swelling keeps growing, bleeding does not stop after 10 minutes of firm pressure, or you get numbness or weakness beyond the site, \(clinic) today; if the bleeding is heavy or you feel faint, call \(emergency)."
        case .vasovagal:
            text = "After today's \(eventName(kind)): if you feel faint again, lie down with your legs raised. Do not drive today. If you faint again, or have chest pain or a racing heart, call \(emergency)."
        case .nausea:
            text = "After today's \(eventName(kind)): if you keep vomiting, feel faint, or feel unwell in a new way, see a doctor today; if you have chest pain or trouble breathing, call \(emergency)."
        case .needleStuck, .needleBent, .needleBroken:
            text = "After today's \(eventName(kind)): if pain, swelling or redness at the site increases, or you can feel something under the skin, \(clinic) today; fever or spreading redness needs a doctor urgently."
        case .painDuringTreatment, .postNeedlingSoreness:
            text = "After today's \(eventName(kind)): if the pain keeps increasing after 48 hours, or you get numbness, pins and needles or weakness, \(clinic) today."
        case .other:
            text = "After today's \(eventName(kind)): if anything gets worse or you feel unwell in a new way, \(clinic) today."
        }
        if serious && kind != .suspectedPneumothorax && !text.contains("call \(emergency)") {
            return text + " If you feel very unwell, call \(emergency)."
        }
        return text
    }
}
