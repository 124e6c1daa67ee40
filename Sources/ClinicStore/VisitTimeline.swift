import Foundation
import GRDB
import ClinicModel

/// A patient's visit timeline, with the complaint and pain as last amended.
extension StoreTransaction {
    /// The visit timeline of a patient, newest first.
    ///
    /// The complaint and pain now are as last amended (the list, the pain trend and `knot
    /// history` show the corrected note; the visit itself keeps the signed original beside its
    /// amendments).
    public func visitSummaries(patientID: Int64) throws -> [VisitSummary] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.id, v.patient_id, v.practitioner_id, v.started_at, v.status,
              coalesce((\(Self.amendedValue("complaint"))), v.complaint) AS complaint,
              coalesce(CAST((\(Self.amendedValue("pain.now"))) AS INTEGER), v.pain_now) AS pain_now,
              coalesce((SELECT sum(inserted) FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL), 0) AS ins,
              coalesce((SELECT sum(removed) FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL), 0) AS rem,
              (SELECT count(*) FROM amendment a WHERE a.visit_id = v.id) AS amendments
            FROM visit v WHERE v.patient_id = ? ORDER BY v.started_at DESC, v.id DESC
            """), arguments: [patientID]).map { row in
            let r = row.checked("visit")
            return try VisitSummary(id: r["id"], patientID: r["patient_id"], practitionerID: r["practitioner_id"], startedAt: r["started_at"],
                                    status: r.enumeration("status"), complaint: r["complaint"], painNow: r["pain_now"],
                                    needlesInserted: r.count("ins"), needlesRemoved: r.count("rem"), amendments: r["amendments"])
        }
    }

    /// The value of `field` after the visit's latest amendment that changed it (SQL over the
    /// amendments' JSON; NULL when none did, or when it left the field blank, so the signed value
    /// shows).
    static func amendedValue(_ field: String) -> String {
        """
        SELECT nullif(json_extract(c.value, '$.after'), '') FROM amendment a, json_each(a.changes_json) c
        WHERE a.visit_id = v.id AND json_extract(c.value, '$.field') = '\(field)' ORDER BY a.id DESC, c.key DESC LIMIT 1
        """
    }
}
