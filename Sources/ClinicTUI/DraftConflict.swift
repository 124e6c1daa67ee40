import ClinicModel
import TerminalKit

/// Two terminals on one draft: what this one knows after its save was refused because another
/// terminal had changed the draft's header (complaint, pain) since it read it.
///
/// Nothing is overwritten silently in either direction: this terminal's typing stays on
/// screen, unsaved, until the practitioner chooses: Ctrl-L (F6) reloads the saved draft and
/// drops the typing, Ctrl-S (F7) saves the typing over the other terminal's header (findings,
/// needling and consent are separate records and are never touched by either).
struct DraftConflict: Sendable {
    /// The draft as the database held it when the conflict was found.
    var saved: VisitProgress
    /// True once Esc warned that leaving drops the unsaved typing (a second Esc leaves).
    var warnedOnLeave = false

    var visitID: Int64 { saved.visit.id ?? 0 }

    /// The status line's words.
    var message: String {
        "Not saved: another terminal changed this draft (visit \(visitID)) after you opened it. Your typing stays on screen, "
            + "unsaved: Ctrl-L reloads the saved draft, Ctrl-S saves yours over it."
    }
}

/// The conflict's lines on the visit screen, where "saved as you type" usually is.
enum DraftConflictBanner {
    static func draw(_ conflict: DraftConflict, row start: Int, width: Int, into buffer: inout ScreenBuffer) -> Int {
        let visit = conflict.saved.visit
        var saved = "Saved there: " + (visit.complaint.map { "“" + Formatting.oneLine($0) + "”" } ?? "no complaint")
        saved += " · pain now " + (visit.pain.now.map { String($0.value) } ?? "–")
        let lines = [
            (" ANOTHER TERMINAL CHANGED THIS DRAFT (visit \(conflict.visitID)): your typing above is NOT saved.",
             ChartScreen.bannerStyle, true),
            (" " + saved, Style.bold, false),
            (" Ctrl-L reload the saved draft (drops your typing) · Ctrl-S save yours over it",
             ChartScreen.warningStyle, false),
        ]
        var row = start
        for (text, style, fills) in lines {
            if fills { buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: style) }
            buffer.put(text, row: row, column: 0, style: style, maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        return row
    }
}

/// The conflict's part of `update`: keeps typing on screen (unsaved) while the draft is in
/// conflict, reloads or keeps on request, and refuses to sign a header the screen does not show.
enum DraftConflictWorkflow {
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        switch command {
        case .reloadDraft:
            guard case .newVisit(let form) = s.current else { return (s, []) }
            guard let id = form.draft?.id else {
                s.message = StatusMessage(kind: .info, text: "Nothing saved yet to reload: the draft starts with the first thing you type.")
                return (s, [])
            }
            return (s, [.reloadDraft(visitID: id)])
        case .keepMyDraft:
            guard case .newVisit(let form) = s.current else { return (s, []) }
            guard let conflict = form.conflict else {
                s.message = StatusMessage(kind: .info, text: "Nothing to keep: the visit is saved as you type.")
                return (s, [])
            }
            if form.painIsInvalid {
                s.message = StatusMessage(kind: .error, text: "Not saved: pain now is an NPRS score, 0 to 10.")
                return (s, [])
            }
            let request = DraftRequest(patientID: form.patientID, draft: conflict.saved.visit, revision: conflict.saved.revision,
                                       complaint: form.complaint.text, painNow: form.painScore)
            return (s, [.overwriteDraft(request)])
        case .edit, .signVisit, .back:
            guard case .newVisit(var form) = s.current, var conflict = form.conflict else { return nil }
            switch command {
            case .edit:
                _ = form.apply(command)  // typing stays on screen; nothing is saved until the user chooses
                conflict.warnedOnLeave = false
                s.message = StatusMessage(kind: .error, text: conflict.message)
            case .signVisit:
                s.message = StatusMessage(kind: .error, text: "Not signed: another terminal changed this draft. "
                                          + "Ctrl-L reloads the saved draft, Ctrl-S saves your typing; then sign.")
            default:
                if conflict.warnedOnLeave { return nil }
                conflict.warnedOnLeave = true
                s.message = StatusMessage(kind: .error, text: "Your typing is not saved (another terminal changed this draft): "
                                          + "Ctrl-S saves it, Ctrl-L reloads; Esc again leaves without it.")
            }
            form.conflict = conflict
            s.replaceCurrent(.newVisit(form))
            return (s, [])
        default:
            return nil
        }
    }

    /// What the database said about a draft in conflict: the conflict found, or the draft reloaded.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .draftConflict(let saved):
            guard let index = formIndex(in: s, visitID: saved.visit.id) , case .newVisit(var form) = s.stack[index] else {
                return (s, [])
            }
            let conflict = DraftConflict(saved: saved)
            form.conflict = conflict
            form.confirmingSign = false
            s.stack[index] = .newVisit(form)
            s.message = StatusMessage(kind: .error, text: conflict.message)
            return (s, [])
        case .draftReloaded(let progress, let message, let replacesTyping):
            guard let index = formIndex(in: s, visitID: progress.visit.id), case .newVisit(var form) = s.stack[index] else {
                return (s, [])
            }
            if replacesTyping {
                form.complaint.setText(progress.visit.complaint ?? "")
                form.pain.setText(progress.visit.pain.now.map { String($0.value) } ?? "")
            }
            form.conflict = nil
            form.update(with: progress)
            s.stack[index] = .newVisit(form)
            s.message = StatusMessage(kind: .info, text: message)
            return (s, [])
        default:
            return nil
        }
    }

    /// The visit screen recording `visitID` (the newest one open).
    private static func formIndex(in s: AppState, visitID: Int64?) -> Int? {
        s.stack.lastIndex { screen in
            if case .newVisit(let form) = screen { form.draft?.id == visitID } else { false }
        }
    }
}
