import ClinicServices

/// How the referral inbox answers commands: open it, preview a letter, import it.
///
/// A letter the dry run refused is never imported from here. A conflict (a doubtful patient
/// match) is filed only by a person's choice: a candidate by number, or a new patient (audited).
enum InboxWorkflow {
    /// The new state for an inbox command, or nil when the command is not the inbox's.
    static func update(_ state: AppState, _ command: Command) -> (AppState, [Effect])? {
        var s = state
        switch command {
        case .showInbox:
            guard s.current.kind == .patientList else { return nil }
            return (s, [.loadInbox])
        case .inboxLoaded(let listing):
            if case .inbox(var inbox) = s.current {
                inbox.reload(listing)
                s.replaceCurrent(.inbox(inbox))
            } else {
                s.stack.append(.inbox(InboxState(listing: listing)))
            }
            return (s, [])
        case .inboxPreviewed(let preview):
            s.stack.append(.inboxPreview(InboxPreviewState(preview: preview)))
            return (s, [])
        case .importLetter:
            guard case .inboxPreview(let open) = s.current else { return nil }
            let preview = open.preview
            switch preview.status {
            case .created, .matched:
                return (s, [.importLetter(path: preview.path)])
            case .skipped:
                s.message = StatusMessage(kind: .info, text: "\(preview.fileName) was already imported: nothing to do.")
            case .conflict:
                s.message = StatusMessage(kind: .error,
                                          text: "Not imported: \(preview.fileName) is a conflict: choose the patient with 1-9, or N for a new patient.")
            case .rejected, .notFiled:
                s.message = StatusMessage(kind: .error,
                                          text: "Not imported: \(preview.fileName) is a \(InboxEntry.label(preview.status)) (\(preview.detail)).")
            }
            return (s, [])
        case .fileLetterToCandidate(let n):
            guard case .inboxPreview(let open) = s.current else { return nil }
            let preview = open.preview
            guard preview.status == .conflict else {
                s.message = StatusMessage(kind: .info, text: "Only a conflict is filed by choosing a patient; press y to import this letter.")
                return (s, [])
            }
            guard preview.candidates.indices.contains(n - 1) else {
                s.message = StatusMessage(kind: .error, text: "There is no candidate \(n) for \(preview.fileName).")
                return (s, [])
            }
            return (s, [.fileLetter(path: preview.path, .patient(preview.candidates[n - 1].recordNumber))])
        case .fileLetterAsNewPatient:
            guard case .inboxPreview(let open) = s.current else { return nil }
            guard open.preview.status == .conflict else {
                s.message = StatusMessage(kind: .info, text: "Only a conflict is filed as a new patient by hand; press y to import this letter.")
                return (s, [])
            }
            return (s, [.fileLetter(path: open.preview.path, .newPatient)])
        case .letterImported(let outcome):
            if s.current.kind == .inboxPreview { s.stack.removeLast() }
            let name = outcome.file.split(separator: "/").last.map(String.init) ?? outcome.file
            let imported = outcome.status == .created || outcome.status == .matched
            s.message = StatusMessage(kind: imported ? .info : .error,
                                      text: "\(imported ? "Imported" : "Not imported:") \(name): \(outcome.detail)")
            return (s, [.loadInbox])
        default:
            return nil
        }
    }
}
