import ClinicModel
import TerminalKit

/// A new alert for a patient: its kind (an allergy, another alert, or one of the precautions
/// the needling screen asks about) and the text everyone must see. Added as active; nothing is
/// saved until Ctrl-S, and a refusal leaves the form open with everything typed.
struct AlertFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable { case kind, text }

    static let kinds: [PatientAlert.Kind] = [.allergy, .other] + Precaution.allCases.map { .precaution($0) }

    var patientID: Int64
    var patientName: String
    var kindIndex = 0
    var text = TextField(maxLength: 500)
    var focus = Focus.kind

    var kind: PatientAlert.Kind { Self.kinds[kindIndex] }

    mutating func apply(_ command: Intent) {
        switch command {
        case .moveUp where focus == .kind: kindIndex = max(0, kindIndex - 1)
        case .moveDown where focus == .kind: kindIndex = min(Self.kinds.count - 1, kindIndex + 1)
        case .nextField, .moveDown: focus = .text
        case .previousField, .moveUp: focus = .kind
        case .edit(let key) where focus == .text: text.handle(key)
        default: break
        }
    }

    /// The alert to add, or why it cannot be added yet.
    func alert() -> Result<PatientAlert, FormProblem> {
        let words = text.text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .allergy where words.isEmpty:
            return .failure(FormProblem("type what the allergy is to and what happens (e.g. Latex: hives)"))
        case .other where words.isEmpty:
            return .failure(FormProblem("type the alert everyone must see"))
        default:
            return .success(PatientAlert(kind: kind, text: words))
        }
    }
}

/// Draws the new-alert form.
enum AlertFormScreen {
    /// The kind as the list shows it (precautions by name, as the needling screen asks them).
    static func name(_ kind: PatientAlert.Kind) -> String {
        switch kind {
        case .precaution(let p): p.displayName
        case .allergy: "allergy"
        case .other: "other alert"
        }
    }

    static func draw(_ state: AlertFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        buffer.put(" New alert for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        buffer.put(" Added as active: everyone who opens the chart sees it in the banner.", row: row, column: 0, style: .dim,
                   maxWidth: width, overflow: .ellipsis)
        row += 2
        FormLabel.draw("Kind", focused: state.focus == .kind, row: row, into: &buffer)
        let perColumn = (AlertFormState.kinds.count + 1) / 2
        let secondColumn = min(37, 7 + (width - 7) / 2)
        for (index, kind) in AlertFormState.kinds.enumerated() {
            let chosen = index == state.kindIndex
            let text = (chosen ? "(•) " : "( ) ") + name(kind)
            let style: Style = chosen ? (state.focus == .kind ? .reverse : .bold) : .plain
            let column = index < perColumn ? 7 : secondColumn
            let room = index < perColumn ? secondColumn - 8 : width - secondColumn - 1
            buffer.put(text, row: row + index % perColumn, column: column, style: style, maxWidth: max(1, room), overflow: .ellipsis)
        }
        row += perColumn
        buffer.put("chosen: " + AlertsScreen.kindName(state.kind) + (state.kind.isPrecaution ? " (shown as PRECAUTION)" : ""),
                   row: row, column: 7, style: .dim, maxWidth: width - 8, overflow: .ellipsis)
        row += 2
        FormLabel.draw("Text", focused: state.focus == .text, row: row, into: &buffer)
        state.text.render(into: &buffer, row: row, column: 7, width: max(1, width - 8), showsCursor: state.focus == .text)
        row += 1
        buffer.put(" what everyone must see, e.g. \"Latex: hives\" or \"Apixaban 5 mg bd\"", row: row, column: 6,
                   style: .dim, maxWidth: width - 6, overflow: .ellipsis)
        buffer.put(" Up/Down choose the kind · Tab next · Ctrl-S save · Esc cancel · F1 help", row: body.bottom - 1, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}

extension PatientAlert.Kind {
    var isPrecaution: Bool {
        if case .precaution = self { return true }
        return false
    }
}
