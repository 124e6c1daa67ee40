import ClinicModel
import ClinicServices
import TerminalKit

/// The amendment of a signed visit: pick the note or one of its entries (PgDn, PgUp), then for
/// each of its fields the value now (read only) and a new value (blank leaves it as it is), and
/// the reason, which is required.
///
/// The signed note is never changed: the amendment is stored beside it with who, when and why,
/// and the visit view shows the note as amended. Typing in several entries goes into one
/// amendment. Nothing is saved until Ctrl-S; a refusal leaves the form open with everything typed.
struct AmendFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable {
        case field(AmendableField)
        case reason
    }

    /// What the form is correcting: the note itself or one entry.
    struct Target: Sendable, Hashable, Codable {
        var entry: AmendableField.Entry?
        var index: Int
    }

    var visitID: Int64
    var patientName: String
    /// The visit as amended so far (the "before" of every change).
    var visit: Visit
    var practitioner: String
    var values: [AmendableField: TextField] = [:]
    var reason = TextField(maxLength: 2000)
    var focus = Focus.field(AmendableField.noteFields[0])
    var target = Target(entry: nil, index: 0)

    init(record: VisitRecord) {
        visitID = record.visit.id ?? 0
        patientName = record.patient.displayName
        visit = record.asAmended.visit
        practitioner = record.practitioner
    }

    private enum CodingKeys: String, CodingKey {
        case visitID, patientName, visit, practitioner, values, reason, focus, target
    }

    /// Reads a kept form, also one kept before the form could pick an entry (no `target`: the note).
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        visitID = try c.decode(Int64.self, forKey: .visitID)
        patientName = try c.decode(String.self, forKey: .patientName)
        visit = try c.decode(Visit.self, forKey: .visit)
        practitioner = try c.decode(String.self, forKey: .practitioner)
        values = try c.decode([AmendableField: TextField].self, forKey: .values)
        reason = try c.decode(TextField.self, forKey: .reason)
        focus = try c.decode(Focus.self, forKey: .focus)
        target = try c.decodeIfPresent(Target.self, forKey: .target) ?? Target(entry: nil, index: 0)
    }

    /// The note, then every entry, in the order PgDn visits them.
    var targets: [Target] {
        [Target(entry: nil, index: 0)] + AmendableField.Entry.allCases.flatMap { kind in
            kind.numbers(in: visit).map { Target(entry: kind, index: $0) }
        }
    }

    /// The fields of `target`, in the order Tab visits them.
    func fields(of target: Target) -> [AmendableField] {
        guard let entry = target.entry else { return AmendableField.noteFields }
        return entry.attributes.map { AmendableField(entry, target.index, $0) }
    }

    /// The focus order on the target shown.
    var order: [Focus] { fields(of: target).map { .field($0) } + [.reason] }

    /// The target in words: "The note", "Needling 2: Gastrocnemius, left".
    func title(of target: Target) -> String {
        let i = target.index - (target.entry?.firstNumber(in: visit) ?? 1)
        switch target.entry {
        case nil: return "The note"
        case .triggerPoint?:
            guard visit.triggerPoints.indices.contains(i) else { break }
            let t = visit.triggerPoints[i]
            return "Trigger point \(target.index): \(t.muscle?.name ?? t.muscleID), \(t.side.rawValue)"
        case .finding?:
            guard visit.biomechanics.indices.contains(i) else { break }
            let f = visit.biomechanics[i]
            return "Finding \(target.index): \(f.measure.summary), \(f.side.rawValue)"
        case .treatment?:
            guard visit.treatments.indices.contains(i) else { break }
            let t = visit.treatments[i]
            return "Treatment \(target.index): \(t.kind.rawValue)" + (t.muscleID.map { ", " + (MuscleCatalogue.muscle(id: $0)?.name ?? $0) } ?? "")
        case .needle?:
            guard visit.needling.indices.contains(i) else { break }
            let e = visit.needling[i]
            return "Needling \(target.index): \(e.muscle?.name ?? e.muscleID), \(e.side.rawValue), \(e.needle.size)"
        }
        return "Entry \(target.index)"
    }

    func value(_ field: AmendableField) -> TextField {
        values[field] ?? TextField(maxLength: field.isPainScore ? 2 : 20_000)
    }

    /// Why the value typed for `field` cannot be recorded (the field's rule), nil when it can
    /// or nothing is typed.
    func problem(_ field: AmendableField) -> String? {
        let text = value(field).text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        // The other values typed go in first (those that parse), so that a rule between two
        // fields of one entry (a muscle over the lung fields and its depth) is judged on both,
        // whichever was typed first, as saving judges them.
        var copy = visit
        for other in typedFields where other != field {
            var next = copy
            if (try? other.assign(value(other).text.trimmingCharacters(in: .whitespaces), in: &next)) != nil { copy = next }
        }
        do {
            try field.assign(text, in: &copy)
            try AmendableField.checkRecords(of: [(field, text)], in: copy)
        } catch { return error.errors.first.map { $0.rule } }
        return nil
    }

    /// True when a field holds something its rules refuse.
    func isInvalid(_ field: AmendableField) -> Bool { problem(field) != nil }

    static func score(_ text: String) -> Int? {
        guard let value = Int(text), (0...10).contains(value) else { return nil }
        return value
    }

    /// Every field with something typed, across the note and the entries.
    var typedFields: [AmendableField] {
        AmendableField.fields(of: visit).filter { !value($0).text.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    mutating func apply(_ command: Intent) {
        switch command {
        case .nextField, .moveDown: moveFocus(by: 1)
        case .previousField, .moveUp: moveFocus(by: -1)
        case .pageDown: moveTarget(by: 1)
        case .pageUp: moveTarget(by: -1)
        case .edit(.ctrl("y")):
            // Copies the current text into the new value, to correct a word in a long note.
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
        let order = self.order
        let index = order.firstIndex(of: focus) ?? 0
        focus = order[min(max(0, index + step), order.count - 1)]
    }

    private mutating func moveTarget(by step: Int) {
        let all = targets
        let index = all.firstIndex(of: target) ?? 0
        target = all[min(max(0, index + step), all.count - 1)]
        focus = order.first ?? .reason
    }

    /// The amendment to save, or why it cannot be saved yet (in words for the status line).
    func amendment() -> Result<(reason: String, changes: [Amendment.Change]), FormProblem> {
        var changes: [Amendment.Change] = []
        var typed: [(field: AmendableField, text: String)] = []
        var after = visit
        // Every value goes in first, then each entry is checked once (as `knot visit amend` does):
        // the order the fields were typed in does not matter.
        for field in typedFields {
            let text = value(field).text.trimmingCharacters(in: .whitespaces)
            let before = field.currentValue(in: after)
            do { try field.assign(text, in: &after) } catch {
                let rule = error.errors.first.map { "\($0.rule)" } ?? "is not a value it takes"
                return .failure(FormProblem("\(field.label.lowercased()) '\(text)' \(rule)"))
            }
            let now = field.currentValue(in: after)
            if now == before {
                return .failure(FormProblem("the new \(field.label.lowercased()) is the same as the one on the note"))
            }
            changes.append(Amendment.Change(field: field.rawValue, before: before, after: now))
            typed.append((field, text))
        }
        do { try AmendableField.checkRecords(of: typed, in: after) } catch {
            guard let first = error.errors.first else { return .failure(FormProblem("the values typed break the entry's rules")) }
            let label = AmendableField(rawValue: first.field)?.label.lowercased() ?? first.field
            return .failure(FormProblem(first.value.isEmpty ? "\(label) \(first.rule)" : "\(label) '\(first.value)' \(first.rule)"))
        }
        if changes.isEmpty {
            return .failure(FormProblem("type a new value for at least one field (blank fields stay as they are; PgDn for the entries)"))
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
    static let signedColumn = 19
    static let newColumn = 45

    static func draw(_ state: AmendFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        let signed = state.visit.signedAt.map { " (signed " + Formatting.dateTime($0) + ")" } ?? ""
        buffer.put(" Amend visit \(Formatting.dateTime(state.visit.startedAt)) · \(state.practitioner)\(signed)", row: row, column: 0,
                   style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        buffer.put(" The signed note stays unchanged; the amendment is kept beside it.", row: row,
                   column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
        row += 1
        let targets = state.targets
        let position = (targets.firstIndex(of: state.target) ?? 0) + 1
        let which = targets.count > 1 ? " \(position) of \(targets.count) (PgDn/PgUp)" : ""
        buffer.put(" Correcting\(which): " + state.title(of: state.target), row: row, column: 0, style: .bold, maxWidth: width,
                   overflow: .ellipsis)
        row += 2
        let newColumn = min(newColumn, max(signedColumn + 10, width / 2))
        buffer.put(" Field", row: row, column: 0, style: .bold)
        buffer.put("Now", row: row, column: signedColumn, style: .bold)
        buffer.put("New value (blank: as it is)", row: row, column: newColumn, style: .bold, maxWidth: width - newColumn,
                   overflow: .ellipsis)
        row += 1
        let last = body.bottom - 2
        let fields = state.fields(of: state.target)
        // The fields scroll when the entry has more than the screen holds (the reason stays in view).
        // Room is kept under the reason for the summary of what is typed.
        let summary = state.typedFields.isEmpty ? 0 : min(state.typedFields.count + 1, 4)
        let room = max(3, last - row - 4 - summary)
        let focusIndex: Int = if case .field(let f) = state.focus { fields.firstIndex(of: f) ?? 0 } else { fields.count - 1 }
        let first = max(0, min(focusIndex - room + 1, fields.count - room))
        for field in fields.dropFirst(first).prefix(room) {
            let focused = state.focus == .field(field)
            FormLabel.draw(field.attributeLabel, focused: focused, row: row, style: .plain, maxWidth: signedColumn - 1, into: &buffer)
            let current = field.currentValue(in: state.visit)
            buffer.put(current.isEmpty ? "–" : Formatting.oneLine(current), row: row, column: signedColumn, style: .dim,
                       maxWidth: newColumn - signedColumn - 2, overflow: .ellipsis)
            let problem = state.problem(field)
            if field.isPainScore {
                state.value(field).render(into: &buffer, row: row, column: newColumn, width: 3, showsCursor: focused)
                buffer.put(problem != nil ? " NPRS is 0 to 10" : " NPRS 0-10", row: row, column: newColumn + 3,
                           style: problem != nil ? ChartScreen.warningStyle : .dim)
            } else {
                let fieldWidth = max(1, width - newColumn - 1)
                state.value(field).render(into: &buffer, row: row, column: newColumn, width: fieldWidth, showsCursor: focused)
                if let problem, !focused || state.value(field).text.count < fieldWidth - 12 {
                    let at = newColumn + state.value(field).text.count + 1
                    if at < width - 4 {
                        buffer.put(problem, row: row, column: at, style: ChartScreen.warningStyle, maxWidth: width - at, overflow: .ellipsis)
                    }
                }
            }
            row += 1
        }
        row += 1
        FormLabel.draw("Reason", focused: state.focus == .reason, row: row, into: &buffer)
        state.reason.render(into: &buffer, row: row, column: signedColumn, width: max(1, width - signedColumn - 1),
                            showsCursor: state.focus == .reason)
        row += 1
        buffer.put(" (required: why the signed note needed correcting)", row: row, column: signedColumn - 1, style: .dim,
                   maxWidth: width - signedColumn, overflow: .ellipsis)
        row += 2
        // A value too long for its column is shown in full under the form.
        if case .field(let field) = state.focus, row < last, !field.isPainScore,
           field.currentValue(in: state.visit).count > newColumn - signedColumn - 2 {
            let current = field.currentValue(in: state.visit)
            buffer.put(" \(field.label) now, in full (\(field.hint)):", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
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
        let typed = state.typedFields
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
        buffer.put(" Tab next · PgDn/PgUp entry · Ctrl-Y copy · Ctrl-S save · Esc cancel · F1 help",
                   row: body.bottom - 1, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}
