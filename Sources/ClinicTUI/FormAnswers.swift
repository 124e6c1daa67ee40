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
}

/// Free text as the model wants it: trimmed, nil when blank.
enum FormText {
    static func optional(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
