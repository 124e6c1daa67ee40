import Foundation
import ClinicModel
import ClinicServices
import ClinicStore

/// The visit workflow's database work: consent and screen, findings, needling, signing, and
/// reloading the draft after each, all through `ClinicSession` so the safety rules apply.
extension EffectPerformer {
    func performVisitWork(_ effect: Effect) throws -> Command {
        switch effect {
        case .openDraft(let id):
            _ = try session.visitRecord(id: id)  // the audited view of the note
            return .draftOpened(try progress(visitID: id))
        case .loadVisitProgress(let id):
            return .visitProgressLoaded(try progress(visitID: id))
        case .recordSafety(let request, let id):
            let message = try recordSafety(request)
            return .visitChanged(try progress(visitID: id), message: message)
        case .addTriggerPoint(let id, let finding):
            let saved = try session.addTriggerPoint(visitID: id, finding)
            return .visitChanged(try progress(visitID: id),
                                 message: "Trigger point saved: \(saved.muscle?.name ?? saved.muscleID), \(saved.side.rawValue), \(saved.activity.rawValue).")
        case .addNeedling(let id, let entry):
            let (saved, warnings) = try session.addNeedling(visitID: id, entry)
            let text = (["Needling entry saved: \(saved.muscle?.name ?? saved.muscleID), \(saved.side.rawValue), \(saved.needlesInserted) in, \(saved.needlesRemoved) out."]
                + warnings).joined(separator: " ")
            return .visitChanged(try progress(visitID: id), message: text)
        case .setNeedlesRemoved(let id, let entryID, let removed):
            try session.setNeedlesRemoved(entryID: entryID, removed: removed)
            let progress = try progress(visitID: id)
            let entry = progress.visit.needling.first { $0.id == entryID }
            let site = entry.map { "\($0.muscle?.name ?? $0.muscleID), \($0.side.rawValue): \($0.needlesInserted) in, \($0.needlesRemoved) out" } ?? "entry \(entryID)"
            return .visitChanged(progress, message: "Needles removed recorded: \(site).")
        case .signVisit(let id):
            return .visitSigned(try session.sign(visitID: id))
        default:
            return .failed("not a visit action: \(effect)")
        }
    }

    /// The draft, its revision, consent and screen readiness, and the last needle.
    func progress(visitID id: Int64) throws -> VisitProgress {
        let lastNeedle = try session.lastNeedle()
        let draft = try session.draftSnapshot(visitID: id)
        let readiness = NeedlingReadiness(visitDay: draft.visit.date, patientID: draft.visit.patientID,
                                          consents: draft.consents, screens: draft.screens, confirmed: draft.confirmedPrecautions)
        return VisitProgress(visit: draft.visit, revision: draft.revision, readiness: readiness, lastNeedle: lastNeedle)
    }

    /// Records the screen, then consent. Consent's own rules are checked first, and the screen
    /// (which the service may refuse) goes first, so a refusal leaves nothing saved.
    private func recordSafety(_ request: SafetyRequest) throws -> String {
        let at = now()
        let day = LocalDate(at)
        let patientKey = String(request.patientID)
        func consent(patientID: Int64, practitionerID: Int64, days: Int) -> Consent {
            Consent(patientID: patientID, practitionerID: practitionerID, recordedAt: at,
                    validUntil: days == 0 ? nil : day.adding(days: days))
        }
        if let days = request.consentDays {
            try consent(patientID: request.patientID, practitionerID: 0, days: days).validate()
        }
        var said: [String] = []
        if let present = request.screenPresent {
            let screen = try session.recordScreen(patientKey: patientKey, present: present,
                                                  acknowledgments: request.acknowledgments.filter { present.contains($0.key) }, at: at)
            said.append("precaution screen recorded (until \(screen.validUntil))")
        }
        if let days = request.consentDays {
            _ = try session.recordConsent(patientKey: patientKey) { consent(patientID: $0, practitionerID: $1, days: days) }
            said.append(days == 0 ? "consent recorded for this visit" : "consent recorded (standing \(days) days)")
        }
        guard let first = said.first else { return "Nothing to record." }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + said.dropFirst()).joined(separator: "; ") + "."
    }
}
