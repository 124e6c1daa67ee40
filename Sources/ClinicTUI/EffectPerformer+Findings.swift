import Foundation
import ClinicModel
import ClinicServices

/// Biomechanical findings and treatments saved from the visit editor's forms, through
/// `ClinicSession` (a draft, a practitioner, the model's rules), then the draft reloaded.
extension EffectPerformer {
    func performFindingsWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .addBiomechanical(let id, let finding):
            let saved = try session.addBiomechanical(visitID: id, finding)
            return .visitChanged(try progress(visitID: id),
                                 message: "Biomechanical finding saved: \(saved.measure.summary), \(saved.side.rawValue).")
        case .addTreatment(let id, let treatment):
            let saved = try session.addTreatment(visitID: id, treatment)
            return .visitChanged(try progress(visitID: id), message: "Treatment saved: \(VisitScreen.treatment(saved)).")
        default:
            return .failed("not a finding or treatment: \(effect)")
        }
    }
}
