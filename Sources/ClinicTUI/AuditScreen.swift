import ClinicModel
import TerminalKit

/// Who viewed, created, changed, imported or exported this patient's record, newest first.
struct AuditState: Sendable {
    var patientName: String
    var records: [AuditRecord]
    var top = 0

    mutating func apply(_ command: Intent, size: TerminalSize) {
        top = Document.scrolled(top, by: command, lineCount: records.count + 1, visible: Chrome.body(of: size).height)
    }
}

/// Draws the audit log.
enum AuditScreen {
    static func draw(_ state: AuditState, in body: Rect, into buffer: inout ScreenBuffer) {
        var doc = Document(width: body.width)
        doc.paragraph("Audit trail for \(state.patientName): \(Formatting.count(state.records.count, "event"))", style: .bold)
        for record in state.records {
            let event = record.event
            var text = " \(Formatting.dateTime(event.at))  " + TextLayout.padded(event.actor, toWidth: 10) + " "
                + TextLayout.padded(event.action.rawValue, toWidth: 7) + " " + event.entity
            if let id = event.entityID { text += " \(id)" }
            if let detail = event.detail, !detail.isEmpty { text += " · " + detail }
            doc.line(text)
        }
        doc.draw(from: state.top, in: body, into: &buffer)
    }
}
