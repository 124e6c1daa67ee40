import ClinicModel
import ClinicServices
import TerminalKit

/// A patient's alerts, opened from the chart with `!`: those proposed by an import (e.g. an
/// anticoagulant from a referral's medication list) waiting for a practitioner, the active ones
/// the chart's banner shows, and the dismissed ones kept for the record.
///
/// `c` confirms (or reinstates) the alert chosen, `d` asks why it does not apply (a one-line
/// reason; Enter dismisses, Esc keeps it), `n` adds one; the service decides who may.
struct AlertsState: Sendable {
    var patientID: Int64
    var patientName: String
    /// Proposed first, then active, then dismissed (the order drawn and moved through).
    private(set) var alerts: [PatientAlert]
    var selection = 0
    /// The alert `d` asked about and the reason being typed: dismissed only on Enter with a
    /// reason of a few words; Esc keeps the alert.
    var dismissing: DismissQuestion?

    /// The question `d` opens: which alert, and why it does not apply.
    struct DismissQuestion: Sendable, Hashable {
        var alertID: Int64
        var reason = TextField(maxLength: PatientAlert.dismissReasonLimit)
    }

    init(patient: Patient) {
        patientID = patient.id ?? 0
        patientName = patient.displayName
        alerts = Self.ordered(patient.alerts)
    }

    var selected: PatientAlert? { alerts.indices.contains(selection) ? alerts[selection] : nil }

    /// Takes in the alerts as the database now holds them, keeping the one chosen.
    mutating func show(_ newAlerts: [PatientAlert], choosing id: Int64?) {
        alerts = Self.ordered(newAlerts)
        if let id, let index = alerts.firstIndex(where: { $0.id == id }) {
            selection = index
        } else {
            selection = min(selection, max(0, alerts.count - 1))
        }
    }

    static func ordered(_ alerts: [PatientAlert]) -> [PatientAlert] {
        func rank(_ status: AlertStatus) -> Int {
            switch status {
            case .proposed: 0
            case .confirmed: 1
            case .dismissed: 2
            }
        }
        return alerts.enumerated().sorted { a, b in
            (rank(a.element.status), a.offset) < (rank(b.element.status), b.offset)
        }.map(\.element)
    }
}

/// Draws the alerts list.
enum AlertsScreen {
    static func kindName(_ kind: PatientAlert.Kind) -> String {
        switch kind {
        case .precaution(let p): "precaution: " + p.displayName
        case .allergy: "allergy"
        case .other: "other"
        }
    }

    static func sectionTitle(_ status: AlertStatus) -> String {
        switch status {
        case .proposed: "Proposed, not yet confirmed: c confirms, d dismisses"
        case .confirmed: "Active: shown on the chart"
        case .dismissed: "Dismissed: kept for the record, not shown on the chart"
        }
    }

    static func draw(_ state: AlertsState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        let counts = AlertStatus.allCases.map { status in state.alerts.filter { $0.status == status }.count }
        buffer.put(" Alerts for \(state.patientName): \(counts[1]) active, \(counts[0]) proposed, \(counts[2]) dismissed",
                   row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        // What goes under the list: the chosen alert in full, a question, the keys.
        let footer = 6
        let last = body.bottom - footer
        if state.alerts.isEmpty {
            buffer.put(" No alerts recorded. n adds one (an allergy, a precaution or another alert).", row: row, column: 0,
                       style: .dim, maxWidth: width, overflow: .ellipsis)
        } else {
            var lines: [(text: String, style: Style, index: Int?)] = []
            var previous: AlertStatus?
            for (index, alert) in state.alerts.enumerated() {
                if alert.status != previous {
                    if previous != nil { lines.append(("", .plain, nil)) }
                    lines.append((" " + sectionTitle(alert.status), alert.status == .proposed ? ChartScreen.warningStyle : .bold, nil))
                    previous = alert.status
                }
                let detail = alert.text.isEmpty ? "" : ": " + Formatting.oneLine(alert.text)
                let style: Style = alert.status == .dismissed ? .dim : .plain
                let why = alert.status == .dismissed ? alert.dismissReason.map { " · dismissed: " + Formatting.oneLine($0) } ?? "" : ""
                lines.append(("   " + kindName(alert.kind) + detail + " · from " + alert.source + why, style, index))
            }
            let visible = max(1, last - row)
            let chosenLine = lines.firstIndex { $0.index == state.selection } ?? 0
            let first = Chrome.firstVisibleRow(selection: chosenLine, visible: visible, count: lines.count)
            for line in lines.dropFirst(first).prefix(visible) {
                let chosen = line.index == state.selection
                var style = line.style
                if chosen {
                    style = .reverse
                    buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: style)
                }
                buffer.put(line.text, row: row, column: 0, style: style, maxWidth: width, overflow: .ellipsis)
                row += 1
            }
        }
        row = last + 1
        if let alert = state.selected {
            if let question = state.dismissing, question.alertID == alert.id {
                let lines = [" Dismiss this \(kindName(alert.kind))? Type why it does not apply:",
                             " Enter dismisses it (kept for the record, with the reason) · Esc keeps it"]
                for (offset, line) in lines.enumerated() {
                    buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: ChartScreen.bannerStyle)
                    buffer.put(line, row: row, column: 0, style: ChartScreen.bannerStyle, maxWidth: width, overflow: .ellipsis)
                    row += 1
                    if offset == 0 {
                        buffer.put(" Reason", row: row, column: 0, style: .bold, maxWidth: width, overflow: .clip)
                        question.reason.render(into: &buffer, row: row, column: 9, width: max(1, width - 10), showsCursor: true)
                        row += 1
                    }
                }
            }
            let dismissed = alert.dismissReason.map { " (dismissed: \($0))" } ?? " (dismissed)"
            let full = ChartScreen.bannerText(alert) + (alert.status == .dismissed ? dismissed : "")
            for line in TextLayout.wrapped(full, width: max(1, width - 2)).prefix(body.bottom - 1 - row) {
                buffer.put(" " + line, row: row, column: 0, maxWidth: width, overflow: .ellipsis)
                row += 1
            }
        }
        buffer.put(" c confirm · d dismiss · n new alert · Esc back to the chart · ? help", row: body.bottom - 1, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }
}
