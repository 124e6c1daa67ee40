import Foundation
import ClinicModel
internal import ClinicStore

/// The reads and writes a use case makes inside one write transaction: every write appends its
/// audit row in the same transaction, and the whole transaction lands or none of it does.
///
/// Owned by ClinicServices for the same reason as `ClinicRecordReader`, which it extends: the
/// use cases compose these in one `ClinicRecordStore.write { }` without knowing the engine. The
/// requirements are the store's writes the use cases call today, with the same names and
/// meaning; the forms without `preservingID` (false) and the other defaulted arguments are in
/// the extension below.
public protocol ClinicRecords: ClinicRecordReader, ReferralLetterWriter {
    /// The same transaction with per-row audit turned off (a records import restores the
    /// exported trail instead and logs one import event).
    func withoutRowAudit() -> Self
    /// Runs `body` in a savepoint of this transaction: when it throws, what it wrote is rolled
    /// back, the rest of the transaction stays, and the error is rethrown (a batched import
    /// files each letter this way, all or nothing, many to a transaction).
    func savepoint<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` (the letters of a batch) with the audit chain's stored head written once, as
    /// it ends, not after every event (SQLite; engines without it run `body` as it is).
    func withAuditHeadWrittenOnce<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` (the letters of a batch) with the patients it inserts put into the search
    /// indexes as it ends, each by one statement (SQLite's full-text and search-prefix indexes;
    /// engines without them run `body` as it is).
    func withSearchIndexesWrittenOnce<T>(_ body: () throws -> T) throws -> T
    /// The engine's page cache setting for this connection (SQLite's `cache_size`; 0 where the
    /// engine has none), and setting it: a whole-clinic import enlarges it for its transaction.
    func pageCacheSetting() throws -> Int
    func setPageCache(_ setting: Int) throws
    /// The WAL size, in pages, at which a commit on this connection checkpoints (SQLite's
    /// `wal_autocheckpoint`; 0 where the engine has none or it is off), and setting it: a batched
    /// letter import checkpoints less often.
    func walCheckpointSetting() throws -> Int
    func setWALCheckpoint(_ pages: Int) throws
    /// Seals the rows this transaction wrote so far, when there are at least `atLeast` of them
    /// (SQLite's row seals; a no-op where the engine seals otherwise): a whole-clinic import
    /// calls it as it goes, so what waits for its seal stays bounded.
    func sealWrittenSoFar(atLeast: Int) throws

    // MARK: audit trail
    /// Appends an event to the chain (nothing when per-row audit is off).
    @discardableResult func appendAudit(_ event: AuditEvent) throws -> AuditRecord?
    /// Appends an event even when per-row audit is off (an import's own event).
    @discardableResult func appendAuditAlways(_ event: AuditEvent) throws -> AuditRecord
    /// Restores an exported audit row verbatim; refuses a row that does not chain.
    func restoreAudit(_ record: AuditRecord) throws
    /// Records that a chart (or part of it, `what`) was opened.
    func auditView(patientID: Int64, actor: String, what: String) throws
    /// Keeps the keyed checkpoint a whole audit verification reached, so the next one resumes
    /// the chain from it (no audit event; nothing without the clinic key).
    func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws

    // MARK: patients and practitioners
    /// Adds a patient with identifiers and alerts. An empty record number gets the next one.
    @discardableResult func insertPatient(_ patient: Patient, actor: String, preservingID: Bool, today: LocalDate) throws -> Patient
    /// Changes demographics (identifiers may be added; alerts change through their own calls).
    func updatePatient(_ patient: Patient, actor: String, today: LocalDate) throws
    /// Adds an alert to a patient (audited when `actor` is given).
    @discardableResult func insertAlert(_ alert: PatientAlert, patientID: Int64, actor: String?) throws -> PatientAlert
    /// Confirms or dismisses an alert; a dismissal keeps its reason (stored and audited).
    func setAlertStatus(alertID: Int64, status: AlertStatus, dismissReason: String?, actor: String) throws
    /// Marks OTHER merged into KEEP (archived) and moves every row of OTHER to KEEP; rows moved per table.
    func mergePatient(keepID: Int64, otherID: Int64, actor: String, detail: String) throws -> [String: Int]
    /// Marks a patient (archived) as merged into another, moving nothing (a records import).
    func markMerged(patientID: Int64, into keepID: Int64) throws
    /// Adds a practitioner (validated), returning it with its id.
    @discardableResult func insertPractitioner(_ p: Practitioner, actor: String, preservingID: Bool) throws -> Practitioner
    /// Changes a practitioner's details, audited with `detail` (which fields changed).
    func updatePractitioner(_ p: Practitioner, actor: String, detail: String?) throws

