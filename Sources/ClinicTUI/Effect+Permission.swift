import ClinicServices

extension Effect {
    /// The use case each front-end action runs, from the one permission table
    /// (`ClinicAction.allowed`); the services check it again when the effect is performed.
    /// An exhaustive switch: a new front-end action cannot be added without saying which it is.
    var clinicAction: ClinicAction {
        switch self {
        case .checkFirstRun: .initialize
        case .searchPatients: .findPatients
        case .openChart: .openChart
        case .openVisit, .openDraft, .loadVisitProgress, .reloadDraft: .readClinicalNotes
        case .loadRecall: .recallList
        case .loadAudit: .readAuditLog
        case .loadDemo: .loadDemo
        case .saveDraft, .overwriteDraft, .recordSafety, .addTriggerPoint, .addNeedling, .setNeedlesRemoved,
             .addBiomechanical, .addTreatment, .editTriggerPoint, .editBiomechanical, .editTreatment, .editNeedling,
             .strikeEntry, .strikeSafety: .recordVisit
        case .signVisit: .signVisit
        case .loadInbox, .stopCheckingInbox, .previewLetter: .readReferral
        case .importLetter: .importReferrals
        case .fileLetter: .resolveReferral
        case .loadPlan: .viewPlan
        case .storeFinalPlan: .changePlan
        case .savePatient(let patient, _): patient.id == nil ? .registerPatient : .editPatient
        case .amendVisit: .amendVisit
        case .setAlertStatus: .reviewAlert
        case .addAlert: .addAlert
        case .saveFormDraft, .loadFormDraft, .discardFormDraft: .keepFormDrafts
        // The clinic's own details, no patient data: read by everyone with an account, as
        // `knot clinic show` is.
        case .loadSettings: .readClinicSettings
        case .saveSettings: .changeClinicSettings
        case .setImpression, .addOutcome: .recordVisit
        // Stops a read off the input loop: runs no use case, so the one everyone with an account has.
        case .stopWork: .findPatients
        }
    }
}
