import Foundation

/// The safety rules a careful clinic keeps around dry needling, as pure functions.
///
/// The services call these before writing anything; each refusal says what is missing.
public enum NeedlingSafety {
    /// Why a needling entry may not be recorded now.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// No informed consent for dry needling covers the visit.
        case noConsent
        /// No precaution screen covers the visit.
        case noScreen
        /// A precaution confirmed on the chart has no reasoned acknowledgment in the screen.
        case precautionNotAcknowledged(Precaution)
        /// The screen found a reason not to needle at all.
        case stop(Precaution)
        /// The visit is signed; needling is corrected by amendment only.
        case visitSigned
        /// A referral proposes a precaution that the screen answered absent (or did not ask).
        case precautionOpen(Precaution, alertID: Int64?)
        /// The muscle lies over the lung fields and no consent covering the visit names pneumothorax.
        case consentLacksPneumothorax(muscle: String)
        /// The patient is under 18 on the visit date and no consent covering it has a guardian
        /// or a mature-minor assessment.
        case minorWithoutGuardian(age: Int)

        public var description: String {
            switch self {
            case .noConsent:
                "no informed consent for dry needling covers this visit: record it first (knot consent record)"
            case .noScreen:
                "no precaution screen covers this visit: complete it first (knot screen record)"
            case .precautionNotAcknowledged(let p):
                "the precaution '\(p.displayName)' has no reasoned acknowledgment in the screen"
            case .stop(let p):
                "needling must not go ahead: \(p.displayName)"
            case .visitSigned:
                "the visit is signed: needling entries cannot be added (amend the visit instead)"
            case .precautionOpen(let p, let id):
                "a referral proposes '\(p.displayName)' (alert \(id.map(String.init) ?? "?")) and the screen does not answer it present: confirm or dismiss the alert, then record the screen again"
            case .consentLacksPneumothorax(let muscle):
                "\(muscle) lies over the lung fields: the consent covering this visit does not name pneumothorax among the risks explained (record consent again with --risks including pneumothorax)"
            case .minorWithoutGuardian(let age):
                "the patient is \(age) (under 18) on the visit date: the consent covering this visit needs a parent or guardian (--guardian-name, --guardian-relationship) or a mature-minor assessment (--mature-minor \"reason\")"
            }
        }
    }

    /// Checks that needling may go ahead at `visit` given the patient's consents and screens.
    /// Confirmed precautions on the patient's chart must also appear, acknowledged, in the screen,
    /// and a precaution a referral proposes must not be left answered absent. With `entry`, the
    /// site is checked too: a muscle over the lung fields needs pneumothorax among the risks
    /// explained. A patient under 18 on the visit date needs a guardian's consent or a
    /// mature-minor assessment.
    public static func checkMayNeedle(visit: Visit, patient: Patient, consents: [Consent],
                                      screens: [PrecautionScreen], entry: NeedlingEntry? = nil) -> [Refusal] {
        var refusals: [Refusal] = []
        if visit.status == .signed { refusals.append(.visitSigned) }
        let day = visit.date
        let covering = consents.filter { $0.patientID == visit.patientID && $0.covers(day) }
        if covering.isEmpty {
            refusals.append(.noConsent)
        } else {
            let age = patient.age(on: day)
            if age < 18, !covering.contains(where: \.standsForMinor) { refusals.append(.minorWithoutGuardian(age: age)) }
            if let refusal = lungFieldRefusal(visit: visit, consents: covering, muscle: entry?.muscle) { refusals.append(refusal) }
        }
        let current = screens.filter { $0.patientID == visit.patientID && $0.covers(day) }
            .max { $0.recordedAt < $1.recordedAt }
        guard let screen = current else {
            refusals.append(.noScreen)
            return refusals
        }
        for stop in screen.stops { refusals.append(.stop(stop)) }
        for alert in patient.alerts where alert.status == .proposed {
            if case .precaution(let p) = alert.kind, !screen.present.contains(p) { refusals.append(.precautionOpen(p, alertID: alert.id)) }
        }
        let needAck = screen.present.union(patient.confirmedPrecautions).filter { !$0.isStop }
        for p in needAck.sorted(by: { $0.rawValue < $1.rawValue }) {
            let reason = screen.acknowledgments[p]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if reason.count < 5 { refusals.append(.precautionNotAcknowledged(p)) }
        }
        return refusals
    }

    /// The refusal for needling `muscle` at `visit` when it lies over the lung fields and no
    /// consent covering the visit names pneumothorax among the risks explained; nil otherwise
    /// (no muscle, one away from the lungs, or a consent that names it). `needle add` checks it
    /// with the rest of `checkMayNeedle`, and an amendment that moves a needle onto another
    /// muscle checks it on its own (the consent and screen were there when the needle went in).
    public static func lungFieldRefusal(visit: Visit, consents: [Consent], muscle: Muscle?) -> Refusal? {
        guard let muscle, muscle.overLungFields else { return nil }
        let covering = consents.filter { $0.patientID == visit.patientID && $0.covers(visit.date) }
        if covering.contains(where: { $0.risksExplained.contains(.pneumothorax) }) { return nil }
        return .consentLacksPneumothorax(muscle: muscle.name)
    }

    /// Why a visit may not be signed yet.
    public enum SignRefusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The visit is already signed.
        case alreadySigned
        /// Needles inserted and removed do not balance.
        case needleCountMismatch(inserted: Int, removed: Int)
        /// Someone other than the visit's practitioner tried to sign it.
        case notTheTreatingPractitioner
        /// A needling site (1-based) has no record of sharps disposal.
        case sharpsNotDisposed(site: Int)

        public var description: String {
            switch self {
            case .alreadySigned: "the visit is already signed (amend it instead)"
            case .needleCountMismatch(let i, let r):
                "needle count does not balance: \(i) inserted, \(r) removed (\(i - r) unaccounted for) — find every needle before signing"
            case .notTheTreatingPractitioner: "only the visit's own practitioner can sign it"
            case .sharpsNotDisposed(let site): "needling site \(site) has no record of sharps disposal"
            }
        }
    }

    /// Every reason `practitionerID` may not sign `visit` now (empty when they may): already signed, not
    /// theirs, needles unbalanced, sharps not disposed.
    public static func checkMaySign(visit: Visit, by practitionerID: Int64) -> [SignRefusal] {
        var r: [SignRefusal] = []
        if visit.status == .signed { r.append(.alreadySigned) }
        if visit.practitionerID != practitionerID { r.append(.notTheTreatingPractitioner) }
        let count = visit.needleCount
        if count.inserted != count.removed { r.append(.needleCountMismatch(inserted: count.inserted, removed: count.removed)) }
        for (i, e) in visit.needling.enumerated() where !e.sharpsDisposed { r.append(.sharpsNotDisposed(site: i + 1)) }
        return r
    }

    /// A warning (not a refusal) when the practitioner has no dry-needling training on file.
    public static func trainingWarning(for practitioner: Practitioner) -> String? {
        practitioner.dryNeedlingTraining == nil
            ? "\(practitioner.name) has no dry-needling training on file (knot practitioner edit HANDLE --training-course ... --training-hours ... --training-date ...)"
            : nil
    }
}
