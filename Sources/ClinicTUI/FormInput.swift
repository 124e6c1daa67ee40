import TerminalKit

/// Small input helpers the forms share: a choice among words moved with letters, Space and
/// Left/Right; number-only fields; a choice drawn over several rows (yes/no answers and
/// optional free text are in FormAnswers.swift).
enum FormInput {
    /// The option after `current` for `key`: a letter picks the next option starting with it
    /// (pressed again, the one after: l, l goes lunge, leg-length), Space or Right the next
    /// one, Left the one before. Nil when the key does not choose.
    static func choose<T: Equatable>(_ options: [T], current: T, key: Key, label: (T) -> String) -> T? {
        guard !options.isEmpty else { return nil }
        let index = options.firstIndex(of: current) ?? 0
        switch key {
        case .character(" "), .right:
            return options[(index + 1) % options.count]
        case .left:
            return options[(index + options.count - 1) % options.count]
        case .character(let c):
            let letter = Character(c.lowercased())
            for step in 1...options.count {
                let candidate = options[(index + step) % options.count]
                if label(candidate).lowercased().first == letter { return candidate }
            }
            return nil
        default:
            return nil
        }
    }

    /// The same for a choice not made yet (nil): a letter picks the first option starting with
    /// it, Space or Right the first option, Left the last; once chosen, as above.
    static func choose<T: Equatable>(_ options: [T], chosen: T?, key: Key, label: (T) -> String) -> T? {
        if let chosen { return choose(options, current: chosen, key: key, label: label) }
        guard let first = options.first, let last = options.last else { return nil }
        switch key {
        case .character(" "), .right: return first
        case .left: return last
        case .character(let c):
            let letter = Character(c.lowercased())
            return options.first { label($0).lowercased().first == letter }
        default: return nil
        }
    }

    /// Types `key` into a number field: digits, one decimal point when `decimal`, a leading
    /// sign when `signed`; editing keys as usual; anything else is ignored.
    static func number(_ key: Key, into field: inout TextField, decimal: Bool, signed: Bool) {
        if case .paste = key { return }
        if case .character(let c) = key {
            let isDigit = c.isASCII && c.isNumber
            let isPoint = decimal && c == "." && !field.text.contains(".")
            let isSign = signed && (c == "-" || c == "+")
            guard isDigit || isPoint || isSign else { return }
            if isSign {
                // A sign goes in front (replacing one already there), wherever the cursor is.
                let digits = field.text.drop { $0 == "-" || $0 == "+" }
                if let maxLength = field.maxLength, digits.count + 1 > maxLength { return }
                field.setText(String(c) + digits)
                return
            }
        }
        field.handle(key)
    }

    /// Draws `rows` of options as `FormChoice` does (the chosen one in brackets). Returns the rows used.
    @discardableResult
    static func drawChoice(_ rows: [[String]], chosen: String, focused: Bool, row: Int, column: Int,
                           into buffer: inout ScreenBuffer) -> Int {
        for (index, options) in rows.enumerated() {
            FormChoice.draw(options, chosen: chosen, focused: focused, row: row + index, column: column, into: &buffer)
        }
        return rows.count
    }
}
