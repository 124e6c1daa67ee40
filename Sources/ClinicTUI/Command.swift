import Foundation
import ClinicModel
import ClinicServices
import TerminalKit

/// Everything `update` is given, saying what it is: a request the user made with a key, the
/// result an effect brought back, or the terminal's new size.
///
/// Which one it is decides, by its type, what follows: only an intent clears the status line,
/// answers a question the screen is asking, or keeps the open form's typing as a draft; a
/// result arriving while the user is being asked something leaves the question standing.
enum Message: Sendable {
    /// The user asked for something (a key, through the screen's `KeyMap`).
    case intent(Intent)
    /// An effect brought back what it found or did (`EffectPerformer`, or background work).
    case result(EffectResult)
    /// The terminal changed size.
    case resized(TerminalSize)
}

/// What the user asked for with a key.
///
/// Keys become intents through each screen's `KeyMap` (as in tig), so the screens never look
/// at raw keys except for typing into a text field.
enum Intent: Sendable {
    case quit
    case back
    case toggleHelp
    case moveUp
    case moveDown
    case pageUp
    case pageDown
    case open
    case edit(Key)
    case nextField
    case previousField
    case newVisit
    case showRecall
    case showAudit
    case loadDemo
    case startEmpty
    /// Visit workflow: consent and screen, a trigger point, a needling entry, sign, save a form.
    case recordSafety
    case addTriggerPoint
    case addNeedling
    case recordNeedlesOut
    case signVisit
    case save
    /// Referral inbox: open it from the patient list; import the letter previewed.
    case showInbox
    case importLetter
    /// Inbox preview of a conflict: file the letter to candidate N (1-based), or as a new patient.
    case fileLetterToCandidate(Int)
    case fileLetterAsNewPatient
    /// Plan preview: show the signed visit's follow-up plan; store it as final.
    case showPlan
    case storeFinalPlan
    /// Patient form: register a new patient from the list; correct the details from the chart.
    case registerPatient
    case editPatient
    /// Amend the signed visit shown (opens the amendment form).
    case amendVisit
    /// Alerts: open the chart's alerts; confirm, dismiss or add one.
    case showAlerts
    case confirmAlert
    case dismissAlert
    case newAlert
    /// A draft another terminal changed: reload the saved draft, or save my typing over it.
    case reloadDraft
    case keepMyDraft
    /// Visit editor: a biomechanical finding, a treatment (forms over the visit).
    case addBiomechanicalFinding
    case addTreatment
    /// Visit editor, on an entry selected in the recorded list: correct it in its form, strike
    /// it out (asks why), and confirm the strike with the reason typed.
    case editEntry
    case strikeEntry
    case confirmStrike
    /// The clinic's settings (from the patient list); the visit editor's impression and
    /// outcome-measure forms.
    case showSettings
    case setImpression
    case addOutcome
    /// Esc while long work runs: stops a read (a write goes on to its end).
    case stopWork
}

