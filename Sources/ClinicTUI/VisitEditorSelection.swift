import ClinicModel
import ClinicServices
import TerminalKit

/// One thing recorded on the draft, as the visit editor's list selects it: the clinical
/// impression, or an entry (an outcome measure, trigger point, biomechanical finding, treatment
/// or needling entry) by its kind and id.
enum RecordedEntry: Sendable, Hashable {
    case impression
    case entry(VisitEntryKind, Int64)

    /// An entry's kind and id (nil for the impression).
    var entry: (kind: VisitEntryKind, id: Int64)? {
        if case .entry(let kind, let id) = self { return (kind, id) }
        return nil
    }
}

/// Correcting the draft's recorded entries from the visit editor: Down past the Pain field
/// moves into the list of what is recorded (Up/Down move in it, Esc or Tab go back to the
/// fields); Enter or `e` opens the entry's form pre-filled, and its Ctrl-S saves the correction;
/// `x` or Delete asks for the reason and Enter strikes the entry out (kept in the audit
/// trail); the needle count on the editor follows. An outcome measure has no form to correct
/// it in place: it is struck out and recorded again (F9). The impression opens its form (F8)
/// to be replaced, or, with `x`, emptied so that Ctrl-S clears it.
extension NewVisitState {
    /// What is in force, in the order the editor lists it (the impression, outcome measures,
    /// trigger points, biomechanics, treatments, needling).
    var recordedEntries: [RecordedEntry] {
        guard let visit = progress?.visit else { return [] }
        return (visit.impression == nil ? [] : [RecordedEntry.impression])
            + visit.outcomes.compactMap { $0.id.map { RecordedEntry.entry(.outcome, $0) } }
            + visit.triggerPoints.compactMap { $0.id.map { RecordedEntry.entry(.triggerPoint, $0) } }
            + visit.biomechanics.compactMap { $0.id.map { RecordedEntry.entry(.biomechanical, $0) } }
            + visit.treatments.compactMap { $0.id.map { RecordedEntry.entry(.treatment, $0) } }
            + visit.needling.compactMap { $0.id.map { RecordedEntry.entry(.needling, $0) } }
    }

    /// The entry selected, if any.
    var selectedEntry: RecordedEntry? {
        guard let selection else { return nil }
        let entries = recordedEntries
        return entries.indices.contains(selection) ? entries[selection] : nil
    }

    /// The selected entry in a line.
    var selectedSummary: String? {
        guard let selected = selectedEntry, let visit = progress?.visit else { return nil }
        guard let entry = selected.entry else { return visit.impression.map { "impression: " + Formatting.oneLine($0.description) } }
        return ClinicSession.entrySummary(of: visit, kind: entry.kind, id: entry.id)
    }

    /// For a needling entry whose needles are not all recorded out: striking it takes them
    /// out of the count, so the prompt says so (a forgotten needle is the incident the count
    /// exists to catch).
    var strikeWarning: String? {
        guard let entry = selectedEntry?.entry, entry.kind == .needling,
              let e = progress?.visit.needling.first(where: { $0.id == entry.id }), e.needlesInserted > e.needlesRemoved else { return nil }
        let left = e.needlesInserted - e.needlesRemoved
        return "\(left) needle\(left == 1 ? "" : "s") here not recorded out: strike only if never inserted."
    }

    /// Moves in the list; true when the command was the list's (typing is swallowed there).
    mutating func moveInRecorded(_ command: Intent) -> Bool {
        guard let current = selection else { return false }
        switch command {
        case .moveDown: selection = min(current + 1, max(0, recordedEntries.count - 1))
        case .moveUp, .previousField:
            if current == 0 {
                selection = nil
                focus = .pain
            } else {
                selection = current - 1
            }
        case .nextField:
            selection = nil
            focus = .complaint
        case .pageUp, .pageDown, .edit: break
        default: return false
        }
        return true
    }
}

