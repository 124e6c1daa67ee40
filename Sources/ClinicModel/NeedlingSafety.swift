import Foundation

/// The safety rules a careful clinic keeps around dry needling, as pure functions.
///
/// The services call these before writing anything; each refusal says what is missing.
public enum NeedlingSafety {
    /// Why a needling entry may not be recorded now.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case noConsent
        case noScreen
        case precautionNotAcknowledged(Precaution)
        case stop(Precaution)
        case visitSigned

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
            }
        }
    }

    /// Checks that needling may go ahead at `visit` given the patient's consents and screens.
    /// Confirmed precautions on the patient's chart must also appear, acknowledged, in the screen.
    public static func checkMayNeedle(visit: Visit, patient: Patient, consents: [Consent],
                                      screens: [PrecautionScreen]) -> [Refusal] {
        var refusals: [Refusal] = []
        if visit.status == .signed { refusals.append(.visitSigned) }
        let day = visit.date
        if !consents.contains(where: { $0.patientID == visit.patientID && $0.covers(day) }) {
            refusals.append(.noConsent)
        }
        let current = screens.filter { $0.patientID == visit.patientID && $0.covers(day) }
            .max { $0.recordedAt < $1.recordedAt }
        guard let screen = current else {
            refusals.append(.noScreen)
            return refusals
        }
        for stop in screen.stops { refusals.append(.stop(stop)) }
        let needAck = screen.present.union(patient.confirmedPrecautions).filter { !$0.isStop }
        for p in needAck.sorted(by: { $0.rawValue < $1.rawValue }) {
            let reason = screen.acknowledgments[p]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if reason.count < 5 { refusals.append(.precautionNotAcknowledged(p)) }
        }
        return refusals
    }

    /// Why a visit may not be signed yet.
    public enum SignRefusal: Error, Sendable, Equatable, CustomStringConvertible {
        case alreadySigned
        case needleCountMismatch(inserted: Int, removed: Int)
        case notTheTreatingPractitioner
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
