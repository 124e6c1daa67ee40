import ClinicServices

/// How the referral inbox answers commands: open it, preview a letter, import it.
///
/// A letter the dry run refused is never imported from here. A conflict (a doubtful patient
/// match) is filed only by a person's choice: a candidate by number, or a new patient (audited).
///
/// F6 shows the inbox at once, checking its letters: the dry runs are done in the background
/// (`App`, `BackgroundWork`) with a progress line, and the list is drawn when the last is done.
/// Esc leaves meanwhile and stops the check; a reload (after an import) keeps the list shown.
enum InboxWorkflow {
    /// Help and quit work as ever while the question about a different patient is shown.
    private static func passesThroughQuestion(_ command: Intent) -> Bool {
        switch command {
        case .toggleHelp, .quit: true
        default: false
        }
    }

    /// The new state for an inbox command, or nil when the command is not the inbox's.
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        if case .inboxPreview(var open) = s.current, let confirming = open.confirming, !Self.passesThroughQuestion(command) {
            // The question about a patient who may not be the letter's: y files it, any other key does not.
            open.confirming = nil
            s.replaceCurrent(.inboxPreview(open))
            if case .importLetter = command {
                return (s, [.fileLetter(path: open.preview.path, confirming.filing, confirmed: true)])
            }
            s.message = StatusMessage(kind: .info, text: "Not filed: choose the patient again, N for a new patient, or Esc.")
            return (s, [])
        }
        switch command {
        case .showInbox:
            guard s.current.kind == .patientList else { return nil }
            s.stack.append(.inbox(InboxState(checking: "")))
            return (s, [.loadInbox])
        case .back:
            guard case .inbox(let inbox) = s.current, inbox.checking != nil else { return nil }
            s.stack.removeLast()
            return (s, [.stopCheckingInbox])
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
        default:
            return nil
        }
    }

    /// The inbox's letters checked, one previewed, or one imported.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .inboxLoaded(let listing):
            // Only to the inbox still open (the user may have left it while its letters were checked).
            if let index = inboxIndex(in: s), case .inbox(var inbox) = s.stack[index] {
                inbox.reload(listing)
                inbox.checking = nil
                s.stack[index] = .inbox(inbox)
            }
            return (s, [])
        case .inboxProgress(let progress):
            if let index = inboxIndex(in: s), case .inbox(var inbox) = s.stack[index] {
                inbox.listing.folder = progress.folder
                inbox.checking = progress
                s.stack[index] = .inbox(inbox)
            }
            return (s, [])
        case .inboxCheckStopped:
            return (s, [])
        case .inboxPreviewed(let preview):
            s.stack.append(.inboxPreview(InboxPreviewState(preview: preview)))
            return (s, [])
        case .letterPatientDiffers(let path, let filing, let differences):
            guard case .inboxPreview(var open) = s.current, open.preview.path == path else { return (s, []) }
            open.confirming = (filing, differences)
            s.replaceCurrent(.inboxPreview(open))
            s.message = StatusMessage(kind: .error, text: "Not filed yet: this patient may not be the letter's: y files it all the same, any other key does not.")
            return (s, [])
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

    /// Where the inbox is in the stack (under a letter's preview, or shown).
    private static func inboxIndex(in s: AppState) -> Int? {
        s.stack.lastIndex { $0.kind == .inbox }
    }
}
