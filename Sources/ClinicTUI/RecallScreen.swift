import ClinicModel
import TerminalKit

/// The recall list: patients whose review date from their last follow-up plan has come.
struct RecallState: Sendable {
    var entries: [RecallEntry]
    var selection = 0

    mutating func apply(_ command: Intent, pageRows: Int) -> [Effect] {
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown:
            selection = Update.moved(selection, by: command, count: entries.count, pageRows: pageRows)
        case .open:
            guard entries.indices.contains(selection) else { return [] }
            return [.openChart(patientID: entries[selection].patient.id)]
        default:
            break
        }
        return []
    }
}

/// Draws the recall list.
enum RecallScreen {
    static func draw(_ state: RecallState, today: LocalDate, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        buffer.put(" Reviews due by \(today): \(Formatting.count(state.entries.count, "patient"))", row: body.row, column: 0,
                   style: .bold, maxWidth: width, overflow: .ellipsis)
        let nameWidth = max(4, width - 1 - 10 - 1 - 9 - 1 - 7 - 1 - 13 - 1)
        func line(_ review: String, _ overdue: String, _ record: String, _ name: String, _ sessions: String) -> String {
            " " + TextLayout.padded(review, toWidth: 10) + " " + TextLayout.padded(overdue, toWidth: 9, alignment: .right)
                + " " + TextLayout.padded(record, toWidth: 7) + " " + TextLayout.padded(name, toWidth: nameWidth)
                + " " + TextLayout.padded(sessions, toWidth: 13)
        }
        buffer.put(line("Review", "Overdue", "Record", "Name", "Sessions left"), row: body.row + 1, column: 0, style: .bold)
        if state.entries.isEmpty {
            buffer.put(" Nobody is due for review.", row: body.row + 2, column: 0, style: .dim)
            return
        }
        let top = body.row + 2
        let visible = max(0, body.bottom - top)
        let first = Chrome.firstVisibleRow(selection: state.selection, visible: visible, count: state.entries.count)
        for (offset, entry) in state.entries.dropFirst(first).prefix(visible).enumerated() {
            let overdue = entry.overdueDays == 0 ? "today" : Formatting.count(entry.overdueDays, "day")
            let sessions = entry.sessionsLeft.map(String.init) ?? "no referral"
            let text = line(entry.reviewDate.description, overdue, entry.patient.recordNumber, entry.patient.displayName, sessions)
            buffer.put(text, row: top + offset, column: 0, style: first + offset == state.selection ? .reverse : .plain)
        }
    }
}
