import Foundation
import ClinicModel
import ClinicStore

extension ClinicSession {
    /// Walks the hash chain and checks the keyed seals of events and rows (`knot audit verify`).
    /// - Parameter anchor: a head written down earlier (`knot audit anchor`) the trail must extend.
    public func verifyAudit(anchor: AuditAnchor? = nil) throws -> AuditVerification {
        try authorize(.verifyAudit)
        return try database.read { tx in try tx.verifyAudit(anchor: anchor) }
    }

    /// The current head of the trail, to write down off-site (`knot audit anchor`).
    public func auditAnchor() throws -> (anchor: AuditAnchor, at: Date?) {
        try authorize(.anchorAudit)
        return try database.read { tx in
            // Events are numbered from 1 without gaps, so the newest id is the count.
            guard let newest = try tx.auditLog(patientID: nil, limit: 1).first, let id = newest.event.id else {
                return (AuditAnchor(count: 0, hash: AuditChain.genesisHash), nil)
            }
            return (AuditAnchor(count: id, hash: newest.hash), newest.event.at)
        }
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

    /// Where the clinic key is kept, whether it is there, and its public signing key (`knot clinic key`).
    public func clinicKey() throws -> ClinicKeyInfo {
        try authorize(.showClinicKey)
        return try database.read { tx in try tx.clinicKeyInfo() }
    }
}
