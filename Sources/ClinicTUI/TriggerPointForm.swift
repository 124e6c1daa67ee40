import ClinicModel
import TerminalKit

/// A trigger point found on examination, one line's worth: muscle (picked by typing part of
/// its name), side, active or latent. Saved with Ctrl-S; Esc leaves without saving.
struct TriggerPointFormState: Sendable, Hashable {
    enum Focus: Sendable, Hashable, CaseIterable { case muscle, side, activity }

    var visitID: Int64
    var patientName: String
    var picker = MusclePicker()
    var side = Side.left
    var activity = TriggerPointFinding.Activity.active
    var focus = Focus.muscle

    mutating func apply(_ command: Command) -> [Effect] {
        switch command {
        case .moveUp where focus == .muscle && picker.chosen == nil: picker.moveHighlight(by: -1)
        case .moveDown where focus == .muscle && picker.chosen == nil: picker.moveHighlight(by: 1)
        case .nextField, .moveDown:
            if focus == .muscle, !picker.take() { return [] }
            if focus == .muscle { side = SideChoice.suited(side, to: picker.chosen) }
            focus = Focus.allCases[min(Focus.allCases.count - 1, Focus.allCases.firstIndex(of: focus)! + 1)]
        case .previousField, .moveUp:
            focus = Focus.allCases[max(0, Focus.allCases.firstIndex(of: focus)! - 1)]
        case .edit(let key):
            switch focus {
            case .muscle: picker.edit(key)
            case .side: side = SideChoice.side(for: key, current: side) ?? side
            case .activity:
                switch key {
                case .character("a"), .character("A"): activity = .active
                case .character("l"), .character("L"): activity = .latent
                case .character(" "): activity = activity == .active ? .latent : .active
                default: break
                }
            }
        default:
            break
        }
        return []
    }

    /// The finding to save, or why it cannot be saved yet.
    func finding() -> Result<TriggerPointFinding, FormProblem> {
        var picker = picker
        guard picker.take(), let muscle = picker.chosen else {
            return .failure(FormProblem("pick a muscle: type part of its name, then Tab"))
        }
        let finding = TriggerPointFinding(muscleID: muscle.id, side: side, activity: activity)
        do { try finding.validate() } catch { return .failure(FormProblem(EffectPerformer.message(for: error))) }
        return .success(finding)
    }
}

/// Choosing a side with one letter: l(eft), r(ight), m(idline), b(ilateral); Space goes round.
enum SideChoice {
    static func side(for key: Key, current: Side) -> Side? {
        switch key {
        case .character(let c):
            if c == " " {
                let all = Side.allCases
                return all[(all.firstIndex(of: current)! + 1) % all.count]
            }
            return try? Side(parsing: String(c))
        default:
            return nil
        }
    }

    /// Midline for a midline muscle; left instead of midline for a paired one.
    static func suited(_ side: Side, to muscle: Muscle?) -> Side {
        guard let muscle else { return side }
        if !muscle.paired { return .midline }
        return side == .midline ? .left : side
    }
}

/// Draws the trigger-point form.
enum TriggerPointFormScreen {
    static func draw(_ state: TriggerPointFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row + 1
        buffer.put(" Trigger point for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        let labelWidth = 12
        let sideRow = row + max(2, state.picker.draw(row: row, column: labelWidth, width: width - labelWidth - 1,
                                                      focused: state.focus == .muscle, into: &buffer) + 1)
        buffer.put(" Muscle", row: row, column: 0, style: .bold)
        row = sideRow
        buffer.put(" Side", row: row, column: 0, style: .bold)
        FormChoice.draw(Side.allCases.map(\.rawValue), chosen: state.side.rawValue, focused: state.focus == .side,
                        row: row, column: labelWidth, into: &buffer)
        row += 2
        buffer.put(" Activity", row: row, column: 0, style: .bold)
        FormChoice.draw(["active", "latent"], chosen: state.activity.rawValue, focused: state.focus == .activity,
                        row: row, column: labelWidth, into: &buffer)
        row += 2
        buffer.put(" Tab next · Up/Down choose · letters pick (l, r, m, b; a, l) · Ctrl-S save · Esc cancel",
                   row: row, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}

/// One choice among a few words, the chosen one shown in brackets.
enum FormChoice {
    static func draw(_ options: [String], chosen: String, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        var x = column
        for option in options {
            let isChosen = option == chosen
            let text = isChosen ? "[\(option)]" : " \(option) "
            let style: Style = isChosen ? (focused ? .reverse : .bold) : .dim
            x += buffer.put(text, row: row, column: x, style: style) + 1
        }
        if focused { buffer.cursor = nil }
    }
}
