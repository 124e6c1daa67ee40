import ClinicModel
import TerminalKit

/// A biomechanical finding: first its kind (FPI-6, lunge, leg length, hallux dorsiflexion,
/// gait, strength, joint range, posture, any measure), then only the fields that kind takes,
/// then side and notes. The FPI-6 total and category show live as the items are scored.
/// Values are checked by the model's measure types (`BiomechanicalMeasure.make`, shared with
/// `knot finding add`). The side is never chosen for the practitioner: it starts unanswered
/// and the finding saves only once it is keyed, but for gait and posture (the whole body:
/// midline, their one side). Saved with Ctrl-S; Esc leaves without saving.
struct BiomechFormState: Sendable, Hashable, Codable {
    typealias Kind = BiomechanicalMeasure.Kind
    enum Focus: Sendable, Hashable, Codable { case kind, fpiItem(Int), value, gait, movement, joint, name, unit, side, notes }

    /// The kind choice, laid out on two rows (the codes `knot finding add --kind` takes).
    static let kindRows: [[Kind]] = [[.fpi6, .lunge, .legLength, .halluxDorsiflexion, .gait],
                                     [.strength, .jointRange, .posture, .measure]]
    /// The gait checklist shows in columns of this many codes.
    static let gaitColumnHeight = 6

    var visitID: Int64
    var patientName: String
    var kind = Kind.fpi6
    var side = Side.left
    /// True once the side was chosen by hand; until then it is unanswered (`sideAnswered`).
    var sideChosen = false
    var fpiItems = Array(repeating: TextField(maxLength: 2), count: 6)
    var value = TextField(maxLength: 10)
    var gait: Set<GaitObservation> = []
    var gaitHighlight = 0
    var movement = TextField(maxLength: 80)
    var joint = TextField(maxLength: 80)
    var name = TextField(maxLength: 80)
    var unit = TextField(maxLength: 20)
    var notes = TextField(maxLength: 2000)
    var focus = Focus.kind
    /// The id of the recorded entry this form corrects (nil for a new one).
    var editing: Int64?

    init(visitID: Int64, patientName: String) {
        self.visitID = visitID
        self.patientName = patientName
    }

    /// The fields the chosen kind takes, in order, between the kind and side/notes.
    var kindFields: [Focus] {
        switch kind {
        case .fpi6: (0..<6).map { .fpiItem($0) }
        case .lunge, .legLength, .halluxDorsiflexion: [.value]
        case .gait: [.gait]
        case .strength: [.movement, .value]
        case .jointRange: [.joint, .movement, .value]
        case .posture: []
        case .measure: [.name, .value, .unit]
        }
    }

    var fields: [Focus] { [.kind] + kindFields + [.side, .notes] }

    /// The value field's label on screen and its name in messages, and what it holds.
    var valueLabel: (label: String, name: String, hint: String) {
        switch kind {
        case .lunge: ("Lunge", "lunge", "cm, knee to wall (0-30)")
        case .legLength: ("Difference", "leg length", "mm (0-100); side = the longer leg")
        case .halluxDorsiflexion: ("Dorsiflexion", "dorsiflexion", "degrees, first MTP")
        case .strength: ("Grade", "grade", "0-5 (Oxford scale)")
        case .jointRange: ("Range", "range", "degrees")
        default: ("Value", "value", "a number, in the unit below")
        }
    }

    /// True when the side is answered: chosen by hand, or the kind has one side (gait and
    /// posture observe the whole body: midline).
    var sideAnswered: Bool { sideChosen || Self.hasOneSide(kind) }

    static func hasOneSide(_ kind: Kind) -> Bool { kind.hasOneSide }

    /// The side a kind is usually recorded on, until one is chosen by hand.
    static func usualSide(for kind: Kind) -> Side {
        switch kind {
        case .gait, .posture, .measure: .midline
        default: .left
        }
    }

    /// The FPI-6 running total of the items scored so far and how many are scored (valid -2..+2).
    var fpiRunning: (total: Int, scored: Int) {
        let scores = fpiItems.compactMap { Int($0.text) }.filter { (-2...2).contains($0) }
        return (scores.reduce(0, +), scores.count)
    }

