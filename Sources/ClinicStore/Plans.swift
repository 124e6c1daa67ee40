import Foundation
import GRDB
import ClinicModel

/// Follow-up plans: each stored as a new version for its visit.
extension StoreTransaction {
    /// Stores a plan as a new version for its visit.
    @discardableResult
    public func insertPlan(_ plan: FollowUpPlan, actor: String, preservingID: Bool = false) throws -> FollowUpPlan {
        if !modelChecked { do { try plan.validate() } catch { throw StoreError.invalid(error) } }
        var p = plan
        p.createdAt = Self.truncated(p.createdAt)
        // The patient is looked up for the audit event only (none while per-row audit is off: an import).
        let pid = rowAudit ? try patientID(visitID: p.visitID) : nil
        if !preservingID {
            p.version = (try Int.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(version), 0) + 1 FROM follow_up_plan WHERE visit_id = ?"), arguments: [p.visitID])) ?? 1
        }
        var insert = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO follow_up_plan (id, visit_id, version, status, created_at, review_date, items_json) VALUES (?, ?, ?, ?, ?, ?, ?)"), direct: scratch.directSteps)
        insert.int(preservingID ? p.id : nil); insert.int(p.visitID); insert.int(p.version); insert.text(p.status.rawValue)
        insert.value(StoredDateText.databaseValue(p.createdAt)); insert.value(p.reviewDate.databaseValue); insert.text(VisitColumnsJSON.planItems(p.items))
        try insert.execute()
        p.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "plan", entityID: p.id, patientID: pid, detail: "version \(p.version) \(p.status.rawValue)"))
        return p
    }

    public func plans(visitID: Int64) throws -> [FollowUpPlan] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM follow_up_plan WHERE visit_id = ? ORDER BY version"), arguments: [visitID]).map(plan)
    }

    public func plans(patientID: Int64) throws -> [FollowUpPlan] {
        try Row.mapEach(db.cachedStatement(sql: "SELECT f.* FROM follow_up_plan f JOIN visit v ON v.id = f.visit_id WHERE v.patient_id = ? ORDER BY f.visit_id, f.version"), arguments: [patientID], plan)
    }

    func plan(_ row: Row) throws -> FollowUpPlan {
        let r = row.checked("follow_up_plan")
        return try FollowUpPlan(id: r["id"], visitID: r["visit_id"], version: r["version"], status: r.enumeration("status"),
                                createdAt: r["created_at"], reviewDate: r["review_date"], items: r.json([FollowUpPlan.Item].self, "items_json"))
    }
}
