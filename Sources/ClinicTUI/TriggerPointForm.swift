import ClinicModel
import TerminalKit

/// A trigger point found on examination, everything `knot finding add` records: muscle (picked
/// by typing part of its name), side, active or latent, a named location, taut band, local
/// twitch response, referred pain, tenderness (NPRS), pressure pain threshold with the probe
/// size, likely causes and notes. Nothing that states a finding is filled in for the
/// practitioner: the side (but for a midline muscle), active or latent, the taut band, the twitch
/// and the referred pain start unanswered and are keyed before it saves; the measures, location,
/// causes and notes are optional, but a pressure pain threshold needs its probe size typed (it
/// starts blank: a reading with an assumed probe is a wrong number, and the clinic has no
/// configured probe to offer). Saved with Ctrl-S; Esc leaves without saving.
struct TriggerPointFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable, CaseIterable {
        case muscle, side, activity, location, tautBand, twitch, referred, tenderness, ppt, probe, causes, notes
    }

    var visitID: Int64
    var patientName: String
    var picker = MusclePicker()
    /// Nil until keyed (a midline muscle sets it: it has one side).
    var side: Side?
    var activity: TriggerPointFinding.Activity?
    var location = TextField(maxLength: 200)
    /// Each nil until the practitioner answers y or n.
    var tautBand: Bool?
    var twitch: Bool?
    var referred: Bool?
    var tenderness = TextField(maxLength: 2)
    var ppt = TextField(maxLength: 5)
    /// The algometer's probe area, cm²: blank until typed (needed with a PPT, never assumed).
    var probe = TextField(maxLength: 4)
    /// The likely causes ticked.
    var causes: Set<LikelyCause> = []
    /// The cause under the cursor in the checklist.
    var causeHighlight = 0
    var notes = TextField(maxLength: 5000)
    var focus = Focus.muscle
    /// The id of the recorded entry this form corrects (nil for a new one).
    var editing: Int64?

    init(visitID: Int64, patientName: String) {
        self.visitID = visitID
        self.patientName = patientName
    }

    mutating func apply(_ command: Intent) -> [Effect] {
        if focus == .causes, moveInChecklist(command) { return [] }
        let before = focus
        if FormFocus.navigate(command, focus: &focus, muscleField: .muscle, picker: &picker, side: &side) {
            if focus == .causes, before != .causes {
                if case .moveUp = command { causeHighlight = LikelyCause.allCases.count - 1 } else { causeHighlight = 0 }
            }
            return []
        }
        if case .edit(let key) = command { edit(key) }
        return []
    }

    /// Up/Down walk the checklist, leaving it past either end.
    private mutating func moveInChecklist(_ command: Intent) -> Bool {
        switch command {
        case .moveDown where causeHighlight < LikelyCause.allCases.count - 1: causeHighlight += 1
        case .moveUp where causeHighlight > 0: causeHighlight -= 1
        default: return false
        }
        return true
    }

    private mutating func edit(_ key: Key) {
        switch focus {
        case .muscle: picker.edit(key)
        case .side: side = SideChoice.side(for: key, current: side) ?? side
        case .activity:
            switch key {
            case .character("a"), .character("A"): activity = .active
            case .character("l"), .character("L"): activity = .latent
            // Nothing chosen yet: the first, active; then it turns over.
            case .character(" "), .left, .right: activity = activity == .active ? .latent : .active
            default: break
            }
        case .location: location.handle(key)
        case .tautBand: tautBand = YesNo.answer(key, given: tautBand)
        case .twitch: twitch = YesNo.answer(key, given: twitch)
        case .referred: referred = YesNo.answer(key, given: referred)
        case .tenderness: FormInput.number(key, into: &tenderness, decimal: false, signed: false)
        case .ppt: FormInput.number(key, into: &ppt, decimal: true, signed: false)
        case .probe: FormInput.number(key, into: &probe, decimal: true, signed: false)
        case .causes:
            let cause = LikelyCause.allCases[causeHighlight]
            let ticked = YesNo.answer(key, current: causes.contains(cause))
            if ticked { causes.insert(cause) } else { causes.remove(cause) }
        case .notes: notes.handle(key)
        }
    }

    /// The finding to save, or why it cannot be saved yet.
    func finding() -> Result<TriggerPointFinding, FormProblem> {
        var picker = picker
        guard picker.take(), let muscle = picker.chosen else {
            return .failure(FormProblem("pick a muscle: type part of its name, then Tab"))
        }
        guard let side else { return .failure(FormProblem("choose the side: l, r, m or b")) }
        guard let activity else { return .failure(FormProblem("choose active or latent: a or l")) }
        guard let tautBand else { return .failure(FormProblem("answer whether a taut band is palpable: y or n")) }
        guard let twitch else { return .failure(FormProblem("answer whether a local twitch response was seen: y or n")) }
        guard let referred else { return .failure(FormProblem("answer whether the referred pain was reproduced: y or n")) }
        let finding: TriggerPointFinding
        do {
            let score = tenderness.text.isEmpty ? nil : try NPRS(parsing: tenderness.text, field: "tenderness")
            var threshold: PressurePainThreshold?
            if !ppt.text.isEmpty {
                let value = try KilogramsPerSquareCentimetre(parsing: ppt.text, field: "pressurePainThreshold")
                if probe.text.isEmpty {
                    return .failure(FormProblem("probe size: not answered: type the algometer's probe area in cm² (0.5 to 2) for the PPT"))
                }
                guard let probeSize = Double(probe.text) else {
                    return .failure(FormProblem("probe size: type the algometer's probe area in cm² (0.5 to 2), like 1.0"))
                }
                threshold = PressurePainThreshold(value: value, probeSizeCm2: probeSize)
            }
            finding = TriggerPointFinding(
                muscleID: muscle.id, side: side, location: FormText.optional(location.text), activity: activity,
                tautBand: tautBand, localTwitchResponse: twitch, referredPainReproduced: referred, tenderness: score,
                pressurePainThreshold: threshold, likelyCauses: LikelyCause.allCases.filter(causes.contains),
                notes: FormText.optional(notes.text))
            try finding.validate()
        } catch {
            return .failure(FormProblem(EffectPerformer.message(for: error)))
        }
        return .success(finding)
    }
}

