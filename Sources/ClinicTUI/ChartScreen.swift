import ClinicModel
import ClinicServices
import TerminalKit

/// The chart: what matters now, top to bottom: who, alerts, referral and sessions left, the
/// pain trend, and the visits.
struct ChartState: Sendable {
    var chart: PatientChart
    /// The newest visit in full, for its findings (nil for reception or without visits).
    var lastVisit: VisitRecord?
    /// The visit row chosen (newest first).
    var selection = 0

    mutating func apply(_ command: Intent, pageRows: Int) -> [Effect] {
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown:
            selection = Update.moved(selection, by: command, count: chart.visits.count, pageRows: pageRows)
        case .open:
            guard !chart.clinicalNotesHidden, chart.visits.indices.contains(selection) else { return [] }
            return [.openVisit(id: chart.visits[selection].id)]
        case .showAudit:
            guard let id = chart.patient.id else { return [] }
            return [.loadAudit(patientID: id, patientName: chart.patient.displayName)]
        case .showRecall:
            return [.loadRecall]
        default:
            break
        }
        return []
    }
}

/// Draws the chart.
enum ChartScreen {
    static let bannerStyle = Style.reverse.bolded().withForeground(.red)
    static let warningStyle = Style.bold.withForeground(.red)

    static func draw(_ state: ChartState, today: LocalDate, in body: Rect, into buffer: inout ScreenBuffer) {
        let chart = state.chart
        let patient = chart.patient
        let width = body.width
        var row = body.row

        var name = patient.displayName
        if let preferred = patient.preferredName, !preferred.isEmpty { name += " (\(preferred))" }
        let identity = "  \(patient.recordNumber) · born \(patient.dateOfBirth), \(chart.age) y · \(patient.sex.rawValue)"
        let used = buffer.put(" " + name, row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        buffer.put(identity, row: row, column: used, maxWidth: width - used, overflow: .ellipsis)
        row += 1
        let contact = [patient.phone.map { "Phone \($0)" }, patient.generalPractitioner.map { "GP \($0)" }].compactMap { $0 }
        if !contact.isEmpty {
            buffer.put(" " + contact.joined(separator: " · "), row: row, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
            row += 1
        }

        if let untrusted = chart.untrustedImport {
            // Where the record came from, before anything in it is read: it is not this clinic's own.
            let file = untrusted.file.split(separator: "/").last.map(String.init) ?? untrusted.file
            let text = " UNTRUSTED IMPORT: from \(Formatting.oneLine(file)), \(Formatting.dateTime(untrusted.importedAt))"
                + " — \(Formatting.oneLine(untrusted.reason))"
            buffer.put(text, row: row, column: 0, style: warningStyle, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        row = drawAlerts(patient.alerts, row: row, width: width, into: &buffer)
        if let screen = chart.currentScreen, !screen.present.isEmpty {
            row = drawScreenFindings(screen, row: row, width: width, into: &buffer)
        }
        row = drawReferrals(chart.referrals, today: today, row: row, width: width, into: &buffer)

        if chart.clinicalNotesHidden {
            buffer.put(" Clinical notes hidden: reception users see demographics and referrals only.",
                       row: row + 1, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
            return
        }
        if chart.visits.contains(where: { $0.painNow != nil }) {
            let scores = chart.visits.reversed().map(\.painNow)
            let shown = Array(scores.suffix(max(1, width - 40)))
            let known = shown.compactMap { $0 }
            var text = " Pain (NPRS now, oldest → newest)  " + PainTrend.sparkline(shown)
            if let first = known.first, let last = known.last { text += "  \(first) → \(last)" }
            buffer.put(text, row: row, column: 0, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        // One line per outcome scale: its scores oldest first and whether the change reaches the MCID.
        for trend in chart.outcomeTrends {
            buffer.put(" " + trend.summary, row: row, column: 0, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        if let last = state.lastVisit {
            row = drawLastVisit(last, row: row, room: body.bottom - row - 5, width: width, into: &buffer)
        }
        buffer.put(" Visits (\(chart.visits.count))", row: row, column: 0, style: .bold)
        row += 1
        if chart.visits.isEmpty {
            buffer.put(" No visits yet.", row: row, column: 0, style: .dim)
            return
        }
        let visible = max(0, body.bottom - row)
        let first = Chrome.firstVisibleRow(selection: state.selection, visible: visible, count: chart.visits.count)
        for (offset, visit) in chart.visits.dropFirst(first).prefix(visible).enumerated() {
            drawVisitRow(visit, selected: first + offset == state.selection, row: row + offset, width: width, into: &buffer)
        }
    }

    /// Every alert that is not dismissed, in reverse video: confirmed precautions first, then
    /// those proposed by an import and waiting for a practitioner, then allergies and notes.
    static func drawAlerts(_ alerts: [PatientAlert], row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        let shown = alerts.filter { $0.status != .dismissed }.sorted { rank($0) < rank($1) }
        var row = start
        if shown.isEmpty {
            buffer.put(" No alerts recorded.", row: row, column: 0, style: .dim)
            return row + 1
        }
        let limit = shown.count > 4 ? 3 : shown.count
        for alert in shown.prefix(limit) {
            row = drawBanner(bannerText(alert), row: row, width: width, into: &buffer)
        }
        if shown.count > limit {
            buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: bannerStyle)
            buffer.put(" … and \(shown.count - limit) more alerts", row: row, column: 0, style: bannerStyle)
            row += 1
        }
        return row
    }

    /// What the precaution screen in force today found, with the practitioner's reasons, in the
    /// alerts' reverse video (two lines at most): a stop first, in capitals.
    static func drawScreenFindings(_ screen: PrecautionScreen, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        drawBanner("SCREEN \(ClinicModel.LocalDate(screen.recordedAt)) (until \(screen.validUntil)): " + Formatting.oneLine(screen.findingsText),
                   row: start, width: width, into: &buffer)
    }

    /// One banner in reverse video from `start`: two lines at most, so that a long medication
    /// list or screen cannot push the rest of the chart off the screen. Returns the row after it.
    private static func drawBanner(_ text: String, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        var row = start
        let wrapped = TextLayout.wrapped(text, width: max(1, width - 2))
        var parts = [" " + (wrapped.first ?? "")]
        if wrapped.count > 1 { parts.append("   " + wrapped.dropFirst().joined(separator: " ")) }
        for part in parts {
            buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: bannerStyle)
            buffer.put(part, row: row, column: 0, style: bannerStyle, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        return row
    }

    static func bannerText(_ alert: PatientAlert) -> String {
        let detail = alert.text.isEmpty ? "" : ": " + alert.text
        switch (alert.kind, alert.status) {
        case (.precaution(let p), .proposed):
            return "PROPOSED PRECAUTION, NOT YET CONFIRMED: \(p.displayName)\(detail) (\(alert.source))"
        case (.precaution(let p), _):
            return "PRECAUTION: \(p.displayName)\(detail)"
        case (.allergy, .proposed):
            return "PROPOSED ALLERGY, NOT YET CONFIRMED\(detail) (\(alert.source))"
        case (.allergy, _):
            return "ALLERGY\(detail)"
        case (.other, .proposed):
            return "PROPOSED ALERT, NOT YET CONFIRMED\(detail) (\(alert.source))"
        case (.other, _):
            return "ALERT\(detail)"
        }
    }

    private static func rank(_ alert: PatientAlert) -> Int {
        switch (alert.kind, alert.status) {
        case (.precaution, .confirmed): 0
        case (_, .proposed): 1
        case (.allergy, _): 2
        default: 3
        }
    }

    static func drawReferrals(_ referrals: [ReferralStatus], today: LocalDate, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        var row = start
        if referrals.isEmpty {
            buffer.put(" No referral on file.", row: row, column: 0, style: .dim)
            return row + 1
        }
        let newestFirst = referrals.sorted { $0.referral.date > $1.referral.date }
        for status in newestFirst.prefix(2) {
            let r = status.referral
            // What reception and the practitioner need first: sessions left and expiry.
            var facts: [String] = []
            if let allowed = r.sessionsAllowed, let left = status.sessionsLeft {
                facts.append("\(left) of \(allowed) sessions left")
            }
            if let expires = r.expiresOn { facts.append("expires \(expires)") }
            var text = " Referral: " + (facts.isEmpty ? "" : facts.joined(separator: ", ") + " · ") + r.referrerName
            if let organisation = r.referrerOrganisation, !organisation.isEmpty { text += " (\(organisation))" }
            text += ", \(r.date)"
            var column = 0
            if status.sessionsLeft == 0 || r.expiresOn.map({ $0 < today }) == true {
                let flag = status.sessionsLeft == 0 ? " NO SESSIONS LEFT" : " EXPIRED"
                column = buffer.put(flag, row: row, column: 0, style: warningStyle, maxWidth: width)
            }
            buffer.put(text, row: row, column: column, maxWidth: width - column, overflow: .ellipsis)
            row += 1
        }
        if referrals.count > 2 {
            buffer.put(" … \(referrals.count - 2) older referrals", row: row, column: 0, style: .dim)
            row += 1
        }
        return row
    }

    /// The newest visit's complaint, trigger points and needling, in at most `room` rows.
    static func drawLastVisit(_ record: VisitRecord, row start: Int, room: Int, width: Int,
                              into buffer: inout ScreenBuffer) -> Int {
        guard room >= 1 else { return start }
        // As amended: a correction after signing shows here too, marked.
        let amended = record.asAmended
        let visit = amended.visit
        var lines = [(" Last visit \(visit.date)" + (amended.isAmended ? " (amended)" : "")
                      + (visit.complaint.map { ": " + Formatting.oneLine($0) } ?? ""), Style.bold)]
        for finding in visit.triggerPoints {
            lines.append(("   " + Formatting.oneLine(VisitScreen.triggerPoint(finding)), .plain))
        }
        if !visit.needling.isEmpty {
            let sites = visit.needling.map { "\($0.muscle?.name ?? $0.muscleID) \($0.side.abbreviation) ×\($0.needlesInserted)" }
            lines.append(("   Needled: " + sites.joined(separator: ", "), .plain))
        }
        var row = start
        var shown = lines.prefix(room)
        if lines.count > room, room >= 2 {
            shown = lines.prefix(room - 1)
            shown.append(("   … \(lines.count - room + 1) more: Enter on the visit shows all", .dim))
        }
        for (text, style) in shown {
            buffer.put(text, row: row, column: 0, style: style, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        return row
    }

    static func drawVisitRow(_ visit: VisitSummary, selected: Bool, row: Int, width: Int, into buffer: inout ScreenBuffer) {
        let base: Style = selected ? .reverse : .plain
        if selected { buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: base) }
        let date = ClinicModel.LocalDate(visit.startedAt).description
        var status = visit.status.rawValue
        if visit.amendments > 0 { status = "amended" }
        let pain = "NPRS " + (visit.painNow.map(String.init) ?? "–")
        var column = buffer.put(" \(date)  " + TextLayout.padded(status, toWidth: 8) + " " + TextLayout.padded(pain, toWidth: 7) + " ",
                                row: row, column: 0, style: base, maxWidth: width)
        let balanced = visit.needlesInserted == visit.needlesRemoved
        let needles = balanced
            ? (visit.needlesInserted == 0 ? "" : Formatting.count(visit.needlesInserted, "needle"))
            : "! \(visit.needlesInserted) in, \(visit.needlesRemoved) out"
        let needleStyle = balanced ? base : (selected ? Style.reverse.bolded().withForeground(.red) : warningStyle)
        column += buffer.put(TextLayout.padded(needles, toWidth: 16), row: row, column: column, style: needleStyle,
                             maxWidth: width - column)
        buffer.put(" " + Formatting.oneLine(visit.complaint ?? ""), row: row, column: column, style: base, maxWidth: width - column, overflow: .ellipsis)
    }
}
