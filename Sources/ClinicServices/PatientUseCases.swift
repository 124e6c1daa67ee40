import Foundation
import ClinicModel
internal import ClinicStore

/// What the chart opens on: the patient, alerts, referrals with sessions left, the timeline.
public struct PatientChart: Sendable, Codable {
    /// The patient with alerts.
    public var patient: Patient
    /// The patient's referrals with sessions used.
    public var referrals: [ReferralStatus]
    /// Empty for reception users (clinical notes are not theirs to read).
    public var visits: [VisitSummary]
    /// The patient's age in whole years today.
    public var age: Int
    /// True when the user is reception: visits are withheld, not absent.
    public var clinicalNotesHidden: Bool
    /// The record this one was merged into (`knot patient merge`), when it was.
    public var mergedInto: PatientSummary?
    /// Outcome measures over the visits, one trend per scale (empty for reception users).
    public var outcomeTrends: [OutcomeTrend] = []
    /// Set when the record came from a clinic export this clinic could not trust (`--untrusted`).
    public var untrustedImport: UntrustedImport? = nil
    /// The precaution screen in force today (the latest that covers today, not struck out), so the
    /// chart shows what it found, with the practitioner's reasons; nil when none covers today, and
    /// for reception users (a screen is clinical).
    public var currentScreen: PrecautionScreen? = nil
}

extension ClinicSession {
    /// Registers a patient; record number assigned when empty.
    ///
    /// Refused with `PossibleDuplicatePatient` when a patient on file may be the same person
    /// (same identifier, or same date of birth and a similar name) unless `allowDuplicate`; an
    /// identifier already held by another patient is refused even then. The patient's fields are
    /// checked first: a value that breaks a rule (a control character in a name, a phone number
    /// with letters) is refused as such (`ValidationErrors`), never reported as a possible duplicate.
    /// An IHI or Medicare number is typed in here, so its check digit must match
    /// (`Patient.validateEnteredIdentifiers`).
    public func addPatient(_ patient: Patient, today: LocalDate = .today(), allowDuplicate: Bool = false) throws -> Patient {
        try authorize(.registerPatient)
        // Every field as the store will check it, but an empty record number: the store assigns one.
        var broken: [ValidationError] = []
        do {
            try patient.validate(today: today)
        } catch {
            broken = error.errors.filter { !(patient.recordNumber.isEmpty && $0.field == "recordNumber") }
        }
        do { try patient.validateEnteredIdentifiers() } catch {
            broken += error.errors.filter { !broken.contains($0) }
        }
        if !broken.isEmpty { throw ValidationErrors(broken) }
        return try database.write { tx in
            if !allowDuplicate {
                let candidates = try tx.duplicateCandidates(of: patient)
                if !candidates.isEmpty { throw PossibleDuplicatePatient(patient: patient, candidates: candidates) }
            }
            return try tx.insertPatient(patient, actor: actor, today: today)
        }
    }

    /// Changes demographics with `change` applied to the stored patient.
    ///
    /// An identifier the change adds (typed in) must pass its check digit; one already on file
    /// is kept as it is, even if it was entered before that rule and fails it.
    public func editPatient(key: String, today: LocalDate = .today(), _ change: (inout Patient) throws -> Void) throws -> Patient {
        try authorize(.editPatient)
        return try database.write { tx in
            guard var p = try tx.patient(key: key) else { throw ServiceError.notFound("no patient '\(key)'") }
            let stored = p.identifiers
            try change(&p)
            try p.validateEnteredIdentifiers(keeping: stored)
            try tx.updatePatient(p, actor: actor, today: today)
            return try tx.patient(id: p.id!)!
        }
    }

    /// The first `limit` patients by name (archived ones only when asked for).
    /// - Throws: `ServiceError.forbidden` when the user may not find patients.
    public func listPatients(includeArchived: Bool = false, limit: Int = 500) throws -> [PatientSummary] {
        try authorize(.findPatients)
        return try database.read { tx in try tx.patientSummaries(includeArchived: includeArchived, limit: limit) }
    }

