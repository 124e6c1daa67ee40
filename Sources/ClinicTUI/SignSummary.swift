import ClinicModel
import TerminalKit

/// What F10 shows before signing: the visit as it will be signed, in one box, asked once
/// ("y signs, any other key cancels"), so that nobody signs a note they have not seen.
enum SignSummary {
    /// The summary's lines for the visit screen's state (the header as shown, the rest as saved).
    static func lines(_ form: NewVisitState) -> [String] {
        guard let progress = form.progress else { return [] }
        let visit = progress.visit
        var lines: [String] = []
        let complaint = Formatting.oneLine(form.complaint.text.trimmingCharacters(in: .whitespaces))
        lines.append("Complaint: " + (complaint.isEmpty ? "none" : complaint))
        lines.append("Pain now: " + (form.painScore.map { "\($0) (NPRS 0-10)" } ?? "not recorded"))
        lines.append("Impression: " + (visit.impression.map { Formatting.oneLine($0.description) } ?? "none"))
        lines.append("Needles: \(progress.needlesInserted) in, \(progress.needlesRemoved) out"
                     + (progress.needlesInserted == progress.needlesRemoved ? " (balanced)" : " (NOT balanced)"))
        let adverse = visit.needling.flatMap(\.adverseEvents)
        lines.append("Adverse events: " + (adverse.isEmpty ? "none"
            : adverse.map { "\($0.kind.rawValue) (\($0.severity.rawValue))" }.joined(separator: ", ")))
        let readiness = progress.readiness
        lines.append("Consent: " + (readiness.consentUntil.map { "until \($0)" } ?? "none covers this visit"))
        lines.append("Precaution screen: " + (readiness.screenUntil.map { until in
            "until \(until); " + (readiness.screenPresent.isEmpty ? "none present"
                : "present: " + readiness.screenPresent.map(\.displayName).joined(separator: ", "))
        } ?? "none covers this visit"))
        lines.append("Trigger points: " + listed(visit.triggerPoints.map { "\($0.muscle?.name ?? $0.muscleID) \($0.side.rawValue)" }))
        lines.append("Needling sites: " + listed(visit.needling.map { "\($0.muscle?.name ?? $0.muscleID) \($0.side.rawValue)" }))
        lines.append("Biomechanical findings: " + listed(visit.biomechanics.map { $0.measure.summary }))
        lines.append("Treatments: " + listed(visit.treatments.map(\.kind.rawValue)))
        lines.append("Outcome measures: " + listed(visit.outcomes.map(\.summary)))
        return lines
    }

    private static func listed(_ items: [String]) -> String {
        items.isEmpty ? "none" : "\(items.count): " + items.joined(separator: ", ")
    }

    /// Draws the summary in a box over the visit screen.
    static func draw(_ form: NewVisitState, into buffer: inout ScreenBuffer) {
        let lines = lines(form)
        let boxWidth = min(buffer.columns - 2, 76)
        let boxHeight = min(buffer.rows - 2, lines.count + 6)
        guard boxWidth >= 20, boxHeight >= 5 else { return }
        let box = Rect(row: max(1, (buffer.rows - boxHeight) / 2), column: (buffer.columns - boxWidth) / 2,
                       height: boxHeight, width: boxWidth)
        buffer.fill(box)
        let title = "Sign visit \(form.draft?.id.map(String.init) ?? "") for \(form.patientName)?"
        buffer.drawBox(box, title: title, titleStyle: .bold)
        let inner = box.inset(by: 1)
        for (index, line) in lines.prefix(max(0, inner.height - 3)).enumerated() {
            buffer.put(" " + line, row: inner.row + index, column: inner.column, maxWidth: inner.width - 1, overflow: .ellipsis)
        }
        buffer.put(" Signing makes the note final: later corrections are amendments.", row: inner.bottom - 2,
                   column: inner.column, style: .dim, maxWidth: inner.width - 1, overflow: .ellipsis)
        buffer.put(" y signs · any other key cancels", row: inner.bottom - 1, column: inner.column,
                   style: Style.reverse.bolded(), maxWidth: inner.width - 1, overflow: .ellipsis)
        buffer.cursor = nil
    }
}
