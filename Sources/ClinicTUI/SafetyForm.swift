import ClinicModel
import TerminalKit

/// Consent and the precaution screen, asked before the first needle when they do not cover
/// the visit: consent yes or no with the days it stands, each risk explained ticked and the
/// benefits explained ticked, a guardian (or a mature-minor assessment) for a patient under 18, then every precaution
/// answered present or absent, with a reason for each one present.
///
/// Nothing is answered for the practitioner: consent starts unanswered ("?", y or n gives it),
/// the days it stands blank (0 is the day it is given only: it covers every visit that day),
/// every risk and the benefits unticked, and every precaution unanswered ("?"), those raised by an alert on the chart (confirmed, or proposed by a
/// referral) marked beside them, and the days the screen stands blank (1-365; it was 90 days
/// without a field, a period nobody saw or stated). Ctrl-S is refused, naming what is missing,
/// until every precaution and the screen's days are answered. Nothing is saved until Ctrl-S; a
/// refusal leaves the form open and nothing written.
struct SafetyFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable {
        case consentGiven, consentDays
        case risk(Consent.Risk)
        case benefits
        case guardianName, guardianRelationship, matureMinor
        case precaution(Precaution)
        case reason(Precaution)
        case screenDays
    }

    var patientID: Int64
    var patientName: String
    /// Asked only when no consent covers the visit.
    var asksConsent: Bool
    /// Asked only when no screen covers the visit.
    var asksScreen: Bool
    /// Precautions raised by an alert on the chart, and whether it is confirmed or proposed.
    var raised: [Precaution: AlertStatus]
    /// The patient's age on the visit day when under 18 (guardian fields shown), else nil.
    var minorAge: Int?
    /// Nil until the practitioner answers y or n (the screen never claims consent by itself).
    var consentGiven: Bool?
    /// How many days the consent stands: blank until typed (0 is today only: consent covers the
    /// day it is given, every visit that day), never a standing consent the practitioner did not state.
    var consentDays = TextField(maxLength: 3)
    /// The risks ticked as explained (none to start with).
    var risks: Set<Consent.Risk> = []
    /// True once the practitioner ticked that the benefits were explained; unticked to start with
    /// (nil or false), and consent is not saved without it (it was stored as explained on every
    /// consent, though nobody was asked). Optional so that a form kept before it was asked still opens.
    var benefitsExplained: Bool?
    var guardianName = TextField(maxLength: 100)
    var guardianRelationship = TextField(maxLength: 60)
    var matureMinor = TextField(maxLength: 500)
    /// Each precaution's answer: true present, false absent, missing unanswered.
    var answers: [Precaution: Bool] = [:]
    var reasons: [Precaution: TextField] = [:]
    /// How many days the precaution screen stands (1-365): blank until typed, as consent's days.
    /// The clinic has no setting for it, and a silent default would claim a period of validity
    /// the practitioner never saw (the answers can change: a new medicine, a pregnancy).
    var screenDays = TextField(maxLength: 3)
    var focus: Focus
    /// The consent and screen that already cover the visit, shown with their ids; Ctrl-X
    /// strikes one out (recorded in error), then the form asks for it again.
    var coveringConsent: Int64?
    var coveringScreen: Int64?
    var consentUntil: LocalDate?
    var screenUntil: LocalDate?
    /// Ctrl-X: the one being struck out, and the reason typed ("Why:"); nil when not asking.
    var striking: StruckSafety.Kind?
    var strikeReason: TextField?

    init(patientID: Int64, patientName: String, readiness: NeedlingReadiness) {
        self.patientID = patientID
        self.patientName = patientName
        asksConsent = readiness.consentUntil == nil
        asksScreen = readiness.screenUntil == nil
        raised = readiness.raisedPrecautions
        minorAge = readiness.minorAge
        coveringConsent = readiness.consentUntil == nil ? nil : readiness.consentID
        coveringScreen = readiness.screenUntil == nil ? nil : readiness.screenID
        consentUntil = readiness.consentUntil
        screenUntil = readiness.screenUntil
        focus = asksConsent ? .consentGiven : .precaution(Precaution.allCases[0])
    }

    /// The precautions answered present.
    var present: Set<Precaution> { Set(answers.filter(\.value).keys) }

    /// The fields in order, as Tab visits them (a reason only for a precaution answered present).
    var fields: [Focus] {
        var list: [Focus] = []
        if asksConsent {
            list.append(.consentGiven)
            if consentGiven == true {
                list.append(.consentDays)
                list += Consent.Risk.allCases.map(Focus.risk)
                list.append(.benefits)
                if minorAge != nil { list += [.guardianName, .guardianRelationship, .matureMinor] }
            }
        }
        if asksScreen {
            for p in Precaution.allCases {
                list.append(.precaution(p))
                if answers[p] == true { list.append(.reason(p)) }
            }
            list.append(.screenDays)
        }
        return list
    }

    func reason(_ p: Precaution) -> TextField { reasons[p] ?? TextField(maxLength: 500) }

    mutating func apply(_ command: Intent) -> [Effect] {
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
            if let answer = Self.answer(key, current: consentGiven ?? false) { consentGiven = answer }
        case .consentDays:
            if case .character(let c) = key, !(c.isASCII && c.isNumber) { return }
            if case .paste = key { return }
            consentDays.handle(key)
        case .screenDays:
            if case .character(let c) = key, !(c.isASCII && c.isNumber) { return }
            if case .paste = key { return }
            screenDays.handle(key)
        case .risk(let r):
            guard let tick = Self.answer(key, current: risks.contains(r)) else { return }
            if tick { risks.insert(r) } else { risks.remove(r) }
            if !Self.turnsOver(key) { moveFocus(by: 1) }
        case .benefits:
            guard let tick = Self.answer(key, current: benefitsExplained ?? false) else { return }
            benefitsExplained = tick
            if !Self.turnsOver(key) { moveFocus(by: 1) }
        case .guardianName: guardianName.handle(key)
        case .guardianRelationship: guardianRelationship.handle(key)
        case .matureMinor: matureMinor.handle(key)
        case .precaution(let p):
            // y/n answer and move on (to the reason after a yes); Space, Left or Right turns an
            // answer over where it is.
            guard let answer = Self.answer(key, current: answers[p] ?? false) else { return }
            answers[p] = answer
            if !Self.turnsOver(key) { moveFocus(by: 1) }
        case .reason(let p):
            var field = reason(p)
            field.handle(key)
            reasons[p] = field
        }
    }

    /// y or n answers a yes/no question; Space, Left or Right turns it over (as `YesNo.answer`;
    /// an unanswered precaution counts as no, so it goes ? → yes → no); nil for other keys.
    static func answer(_ key: Key, current: Bool) -> Bool? {
        switch key {
        case .character("y"), .character("Y"): true
        case .character("n"), .character("N"): false
        case .character(" "), .left, .right: YesNo.answer(key, current: current)
        default: nil
        }
    }

    /// Keys that change an answer where it is and leave the focus on it (y and n move on).
    static func turnsOver(_ key: Key) -> Bool {
        key == .character(" ") || key == .left || key == .right
    }

    /// The covering consent or screen Ctrl-X strikes out: the consent first, then (Ctrl-X again
    /// while asking why) the screen; nil when none covers the visit.
    func strikeTarget(after current: StruckSafety.Kind?) -> StruckSafety.Kind? {
        let targets: [StruckSafety.Kind] = (coveringConsent != nil ? [.consent] : []) + (coveringScreen != nil ? [.screen] : [])
        guard let current, let index = targets.firstIndex(of: current) else { return targets.first }
        return targets[(index + 1) % targets.count]
    }

    func coveringID(_ kind: StruckSafety.Kind) -> Int64? { kind == .consent ? coveringConsent : coveringScreen }

    /// What to record, or the reason the form cannot be saved yet (in words for the status line).
    func request() -> Result<SafetyRequest, FormProblem> {
        if !asksConsent, !asksScreen {
            return .failure(FormProblem("consent and the precaution screen already cover this visit: nothing to record "
                                        + "(Ctrl-X strikes one out recorded in error)"))
        }
        var consent: SafetyRequest.ConsentAnswers?
        if asksConsent, consentGiven == nil {
            return .failure(FormProblem("informed consent to dry needling: not answered: y (given) or n (not given)"))
        }
        if asksConsent, consentGiven == true {
            if consentDays.isEmpty {
                return .failure(FormProblem("consent stands for: not answered: type the days, 0 (today only) to 366"))
            }
            guard let value = Int(consentDays.text), (0...366).contains(value) else {
                return .failure(FormProblem("consent stands for 0 (today only) to 366 days"))
            }
            if risks.isEmpty {
                return .failure(FormProblem("tick each risk explained (Space or y): none is ticked"))
            }
            guard benefitsExplained == true else {
                return .failure(FormProblem("benefits explained: not ticked: tick it (Space or y) once the benefits of dry needling "
                                            + "were explained; consent is not recorded without it"))
            }
            var guardian: Consent.Guardian?
            var mature: String?
            if let age = minorAge {
                let name = guardianName.text.trimmingCharacters(in: .whitespaces)
                let relationship = guardianRelationship.text.trimmingCharacters(in: .whitespaces)
                let reason = matureMinor.text.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty || !relationship.isEmpty {
                    guard !name.isEmpty, !relationship.isEmpty else {
                        return .failure(FormProblem("the guardian needs both a name and a relationship"))
                    }
                    guardian = Consent.Guardian(name: name, relationship: relationship)
                }
                if !reason.isEmpty { mature = reason }
                if guardian == nil, mature == nil {
                    return .failure(FormProblem("the patient is \(age) (under 18): a guardian's name and relationship, or a mature-minor assessment"))
                }
            }
            consent = SafetyRequest.ConsentAnswers(days: value, risks: risks, benefitsExplained: true, guardian: guardian,
                                                   matureMinorAssessment: mature)
        }
        if asksConsent, consentGiven == false, !asksScreen {
            return .failure(FormProblem("consent not given: nothing to record, and needling cannot go ahead"))
        }
        var screen: ScreenAnswers?
        var screenValidDays: Int?
        if asksScreen {
            let unanswered = Precaution.allCases.filter { answers[$0] == nil }
            if !unanswered.isEmpty {
                return .failure(FormProblem("answer every precaution (y or n): \(unanswered.count) not answered: "
                                            + unanswered.map(\.displayName).joined(separator: ", ")))
            }
            let contradicted = Precaution.allCases.filter { answers[$0] == false && raised[$0] != nil }
            if let p = contradicted.first {
                return .failure(FormProblem(raised[p] == .proposed
                    ? "\(p.displayName): a referral proposes it; answer it present with a reason, or dismiss the alert on the chart (!) first"
                    : "\(p.displayName) is confirmed on the chart: answer it present with a reason"))
            }
            if screenDays.isEmpty {
                return .failure(FormProblem("precaution screen stands for: not answered: type the days, 1 to 365"))
            }
            guard let days = Int(screenDays.text), (1...365).contains(days) else {
                return .failure(FormProblem("precaution screen stands for 1 to 365 days (not \(screenDays.text))"))
            }
            var acknowledgments: [Precaution: String] = [:]
            for p in present { acknowledgments[p] = reason(p).text.trimmingCharacters(in: .whitespaces) }
            screen = ScreenAnswers(present: present, absent: Set(answers.filter { !$0.value }.keys), acknowledgments: acknowledgments)
            screenValidDays = days
        }
        return .success(SafetyRequest(patientID: patientID, consent: consent, screen: screen, screenDays: screenValidDays))
    }
}

