import Foundation
import ClinicModel
import ClinicServices

/// Two terminals on one draft: what happens when the store refuses a stale save.
///
/// When only findings, needling or consent changed in between (the header this terminal
/// started from is still the one saved), nobody's typing is at stake: the typing is saved on
/// top of the current draft and the other terminal's additions are taken in. When the header
/// itself changed, nothing is written and the screen is told (`draftConflict`).
extension EffectPerformer {
    func performDraftConflictWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .reloadDraft(let id):
            let progress = try progress(visitID: id)
            return .draftReloaded(progress, message: "Reloaded the saved draft (visit \(id)): the screen shows what is saved.",
                                  replacesTyping: true)
        case .overwriteDraft(let request):
            return try rebase(request, message: "Your typing saved over the other terminal's (visit \(request.draft?.id ?? 0)); "
                              + "findings, needling and consent from both are kept.")
        default:
            return .failed("not a draft action: \(effect)")
        }
    }

    /// A save refused as stale: saved on top when the header is untouched, else the conflict.
    func draftConflict(_ request: DraftRequest) throws -> EffectResult {
        try rebase(request, message: "Another terminal added to this draft (visit \(request.draft?.id ?? 0)): "
                   + "its additions are shown and your typing is saved.")
    }

    /// Saves the typed header over the draft as it now is, provided its header is still
    /// `request.draft`'s (what the user last saw); otherwise answers with the conflict.
    private func rebase(_ request: DraftRequest, message: String) throws -> EffectResult {
        guard let seen = request.draft, let id = seen.id else { return .failed("no draft to save") }
        let current = try progress(visitID: id)
        guard Self.sameHeader(seen, current.visit) else { return .draftConflict(current) }
        var visit = current.visit
        let complaint = request.complaint.trimmingCharacters(in: .whitespaces)
        visit.complaint = complaint.isEmpty ? nil : complaint
        visit.pain.now = try request.painNow.map { try NPRS($0, field: "pain.now") }
        do {
            _ = try session.saveDraft(visit, expectedRevision: current.revision)
        } catch StorageError.draftConflict {
            return .draftConflict(try progress(visitID: id))
        }
        return .draftReloaded(try progress(visitID: id), message: message, replacesTyping: false)
    }

    /// True when two versions of a draft have the same header (what `saveDraft` writes).
    static func sameHeader(_ a: Visit, _ b: Visit) -> Bool {
        a.complaint == b.complaint && a.pain == b.pain && a.psfs == b.psfs && a.notes == b.notes
            && a.likelyCauseNotes == b.likelyCauseNotes && a.referralID == b.referralID && a.impression == b.impression
    }
}
