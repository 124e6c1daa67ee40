import Foundation
import GRDB
import ClinicModel

/// Amendments of signed visits: recorded, and read per visit or per patient.
extension StoreTransaction {
    @discardableResult
    public func insertAmendment(_ a: Amendment, actor: String, preservingID: Bool = false) throws -> Amendment {
        if !modelChecked { do { try a.validate() } catch { throw StoreError.invalid(error) } }
        var a = a
        a.amendedAt = Self.truncated(a.amendedAt)
        // The patient is looked up for the audit event only (none while per-row audit is off: an import).
        let pid = rowAudit ? try patientID(visitID: a.visitID) : nil
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO amendment (id, visit_id, practitioner_id, amended_at, reason, changes_json) VALUES (?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(preservingID ? a.id : nil); insert.int(a.visitID); insert.int(a.practitionerID)
        insert.value(StoredDateText.databaseValue(a.amendedAt)); insert.text(a.reason); insert.text(try encode(a.changes))
        try insert.execute()
        a.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .amend, entity: "visit", entityID: a.visitID, patientID: pid, detail: "amendment \(a.id!)"))
        return a
    }

    public func amendments(visitID: Int64) throws -> [Amendment] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM amendment WHERE visit_id = ? ORDER BY id"), arguments: [visitID]).map(amendment)
    }

    public func amendments(patientID: Int64) throws -> [Amendment] {
        try Row.mapEach(db.cachedStatement(sql: "SELECT a.* FROM amendment a JOIN visit v ON v.id = a.visit_id WHERE v.patient_id = ? ORDER BY a.id"), arguments: [patientID], amendment)
    }

    func amendment(_ row: Row) throws -> Amendment {
        let r = row.checked("amendment")
        return try Amendment(id: r["id"], visitID: r["visit_id"], practitionerID: r["practitioner_id"], amendedAt: r["amended_at"],
                             reason: r["reason"], changes: r.json([Amendment.Change].self, "changes_json"))
    }
}
