import ClinicModel
import TerminalKit

/// The clinical impression / working diagnosis of the draft: free text, and optionally a code
/// with its system (SNOMED CT, ICD-10...). Opens with the impression the draft holds (empty,
/// no system, when it holds none); saved with Ctrl-S through the same use case as `knot visit
/// impression`; emptying the text of a recorded impression clears it. The model's rules decide
/// (`ClinicalImpression.validate`).
struct ImpressionFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable, CaseIterable { case text, system, code }

    /// The code systems offered: none, or one of the model's.
    static let systems: [ClinicalImpression.CodeSystem?] = [nil] + ClinicalImpression.CodeSystem.allCases.map { Optional($0) }

    var visitID: Int64
    var patientName: String
    var text = TextField(maxLength: 2000)
    var system: ClinicalImpression.CodeSystem?
    var code = TextField(maxLength: 40)
    var focus = Focus.text
    /// True when the draft already records an impression (an empty text then clears it).
    var recorded = false

    init(visitID: Int64, patientName: String, impression: ClinicalImpression?) {
        self.visitID = visitID
        self.patientName = patientName
        if let impression {
            text.setText(impression.text)
            system = impression.codeSystem
            code.setText(impression.code ?? "")
            recorded = true
        }
    }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .nextField, .moveDown: focus = FormFocus.next(after: focus)
        case .previousField, .moveUp: focus = FormFocus.previous(before: focus)
        case .edit(let key):
            switch focus {
            case .text: text.handle(key)
            case .system:
                system = FormInput.choose(Self.systems, current: system, key: key, label: Self.label) ?? system
            case .code: code.handle(key)
            }
        default:
            break
        }
        return []
    }

    /// "none", "snomed-ct" (the codes `knot visit impression --code` takes).
    static func label(_ system: ClinicalImpression.CodeSystem?) -> String { system?.rawValue ?? "none" }

    /// The impression to save (nil clears a recorded one), or why it cannot be saved.
    func impression() -> Result<ClinicalImpression?, FormProblem> {
        let words = text.text.trimmingCharacters(in: .whitespaces)
        let typedCode = FormText.optional(code.text)
        if words.isEmpty, recorded, typedCode == nil, system == nil { return .success(nil) }
        let impression = ClinicalImpression(text: words, code: typedCode, codeSystem: system)
        do { try impression.validate() } catch { return .failure(FormProblem(EffectPerformer.message(for: error))) }
        return .success(impression)
    }
}

extension ImpressionFormState: TextFieldForm {
    var focusedText: TextField? {
        get {
            switch focus {
            case .text: text
            case .code: code
            case .system: nil
            }
        }
        set {
            guard let newValue else { return }
            switch focus {
            case .text: text = newValue
            case .code: code = newValue
            case .system: break
            }
        }
    }
}

/// Draws the impression form.
enum ImpressionFormScreen {
    static let labelWidth = 12

    static func draw(_ state: ImpressionFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row + 1
        buffer.put(" Clinical impression (working diagnosis) for \(state.patientName)", row: row, column: 0, style: .bold,
                   maxWidth: width, overflow: .ellipsis)
        row += 2
        FormLabel.draw("Impression", focused: state.focus == .text, row: row, into: &buffer)
        state.text.render(into: &buffer, row: row, column: labelWidth, width: max(1, width - labelWidth - 1),
                          showsCursor: state.focus == .text)
        if state.text.isEmpty, state.focus != .text {
            buffer.put(state.recorded ? "empty: Ctrl-S clears the impression" : "required",
                       row: row, column: labelWidth, style: ChartScreen.warningStyle)
        }
        row += 1
        buffer.put("in your words, e.g. Right gluteus medius myofascial pain", row: row,
                   column: labelWidth, style: .dim, maxWidth: max(0, width - labelWidth - 1), overflow: .ellipsis)
        row += 2
        FormLabel.draw("System", focused: state.focus == .system, row: row, into: &buffer)
        FormChoice.draw(ImpressionFormState.systems.map(ImpressionFormState.label), chosen: ImpressionFormState.label(state.system),
                        focused: state.focus == .system, row: row, column: labelWidth, into: &buffer)
        row += 1
        FormLabel.draw("Code", focused: state.focus == .code, row: row, into: &buffer)
        state.code.render(into: &buffer, row: row, column: labelWidth, width: 20, showsCursor: state.focus == .code)
        let hint = state.system == nil ? "optional; needs a system, e.g. snomed-ct"
                                       : "letters, digits, '.' and '-' (up to 40)"
        buffer.put(hint, row: row, column: labelWidth + 22, style: .dim, maxWidth: max(0, width - labelWidth - 23), overflow: .ellipsis)
        row += 2
        buffer.put(" Tab next · letters or Space choose the system · Ctrl-S save · Esc cancel", row: row, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}
