import Foundation
import ClinicModel
import ClinicStore

/// What the chart opens on: the patient, alerts, referrals with sessions left, the timeline.
public struct PatientChart: Sendable, Codable {
    public var patient: Patient
    public var referrals: [ReferralStatus]
    /// Empty for reception users (clinical notes are not theirs to read).
    public var visits: [VisitSummary]
    public var age: Int
    /// True when the user is reception: visits are withheld, not absent.
    public var clinicalNotesHidden: Bool
    /// The record this one was merged into (`knot patient merge`), when it was.
    public var mergedInto: PatientSummary?
}

/// A registration refused because patients on file may be the same person: same identifier,
/// or the same date of birth and a similar name. The user confirms (`--allow-duplicate`, or
/// yes in the front end) or uses the record already there.
public struct PossibleDuplicatePatient: Error, Sendable, CustomStringConvertible {
    /// Who was being registered (not saved).
    public var patient: Patient
    public var candidates: [DuplicateCandidate]

    /// Whether a candidate holds one of the same identifiers (which no confirmation can share).
    public var sharesIdentifier: Bool { candidates.contains { $0.reasons.contains { $0.hasPrefix("same ") && $0.contains(" identifier ") } } }

    /// One line per candidate: record number, name, date of birth, and why.
    public var candidateLines: [String] {
        candidates.map { c in
            "\(c.patient.recordNumber)  \(c.patient.displayName)\(c.patient.archived ? " (archived)" : "")  born \(c.patient.dateOfBirth)  (\(c.reasons.joined(separator: "; ")))"
        }
    }

