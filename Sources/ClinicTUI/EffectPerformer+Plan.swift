import ClinicModel
import ClinicServices

/// The plan preview's database work: read a signed visit's plan, store it as final.
extension EffectPerformer {
    func performPlanWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .loadPlan(let visitID):
            return .planLoaded(try planPreview(visitID: visitID, final: false))
        case .storeFinalPlan(let visitID):
            return .planStored(try planPreview(visitID: visitID, final: true))
        default:
            preconditionFailure("not plan work: \(effect)")
        }
    }

    /// The patient's name is left for `update` to fill in from the visit shown (no second, audited read).
    /// The latest stored version or the rules' plan, as text; with `final`, stored first as a new final version.
    private func planPreview(visitID: Int64, final: Bool) throws -> PlanPreview {
        let rendered = try session.plan(visitID: visitID, final: final, format: .text, today: today)
        let plan = rendered.plan
        return PlanPreview(visitID: visitID, patientName: "", version: plan.id == nil ? nil : plan.version,
                           status: plan.status.rawValue,
                           text: rendered.warnings.map { "! Warning: \($0).\n" }.joined() + (rendered.warnings.isEmpty ? "" : "\n") + rendered.output)
    }
}
