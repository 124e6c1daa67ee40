import ClinicModel

/// Every use case of Knot, one case each: the command line and the front end both ask
/// `ClinicSession.authorize(_:)` before doing any of them, against `ClinicAction.allowed`.
public enum ClinicAction: String, Sendable, Hashable, CaseIterable {
    // Setting up
    /// `knot init`: anyone on a new database (it makes the first administrator); after that, any user.
    case initialize
    /// `knot demo`: anyone into an empty database; after that, an administrator.
    case loadDemo
    /// The clinic's settings (`knot clinic set`).
    case changeClinicSettings
    /// Read the clinic's settings (`knot clinic show`, the front end's settings screen): any account.
    case readClinicSettings
    /// Read the clinic's letter templates (`knot template list|show`); changing them is
    /// `changeClinicSettings`.
    case readTemplates
    // Accounts
    /// List the practitioner and reception accounts.
    case listAccounts
    /// Add, edit, deactivate and reactivate accounts.
    case manageAccounts
    // Patients (demographics)
    /// Find patients by name and list them.
    case findPatients
    /// Register a new patient.
    case registerPatient
    /// Change a patient's details, archive or bring back.
    case editPatient
    /// The chart: demographics, alerts, referrals; clinical notes only for those who may read them.
    case openChart
    /// Add an alert to a patient's chart.
    case addAlert
    /// Confirm or dismiss an alert (a clinical judgement: an anticoagulant, an allergy).
    case reviewAlert
    /// Merge two records of the same person (`knot patient merge`).
    case mergePatients
    // Referrals
    /// Read a referral and its letter.
    case readReferral
    /// Import referral letters (HL7 CDA, Knot format) into the inbox and charts.
    case importReferrals
    /// Match or resolve a referral letter to its patient (filing letters is reception's work).
    case resolveReferral
    /// The recall list of reviews due.
    case recallList
    // Clinical work
    /// Read visits, findings and needling (practitioners only).
    case readClinicalNotes
    /// Open a draft visit, record findings, consent, screen, needling and treatment on it.
    case recordVisit
    /// Sign a visit.
    case signVisit
    /// Amend a signed visit.
    case amendVisit
    /// Show a plan.
    case viewPlan
    /// Save or finalise a plan.
    case changePlan
    /// The needling log over a period (`knot log needling`).
    case needlingLog
    // Keeping the records
    /// Half-typed forms, each kept for its own typist.
    case keepFormDrafts
    /// Verify the audit trail (`knot audit verify`).
    case verifyAudit
    /// Print the audit trail's head for an off-site witness (`knot audit anchor`).
    case anchorAudit
    /// Show where the clinic key is kept and its public signing key (`knot clinic key`).
    case showClinicKey
    /// Trust another clinic's signing key for imports (`knot clinic trust`).
    case trustClinicKey
    /// Read the audit trail.
    case readAuditLog
    /// Check the database (`knot check`).
    case checkDatabase
    /// Export the clinic's records (`knot export`).
    case exportRecords
    /// Back up the database.
    case backup
    /// Restore a backup.
    case restore
    /// The retention report (records past their retention period).
    case retentionReport
    /// Import a whole-clinic export (signed visits, accounts, an audit trail).
    case importClinicExport
    /// Move the whole clinic to another store (`knot migrate-store --to`).
    case moveClinic

    /// Who may do what: the one table (a switch, so that a new action cannot be left out).
    /// A user may act when they hold any of the listed roles.
    public static func allowed(_ action: ClinicAction) -> Set<ClinicRole> {
        let everyone: Set<ClinicRole> = [.reception, .practitioner, .administrator]
        let desk: Set<ClinicRole> = [.reception, .practitioner]
        let clinical: Set<ClinicRole> = [.practitioner]
        let clinicalOrAdmin: Set<ClinicRole> = [.practitioner, .administrator]
        let admin: Set<ClinicRole> = [.administrator]
        switch action {
        case .initialize: return everyone
        case .loadDemo, .changeClinicSettings: return admin
        case .readTemplates: return clinicalOrAdmin
        case .listAccounts, .readClinicSettings: return everyone
        case .manageAccounts: return admin
        case .findPatients: return everyone
        case .registerPatient, .editPatient, .openChart, .addAlert: return desk
        case .reviewAlert: return clinical
        case .mergePatients: return clinicalOrAdmin
        case .readReferral, .resolveReferral, .recallList: return desk
        case .importReferrals: return everyone
        case .readClinicalNotes, .recordVisit, .signVisit, .amendVisit, .viewPlan, .changePlan, .needlingLog: return clinical
        case .keepFormDrafts, .verifyAudit, .checkDatabase, .anchorAudit: return everyone
        case .showClinicKey: return clinicalOrAdmin
        case .readAuditLog, .exportRecords, .backup: return clinicalOrAdmin
        case .restore, .retentionReport, .importClinicExport, .trustClinicKey, .moveClinic: return admin
        }
    }

    /// Whether a user holding `roles` may do it.
    public func isAllowed(for roles: Set<ClinicRole>) -> Bool {
        !Self.allowed(self).isDisjoint(with: roles)
    }

    /// Allowed without an account, and only while the database has no accounts at all (a clinic
    /// export, only into an empty database: moving a clinic to a new server).
    public var bootstraps: Bool { self == .initialize || self == .loadDemo || self == .importClinicExport }

    /// The action in the user's words, for refusals ("cannot read clinical notes").
    public var wording: String {
        switch self {
        case .initialize: "set up the clinic database"
        case .loadDemo: "load the demo clinic"
        case .changeClinicSettings: "change the clinic's settings"
        case .readClinicSettings: "read the clinic's settings"
        case .readTemplates: "read the clinic's letter templates"
        case .listAccounts: "list accounts"
        case .manageAccounts: "add, edit, deactivate or reactivate accounts"
        case .findPatients: "find patients"
        case .registerPatient: "register patients"
        case .editPatient: "edit patients' details"
        case .openChart: "open charts"
        case .addAlert: "add alerts"
        case .reviewAlert: "confirm or dismiss alerts"
        case .mergePatients: "merge patients"
        case .readReferral: "read referrals"
        case .importReferrals: "import referral letters"
        case .resolveReferral: "resolve referrals"
        case .recallList: "see the recall list"
        case .readClinicalNotes: "read clinical notes"
        case .recordVisit: "record visits"
        case .signVisit: "sign visits"
        case .amendVisit: "amend visits"
        case .viewPlan: "see follow-up plans"
        case .changePlan: "change follow-up plans"
        case .needlingLog: "read the needling log"
        case .keepFormDrafts: "keep unsaved forms"
        case .verifyAudit: "verify the audit trail"
        case .anchorAudit: "print the audit trail's anchor"
        case .showClinicKey: "see the clinic key"
        case .trustClinicKey: "trust another clinic's signing key"
        case .readAuditLog: "read the audit log"
        case .checkDatabase: "check the database"
        case .exportRecords: "export clinic records"
        case .backup: "back up the database"
        case .restore: "restore a backup"
        case .retentionReport: "see the retention report"
        case .importClinicExport: "import a clinic export"
        case .moveClinic: "move the clinic to another store"
        }
    }
}
