/// Esc on a form with typing in it asks first ("Discard the typing? y/n"); on a form nothing
/// was typed into, it just closes.
///
/// Works for every form that keeps its typing until Ctrl-S (`AppState.showsUnsavedForm`), by
/// looking at the form value before and after each command, so the forms know nothing of it.
enum DiscardQuestion {
    static let question = "Discard the typing? y/n (y closes the form, nothing saved; any other key goes on)"

    /// Asks before `.back` closes a changed form, and takes the answer; nil to go on as usual.
    static func update(_ state: AppState, _ message: Message,
                       screens: (AppState, Message) -> (AppState, [Effect])) -> (AppState, [Effect])? {
        guard case .intent(let command) = message else { return nil }  // an effect's result: still asking
        var s = state
        if s.asksToDiscard {
            s.asksToDiscard = false
            if case .edit(let key) = command, key == .character("y") || key == .character("Y") {
                return screens(s, .intent(.back))
            }
            if case .quit = command { return screens(s, message) }
            s.message = StatusMessage(kind: .info, text: "Kept: go on typing.")
            return (s, [])
        }
        if case .back = command, s.showsUnsavedForm, s.formChanged, !(s.current.kind == .newVisit) {
            s.asksToDiscard = true
            s.message = StatusMessage(kind: .error, text: question)
            return (s, [])
        }
        return nil
    }

    /// Keeps `formChanged` true once something was typed into the form shown (or its typing
    /// was restored), false when another form or screen is shown.
    static func track(from before: AppState, to after: inout AppState, after message: Message) {
        guard let now = FormDraft(openIn: after) ?? FormDraft.bare(after) else {
            after.formChanged = false
            return
        }
        if case .result(.formDraftLoaded) = message {
            after.formChanged = true
            return
        }
        let was = FormDraft(openIn: before) ?? FormDraft.bare(before)
        guard let was, was.slot == now.slot, before.current.kind == after.current.kind else {
            after.formChanged = false  // a form just opened
            return
        }
        if case .intent(.edit) = message, was != now { after.formChanged = true }
    }
}

extension FormDraft {
    /// The form shown, also when it has nowhere to be kept (a safety form over an unsaved
    /// draft), so that its changes still count.
    static func bare(_ state: AppState) -> FormDraft? {
        switch state.current {
        case .safetyForm(let f): FormDraft(slot: .visit(0), form: .safety(f))
        default: nil
        }
    }
}
