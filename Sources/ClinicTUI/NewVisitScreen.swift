import Foundation
import ClinicModel
import TerminalKit

/// A visit being recorded (new from the chart, or a draft opened from it): complaint and pain
/// typed in seconds, saved as a draft on every change, so nothing is lost if the practitioner
/// is interrupted; then consent and screen, trigger points, needling and signing, each from a
/// key that opens its own form.
///
/// The draft is created on the first change (opening the form and leaving it writes
/// nothing); later changes update it, guarded by its revision so another session's edit is
/// never silently overwritten.
struct NewVisitState: Sendable {
    enum Field: Sendable, Hashable, CaseIterable { case complaint, pain }

    var patientID: Int64
    var patientName: String
    var complaint = TextField(maxLength: 2000)
    var pain = TextField(maxLength: 2)
    var focus = Field.complaint
    /// The saved draft, once there is one, and its revision in the store.
    var draft: Visit?
    var revision = 0
    /// Findings, needling, count and readiness, once the draft exists.
    var progress: VisitProgress?
    /// Set when another terminal changed the draft since this one read it: typing stays on
    /// screen, unsaved, until the user reloads or keeps it (see `DraftConflictWorkflow`).
    var conflict: DraftConflict?
    /// The recorded entry selected in the list under the header (an index into
    /// `recordedEntries`), nil while the focus is on the fields.
    var selection: Int?
    /// The reason being typed to strike the selected entry out, while asked for.
    var strikeReason: TextField?
    /// True while the signing summary asks "sign? y" (F10); any other key cancels.
    var confirmingSign = false

    init(patientID: Int64, patientName: String) {
        self.patientID = patientID
        self.patientName = patientName
    }

    /// A draft opened from the chart, with its header in the fields.
    init(patientName: String, progress: VisitProgress) {
        self.init(patientID: progress.visit.patientID, patientName: patientName)
        complaint.setText(progress.visit.complaint ?? "")
        pain.setText(progress.visit.pain.now.map { String($0.value) } ?? "")
        draft = progress.visit
        revision = progress.revision
        self.progress = progress
    }

    /// Takes in what the database now holds for the draft (after a finding, an entry, a screen).
    mutating func update(with progress: VisitProgress) {
        guard draft?.id == nil || draft?.id == progress.visit.id else { return }
        self.progress = progress
        draft = progress.visit
        revision = progress.revision
        if let selected = selection {
            let count = recordedEntries.count
            selection = count == 0 ? nil : min(selected, count - 1)
        }
    }

    /// The pain score typed, when it is a valid NPRS (0-10); nil when blank or invalid.
    var painScore: Int? {
        guard let value = Int(pain.text), (0...10).contains(value) else { return nil }
        return value
    }

    /// True when the pain field holds something that is not an NPRS score.
    var painIsInvalid: Bool { !pain.isEmpty && painScore == nil }

    /// True when the pain typed is a whole score: "10", or a digit that no second digit can
    /// follow ("1" may still become "10", so it waits for the field to be left).
    var painIsComplete: Bool {
        guard painScore != nil else { return false }
        return pain.text.count == 2 || pain.text != "1"
    }

    /// The pain score the draft holds (nil when none, or no draft yet).
    var savedPain: Int? { draft?.pain.now?.value }

    /// True when the pain field shows a valid score (or blank) that the draft does not hold yet.
    var painIsPending: Bool { !painIsInvalid && painScore != savedPain }

    /// The pain to save with the header: what is typed once it is complete or the field was
    /// left, else what the draft already holds (an interim "1" is never saved).
    private var painToSave: Int? {
        focus == .pain && !painIsComplete ? savedPain : painScore
    }

    /// The save of the header as it now stands (nil when there is nothing to save yet).
    private func saveRequest(pain: Int?) -> [Effect] {
        if draft == nil, complaint.text.trimmingCharacters(in: .whitespaces).isEmpty, pain == nil { return [] }
        return [.saveDraft(DraftRequest(patientID: patientID, draft: draft, revision: revision,
                                        complaint: complaint.text, painNow: pain))]
    }

    /// Saves a valid pain score typed but not saved yet (before leaving or signing).
    func commitPain() -> [Effect] {
        guard conflict == nil, painIsPending else { return [] }
        return saveRequest(pain: painScore)
    }

    mutating func apply(_ command: Intent) -> [Effect] {
        if strikeReason != nil {
            if case .edit(let key) = command { strikeReason?.handle(key) }
            return []
        }
        if selection != nil, moveInRecorded(command) { return [] }
        switch command {
        case .moveDown where focus == .pain && !recordedEntries.isEmpty:
            selection = 0
            return commitPain()
        case .nextField, .moveDown, .previousField, .moveUp:
            let left = focus
            focus = focus == .complaint ? .pain : .complaint
            return left == .pain ? commitPain() : []
        case .edit(let key):
            if focus == .pain, case .character(let c) = key, !c.isASCII || !c.isNumber { return [] }
            if focus == .pain, case .paste = key { return [] }
            let before = (complaint.text, pain.text)
            if focus == .complaint { complaint.handle(key) } else { pain.handle(key) }
            guard (complaint.text, pain.text) != before, !painIsInvalid else { return [] }
            if focus == .pain, !painIsComplete { return [] }  // saved when complete or when the field is left
            return saveRequest(pain: painToSave)
        default:
            break
        }
        return []
    }
}

