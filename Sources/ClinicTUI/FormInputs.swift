import Foundation
import TerminalKit

/// A choice among words by letters: a letter picks the next option starting with it (so `s`
/// goes soreness-after, then suspected-pneumothorax); Space goes round all of them.
enum LetterChoice {
    static func pick<Option: Equatable>(_ key: Key, among options: [Option], current: Option, name: (Option) -> String) -> Option {
        guard case .character(let typed) = key, let start = options.firstIndex(of: current) else { return current }
        let count = options.count
        if typed == " " { return options[(start + 1) % count] }
        let letter = typed.lowercased()
        for step in 1...count {
            let option = options[(start + step) % count]
            if name(option).lowercased().hasPrefix(letter) { return option }
        }
        return current
    }
}

/// A yes/no answer: y or n, Space flips it.
enum YesNo {
    static func answer(_ key: Key, current: Bool) -> Bool {
        switch key {
        case .character("y"), .character("Y"): true
        case .character("n"), .character("N"): false
        case .character(" "): !current
        default: current
        }
    }

    static func draw(_ value: Bool, focused: Bool, row: Int, column: Int, into buffer: inout ScreenBuffer) {
        FormChoice.draw(["yes", "no"], chosen: value ? "yes" : "no", focused: focused, row: row, column: column, into: &buffer)
    }
}

/// Digits (and one decimal point for `decimal`) only; editing keys as usual.
enum NumberEntry {
    static func edit(_ key: Key, into field: inout TextField, decimal: Bool) {
        if case .paste = key { return }
        if case .character(let c) = key {
            let allowed = (c.isASCII && c.isNumber) || (decimal && c == "." && !field.text.contains("."))
            guard allowed else { return }
        }
        field.handle(key)
    }
}

/// Free text as the model wants it: trimmed, nil when blank.
enum FormText {
    static func optional(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
