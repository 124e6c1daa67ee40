import Foundation
import ClinicModel

/// An open form's typing as a value to keep: which form, what it belongs to (its slot), and
/// everything typed into it, so that a closed terminal or a killed process loses nothing.
///
/// `FormDraftWorkflow` asks for it to be saved after every change; the effect performer
/// turns it into JSON for the store and back.
struct FormDraft: Sendable, Hashable {
    enum Form: Sendable, Hashable {
        case safety(SafetyFormState)
        case triggerPoint(TriggerPointFormState)
        case needling(NeedlingFormState)
        case needlesOut(NeedlesOutFormState)
        case biomech(BiomechFormState)
        case treatment(TreatmentFormState)
        case amend(AmendFormState)
        case patient(PatientFormState)
        case alert(AlertFormState)
        case impression(ImpressionFormState)
        case outcome(OutcomeFormState)
        case settings(SettingsFormState)
    }

    var slot: FormDraftSlot
    var form: Form

    /// The form shown in `state` with what it belongs to; nil when the screen shown is not a
    /// form that keeps its typing (or a visit form finds no draft visit under it).
    init?(openIn state: AppState) {
        let form: Form
        var visitID: Int64?
        switch state.current {
        case .safetyForm(let f):
            form = .safety(f)
            guard case .newVisit(let editor) = state.stack.dropLast().last, let id = editor.draft?.id else { return nil }
            visitID = id
        case .triggerPointForm(let f): form = .triggerPoint(f); visitID = f.visitID
        case .needlingForm(let f): form = .needling(f); visitID = f.visitID
        case .needlesOutForm(let f): form = .needlesOut(f); visitID = f.visitID
        case .biomechForm(let f): form = .biomech(f); visitID = f.visitID
        case .treatmentForm(let f): form = .treatment(f); visitID = f.visitID
        case .amendForm(let f): form = .amend(f)
        case .patientForm(let f): form = .patient(f)
        case .alertForm(let f): form = .alert(f)
        case .impressionForm(let f): form = .impression(f); visitID = f.visitID
        case .outcomeForm(let f): form = .outcome(f); visitID = f.visitID
        case .settingsForm(let f):
            guard f.canEdit else { return nil }  // read only: nothing typed to keep
            form = .settings(f)
        default: return nil
        }
        self.form = form
        switch form {
        case .amend(let f): slot = .amend(f.visitID)
        case .patient(let f): slot = f.editing?.id.map { .patient($0) } ?? .newPatient
        case .alert(let f): slot = .alert(f.patientID)
        case .settings: slot = .clinicSettings
        default:
            guard let visitID else { return nil }
            slot = .visit(visitID)
        }
    }

    init(slot: FormDraftSlot, form: Form) {
        self.slot = slot
        self.form = form
    }

    /// True for forms over the visit editor (restored over it when the draft visit is opened);
    /// the others are restored in place of the blank form they reopen as.
    var isVisitForm: Bool {
        if case .visit = slot { true } else { false }
    }

    /// The form as a screen.
    var screen: Screen {
        switch form {
        case .safety(let f): .safetyForm(f)
        case .triggerPoint(let f): .triggerPointForm(f)
        case .needling(let f): .needlingForm(f)
        case .needlesOut(let f): .needlesOutForm(f)
        case .biomech(let f): .biomechForm(f)
        case .treatment(let f): .treatmentForm(f)
        case .amend(let f): .amendForm(f)
        case .patient(let f): .patientForm(f)
        case .alert(let f): .alertForm(f)
        case .impression(let f): .impressionForm(f)
        case .outcome(let f): .outcomeForm(f)
        case .settings(let f): .settingsForm(f)
        }
    }

    /// Names the form in the store (the JSON is read back by it).
    var kind: String {
        switch form {
        case .safety: "safety"
        case .triggerPoint: "trigger-point"
        case .needling: "needling"
        case .needlesOut: "needles-out"
        case .biomech: "biomech"
        case .treatment: "treatment"
        case .amend: "amend"
        case .patient: "patient"
        case .alert: "alert"
        case .impression: "impression"
        case .outcome: "outcome"
        case .settings: "settings"
        }
    }

    /// The form in words, for the status line ("the needling entry").
    var noun: String {
        switch form {
        case .safety: "the consent and precaution screen"
        case .triggerPoint: "the trigger point"
        case .needling: "the needling entry"
        case .needlesOut: "the needles removed"
        case .biomech: "the biomechanical finding"
        case .treatment: "the treatment"
        case .amend: "the amendment"
        case .patient(let f): f.editing == nil ? "the new patient" : "the patient's details"
        case .alert: "the alert"
        case .impression: "the clinical impression"
        case .outcome: "the outcome measure"
        case .settings: "the clinic's settings"
        }
    }

    // MARK: JSON (done by the effect performer)

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// The form's state as JSON.
    func json() throws -> String {
        let data: Data
        switch form {
        case .safety(let f): data = try Self.encoder.encode(f)
        case .triggerPoint(let f): data = try Self.encoder.encode(f)
        case .needling(let f): data = try Self.encoder.encode(f)
        case .needlesOut(let f): data = try Self.encoder.encode(f)
        case .biomech(let f): data = try Self.encoder.encode(f)
        case .treatment(let f): data = try Self.encoder.encode(f)
        case .amend(let f): data = try Self.encoder.encode(f)
        case .patient(let f): data = try Self.encoder.encode(f)
        case .alert(let f): data = try Self.encoder.encode(f)
        case .impression(let f): data = try Self.encoder.encode(f)
        case .outcome(let f): data = try Self.encoder.encode(f)
        case .settings(let f): data = try Self.encoder.encode(f)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A form draft read back from the store; throws when the kind is unknown or the JSON does
    /// not fit it (written by another version of Knot).
    init(slot: FormDraftSlot, kind: String, json: String) throws {
        let data = Data(json.utf8)
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: data) }
        let form: Form
        switch kind {
        case "safety": form = .safety(try decode(SafetyFormState.self))
        case "trigger-point": form = .triggerPoint(try decode(TriggerPointFormState.self))
        case "needling": form = .needling(try decode(NeedlingFormState.self))
        case "needles-out": form = .needlesOut(try decode(NeedlesOutFormState.self))
        case "biomech": form = .biomech(try decode(BiomechFormState.self))
        case "treatment": form = .treatment(try decode(TreatmentFormState.self))
        case "amend": form = .amend(try decode(AmendFormState.self))
        case "patient": form = .patient(try decode(PatientFormState.self))
        case "alert": form = .alert(try decode(AlertFormState.self))
        case "impression": form = .impression(try decode(ImpressionFormState.self))
        case "outcome": form = .outcome(try decode(OutcomeFormState.self))
        case "settings": form = .settings(try decode(SettingsFormState.self))
        default: throw FormProblem("unknown form '\(kind)'")
        }
        self.init(slot: slot, form: form)
    }
}
