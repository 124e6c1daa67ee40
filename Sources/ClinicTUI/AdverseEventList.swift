import ClinicModel
import TerminalKit

/// The adverse events of a needling entry, as typed on the needling form: unanswered at first
/// (no event is not claimed for the practitioner); `n` states there were none, `+` (or `a`
/// while there are none) adds one with its kind and severity unchosen (`?`: an event is never
/// recorded as a mild bruise nobody named), each chosen before the entry saves, and the action
/// taken.
///
/// Inside the list Tab goes kind, severity, action, then the next event; Up/Down go from event
/// to event; past either end the focus leaves the list. On the kind or severity a letter picks
/// the next word starting with it (`v` vasovagal, `s` significant then serious) and Space goes
/// round; Backspace on the kind removes the event. A serious event or a suspected pneumothorax
/// is drawn in red, since it needs action now.
struct AdverseEventList: Sendable, Hashable, Codable {
    enum Part: Sendable, Hashable, Codable { case kind, severity, action }

    struct Row: Sendable, Hashable, Codable {
        /// Nil until chosen (a letter, Space or Left/Right).
        var kind: AdverseEvent.Kind?
        /// Nil until chosen.
        var severity: AdverseEvent.Severity?
        var action = TextField(maxLength: 2000)

        /// Serious, or a suspected pneumothorax whatever the severity given.
        var isAlarming: Bool { AdverseEventList.isAlarming(kind: kind, severity: severity) }

        /// "suspected-pneumothorax (serious)", with "kind ?" or "severity ?" for what is not chosen yet.
        var summary: String {
            (kind?.rawValue ?? "kind ?") + " (" + (severity?.rawValue ?? "severity ?") + ")"
        }
    }

    var rows: [Row] = []
    /// True once the practitioner has said there were none (`n`); nil while unanswered (an
    /// optional, so a form draft kept before this field existed still restores).
    var noneStated: Bool?

    /// True when the events are answered: at least one typed, or none stated.
    var isAnswered: Bool { !rows.isEmpty || noneStated == true }
    /// The event and the part of it that has the focus.
    var row = 0
    var part = Part.kind

    static func isAlarming(kind: AdverseEvent.Kind?, severity: AdverseEvent.Severity?) -> Bool {
        severity == .serious || kind == .suspectedPneumothorax
    }

    /// The events as the model records them (a blank action is none), or the first event whose
    /// kind or severity is not chosen yet, in words for the status line.
    func recorded() -> Result<[AdverseEvent], FormProblem> {
        var events: [AdverseEvent] = []
        for (index, row) in rows.enumerated() {
            let which = rows.count == 1 ? "the adverse event" : "adverse event \(index + 1)"
            guard let kind = row.kind else {
                return .failure(FormProblem("\(which): the kind is not chosen: type its first letter or Space ("
                                            + AdverseEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")"))
            }
            guard let severity = row.severity else {
                return .failure(FormProblem("\(which) (\(kind.rawValue)): the severity is not chosen: m mild, s significant or serious"))
            }
            events.append(AdverseEvent(kind: kind, severity: severity, action: FormText.optional(row.action.text)))
        }
        return .success(events)
    }

    /// The events whose kind and severity are chosen, as the model records them.
    var events: [AdverseEvent] {
        rows.compactMap { row in
            guard let kind = row.kind, let severity = row.severity else { return nil }
            return AdverseEvent(kind: kind, severity: severity, action: FormText.optional(row.action.text))
        }
    }

    /// The events that need action now.
    var alarming: [Row] { rows.filter(\.isAlarming) }

    /// The focus arrives: at the first event from above, at the last from below.
    mutating func enter(from command: Intent) {
        switch command {
        case .previousField:
            row = max(0, rows.count - 1)
            part = .action
        case .moveUp:
            row = max(0, rows.count - 1)
            part = .kind
        default:
            row = 0
            part = .kind
        }
    }