    /// How many patients are on file (a count, not a listing).
    public func patientCount(includeArchived: Bool = false) throws -> Int {
        try authorize(.findPatients)
        return try database.read { tx in try tx.patientCount(includeArchived: includeArchived) }
    }

    /// Patients whose fields prefix-match every word of `query`, at most `limit`.
    /// - Throws: `ServiceError.forbidden` when the user may not find patients.
    public func searchPatients(_ query: String, includeArchived: Bool = false, limit: Int = 50) throws -> [PatientSummary] {
        try authorize(.findPatients)
        return try database.read { tx in try tx.searchPatients(query, includeArchived: includeArchived, limit: limit) }
    }

    /// Opens a chart (audited as a view).
    public func chart(key: String, today: LocalDate = .today()) throws -> PatientChart {
        try authorize(.openChart)
        let clinicalNotesHidden = !may(.readClinicalNotes)
        return try database.write { tx in
            guard let p = try tx.patient(key: key) else { throw ServiceError.notFound("no patient '\(key)'") }
            try tx.auditView(patientID: p.id!, actor: actor)
            let visits = clinicalNotesHidden ? [] : try amendedSummaries(tx, patientID: p.id!).map(\.summary)
            let mergedInto = try tx.mergedInto(patientID: p.id!).flatMap { try tx.patient(id: $0) }.map(PatientSummary.init)
            var outcomes: [(visitID: Int64?, date: LocalDate, outcomes: [OutcomeMeasure])] = []
            if !clinicalNotesHidden {
                for row in try tx.outcomes(patientID: p.id!) {
                    if outcomes.last?.visitID == row.visitID { outcomes[outcomes.count - 1].outcomes.append(row.measure) } else {
                        outcomes.append((row.visitID, LocalDate(row.startedAt), [row.measure]))
                    }
                }
            }
            let currentScreen = clinicalNotesHidden ? nil : try tx.screens(patientID: p.id!).filter { $0.covers(today) }
                .max { ($0.recordedAt, $0.id ?? 0) < ($1.recordedAt, $1.id ?? 0) }
            return PatientChart(patient: p, referrals: try tx.referralStatuses(patientID: p.id!), visits: visits,
                                age: p.age(on: today), clinicalNotesHidden: clinicalNotesHidden, mergedInto: mergedInto,
                                outcomeTrends: OutcomeTrend.trends(outcomes),
                                untrustedImport: try tx.untrustedImport(entity: "patient", id: p.id!), currentScreen: currentScreen)
        }
    }

    /// Confirms or dismisses a (proposed) alert.
    ///
    /// A dismissal needs `reason`: at least a few words saying why the alert does not apply
    /// (`PatientAlert.checkedDismissReason`), since a dismissed proposed precaution no longer
    /// stops the screen answering it absent. The reason is stored on the alert and audited.
    /// Refused with a `ValidationError` (field `reason`) before anything is written.
    public func setAlert(id: Int64, status: AlertStatus, reason: String? = nil) throws {
        try authorize(.reviewAlert)
        let dismissReason = status == .dismissed ? try PatientAlert.checkedDismissReason(reason) : nil
        try database.write { tx in try tx.setAlertStatus(alertID: id, status: status, dismissReason: dismissReason, actor: actor) }
    }

    /// One of a patient's alerts as it stands (nil when the patient has no such alert), for
    /// saying what a review changed. Not audited as a view: demographics, like the alert list.
    public func alert(id: Int64, patientID: Int64) throws -> PatientAlert? {
        try authorize(.openChart)
        return try database.read { tx in try tx.patient(id: patientID)?.alerts.first { $0.id == id } }
    }

    /// Adds an alert to a patient.
    public func addAlert(patientKey: String, alert: PatientAlert) throws -> PatientAlert {
        try authorize(.addAlert)
        return try database.write { tx in
            guard let p = try tx.patient(key: patientKey) else { throw ServiceError.notFound("no patient '\(patientKey)'") }
            return try tx.insertAlert(alert, patientID: p.id!, actor: actor)
        }
    }

