import ClinicModel
import TerminalKit

/// A completed region questionnaire (LEFS, NDI, ODI, VISA-A, QuickDASH: every scale the model
/// scores, as `knot outcome scales` lists them), entered item by item: no scale is chosen and
/// no item scored until the practitioner says so; each item shows its short label and range,
/// and the total is computed live, as published, and checked (`OutcomeMeasure.validate`).
/// Saved with Ctrl-S through the same use case as `knot outcome add`.
struct OutcomeFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable { case scale, item(Int) }

    var visitID: Int64
    var patientName: String
    /// Nil until one is chosen (a letter, Space or Left/Right).
    var scale: OutcomeScale?
    /// One field per item of the chosen scale, blank until scored.
    var items: [TextField] = []
    var focus = Focus.scale

    init(visitID: Int64, patientName: String) {
        self.visitID = visitID
        self.patientName = patientName
    }

    var fields: [Focus] { [.scale] + items.indices.map { .item($0) } }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .nextField, .moveDown: move(by: 1)
        case .previousField, .moveUp: move(by: -1)
        case .pageDown: move(by: 10)
        case .pageUp: move(by: -10)
        case .edit(let key):
            switch focus {
            case .scale:
                // Nothing chosen yet: Space or Right takes the first, a letter the first it starts.
                let all = OutcomeScale.allCases
                let current = scale ?? all[all.count - 1]
                guard let chosen = FormInput.choose(all, current: current, key: key, label: \.name) else { return [] }
                if key == .left, scale == nil { return [] }
                if chosen != scale {
                    scale = chosen
                    items = Array(repeating: TextField(maxLength: 2), count: chosen.itemLabels.count)
                }
            case .item(let index):
                guard items.indices.contains(index) else { return [] }
                FormInput.number(key, into: &items[index], decimal: false, signed: false)
            }
        default:
            break
        }
        return []
    }

    private mutating func move(by step: Int) {
        focus = FormFocus.moved(focus, in: fields, by: step)
    }

    /// The item scores typed (nil where blank or not a number).
    var scores: [Int?] { items.map { Int($0.text) } }

    /// The items typed out of their range, by index.
    var outOfRange: [Int] {
        guard let scale else { return [] }
        return items.indices.filter { index in
            guard let score = Int(items[index].text) else { return !items[index].isEmpty }
            return !scale.allowedScores(item: index).contains(score)
                || (scale == .visaA && index == 6 && ![0, 4, 7, 10].contains(score))
        }
    }

    /// The measure when every rule is kept (count, ranges, blanks allowed), else nil.
    var complete: OutcomeMeasure? {
        guard let scale else { return nil }
        return try? OutcomeMeasure(scale: scale, items: scores)
    }

    /// "0-4", or VISA-A item 7's four answers.
    static func range(_ scale: OutcomeScale, item index: Int) -> String {
        if scale == .visaA, index == 6 { return "0, 4, 7 or 10" }
        let r = scale.allowedScores(item: index)
        return "\(r.lowerBound)-\(r.upperBound)"
    }

    /// The measure to save, or why it cannot be saved yet (the model's words).
    func measure() -> Result<OutcomeMeasure, FormProblem> {
        guard let scale else {
            let choices = OutcomeScale.allCases.map { "\($0.name.prefix(1).lowercased()) \($0.name)" }.joined(separator: ", ")
            return .failure(FormProblem("measure: choose one first (\(choices))"))
        }
        do { return .success(try OutcomeMeasure(scale: scale, items: scores)) } catch {
            return .failure(FormProblem(EffectPerformer.message(for: error)))
        }
    }
}

extension OutcomeFormState: TextFieldForm {
    var focusedText: TextField? {
        get {
            guard case .item(let index) = focus, items.indices.contains(index) else { return nil }
            return items[index]
        }
        set {
            guard case .item(let index) = focus, items.indices.contains(index), let newValue else { return }
            items[index] = newValue
        }
    }
}

/// Draws the outcome-measure form: the scale, its items (scrolled to the focused one) and
/// the total as it stands.
enum OutcomeFormScreen {
    static let labelWidth = 12

