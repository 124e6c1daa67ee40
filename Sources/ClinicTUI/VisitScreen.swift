import ClinicModel
import Foundation
import ClinicServices
import TerminalKit

/// One visit, read only: what the patient said, what was found, what was done, the entries
/// struck out while it was a draft, and any amendments beside the signed note.
struct VisitViewState: Sendable {
    var record: VisitRecord
    /// The entries struck out of the draft (kept in the record's history), oldest strike first.
    var struck: [StruckEntryRecord] = []
    /// First line shown.
    var top = 0

    init(record: VisitRecord, struck: [StruckEntryRecord] = []) {
        self.record = record
        self.struck = struck
    }

    mutating func apply(_ command: Intent, size: TerminalSize) {
        let lines = VisitScreen.document(record, struck: struck, width: size.columns).lines.count
        top = Document.scrolled(top, by: command, lineCount: lines, visible: Chrome.body(of: size).height)
    }
}

/// Lays out and draws a visit.
enum VisitScreen {
    static func draw(_ state: VisitViewState, in body: Rect, into buffer: inout ScreenBuffer) {
        document(state.record, struck: state.struck, width: body.width).draw(from: state.top, in: body, into: &buffer)
    }

    /// The heading of the struck entries, as `knot visit show` has it.
    static let struckHeading = "Struck out while a draft (kept in the record's history)"

