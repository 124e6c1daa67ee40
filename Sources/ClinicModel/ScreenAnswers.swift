import Foundation

/// The practitioner's answers to the precaution screen, before they become a `PrecautionScreen`.
///
/// Every precaution is answered explicitly, present or absent: nothing is "no" by default.
/// "None present" is a statement the practitioner makes (`nonePresent`), never what silence
/// means. An alert on the chart that raises a precaution, confirmed or still proposed by a
/// referral, is an open question that an answer "absent" cannot close: it must be answered
/// present (with a reason), or the proposed alert dismissed first.
public struct ScreenAnswers: Sendable, Hashable {
    /// Precautions answered present.
    public var present: Set<Precaution>
    /// Precautions answered absent.
    public var absent: Set<Precaution>
    /// The practitioner's reason for going ahead, for each present precaution.
    public var acknowledgments: [Precaution: String]
    /// The practitioner said "none present" (every precaution absent) in one statement.
    public var nonePresent: Bool

    /// Answers as given; nothing is filled in by default.
    public init(present: Set<Precaution> = [], absent: Set<Precaution> = [],
                acknowledgments: [Precaution: String] = [:], nonePresent: Bool = false) {
        self.present = present; self.absent = nonePresent ? Set(Precaution.allCases) : absent
        self.acknowledgments = acknowledgments; self.nonePresent = nonePresent
    }

    /// Precautions answered neither present nor absent, in the screen's order.
    public var unanswered: [Precaution] {
        Precaution.allCases.filter { !present.contains($0) && !absent.contains($0) }
    }

    /// Problems with the answers themselves, named by the command-line option that gives them.
    public func problems() -> [ValidationError] {
        var errors: [ValidationError] = []
        if nonePresent, !present.isEmpty {
            errors.append(ValidationError(field: "--none-present", value: "",
                                          rule: "cannot be given with --present \(Self.list(present)): none present means every precaution absent"))
        }
        let both = present.intersection(absent)
        if !nonePresent, !both.isEmpty {
            errors.append(ValidationError(field: "--absent", value: Self.list(both), rule: "is also answered present: answer each precaution once"))
        }
        for p in Precaution.allCases where acknowledgments[p] != nil && !present.contains(p) {
            errors.append(ValidationError(field: "--ack", value: p.rawValue,
                                          rule: "acknowledges a precaution not answered present: add --present \(p.rawValue), or drop the acknowledgment"))
        }
        if !unanswered.isEmpty {
            errors.append(ValidationError(field: "--present/--absent", value: "",
                                          rule: "every precaution must be answered; not answered: \(Self.list(unanswered)) (give each with --present or --absent, or say --none-present)"))
        }
        return errors
    }

    /// Answers "absent" that an alert on the chart contradicts, in words that say what to do.
    public func conflicts(with alerts: [PatientAlert]) -> [String] {
        var reasons: [String] = []
        for alert in alerts {
            guard case .precaution(let p) = alert.kind, absent.contains(p) else { continue }
            let how = nonePresent ? "--none-present" : "--absent \(p.rawValue)"
            let which = alert.id.map { "alert \($0)" } ?? "an alert"
            switch alert.status {
            case .proposed:
                reasons.append("\(how): \(which), proposed (\(alert.source)), says '\(p.displayName)': confirm it (knot alert confirm \(alert.id ?? 0)) and answer it present with a reason, or dismiss it with the reason it does not apply (knot alert dismiss \(alert.id ?? 0) --reason \"...\")")
            case .confirmed:
                reasons.append("\(how): \(which) on the chart confirms '\(p.displayName)': answer it present (--present \(p.rawValue)) with a reason")
            case .dismissed:
                continue
            }
        }
        return reasons
    }

    /// Precautions raised by alerts that are confirmed or still proposed (the open questions).
    public static func raised(by alerts: [PatientAlert]) -> [Precaution: AlertStatus] {
        var raised: [Precaution: AlertStatus] = [:]
        for alert in alerts {
            guard case .precaution(let p) = alert.kind, alert.status != .dismissed else { continue }
            if raised[p] != .confirmed { raised[p] = alert.status }
        }
        return raised
    }

    static func list(_ set: some Collection<Precaution>) -> String {
        Precaution.allCases.filter(set.contains).map(\.rawValue).joined(separator: ",")
    }
}
