import Foundation
import ClinicModel

extension ClinicSession {
    /// Records a completed outcome measure (LEFS, NDI, ODI, VISA-A, QuickDASH) at a draft visit.
    ///
    /// The item scores are checked against the published scoring before anything is written; a
    /// signed visit is refused (its measures, like its other entries, are only amended).
    public func addOutcome(visitID: Int64, _ measure: OutcomeMeasure) throws -> OutcomeMeasure {
        try authorize(.recordVisit)
        try measure.validate()
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add an outcome measure")
            return try tx.insertOutcome(measure, visitID: visitID, actor: actor, preservingID: false)
        }
    }

    /// Records (or, with nil, clears) the clinical impression / working diagnosis of a draft visit.
    public func setImpression(visitID: Int64, _ impression: ClinicalImpression?) throws -> Visit {
        try authorize(.recordVisit)
        try impression?.validate()
        return try database.write { tx in
            var v = try draftVisit(tx, visitID, for: "record the impression")
            v.impression = impression
            try tx.updateVisitHeader(v, expectedRevision: nil, actor: actor)
            return v
        }
    }

    /// A patient's outcome measures over time, oldest first, one trend per scale with at least one
    /// score (signed visits and drafts, as `knot history` lists visits).
    public func outcomeTrends(patientKey: String) throws -> (Patient, [OutcomeTrend]) {
        try authorize(.readClinicalNotes)
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            try tx.auditView(patientID: p.id!, actor: actor, what: "outcome measures")
            return (p, OutcomeTrend.trends(in: try tx.visits(patientID: p.id!)))
        }
    }
}
