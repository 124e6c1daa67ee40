import ClinicModel
import ClinicServices
import TerminalKit

/// Amending a signed visit from its read-only view: `m` opens the amendment form (for a
/// practitioner, on a signed visit), Ctrl-S saves it through the service, and the view reloads
/// with the amendment beside the untouched original.
///
/// Pure like the rest of `Update`; a refusal comes back as "Not saved: ..." and leaves the form
/// open with everything typed.
enum AmendWorkflow {
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        switch (command, s.current) {
        case (.amendVisit, .visit(let view)):
            if let refusal = refusal(for: view.record.visit, context: s.context) {
                s.message = StatusMessage(kind: .error, text: refusal)
                return (s, [])
            }
            s.stack.append(.amendForm(AmendFormState(record: view.record)))
            return (s, [])
        case (.save, .amendForm(let form)):
            switch form.amendment() {
            case .success(let amendment):
                return (s, [.amendVisit(visitID: form.visitID, reason: amendment.reason, changes: amendment.changes)])
            case .failure(let problem):
                s.message = StatusMessage(kind: .error, text: "Not saved: " + problem.text)
                return (s, [])
            }
        case (.back, .amendForm):
            s.stack.removeLast()
            s.message = StatusMessage(kind: .info, text: "Cancelled: nothing saved, the signed visit is unchanged.")
            return (s, [])
        case (_, .amendForm(var form)):
            switch command {
            case .nextField, .previousField, .moveUp, .moveDown, .pageUp, .pageDown, .edit:
                FormEditing.apply(&form, command, message: &s.message) { $0.apply(command); return [] }
                s.replaceCurrent(.amendForm(form))
                return (s, [])
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// An amendment was saved: the form closes and the visit (and the chart under it) reads as amended.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        guard case .visitAmended(let record, let message) = result else { return nil }
        var s = state
        if s.current.kind == .amendForm { s.stack.removeLast() }
        if let index = s.stack.lastIndex(where: { if case .visit(let v) = $0 { v.record.visit.id == record.visit.id } else { false } }) {
            let struck: [StruckEntryRecord] = if case .visit(let old) = s.stack[index] { old.struck } else { [] }
            var view = VisitViewState(record: record, struck: struck)
            // Scroll to the newest amendment, kept so the last page stays full.
            let document = VisitScreen.document(record, struck: struck, width: s.size.columns)
            let visible = Chrome.body(of: s.size).height
            if let heading = document.lines.lastIndex(where: { $0.text.trimmingCharacters(in: .whitespaces).hasPrefix(VisitScreen.amendmentPrefix) }) {
                view.top = max(0, min(heading - 1, document.lines.count - visible))
            }
            s.stack[index] = .visit(view)
        }
        showAmended(record, inChartsOf: &s)
        s.message = StatusMessage(kind: .info, text: message)
        return (s, [])
    }

    /// The chart underneath shows the visit as amended (its row and the last visit's findings).
    private static func showAmended(_ record: VisitRecord, inChartsOf s: inout AppState) {
        for index in s.stack.indices {
            guard case .chart(var chart) = s.stack[index],
                  let row = chart.chart.visits.firstIndex(where: { $0.id == record.visit.id }) else { continue }
            let amended = record.asAmended.visit
            chart.chart.visits[row].amendments = record.amendments.count
            chart.chart.visits[row].complaint = amended.complaint
            chart.chart.visits[row].painNow = amended.pain.now?.value
            chart.chart.visits[row].needlesInserted = amended.needleCount.inserted
            chart.chart.visits[row].needlesRemoved = amended.needleCount.removed
            if chart.lastVisit?.visit.id == record.visit.id { chart.lastVisit = record }
            s.stack[index] = .chart(chart)
        }
    }

    /// Why `m` cannot amend this visit here, in words for the status line; nil when it can.
    static func refusal(for visit: Visit, context: SessionContext) -> String? {
        if context.isReception {
            return "Reception cannot amend clinical notes: the practitioner amends a signed visit."
        }
        if !context.canRecordVisits {
            return "Amending a visit needs a practitioner: start knot with --practitioner HANDLE."
        }
        if visit.status != .signed {
            return "Visit \(visit.id ?? 0) is a draft: a draft is edited, not amended (Enter on it in the chart goes on recording it)."
        }
        return nil
    }
}
