import ClinicModel
import ClinicServices
import ClinicStore
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
    /// A one-line message for the status line (an error or a confirmation), cleared on the
    /// next key.
    var message: StatusMessage?
    /// The terminal size the screens are laid out for (paging moves by a screenful).
    var size: TerminalSize

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
    case biomechForm(BiomechFormState)
    case treatmentForm(TreatmentFormState)

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
        case .biomechForm: .biomechForm
        case .treatmentForm: .treatmentForm
        }
    }
}

/// The kinds of screen, each with its key map and title.
enum ScreenKind: Sendable, Hashable, CaseIterable {
    case firstRun, patientList, chart, visit, recall, audit, newVisit, safetyForm, triggerPointForm, needlingForm, needlesOutForm,
         inbox, inboxPreview, planPreview,
         biomechForm, treatmentForm

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
        case .biomechForm: "Biomechanical finding"
        case .treatmentForm: "Treatment"
        }
    }
}
