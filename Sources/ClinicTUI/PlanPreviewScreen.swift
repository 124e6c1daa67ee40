import TerminalKit

/// A signed visit's follow-up plan as the patient would read it, and which version it is.
struct PlanPreview: Sendable, Hashable {
    var visitID: Int64
    var patientName: String
    /// The stored version shown, or nil for a plan the rules built that is not stored yet.
    var version: Int?
    /// "draft" or "final".
    var status: String
    /// The plan rendered as text.
    var text: String
}

/// The plan preview, scrolled like the visit view.
struct PlanPreviewState: Sendable {
    var plan: PlanPreview
    var top = 0

    mutating func apply(_ command: Intent, size: TerminalSize) {
        let lines = PlanPreviewScreen.document(plan, width: size.columns).lines.count
        top = Document.scrolled(top, by: command, lineCount: lines, visible: Chrome.body(of: size).height)
    }
}

/// Lays out and draws a plan.
enum PlanPreviewScreen {
    static func draw(_ state: PlanPreviewState, in body: Rect, into buffer: inout ScreenBuffer) {
        document(state.plan, width: body.width).draw(from: state.top, in: body, into: &buffer)
    }

    static func document(_ plan: PlanPreview, width: Int) -> Document {
        var doc = Document(width: width)
        let source = plan.version.map { "Stored version \($0) (\(plan.status))" } ?? "Built by the rules, not stored yet"
        doc.paragraph("Plan for visit \(plan.visitID) · \(source)", style: .bold)
        doc.blank()
        // The text is already laid out for 80 columns: shown as it is, rewrapped only where the window is narrower.
        for line in plan.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                doc.blank()
            } else if displayWidth(of: line) <= width {
                doc.line(line)
            } else {
                doc.paragraph(line, indent: 0)
            }
        }
        return doc
    }
}