    /// The FPI-6 with all six items validly scored, else nil.
    var fpiComplete: FootPostureIndex? {
        try? FootPostureIndex(items: fpiItems.map { Int($0.text) ?? 99 })
    }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .moveDown where focus == .gait && gaitHighlight < GaitObservation.allCases.count - 1:
            gaitHighlight += 1
        case .moveUp where focus == .gait && gaitHighlight > 0:
            gaitHighlight -= 1
        case .nextField, .moveDown:
            move(by: 1)
        case .previousField, .moveUp:
            move(by: -1)
        case .edit(let key):
            edit(key)
        default:
            break
        }
        return []
    }

    private mutating func move(by step: Int) {
        focus = FormFocus.moved(focus, in: fields, by: step)
    }

    private mutating func edit(_ key: Key) {
        switch focus {
        case .kind:
            let all = Self.kindRows.flatMap { $0 }
            if let chosen = FormInput.choose(all, current: kind, key: key, label: \.rawValue) {
                kind = chosen
                if !sideChosen { side = Self.usualSide(for: chosen) }
            }
        case .fpiItem(let index): FormInput.number(key, into: &fpiItems[index], decimal: false, signed: true)
        case .value: FormInput.number(key, into: &value, decimal: true, signed: kind == .halluxDorsiflexion || kind == .jointRange || kind == .measure)
        case .gait:
            let all = GaitObservation.allCases
            switch key {
            case .character(" "), .character("x"), .character("X"):
                let code = all[gaitHighlight]
                if gait.contains(code) { gait.remove(code) } else { gait.insert(code) }
            case .right: gaitHighlight = min(all.count - 1, gaitHighlight + Self.gaitColumnHeight)
            case .left: gaitHighlight = max(0, gaitHighlight - Self.gaitColumnHeight)
            default: break
            }
        case .movement: movement.handle(key)
        case .joint: joint.handle(key)
        case .name: name.handle(key)
        case .unit: unit.handle(key)
        case .notes: notes.handle(key)
        case .side:
            let current: Side? = sideAnswered ? side : nil
            let next = current.flatMap { FormInput.choose(Side.allCases, current: $0, key: key, label: \.rawValue) }
                ?? SideChoice.side(for: key, current: current)
            if let next {
                side = next
                sideChosen = true
            }
        }
    }

    /// The finding to save, or why it cannot be saved yet (the model's words).
    func finding() -> Result<BiomechanicalFinding, FormProblem> {
        func text(_ field: TextField) -> String? {
            let trimmed = field.text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        var number: Double?
        if kind.valueMeaning() != nil, let typed = text(value) {
            guard let parsed = Double(typed) else {
                return .failure(FormProblem("\(valueLabel.name): '\(typed)' is not a number"))
            }
            number = parsed
        }
        do {
            let measure = try BiomechanicalMeasure.make(
                kind: kind, value: number, fpiItems: kind == .fpi6 ? fpiItems.map(\.text) : [],
                gait: GaitObservation.allCases.filter(gait.contains).map(\.rawValue),
                movement: text(movement), joint: text(joint), name: text(name), unit: text(unit),
                names: .init(value: valueLabel.name))
            let finding = BiomechanicalFinding(measure: measure, side: side, notes: text(notes))
            try finding.validate()
            guard sideAnswered else { return .failure(FormProblem("side: not chosen: type l, r, m or b")) }
            return .success(finding)
        } catch {
            return .failure(FormProblem(EffectPerformer.message(for: error)))
        }
    }
}

/// Draws the biomechanical finding form.
enum BiomechFormScreen {
    static let labelWidth = 12

