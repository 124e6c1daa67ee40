import Foundation
import GRDB
import ClinicModel

/// The recall list: patients whose planned review is due.
extension StoreTransaction {
    /// The latest final plan's review date per patient, due on or before `dueBy`, for the recall list.
    public func reviewsDue(by dueBy: LocalDate) throws -> [PlannedReview] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.summaryColumns), d.rd AS rd, d.vid AS vid FROM patient p" + """
             JOIN (SELECT v.patient_id AS pid, f.review_date AS rd, f.visit_id AS vid,
                          row_number() OVER (PARTITION BY v.patient_id ORDER BY v.started_at DESC, f.version DESC) AS rn
                   FROM follow_up_plan f JOIN visit v ON v.id = f.visit_id
                   WHERE f.status = 'final' AND f.review_date IS NOT NULL) d ON d.pid = p.id AND d.rn = 1
            WHERE p.archived = 0 AND d.rd <= ?
              AND NOT EXISTS (SELECT 1 FROM visit later JOIN visit planned ON planned.id = d.vid
                              WHERE later.patient_id = p.id AND later.started_at > planned.started_at)
            ORDER BY d.rd, p.sort_name
            """), arguments: [dueBy]).map { r in
                let plan = r.checked("follow_up_plan", key: "vid")
                return try PlannedReview(patient: Self.summary(r), reviewDate: plan["rd"], visitID: plan["vid"])
            }
    }
}