/// What an effect brought back: the results of database and file work, which keeps `update`
/// pure and the database calls in `EffectPerformer`.
enum EffectResult: Sendable {
    case databaseChecked(isEmpty: Bool, writesRefused: String? = nil)
    case patientsFound(query: String, patients: [PatientSummary])
    /// The chart, with the newest visit in full when the user may read clinical notes.
    case chartOpened(PatientChart, lastVisit: VisitRecord?)
    case visitOpened(VisitRecord, struck: [StruckEntryRecord] = [])
    case recallLoaded([RecallEntry])
    case auditLoaded(patient: String, records: [AuditRecord])
    case demoLoaded(patients: Int, visits: Int)
    case draftSaved(Visit, revision: Int)
    /// A draft opened from the chart, to go on recording.
    case draftOpened(VisitProgress)
    /// The draft as the database now holds it (after it was created).
    case visitProgressLoaded(VisitProgress)
    /// A form was saved: the draft as it now is, and what was saved in words.
    case visitChanged(VisitProgress, message: String)
    /// A consent or screen was struck out from the F2 form: the draft reloaded, the form asks again.
    case safetyStruck(VisitProgress, message: String)
    case visitSigned(Visit)
    /// The import folder's letters, each with what a dry run says.
    case inboxLoaded(InboxListing)
    /// One letter's dry run and what it says about the patient and referrer.
    case inboxPreviewed(InboxPreview)
    /// A letter was imported for real (or the import found a conflict or refused it).
    case letterImported(ImportOutcome)
    /// The patient chosen for a conflict may not be the letter's: nothing filed; the user is asked.
    case letterPatientDiffers(path: String, ReferralFiling, differences: [String])
    /// A signed visit's follow-up plan as text.
    case planLoaded(PlanPreview)
    /// The plan was stored as a new final version.
    case planStored(PlanPreview)
    /// The patient form was saved (a new patient, or corrected details).
    case patientSaved(Patient, created: Bool)
    /// Registering was refused: patients on file may be this person (one line each: record
    /// number, name, date of birth, why). The form asks to register anyway or go back.
    case possibleDuplicates([String])
    /// An amendment was saved: the visit as it now reads.
    case visitAmended(VisitRecord, message: String)
    /// An alert was confirmed, dismissed or added: the chart as it now is.
    case alertsChanged(PatientChart, message: String)
    /// Another terminal changed the draft since this one read it: what the database holds now.
    case draftConflict(VisitProgress)
    /// The draft after a reload, or after another terminal's additions were taken in.
    /// `replacesTyping`: the fields show the saved header (after Ctrl-L), else typing stays.
    case draftReloaded(VisitProgress, message: String, replacesTyping: Bool)
    /// A form draft was saved or forgotten, or none was found: nothing to show.
    case formDraftDone
    /// A form the practitioner was typing here before (kept as a draft), and when.
    case formDraftLoaded(FormDraft, savedAt: Date)
    /// The clinic's settings as stored, to show (and, for an administrator, edit).
    case settingsLoaded(ClinicSettingsSummary)
    /// The settings form was saved: what changed, in words.
    case settingsSaved(message: String)
    /// The settings were refused: the message, and the field to go back to when one is named.
    case settingsRefused(String, field: SettingsFormState.Focus?)
    case failed(String)
    /// The inbox is checking its letters in the background: how many are dry-run so far.
    case inboxProgress(InboxProgress)
    /// Checking the inbox's letters was stopped: nothing to show.
    case inboxCheckStopped
    /// Long work started off the input loop (the progress line shows it).
    case workStarted(LongEffect)
    /// Long work ended: its lane is free again, and what it brought back.
    indirect case workDone(LongEffect.Lane, EffectResult)
    /// A request for long work was not started: its lane is busy with another.
    case workRefused(asked: LongEffect, busy: LongEffect)
    /// Long work that follows from a result waits until its lane is free.
    case workQueued(asked: LongEffect, busy: LongEffect)
    /// Long work was stopped at Esc: nothing to show.
    case workStopped
}