    // MARK: referrals and imported documents
    /// Files a referral for a patient (with its original letter and attachments).
    @discardableResult func insertReferral(_ r: Referral, actor: String, preservingID: Bool) throws -> Referral
    /// Remembers that a document was imported (its SHA-256), so a second import is a no-op.
    func recordImportedDocument(sha256: String, kind: String) throws

    // MARK: consent and precaution screens
    /// Records a consent.
    @discardableResult func insertConsent(_ c: Consent, actor: String, preservingID: Bool) throws -> Consent
    /// Records a precaution screen.
    @discardableResult func insertScreen(_ s: PrecautionScreen, actor: String, preservingID: Bool) throws -> PrecautionScreen
    /// Strikes out a consent or screen recorded in error (kept, marked, audited with `summary` and the reason).
    @discardableResult func strikeSafety(_ kind: StruckSafety.Kind, id: Int64, reason: String, summary: String, at: Date, actor: String) throws -> StruckSafety

    // MARK: visits
    /// Opens a draft visit (header only; findings and entries are added one by one).
    @discardableResult func insertVisit(_ v: Visit, actor: String, preservingID: Bool) throws -> Visit
    /// Saves a draft's header; with `expectedRevision`, refuses (`draftConflict`) when another session saved in between.
    @discardableResult func updateVisitHeader(_ v: Visit, expectedRevision: Int?, actor: String) throws -> Int
    /// Records, replaces or (nil) clears a draft's clinical impression, audited as which.
    func updateImpression(_ impression: ClinicalImpression?, visitID: Int64, actor: String) throws
    /// Signs a visit: from now on it is only amended.
    func signVisit(id: Int64, at: Date, actor: String) throws
    /// Adds a trigger point finding to a draft.
    @discardableResult func insertTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String?, preservingID: Bool) throws -> TriggerPointFinding
    /// Adds a biomechanical finding to a draft.
    @discardableResult func insertBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String?, preservingID: Bool) throws -> BiomechanicalFinding
    /// Adds a treatment to a draft.
    @discardableResult func insertTreatment(_ t: Treatment, visitID: Int64, actor: String?, preservingID: Bool) throws -> Treatment
    /// Adds a needling entry to a draft.
    @discardableResult func insertNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String?, preservingID: Bool) throws -> NeedlingEntry
    /// Adds a completed outcome measure to a draft.
    @discardableResult func insertOutcome(_ m: OutcomeMeasure, visitID: Int64, actor: String?, preservingID: Bool) throws -> OutcomeMeasure
    /// Records needles removed at a site (the count that must balance before signing): the total
    /// out of the site so far. Returns the total on file before.
    @discardableResult func updateNeedlesRemoved(entryID: Int64, removed: Int, actor: String) throws -> Int
    /// Saves a corrected trigger point (by its id) on a draft.
    @discardableResult func updateTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String) throws -> TriggerPointFinding
    /// Saves a corrected biomechanical finding (by its id) on a draft.
    @discardableResult func updateBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String) throws -> BiomechanicalFinding
    /// Saves a corrected treatment (by its id) on a draft.
    @discardableResult func updateTreatment(_ t: Treatment, visitID: Int64, actor: String) throws -> Treatment
    /// Saves a corrected needling entry (by its id) on a draft.
    @discardableResult func updateNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String) throws -> NeedlingEntry
    /// Strikes an entry out of a draft (kept, marked, audited with what it was and why).
    @discardableResult func strikeEntry(_ kind: VisitEntryKind, id: Int64, visitID: Int64, reason: String, summary: String,
                                        at: Date, actor: String) throws -> StruckEntry
    /// Adds an amendment to a signed visit.
    @discardableResult func insertAmendment(_ a: Amendment, actor: String, preservingID: Bool) throws -> Amendment
    /// Stores a plan as a new version for its visit.
    @discardableResult func insertPlan(_ plan: FollowUpPlan, actor: String, preservingID: Bool) throws -> FollowUpPlan

    // MARK: form drafts
    /// Keeps `draft`, replacing the slot's earlier one for the same actor.
    func saveFormDraft(_ draft: StoredFormDraft) throws
    /// Forgets the actor's form draft in `slot` (nothing when there is none).
    func deleteFormDraft(slot: FormDraftSlot, actor: String) throws
    /// Forgets every actor's form draft in `slot`.
    func deleteFormDrafts(slot: FormDraftSlot) throws

    // MARK: origins
    /// Marks a patient or visit as imported from an untrusted export (the first mark is kept).
    func markUntrustedImport(entity: String, id: Int64, mark: UntrustedImport) throws
    /// Binds an account to an operating-system login (nil unbinds it), audited.
    func setOSUser(practitionerID: Int64, osUser: String?, actor: String) throws

    // MARK: clinic settings
    /// Sets one clinic setting, audited with its old and new value.
    func setClinicSetting(name: String, value: String, actor: String) throws
    /// Removes one clinic setting so it falls back to its default, audited.
    func removeClinicSetting(name: String, actor: String) throws
    /// Stores the clinic's text for one letter template, audited.
    func setLetterTemplate(name: String, body: String, actor: String, at: Date) throws
    /// Back to Knot's wording for one template, audited; false when it was not changed.
    @discardableResult
    func resetLetterTemplate(name: String, actor: String) throws -> Bool
}