/// Consent and screen to record: consent when `consent` is set (0 days = the day it is given only),
/// the screen when `screen` is set, standing `screenDays` days (as typed).
struct SafetyRequest: Sendable, Hashable {
    struct ConsentAnswers: Sendable, Hashable {
        var days: Int
        var risks: Set<Consent.Risk>
        /// The practitioner ticked that the benefits were explained (the form asks it; never assumed).
        var benefitsExplained: Bool
        var guardian: Consent.Guardian?
        var matureMinorAssessment: String?
    }
    var patientID: Int64
    var consent: ConsentAnswers?
    var screen: ScreenAnswers?
    /// The days the screen stands, as typed (set with `screen`).
    var screenDays: Int?
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
        if let id = state.coveringConsent {
            buffer.put(" Consent \(id) covers this visit" + (state.consentUntil.map { " (until \($0))" } ?? "") + " · Ctrl-X strikes it out",
                       row: row, column: 0, style: state.striking == .consent ? .reverse : .dim, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        if let id = state.coveringScreen {
            buffer.put(" Precaution screen \(id) covers this visit" + (state.screenUntil.map { " (until \($0))" } ?? "")
                       + " · Ctrl-X strikes it out",
                       row: row, column: 0, style: state.striking == .screen ? .reverse : .dim, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        if let kind = state.striking, let field = state.strikeReason, let id = state.coveringID(kind) {
            let label = " Why strike out \(kind.noun) \(id)?"
            buffer.put(label, row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
            field.render(into: &buffer, row: row, column: label.count + 1, width: max(1, width - label.count - 2), showsCursor: true)
            row += 1
        }
        if state.asksConsent {
            FormLabel.draw("Informed consent to dry needling", focused: state.focus == .consentGiven || state.focus == .consentDays,
                           row: row, into: &buffer)
            drawAnswer(state.consentGiven, focused: state.focus == .consentGiven, row: row, column: answerColumn, into: &buffer)
            if state.consentGiven == true {
                buffer.put("stands for", row: row, column: answerColumn + 6, style: .dim)
                state.consentDays.render(into: &buffer, row: row, column: answerColumn + 17, width: 4,
                                         showsCursor: state.focus == .consentDays)
                buffer.put("days", row: row, column: answerColumn + 22, style: .dim)
                if state.consentDays.isEmpty {
                    // Short enough for 80 columns; Ctrl-S names the range (0, today only, to 366).
                    buffer.put("not answered", row: row, column: answerColumn + 27,
                               style: ChartScreen.warningStyle, maxWidth: max(0, width - answerColumn - 27), overflow: .ellipsis)
                }
                row += 1
                row = drawRisks(state, row: row, width: width, into: &buffer)
                FormLabel.draw("Benefits:", focused: state.focus == .benefits, row: row, column: 2, style: .dim, into: &buffer)
                let ticked = state.benefitsExplained == true
                buffer.put(ticked ? "[x]" : "[ ]", row: row, column: 21, style: state.focus == .benefits ? .reverse : .bold)
                if state.focus == .benefits { buffer.cursor = ScreenPosition(row: row, column: 22) }
                buffer.put(ticked ? "benefits explained" : "benefits explained: not ticked (Space or y)",
                           row: row, column: 25, style: ticked ? .plain : ChartScreen.warningStyle,
                           maxWidth: max(1, width - 26), overflow: .ellipsis)
                row += 1
                if let age = state.minorAge {
                    FormLabel.draw("Age \(age): guardian", focused: state.focus == .guardianName || state.focus == .guardianRelationship,
                                   row: row, column: 2, style: ChartScreen.warningStyle, into: &buffer)
                    state.guardianName.render(into: &buffer, row: row, column: 21, width: 24,
                                              showsCursor: state.focus == .guardianName)
                    buffer.put("relationship", row: row, column: 47, style: .dim)
                    state.guardianRelationship.render(into: &buffer, row: row, column: 60, width: max(1, width - 61),
                                                      showsCursor: state.focus == .guardianRelationship)
                    row += 1
                    FormLabel.draw("or mature minor, because", focused: state.focus == .matureMinor, row: row, column: 2, style: .dim, into: &buffer)
                    state.matureMinor.render(into: &buffer, row: row, column: 29, width: max(1, width - 30),
                                             showsCursor: state.focus == .matureMinor)
                    row += 1
                }
            } else {
                if state.consentGiven == nil {
                    buffer.put("not answered: type y or n", row: row, column: answerColumn + 6, style: ChartScreen.warningStyle,
                               maxWidth: max(0, width - answerColumn - 7), overflow: .ellipsis)
                }
                row += 1
            }
        }
        if state.asksScreen {
            buffer.put(" Precaution screen: present? (? = not answered yet)", row: row, column: 0, style: .bold,
                       maxWidth: width, overflow: .ellipsis)
            row += 1
            for p in Precaution.allCases {
                var label = p.displayName
                switch state.raised[p] {
                case .confirmed?: label += " (on chart)"
                case .proposed?: label += " (referral)"
                default: break
                }
                if p.isStop { label += " (stop)" }
                let answer = state.answers[p]
                FormLabel.draw(label, focused: state.focus == .precaution(p) || state.focus == .reason(p), row: row, column: 2,
                               style: answer == true || (answer == nil && state.raised[p] != nil) ? ChartScreen.warningStyle : .plain,
                               maxWidth: answerColumn - 3, into: &buffer)
                drawAnswer(answer, focused: state.focus == .precaution(p), row: row, column: answerColumn, into: &buffer)
                if answer == true {
                    buffer.put("reason", row: row, column: answerColumn + 6, style: .dim)
                    state.reason(p).render(into: &buffer, row: row, column: answerColumn + 13,
                                           width: max(1, width - answerColumn - 14), showsCursor: state.focus == .reason(p))
                }
                row += 1
            }
            FormLabel.draw("Screen stands for", focused: state.focus == .screenDays, row: row, column: 2, into: &buffer)
            state.screenDays.render(into: &buffer, row: row, column: answerColumn, width: 4, showsCursor: state.focus == .screenDays)
            buffer.put("days", row: row, column: answerColumn + 5, style: .dim)
            if state.screenDays.isEmpty {
                // Ctrl-S names the range (1 to 365).
                buffer.put("not answered", row: row, column: answerColumn + 10,
                           style: ChartScreen.warningStyle, maxWidth: max(0, width - answerColumn - 10), overflow: .ellipsis)
            }
            row += 1
        }
        // A blank row before the keys when there is room (a minor's consent fills 80x24 to the last row).
        row = min(row + 1, max(row, body.bottom - 1))
        buffer.put(" y/n, Space or ←/→ answers · Tab next · Ctrl-S save · Esc cancel · F1 help", row: row, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// The risks explained, ticked one by one, four to a row.
    private static func drawRisks(_ state: SafetyFormState, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        var row = start
        let onRisks = Consent.Risk.allCases.contains { state.focus == .risk($0) }
        FormLabel.draw("Risks explained:", focused: onRisks, row: row, column: 2, style: .dim, into: &buffer)
        var column = 21
        for (i, risk) in Consent.Risk.allCases.enumerated() {
            if i > 0, i % 4 == 0 { row += 1; column = 21 }
            let ticked = state.risks.contains(risk)
            let focused = state.focus == .risk(risk)
            buffer.put(ticked ? "[x]" : "[ ]", row: row, column: column, style: focused ? .reverse : .bold)
            if focused { buffer.cursor = ScreenPosition(row: row, column: column + 1) }
            buffer.put(risk.rawValue, row: row, column: column + 4, maxWidth: max(1, width - column - 4), overflow: .ellipsis)
            column += 4 + risk.rawValue.count + 2
        }
        return row + 1
    }

    private static func drawAnswer(_ yes: Bool?, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        let text = switch yes {
        case true?: "[yes]"
        case false?: "[no] "
        case nil: "[ ? ]"
        }
        buffer.put(text, row: row, column: column, style: focused ? .reverse : .bold)
        if focused { buffer.cursor = ScreenPosition(row: row, column: column + 1) }
    }
}

/// Ctrl-X on the consent and precaution form: strike out the consent or screen that covers the
/// visit (recorded in error), asking why in a one-line field; Enter strikes, Esc keeps. The
/// form then asks for it again. A struck one stays in the record, marked, with the reason.
enum SafetyFormStrike {
    /// The command for `key` on the form: nil when the usual key table decides.
    static func command(for key: Key, in screen: Screen) -> Intent?? {
        guard case .safetyForm(let form) = screen else { return nil }
        if form.striking != nil {
            switch key {
            case .enter: return .some(.confirmStrike)
            case .escape: return .some(.back)
            case .ctrl("x"): return .some(.strikeEntry)
            case .ctrl("c"): return .some(.quit)
            case .function(1): return .some(.toggleHelp)
            default: return .some(KeyMap.isTextEditing(key) ? .edit(key) : nil)
            }
        }
        return key == .ctrl("x") ? .some(.strikeEntry) : nil
    }

    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        guard case .safetyForm(var form) = state.current else { return nil }
        var s = state
        switch command {
        case .strikeEntry:
            guard let target = form.strikeTarget(after: form.striking), let id = form.coveringID(target) else {
                s.message = StatusMessage(kind: .info, text: "Nothing to strike out: no consent or screen covers this visit yet.")
                return (s, [])
            }
            form.striking = target
            if form.strikeReason == nil { form.strikeReason = TextField(maxLength: 500) }
            let other = form.strikeTarget(after: target).flatMap { $0 == target ? nil : $0 }
            s.message = StatusMessage(kind: .info, text: "Why strike out \(target.noun) \(id)? Type the reason, Enter strikes it, Esc keeps it"
                                      + (other.map { " (Ctrl-X: the \($0.noun) instead)" } ?? "") + ".")
        case .back where form.striking != nil:
            form.striking = nil
            form.strikeReason = nil
            s.message = StatusMessage(kind: .info, text: "Not struck out.")
        case .edit(let key) where form.striking != nil:
            form.strikeReason?.handle(key)
        case .confirmStrike:
            guard let kind = form.striking, let id = form.coveringID(kind),
                  let reason = form.strikeReason?.text.trimmingCharacters(in: .whitespacesAndNewlines) else { return (s, []) }
            guard !reason.isEmpty else {
                s.message = StatusMessage(kind: .error, text: "Not struck out: a reason is needed (it stays in the audit trail).")
                return (s, [])
            }
            guard case .newVisit(let visit) = s.stack.dropLast().last, let visitID = visit.draft?.id else { return (s, []) }
            form.striking = nil
            form.strikeReason = nil
            s.replaceCurrent(.safetyForm(form))
            return (s, [.strikeSafety(visitID: visitID, kind, id: id, reason: reason)])
        default:
            return nil
        }
        s.replaceCurrent(.safetyForm(form))
        return (s, [])
    }
}