    /// With `osUser`, the account is bound to that operating-system login in the same transaction.
    public func addPractitioner(_ p: Practitioner, osUser: String? = nil) throws -> Practitioner {
        try authorize(.manageAccounts)
        try checkGrant(ClinicRole.held(by: p), to: p.handle)
        if let osUser, !OperatingSystemUser.isValid(osUser) {
            throw ServiceError.input("--os-user '\(osUser)' is not a login name (1-64 letters, digits, '.', '_', '-')")
        }
        return try database.write { tx in
            let saved = try tx.insertPractitioner(p.withRegistrationNormalised(), actor: actor)
            if let osUser, let id = saved.id { try tx.setOSUser(practitionerID: id, osUser: osUser, actor: actor) }
            return saved
        }
    }

    /// Changes a practitioner's details (training on file, registration...).
    public func editPractitioner(handle: String, _ change: (inout Practitioner) throws -> Void) throws -> Practitioner {
        try authorize(.manageAccounts)
        return try database.write { tx in
            guard var p = try tx.practitioner(handle: handle) else { throw ServiceError.notFound("no practitioner '\(handle)'") }
            let before = ClinicRole.held(by: p), old = p
            try change(&p)
            p = p.withRegistrationNormalised()
            try checkGrant(ClinicRole.held(by: p).subtracting(before), to: p.handle)
            try tx.updatePractitioner(p, actor: actor, detail: Self.accountChanges(from: old, to: p))
            return p
        }
    }

    /// What an edit changed, for the audit trail: the fields, and a registration as a letter
    /// will sign with it (public register data, no patient data); nil when nothing changed.
    static func accountChanges(from old: Practitioner, to new: Practitioner) -> String? {
        var said: [String] = []
        if old.name != new.name { said.append("name") }
        if old.profession != new.profession { said.append("profession \(new.profession.rawValue)") }
        if old.registrationBody != new.registrationBody || old.registrationNumber != new.registrationNumber {
            said.append(new.registrationWording ?? "registration removed")
        }
        if old.providerNumber != new.providerNumber { said.append(new.providerNumber.map { "provider number \($0)" } ?? "provider number removed") }
        if old.isAdministrator != new.isAdministrator { said.append(new.isAdministrator ? "made administrator" : "no longer administrator") }
        if old.dryNeedlingTraining != new.dryNeedlingTraining { said.append("dry-needling training") }
        return said.isEmpty ? nil : said.joined(separator: "; ")
    }

    /// One account by handle (`knot practitioner show`).
    public func practitioner(handle: String) throws -> Practitioner {
        try authorize(.listAccounts)
        guard let p = try database.read({ tx in try tx.practitioner(handle: handle) }) else {
            throw ServiceError.notFound("no practitioner '\(handle)'")
        }
        return p
    }

    /// Every practitioner and reception account.
    /// - Throws: `ServiceError.forbidden` when the user may not list accounts.
    public func practitioners() throws -> [Practitioner] {
        try authorize(.listAccounts)
        return try database.read { tx in try tx.practitioners() }
    }
}

extension ClinicSession {
    /// A referral with its original letter (audited as a view of the patient's record).
    public func referral(id: Int64) throws -> Referral {
        try authorize(.readReferral)
        return try database.write { tx in
            guard let r = try tx.referral(id: id, withLetter: true) else { throw ServiceError.notFound("no referral \(id)") }
            try tx.auditView(patientID: r.patientID, actor: actor, what: "referral \(id)")
            return r
        }
    }

    /// A patient's referrals with sessions used and left.
    public func referrals(patientKey: String) throws -> (Patient, [ReferralStatus]) {
        try authorize(.readReferral)
        return try database.read { tx in
            guard let p = try tx.patient(key: patientKey) else { throw ServiceError.notFound("no patient '\(patientKey)'") }
            return (p, try tx.referralStatuses(patientID: p.id!))
        }
    }
}
