import ClinicModel
import TerminalKit

/// Consent and the precaution screen, asked before the first needle when they do not cover
/// the visit: consent yes or no with the days it stands, then every precaution present or
/// not, with a reason for each one present.
///
/// Precautions confirmed on the chart start as present (the service refuses a screen that
/// answers them no). Nothing is saved until Ctrl-S; a refusal leaves the form open and
/// nothing written.
struct SafetyFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable {
        case consentGiven, consentDays
        case precaution(Precaution)
        case reason(Precaution)
    }

    var patientID: Int64
    var patientName: String
    /// Asked only when no consent covers the visit.
    var asksConsent: Bool
    /// Asked only when no screen covers the visit.
    var asksScreen: Bool
    var confirmed: [Precaution]
    var consentGiven = true
    var consentDays = TextField(text: "90", maxLength: 3)
    var present: Set<Precaution>
    var reasons: [Precaution: TextField] = [:]
    var focus: Focus

    init(patientID: Int64, patientName: String, readiness: NeedlingReadiness) {
        self.patientID = patientID
        self.patientName = patientName
        asksConsent = readiness.consentUntil == nil
        asksScreen = readiness.screenUntil == nil
        confirmed = readiness.confirmedPrecautions
        present = Set(readiness.confirmedPrecautions)
        focus = asksConsent ? .consentGiven : .precaution(Precaution.allCases[0])
    }

    /// The fields in order, as Tab visits them (a reason only for a precaution answered present).
    var fields: [Focus] {
        var list: [Focus] = []
        if asksConsent {
            list.append(.consentGiven)
            if consentGiven { list.append(.consentDays) }
        }
        if asksScreen {
            for p in Precaution.allCases {
                list.append(.precaution(p))
                if present.contains(p) { list.append(.reason(p)) }
            }
        }
        return list
    }

    func reason(_ p: Precaution) -> TextField { reasons[p] ?? TextField(maxLength: 500) }

    mutating func apply(_ command: Command) -> [Effect] {
        switch command {
        case .nextField, .moveDown: moveFocus(by: 1)
        case .previousField, .moveUp: moveFocus(by: -1)
        case .edit(let key): edit(key)
        default: break
        }
        return []
    }

    private mutating func moveFocus(by step: Int) {
        let list = fields
        guard let index = list.firstIndex(of: focus) else { focus = list.first ?? focus; return }
        focus = list[min(max(0, index + step), list.count - 1)]
    }

    private mutating func edit(_ key: Key) {
        switch focus {
        case .consentGiven:
            if let answer = Self.answer(key, current: consentGiven) { consentGiven = answer }
        case .consentDays:
            if case .character(let c) = key, !(c.isASCII && c.isNumber) { return }
            if case .paste = key { return }
            consentDays.handle(key)
        case .precaution(let p):
            guard let answer = Self.answer(key, current: present.contains(p)) else { return }
            if answer { present.insert(p) } else { present.remove(p) }
        case .reason(let p):
            var field = reason(p)
            field.handle(key)
            reasons[p] = field
        }
    }

    /// y or n answers a yes/no question, Space turns it over; nil for other keys.
    static func answer(_ key: Key, current: Bool) -> Bool? {
        switch key {
        case .character("y"), .character("Y"): true
        case .character("n"), .character("N"): false
        case .character(" "): !current
        default: nil
        }
    }

    /// What to record, or the reason the form cannot be saved yet (in words for the status line).
    func request() -> Result<SafetyRequest, FormProblem> {
        var days: Int?
        if asksConsent, consentGiven {
            guard let value = Int(consentDays.text), (0...366).contains(value) else {
                return .failure(FormProblem("consent stands for 0 (this visit only) to 366 days"))
            }
            days = value
        }
        if asksConsent, !consentGiven, !asksScreen {
            return .failure(FormProblem("consent not given: nothing to record, and needling cannot go ahead"))
        }
        var acknowledgments: [Precaution: String] = [:]
        for p in present { acknowledgments[p] = reason(p).text.trimmingCharacters(in: .whitespaces) }
        return .success(SafetyRequest(patientID: patientID, consentDays: days,
                                      screenPresent: asksScreen ? present : nil, acknowledgments: acknowledgments))
    }
}

/// Consent and screen to record: consent when `consentDays` is set (0 = this visit only),
/// the screen when `screenPresent` is set.
struct SafetyRequest: Sendable, Hashable {
    var patientID: Int64
    var consentDays: Int?
    var screenPresent: Set<Precaution>?
    var acknowledgments: [Precaution: String]
}

/// Why a form cannot be saved yet, in the words the status line shows.
struct FormProblem: Error, Sendable, Hashable {
    var text: String
    init(_ text: String) { self.text = text }
}

/// Draws the consent and precaution form.
enum SafetyFormScreen {
    static func draw(_ state: SafetyFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        buffer.put(" Before needling \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        let answerColumn = 40
        if state.asksConsent {
            buffer.put(" Informed consent to dry needling", row: row, column: 0, maxWidth: answerColumn - 1,
                       overflow: .ellipsis)
            drawAnswer(state.consentGiven, focused: state.focus == .consentGiven, row: row, column: answerColumn, into: &buffer)
            if state.consentGiven {
                buffer.put("stands for", row: row, column: answerColumn + 6, style: .dim)
                state.consentDays.render(into: &buffer, row: row, column: answerColumn + 17, width: 4,
                                         showsCursor: state.focus == .consentDays)
                buffer.put("days", row: row, column: answerColumn + 22, style: .dim)
            }
            row += 1
        }
        if state.asksScreen {
            buffer.put(" Precaution screen: present?", row: row, column: 0, style: .bold)
            row += 1
            for p in Precaution.allCases {
                var label = "   " + p.displayName
                if state.confirmed.contains(p) { label += " (on chart)" }
                if p.isStop { label += " (stop)" }
                let isPresent = state.present.contains(p)
                buffer.put(label, row: row, column: 0, style: isPresent ? ChartScreen.warningStyle : .plain,
                           maxWidth: answerColumn - 1, overflow: .ellipsis)
                drawAnswer(isPresent, focused: state.focus == .precaution(p), row: row, column: answerColumn, into: &buffer)
                if isPresent {
                    buffer.put("reason", row: row, column: answerColumn + 6, style: .dim)
                    state.reason(p).render(into: &buffer, row: row, column: answerColumn + 13,
                                           width: max(1, width - answerColumn - 14), showsCursor: state.focus == .reason(p))
                }
                row += 1
            }
        }
        row += 1
        buffer.put(" y/n or Space answers · Tab next · Ctrl-S save · Esc cancel · F1 help", row: row, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    private static func drawAnswer(_ yes: Bool, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        buffer.put(yes ? "[yes]" : "[no] ", row: row, column: column, style: focused ? .reverse : .bold)
        if focused { buffer.cursor = ScreenPosition(row: row, column: column + 1) }
    }
}
