import Foundation
import ClinicModel
import TerminalKit

/// The muscle picker of the finding and needling forms: type part of a name ("gastroc",
/// "QL", "tib ant"), the catalogue's fuzzy search answers as you type, Up/Down choose,
/// Tab or Enter takes the highlighted muscle.
struct MusclePicker: Sendable, Hashable, Codable {
    static let shownResults = 5

    var query = TextField(maxLength: 60)
    /// The highlighted row of the results.
    var highlight = 0
    /// The muscle taken, nil until one is (typing again clears it).
    var chosen: Muscle?

    /// The catalogue's best matches for what is typed; none until something is typed, so that
    /// Enter on an empty field never takes a muscle nobody named (the first in the catalogue).
    var results: [Muscle] {
        query.text.trimmingCharacters(in: .whitespaces).isEmpty ? [] : MuscleCatalogue.search(query.text, limit: Self.shownResults)
    }

    /// Types into the query; the choice is cleared, since the text no longer names it.
    mutating func edit(_ key: Key) {
        let before = query.text
        query.handle(key)
        if query.text != before {
            chosen = nil
            highlight = 0
        }
    }

    mutating func moveHighlight(by step: Int) {
        let count = results.count
        guard count > 0 else { return }
        highlight = min(max(0, highlight + step), count - 1)
    }

    /// Takes the highlighted muscle (nothing when nothing matches); true when one is chosen.
    @discardableResult
    mutating func take() -> Bool {
        let found = results
        if chosen == nil, found.indices.contains(highlight) {
            chosen = found[highlight]
            query.setText(found[highlight].name)
            highlight = 0
        }
        return chosen != nil
    }

    /// Draws the field at `row`, and under it the matches while it has the focus. Returns the
    /// rows used.
    func draw(row: Int, column: Int, width: Int, focused: Bool, into buffer: inout ScreenBuffer) -> Int {
        query.render(into: &buffer, row: row, column: column, width: min(40, width), showsCursor: focused)
        if let chosen, chosen.overLungFields {
            buffer.put("  over the lung fields", row: row, column: column + min(40, width), style: ChartScreen.warningStyle,
                       maxWidth: max(0, width - 40))
        }
        guard focused, chosen == nil else { return 1 }
        let found = results
        if found.isEmpty {
            let hint = query.text.trimmingCharacters(in: .whitespaces).isEmpty ? "  type part of the muscle's name" : "  no muscle matches"
            buffer.put(hint, row: row + 1, column: column, style: .dim, maxWidth: width)
            return 2
        }
        for (index, muscle) in found.enumerated() {
            let selected = index == highlight
            let mark = selected ? "> " : "  "
            let lung = muscle.overLungFields ? " (lung fields)" : ""
            buffer.put(mark + muscle.name + lung, row: row + 1 + index, column: column, style: selected ? .reverse : .plain,
                       maxWidth: width, overflow: .ellipsis)
        }
        return 1 + found.count
    }
}
