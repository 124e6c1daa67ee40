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

    /// Records, replaces or (with nil) clears the clinical impression / working diagnosis of a
    /// draft visit; the audit trail says which (a signed visit's impression is amended instead).
    public func setImpression(visitID: Int64, _ impression: ClinicalImpression?) throws -> Visit {
        try authorize(.recordVisit)
        try impression?.validate()
        return try database.write { tx in
            var v = try draftVisit(tx, visitID, for: impression == nil ? "clear the impression" : "record the impression")
            try tx.updateImpression(impression, visitID: visitID, actor: actor)
            v.impression = impression
            return v
        }
    }

    /// Strikes an outcome measure recorded by mistake out of a draft, with the reason
    /// (required): kept, marked, and left out of the note, the trends, plans, letters and
    /// exports. A wrong score is corrected by striking it and recording the measure again.
    public func strikeOutcome(visitID: Int64, number: Int, reason: String, at: Date = Date()) throws -> StruckEntry {
        let (kind, id) = try draftEntry(visitID: visitID, section: .outcomes, number: number)
        return try strikeEntry(visitID: visitID, kind: kind, id: id, reason: reason, at: at)
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
