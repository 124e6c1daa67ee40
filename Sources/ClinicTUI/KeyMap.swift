import TerminalKit

/// One row of a screen's key table: the keys, the intent, and the words the help shows.
struct KeyBinding: Sendable {
    var keys: [Key]
    var command: Intent
    var help: String
    /// How the keys are written in the help, when the key names would not say it well.
    var label: String?

    init(_ keys: [Key], _ command: Intent, _ help: String, label: String? = nil) {
        self.keys = keys
        self.command = command
        self.help = help
        self.label = label
    }

    /// "Up/k", "Ctrl-C/Ctrl-Q", or the label.
    var keyLabel: String { label ?? keys.map(\.description).joined(separator: "/") }
}

/// The key tables of all screens: the one place that says which key does what.
///
/// The help overlay is drawn from these same tables, so help and behaviour cannot disagree.
enum KeyMap {
    static let helpKeys: [Key] = [.character("?"), .function(1)]

    /// The table for a screen, in the order the help lists it.
    static func bindings(for kind: ScreenKind) -> [KeyBinding] {
        let help = KeyBinding(helpKeys, .toggleHelp, "show or hide this help")
        let quit = KeyBinding([.character("q"), .ctrl("c")], .quit, "quit Knot")
        let back = KeyBinding([.escape], .back, "go back")
        let moves = [
            KeyBinding([.up, .character("k")], .moveUp, "previous line"),
            KeyBinding([.down, .character("j")], .moveDown, "next line"),
            KeyBinding([.pageUp], .pageUp, "one screen up"),
            KeyBinding([.pageDown, .character(" ")], .pageDown, "one screen down"),
        ]
        switch kind {
        case .firstRun:
            return [
                KeyBinding([.character("d")], .loadDemo, "load the demo clinic (made-up patients)"),
                KeyBinding([.character("e")], .startEmpty, "start with an empty clinic"),
                help, quit,
            ]
        case .patientList:
            return [
                KeyBinding([], .edit(.character(" ")), "type a name, record no., phone or birth date",
                           label: "letters"),
                KeyBinding([.up], .moveUp, "previous patient"),
                KeyBinding([.down], .moveDown, "next patient"),
                KeyBinding([.pageUp], .pageUp, "one screen up"),
                KeyBinding([.pageDown], .pageDown, "one screen down"),
                KeyBinding([.enter], .open, "open the patient's chart"),
                KeyBinding([.ctrl("r")], .showRecall, "recall list (reviews due)"),
                KeyBinding([.function(6), .ctrl("l")], .showInbox, "referral inbox (letters in the import folder)"),
                KeyBinding([.function(2), .ctrl("n")], .registerPatient, "register a new patient"),
                KeyBinding([.function(9), .ctrl("t")], .showSettings, "clinic settings: administrators change, others read"),
                KeyBinding([.escape], .back, "clear the search"),
                help,
                KeyBinding([.ctrl("c"), .ctrl("q")], .quit, "quit Knot (q types a letter here)"),
            ]
        case .chart:
            return [
                KeyBinding([.up, .character("k")], .moveUp, "previous visit"),
                KeyBinding([.down, .character("j")], .moveDown, "next visit"),
                KeyBinding([.pageUp], .pageUp, "one screen up"),
                KeyBinding([.pageDown], .pageDown, "one screen down"),
                KeyBinding([.enter], .open, "open the visit (a draft opens to go on recording it)"),
                KeyBinding([.character("n")], .newVisit, "new visit: complaint and pain, saved as a draft"),
                KeyBinding([.character("a")], .showAudit, "audit log for this patient"),
                KeyBinding([.character("e")], .editPatient, "correct the patient's details"),
                KeyBinding([.character("r")], .showRecall, "recall list (reviews due)"),
                KeyBinding([.character("!")], .showAlerts, "alerts: confirm, dismiss or add"),
                back, help, quit,
            ]
        case .visit:
            return moves + [KeyBinding([.character("p")], .showPlan, "follow-up plan (signed visits)"),
                            KeyBinding([.character("m")], .amendVisit, "amend this signed visit (practitioners)"), back, help, quit]
        case .audit:
            return moves + [back, help, quit]
        case .inbox:
            return moves + [KeyBinding([.enter], .open, "preview the letter (a dry run: nothing written)"), back, help, quit]
        case .inboxPreview:
            return moves + [KeyBinding([.character("y")], .importLetter, "import the letter"),
                            KeyBinding([.character("1")], .fileLetterToCandidate(1), "a conflict: file it for candidate N", label: "1-9"),
                            KeyBinding([.character("N")], .fileLetterAsNewPatient, "a conflict: file it as a new patient", label: "N"),
                            KeyBinding([.escape], .back, "back to the inbox, nothing imported"), help, quit]
        case .planPreview:
            return moves + [KeyBinding([.character("s")], .storeFinalPlan, "store the plan as final (practitioners)"),
                            back, help, quit]
        case .newVisit:
            return [
                KeyBinding([], .edit(.character(" ")), "type; complaint saved as typed, pain once 0-10 or on leaving",
                           label: "letters"),
                KeyBinding([.tab, .enter], .nextField, "next field; on a recorded entry, Enter (or e) corrects it"),
                KeyBinding([.down], .moveDown, "next field; past Pain, the recorded entries"),
                KeyBinding([.backTab, .up], .previousField, "previous field, or entry"),
                KeyBinding([], .strikeEntry, "on a recorded entry: strike it out (asks why)", label: "x/Delete"),
                KeyBinding([.function(2), .ctrl("o")], .recordSafety, "consent and precaution screen (when missing)"),
                KeyBinding([.function(3), .ctrl("t")], .addTriggerPoint, "add a trigger point finding"),
                KeyBinding([.function(4), .ctrl("n")], .addNeedling, "add a needling entry"),
                KeyBinding([.function(5), .ctrl("r")], .recordNeedlesOut, "needles removed since an entry was saved"),
                KeyBinding([.function(6), .ctrl("p")], .addBiomechanicalFinding, "add a biomechanical finding (FPI-6, lunge, gait...)"),
                KeyBinding([.function(7), .ctrl("g")], .addTreatment, "add a treatment (ischaemic compression, stretching...)"),
                KeyBinding([.function(8), .ctrl("v")], .setImpression, "clinical impression / working diagnosis (optional code)"),
                KeyBinding([.function(9), .ctrl("y")], .addOutcome, "outcome measure (LEFS, NDI, ODI, VISA-A, QuickDASH) by item"),
                KeyBinding([.function(10), .ctrl("x")], .signVisit, "sign: a summary first; y signs, any other key cancels"),
                KeyBinding([.ctrl("l")], .reloadDraft, "reload the saved draft (drops unsaved typing)"),
                KeyBinding([.ctrl("s")], .keepMyDraft, "after a conflict: save yours over the other terminal's"),
                KeyBinding([.escape], .back, "back to the chart (the draft stays)"),
                KeyBinding([.function(1)], .toggleHelp, "show or hide this help"),
                KeyBinding([.ctrl("c")], .quit, "quit Knot (the draft stays)"),
            ]
        case .needlesOutForm:
            return [
                KeyBinding([], .edit(.character(" ")), "digits: how many needles are out now at the site", label: "digits"),
                KeyBinding([.down, .tab], .moveDown, "next site"),
                KeyBinding([.up, .backTab], .moveUp, "previous site"),
                selectionHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save (nothing is saved before)"),
                KeyBinding([.escape], .back, discardHelp),
                KeyBinding([.function(1)], .toggleHelp, "show or hide this help"),
                KeyBinding([.ctrl("c")], .quit, "quit Knot (asks again: the form is not saved)"),
            ]
        case .safetyForm, .triggerPointForm, .needlingForm:
            let typing = kind == .safetyForm
                ? "y/n or Space answers; letters type a reason or the days"
                : kind == .needlingForm
                    ? "type into the field; letters, y/n or Space choose; + adds an adverse event"
                    : "type into the field; letters, y/n or Space choose; Space ticks a cause"
            return [
                KeyBinding([], .edit(.character(" ")), typing, label: "letters"),
                KeyBinding([.tab, .enter], .nextField, kind == .safetyForm ? "next question" : "next field (takes the muscle)"),
                KeyBinding([.backTab], .previousField, "previous field"),
                KeyBinding([.down], .moveDown, kind == .safetyForm ? "next question" : "next muscle in the list, else next field"),
                KeyBinding([.up], .moveUp, kind == .safetyForm ? "previous question" : "previous muscle, else previous field"),
                selectionHelp, choiceHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save (nothing is saved before)"),
                KeyBinding([.escape], .back, discardHelp),
                KeyBinding([.function(1)], .toggleHelp, "show or hide this help"),
                KeyBinding([.ctrl("c")], .quit, "quit Knot (asks again: the form is not saved)"),
            ]
        case .patientForm:
            return [
                KeyBinding([], .edit(.character(" ")), "type into the field; letters or Space choose the sex", label: "letters"),
                KeyBinding([.tab, .enter, .down], .nextField, "next field"),
                KeyBinding([.backTab, .up], .previousField, "previous field"),
                selectionHelp, choiceHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save (nothing is saved before)"),
                KeyBinding([.escape], .back, discardHelp),
                KeyBinding([.function(1)], .toggleHelp, "show or hide this help"),
                KeyBinding([.ctrl("c")], .quit, "quit Knot (asks again: the form is not saved)"),
            ]
        case .recall:
            return moves + [KeyBinding([.enter], .open, "open the patient's chart"), back, help, quit]
        case .amendForm, .alerts, .alertForm:
            return extraBindings(for: kind)
        case .biomechForm, .treatmentForm:
            return findingFormBindings(for: kind)
        case .settingsForm, .outcomeForm, .impressionForm:
            return assessmentBindings(for: kind)
        }
    }