    /// Moves within the list; false when the move leaves it.
    mutating func move(_ command: Intent) -> Bool {
        guard !rows.isEmpty else { return false }
        switch command {
        case .nextField:
            switch part {
            case .kind: part = .severity
            case .severity: part = .action
            case .action:
                guard row < rows.count - 1 else { return false }
                row += 1
                part = .kind
            }
        case .previousField:
            switch part {
            case .action: part = .severity
            case .severity: part = .kind
            case .kind:
                guard row > 0 else { return false }
                row -= 1
                part = .action
            }
        case .moveDown:
            guard row < rows.count - 1 else { return false }
            row += 1
        case .moveUp:
            guard row > 0 else { return false }
            row -= 1
        default:
            return false
        }
        return true
    }

    mutating func edit(_ key: Key) {
        if rows.isEmpty, key == .character("n") || key == .character("N") {
            noneStated = true
            return
        }
        if rows.isEmpty || part != .action, key == .character("+") || (rows.isEmpty && key == .character("a")) {
            let at = rows.isEmpty ? 0 : row + 1
            rows.insert(Row(), at: at)
            row = at
            part = .kind
            return
        }
        guard rows.indices.contains(row) else { return }
        switch part {
        case .kind:
            if key == .backspace || key == .delete {
                rows.remove(at: row)
                row = max(0, min(row, rows.count - 1))
                return
            }
            rows[row].kind = FormInput.choose(AdverseEvent.Kind.allCases, chosen: rows[row].kind, key: key, label: \.rawValue) ?? rows[row].kind
        case .severity:
            rows[row].severity = FormInput.choose(AdverseEvent.Severity.allCases, chosen: rows[row].severity, key: key,
                                                  label: \.rawValue) ?? rows[row].severity
        case .action:
            rows[row].action.handle(key)
        }
    }

    /// Draws the list from `top` at `column`; returns the rows used.
    func draw(top: Int, column: Int, width: Int, focused: Bool, into buffer: inout ScreenBuffer) -> Int {
        guard !rows.isEmpty else {
            if noneStated == true {
                buffer.put("none", row: top, column: column, style: focused ? .reverse : .plain)
                buffer.put("+ adds an event", row: top, column: column + 6, style: .dim, maxWidth: max(0, width - column - 7))
            } else {
                buffer.put(" ? ", row: top, column: column, style: focused ? .reverse : .plain)
                buffer.put("not answered: n none, + adds an event", row: top, column: column + 6, style: ChartScreen.warningStyle,
                           maxWidth: max(0, width - column - 7), overflow: .ellipsis)
            }
            if focused { buffer.cursor = nil }
            return 1
        }
        let severityColumn = column + 23
        let actionColumn = severityColumn + 19
        for (index, event) in rows.enumerated() {
            let y = top + index
            let selected = focused && index == row
            func style(_ part: Part) -> Style {
                if selected && self.part == part { return event.isAlarming ? ChartScreen.bannerStyle : .reverse }
                return event.isAlarming ? ChartScreen.warningStyle : .plain
            }
            if event.isAlarming { buffer.put("!!", row: y, column: column - 3, style: ChartScreen.warningStyle) }
            // Not chosen yet: "?" where the word goes, and what is missing beside it.
            if let kind = event.kind {
                buffer.put(kind.rawValue, row: y, column: column, style: style(.kind))
            } else {
                buffer.put("?", row: y, column: column, style: style(.kind))
                buffer.put("kind", row: y, column: column + 2, style: ChartScreen.warningStyle)
            }
            if let severity = event.severity {
                buffer.put(severity.rawValue, row: y, column: severityColumn, style: style(.severity))
            } else {
                buffer.put("?", row: y, column: severityColumn, style: style(.severity))
                buffer.put("severity", row: y, column: severityColumn + 2, style: ChartScreen.warningStyle)
            }
            buffer.put("action", row: y, column: actionColumn - 7, style: .dim)
            event.action.render(into: &buffer, row: y, column: actionColumn, width: max(1, width - actionColumn - 1),
                                showsCursor: selected && part == .action)
        }
        var used = rows.count
        if focused {
            if part != .action { buffer.cursor = nil }
            buffer.put("+ adds another · Backspace on the kind removes that event",
                       row: top + used, column: column, style: .dim, maxWidth: max(0, width - column - 1), overflow: .ellipsis)
            used += 1
        }
        return used
    }
}