    public var description: String {
        "\(patient.familyName), \(patient.givenNames) born \(patient.dateOfBirth) may already be registered (nothing was saved):\n"
            + candidateLines.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// What `knot patient merge` did: the record kept, the record merged into it, rows moved per table.
public struct PatientMergeSummary: Sendable, Codable {
    public var kept: PatientSummary
    public var merged: PatientSummary
    /// Rows moved from the merged record to the kept one, per table (tables with none left out).
    public var moved: [String: Int]
}

extension ClinicSession {
    /// Registers a patient; record number assigned when empty.
    ///
    /// Refused with `PossibleDuplicatePatient` when a patient on file may be the same person
    /// (same identifier, or same date of birth and a similar name) unless `allowDuplicate`; an
    /// identifier already held by another patient is refused even then.
    public func addPatient(_ patient: Patient, today: LocalDate = .today(), allowDuplicate: Bool = false) throws -> Patient {
        try authorize(.registerPatient)
        return try database.write { tx in
            if !allowDuplicate {
                let candidates = try tx.duplicateCandidates(of: patient)
                if !candidates.isEmpty { throw PossibleDuplicatePatient(patient: patient, candidates: candidates) }
            }
            return try tx.insertPatient(patient, actor: actor, today: today)
        }
    }

    /// Patients on file who may be the same person as `patient` (nothing is saved or audited).
    public func duplicateCandidates(of patient: Patient) throws -> [DuplicateCandidate] {
        try database.read { tx in try tx.duplicateCandidates(of: patient) }
    }

    /// Joins two records of one person: every row of OTHER (visits, signed or not, referrals,
    /// alerts, consents, screens, identifiers, form drafts...) moves to KEEP; OTHER is archived
    /// and marked merged into KEEP, never deleted; both are audited. One transaction.
    ///
    /// Refused when the two hold different identifiers of one system (two Medicare numbers),
    /// when either is already merged, or when one user has unsaved forms for the details or a
    /// new alert of both (they could not both be kept).
    public func mergePatients(keepKey: String, otherKey: String) throws -> PatientMergeSummary {
        try authorize(.mergePatients)
        return try database.write { tx in
            guard let keep = try tx.patient(key: keepKey) else { throw ServiceError.notFound("no patient '\(keepKey)'") }
            guard let other = try tx.patient(key: otherKey) else { throw ServiceError.notFound("no patient '\(otherKey)'") }
            let action = "merge \(other.recordNumber) into \(keep.recordNumber)"
            var reasons: [String] = []
            if keep.id == other.id { reasons.append("\(keepKey) and \(otherKey) are the same record") }
            if let into = try tx.mergedInto(patientID: keep.id!) {
                reasons.append("\(keep.recordNumber) was itself merged into patient \(into); keep that record instead")
            }
            if let into = try tx.mergedInto(patientID: other.id!) {
                reasons.append("\(other.recordNumber) was already merged into patient \(into)")
            }
            var systems: [PatientIdentifier.System] = []
            for i in other.identifiers where !systems.contains(i.system) { systems.append(i.system) }
            for system in systems {
                let kept = keep.identifiers.filter { $0.system == system }.map(\.value)
                let merged = other.identifiers.filter { $0.system == system }.map(\.value)
                if !kept.isEmpty, Set(kept) != Set(merged) {
                    reasons.append("two different \(system.rawValue) identifiers: \(keep.recordNumber) has \(kept.joined(separator: ", ")), \(other.recordNumber) has \(merged.joined(separator: ", ")); correct the wrong one first")
                }
            }
            // A details form typed for OTHER reopens on KEEP's details (the typing stays); a
            // new-alert form names its patient inside and cannot follow, so it must be saved first.
            let drafts = try tx.formDraftOverview()
            let detailsOnKeep = Set(drafts.filter { $0.slot == .patient(keep.id!) }.map(\.actor))
            for actor in Set(drafts.filter { $0.slot == .patient(other.id!) }.map(\.actor)).intersection(detailsOnKeep).sorted() {
                reasons.append("\(actor) has unsaved details forms open on both records; save or discard one first")
            }
            for actor in Set(drafts.filter { $0.slot == .alert(other.id!) }.map(\.actor)).sorted() {
                reasons.append("\(actor) has an unsaved new-alert form open on \(other.recordNumber); save or discard it first")
            }
            if !reasons.isEmpty { throw ServiceError.refused(action: action, reasons: reasons) }
            let before = try tx.rowsBelonging(toPatient: other.id!)
            let total = before.values.reduce(0, +)
            let moved = try tx.mergePatient(keepID: keep.id!, otherID: other.id!, actor: actor,
                                            detail: "merged patient \(other.id!) (\(other.recordNumber)) into this record: \(total) row(s) moved")
            let after = try tx.rowsBelonging(toPatient: other.id!)
            guard after.values.allSatisfy({ $0 == 0 }) else {
                throw ServiceError.refused(action: action, reasons: ["some rows could not be moved; nothing was changed"])
            }
            return PatientMergeSummary(kept: PatientSummary(try tx.patient(id: keep.id!)!), merged: PatientSummary(try tx.patient(id: other.id!)!),
                                       moved: moved.filter { $0.value > 0 })
        }
    }

    /// Changes demographics with `change` applied to the stored patient.
    public func editPatient(key: String, today: LocalDate = .today(), _ change: (inout Patient) throws -> Void) throws -> Patient {
        try authorize(.editPatient)
        return try database.write { tx in
            guard var p = try tx.patient(key: key) else { throw ServiceError.notFound("no patient '\(key)'") }
            try change(&p)
            try tx.updatePatient(p, actor: actor, today: today)
            return try tx.patient(id: p.id!)!
        }
    }

    public func listPatients(includeArchived: Bool = false, limit: Int = 500) throws -> [PatientSummary] {
        try authorize(.findPatients)
        return try database.read { tx in try tx.patientSummaries(includeArchived: includeArchived, limit: limit) }
    }

    /// How many patients are on file (a count, not a listing).
    public func patientCount(includeArchived: Bool = false) throws -> Int {
        try authorize(.findPatients)
        return try database.read { tx in try tx.patientCount(includeArchived: includeArchived) }
    }

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
            return PatientChart(patient: p, referrals: try tx.referralStatuses(patientID: p.id!), visits: visits,
                                age: p.age(on: today), clinicalNotesHidden: clinicalNotesHidden, mergedInto: mergedInto)
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

    public func addPractitioner(_ p: Practitioner) throws -> Practitioner {
        try authorize(.manageAccounts)
        try checkGrant(ClinicRole.held(by: p), to: p.handle)
        return try database.write { tx in try tx.insertPractitioner(p, actor: actor) }
    }

    /// Changes a practitioner's details (training on file, registration...).
    public func editPractitioner(handle: String, _ change: (inout Practitioner) throws -> Void) throws -> Practitioner {
        try authorize(.manageAccounts)
        return try database.write { tx in
            guard var p = try tx.practitioner(handle: handle) else { throw ServiceError.notFound("no practitioner '\(handle)'") }
            let before = ClinicRole.held(by: p)
            try change(&p)
            try checkGrant(ClinicRole.held(by: p).subtracting(before), to: p.handle)
            try tx.updatePractitioner(p, actor: actor)
            return p
        }
    }

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