/// What to save: the draft so far (nil to create it) and the header as typed.
struct DraftRequest: Sendable, Hashable {
    var patientID: Int64
    var draft: Visit?
    var revision: Int
    var complaint: String
    var painNow: Int?
}

/// Draws the new-visit form.
enum NewVisitScreen {
    static func draw(_ state: NewVisitState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row + 1
        // Once the complaint has started the draft (or a draft was reopened from the chart), it is that visit.
        let title = state.draft?.id.map { " Visit \($0) (draft) for \(state.patientName)" } ?? " New visit for \(state.patientName)"
        buffer.put(title, row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        let labelWidth = 12
        FormLabel.draw("Complaint", focused: state.focus == .complaint, row: row, into: &buffer)
        state.complaint.render(into: &buffer, row: row, column: labelWidth, width: max(1, width - labelWidth - 1),
                               showsCursor: state.focus == .complaint)
        row += 2
        FormLabel.draw("Pain now", focused: state.focus == .pain, row: row, into: &buffer)
        state.pain.render(into: &buffer, row: row, column: labelWidth, width: 3, showsCursor: state.focus == .pain)
        if state.painIsInvalid {
            buffer.put("  NPRS is 0 to 10: not saved", row: row, column: labelWidth + 3, style: ChartScreen.warningStyle)
        } else if state.painIsPending, state.draft != nil || state.painScore != nil {
            buffer.put("  NPRS 0-10 · not saved yet: Tab saves it", row: row, column: labelWidth + 3, style: .dim,
                       maxWidth: max(0, width - labelWidth - 3), overflow: .ellipsis)
        } else {
            buffer.put("  NPRS 0-10", row: row, column: labelWidth + 3, style: .dim)
        }
        row += 2
        if let conflict = state.conflict {
            row = DraftConflictBanner.draw(conflict, row: row, width: width, into: &buffer)
        } else {
            let saved = state.draft?.id.map { "Draft visit \($0) saved as you type; sign it when the visit is done." }
                ?? "Nothing saved yet: the draft starts with the first thing you type."
            buffer.put(" " + saved, row: row, column: 0, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        let last = body.bottom - 3
        if let progress = state.progress {
            drawProgress(progress, selected: state.selection, from: row, to: last, width: width, into: &buffer)
        }
        if let reason = state.strikeReason {
            buffer.put(" Strike out \(state.selectedSummary ?? "the entry")?" + (state.strikeWarning.map { " " + $0 } ?? ""),
                       row: body.bottom - 2, column: 0, style: ChartScreen.warningStyle, maxWidth: width, overflow: .ellipsis)
            buffer.put(" Why:", row: body.bottom - 1, column: 0, style: .bold)
            reason.render(into: &buffer, row: body.bottom - 1, column: 6, width: max(1, width - 7), showsCursor: true)
            return
        }
        if state.selection != nil {
            buffer.put(" Selected: \(state.selectedSummary ?? "-")", row: body.bottom - 2, column: 0, style: .bold,
                       maxWidth: width, overflow: .ellipsis)
            let keys = switch state.selectedEntry {
            case .impression?: "Enter/e replace · x/Delete clear"
            case .entry(.outcome, _)?: "x/Delete strike out, then F9 records it again"
            default: "Enter/e correct · x/Delete strike out"
            }
            buffer.put(" \(keys) · Up/Down move · Esc back to the fields", row: body.bottom - 1, column: 0,
                       style: .dim, maxWidth: width, overflow: .ellipsis)
            buffer.cursor = nil
            return
        }
        buffer.put(" F2 consent & screen · F3 trigger point · F4 needling · F5 needles out", row: body.bottom - 2, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
        buffer.put(" F6 biomechanics · F7 treatment · F8 impression · F9 outcome measure · F10 sign", row: body.bottom - 1, column: 0,
                   style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// The needle count, consent and screen, findings and needling, within rows `row...last`.
    private static func drawProgress(_ progress: VisitProgress, selected: Int?, from start: Int, to last: Int, width: Int,
                                     into buffer: inout ScreenBuffer) {
        var lines: [(String, Style, Bool)] = []
        if let warning = VisitProgress.countWarning(inserted: progress.needlesInserted, removed: progress.needlesRemoved) {
            lines.append((" " + warning, ChartScreen.bannerStyle, true))
        } else {
            lines.append((" Needles: \(progress.needlesInserted) in, \(progress.needlesRemoved) out", .plain, false))
        }
        let readiness = progress.readiness
        let consent = readiness.consentUntil.map { "consent until \($0)" } ?? "no consent covers this visit"
        let screen = readiness.screenUntil.map { "screen until \($0)" } ?? "no precaution screen"
        lines.append((" Before needling: \(consent) · \(screen)", readiness.isReady ? .plain : ChartScreen.warningStyle, false))
        lines += VisitEditorRecorded.lines(of: progress.visit, rows: last - start - lines.count, selected: selected).map { ($0.text, $0.style, false) }
        var row = start + 1
        for (text, style, fills) in lines where row <= last {
            if fills { buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: style) }
            buffer.put(text, row: row, column: 0, style: style, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
    }
}