    static func draw(_ state: BiomechFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row + 1
        buffer.put((state.editing == nil ? " " : " Correcting: ") + "Biomechanical finding for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width,
                   overflow: .ellipsis)
        row += 2
        FormLabel.draw("Kind", focused: state.focus == .kind, row: row, into: &buffer)
        row += FormInput.drawChoice(BiomechFormState.kindRows.map { $0.map(\.rawValue) }, chosen: state.kind.rawValue,
                                    focused: state.focus == .kind, row: row, column: labelWidth, into: &buffer) + 1
        switch state.kind {
        case .fpi6: row = drawFPI(state, row: row, width: width, into: &buffer)
        case .gait: row = drawGait(state, row: row, width: width, into: &buffer)
        default:
            for focus in state.kindFields {
                drawField(state, focus, row: row, width: width, into: &buffer)
                row += 1
            }
            if !state.kindFields.isEmpty { row += 1 }
        }
        FormLabel.draw("Side", focused: state.focus == .side, row: row, into: &buffer)
        let sides = Side.allCases.map(\.rawValue)
        FormChoice.draw(sides, chosen: state.sideAnswered ? state.side.rawValue : "", focused: state.focus == .side,
                        row: row, column: labelWidth, into: &buffer)
        if !state.sideAnswered {
            FormChoice.drawNotChosen("type l, r, m or b", after: sides, row: row, column: labelWidth, width: width,
                                     into: &buffer)
        }
        row += 1
        FormLabel.draw("Notes", focused: state.focus == .notes, row: row, into: &buffer)
        state.notes.render(into: &buffer, row: row, column: labelWidth, width: max(1, width - labelWidth - 1),
                           showsCursor: state.focus == .notes)
        if state.notes.isEmpty, state.focus != .notes {
            buffer.put(state.kind == .posture ? "required: describe the posture" : "optional", row: row, column: labelWidth,
                       style: state.kind == .posture ? ChartScreen.warningStyle : .dim)
        }
        row += 2
        let keys = state.focus == .gait
            ? " Up/Down/Left/Right move · Space ticks · Tab next · Ctrl-S save · Esc cancel"
            : " Tab next · letters, Space, Left/Right choose · Ctrl-S save · Esc cancel"
        buffer.put(keys, row: row, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// The six FPI-6 items, each -2..+2, and the live total with its category.
    private static func drawFPI(_ state: BiomechFormState, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        var row = start
        let onItems = if case .fpiItem = state.focus { true } else { false }
        FormLabel.draw("Items", focused: onItems, row: row, into: &buffer)
        for (index, itemName) in FootPostureIndex.itemNames.enumerated() {
            let focused = state.focus == .fpiItem(index)
            state.fpiItems[index].render(into: &buffer, row: row, column: labelWidth, width: 3, showsCursor: focused)
            buffer.put("\(index + 1) \(itemName)", row: row, column: labelWidth + 5, style: focused ? .bold : .plain,
                       maxWidth: width - labelWidth - 6, overflow: .ellipsis)
            row += 1
        }
        buffer.put(" Total", row: row, column: 0, style: .bold)
        let running = state.fpiRunning
        if let complete = state.fpiComplete {
            buffer.put("\(signed(complete.total)) (\(complete.category.rawValue))", row: row, column: labelWidth, style: .bold)
        } else {
            let invalid = state.fpiItems.contains { !$0.isEmpty && !(Int($0.text).map { (-2...2).contains($0) } ?? false) }
            let text = "\(signed(running.total)) so far, \(running.scored) of 6 scored"
                + (invalid ? " · items are -2 to +2 only" : " · each -2 (supinated) to +2 (pronated)")
            buffer.put(text, row: row, column: labelWidth, style: invalid ? ChartScreen.warningStyle : .dim,
                       maxWidth: width - labelWidth - 1, overflow: .ellipsis)
        }
        return row + 2
    }

    /// The gait codes in columns, each ticked or not, the highlighted one reversed while focused.
    private static func drawGait(_ state: BiomechFormState, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        FormLabel.draw("Gait", focused: state.focus == .gait, row: start, into: &buffer)
        let all = GaitObservation.allCases
        let height = BiomechFormState.gaitColumnHeight
        let columnWidth = 32
        for (index, code) in all.enumerated() {
            let row = start + index % height
            let column = labelWidth + (index / height) * columnWidth
            let ticked = state.gait.contains(code)
            let highlighted = state.focus == .gait && index == state.gaitHighlight
            buffer.put("[\(ticked ? "x" : " ")] \(code.rawValue)", row: row, column: column,
                       style: highlighted ? .reverse : (ticked ? .bold : .plain), maxWidth: max(1, width - column - 1),
                       overflow: .ellipsis)
        }
        if state.focus == .gait { buffer.cursor = nil }
        let ticked = state.gait.count
        buffer.put(ticked == 0 ? "nothing ticked: saved as unremarkable" : "\(ticked) ticked", row: start + height,
                   column: labelWidth, style: .dim)
        return start + height + 2
    }

    private static func drawField(_ state: BiomechFormState, _ focus: BiomechFormState.Focus, row: Int, width: Int,
                                  into buffer: inout ScreenBuffer) {
        let (label, field, fieldWidth, hint): (String, TextField, Int, String)
        switch focus {
        case .value:
            let value = state.valueLabel
            (label, field, fieldWidth, hint) = (value.label, state.value, 8, value.hint)
        case .movement: (label, field, fieldWidth, hint) = ("Movement", state.movement, 30, state.kind == .strength ? "or muscle, e.g. hip abduction" : "e.g. flexion")
        case .joint: (label, field, fieldWidth, hint) = ("Joint", state.joint, 30, "e.g. ankle, hip")
        case .name: (label, field, fieldWidth, hint) = ("Name", state.name, 30, "what was measured")
        case .unit: (label, field, fieldWidth, hint) = ("Unit", state.unit, 10, "e.g. kg, s, cm")
        default: return
        }
        FormLabel.draw(label, focused: state.focus == focus, row: row, into: &buffer)
        field.render(into: &buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: state.focus == focus)
        buffer.put(hint, row: row, column: labelWidth + fieldWidth + 2, style: .dim,
                   maxWidth: max(1, width - labelWidth - fieldWidth - 3), overflow: .ellipsis)
    }

    static func signed(_ value: Int) -> String { value >= 0 ? "+\(value)" : "\(value)" }
}