/// Choosing a side with one letter: l(eft), r(ight), m(idline), b(ilateral); Space goes round.
enum SideChoice {
    static func side(for key: Key, current: Side) -> Side? {
        switch key {
        case .left, .right:
            return FormInput.choose(Side.allCases, current: current, key: key, label: \.rawValue)
        case .character(let c):
            if c == " " {
                let all = Side.allCases
                return all[(all.firstIndex(of: current)! + 1) % all.count]
            }
            return try? Side(parsing: String(c))
        default:
            return nil
        }
    }

    /// Midline for a midline muscle; left instead of midline for a paired one.
    static func suited(_ side: Side, to muscle: Muscle?) -> Side {
        guard let muscle else { return side }
        if !muscle.paired { return .midline }
        return side == .midline ? .left : side
    }

    /// For a side not chosen yet (nil): midline for a midline muscle (it has one side); for a
    /// paired muscle a midline chosen before is undone, and nothing is chosen for the user.
    static func suited(_ side: Side?, to muscle: Muscle?) -> Side? {
        guard let muscle else { return side }
        if !muscle.paired { return .midline }
        return side == .midline ? nil : side
    }

    /// A side not chosen yet: a letter chooses its side, Space or Right the first.
    static func side(for key: Key, current: Side?) -> Side? {
        side(for: key, current: current ?? Side.allCases[Side.allCases.count - 1])
    }
}

/// Draws the trigger-point form: the title stays put, the fields scroll when the picker or
/// the checklist makes them taller than the screen.
enum TriggerPointFormScreen {
    static let labelWidth = 12

