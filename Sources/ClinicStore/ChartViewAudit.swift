import Foundation
import ClinicModel

extension StoreTransaction {
    /// Records that a chart was opened (every view of a patient's chart is audited).
    public func auditView(patientID: Int64, actor: String, what: String = "chart") throws {
        try appendAudit(AuditEvent(actor: actor, action: .view, entity: "patient", entityID: patientID, patientID: patientID, detail: what))
    }
}
