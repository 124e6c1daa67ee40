/// How the plan preview answers commands: open it from a signed visit, store it as final.
///
/// Storing is for practitioners only; the services refuse anyone else too, but saying so here
/// spares a round trip and names the way out.
enum PlanWorkflow {
    /// The new state for a plan command, or nil when the command is not the plan's.
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        switch command {
        case .showPlan:
            guard case .visit(let open) = s.current else { return nil }
            guard open.record.visit.status == .signed, let id = open.record.visit.id else {
                s.message = StatusMessage(kind: .error, text: "A follow-up plan needs a signed visit: sign this one first.")
                return (s, [])
            }
            return (s, [.loadPlan(visitID: id)])
        case .storeFinalPlan:
            guard case .planPreview(let open) = s.current else { return nil }
            guard s.context.canRecordVisits else {
                s.message = StatusMessage(kind: .error, text: "Storing a plan needs a practitioner: start knot with --practitioner HANDLE.")
                return (s, [])
            }
            return (s, [.storeFinalPlan(visitID: open.plan.visitID)])
        default:
            return nil
        }
    }

    /// A plan loaded or stored: the preview shows it.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .planLoaded(var plan):
            if case .visit(let open) = s.current { plan.patientName = open.record.patient.displayName }
            s.stack.append(.planPreview(PlanPreviewState(plan: plan)))
            return (s, [])
        case .planStored(var plan):
            if case .planPreview(var open) = s.current, open.plan.visitID == plan.visitID {
                plan.patientName = open.plan.patientName
                open.plan = plan
                s.replaceCurrent(.planPreview(open))
            }
            s.message = StatusMessage(kind: .info, text: "Stored plan version \(plan.version ?? 0) (\(plan.status))")
            return (s, [])
        default:
            return nil
        }
    }
}
