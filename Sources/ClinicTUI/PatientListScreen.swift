import ClinicModel
import TerminalKit

/// The patient list: a search field that narrows the list on every keystroke.
///
/// A patient is found "by the first letters of a name in a keystroke or two", so the field
/// always has the focus: letters type, arrows move, Enter opens the chart.
struct PatientListState: Sendable {
    var search = TextField(maxLength: 100)
    var patients: [PatientSummary] = []
    var selection = 0
    /// False until the first search came back (so an empty list is not called "no match").
    var hasResults = false

    mutating func show(_ found: [PatientSummary]) {
        patients = found
        selection = 0
        hasResults = true
    }

    mutating func apply(_ command: Intent, pageRows: Int) -> [Effect] {
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown:
            selection = Update.moved(selection, by: command, count: patients.count, pageRows: pageRows)
        case .open:
            guard patients.indices.contains(selection) else { return [] }
            return [.openChart(patientID: patients[selection].id)]
        case .edit(let key):
            let before = search.text
            search.handle(key)
            if search.text != before { return [.searchPatients(search.text)] }
        case .back:
            guard !search.isEmpty else { return [] }
            search.setText("")
            return [.searchPatients("")]
        case .showRecall:
            return [.loadRecall]
        default:
            break
        }
        return []
    }
}

/// Draws the patient list.
enum PatientListScreen {
    /// How many patients one search or listing fetches: far more than a screen shows, few enough
    /// that a keystroke at 100,000 patients is answered quickly.
    static let pageLimit = 200

    static func draw(_ list: PatientListState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        let label = " Search: "
        buffer.put(label, row: body.row, column: 0, style: .bold)
        list.search.render(into: &buffer, row: body.row, column: label.count, width: max(1, width - label.count - 1))

        let columns = Columns(width: width)
        let header = body.row + 1
        buffer.put(columns.line(record: "Record", name: "Name", born: "Born", phone: "Phone", alerts: "Alerts"),
                   row: header, column: 0, style: .bold)

        let footer = body.bottom - 1
        let listTop = header + 1
        let visible = max(0, footer - listTop)
        let first = Chrome.firstVisibleRow(selection: list.selection, visible: visible, count: list.patients.count)
        for (offset, patient) in list.patients.dropFirst(first).prefix(visible).enumerated() {
            let row = listTop + offset
            let index = first + offset
            let alerts = patient.alertCount == 0 ? "" : "! " + Formatting.count(patient.alertCount, "alert")
            let line = columns.line(record: patient.recordNumber, name: patient.displayName,
                                    born: patient.dateOfBirth.description, phone: patient.phone ?? "", alerts: alerts)
            let selected = index == list.selection
            buffer.put(line, row: row, column: 0, style: selected ? .reverse : .plain)
            if patient.alertCount > 0 {
                let style = selected ? Style.reverse.bolded().withForeground(.red) : Style.bold.withForeground(.red)
                buffer.put(alerts, row: row, column: columns.alertsColumn, style: style)
            }
        }

        let summary: String
        if !list.hasResults {
            summary = ""
        } else if list.patients.isEmpty {
            summary = list.search.isEmpty ? "No patients yet." : "No patient matches \"\(list.search.text)\"."
        } else {
            let count = Formatting.count(list.patients.count, "patient")
            if list.patients.count >= Self.pageLimit {
                summary = list.search.isEmpty ? "The first \(count) by name: type a few letters to find someone"
                    : "The first \(count) matching \"\(list.search.text)\": type more to narrow"
            } else {
                summary = list.search.isEmpty ? count : "\(count) matching \"\(list.search.text)\""
            }
        }
        buffer.put(" " + summary, row: footer, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// Column widths for a screen width; the name takes what is left, the phone shows on wide
    /// screens only.
    struct Columns {
        let record = 7
        let born = 10
        let alerts = 10
        let phone: Int
        let name: Int

        init(width: Int) {
            phone = width >= 100 ? 14 : 0
            let fixed = 1 + record + 1 + 1 + born + 1 + (phone > 0 ? phone + 1 : 0) + alerts + 1
            name = max(4, width - fixed)
        }

        var alertsColumn: Int { 1 + record + 1 + name + 1 + born + 1 + (phone > 0 ? phone + 1 : 0) }

        func line(record r: String, name n: String, born b: String, phone p: String, alerts a: String) -> String {
            var text = " " + TextLayout.padded(r, toWidth: record) + " " + TextLayout.padded(n, toWidth: name)
                + " " + TextLayout.padded(b, toWidth: born) + " "
            if phone > 0 { text += TextLayout.padded(p, toWidth: phone) + " " }
            return text + TextLayout.padded(a, toWidth: alerts)
        }
    }
}
