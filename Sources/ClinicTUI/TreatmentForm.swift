import ClinicModel
import TerminalKit

/// A treatment given at the visit: kind (ischaemic compression, pressure release, stretching,
/// massage-ball instruction, exercise, education, other; dry needling itself is logged with
/// the needling form), the muscle (optional, except for ischaemic compression), side, hold
/// time per cycle, cycles and notes. The model's rules decide (`Treatment.validate`).
/// Neither the kind nor the side is chosen for the practitioner: the kind starts unchosen
/// (a letter or Space chooses it) and the side too: taking a muscle leaves it unanswered (but
/// for a midline muscle, which has one side), and a treatment of a muscle saves only once
/// the side is keyed. Saved with Ctrl-S; Esc leaves without saving.
struct TreatmentFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable, CaseIterable { case kind, muscle, side, hold, cycles, notes }

    /// The kinds offered, on two rows: all but dry needling (the needling form logs it per site).
    static let kindRows: [[Treatment.Kind]] = [[.ischaemicCompression, .pressureRelease, .stretching],
                                               [.massageBallInstruction, .exercise, .education, .other]]
    /// The side choices: none, or a side.
    static let sideOptions: [Side?] = [nil] + Side.allCases.map { Optional($0) }

    var visitID: Int64
    var patientName: String
    /// Nil until chosen (a letter, Space or Right): what was done is never claimed by itself.
    var kind: Treatment.Kind?
    var picker = MusclePicker()
    var side: Side?
    var hold = TextField(maxLength: 4)
    var cycles = TextField(maxLength: 2)
    var notes = TextField(maxLength: 2000)
    var focus = Focus.kind
    /// The id of the recorded entry this form corrects (nil for a new one).
    var editing: Int64?

    init(visitID: Int64, patientName: String) {
        self.visitID = visitID
        self.patientName = patientName
    }

    /// True while something is typed in the muscle field (an empty one means no muscle).
    var namesMuscle: Bool { !picker.query.text.trimmingCharacters(in: .whitespaces).isEmpty }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .moveUp where focus == .muscle && namesMuscle && picker.chosen == nil: picker.moveHighlight(by: -1)
        case .moveDown where focus == .muscle && namesMuscle && picker.chosen == nil: picker.moveHighlight(by: 1)
        case .nextField, .moveDown:
            if focus == .muscle, namesMuscle {
                guard picker.take() else { return [] }
                side = SideChoice.suited(side, to: picker.chosen)
            }
            focus = FormFocus.next(after: focus)
        case .previousField, .moveUp:
            focus = FormFocus.previous(before: focus)
        case .edit(let key):
            switch focus {
            case .kind:
                // Nothing chosen yet: Space or Right takes the first, a letter the first it starts.
                let all = Self.kindRows.flatMap { $0 }
                if key == .left, kind == nil { break }
                kind = FormInput.choose(all, current: kind ?? all[all.count - 1], key: key, label: \.rawValue) ?? kind
            case .muscle: picker.edit(key)
            case .side where namesMuscle:
                side = SideChoice.side(for: key, current: side) ?? side
            case .side:
                side = FormInput.choose(Self.sideOptions, current: side, key: key, label: { $0?.rawValue ?? "none" }) ?? side
            case .hold: FormInput.number(key, into: &hold, decimal: false, signed: false)
            case .cycles: FormInput.number(key, into: &cycles, decimal: false, signed: false)
            case .notes: notes.handle(key)
            }
        default:
            break
        }
        return []
    }

    /// The treatment to save, or why it cannot be saved yet (the model's words).
    func treatment() -> Result<Treatment, FormProblem> {
        guard let kind else {
            return .failure(FormProblem("kind: not chosen: type its first letter (i, p, s, m, e, o) or Space"))
        }
        var picker = picker
        var muscleID: String?
        if namesMuscle {
            guard picker.take(), let muscle = picker.chosen else {
                return .failure(FormProblem("muscle: no muscle matches '\(picker.query.text)': type part of its name, or clear it"))
            }
            muscleID = muscle.id
        }
        var holdTime: Seconds?
        if !hold.isEmpty {
            do { holdTime = try Seconds(parsing: hold.text, field: "holdTime") } catch {
                return .failure(FormProblem(String(describing: error)))
            }
        }
        var cycleCount: Int?
        if !cycles.isEmpty {
            guard let parsed = Int(cycles.text) else { return .failure(FormProblem("cycles: '\(cycles.text)' is not a whole number")) }
            cycleCount = parsed
        }
        let treatment = Treatment(kind: kind, muscleID: muscleID, side: side, holdTime: holdTime, cycles: cycleCount,
                                  notes: FormText.optional(notes.text))
        do { try treatment.validate() } catch { return .failure(FormProblem(EffectPerformer.message(for: error))) }
        if let muscle = picker.chosen, muscleID != nil, side == nil {
            return .failure(FormProblem("side: not chosen for \(muscle.name): type l, r, m or b"))
        }
        return .success(treatment)
    }
}