    static func document(_ record: VisitRecord, struck: [StruckEntryRecord] = [], width: Int) -> Document {
        let amended = record.asAmended
        let visit = amended.visit
        func mark(_ field: AmendableField) -> String { amended.mark(field) }
        func corrections(_ doc: inout Document, _ kind: AmendableField.Entry, _ n: Int) {
            for note in amended.notes(of: kind, n) { doc.paragraph("↳ amended: " + note, indent: 4, style: .dim) }
        }
        var doc = Document(width: width)
        var status = visit.status.rawValue
        if let signed = visit.signedAt { status += " " + Formatting.dateTime(signed) }
        doc.paragraph("Visit \(Formatting.dateTime(visit.startedAt)) · \(status) · \(record.practitioner)", style: .bold)
        doc.paragraph("\(record.patient.displayName) (\(record.patient.recordNumber))")
        if let untrusted = record.untrustedImport {
            // Not this clinic's own note: where it came from, before anything in it is read.
            let file = untrusted.file.split(separator: "/").last.map(String.init) ?? untrusted.file
            doc.banner("UNTRUSTED IMPORT: from \(Formatting.oneLine(file)), \(Formatting.dateTime(untrusted.importedAt))"
                       + " — \(Formatting.oneLine(untrusted.reason))", style: ChartScreen.bannerStyle)
        }
        if let warning = record.needleCountWarning {
            doc.banner(warning, style: ChartScreen.bannerStyle)
        }
        if !record.amendments.isEmpty {
            doc.paragraph("Corrected after signing (\(Formatting.count(record.amendments.count, "amendment"))): the note below is as amended, "
                          + "each correction marked with the signed value; the amendments follow it.", style: .dim)
        }
        if let complaint = visit.complaint, !complaint.isEmpty {
            doc.paragraph("Complaint: " + complaint + mark(.complaint))
        } else if amended.correction(.complaint) != nil {
            doc.paragraph("Complaint: –" + mark(.complaint))
        }
        let pain = [("now", visit.pain.now), ("best", visit.pain.best), ("worst", visit.pain.worst)]
            .compactMap { name, score in score.map { "\(name) \($0.value)" + mark(AmendableField(rawValue: "pain." + name)!) } }
        if !pain.isEmpty { doc.paragraph("Pain (NPRS): " + pain.joined(separator: " · ")) }
        if !visit.psfs.isEmpty {
            doc.paragraph("PSFS: " + visit.psfs.map { "\($0.activity) \($0.score.value)/10" }.joined(separator: "; "))
        }
        if let notes = visit.notes, !notes.isEmpty { doc.paragraph("Notes: " + notes + mark(.notes)) }
        if let cause = visit.likelyCauseNotes, !cause.isEmpty { doc.paragraph("Likely cause: " + cause + mark(.likelyCauseNotes)) }
        if let impression = visit.impression {
            doc.paragraph("Impression: " + impression.description + mark(.impression) + mark(.impressionCode))
        } else if amended.correction(.impression) != nil {
            doc.paragraph("Impression: –" + mark(.impression))
        }
        if !visit.outcomes.isEmpty { doc.paragraph("Outcome measures: " + visit.outcomes.map(\.summary).joined(separator: " · ")) }

        if !visit.triggerPoints.isEmpty {
            doc.heading("Trigger points")
            for (i, finding) in visit.triggerPoints.enumerated() {
                doc.paragraph(triggerPoint(finding, full: true), indent: 2)
                corrections(&doc, .triggerPoint, i + 1)
            }
        }
        if !visit.biomechanics.isEmpty {
            doc.heading("Biomechanics")
            for (i, finding) in visit.biomechanics.enumerated() {
                var text = "\(finding.measure.summary) (\(finding.side.rawValue))"
                if let notes = finding.notes, !notes.isEmpty { text += ": " + notes }
                doc.paragraph(text, indent: 2)
                corrections(&doc, .finding, visit.triggerPoints.count + i + 1)
            }
        }
        if !visit.treatments.isEmpty {
            doc.heading("Treatments")
            for (i, treatment) in visit.treatments.enumerated() {
                doc.paragraph(self.treatment(treatment), indent: 2)
                corrections(&doc, .treatment, i + 1)
            }
        }
        if !visit.needling.isEmpty {
            doc.heading("Dry needling (\(visit.needleCount.inserted) in, \(visit.needleCount.removed) out)")
            for (i, entry) in visit.needling.enumerated() {
                var line = needling(entry, full: true)
                if let late = entry.lateEntry {
                    line += " · " + (entry.performedAt.map { "done \(Formatting.dateTime($0)), " } ?? "") + record.describe(late)
                }
                doc.paragraph(line, indent: 2)
                corrections(&doc, .needle, i + 1)
            }
            let alarming = visit.needling.flatMap(\.adverseEvents)
                .filter { AdverseEventList.isAlarming(kind: $0.kind, severity: $0.severity) }
            if !alarming.isEmpty {
                doc.banner("ADVERSE EVENT: " + alarming.map { "\($0.kind.rawValue) (\($0.severity.rawValue))" }
                    .joined(separator: ", "), style: ChartScreen.bannerStyle)
            }
        }
        let lateSafety = record.consents.compactMap { c in c.lateEntry.map { ("Consent given \(Formatting.dateTime(c.recordedAt))", $0) } }
            + record.screens.compactMap { sc in sc.lateEntry.map { ("Precaution screen done \(Formatting.dateTime(sc.recordedAt))", $0) } }
        if !lateSafety.isEmpty {
            doc.heading("Late entries")
            for (what, late) in lateSafety { doc.paragraph("\(what): \(record.describe(late))", indent: 2) }
        }
        if !struck.isEmpty {
            doc.heading(struckHeading)
            for entry in struck {
                doc.paragraph("\(entry.kind.noun) \(entry.id), \(Formatting.dateTime(entry.struckAt)) by \(entry.struckBy): \(entry.reason)", indent: 2)
            }
        }
        if !record.amendments.isEmpty {
            doc.heading("Amendments (the signed note is kept unchanged)")
            for amendment in record.amendments {
                doc.paragraph(amendmentPrefix + "\(Formatting.dateTime(amendment.amendedAt)) by \(record.author(of: amendment))",
                              indent: 2, style: .bold)
                doc.paragraph("Why: " + amendment.reason, indent: 4)
                for change in amendment.changes {
                    let label = AmendableField(stored: change.field)?.label ?? change.field
                    doc.paragraph("\(label): \(shown(change.before)) → \(shown(change.after))", indent: 4)
                }
            }
        }
        if !record.plans.isEmpty {
            doc.heading("Follow-up plans")
            for plan in record.plans {
                var text = "Version \(plan.version) (\(plan.status.rawValue))"
                if let review = plan.reviewDate { text += ", review \(review)" }
                doc.paragraph(text, indent: 2)
            }
        }
        return doc
    }