    static func draw(_ state: OutcomeFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        buffer.put(" Outcome measure for \(state.patientName): the item scores the patient gave", row: row, column: 0,
                   style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        FormLabel.draw("Measure", focused: state.focus == .scale, row: row, into: &buffer)
        FormChoice.draw(OutcomeScale.allCases.map(\.name), chosen: state.scale?.name ?? "", focused: state.focus == .scale,
                        row: row, column: labelWidth, into: &buffer)
        row += 1
        guard let scale = state.scale else {
            buffer.put("none chosen: l LEFS, n NDI, o ODI, v VISA-A, q QuickDASH (or Space, Left/Right)", row: row,
                       column: labelWidth, style: ChartScreen.warningStyle, maxWidth: max(0, width - labelWidth - 1), overflow: .ellipsis)
            buffer.put(" Letters or Space choose · Ctrl-S save · Esc cancel · F1 help", row: body.bottom - 1, column: 0,
                       style: .dim, maxWidth: width, overflow: .ellipsis)
            buffer.cursor = nil
            return
        }
        let blanks = scale.missingAllowed == 0 ? "every item answered" : "at most \(scale.missingAllowed) item blank"
        buffer.put("\(scale.name): \(scale.higherIsBetter ? "higher is better" : "higher is worse"), \(blanks), "
                   + "MCID \(scale.formatChange(scale.mcid))", row: row, column: labelWidth, style: .dim,
                   maxWidth: max(0, width - labelWidth - 1), overflow: .ellipsis)
        row += 1
        drawTotal(state, scale: scale, row: row, width: width, into: &buffer)
        row += 2
        let sheet = self.sheet(state, scale: scale, width: width)
        let room = max(1, body.bottom - row - 1)
        let area = Rect(row: row, column: body.column, height: min(room, sheet.used), width: width)
        sheet.draw(in: area, into: &buffer)
        buffer.put(" Tab/Enter next item · digits score · Ctrl-S save · Esc cancel · F1 help", row: body.bottom - 1, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// "Total 52/80 (20 of 20 answered)", or what is still missing or out of range, in red.
    private static func drawTotal(_ state: OutcomeFormState, scale: OutcomeScale, row: Int, width: Int,
                                  into buffer: inout ScreenBuffer) {
        buffer.put(" Total", row: row, column: 0, style: .bold)
        let answered = state.scores.compactMap { $0 }.count
        let count = state.items.count
        if let measure = state.complete {
            buffer.put("\(scale.format(measure.score)) (\(answered) of \(count) answered)", row: row, column: labelWidth,
                       style: .bold, maxWidth: max(0, width - labelWidth - 1), overflow: .ellipsis)
            return
        }
        if let bad = state.outOfRange.first {
            buffer.put("item \(bad + 1) (\(scale.itemLabels[bad])) is \(OutcomeFormState.range(scale, item: bad)): not saved",
                       row: row, column: labelWidth, style: ChartScreen.warningStyle, maxWidth: max(0, width - labelWidth - 1),
                       overflow: .ellipsis)
            return
        }
        let missing = count - answered - scale.missingAllowed
        buffer.put("\(answered) of \(count) answered: \(missing) more to score", row: row, column: labelWidth, style: .dim,
                   maxWidth: max(0, width - labelWidth - 1), overflow: .ellipsis)
    }

    /// The items, one a row: score, number, short label and range.
    static func sheet(_ state: OutcomeFormState, scale: OutcomeScale, width: Int) -> FormSheet {
        var sheet = FormSheet(width: width, height: max(1, state.items.count + 1))
        let bad = Set(state.outOfRange)
        for (index, label) in scale.itemLabels.enumerated() where state.items.indices.contains(index) {
            let focused = state.focus == .item(index)
            if index == 0 { FormLabel.draw("Items", focused: false, row: 0, into: &sheet.buffer) }
            if focused { sheet.focus(index..<(index + 1)) }
            state.items[index].render(into: &sheet.buffer, row: index, column: labelWidth, width: 3, showsCursor: focused)
            let number = String(index + 1)
            let text = String(repeating: " ", count: max(0, 2 - number.count)) + "\(number). \(label) (\(OutcomeFormState.range(scale, item: index)))"
            let style: Style = bad.contains(index) ? ChartScreen.warningStyle : (focused ? Style.reverse.bolded() : .plain)
            sheet.buffer.put((focused ? FormLabel.marker : " ") + text, row: index, column: labelWidth + 4, style: style,
                             maxWidth: max(0, width - labelWidth - 5), overflow: .ellipsis)
        }
        sheet.used = state.items.count
        return sheet
    }
}
