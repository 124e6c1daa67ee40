import Foundation
import ClinicModel
import PostgresNIO

/// The recall list: patients whose planned review is due, as the SQLite store gives it
/// (Sources/ClinicStore/Recall.swift).
extension PostgresTransaction {
    /// The latest final plan's review date per patient, due on or before `dueBy`, for the recall list.
    public func reviewsDue(by dueBy: LocalDate) throws -> [PlannedReview] {
        try query("""
            SELECT \(unescaped: Self.summaryColumns), d.rd, d.vid FROM patient p
            JOIN (SELECT v.patient_id AS pid, f.review_date AS rd, f.visit_id AS vid,
                         row_number() OVER (PARTITION BY v.patient_id ORDER BY v.started_at DESC, f.version DESC) AS rn
                  FROM follow_up_plan f JOIN visit v ON v.id = f.visit_id
                  WHERE f.status = 'final' AND f.review_date IS NOT NULL) d ON d.pid = p.id AND d.rn = 1
            WHERE p.archived = 0 AND d.rd <= \(dueBy.description)
              AND NOT EXISTS (SELECT 1 FROM visit later JOIN visit planned ON planned.id = d.vid
                              WHERE later.patient_id = p.id AND later.started_at > planned.started_at)
            ORDER BY d.rd, p.sort_name, p.id
            """).map { row in
            let c = row.makeRandomAccess()
            let visitID = try column(c, "vid", Int64.self, table: "follow_up_plan")
            let date = try localDate(try column(c, "rd", String.self, table: "follow_up_plan"), table: "follow_up_plan",
                                     row: visitID, column: "review_date")
            return PlannedReview(patient: try summary(row), reviewDate: date, visitID: visitID)
        }
    }
}
