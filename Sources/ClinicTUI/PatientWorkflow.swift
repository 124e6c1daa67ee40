import ClinicModel
import TerminalKit

/// The patient form's part of `update`: open it from the list (a new patient) or the chart
/// (correct the details), save it, cancel it.
///
/// Pure like the rest of `Update`; the save comes back as `patientSaved` (or `failed`, which
/// leaves the form open with the service's words in the status line).
enum PatientWorkflow {
    /// Help and quit work as ever while the duplicate question is shown.
    private static func passesThroughQuestion(_ command: Intent) -> Bool {
        switch command {
        case .toggleHelp, .quit: true
        default: false
        }
    }

    /// The new state and effects for `command`, or nil when the workflow leaves it to `Update`.
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        if case .patientForm(var form) = s.current, form.duplicates != nil, !Self.passesThroughQuestion(command) {
            // The duplicate question: y registers anyway, any other key goes back to the form.
            form.duplicates = nil
            s.replaceCurrent(.patientForm(form))
            if case .edit(let key) = command, key == .character("y") || key == .character("Y"), case .success(let patient) = form.patient() {
                return (s, [.savePatient(patient, allowDuplicate: true)])
            }
            s.message = StatusMessage(kind: .info, text: "Not registered: the form is as you typed it (Esc cancels).")
            return (s, [])
        }
        switch command {
        case .registerPatient:
            guard case .patientList(let list) = s.current else { return nil }
            s.stack.append(.patientForm(PatientFormState(search: list.search.text)))
            return (s, [])
        case .editPatient:
            guard case .chart(let chart) = s.current else { return nil }
            s.stack.append(.patientForm(PatientFormState(editing: chart.chart.patient)))
            return (s, [])
        case .save:
            guard case .patientForm(let form) = s.current else { return nil }
            switch form.patient() {
            case .success(let patient):
                return (s, [.savePatient(patient)])  // a possible duplicate comes back to ask first
            case .failure(let problem):
                s.message = StatusMessage(kind: .error, text: "Not saved: " + problem.text)
                return (s, [])
            }
        case .back:
            guard s.current.kind == .patientForm else { return nil }
            s.stack.removeLast()
            s.message = StatusMessage(kind: .info, text: "Cancelled: nothing saved.")
            return (s, [])
        default:
            return nil
        }
    }

    /// Registering asked about look-alikes, or the patient was saved.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .possibleDuplicates(let lines):
            guard case .patientForm(var form) = s.current else { return nil }
            form.duplicates = lines
            s.replaceCurrent(.patientForm(form))
            s.message = StatusMessage(kind: .error, text: "May already be registered: y registers anyway, any other key goes back.")
            return (s, [])
        case .patientSaved(let patient, let created):
            if s.current.kind == .patientForm { s.stack.removeLast() }
            guard let id = patient.id else { return (s, []) }
            s.message = StatusMessage(kind: .info, text: created
                ? "Registered \(patient.displayName) as \(patient.recordNumber)."
                : "Details of \(patient.displayName) updated.")
            // The list under the chart searched before the patient was registered (or renamed):
            // its search runs again, so Esc back to it shows them without retyping it.
            let refresh: [Effect] = s.stack.compactMap {
                if case .patientList(let list) = $0 { .searchPatients(list.search.text) } else { nil }
            }
            return (s, [.openChart(patientID: id)] + refresh.prefix(1))
        default:
            return nil
        }
    }
}
