import ClinicModel
import ClinicServices
import TerminalKit

/// The one function that changes the front end's state: a command in, the new state and the
/// database work to do out.
///
/// Pure: no database, no terminal, no clock. Screen-specific commands go to the screen shown.
enum Update {
    static func update(_ state: AppState, _ message: Message) -> (AppState, [Effect]) {
        if case .result(.workDone(let lane, let result)) = message {
            // Long work ended: its lane is free, and its result is handled like any other.
            var s = state
            s.working[lane] = nil
            return update(s, .result(result))
        }
        var (next, effects) = FormDraftWorkflow.update(state, message) { s, m in
            var (after, effects) = DiscardQuestion.update(s, m, screens: screens) ?? screens(s, m)
            FormEditing.selectingOpenedForm(from: s, to: &after)
            return (after, effects)
        }
        DiscardQuestion.track(from: state, to: &next, after: message)
        return (next, effects)
    }

    /// `update` for a request the user made.
    static func update(_ state: AppState, _ intent: Intent) -> (AppState, [Effect]) {
        update(state, .intent(intent))
    }

    /// `update` for what an effect brought back.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect]) {
        update(state, .result(result))
    }

    /// Everything but keeping the open form's typing as a draft (`FormDraftWorkflow`).
    static func screens(_ state: AppState, _ message: Message) -> (AppState, [Effect]) {
        switch message {
        case .intent(let intent):
            return asked(state, intent)
        case .result(let result):
            return returned(state, result)
        case .resized(let size):
            var s = state
            s.size = size
            return (s, [])
        }
    }

    /// What the user asked for: the status line is cleared (the user has read it) and a
    /// Ctrl-C that asked "quit anyway?" is disarmed, whatever the key.
    private static func asked(_ state: AppState, _ command: Intent) -> (AppState, [Effect]) {
        var s = state
        let quitArmed = s.quitArmed
        s.message = nil
        s.quitArmed = false
        if let handled = LongWorkflow.update(s, command) { return handled }
        if let handled = AmendWorkflow.update(s, command) { return handled }
        if let handled = AlertsWorkflow.update(s, command) { return handled }
        if let handled = SafetyFormStrike.update(s, command) { return handled }
        if let handled = VisitEditorSelection.update(s, command) { return handled }
        if let handled = DraftConflictWorkflow.update(s, command) { return handled }
        if let handled = VisitWorkflow.update(s, command) { return handled }
        if let handled = InboxWorkflow.update(s, command) { return handled }
        if let handled = PlanWorkflow.update(s, command) { return handled }
        if let handled = PatientWorkflow.update(s, command) { return handled }
        if let handled = SettingsWorkflow.update(s, command) { return handled }
        switch command {
        case .quit:
            if s.showsUnsavedForm, !quitArmed {
                s.quitArmed = true
                let loses = FormDraft(openIn: s) == nil ? "loses it" : "keeps your typing for next time"
                s.message = StatusMessage(kind: .error, text: "This form is not saved: Ctrl-C again quits and \(loses); Ctrl-S saves, Esc cancels.")
                return (s, [])
            }
            s.isRunning = false
            return (s, [])
        case .toggleHelp:
            s.showsHelp.toggle()
            return (s, [])
        case .loadDemo:
            return (s, s.current.kind == .firstRun ? [.loadDemo] : [])
        case .startEmpty:
            guard s.current.kind == .firstRun else { return (s, []) }
            s.stack = [.patientList(PatientListState())]
            s.message = StatusMessage(kind: .info, text: "Empty clinic: F2 registers a patient, F6 opens the referral inbox.")
            if !s.context.hasAccount {
                // Nobody with an account yet: the first is made on the command line.
                var list = PatientListState()
                list.show([])
                s.stack = [.patientList(list)]
                s.message = StatusMessage(kind: .info, text: "Empty clinic. First account: knot init --handle HANDLE --name NAME")
                return (s, [])
            }
            return (s, [.searchPatients("")])
        case .back where s.current.kind == .newVisit:
            guard case .newVisit(let form) = s.current else { return (s, []) }
            s.stack.removeLast()
            let pending = form.commitPain()  // a valid score typed in the pain field is kept
            guard let id = form.draft?.id else { return (s, pending) }
            s.message = StatusMessage(kind: .info, text: "Draft visit \(id) kept: Enter on it in the chart goes on recording it; F10 there signs it.")
            return (s, pending + [.openChart(patientID: form.patientID)])
        case .newVisit:
            guard case .chart(let chart) = s.current, let id = chart.chart.patient.id else { return (s, []) }
            guard s.context.canRecordVisits else {
                s.message = StatusMessage(kind: .error, text: "Recording a visit needs a practitioner: start knot with --practitioner HANDLE.")
                return (s, [])
            }
            s.stack.append(.newVisit(NewVisitState(patientID: id, patientName: chart.chart.patient.displayName)))
            return (s, [])
        case .back where s.stack.count > 1:
            s.stack.removeLast()
            return (s, [])
        default:
            return updateCurrentScreen(s, command)
        }
    }

    /// What an effect brought back: the status line and any question stay as they are unless
    /// the result itself has something to say.
    private static func returned(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect]) {
        var s = state
        if let handled = LongWorkflow.update(s, result) { return handled }
        if let handled = AmendWorkflow.update(s, result) { return handled }
        if let handled = AlertsWorkflow.update(s, result) { return handled }
        if let handled = DraftConflictWorkflow.update(s, result) { return handled }
        if let handled = VisitWorkflow.update(s, result) { return handled }
        if let handled = InboxWorkflow.update(s, result) { return handled }
        if let handled = PlanWorkflow.update(s, result) { return handled }
        if let handled = PatientWorkflow.update(s, result) { return handled }
        if let handled = SettingsWorkflow.update(s, result) { return handled }
        switch result {
        case .failed(let text):
            s.message = StatusMessage(kind: .error, text: text)
            return (s, [])
        case .databaseChecked(let isEmpty, let writesRefused):
            // Said at once, not first at the first save: nothing can be saved in this session.
            if let writesRefused { s.message = StatusMessage(kind: .error, text: "Nothing can be saved: \(writesRefused).") }
            if isEmpty {
                s.stack = [.firstRun]
                return (s, [])
            }
            return (s, [.searchPatients("")])
        case .demoLoaded(let patients, let visits):
            s.stack = [.patientList(PatientListState())]
            s.message = StatusMessage(kind: .info, text: "Demo clinic loaded: \(patients) patients, \(visits) visits.")
            if !s.context.hasAccount {
                // Loaded by someone without an account: the demo's own accounts are the way in.
                s.message = StatusMessage(kind: .info, text: "Demo clinic loaded: \(patients) patients. To work in it: knot --practitioner mchen")
                return (s, [])
            }
            return (s, [.searchPatients("")])
        case .patientsFound(let query, let patients):
            if let index = s.stack.firstIndex(where: { $0.kind == .patientList }),
               case .patientList(var list) = s.stack[index], list.search.text == query {
                list.show(patients)
                s.stack[index] = .patientList(list)
            }
            return (s, [])
        case .chartOpened(let chart, let lastVisit):
            let screen = Screen.chart(ChartState(chart: chart, lastVisit: lastVisit))
            if case .chart(let open) = s.current, open.chart.patient.id == chart.patient.id {
                s.replaceCurrent(screen)
            } else {
                s.stack.append(screen)
            }
            return (s, [])
        case .visitOpened(let record, let struck):
            s.stack.append(.visit(VisitViewState(record: record, struck: struck)))
            return (s, [])
        case .recallLoaded(let entries):
            s.stack.append(.recall(RecallState(entries: entries)))
            return (s, [])
        case .auditLoaded(let patient, let records):
            s.stack.append(.audit(AuditState(patientName: patient, records: records)))
            return (s, [])
        case .draftSaved(let visit, let revision):
            if case .newVisit(var form) = s.current, form.patientID == visit.patientID {
                form.draft = visit
                form.revision = revision
                s.replaceCurrent(.newVisit(form))
                if form.progress == nil, let id = visit.id { return (s, [.loadVisitProgress(visitID: id)]) }
            }
            return (s, [])
        default:
            return (s, [])
        }
    }

    /// Intents that belong to the screen shown (moving, opening, typing).
    private static func updateCurrentScreen(_ state: AppState, _ command: Intent) -> (AppState, [Effect]) {
        var s = state
        var effects: [Effect] = []
        switch s.current {
        case .firstRun:
            break
        case .patientList(var list):
            effects = list.apply(command, pageRows: s.pageRows)
            s.replaceCurrent(.patientList(list))
        case .chart(var chart):
            effects = chart.apply(command, pageRows: s.pageRows)
            s.replaceCurrent(.chart(chart))
        case .visit(var visit):
            visit.apply(command, size: s.size)
            s.replaceCurrent(.visit(visit))
        case .recall(var recall):
            effects = recall.apply(command, pageRows: s.pageRows)
            s.replaceCurrent(.recall(recall))
        case .audit(var audit):
            audit.apply(command, size: s.size)
            s.replaceCurrent(.audit(audit))
        case .newVisit(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.newVisit(form))
        case .safetyForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.safetyForm(form))
        case .triggerPointForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.triggerPointForm(form))
        case .needlingForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.needlingForm(form))
        case .needlesOutForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.needlesOutForm(form))
        case .inbox(var inbox):
            effects = inbox.apply(command, pageRows: s.pageRows)
            s.replaceCurrent(.inbox(inbox))
        case .inboxPreview(var preview):
            preview.apply(command, size: s.size)
            s.replaceCurrent(.inboxPreview(preview))
        case .planPreview(var plan):
            plan.apply(command, size: s.size)
            s.replaceCurrent(.planPreview(plan))
        case .patientForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.patientForm(form))
        case .amendForm, .alerts, .alertForm:
            break  // AmendWorkflow and AlertsWorkflow handle these screens' commands
        case .biomechForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.biomechForm(form))
        case .treatmentForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.treatmentForm(form))
        case .settingsForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.settingsForm(form))
        case .outcomeForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.outcomeForm(form))
        case .impressionForm(var form):
            effects = FormEditing.apply(&form, command, message: &s.message) { $0.apply(command) }
            s.replaceCurrent(.impressionForm(form))
        }
        return (s, effects)
    }

    /// The new selection in a list of `count` rows after a moving command (unchanged for others).
    static func moved(_ selection: Int, by command: Intent, count: Int, pageRows: Int) -> Int {
        guard count > 0 else { return 0 }
        let target: Int
        switch command {
        case .moveUp: target = selection - 1
        case .moveDown: target = selection + 1
        case .pageUp: target = selection - pageRows
        case .pageDown: target = selection + pageRows
        default: target = selection
        }
        return min(max(0, target), count - 1)
    }
}