/// Database work `update` asks for; `EffectPerformer` does it and answers with an `EffectResult`.
enum Effect: Sendable, Hashable {
    /// Is the database empty (first run)?
    case checkFirstRun
    /// Full-text search (all patients when the query is blank).
    case searchPatients(String)
    case openChart(patientID: Int64)
    case openVisit(id: Int64)
    case loadRecall
    case loadAudit(patientID: Int64, patientName: String)
    case loadDemo
    /// Creates or updates the draft of a new visit.
    case saveDraft(DraftRequest)
    /// Loads a draft to go on recording it (an audited view).
    case openDraft(visitID: Int64)
    /// Reloads a draft's findings, needling, count and readiness.
    case loadVisitProgress(visitID: Int64)
    /// Records consent and/or the precaution screen, then reloads the draft.
    case recordSafety(SafetyRequest, visitID: Int64)
    case addTriggerPoint(visitID: Int64, TriggerPointFinding)
    case addNeedling(visitID: Int64, NeedlingEntry)
    case setNeedlesRemoved(visitID: Int64, entryID: Int64, removed: Int)
    case signVisit(visitID: Int64)
    /// Lists the import folder's .xml files with a dry run of each (in the background: the
    /// listing comes back as `inboxLoaded` after `inboxProgress` reports, see `App`).
    case loadInbox
    /// Stops checking the inbox's letters (the user left the inbox before it was drawn).
    case stopCheckingInbox
    /// A dry run of one file and its letter's patient and referrer.
    case previewLetter(path: String)
    /// Imports one file for real.
    case importLetter(path: String)
    /// Files one letter as the person decided after a conflict (audited).
    /// `confirmed`: the user said y to a patient who may not be the letter's (`ChosenPatientDiffers`).
    case fileLetter(path: String, ReferralFiling, confirmed: Bool = false)
    /// The follow-up plan of a signed visit (the latest stored version, else the rules' plan).
    case loadPlan(visitID: Int64)
    /// Stores the plan as a new final version.
    case storeFinalPlan(visitID: Int64)
    /// Registers a new patient (no id) or saves corrected details.
    /// `allowDuplicate`: the user confirmed a new patient who resembles one on file.
    case savePatient(Patient, allowDuplicate: Bool = false)
    /// Saves an amendment beside a signed visit, then reloads the visit.
    case amendVisit(visitID: Int64, reason: String, changes: [Amendment.Change])
    /// Confirms or dismisses one alert (a dismissal with its reason), then reloads the chart.
    case setAlertStatus(patientID: Int64, alertID: Int64, status: AlertStatus, reason: String? = nil)
    /// Adds an alert to a patient, then reloads the chart.
    case addAlert(patientID: Int64, PatientAlert)
    /// Reloads a draft after a conflict (what the other terminal saved).
    case reloadDraft(visitID: Int64)
    /// Saves the header as typed over the draft now in the database (after a conflict).
    /// `request.draft` is the draft as the user was shown it when the conflict was found.
    case overwriteDraft(DraftRequest)
    case addBiomechanical(visitID: Int64, BiomechanicalFinding)
    case addTreatment(visitID: Int64, Treatment)
    /// Saves a corrected entry of a draft (the entry's id says which), then reloads the draft.
    case editTriggerPoint(visitID: Int64, TriggerPointFinding)
    case editBiomechanical(visitID: Int64, BiomechanicalFinding)
    case editTreatment(visitID: Int64, Treatment)
    case editNeedling(visitID: Int64, NeedlingEntry)
    /// Strikes an entry out of a draft with the reason given, then reloads the draft.
    case strikeEntry(visitID: Int64, VisitEntryKind, entryID: Int64, reason: String)
    /// Strikes out the consent or screen covering a draft with the reason given, then reloads the draft.
    case strikeSafety(visitID: Int64, StruckSafety.Kind, id: Int64, reason: String)
    /// Keeps the open form's typing (replacing the slot's earlier draft).
    case saveFormDraft(FormDraft)
    /// The form draft the working practitioner left in a slot, if any.
    case loadFormDraft(FormDraftSlot)
    /// Forgets a form draft (the form was saved or cancelled).
    case discardFormDraft(FormDraftSlot)
    /// The clinic's settings (no patient data: everyone with an account may read them).
    case loadSettings
    /// Changes the clinic's settings (and its time zone, when given), as `knot clinic set` does.
    case saveSettings(ClinicSettingsChange, timeZone: String?)
    /// Records the clinical impression of a draft (nil clears it), as `knot visit impression` does.
    case setImpression(visitID: Int64, ClinicalImpression?)
    /// Records an outcome measure at a draft, as `knot outcome add` does.
    case addOutcome(visitID: Int64, OutcomeMeasure)
    /// Stops the read running off the input loop in a lane (Esc; see `LongEffect`).
    case stopWork(LongEffect.Lane)
}

/// One line of the recall list: a patient whose review is due by today.
struct RecallEntry: Sendable, Hashable {
    var patient: PatientSummary
    var reviewDate: LocalDate
    var overdueDays: Int
    var sessionsLeft: Int?
}

extension Effect {
    /// Effects a later one of the same slot makes pointless: a search for what is typed (the
    /// last text wins) and the save of a draft as typed (the last save holds all the text).
    /// Nil for everything else, which is always done, in order.
    var supersededSlot: String? {
        switch self {
        case .searchPatients: "search"
        case .saveDraft(let request): "draft \(request.patientID) \(request.draft?.id ?? 0)"
        case .saveFormDraft(let draft): "form \(draft.slot)"
        default: nil
        }
    }
}
