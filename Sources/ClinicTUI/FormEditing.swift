import TerminalKit

/// A form whose focused field may be a one-line text field, so that the shared mechanism
/// (`FormEditing`) can treat every form alike: a pre-filled or remembered value is selected
/// when its field gets the focus (typing replaces it; free text is not, see
/// `FormEditing.longestSelectedValue`), and typing refused at a field's limit is said in the
/// status line.
protocol TextFieldForm {
    associatedtype Focus: Hashable
    var focus: Focus { get }
    /// The text field that has the focus; nil when it is a choice, a picker or a list.
    var focusedText: TextField? { get set }
    /// Turns the focused choice by `step` (-1 Left, 1 Right) for a form whose own handling does
    /// not take Left/Right; false when the focus is not on such a choice (the default).
    mutating func turnChoice(by step: Int) -> Bool
}

extension TextFieldForm {
    mutating func turnChoice(by step: Int) -> Bool { false }
}

/// What every form does around its own handling of a command.
enum FormEditing {
    /// Applies `command` to `form` with `handle` (the form's own handling); selects the newly
    /// focused field's text when the focus moved, and puts a refusal at a field's limit into
    /// `message`.
    @discardableResult
    static func apply<Form: TextFieldForm>(_ form: inout Form, _ command: Intent, message: inout StatusMessage?,
                                           _ handle: (inout Form) -> [Effect]) -> [Effect] {
        let before = form.focus
        // Left/Right change a choice in every form (issue 13).
        if case .edit(let key) = command, key == .left || key == .right, form.turnChoice(by: key == .left ? -1 : 1) {
            return []
        }
        let effects = handle(&form)
        if form.focus != before { selectFocusedValue(&form) }
        if case .edit = command, let field = form.focusedText, field.refusedInput, let limit = field.maxLength {
            message = StatusMessage(kind: .error, text: refusal(limit: limit))
        }
        return effects
    }

    /// Selects the focused field's text when the field holds a value (not free text), so that
    /// typing replaces it: what moving to a field does, and what opening a form does for the
    /// field it opens on (`selectingOpenedForm`).
    static func selectFocusedValue<Form: TextFieldForm>(_ form: inout Form) {
        if let field = form.focusedText, field.maxLength.map({ $0 <= longestSelectedValue }) ?? false {
            form.focusedText?.selectAll()
        }
    }

    /// After `before` became `after`: when a form was opened (put over the screen before, or in
    /// its place), its first field's pre-filled value is selected, as a field reached with Tab is.
    /// Without it the field a form opens on kept its value unselected and typing was added to it:
    /// the family name the search pre-fills ("Zoë" + "Smith" gave "ZoëSmith"), the details
    /// corrected with `e`. One place for every form, whichever screen or result opens it; a form
    /// restored from its kept draft does not come through here and stays as it was typed.
    static func selectingOpenedForm(from before: AppState, to after: inout AppState) {
        let opened = after.stack.count > before.stack.count
            || (after.stack.count == before.stack.count && after.current.kind != before.current.kind)
        guard opened else { return }
        switch after.current {
        case .newVisit(var f): selectFocusedValue(&f); after.replaceCurrent(.newVisit(f))
        case .safetyForm(var f): selectFocusedValue(&f); after.replaceCurrent(.safetyForm(f))
        case .triggerPointForm(var f): selectFocusedValue(&f); after.replaceCurrent(.triggerPointForm(f))
        case .needlingForm(var f): selectFocusedValue(&f); after.replaceCurrent(.needlingForm(f))
        case .needlesOutForm(var f): selectFocusedValue(&f); after.replaceCurrent(.needlesOutForm(f))
        case .patientForm(var f): selectFocusedValue(&f); after.replaceCurrent(.patientForm(f))
        case .amendForm(var f): selectFocusedValue(&f); after.replaceCurrent(.amendForm(f))
        case .alertForm(var f): selectFocusedValue(&f); after.replaceCurrent(.alertForm(f))
        case .biomechForm(var f): selectFocusedValue(&f); after.replaceCurrent(.biomechForm(f))
        case .treatmentForm(var f): selectFocusedValue(&f); after.replaceCurrent(.treatmentForm(f))
        case .settingsForm(var f): selectFocusedValue(&f); after.replaceCurrent(.settingsForm(f))
        case .outcomeForm(var f): selectFocusedValue(&f); after.replaceCurrent(.outcomeForm(f))
        case .impressionForm(var f): selectFocusedValue(&f); after.replaceCurrent(.impressionForm(f))
        case .firstRun, .patientList, .chart, .visit, .recall, .audit, .inbox, .inboxPreview, .planPreview, .alerts: break
        }
    }

    /// Fields up to this limit hold a value (a lot, a count, a name, a date): selected on focus,
    /// typing replaces it. Longer ones hold free text (the complaint, notes, a reason): the cursor
    /// goes to the end, so coming back to add a sentence never replaces what is written.
    static let longestSelectedValue = 200

    /// The status line when typing did not fit a field.
    static func refusal(limit: Int) -> String {
        "Not typed: this field takes at most \(limit) characters (\(limit)/\(limit)); shorten it to add more."
    }
}

/// A form's label, the focused one unmistakable: a marker and reverse video (which shows
/// without colour too, NO_COLOR included).
enum FormLabel {
    static let marker = "▸"