/// Draws the treatment form.
enum TreatmentFormScreen {
    static func draw(_ state: TreatmentFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        let labelWidth = 12
        var row = body.row + 1
        buffer.put((state.editing == nil ? " " : " Correcting: ") + "Treatment for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        FormLabel.draw("Kind", focused: state.focus == .kind, row: row, into: &buffer)
        row += FormInput.drawChoice(TreatmentFormState.kindRows.map { $0.map(\.rawValue) }, chosen: state.kind?.rawValue ?? "",
                                    focused: state.focus == .kind, row: row, column: labelWidth, into: &buffer)
        var noteColumn = labelWidth
        if state.kind == nil {
            let hint = "not chosen: type i, p, s, m, e or o · "
            buffer.put(hint, row: row, column: labelWidth, style: ChartScreen.warningStyle, maxWidth: width - labelWidth - 1,
                       overflow: .ellipsis)
            noteColumn += hint.count
        }
        buffer.put("Dry needling: log each site with F4 (needling) on the visit.", row: row, column: noteColumn,
                   style: .dim, maxWidth: max(0, width - noteColumn - 1), overflow: .ellipsis)
        row += 2
        FormLabel.draw("Muscle", focused: state.focus == .muscle, row: row, into: &buffer)
        if state.namesMuscle {
            row += state.picker.draw(row: row, column: labelWidth, width: width - labelWidth - 1, focused: state.focus == .muscle,
                                     into: &buffer)
        } else {
            state.picker.query.render(into: &buffer, row: row, column: labelWidth, width: 20, showsCursor: state.focus == .muscle)
            let required = state.kind == .ischaemicCompression
            buffer.put(required ? "required for ischaemic compression: type part of a name" : "optional: type part of a name",
                       row: row, column: labelWidth + 22, style: required ? ChartScreen.warningStyle : .dim,
                       maxWidth: width - labelWidth - 23, overflow: .ellipsis)
            row += 1
        }
        FormLabel.draw("Side", focused: state.focus == .side, row: row, into: &buffer)
        if state.namesMuscle {
            // A muscle treated has a side, never chosen for the practitioner.
            let sides = Side.allCases.map(\.rawValue)
            FormChoice.draw(sides, chosen: state.side?.rawValue ?? "", focused: state.focus == .side, row: row, column: labelWidth,
                            into: &buffer)
            if state.side == nil {
                FormChoice.drawNotChosen("type l, r, m or b", after: sides, row: row, column: labelWidth, width: width, into: &buffer)
            }
        } else {
            FormChoice.draw(TreatmentFormState.sideOptions.map { $0?.rawValue ?? "none" }, chosen: state.side?.rawValue ?? "none",
                            focused: state.focus == .side, row: row, column: labelWidth, into: &buffer)
        }
        row += 1
        let holdHint = state.kind == .ischaemicCompression ? "s per cycle: 5-180 s, usually 30-90 s" : "s per cycle (optional)"
        let fields: [(String, TextField, TreatmentFormState.Focus, Int, String)] = [
            ("Hold", state.hold, .hold, 5, holdHint),
            ("Cycles", state.cycles, .cycles, 5, "1-50 (optional)"),
        ]
        for (label, field, focus, fieldWidth, hint) in fields {
            FormLabel.draw(label, focused: state.focus == focus, row: row, into: &buffer)
            field.render(into: &buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: state.focus == focus)
            buffer.put(hint, row: row, column: labelWidth + fieldWidth + 2, style: .dim,
                       maxWidth: width - labelWidth - fieldWidth - 3, overflow: .ellipsis)
            row += 1
        }
        FormLabel.draw("Notes", focused: state.focus == .notes, row: row, into: &buffer)
        state.notes.render(into: &buffer, row: row, column: labelWidth, width: max(1, width - labelWidth - 1),
                           showsCursor: state.focus == .notes)
        if state.notes.isEmpty, state.focus != .notes {
            let required = state.kind == .other
            buffer.put(required ? "required: say what was done" : "optional", row: row, column: labelWidth,
                       style: required ? ChartScreen.warningStyle : .dim)
        }
        row += 2
        buffer.put(" Tab next · letters, Space, Left/Right choose · Ctrl-S save · Esc cancel", row: row, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}