    /// The help's line on typing over a pre-filled value (every form).
    static let selectionHelp = KeyBinding([], .edit(.left),
                                          "a pre-filled value shows selected: typing replaces it, Backspace clears it, "
                                          + "Left/Right/Home/End keep it to edit", label: "selected text")
    /// The help's line on choices (every form).
    static let choiceHelp = KeyBinding([], .edit(.right), "on a choice (side, yes/no, kind): Left/Right or Space change it",
                                       label: "Left/Right")
    /// The help's line on Esc in a form.
    static let discardHelp = "cancel: asks \"Discard the typing? y/n\" when something was typed"

    /// The intent for `key` on the screen shown, or nil when the key does nothing there.
    /// While the help is shown any key closes it (Ctrl-C still quits).
    static func command(for key: Key, in state: AppState) -> Intent? {
        if state.showsHelp {
            return key == .ctrl("c") ? .quit : .toggleHelp
        }
        if state.asksToDiscard, key != .ctrl("c") {
            return .edit(key)  // the answer to "Discard the typing? y/n"
        }
        if case .newVisit(let form) = state.current, form.confirmingSign, key != .ctrl("c") {
            return .edit(key)  // the answer to the signing summary: y signs, anything else cancels
        }
        if case .alerts(let list) = state.current, list.dismissing != nil, key != .ctrl("c") {
            return .edit(key)  // the reason for a dismissal: Enter dismisses, Esc keeps the alert
        }
        if key == .escape, state.working[.work] != nil {
            return .stopWork  // Esc stops the long read running (a write goes on), not the screen
        }
        if let command = SafetyFormStrike.command(for: key, in: state.current) { return command }  // nil: the key does nothing
        if let command = VisitEditorSelection.command(for: key, in: state.current) { return command }  // nil: the key does nothing
        let kind = state.current.kind
        if kind == .inboxPreview, case .character(let c) = key, let n = c.wholeNumberValue, (1...9).contains(n) {
            return .fileLetterToCandidate(n)
        }
        for binding in bindings(for: kind) where binding.keys.contains(key) {
            return binding.command
        }
        if kind == .patientList || kind == .newVisit || kind == .patientForm || kind == .settingsForm || state.current.isVisitForm,
           isTextEditing(key) {
            return .edit(key)
        }
        if takesText(kind), isTextEditing(key) {
            return .edit(key)
        }
        return nil
    }

    /// Keys a one-line text field uses (typing, pasting, moving, deleting).
    static func isTextEditing(_ key: Key) -> Bool {
        var probe = TextField(text: "x")
        probe.moveLeft()
        return probe.handle(key)
    }
}