/// The shorter forms, with the SQLite store's defaults (`preservingID` false, `today` today,
/// `at` now, `what` "chart").
extension ClinicRecords {
    /// Engines without it: the head written as each event is appended.
    public func withAuditHeadWrittenOnce<T>(_ body: () throws -> T) throws -> T { try body() }
    /// Engines without it: the search index written as each patient is inserted.
    public func withSearchIndexesWrittenOnce<T>(_ body: () throws -> T) throws -> T { try body() }
    /// Engines without a page cache setting: nothing to read (0).
    public func pageCacheSetting() throws -> Int { 0 }
    /// Engines without a page cache setting: nothing to set.
    public func setPageCache(_ setting: Int) throws {}
    /// Engines without SQLite's WAL checkpoints: nothing to read (0).
    public func walCheckpointSetting() throws -> Int { 0 }
    /// Engines without SQLite's WAL checkpoints: nothing to set.
    public func setWALCheckpoint(_ pages: Int) throws {}
    /// Engines without SQLite's row seals: nothing to seal as the transaction goes.
    public func sealWrittenSoFar(atLeast: Int) throws {}

    /// Records that `actor` opened the patient's chart.
    public func auditView(patientID: Int64, actor: String) throws { try auditView(patientID: patientID, actor: actor, what: "chart") }
    /// Adds a new patient with a new id (an empty record number gets the next one), audited.
    @discardableResult public func insertPatient(_ patient: Patient, actor: String, today: LocalDate = .today()) throws -> Patient {
        try insertPatient(patient, actor: actor, preservingID: false, today: today)
    }
    /// Adds a new practitioner account with a new id, audited.
    @discardableResult public func insertPractitioner(_ p: Practitioner, actor: String) throws -> Practitioner {
        try insertPractitioner(p, actor: actor, preservingID: false)
    }
    /// Stores a practitioner's changed details, audited.
    public func updatePractitioner(_ p: Practitioner, actor: String) throws {
        try updatePractitioner(p, actor: actor, detail: nil)
    }
    /// Adds a new referral with a new id, audited.
    @discardableResult public func insertReferral(_ r: Referral, actor: String) throws -> Referral {
        try insertReferral(r, actor: actor, preservingID: false)
    }
    /// Adds a new consent with a new id, audited.
    @discardableResult public func insertConsent(_ c: Consent, actor: String) throws -> Consent {
        try insertConsent(c, actor: actor, preservingID: false)
    }
    /// Adds a new precaution screen with a new id, audited.
    @discardableResult public func insertScreen(_ s: PrecautionScreen, actor: String) throws -> PrecautionScreen {
        try insertScreen(s, actor: actor, preservingID: false)
    }
    /// Adds a new visit with a new id, audited.
    @discardableResult public func insertVisit(_ v: Visit, actor: String) throws -> Visit {
        try insertVisit(v, actor: actor, preservingID: false)
    }
    /// Signs a visit now: from then on it is only amended.
    public func signVisit(id: Int64, actor: String) throws { try signVisit(id: id, at: Date(), actor: actor) }
    /// Adds a trigger-point finding with a new id to a draft.
    @discardableResult public func insertTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String?) throws -> TriggerPointFinding {
        try insertTriggerPoint(f, visitID: visitID, actor: actor, preservingID: false)
    }
    /// Adds a biomechanical finding with a new id to a draft.
    @discardableResult public func insertBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String?) throws -> BiomechanicalFinding {
        try insertBiomechanical(f, visitID: visitID, actor: actor, preservingID: false)
    }
    /// Adds a treatment with a new id to a draft.
    @discardableResult public func insertTreatment(_ t: Treatment, visitID: Int64, actor: String?) throws -> Treatment {
        try insertTreatment(t, visitID: visitID, actor: actor, preservingID: false)
    }
    /// Adds a needling entry with a new id to a draft.
    @discardableResult public func insertNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String?) throws -> NeedlingEntry {
        try insertNeedling(e, visitID: visitID, actor: actor, preservingID: false)
    }
    /// Adds an amendment with a new id to a signed visit, audited.
    @discardableResult public func insertAmendment(_ a: Amendment, actor: String) throws -> Amendment {
        try insertAmendment(a, actor: actor, preservingID: false)
    }
    /// Adds a plan version with a new id, audited.
    @discardableResult public func insertPlan(_ plan: FollowUpPlan, actor: String) throws -> FollowUpPlan {
        try insertPlan(plan, actor: actor, preservingID: false)
    }
}