    /// Draws `text` as a field's label at `column` (the marker takes the column before the text),
    /// in `style` when not focused (bold unless the form colours it), cut at `maxWidth`.
    static func draw(_ text: String, focused: Bool, row: Int, column: Int = 0, style: Style = .bold, maxWidth: Int? = nil,
                     into buffer: inout ScreenBuffer) {
        if focused {
            buffer.put(marker + text, row: row, column: column, style: Style.reverse.bolded(), maxWidth: maxWidth, overflow: .ellipsis)
        } else {
            buffer.put(" " + text, row: row, column: column, style: style, maxWidth: maxWidth, overflow: .ellipsis)
        }
    }
}

extension NewVisitState: TextFieldForm {
    var focusedText: TextField? {
        get { focus == .complaint ? complaint : pain }
        set {
            guard let newValue else { return }
            if focus == .complaint { complaint = newValue } else { pain = newValue }
        }
    }
}

extension NeedlingFormState: TextFieldForm {
    private static var textFields: [Focus: WritableKeyPath<NeedlingFormState, TextField>] { [
        .size: \.size, .brand: \.brand, .lot: \.lot, .inserted: \.inserted, .removed: \.removed, .settings: \.settings,
        .depth: \.depth, .timeInSitu: \.timeInSitu, .twitches: \.twitches, .triggerPoint: \.triggerPoint, .response: \.response,
    ] }
    var focusedText: TextField? {
        get { Self.textFields[focus].map { self[keyPath: $0] } }
        set { if let path = Self.textFields[focus], let newValue { self[keyPath: path] = newValue } }
    }
}

extension TriggerPointFormState: TextFieldForm {
    private static var textFields: [Focus: WritableKeyPath<TriggerPointFormState, TextField>] { [
        .location: \.location, .tenderness: \.tenderness, .ppt: \.ppt, .probe: \.probe, .notes: \.notes,
    ] }
    var focusedText: TextField? {
        get { Self.textFields[focus].map { self[keyPath: $0] } }
        set { if let path = Self.textFields[focus], let newValue { self[keyPath: path] = newValue } }
    }
}

extension TreatmentFormState: TextFieldForm {
    private static var textFields: [Focus: WritableKeyPath<TreatmentFormState, TextField>] { [
        .hold: \.hold, .cycles: \.cycles, .notes: \.notes,
    ] }
    var focusedText: TextField? {
        get { Self.textFields[focus].map { self[keyPath: $0] } }
        set { if let path = Self.textFields[focus], let newValue { self[keyPath: path] = newValue } }
    }
}

extension BiomechFormState: TextFieldForm {
    var focusedText: TextField? {
        get {
            switch focus {
            case .fpiItem(let index): fpiItems.indices.contains(index) ? fpiItems[index] : nil
            case .value: value
            case .movement: movement
            case .joint: joint
            case .name: name
            case .unit: unit
            case .notes: notes
            case .kind, .gait, .side: nil
            }
        }
        set {
            guard let newValue else { return }
            switch focus {
            case .fpiItem(let index): if fpiItems.indices.contains(index) { fpiItems[index] = newValue }
            case .value: value = newValue
            case .movement: movement = newValue
            case .joint: joint = newValue
            case .name: name = newValue
            case .unit: unit = newValue
            case .notes: notes = newValue
            case .kind, .gait, .side: break
            }
        }
    }
}

extension PatientFormState: TextFieldForm {
    private static var textFields: [Focus: WritableKeyPath<PatientFormState, TextField>] { [
        .family: \.family, .given: \.given, .preferred: \.preferred, .dateOfBirth: \.dateOfBirth, .phone: \.phone,
        .email: \.email, .address: \.address, .generalPractitioner: \.generalPractitioner, .medicare: \.medicare,
    ] }
    var focusedText: TextField? {
        get { Self.textFields[focus].map { self[keyPath: $0] } }
        set { if let path = Self.textFields[focus], let newValue { self[keyPath: path] = newValue } }
    }
}

extension SafetyFormState: TextFieldForm {
    var focusedText: TextField? {
        get {
            switch focus {
            case .consentDays: consentDays
            case .screenDays: screenDays
            case .reason(let p): reason(p)
            default: nil
            }
        }
        set {
            guard let newValue else { return }
            switch focus {
            case .consentDays: consentDays = newValue
            case .screenDays: screenDays = newValue
            case .reason(let p): reasons[p] = newValue
            default: break
            }
        }
    }
}

/// The needles-out form has one field, which follows the site chosen: the site's count is
/// put in it selected, so typing replaces it.
extension NeedlesOutFormState: TextFieldForm {
    var focus: Int { selection }
    var focusedText: TextField? {
        get { removed }
        set { if let newValue { removed = newValue } }
    }
}

extension AlertFormState: TextFieldForm {
    var focusedText: TextField? {
        get { focus == .text ? text : nil }
        set { if focus == .text, let newValue { text = newValue } }
    }

    /// Left/Right move along the kinds as Up/Down do (round from the last to the first).
    mutating func turnChoice(by step: Int) -> Bool {
        guard focus == .kind else { return false }
        kindIndex = (kindIndex + step + Self.kinds.count) % Self.kinds.count
        return true
    }
}

/// The amendment form: a pain score typed (a value) is selected when its field gets the focus
/// again; the new values of notes and the reason are free text (the cursor goes to the end).
extension AmendFormState: TextFieldForm {
    var focusedText: TextField? {
        get {
            switch focus {
            case .field(let field): value(field)
            case .reason: reason
            }
        }
        set {
            guard let newValue else { return }
            switch focus {
            case .field(let field): values[field] = newValue
            case .reason: reason = newValue
            }
        }
    }
}
