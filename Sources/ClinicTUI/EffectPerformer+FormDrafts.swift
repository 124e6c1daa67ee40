import Foundation
import ClinicServices

/// Keeping open forms' typing: the form's state to and from JSON, stored per slot for the
/// working practitioner through `ClinicSession` (see `FormDraftWorkflow`).
extension EffectPerformer {
    func performFormDraftWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .saveFormDraft(let draft):
            do {
                try session.saveFormDraft(draft.slot, kind: draft.kind, state: try draft.json(), at: now())
            } catch {
                throw FormDraftFailure(text: "Typing not kept as a draft (Ctrl-S still saves the form): \(Self.message(for: error))")
            }
            return .formDraftDone
        case .loadFormDraft(let slot):
            guard let stored = try session.formDraft(slot) else { return .formDraftDone }
            guard let draft = try? FormDraft(slot: slot, kind: stored.kind, json: stored.state) else {
                return .failed("A form typed here on \(Formatting.dateTime(stored.savedAt)) could not be read back "
                               + "(kept by another version of Knot); it will be replaced when you type.")
            }
            return .formDraftLoaded(draft, savedAt: stored.savedAt)
        case .discardFormDraft(let slot):
            try session.discardFormDraft(slot)
            return .formDraftDone
        default:
            return .failed("not a form draft action: \(effect)")
        }
    }
}

/// Why the typing could not be kept, in words for the status line.
private struct FormDraftFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
