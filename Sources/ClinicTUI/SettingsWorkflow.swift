import ClinicModel
import ClinicServices

/// The settings screen's part of `update`: opening it from the patient list (the settings as
/// stored), saving an administrator's changes, and a refusal that goes back to the field it names.
enum SettingsWorkflow {
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        switch command {
        case .showSettings:
            guard s.current.kind == .patientList else { return nil }
            guard s.context.hasAccount else {
                s.message = StatusMessage(kind: .error, text: "The clinic's settings need an account: start knot with --practitioner HANDLE.")
                return (s, [])
            }
            return (s, [.loadSettings])
        case .save:
            guard case .settingsForm(let form) = s.current else { return nil }
            guard form.canEdit else {
                s.message = StatusMessage(kind: .error, text: "Not saved: only a clinic administrator changes the clinic's settings.")
                return (s, [])
            }
            switch form.change() {
            case .success(let (change, zone)):
                return (s, [.saveSettings(change, timeZone: zone)])
            case .failure(let problem):
                s.message = StatusMessage(kind: .error, text: "Not saved: " + problem.text)
                return (s, [])
            }
        default:
            return nil
        }
    }

    /// The settings loaded, saved or refused.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .settingsLoaded(let settings):
            guard s.current.kind == .patientList else { return (s, []) }
            s.stack.append(.settingsForm(SettingsFormState(settings, canEdit: s.context.canChangeSettings, today: s.context.today)))
            if !s.context.canChangeSettings {
                s.message = StatusMessage(kind: .info, text: "Read only: a clinic administrator changes these (here, or with knot clinic set).")
            }
            return (s, [])
        case .settingsSaved(let message):
            if s.current.kind == .settingsForm { s.stack.removeLast() }
            s.message = StatusMessage(kind: .info, text: message)
            return (s, [])
        case .settingsRefused(let text, let field):
            s.message = StatusMessage(kind: .error, text: "Not saved: " + text)
            if let field, case .settingsForm(var form) = s.current {
                form.focus = field
                form.values[field]?.selectAll()
                s.replaceCurrent(.settingsForm(form))
            }
            return (s, [])
        default:
            return nil
        }
    }
}
