import Foundation
import ClinicModel
internal import ClinicStore

/// The reads a use case makes inside one transaction: patients, practitioners, referrals,
/// visits, plans, the audit trail and kept form drafts, all from one consistent snapshot.
///
/// ClinicServices owns this protocol so that the use cases never name a storage engine: the
/// SQLite store (`StoreTransaction`, see SQLiteRecordStore.swift) is one conformance, the
/// PostgreSQL store's `PostgresTransaction` (PostgresRecordStore+Services.swift) another. The requirements are the store's
/// operations the use cases call today, with the same names and meaning; the forms with fewer
/// arguments (`patientCount()`, `referralStatuses(patientID:)`...) are in the extension below,
/// with the same defaults as the SQLite store's.
public protocol ClinicRecordReader: ReferralLetterReader {
    // MARK: patients
    /// A patient with identifiers and alerts, or nil.
    func patient(id: Int64) throws -> Patient?
    /// A patient by record number, or by numeric id when `key` is all digits.
    func patient(key: String) throws -> Patient?
    /// The patient holding an identifier, if any.
    func patientID(identifier: PatientIdentifier) throws -> Int64?
    /// Patients with this date of birth and names equal ignoring case and accents.
    func patientIDs(familyName: String, givenNames: String, dateOfBirth: LocalDate) throws -> [Int64]
    /// Patients with this date of birth and the same family name (a doubtful match to report).
    func patientIDs(familyName: String, dateOfBirth: LocalDate) throws -> [Int64]
    /// Patients who may be the same person: same identifier, or same birth date and a similar name.
    func duplicateCandidates(of patient: Patient) throws -> [DuplicateCandidate]
    /// The patient a record was merged into, if it was.
    func mergedInto(patientID: Int64) throws -> Int64?
    /// Rows that belong to a patient, per table.
    func rowsBelonging(toPatient id: Int64) throws -> [String: Int]
    /// Patient ids in id order (optionally only those with changes since `since`), for streaming exports.
    func patientIDs(changedSince since: Date?) throws -> [Int64]
    /// Patients by name, archived ones hidden unless asked for.
    func patientSummaries(includeArchived: Bool, limit: Int, offset: Int) throws -> [PatientSummary]
    /// How many patients there are.
    func patientCount(includeArchived: Bool) throws -> Int
    /// Patients whose fields prefix-match every word of `query` (names, record number, phone, date of birth).
    func searchPatients(_ query: String, includeArchived: Bool, limit: Int) throws -> [PatientSummary]
    /// Everything for one patient, for export.
    func patientRecord(id: Int64) throws -> PatientRecord?
    /// Whether the clinic holds no patients, no practitioners and no audit events (an import may keep ids).
    func isEmptyClinic() throws -> Bool

    // MARK: practitioners
    /// The user with this handle (ignoring case), or nil.
    func practitioner(handle: String) throws -> Practitioner?
    /// The user with this id, or nil.
    func practitioner(id: Int64) throws -> Practitioner?
    /// Every user of the clinic.
    func practitioners() throws -> [Practitioner]

    // MARK: referrals and imported documents
    /// A referral, with its original letter when `withLetter`.
    func referral(id: Int64, withLetter: Bool) throws -> Referral?
    /// The referral filed from a letter with this SHA-256, if any.
    func referralID(sha256: String) throws -> Int64?
    /// A patient's referrals with sessions used (visits linked to each), newest first.
    func referralStatuses(patientID: Int64, withLetters: Bool) throws -> [ReferralStatus]
    /// Whether a document with this SHA-256 was imported before.
    func wasImported(sha256: String) throws -> Bool
    /// Whether these bytes were filed before: imported, or kept as a referral's original letter
    /// (`wasImported` or `referralID(sha256:)`; the SQLite store asks both in one statement).
    func filedBefore(sha256: String) throws -> Bool

    // MARK: consent and precaution screens
    /// A patient's consents.
    func consents(patientID: Int64) throws -> [Consent]
    /// A patient's precaution screens.
    func screens(patientID: Int64) throws -> [PrecautionScreen]
    /// The patient, day recorded and last day covered of a consent or screen in force (nil when none, or struck out).
    func safetyInForce(_ kind: StruckSafety.Kind, id: Int64) throws -> SafetyInForce?
    /// A patient's struck-out consents and screens (kept, with when, by whom and why).
    func struckSafety(patientID: Int64) throws -> [StruckSafety]

