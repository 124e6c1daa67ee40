import ClinicServices

/// How the referral inbox answers commands: open it, preview a letter, import it.
///
/// A letter whose dry run found a conflict or refused it is never imported from here: the
/// practitioner settles it with `knot import` after looking at the patient.
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
            case .conflict, .rejected:
                s.message = StatusMessage(kind: .error,
                                          text: "Not imported: \(preview.fileName) is a \(InboxEntry.label(preview.status)) (\(preview.detail)).")
            }
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
}