    /// How each amendment's first line starts (the view scrolls to it after an amendment).
    static let amendmentPrefix = "Amended "

    /// A value in an amendment, quoted so that a blank one still shows.
    private static func shown(_ value: String) -> String {
        value.isEmpty ? "(blank)" : "“" + value + "”"
    }

    /// A trigger point in a line; `full` (the visit view) adds what the short line leaves out:
    /// a missing taut band, the algometer probe, the likely causes.
    static func triggerPoint(_ f: TriggerPointFinding, full: Bool = false) -> String {
        var parts = ["\(f.muscle?.name ?? f.muscleID), \(f.side.rawValue): \(f.activity.rawValue)"]
        if let location = f.location, !location.isEmpty { parts.append(location) }
        if f.tautBand { parts.append("taut band") } else if full { parts.append("no taut band") }
        if f.localTwitchResponse { parts.append("twitch") }
        if f.referredPainReproduced { parts.append("referred pain reproduced") }
        if let tenderness = f.tenderness { parts.append("tenderness \(tenderness.value)/10") }
        if let ppt = f.pressurePainThreshold {
            parts.append("PPT \(ppt.value)" + (full ? " (probe \(ppt.probeSizeCm2) cm²)" : ""))
        }
        if full, !f.likelyCauses.isEmpty {
            parts.append("likely causes: " + f.likelyCauses.map(\.rawValue).joined(separator: ", "))
        }
        if let notes = f.notes, !notes.isEmpty { parts.append(notes) }
        return parts.joined(separator: "; ")
    }

    static func treatment(_ t: Treatment) -> String {
        var parts = [t.kind.rawValue]
        if let id = t.muscleID { parts.append((MuscleCatalogue.muscle(id: id)?.name ?? id) + (t.side.map { ", \($0.rawValue)" } ?? "")) }
        if let hold = t.holdTime { parts.append("hold \(hold)") }
        if let cycles = t.cycles { parts.append("\(cycles) cycles") }
        if let notes = t.notes, !notes.isEmpty { parts.append(notes) }
        return parts.joined(separator: "; ")
    }

    /// A needling entry in a line; `full` (the visit view) adds the trigger point, electrical
    /// settings, time in situ, the patient's response, each adverse event's action, and sharps
    /// not disposed of.
    static func needling(_ e: NeedlingEntry, full: Bool = false) -> String {
        var parts = ["\(e.muscle?.name ?? e.muscleID), \(e.side.rawValue)"]
        if full, let point = e.triggerPoint, !point.isEmpty { parts.append(point) }
        parts += ["\(e.needle.size) \(e.needle.brand) lot \(e.needle.lot)",
                  "\(e.needlesInserted) in, \(e.needlesRemoved) out"]
        if full, case .electricalStimulation(let settings) = e.technique {
            parts.append("electrical (\(settings))")
        } else {
            parts.append(e.technique.code)
        }
        if let depth = e.depth { parts.append("depth \(depth)") }
        if full, let time = e.timeInSitu { parts.append("in situ \(time)") }
        if e.twitchResponses > 0 { parts.append("\(e.twitchResponses) twitches") }
        if full, let response = e.patientResponse, !response.isEmpty { parts.append("response: " + response) }
        if !e.adverseEvents.isEmpty {
            parts.append("adverse: " + e.adverseEvents.map { event in
                var text = "\(event.kind.rawValue) (\(event.severity.rawValue))"
                if full, let action = event.action, !action.isEmpty { text += ": " + action }
                return text
            }.joined(separator: ", "))
        }
        if full, !e.sharpsDisposed { parts.append("sharps NOT disposed of") }
        return parts.joined(separator: " · ")
    }
}