    // MARK: visits, amendments and plans
    /// A visit with its findings, treatments and needling entries, or nil.
    func visit(id: Int64) throws -> Visit?
    /// The draft's revision (bumped by every save), for detecting two sessions editing one draft.
    func visitRevision(id: Int64) throws -> Int
    /// A patient's visits, oldest first, with their findings and entries.
    func visits(patientID: Int64) throws -> [Visit]
    /// A patient's outcome measures with their visit's id and start, oldest visit first.
    func outcomes(patientID: Int64) throws -> [RecordedOutcome]
    /// The visit timeline of a patient, newest first.
    func visitSummaries(patientID: Int64) throws -> [VisitSummary]
    /// Needling entries in a period with their visit, practitioner and patient record number.
    func needlingLog(from: Date, to: Date) throws -> [NeedlingLogEntry]
    /// The needle of the practitioner's most recent needling entry (remembered for the next one).
    func lastNeedle(practitionerID: Int64) throws -> Needle?
    /// The entries struck out of a visit (kept, with when, by whom and why), oldest strike first.
    func struckEntries(visitID: Int64) throws -> [StruckEntryRecord]
    /// A visit's amendments, oldest first.
    func amendments(visitID: Int64) throws -> [Amendment]
    /// A visit's plan versions, oldest first.
    func plans(visitID: Int64) throws -> [FollowUpPlan]
    /// The latest final plan's review date per patient, due on or before `dueBy`, for the recall list.
    func reviewsDue(by dueBy: LocalDate) throws -> [PlannedReview]

    // MARK: audit trail
    /// Audit events, newest first, optionally for one patient.
    func auditLog(patientID: Int64?, limit: Int) throws -> [AuditRecord]
    /// Every audit event oldest first, streamed to `body` (bounded memory for exports).
    func forEachAudit(_ body: (AuditRecord) throws -> Void) throws
    /// Checks the whole hash chain: changed, deleted, inserted rows and a truncated tail; with
    /// the clinic key, the keyed seals of events, head and rows; with an anchor, that the trail
    /// still extends it.
    func verifyAudit(anchor: AuditAnchor?) throws -> AuditVerification
    /// The clinic's identity and key: where it is kept, whether it is there, its public half.
    func clinicKeyInfo() throws -> ClinicKeyInfo
    /// The text of the detached signature of an export whose SHA-256 is given (nil without a key).
    func signExport(sha256: String) throws -> String?
    /// The public keys whose exports this clinic imports.
    func trustedExportKeys() throws -> Set<String>
    /// Adds a public key to those this clinic trusts; returns the file that lists them.
    func trustExportKey(_ publicKey: String, label: String) throws -> String

    // MARK: origins
    /// The untrusted-import mark of a patient or visit ("patient", "visit"), if it has one.
    func untrustedImport(entity: String, id: Int64) throws -> UntrustedImport?
    /// Every untrusted-import mark (kind, record id, the patient it belongs to, mark), by kind then id.
    func untrustedImports() throws -> [(entity: String, id: Int64, patientID: Int64?, mark: UntrustedImport)]
    /// The operating-system login an account belongs to; nil when it is not bound.
    func osUser(practitionerID: Int64) throws -> String?
    /// The records ("kind:id" in a clinic export's kinds) one of whose rows no longer matches its
    /// audited seal, or has none (changed or added outside Knot); empty without the clinic key.
    func recordsNotInAuditedState() throws -> Set<String>

    // MARK: form drafts
    /// The actor's form draft in `slot`, if any.
    func formDraft(slot: FormDraftSlot, actor: String) throws -> StoredFormDraft?
    /// How many form drafts are kept, all actors (for `knot check` and tests).
    func formDraftCount() throws -> Int
    /// Every kept form draft, oldest first, without its typing.
    func formDraftOverview() throws -> [StoredFormDraft]

    // MARK: clinic settings
    /// Every clinic setting by name (`ClinicSettingName`); empty for a database from before settings.
    func clinicSettings() throws -> [String: String]

    // MARK: letter templates
    /// Every template the clinic changed (`knot template edit`), by name.
    func letterTemplates() throws -> [String: StoredLetterTemplate]
}

/// The shorter forms, with the SQLite store's defaults.
extension ClinicRecordReader {
    /// Both questions, one after the other (engines without a one-statement answer).
    public func filedBefore(sha256: String) throws -> Bool {
        try wasImported(sha256: sha256) || referralID(sha256: sha256) != nil
    }
    /// Checks the chain and the keyed seals, with no anchor.
    public func verifyAudit() throws -> AuditVerification { try verifyAudit(anchor: nil) }

    /// The first `limit` patients by name (archived ones only when asked for).
    public func patientSummaries(includeArchived: Bool = false, limit: Int = 500) throws -> [PatientSummary] {
        try patientSummaries(includeArchived: includeArchived, limit: limit, offset: 0)
    }
    /// The first 50 patients whose fields prefix-match every word of `query`.
    public func searchPatients(_ query: String, includeArchived: Bool = false) throws -> [PatientSummary] {
        try searchPatients(query, includeArchived: includeArchived, limit: 50)
    }
    /// The patient's referrals with sessions used, newest first, without their letters.
    public func referralStatuses(patientID: Int64) throws -> [ReferralStatus] {
        try referralStatuses(patientID: patientID, withLetters: false)
    }
}
