import Foundation
import ClinicModel
import ClinicServices
import ClinicDemo

/// Does the database work `update` asks for, through `ClinicSession`, and answers with the
/// command that carries the result (or the error, in words, for the status line).
///
/// The only part of the front end that touches the database; rendering never does.
struct EffectPerformer: Sendable {
    let session: ClinicSession
    /// The clinic's "today" (injected so screens and the demo are reproducible).
    let today: LocalDate
    /// The clock new visits start at (injected so tests are reproducible).
    let now: @Sendable () -> Date
    /// The folder the referral inbox lists (see `InboxFolder.resolve`).
    let importFolder: String

    func perform(_ effect: Effect) -> EffectResult {
        do {
            return try run(effect)
        } catch {
            return .failed(Self.message(for: error))
        }
    }

    private func run(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .checkFirstRun:
            return .databaseChecked(isEmpty: try session.hasNoPatients(), writesRefused: session.writesRefusedBecause)
        case .searchPatients(let query):
            let trimmed = query.trimmingCharacters(in: .whitespaces)
            let page = PatientListScreen.pageLimit
            let found = trimmed.isEmpty ? try session.listPatients(limit: page) : try session.searchPatients(trimmed, limit: page)
            return .patientsFound(query: query, patients: found)
        case .openChart(let id):
            let chart = try session.chart(key: String(id), today: today)
            var lastVisit: VisitRecord?
            if !chart.clinicalNotesHidden, let newest = chart.visits.first {
                lastVisit = try session.visitRecord(id: newest.id)
            }
            return .chartOpened(chart, lastVisit: lastVisit)
        case .openVisit(let id):
            let record = try session.visitRecord(id: id)
            let struck = try session.struckEntries(visitID: id)
            return .visitOpened(record, struck: struck)
        case .loadRecall:
            return .recallLoaded(try recallList())
        case .loadAudit(let id, let name):
            return .auditLoaded(patient: name, records: try session.auditLog(patientKey: String(id), limit: 1000))
        case .saveDraft(let request):
            return try saveDraft(request)
        case .openDraft, .loadVisitProgress, .recordSafety, .addTriggerPoint, .addNeedling, .setNeedlesRemoved, .signVisit:
            return try performVisitWork(effect)
        case .loadInbox, .stopCheckingInbox, .previewLetter, .importLetter, .fileLetter:
            return try performInboxWork(effect)
        case .loadPlan, .storeFinalPlan:
            return try performPlanWork(effect)
        case .savePatient(let patient, let allowDuplicate):
            return try savePatient(patient, allowDuplicate: allowDuplicate)
        case .amendVisit, .setAlertStatus, .addAlert:
            return try performAmendAndAlertWork(effect)
        case .reloadDraft, .overwriteDraft:
            return try performDraftConflictWork(effect)
        case .addBiomechanical, .addTreatment:
            return try performFindingsWork(effect)
        case .editTriggerPoint, .editBiomechanical, .editTreatment, .editNeedling, .strikeEntry, .strikeSafety:
            return try performEntryCorrection(effect)
        case .saveFormDraft, .loadFormDraft, .discardFormDraft:
            return try performFormDraftWork(effect)
        case .loadSettings, .saveSettings:
            return try performSettingsWork(effect)
        case .setImpression, .addOutcome:
            return try performAssessmentWork(effect)
        case .stopWork:
            return .workStopped  // `App` stops the work; nothing to do here
        case .loadDemo:
            let summary = try session.loadDemo(today: today)
            return .demoLoaded(patients: summary.patients, visits: summary.visits)
        }
    }

    /// Creates the draft on the first change, then updates its header.
    private func saveDraft(_ request: DraftRequest) throws -> EffectResult {
        let complaint = request.complaint.trimmingCharacters(in: .whitespaces)
        let pain = try request.painNow.map { try NPRS($0, field: "pain.now") }
        guard var visit = request.draft else {
            let created = try session.newVisit(patientKey: String(request.patientID), at: now(),
                                               complaint: complaint.isEmpty ? nil : complaint, pain: PainScores(now: pain))
            return .draftSaved(created, revision: 0)
        }
        visit.complaint = complaint.isEmpty ? nil : complaint
        visit.pain.now = pain
        let revision: Int
        do {
            revision = try session.saveDraft(visit, expectedRevision: request.revision)
        } catch StorageError.draftConflict {
            return try draftConflict(request)
        }
        return .draftSaved(visit, revision: revision)
    }

    /// Reviews due by today with the current referral's sessions left.
    private func recallList() throws -> [RecallEntry] {
        try session.reviewsDue(by: today, today: today).map { row in
            RecallEntry(patient: row.patient, reviewDate: row.reviewDate, overdueDays: row.overdueDays, sessionsLeft: row.sessionsLeft)
        }
    }

    /// One line for the status bar.
    static func message(for error: any Error) -> String {
        FrontEndWords.translate(String(describing: error)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " "))
    }
}
