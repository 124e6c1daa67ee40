import ClinicModel
import ClinicServices
import TerminalKit

/// The amendment of a signed visit: for each field an amendment can correct, the signed value
/// (read only) and a new value (blank leaves it as signed), and the reason, which is required.
///
/// The signed note is never changed: the amendment is stored beside it with who, when and why,
/// and the visit view shows both. Nothing is saved until Ctrl-S; a refusal leaves the form open
/// with everything typed.
struct AmendFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable {
        case field(AmendableField)
        case reason
    }

    var visitID: Int64
    var patientName: String
    /// The visit as signed (the "before" of every change).
    var visit: Visit
    var practitioner: String
    var values: [AmendableField: TextField] = [:]
    var reason = TextField(maxLength: 2000)
    var focus = Focus.field(AmendableField.allCases[0])

    init(record: VisitRecord) {
        visitID = record.visit.id ?? 0
        patientName = record.patient.displayName
        visit = record.visit
        practitioner = record.practitioner
    }

    /// The fields in the order Tab visits them.
    static let order: [Focus] = AmendableField.allCases.map { .field($0) } + [.reason]

    func value(_ field: AmendableField) -> TextField {
        values[field] ?? TextField(maxLength: field.isPainScore ? 2 : 20_000)
    }

    /// True when a pain field holds something that is not an NPRS score.
    func isInvalid(_ field: AmendableField) -> Bool {
        let text = value(field).text
        return field.isPainScore && !text.isEmpty && Self.score(text) == nil
    }

    static func score(_ text: String) -> Int? {
        guard let value = Int(text), (0...10).contains(value) else { return nil }
        return value
    }

    mutating func apply(_ command: Command) {
        switch command {
        case .nextField, .moveDown: moveFocus(by: 1)
        case .previousField, .moveUp: moveFocus(by: -1)
        case .edit(.ctrl("y")):
            // Copies the signed text into the new value, to correct a word in a long note.
            guard case .field(let field) = focus else { return }
            var text = value(field)
            text.setText(field.currentValue(in: visit))
            values[field] = text
        case .edit(let key):
            switch focus {
            case .reason:
                reason.handle(key)
            case .field(let field):
                if field.isPainScore, case .character(let c) = key, !(c.isASCII && c.isNumber) { return }
                if field.isPainScore, case .paste = key { return }
                var text = value(field)
                text.handle(key)
                values[field] = text
            }
        default:
            break
        }
    }

    private mutating func moveFocus(by step: Int) {
        let index = Self.order.firstIndex(of: focus) ?? 0
        focus = Self.order[min(max(0, index + step), Self.order.count - 1)]
    }

    /// The amendment to save, or why it cannot be saved yet (in words for the status line).
    func amendment() -> Result<(reason: String, changes: [Amendment.Change]), FormProblem> {
        var changes: [Amendment.Change] = []
        for field in AmendableField.allCases {
            var after = value(field).text.trimmingCharacters(in: .whitespaces)
            guard !after.isEmpty else { continue }
            let before = field.currentValue(in: visit)
            if field.isPainScore {
                guard let score = Self.score(after) else {
                    return .failure(FormProblem("\(field.label.lowercased()) is an NPRS score, a whole number from 0 to 10"))
                }
                after = String(score)
            }
            if after == before {
                return .failure(FormProblem("the new \(field.label.lowercased()) is the same as the signed one"))
            }
            changes.append(Amendment.Change(field: field.rawValue, before: before, after: after))
        }
        if changes.isEmpty {
            return .failure(FormProblem("type a new value for at least one field (blank fields stay as signed)"))
        }
        let why = reason.text.trimmingCharacters(in: .whitespaces)
        if why.isEmpty {
            return .failure(FormProblem("give the reason for the amendment (it is kept with it)"))
        }
        return .success((why, changes))
    }
}

/// Draws the amendment form.
enum AmendFormScreen {
    static let signedColumn = 13
    static let newColumn = 39

    static func draw(_ state: AmendFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        let signed = state.visit.signedAt.map { " (signed " + Formatting.dateTime($0) + ")" } ?? ""
        buffer.put(" Amend visit \(Formatting.dateTime(state.visit.startedAt)) · \(state.practitioner)\(signed)", row: row, column: 0,
                   style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        buffer.put(" The signed note stays unchanged; the amendment is kept beside it.", row: row,
                   column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
        row += 2
        let newColumn = min(newColumn, max(signedColumn + 10, width / 2))
        buffer.put(" Field", row: row, column: 0, style: .bold)
        buffer.put("Signed value", row: row, column: signedColumn, style: .bold)
        buffer.put("New value (blank: as signed)", row: row, column: newColumn, style: .bold, maxWidth: width - newColumn,
                   overflow: .ellipsis)
        row += 1
        for field in AmendableField.allCases {
            let focused = state.focus == .field(field)
            buffer.put(" " + field.label, row: row, column: 0, style: focused ? .reverse : .plain)
            let current = field.currentValue(in: state.visit)
            buffer.put(current.isEmpty ? "–" : Formatting.oneLine(current), row: row, column: signedColumn, style: .dim,
                       maxWidth: newColumn - signedColumn - 2, overflow: .ellipsis)
            if field.isPainScore {
                state.value(field).render(into: &buffer, row: row, column: newColumn, width: 3, showsCursor: focused)
                let invalid = state.isInvalid(field)
                buffer.put(invalid ? " NPRS is 0 to 10" : " NPRS 0-10", row: row, column: newColumn + 3,
                           style: invalid ? ChartScreen.warningStyle : .dim)
            } else {
                state.value(field).render(into: &buffer, row: row, column: newColumn, width: max(1, width - newColumn - 1),
                                          showsCursor: focused)
            }
            row += 1
        }
        row += 1
        buffer.put(" Reason", row: row, column: 0, style: state.focus == .reason ? .reverse : .bold)
        state.reason.render(into: &buffer, row: row, column: signedColumn, width: max(1, width - signedColumn - 1),
                            showsCursor: state.focus == .reason)
        row += 1
        buffer.put(" (required: why the signed note needed correcting)", row: row, column: signedColumn - 1, style: .dim,
                   maxWidth: width - signedColumn, overflow: .ellipsis)
        row += 2
        let last = body.bottom - 2
        if case .field(let field) = state.focus {
            let current = field.currentValue(in: state.visit)
            buffer.put(" Signed \(field.label.lowercased()), in full:", row: row, column: 0, style: .bold)
            row += 1
            let lines = TextLayout.wrapped(current.isEmpty ? "(not recorded)" : current, width: max(1, width - 4))
            let room = max(0, min(4, last - row))
            for (index, line) in lines.prefix(room).enumerated() {
                let more = index == room - 1 && lines.count > room
                buffer.put("   " + (more ? line + " …" : line), row: row, column: 0, maxWidth: width, overflow: .ellipsis)
                row += 1
            }
            row += 1
        }
        let typed = AmendableField.allCases.filter { !state.value($0).text.trimmingCharacters(in: .whitespaces).isEmpty }
        if !typed.isEmpty, row < last {
            buffer.put(" This amendment records:", row: row, column: 0, style: .bold)
            row += 1
            for field in typed where row < last {
                let before = field.currentValue(in: state.visit)
                let text = "   \(field.label): “\(Formatting.oneLine(before))” → “\(Formatting.oneLine(state.value(field).text))”"
                buffer.put(text, row: row, column: 0, maxWidth: width, overflow: .ellipsis)
                row += 1
            }
        }
        buffer.put(" Tab next · Ctrl-Y copy signed text · Ctrl-S save · Esc cancel · F1 help",
                   row: body.bottom - 1, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}