enum VisitEditorSelection {
    /// The command for `key` while the visit editor's list has a selection or asks for a
    /// strike reason: `.some(nil)` when the key does nothing there, nil when the usual key
    /// table decides.
    static func command(for key: Key, in screen: Screen) -> Intent?? {
        guard case .newVisit(let form) = screen else { return nil }
        if form.strikeReason != nil {
            switch key {
            case .enter: return .some(.confirmStrike)
            case .escape: return .some(.back)
            case .ctrl("c"): return .some(.quit)
            case .function(1): return .some(.toggleHelp)
            default: return .some(KeyMap.isTextEditing(key) ? .edit(key) : nil)
            }
        }
        guard form.selection != nil else { return nil }
        switch key {
        case .enter, .character("e"): return .some(.editEntry)
        case .character("x"), .delete: return .some(.strikeEntry)
        case .escape: return .some(.back)
        case .character, .paste, .backspace, .left, .right, .home, .end: return .some(nil)
        default: return nil
        }
    }

    /// The workflow's part: open the pre-filled form, ask for the reason, strike, leave the list.
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        guard case .newVisit(var form) = state.current else { return nil }
        var s = state
        switch command {
        case .back where form.strikeReason != nil:
            form.strikeReason = nil
            s.message = StatusMessage(kind: .info, text: "Not struck out.")
        case .back where form.selection != nil:
            form.selection = nil
        case .editEntry:
            guard let entry = form.selectedEntry, let progress = form.progress, let id = form.draft?.id else { return (s, []) }
            if entry.entry?.kind == .outcome {
                s.message = StatusMessage(kind: .info, text: "An outcome measure is corrected by striking it out (x) and recording it again (F9).")
                return (s, [])
            }
            guard let screen = editForm(entry, visitID: id, patientName: form.patientName, progress: progress) else { return (s, []) }
            s.stack.append(screen)
            return (s, [])
        case .strikeEntry where form.selectedEntry == .impression:
            guard let progress = form.progress, let id = form.draft?.id else { return (s, []) }
            var clearing = ImpressionFormState(visitID: id, patientName: form.patientName, impression: progress.visit.impression)
            clearing.text.setText("")
            clearing.system = nil
            clearing.code.setText("")
            s.stack.append(.impressionForm(clearing))
            s.message = StatusMessage(kind: .info, text: "Ctrl-S clears the impression (audited); Esc keeps it.")
            return (s, [])
        case .strikeEntry:
            guard form.selectedEntry != nil else { return (s, []) }
            form.strikeReason = TextField(maxLength: 500)
            s.message = form.strikeWarning.map { StatusMessage(kind: .error, text: "Why strike it out? " + $0) }
                ?? StatusMessage(kind: .info, text: "Why strike it out? Type the reason, Enter strikes it, Esc keeps it.")
        case .confirmStrike:
            guard let reason = form.strikeReason?.text.trimmingCharacters(in: .whitespacesAndNewlines) else { return (s, []) }
            guard !reason.isEmpty else {
                s.message = StatusMessage(kind: .error, text: "Not struck out: a reason is needed (it stays in the audit trail).")
                return (s, [])
            }
            guard let entry = form.selectedEntry?.entry, let id = form.draft?.id else { return (s, []) }
            form.strikeReason = nil
            s.replaceCurrent(.newVisit(form))
            return (s, [.strikeEntry(visitID: id, entry.kind, entryID: entry.id, reason: reason)])
        default:
            return nil
        }
        s.replaceCurrent(.newVisit(form))
        return (s, [])
    }

    /// The entry's form, pre-filled to correct it.
    static func editForm(_ entry: RecordedEntry, visitID: Int64, patientName: String, progress: VisitProgress) -> Screen? {
        let visit = progress.visit
        guard let entry = entry.entry else {
            return .impressionForm(ImpressionFormState(visitID: visitID, patientName: patientName, impression: visit.impression))
        }
        switch entry.kind {
        case .triggerPoint:
            return visit.triggerPoints.first { $0.id == entry.id }.map {
                .triggerPointForm(TriggerPointFormState(visitID: visitID, patientName: patientName, editing: $0))
            }
        case .biomechanical:
            return visit.biomechanics.first { $0.id == entry.id }.map {
                .biomechForm(BiomechFormState(visitID: visitID, patientName: patientName, editing: $0))
            }
        case .treatment:
            return visit.treatments.first { $0.id == entry.id }.map {
                .treatmentForm(TreatmentFormState(visitID: visitID, patientName: patientName, editing: $0))
            }
        case .needling:
            return visit.needling.first { $0.id == entry.id }.map {
                .needlingForm(NeedlingFormState(visitID: visitID, patientName: patientName, progress: progress, editing: $0))
            }
        case .outcome:
            return nil  // struck and recorded again, not edited in place
        }
    }
}
