import ClinicModel
import TerminalKit

/// The visit workflow's part of `update`: opening a draft from the chart, the consent,
/// finding and needling forms over the visit screen, saving them, and signing.
///
/// Pure like the rest of `Update`; the database work is asked for as effects and comes back
/// as `draftOpened`, `visitChanged` or `visitSigned` (or `failed`, which leaves the form open
/// with the service's words in the status line and nothing saved).
enum VisitWorkflow {
    /// The new state and effects for `command`, or nil when the workflow leaves it to `Update`.
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        var s = state
        switch command {
        case .open:
            guard case .chart(let chart) = s.current, s.context.canRecordVisits, !chart.chart.clinicalNotesHidden,
                  chart.chart.visits.indices.contains(chart.selection) else { return nil }
            let summary = chart.chart.visits[chart.selection]
            guard summary.status == .draft else { return nil }
            return (s, [.openDraft(visitID: summary.id)])
        case .recordSafety, .addTriggerPoint, .addNeedling, .recordNeedlesOut, .signVisit,
             .addBiomechanicalFinding, .addTreatment, .setImpression, .addOutcome:
            guard case .newVisit(let form) = s.current else { return nil }
            guard let progress = form.progress, let id = form.draft?.id else {
                s.message = StatusMessage(kind: .error, text: "Type the complaint first: the visit starts with it.")
                return (s, [])
            }
            if open(command, from: form, visitID: id, progress: progress, in: &s) { return (s, []) }
            return askToSign(form, in: &s)
        case .edit(let key):
            // The signing summary's answer: y signs, any other key cancels.
            guard case .newVisit(var form) = s.current, form.confirmingSign, let id = form.draft?.id else { return nil }
            form.confirmingSign = false
            s.replaceCurrent(.newVisit(form))
            guard key == .character("y") || key == .character("Y") else {
                s.message = StatusMessage(kind: .info, text: "Not signed: the visit stays a draft.")
                return (s, [])
            }
            return (s, form.commitPain() + [.signVisit(visitID: id)])
        case .save:
            return save(s)
        case .back where s.current.isVisitForm:
            s.stack.removeLast()
            s.message = StatusMessage(kind: .info, text: "Cancelled: nothing saved.")
            return (s, [])
        default:
            return nil
        }
    }

    /// A draft opened, saved to, struck from or signed: the visit screen and its forms follow.
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .draftOpened(let progress):
            guard case .chart(let chart) = s.current else { return (s, []) }
            s.stack.append(.newVisit(NewVisitState(patientName: chart.chart.patient.displayName, progress: progress)))
            return (s, [])
        case .visitProgressLoaded(let progress):
            apply(progress, to: &s)
            return (s, [])
        case .visitChanged(let progress, let message):
            if s.current.isVisitForm { s.stack.removeLast() }
            apply(progress, to: &s)
            s.message = StatusMessage(kind: .info, text: message)
            return (s, [])
        case .safetyStruck(let progress, let message):
            if s.current.isVisitForm { s.stack.removeLast() }
            apply(progress, to: &s)
            if case .newVisit(let form) = s.current {
                s.stack.append(.safetyForm(SafetyFormState(patientID: form.patientID, patientName: form.patientName,
                                                           readiness: progress.readiness)))
            }
            s.message = StatusMessage(kind: .info, text: message)
            return (s, [])
        case .visitSigned(let visit):
            if s.current.kind == .newVisit { s.stack.removeLast() }
            s.message = StatusMessage(kind: .info, text: "Visit \(visit.id ?? 0) signed.")
            return (s, [.openChart(patientID: visit.patientID)])
        default:
            return nil
        }
    }

    /// F10: the summary of what will be signed, asked once; refused while the pain field
    /// shows something that is not a score (the shown and the saved value must agree). A
    /// valid score typed but not saved yet is saved now, so the summary shows what is signed.
    private static func askToSign(_ form: NewVisitState, in s: inout AppState) -> (AppState, [Effect]) {
        var form = form
        if form.painIsInvalid {
            s.message = StatusMessage(kind: .error, text: "Not signed: pain now “\(form.pain.text)” is not an NPRS score (0-10). "
                                      + "Correct it, then F10.")
            return (s, [])
        }
        // A count that does not balance cannot be signed (the service refuses it): say so now
        // rather than offer "y signs" over a summary that reads NOT balanced.
        if let progress = form.progress, progress.needlesInserted != progress.needlesRemoved {
            s.message = StatusMessage(kind: .error, text: "Not signed: the needle count does not balance: \(progress.needlesInserted) inserted, "
                                      + "\(progress.needlesRemoved) removed. Record the needles removed (F5), then F10.")
            return (s, form.commitPain())
        }
        form.confirmingSign = true
        s.replaceCurrent(.newVisit(form))
        return (s, form.commitPain())
    }

    /// Opens the form a key asked for over the visit screen; false for signing, which has no
    /// form (the service decides).
    private static func open(_ command: Intent, from form: NewVisitState, visitID: Int64, progress: VisitProgress,
                             in s: inout AppState) -> Bool {
        switch command {
        case .recordSafety:
            let readiness = progress.readiness
            s.stack.append(.safetyForm(SafetyFormState(patientID: form.patientID, patientName: form.patientName,
                                                       readiness: readiness)))
            if let consent = readiness.consentUntil, let screen = readiness.screenUntil {
                s.message = StatusMessage(kind: .info,
                                          text: "Consent (until \(consent)) and the precaution screen (until \(screen)) already cover this visit; "
                                              + "Ctrl-X strikes one out recorded in error (asks why).")
            }
        case .addTriggerPoint:
            s.stack.append(.triggerPointForm(TriggerPointFormState(visitID: visitID, patientName: form.patientName)))
        case .addNeedling:
            s.stack.append(.needlingForm(NeedlingFormState(visitID: visitID, patientName: form.patientName, progress: progress)))
            if !progress.readiness.isReady {
                s.message = StatusMessage(kind: .error, text: "No consent or precaution screen covers this visit yet: F2 first.")
            }
        case .addBiomechanicalFinding:
            s.stack.append(.biomechForm(BiomechFormState(visitID: visitID, patientName: form.patientName)))
        case .addTreatment:
            s.stack.append(.treatmentForm(TreatmentFormState(visitID: visitID, patientName: form.patientName)))
        case .setImpression:
            s.stack.append(.impressionForm(ImpressionFormState(visitID: visitID, patientName: form.patientName,
                                                               impression: progress.visit.impression)))
        case .addOutcome:
            s.stack.append(.outcomeForm(OutcomeFormState(visitID: visitID, patientName: form.patientName)))
        case .recordNeedlesOut:
            if let out = NeedlesOutFormState(visitID: visitID, patientName: form.patientName, visit: progress.visit) {
                s.stack.append(.needlesOutForm(out))
            } else {
                s.message = StatusMessage(kind: .info, text: "No needling entry at this visit yet.")
            }
        default:
            return false
        }
        return true
    }

    /// Ctrl-S on a form: the effect that saves it, or the reason it cannot be saved yet.
    private static func save(_ state: AppState) -> (AppState, [Effect])? {
        var s = state
        let result: Result<Effect, FormProblem>
        switch s.current {
        case .safetyForm(let form):
            guard case .newVisit(let visit) = s.stack.dropLast().last, let id = visit.draft?.id else { return (s, []) }
            result = form.request().map { .recordSafety($0, visitID: id) }
        case .triggerPointForm(let form):
            result = form.finding().map { finding in
                guard let id = form.editing else { return .addTriggerPoint(visitID: form.visitID, finding) }
                var corrected = finding
                corrected.id = id
                return .editTriggerPoint(visitID: form.visitID, corrected)
            }
        case .needlingForm(let form):
            result = form.entry().map { entry in
                guard let id = form.editing else { return .addNeedling(visitID: form.visitID, entry) }
                var corrected = entry
                corrected.id = id
                return .editNeedling(visitID: form.visitID, corrected)
            }
        case .biomechForm(let form):
            result = form.finding().map { finding in
                guard let id = form.editing else { return .addBiomechanical(visitID: form.visitID, finding) }
                var corrected = finding
                corrected.id = id
                return .editBiomechanical(visitID: form.visitID, corrected)
            }
        case .treatmentForm(let form):
            result = form.treatment().map { treatment in
                guard let id = form.editing else { return .addTreatment(visitID: form.visitID, treatment) }
                var corrected = treatment
                corrected.id = id
                return .editTreatment(visitID: form.visitID, corrected)
            }
        case .needlesOutForm(let form):
            result = form.change().map { .setNeedlesRemoved(visitID: form.visitID, entryID: $0.entryID, removed: $0.removed) }
        case .impressionForm(let form):
            result = form.impression().map { .setImpression(visitID: form.visitID, $0) }
        case .outcomeForm(let form):
            result = form.measure().map { .addOutcome(visitID: form.visitID, $0) }
        default:
            return nil
        }
        switch result {
        case .success(let effect):
            return (s, [effect])
        case .failure(let problem):
            s.message = StatusMessage(kind: .error, text: "Not saved: " + problem.text)
            return (s, [])
        }
    }

    /// Puts what the database holds into the visit screen for that draft.
    private static func apply(_ progress: VisitProgress, to s: inout AppState) {
        guard let index = s.stack.lastIndex(where: { $0.kind == .newVisit }),
              case .newVisit(var form) = s.stack[index], form.draft?.id == progress.visit.id else { return }
        form.update(with: progress)
        s.stack[index] = .newVisit(form)
    }
}

extension Screen {
    /// True for the forms opened over the visit screen (consent and screen, finding, needling).
    var isVisitForm: Bool {
        switch kind {
        case .safetyForm, .triggerPointForm, .needlingForm, .needlesOutForm: true
        case .biomechForm, .treatmentForm, .impressionForm, .outcomeForm: true
        default: false
        }
    }
}
