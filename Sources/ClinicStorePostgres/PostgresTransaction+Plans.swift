import Foundation
import ClinicModel
import PostgresNIO

/// Follow-up plans on PostgreSQL, as the SQLite store keeps them (Sources/ClinicStore/Visits.swift):
/// each save is a new version for its visit; a final version is never changed or deleted
/// (`plan_final_immutable`, `plan_no_delete`).
extension PostgresTransaction {
    /// Stores a plan as a new version for its visit.
    @discardableResult
    public func insertPlan(_ plan: FollowUpPlan, actor: String, preservingID: Bool) throws -> FollowUpPlan {
        do { try plan.validate() } catch { throw PostgresStoreError.invalid(error) }
        var p = plan
        p.createdAt = AuditChain.truncated(p.createdAt)
        let patient = try patientID(visitID: p.visitID)
        if !preservingID {
            // The visit's row is locked so two sessions saving at once get versions n and n + 1.
            try execute("SELECT id FROM visit WHERE id = \(p.visitID) FOR UPDATE")
            p.version = try value("SELECT coalesce(max(version), 0) + 1 FROM follow_up_plan WHERE visit_id = \(p.visitID)",
                                  as: Int.self, table: "follow_up_plan") ?? 1
        }
        p.id = try insertReturningID("""
            INSERT INTO follow_up_plan (id, visit_id, version, status, created_at, review_date, items_json)
            VALUES (coalesce(\(preservingID ? p.id : nil), nextval(pg_get_serial_sequence('follow_up_plan', 'id'))),
                    \(p.visitID), \(p.version), \(p.status.rawValue), \(PGText.timestamp(p.createdAt)), \(p.reviewDate?.description),
                    \(try PGJSON.encode(p.items)))
            RETURNING id
            """, table: "follow_up_plan")
        if preservingID { try advanceIdentity("follow_up_plan") }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "plan", entityID: p.id, patientID: patient,
                                   detail: "version \(p.version) \(p.status.rawValue)"))
        return p
    }

    /// A visit's plan versions, oldest first.
    public func plans(visitID: Int64) throws -> [FollowUpPlan] {
        try query("""
            SELECT id, visit_id, version, status, created_at, review_date, items_json FROM follow_up_plan
            WHERE visit_id = \(visitID) ORDER BY version
            """).map { row in
            let t = "follow_up_plan"
            let (id, visitID, version, status, createdAt, reviewDate, items) = try decode(
                row, (Int64, Int64, Int, String, String, String?, String).self, table: t)
            let decoded: [FollowUpPlan.Item]
            do { decoded = try PGJSON.decoder.decode([FollowUpPlan.Item].self, from: Data(items.utf8)) } catch {
                throw PostgresStoreError.damaged(table: t, row: String(id), column: "items_json", problem: "is not valid JSON for this column")
            }
            return FollowUpPlan(id: id, visitID: visitID, version: version,
                                status: try enumeration(status, table: t, row: id, column: "status"),
                                createdAt: try timestamp(createdAt, table: t, row: id, column: "created_at"),
                                reviewDate: try reviewDate.map { try localDate($0, table: t, row: id, column: "review_date") },
                                items: decoded)
        }
    }
}
