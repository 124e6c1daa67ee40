import ClinicModel
import TerminalKit

/// Moving between a form's fields, in the order its `Focus` enum lists them.
///
/// The trigger-point and needling forms both start with the muscle picker: while no muscle is
/// taken, Up/Down move the picker's highlight; Tab, Enter or Down take the highlighted muscle
/// (and suit the side to it: midline for a midline muscle) before moving on, and stay put when
/// nothing matches. Fields the form does not show just now (`shown`) are skipped.
enum FormFocus {
    /// The next shown field after `field`, or `field` itself at the end.
    static func next<Field: CaseIterable & Equatable>(after field: Field, shown: (Field) -> Bool = { _ in true }) -> Field {
        let all = Array(Field.allCases)
        guard let index = all.firstIndex(of: field) else { return field }
        return all[(index + 1)...].first(where: shown) ?? field
    }

    /// The previous shown field before `field`, or `field` itself at the start.
    static func previous<Field: CaseIterable & Equatable>(before field: Field, shown: (Field) -> Bool = { _ in true }) -> Field {
        let all = Array(Field.allCases)
        guard let index = all.firstIndex(of: field) else { return field }
        return all[..<index].last(where: shown) ?? field
    }

    /// The field `step` places along `fields` from `focus` (held at the first and last), for a
    /// form whose fields depend on what is chosen (the biomechanical kind, the outcome scale).
    static func moved<Field: Equatable>(_ focus: Field, in fields: [Field], by step: Int) -> Field {
        guard !fields.isEmpty else { return focus }
        let index = fields.firstIndex(of: focus) ?? 0
        return fields[min(max(0, index + step), fields.count - 1)]
    }

    /// Handles the moving commands (Tab, Shift-Tab, Enter, Up, Down) for a form whose field
    /// `muscleField` is a muscle picker; returns false for any other command. The side starts
    /// unchosen (nil until keyed); taking a midline muscle sets it, its one side.
    static func navigate<Field: CaseIterable & Equatable>(
        _ command: Intent, focus: inout Field, muscleField: Field, picker: inout MusclePicker, side: inout Side?,
        shown: (Field) -> Bool = { _ in true }
    ) -> Bool {
        switch command {
        case .moveUp where focus == muscleField && picker.chosen == nil:
            picker.moveHighlight(by: -1)
        case .moveDown where focus == muscleField && picker.chosen == nil:
            picker.moveHighlight(by: 1)
        case .nextField, .moveDown:
            if focus == muscleField {
                guard picker.take() else { return true }
                side = SideChoice.suited(side, to: picker.chosen)
            }
            focus = next(after: focus, shown: shown)
        case .previousField, .moveUp:
            focus = previous(before: focus, shown: shown)
        default:
            return false
        }
        return true
    }
}
