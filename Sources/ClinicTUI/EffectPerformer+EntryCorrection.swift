import Foundation
import ClinicModel
import ClinicServices

/// Corrections of a draft's entries from the visit editor, through `ClinicSession` (a draft, a
/// practitioner, the same rules as a new entry), then the draft reloaded so the list and the
/// needle count follow.
extension EffectPerformer {
    func performEntryCorrection(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .editTriggerPoint(let id, let finding):
            let saved = try session.editTriggerPoint(visitID: id, finding)
            return .visitChanged(try progress(visitID: id), message: "Trigger point corrected: \(VisitScreen.triggerPoint(saved)).")
        case .editBiomechanical(let id, let finding):
            let saved = try session.editBiomechanical(visitID: id, finding)
            return .visitChanged(try progress(visitID: id),
                                 message: "Biomechanical finding corrected: \(saved.measure.summary), \(saved.side.rawValue).")
        case .editTreatment(let id, let treatment):
            let saved = try session.editTreatment(visitID: id, treatment)
            return .visitChanged(try progress(visitID: id), message: "Treatment corrected: \(VisitScreen.treatment(saved)).")
        case .editNeedling(let id, let entry):
            let saved = try session.editNeedling(visitID: id, entry)
            return .visitChanged(try progress(visitID: id),
                                 message: "Needling entry corrected: \(saved.muscle?.name ?? saved.muscleID), \(saved.side.rawValue), "
                                     + "\(saved.needlesInserted) in, \(saved.needlesRemoved) out.")
        case .strikeEntry(let id, let kind, let entryID, let reason):
            let struck = try session.strikeEntry(visitID: id, kind: kind, id: entryID, reason: reason, at: now())
            return .visitChanged(try progress(visitID: id),
                                 message: "Struck out \(kind.noun): \(struck.summary) (kept in the audit trail).")
        case .strikeSafety(let visitID, let kind, let id, let reason):
            _ = try session.strikeSafety(kind, id: id, reason: reason, at: now())
            return .safetyStruck(try progress(visitID: visitID),
                                 message: "Struck out \(kind.noun) \(id) (kept in the audit trail): record it again to needle.")
        default:
            return .failed("not an entry correction: \(effect)")
        }
    }
}
