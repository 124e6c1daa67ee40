import Foundation
import GRDB
import ClinicModel

/// A patient's alerts (precautions, allergies, other): added, confirmed or dismissed, and read.
extension StoreTransaction {
    /// Adds an alert to a patient (audited when `actor` is given).
    @discardableResult
    public func insertAlert(_ alert: PatientAlert, patientID: Int64, actor: String?) throws -> PatientAlert {
        let (kind, precaution): (String, String?) = switch alert.kind {
        case .precaution(let p): ("precaution", p.rawValue)
        case .allergy: ("allergy", nil)
        case .other: ("other", nil)
        }
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO patient_alert (patient_id, kind, precaution, text, status, source, created_at, dismiss_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(patientID); insert.text(kind); insert.text(precaution); insert.text(alert.text); insert.text(alert.status.rawValue)
        insert.text(alert.source); insert.value(StoredDateText.databaseValue(Date())); insert.text(alert.status == .dismissed ? alert.dismissReason : nil)
        try insert.execute()
        var a = alert
        a.id = lastID()
        if let actor {
            try appendAudit(AuditEvent(actor: actor, action: .create, entity: "alert", entityID: a.id, patientID: patientID))
        }
        return a
    }

    /// Confirms or dismisses an alert (a proposed alert from a referral, typically).
    ///
    /// A dismissal keeps `dismissReason` on the alert and in the audit event's detail
    /// ("dismissed: REASON"); SQLite refuses a dismissal without one. Any other status clears
    /// the reason (the audit trail keeps it).
    public func setAlertStatus(alertID: Int64, status: AlertStatus, dismissReason: String? = nil, actor: String) throws {
        guard let pid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT patient_id FROM patient_alert WHERE id = ?"), arguments: [alertID]) else {
            throw StoreError.notFound(entity: "alert", key: String(alertID))
        }
        let reason = status == .dismissed ? dismissReason : nil
        try db.cachedStatement(sql: "UPDATE patient_alert SET status = ?, dismiss_reason = ? WHERE id = ?")
            .execute(arguments: [status.rawValue, reason, alertID])
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "alert", entityID: alertID, patientID: pid,
                                   detail: reason.map { "\(status.rawValue): \($0)" } ?? status.rawValue))
    }

    /// A patient's alerts, in the order they were added.
    func alerts(patientID id: Int64) throws -> [PatientAlert] {
        try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM patient_alert WHERE patient_id = ? ORDER BY id"), arguments: [id]) { row in
            let r = row.checked("patient_alert")
            let kind: PatientAlert.Kind
            let code: String = try r["kind"]
            switch code {
            case "precaution": kind = .precaution(try r.enumeration("precaution"))
            case "allergy": kind = .allergy
            case "other": kind = .other
            default: throw r.damaged("kind", "\(CheckedRow.quoted(code)) is not a known kind of alert")
            }
            return try PatientAlert(id: r["id"], kind: kind, text: r["text"], status: r.enumeration("status"), source: r["source"],
                                    dismissReason: r["dismiss_reason"])
        }
    }
}
