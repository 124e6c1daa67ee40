import TerminalKit

/// Draws the whole screen from the state: `render(state, size) -> ScreenBuffer`.
///
/// Pure and immediate mode: a fresh buffer per frame, no database calls, no clock; the
/// `Renderer` then sends only what changed. Record text reaches the screen only through
/// `ScreenBuffer` and `TextLayout`, which sanitise it.
enum Render {
    /// Smaller than this, the screens cannot be laid out and a notice is shown instead.
    static let minimumSize = TerminalSize(rows: 10, columns: 40)

    static func render(_ state: AppState, size: TerminalSize) -> ScreenBuffer {
        var buffer = ScreenBuffer(size: size)
        guard size.rows >= minimumSize.rows, size.columns >= minimumSize.columns else {
            buffer.put("Knot needs a window of at least \(minimumSize.columns)x\(minimumSize.rows).", row: 0, column: 0,
                       maxWidth: size.columns, overflow: .ellipsis)
            return buffer
        }
        let body = Chrome.body(of: size)
        var title = state.current.kind.title
        switch state.current {
        case .firstRun:
            FirstRunScreen.draw(databasePath: state.context.databasePath, in: body, into: &buffer)
        case .patientList(let list):
            PatientListScreen.draw(list, in: body, into: &buffer)
        case .chart(let chart):
            title += " · " + chart.chart.patient.displayName
            ChartScreen.draw(chart, today: state.context.today, in: body, into: &buffer)
        case .visit(let visit):
            title += " · " + visit.record.patient.displayName
            VisitScreen.draw(visit, in: body, into: &buffer)
        case .recall(let recall):
            RecallScreen.draw(recall, today: state.context.today, in: body, into: &buffer)
        case .audit(let audit):
            title += " · " + audit.patientName
            AuditScreen.draw(audit, in: body, into: &buffer)
        case .newVisit(let form):
            title += " · " + form.patientName
            NewVisitScreen.draw(form, in: body, into: &buffer)
        case .safetyForm(let form):
            title += " · " + form.patientName
            SafetyFormScreen.draw(form, in: body, into: &buffer)
        case .triggerPointForm(let form):
            title += " · " + form.patientName
            TriggerPointFormScreen.draw(form, in: body, into: &buffer)
        case .needlingForm(let form):
            title += " · " + form.patientName
            NeedlingFormScreen.draw(form, in: body, into: &buffer)
        case .needlesOutForm(let form):
            title += " · " + form.patientName
            NeedlesOutFormScreen.draw(form, in: body, into: &buffer)
        case .inbox(let inbox):
            InboxScreen.draw(inbox, in: body, into: &buffer)
        case .inboxPreview(let preview):
            InboxPreviewScreen.draw(preview, in: body, into: &buffer)
        case .planPreview(let plan):
            title += " · " + plan.plan.patientName
            PlanPreviewScreen.draw(plan, in: body, into: &buffer)
        case .patientForm(let form):
            PatientFormScreen.draw(form, in: body, into: &buffer)
        case .amendForm(let form):
            title += " · " + form.patientName
            AmendFormScreen.draw(form, in: body, into: &buffer)
        case .alerts(let alerts):
            title += " · " + alerts.patientName
            AlertsScreen.draw(alerts, in: body, into: &buffer)
        case .alertForm(let form):
            title += " · " + form.patientName
            AlertFormScreen.draw(form, in: body, into: &buffer)
        case .biomechForm(let form):
            title += " · " + form.patientName
            BiomechFormScreen.draw(form, in: body, into: &buffer)
        case .treatmentForm(let form):
            title += " · " + form.patientName
            TreatmentFormScreen.draw(form, in: body, into: &buffer)
        case .settingsForm(let form):
            SettingsFormScreen.draw(form, in: body, into: &buffer)
        case .outcomeForm(let form):
            title += " · " + form.patientName
            OutcomeFormScreen.draw(form, in: body, into: &buffer)
        case .impressionForm(let form):
            title += " · " + form.patientName
            ImpressionFormScreen.draw(form, in: body, into: &buffer)
        }
        Chrome.draw(state, title: title, into: &buffer)
        if case .newVisit(let form) = state.current, form.confirmingSign {
            SignSummary.draw(form, into: &buffer)
        }
        if state.showsHelp {
            buffer.cursor = nil
            HelpOverlay.draw(state.current.kind, into: &buffer)
        }
        return buffer
    }
}
