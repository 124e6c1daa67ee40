import ClinicServices
import TerminalKit

/// What a letter says about its patient and referrer, for the preview before importing it.
struct LetterSummary: Sendable, Hashable {
    var patientName: String
    var dateOfBirth: String
    var referrer: String
    var referralDate: String
    var reason: String
}

/// One file's dry run (nothing written) and, for a referral letter, who it is about and from.
struct InboxPreview: Sendable, Hashable {
    var path: String
    var fileName: String
    var format: String
    var status: ImportOutcome.Status
    var detail: String
    var warnings: [String]
    var proposedAlerts: Int
    /// Nil for what is not a readable referral letter (a clinic export, a rejected file).
    var letter: LetterSummary?
    /// For a conflict: the patients on file it might be about, numbered 1... on the screen.
    var candidates: [ImportCandidate] = []

    /// Only a letter the dry run would file (new patient or matched) is imported with `y`.
    var canImport: Bool { status == .created || status == .matched }
}

/// The preview of one letter, scrolled like the visit view.
struct InboxPreviewState: Sendable {
    var preview: InboxPreview
    var top = 0
    /// A patient chosen for the conflict who may not be the letter's: what differs, asked
    /// about before anything is filed (y files it all the same, any other key does not).
    var confirming: (filing: ReferralFiling, differences: [String])?

    mutating func apply(_ command: Intent, size: TerminalSize) {
        let lines = InboxPreviewScreen.document(preview, width: size.columns, confirming: confirming?.differences).lines.count
        top = Document.scrolled(top, by: command, lineCount: lines, visible: Chrome.body(of: size).height)
    }
}

/// Lays out and draws a letter's preview.
enum InboxPreviewScreen {
    static func draw(_ state: InboxPreviewState, in body: Rect, into buffer: inout ScreenBuffer) {
        document(state.preview, width: body.width, confirming: state.confirming?.differences).draw(from: state.top, in: body, into: &buffer)
    }

    static func document(_ preview: InboxPreview, width: Int, confirming differences: [String]? = nil) -> Document {
        var doc = Document(width: width)
        doc.paragraph("\(preview.fileName) (\(preview.format))", style: .bold)
        doc.paragraph("Outcome: \(InboxEntry.label(preview.status))")
        doc.paragraph("Dry run: \(preview.detail)")
        if let letter = preview.letter {
            doc.heading("Letter")
            doc.paragraph("Patient: \(letter.patientName), born \(letter.dateOfBirth)", indent: 2)
            doc.paragraph("Referrer: \(letter.referrer)", indent: 2)
            doc.paragraph("Dated: \(letter.referralDate)", indent: 2)
            if !letter.reason.isEmpty { doc.paragraph("Reason: \(letter.reason)", indent: 2) }
        }
        doc.paragraph("Proposed alerts: \(preview.proposedAlerts)")
        if !preview.warnings.isEmpty {
            doc.heading("Warnings")
            for warning in preview.warnings { doc.paragraph("- " + warning, indent: 2) }
        }
        doc.blank()
        switch preview.status {
        case .created, .matched:
            doc.paragraph("Press y to import this letter, Esc to go back.", style: .bold)
        case .skipped:
            doc.paragraph("Already imported: nothing to do.", style: .dim)
        case .conflict:
            doc.banner("Conflict: a person must choose the patient. Nothing is written until you do.", style: ChartScreen.bannerStyle)
            doc.heading("Candidates")
            for (i, c) in preview.candidates.prefix(9).enumerated() {
                doc.paragraph("\(i + 1). \(c.recordNumber) \(c.name), born \(c.dateOfBirth)", indent: 2)
            }
            if let differences {
                doc.banner("This patient may not be the letter's: nothing is filed unless you confirm.", style: ChartScreen.bannerStyle)
                for difference in differences { doc.paragraph("- " + difference, indent: 2) }
                doc.paragraph("Press y to file it for them all the same, any other key to choose again.", style: .bold)
                return doc
            }
            let keys = preview.candidates.count == 1 ? "1" : "1-\(min(9, preview.candidates.count))"
            doc.paragraph(preview.candidates.isEmpty ? "Press N to file it as a new patient, Esc to go back."
                          : "Press \(keys) to file it for that patient, N for a new patient, Esc to go back.",
                          style: .bold)
        case .notFiled:
            doc.banner("Not filed: the database could not be written (disk full). Nothing was written; free space and try again.",
                       style: ChartScreen.bannerStyle)
        case .rejected:
            doc.banner("Not importable: \(InboxEntry.label(preview.status)). Nothing will be written.", style: ChartScreen.bannerStyle)
        }
        return doc
    }
}
