import Foundation
import TerminalKit

/// A yes/no answer: y or n; Space, Left or Right flips it.
enum YesNo {
    static func answer(_ key: Key, current: Bool) -> Bool {
        switch key {
        case .character("y"), .character("Y"): true
        case .character("n"), .character("N"): false
        case .character(" "), .left, .right: !current
        default: current
        }
    }

    static func draw(_ value: Bool, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        FormChoice.draw(["yes", "no"], chosen: value ? "yes" : "no", focused: focused, row: row, column: column, into: &buffer)
    }

    /// An answer not given yet (nil): y or n gives it, Space or Left/Right takes "yes" first.
    static func answer(_ key: Key, given current: Bool?) -> Bool? {
        guard let current else {
            switch key {
            case .character("y"), .character("Y"), .character(" "), .left, .right: return true
            case .character("n"), .character("N"): return false
            default: return nil
            }
        }
        return answer(key, current: current)
    }

    /// Neither choice marked while the answer is not given.
    static func draw(given value: Bool?, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        FormChoice.draw(["yes", "no"], chosen: value.map { $0 ? "yes" : "no" } ?? "", focused: focused, row: row, column: column, into: &buffer)
    }
}

/// Free text as the model wants it: trimmed, nil when blank.
enum FormText {
    static func optional(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
