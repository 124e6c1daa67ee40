import Foundation
import ClinicModel
import ClinicStore

extension ClinicSession {
    /// Walks the hash chain (`knot audit verify`).
    public func verifyAudit() throws -> AuditVerification {
        try authorize(.verifyAudit)
        return try database.read { tx in try tx.verifyAudit() }
    }

    /// Audit events, newest first (`knot audit log`).
    public func auditLog(patientKey: String?, limit: Int) throws -> [AuditRecord] {
        try authorize(.readAuditLog)
        return try database.write { tx in
            var pid: Int64?
            if let patientKey {
                guard let p = try tx.patient(key: patientKey) else { throw ServiceError.notFound("no patient '\(patientKey)'") }
                pid = p.id
            }
            return try tx.auditLog(patientID: pid, limit: limit)
        }
    }
}
