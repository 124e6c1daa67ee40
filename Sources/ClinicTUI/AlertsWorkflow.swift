import ClinicModel
import ClinicServices
import TerminalKit

/// The alerts screen's part of `update`: opening it from the chart, confirming, dismissing
/// (with a typed reason) and adding alerts, and putting the changed alerts into the chart underneath so
/// its banner is right when the user goes back.
enum AlertsWorkflow {
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        switch (command, s.current) {
        case (.showAlerts, .chart(let chart)):
            s.stack.append(.alerts(AlertsState(patient: chart.chart.patient)))
            return (s, [])
        case (_, .alerts(var list)):
            return alertsScreen(command, &list, in: &s)
        case (.save, .alertForm(let form)):
            switch form.alert() {
            case .success(let alert):
                return (s, [.addAlert(patientID: form.patientID, alert)])
            case .failure(let problem):
                s.message = StatusMessage(kind: .error, text: "Not saved: " + problem.text)
                return (s, [])
            }
        case (.back, .alertForm):
            s.stack.removeLast()
            s.message = StatusMessage(kind: .info, text: "Cancelled: no alert added.")
            return (s, [])
        case (.nextField, .alertForm(var form)), (.previousField, .alertForm(var form)), (.moveUp, .alertForm(var form)),
             (.moveDown, .alertForm(var form)), (.edit, .alertForm(var form)):
            FormEditing.apply(&form, command, message: &s.message) { $0.apply(command); return [] }
            s.replaceCurrent(.alertForm(form))
            return (s, [])
        default:
            return nil
        }
    }

    /// An alert was confirmed, dismissed or added: the form closes, the list and chart show it.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        guard case .alertsChanged(let chart, let message) = result else { return nil }
        var s = state
        if s.current.kind == .alertForm { s.stack.removeLast() }
        for index in s.stack.indices {
            switch s.stack[index] {
            case .chart(var open) where open.chart.patient.id == chart.patient.id:
                open.chart = chart
                s.stack[index] = .chart(open)
            case .alerts(var list) where list.patientID == chart.patient.id:
                list.show(chart.patient.alerts, choosing: list.selected?.id)
                s.stack[index] = .alerts(list)
            default:
                break
            }
        }
        s.message = StatusMessage(kind: .info, text: message)
        return (s, [])
    }

    /// A key on the alerts list.
    private static func alertsScreen(_ command: Intent, _ list: inout AlertsState, in s: inout AppState) -> (AppState, [Effect])? {
        if let question = list.dismissing, !isHelp(command) {
            return dismissQuestion(command, question, &list, in: &s)
        }
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown:
            list.selection = Update.moved(list.selection, by: command, count: list.alerts.count, pageRows: s.pageRows)
        case .confirmAlert:
            guard let alert = list.selected, let id = alert.id else { return nothing(&s) }
            if alert.status == .confirmed {
                s.message = StatusMessage(kind: .info, text: "Alert \(id) is already active.")
                return (s, [])
            }
            return (s, [.setAlertStatus(patientID: list.patientID, alertID: id, status: .confirmed)])
        case .dismissAlert:
            guard let alert = list.selected, let id = alert.id else { return nothing(&s) }
            if alert.status == .dismissed {
                s.message = StatusMessage(kind: .info, text: "Alert \(id) is already dismissed (c reinstates it).")
                return (s, [])
            }
            list.dismissing = AlertsState.DismissQuestion(alertID: id)
        case .newAlert:
            s.stack.append(.alertForm(AlertFormState(patientID: list.patientID, patientName: list.patientName)))
            return (s, [])
        case .edit:
            return (s, [])
        default:
            return nil
        }
        s.replaceCurrent(.alerts(list))
        return (s, [])
    }

    /// A key while `d`'s question is open: typing goes into the reason, Enter dismisses with a
    /// reason of a few words (a shorter one is refused and the question stays), Esc keeps the alert.
    private static func dismissQuestion(_ command: Intent, _ question: AlertsState.DismissQuestion, _ list: inout AlertsState,
                                        in s: inout AppState) -> (AppState, [Effect]) {
        var question = question
        switch command {
        case .edit(.escape), .back:
            list.dismissing = nil
            s.message = StatusMessage(kind: .info, text: "Not dismissed: the alert stays as it was.")
        case .edit(.enter), .save:
            do {
                let reason = try PatientAlert.checkedDismissReason(question.reason.text)
                list.dismissing = nil
                s.replaceCurrent(.alerts(list))
                return (s, [.setAlertStatus(patientID: list.patientID, alertID: question.alertID, status: .dismissed, reason: reason)])
            } catch {
                s.message = StatusMessage(kind: .error, text: "Not dismissed: the reason " + error.rule)
            }
        case .edit(let key):
            question.reason.handle(key)
            list.dismissing = question
        default:
            break
        }
        s.replaceCurrent(.alerts(list))
        return (s, [])
    }

    private static func nothing(_ s: inout AppState) -> (AppState, [Effect]) {
        s.message = StatusMessage(kind: .info, text: "No alert chosen: n adds one.")
        return (s, [])
    }

    private static func isHelp(_ command: Intent) -> Bool {
        if case .toggleHelp = command { return true }
        return false
    }
}
