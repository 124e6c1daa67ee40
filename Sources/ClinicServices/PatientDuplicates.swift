import Foundation
import ClinicModel
internal import ClinicStore

/// A registration refused because patients on file may be the same person: same identifier,
/// or the same date of birth and a similar name. The user confirms (`--allow-duplicate`, or
/// yes in the front end) or uses the record already there.
public struct PossibleDuplicatePatient: Error, Sendable, CustomStringConvertible {
    /// Who was being registered (not saved).
    public var patient: Patient
    /// Patients on file who may be the same person, with the reasons.
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
    /// The record kept.
    public var kept: PatientSummary
    /// The record merged into it.
    public var merged: PatientSummary
    /// Rows moved from the merged record to the kept one, per table (tables with none left out).
    public var moved: [String: Int]
}

extension ClinicSession {
    /// Patients on file who may be the same person as `patient` (nothing is saved or audited).
    /// Those who may find patients only: it names them.
    public func duplicateCandidates(of patient: Patient) throws -> [DuplicateCandidate] {
        try authorize(.findPatients)
        return try database.read { tx in try tx.duplicateCandidates(of: patient) }
    }

    /// Joins two records of one person: every row of OTHER (visits, signed or not, referrals,
    /// alerts, consents, screens, identifiers, form drafts...) moves to KEEP; OTHER is archived
    /// and marked merged into KEEP, never deleted; both are audited. One transaction.
    ///
    /// Refused when the two hold different identifiers of one system (two Medicare numbers),
    /// when either is already merged, when one user has unsaved details forms open on both
    /// records (they could not both be kept), or when a new-alert form waits on OTHER.
    ///
    /// Signed visits are immutable in the schema; the `v5-patient-merge` trigger lets a signed
    /// visit change its patient, and nothing else, only to the patient its own patient is
    /// marked merged into, and the mark is set (audited) first in this same transaction.
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
}
