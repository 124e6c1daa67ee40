import ClinicModel
import ClinicServices
import TerminalKit

/// Everything the front end shows, as a value: `update` changes it, `render` draws it.
///
/// Pure data on purpose (as in Bubble Tea and ratatui): no database handle, no terminal, so
/// that a screen is a function of this value and the tests can reason about it.
struct AppState: Sendable {
    /// Who is working, on which database, and which day it is (injected, so screens are
    /// reproducible).
    var context: SessionContext
    /// Open screens; the last one is shown and Esc goes back to the one before.
    var stack: [Screen]
    /// True while the key help for the current screen is drawn over it.
    var showsHelp = false
    /// False once the user asked to quit.
    var isRunning = true
    /// True after Ctrl-C on a form that is saved only with Ctrl-S: the next Ctrl-C quits.
    var quitArmed = false
    /// True once something was typed into the form shown (Esc then asks before discarding it).
    var formChanged = false
    /// True while the status line asks "Discard the typing? y/n".
    var asksToDiscard = false
    /// A one-line message for the status line (an error or a confirmation), cleared on the
    /// next key.
    var message: StatusMessage?
    /// The terminal size the screens are laid out for (paging moves by a screenful).
    var size: TerminalSize
    /// Long work running off the input loop, by lane (the progress line shows it; see `LongEffect`).
    var working: [LongEffect.Lane: LongEffect] = [:]

    init(context: SessionContext, size: TerminalSize) {
        self.context = context
        self.size = size
        self.stack = [.patientList(PatientListState())]
    }

    /// The screen shown.
    var current: Screen { stack.last ?? .patientList(PatientListState()) }

    /// Replaces the screen shown.
    mutating func replaceCurrent(_ screen: Screen) {
        if stack.isEmpty { stack = [screen] } else { stack[stack.count - 1] = screen }
    }

    /// True when the screen shown holds typing that only Ctrl-S saves (a form over the visit,
    /// the patient, amendment and alert forms, or a visit editor whose typing another terminal
    /// kept from being saved); the visit editor itself is otherwise saved as typed.
    var showsUnsavedForm: Bool {
        switch current {
        case .patientForm, .amendForm, .alertForm: true
        case .settingsForm(let form): form.canEdit
        case .newVisit(let form): form.conflict != nil
        default: current.isVisitForm
        }
    }

    /// Rows a list can show in one screenful (for PgUp/PgDn).
    var pageRows: Int { max(1, size.rows - 8) }
}

/// The facts about the session the screens show in their status line.
struct SessionContext: Sendable, Hashable {
    var databasePath: String
    /// "mchen (Mei Chen, practitioner)" or the OS user with "no practitioner chosen".
    var workingAs: String
    var isReception: Bool
    /// True when a practitioner (not reception, not nobody) is working: only they record visits.
    var canRecordVisits: Bool
    var today: LocalDate
    /// False when nobody with an active account is working: only the first run's demo is theirs.
    var hasAccount: Bool = true
    /// True when the permission table lets the user change the clinic's settings (an
    /// administrator); the settings screen is read-only for everyone else.
    var canChangeSettings: Bool = false
}

/// A message in the status line.
struct StatusMessage: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case info, error }
    var kind: Kind
    var text: String
}

/// One open screen and its own state.
enum Screen: Sendable {
    case firstRun
    case patientList(PatientListState)
    case chart(ChartState)
    case visit(VisitViewState)
    case recall(RecallState)
    case audit(AuditState)
    case newVisit(NewVisitState)
    case safetyForm(SafetyFormState)
    case triggerPointForm(TriggerPointFormState)
    case needlingForm(NeedlingFormState)
    case needlesOutForm(NeedlesOutFormState)
    case inbox(InboxState)
    case inboxPreview(InboxPreviewState)
    case planPreview(PlanPreviewState)
    case patientForm(PatientFormState)
    case amendForm(AmendFormState)
    case alerts(AlertsState)
    case alertForm(AlertFormState)
    case biomechForm(BiomechFormState)
    case treatmentForm(TreatmentFormState)
    case settingsForm(SettingsFormState)
    case outcomeForm(OutcomeFormState)
    case impressionForm(ImpressionFormState)

    /// Which key map applies.
    var kind: ScreenKind {
        switch self {
        case .firstRun: .firstRun
        case .patientList: .patientList
        case .chart: .chart
        case .visit: .visit
        case .recall: .recall
        case .audit: .audit
        case .newVisit: .newVisit
        case .safetyForm: .safetyForm
        case .triggerPointForm: .triggerPointForm
        case .needlingForm: .needlingForm
        case .needlesOutForm: .needlesOutForm
        case .inbox: .inbox
        case .inboxPreview: .inboxPreview
        case .planPreview: .planPreview
        case .patientForm: .patientForm
        case .amendForm: .amendForm
        case .alerts: .alerts
        case .alertForm: .alertForm
        case .biomechForm: .biomechForm
        case .treatmentForm: .treatmentForm
        case .settingsForm: .settingsForm
        case .outcomeForm: .outcomeForm
        case .impressionForm: .impressionForm
        }
    }
}

/// The kinds of screen, each with its key map and title.
enum ScreenKind: Sendable, Hashable, CaseIterable {
    case firstRun, patientList, chart, visit, recall, audit, newVisit, safetyForm, triggerPointForm, needlingForm, needlesOutForm,
         inbox, inboxPreview, planPreview, patientForm,
         biomechForm, treatmentForm
    case amendForm, alerts, alertForm
    case settingsForm, outcomeForm, impressionForm

    var title: String {
        switch self {
        case .firstRun: "Welcome"
        case .patientList: "Patients"
        case .chart: "Chart"
        case .visit: "Visit"
        case .recall: "Recall list"
        case .audit: "Audit log"
        case .newVisit: "Visit in progress"
        case .safetyForm: "Consent and precaution screen"
        case .triggerPointForm: "Trigger point"
        case .needlingForm: "Needling entry"
        case .needlesOutForm: "Needles removed"
        case .inbox: "Referral inbox"
        case .inboxPreview: "Letter preview"
        case .planPreview: "Follow-up plan"
        case .patientForm: "Patient details"
        case .amendForm: "Amend signed visit"
        case .alerts: "Alerts"
        case .alertForm: "New alert"
        case .biomechForm: "Biomechanical finding"
        case .treatmentForm: "Treatment"
        case .settingsForm: "Clinic settings"
        case .outcomeForm: "Outcome measure"
        case .impressionForm: "Clinical impression"
        }
    }
}