    static func draw(_ state: TriggerPointFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        buffer.put((state.editing == nil ? " " : " Correcting: ") + "Trigger point for \(state.patientName)", row: body.row + 1, column: 0, style: .bold, maxWidth: width,
                   overflow: .ellipsis)
        let sheet = self.sheet(state, width: width)
        let room = max(1, body.height - 5)
        let area = Rect(row: body.row + 3, column: body.column, height: min(room, sheet.used), width: width)
        sheet.draw(in: area, into: &buffer)
        buffer.put(" Tab next · Up/Down move · y/n, letters, Space choose · Ctrl-S save · Esc cancel",
                   row: area.bottom + 1, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// The fields, top to bottom, on a sheet as tall as they need.
    static func sheet(_ state: TriggerPointFormState, width: Int) -> FormSheet {
        var sheet = FormSheet(width: width)
        var row = 0
        func label(_ text: String, _ field: TriggerPointFormState.Focus, rows: Int = 1) {
            FormLabel.draw(text, focused: state.focus == field, row: row, into: &sheet.buffer)
            if state.focus == field { sheet.focus(row..<(row + rows)) }
        }
        func text(_ name: String, _ value: TextField, _ field: TriggerPointFormState.Focus, width fieldWidth: Int, hint: String) {
            label(name, field)
            value.render(into: &sheet.buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: state.focus == field)
            sheet.buffer.put(hint, row: row, column: labelWidth + fieldWidth + 2, style: .dim,
                             maxWidth: max(0, width - labelWidth - fieldWidth - 3), overflow: .ellipsis)
            row += 1
        }
        func yesNo(_ name: String, _ value: Bool?, _ field: TriggerPointFormState.Focus, hint: String) {
            label(name, field)
            YesNo.draw(given: value, focused: state.focus == field, row: row, column: labelWidth, into: &sheet.buffer)
            sheet.buffer.put(value == nil ? hint + "? type y or n" : hint, row: row, column: labelWidth + 12,
                             style: value == nil ? ChartScreen.warningStyle : .dim, maxWidth: max(0, width - labelWidth - 13))
            row += 1
        }
        let pickerRows = state.picker.draw(row: row, column: labelWidth, width: width - labelWidth - 1,
                                           focused: state.focus == .muscle, into: &sheet.buffer)
        label("Muscle", .muscle, rows: pickerRows)
        row += max(2, pickerRows + 1)
        label("Side", .side)
        FormChoice.draw(Side.allCases.map(\.rawValue), chosen: state.side?.rawValue ?? "", focused: state.focus == .side,
                        row: row, column: labelWidth, into: &sheet.buffer)
        if state.side == nil { FormChoice.drawNotChosen("type l, r, m or b", after: Side.allCases.map(\.rawValue), row: row, column: labelWidth, width: width, into: &sheet.buffer) }
        row += 1
        label("Activity", .activity)
        FormChoice.draw(["active", "latent"], chosen: state.activity?.rawValue ?? "", focused: state.focus == .activity,
                        row: row, column: labelWidth, into: &sheet.buffer)
        if state.activity == nil { FormChoice.drawNotChosen("type a or l", after: ["active", "latent"], row: row, column: labelWidth, width: width, into: &sheet.buffer) }
        row += 1
        text("Location", state.location, .location, width: 24, hint: "optional, e.g. TrP1 mid-belly")
        yesNo("Taut band", state.tautBand, .tautBand, hint: "palpable taut band")
        yesNo("Twitch", state.twitch, .twitch, hint: "local twitch response")
        yesNo("Referred", state.referred, .referred, hint: "referred pain reproduced")
        text("Tenderness", state.tenderness, .tenderness, width: 3, hint: "NPRS 0-10 on pressure, optional")

        label("PPT", .ppt)
        state.ppt.render(into: &sheet.buffer, row: row, column: labelWidth, width: 6, showsCursor: state.focus == .ppt)
        sheet.buffer.put("kg/cm² (algometer)", row: row, column: labelWidth + 7, style: .dim)
        let probeColumn = labelWidth + 27
        FormLabel.draw("Probe", focused: state.focus == .probe, row: row, column: probeColumn - 1, into: &sheet.buffer)
        if state.focus == .probe { sheet.focus(row..<(row + 1)) }
        state.probe.render(into: &sheet.buffer, row: row, column: probeColumn + 6, width: 5, showsCursor: state.focus == .probe)
        sheet.buffer.put("cm²", row: row, column: probeColumn + 12, style: .dim)
        if !state.ppt.text.isEmpty, state.probe.text.isEmpty {
            sheet.buffer.put("not answered", row: row, column: probeColumn + 16, style: ChartScreen.warningStyle,
                             maxWidth: max(0, width - probeColumn - 17), overflow: .ellipsis)
        }
        row += 1

        if state.focus == .causes {
            label("Causes", .causes, rows: LikelyCause.allCases.count)
            for (index, cause) in LikelyCause.allCases.enumerated() {
                let mark = state.causes.contains(cause) ? "[x] " : "[ ] "
                let style: Style = index == state.causeHighlight ? .reverse : .plain
                sheet.buffer.put(mark + cause.rawValue, row: row, column: labelWidth, style: style)
                if index == 0 {
                    sheet.buffer.put("Space ticks", row: row, column: labelWidth + 32, style: .dim)
                }
                row += 1
            }
            sheet.buffer.cursor = nil
        } else {
            label("Causes", .causes)
            let ticked = LikelyCause.allCases.filter(state.causes.contains).map(\.rawValue)
            sheet.buffer.put(ticked.isEmpty ? "none ticked" : ticked.joined(separator: ", "), row: row, column: labelWidth,
                             style: ticked.isEmpty ? .dim : .plain, maxWidth: width - labelWidth - 1, overflow: .ellipsis)
            row += 1
        }
        text("Notes", state.notes, .notes, width: min(60, width - labelWidth - 2), hint: "")
        sheet.used = row
        return sheet
    }
}

/// One choice among a few words, the chosen one shown in brackets.
enum FormChoice {
    static func draw(_ options: [String], chosen: String, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        var x = column
        for option in options {
            let isChosen = option == chosen
            let text = isChosen ? "[\(option)]" : " \(option) "
            let style: Style = isChosen ? (focused ? .reverse : .bold) : .dim
            x += buffer.put(text, row: row, column: x, style: style) + 1
        }
        if focused { buffer.cursor = nil }
    }

    /// Says a choice is not keyed yet, after its options drawn at `column` (nothing clinical is
    /// chosen for the practitioner).
    static func drawNotChosen(_ hint: String, after options: [String], row: Int, column: Int, width: Int,
                              into buffer: inout ScreenBuffer) {
        let x = column + options.reduce(0) { $0 + $1.count + 3 }
        buffer.put("not chosen: " + hint, row: row, column: x, style: ChartScreen.warningStyle,
                   maxWidth: max(0, width - x - 1), overflow: .ellipsis)
    }
}
