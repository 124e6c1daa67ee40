import Foundation
import ClinicModel

/// Keeps the typing of open forms: every change to a form is saved as its draft, the draft is
/// forgotten once the form is saved (Ctrl-S) or cancelled (Esc), and it is offered again when
/// the practitioner comes back to what the form belongs to (the draft visit from the chart, `m`
/// on the signed visit, F2 for a new patient...), even after a closed terminal or a killed
/// process.
///
/// Wraps the rest of `update` and only looks at the form shown before and after each command,
/// so the screens know nothing of it. Pure like the rest; the saves are effects, coalesced
/// while typing (`Effect.supersededSlot`), and the JSON is made by the effect performer.
enum FormDraftWorkflow {
    static func update(_ state: AppState, _ message: Message,
                       screens: (AppState, Message) -> (AppState, [Effect])) -> (AppState, [Effect]) {
        switch message {
        case .result(.formDraftDone):
            return (state, [])
        case .result(.formDraftLoaded(let draft, let savedAt)):
            return restore(draft, savedAt: savedAt, in: state)
        default:
            let (next, effects) = screens(state, message)
            return (next, effects + follow(from: state, to: next, after: message))
        }
    }

    /// What keeping the forms' typing asks for after `message` took `before` to `after`.
    ///
    /// Only an intent changes the typing, so only after an intent is the form saved as a
    /// draft: a result that redraws the same form (a reload, a refusal) never saves it again.
    private static func follow(from before: AppState, to after: AppState, after message: Message) -> [Effect] {
        let was = FormDraft(openIn: before)
        let now = FormDraft(openIn: after)
        if let was, now?.slot != was.slot, !after.stack.contains(where: { FormDraft.slot(of: $0) == was.slot }) {
            // The form closed: saved (its result came back) or cancelled.
            return [.discardFormDraft(was.slot)]
        }
        if let now, let was, now.slot == was.slot {
            guard case .intent = message, now != was else { return [] }
            return [.saveFormDraft(now)]
        }
        if case .result(.draftOpened) = message, case .newVisit(let editor) = after.current, let id = editor.draft?.id {
            return [.loadFormDraft(.visit(id))]
        }
        if let now, !now.isVisitForm {
            return [.loadFormDraft(now.slot)]  // a blank amendment, patient or alert form just opened
        }
        return []
    }

    /// Puts a kept form back where the practitioner is, with the status line saying so.
    private static func restore(_ draft: FormDraft, savedAt: Date, in state: AppState) -> (AppState, [Effect]) {
        var s = state
        guard let screen = restoredScreen(draft, in: s) else { return (s, []) }
        if draft.isVisitForm { s.stack.append(screen) } else { s.replaceCurrent(screen) }
        let time = Formatting.dateTime(savedAt)
        let day = String(time.prefix(10))
        let when = day == s.context.today.description ? "at \(time.suffix(5))" : "on \(day) at \(time.suffix(5))"
        s.message = StatusMessage(kind: .info, text: "Restored \(draft.noun) you were typing \(when); Ctrl-S saves it, Esc then y discards it.")
        return (s, [])
    }

    /// The kept form over the screen shown, with what it shows of the visit or patient as the
    /// database holds it now (the typing stays); nil when the screen shown is not where the
    /// form belongs (the practitioner moved on).
    private static func restoredScreen(_ draft: FormDraft, in s: AppState) -> Screen? {
        switch (draft.form, s.current) {
        case (_, .newVisit(let editor)) where draft.isVisitForm:
            guard let progress = editor.progress, let id = editor.draft?.id, draft.slot == .visit(id) else { return nil }
            return visitForm(draft.form, visitID: id, editor: editor, progress: progress)
        case (.amend(var form), .amendForm(let fresh)) where fresh.visitID == form.visitID:
            form.visit = fresh.visit
            form.patientName = fresh.patientName
            form.practitioner = fresh.practitioner
            return .amendForm(form)
        case (.patient(var form), .patientForm(let fresh)) where FormDraft.slot(of: .patientForm(fresh)) == draft.slot:
            form.editing = fresh.editing
            return .patientForm(form)
        case (.alert(var form), .alertForm(let fresh)) where fresh.patientID == form.patientID:
            form.patientName = fresh.patientName
            return .alertForm(form)
        case (.settings(var form), .settingsForm(let fresh)) where fresh.canEdit:
            // The typing, measured against the settings it was typed over (so a value someone
            // else changed since is only replaced where this administrator typed).
            form.logo = fresh.logo
            return .settingsForm(form)
        default:
            return nil
        }
    }

    private static func visitForm(_ form: FormDraft.Form, visitID: Int64, editor: NewVisitState,
                                  progress: VisitProgress) -> Screen? {
        switch form {
        case .safety(var f):
            guard f.patientID == editor.patientID else { return nil }
            f.patientName = editor.patientName
            return .safetyForm(f)
        case .triggerPoint(var f):
            guard f.visitID == visitID else { return nil }
            f.patientName = editor.patientName
            return .triggerPointForm(f)
        case .needling(var f):
            guard f.visitID == visitID else { return nil }
            let fresh = NeedlingFormState(visitID: visitID, patientName: editor.patientName, progress: progress)
            f.patientName = fresh.patientName
            f.visitInserted = fresh.visitInserted
            f.visitRemoved = fresh.visitRemoved
            return .needlingForm(f)
        case .needlesOut(var f):
            guard f.visitID == visitID,
                  let fresh = NeedlesOutFormState(visitID: visitID, patientName: editor.patientName, visit: progress.visit) else { return nil }
            let chosen = f.sites.indices.contains(f.selection) ? f.sites[f.selection].entryID : nil
            guard let index = fresh.sites.firstIndex(where: { $0.entryID == chosen }) else { return .needlesOutForm(fresh) }
            f.patientName = fresh.patientName
            f.sites = fresh.sites
            f.selection = index
            return .needlesOutForm(f)
        case .biomech(var f):
            guard f.visitID == visitID else { return nil }
            f.patientName = editor.patientName
            return .biomechForm(f)
        case .treatment(var f):
            guard f.visitID == visitID else { return nil }
            f.patientName = editor.patientName
            return .treatmentForm(f)
        case .impression(var f):
            guard f.visitID == visitID else { return nil }
            f.patientName = editor.patientName
            f.recorded = progress.visit.impression != nil
            return .impressionForm(f)
        case .outcome(var f):
            guard f.visitID == visitID else { return nil }
            f.patientName = editor.patientName
            return .outcomeForm(f)
        case .amend, .patient, .alert, .settings:
            return nil
        }
    }
}

extension FormDraft {
    /// The slot of a form screen that is not over a visit (nil for the others, which need the
    /// editor under them).
    static func slot(of screen: Screen) -> FormDraftSlot? {
        switch screen {
        case .amendForm(let f): .amend(f.visitID)
        case .patientForm(let f): f.editing?.id.map { .patient($0) } ?? .newPatient
        case .alertForm(let f): .alert(f.patientID)
        case .triggerPointForm(let f): .visit(f.visitID)
        case .needlingForm(let f): .visit(f.visitID)
        case .needlesOutForm(let f): .visit(f.visitID)
        case .biomechForm(let f): .visit(f.visitID)
        case .treatmentForm(let f): .visit(f.visitID)
        case .impressionForm(let f): .visit(f.visitID)
        case .outcomeForm(let f): .visit(f.visitID)
        case .settingsForm(let f): f.canEdit ? .clinicSettings : nil
        default: nil
        }
    }
}
