import Foundation
import ClinicModel
import ClinicServices

/// The clinical impression and outcome measures saved from the visit editor's forms, through
/// the same use cases as `knot visit impression` and `knot outcome add`, then the draft reloaded.
extension EffectPerformer {
    func performAssessmentWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .setImpression(let id, let impression):
            let saved = try session.setImpression(visitID: id, impression)
            let message = saved.impression.map { "Impression saved: \(Formatting.oneLine($0.description))." } ?? "Impression cleared."
            return .visitChanged(try progress(visitID: id), message: message)
        case .addOutcome(let id, let measure):
            let saved = try session.addOutcome(visitID: id, measure)
            return .visitChanged(try progress(visitID: id), message: "Outcome measure saved: \(saved.summary).")
        default:
            return .failed("not an impression or outcome measure: \(effect)")
        }
    }
}
