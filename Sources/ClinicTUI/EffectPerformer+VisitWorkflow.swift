import Foundation
import ClinicModel
import ClinicServices

/// The visit workflow's database work: consent and screen, findings, needling, signing, and
/// reloading the draft after each, all through `ClinicSession` so the safety rules apply.
extension EffectPerformer {
    func performVisitWork(_ effect: Effect) throws -> EffectResult {
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
                                          consents: draft.consents, screens: draft.screens, confirmed: draft.confirmedPrecautions,
                                          alerts: draft.alerts, dateOfBirth: draft.dateOfBirth)
        return VisitProgress(visit: draft.visit, revision: draft.revision, readiness: readiness, lastNeedle: lastNeedle)
    }

    /// Records the screen, then consent. Consent's own rules are checked first, and the screen
    /// (which the service may refuse) goes first, so a refusal leaves nothing saved.
    private func recordSafety(_ request: SafetyRequest) throws -> String {
        let at = now()
        let day = LocalDate(at)
        let patientKey = String(request.patientID)
        func consent(patientID: Int64, practitionerID: Int64, answers: SafetyRequest.ConsentAnswers) -> Consent {
            Consent(patientID: patientID, practitionerID: practitionerID, recordedAt: at, risksExplained: answers.risks, benefitsExplained: answers.benefitsExplained,
                    validUntil: answers.days == 0 ? nil : day.adding(days: answers.days),
                    guardian: answers.guardian, matureMinorAssessment: answers.matureMinorAssessment)
        }
        if let answers = request.consent {
            try consent(patientID: request.patientID, practitionerID: 0, answers: answers).validate()
        }
        var said: [String] = []
        if let answers = request.screen, let days = request.screenDays {
            let screen = try session.recordScreen(patientKey: patientKey, answers: answers, validDays: days, at: at, now: at)
            said.append("precaution screen recorded (until \(screen.validUntil))")
        }
        if let answers = request.consent {
            _ = try session.recordConsent(patientKey: patientKey, now: at) { consent(patientID: $0, practitionerID: $1, answers: answers) }
            said.append(answers.days == 0 ? "consent recorded for today only" : "consent recorded (standing \(answers.days) days)")
        }
        guard let first = said.first else { return "Nothing to record." }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + said.dropFirst()).joined(separator: "; ") + "."
    }
}
