import Foundation
import ClinicModel
internal import ClinicStore

extension ClinicSession {
    /// Walks the hash chain and checks the keyed seals of events and rows (`knot audit verify`).
    /// - Parameter anchor: a head written down earlier (`knot audit anchor`) the trail must extend.
    ///
    /// Every row is re-read and compared with its seal on every run (an edit can happen at any
    /// time). The chain is incremental: a whole verification that finds nothing leaves a keyed
    /// checkpoint, and the next one compares the events up to it byte for byte with its digest
    /// instead of re-hashing each one.
    public func verifyAudit(anchor: AuditAnchor? = nil) throws -> AuditVerification {
        try authorize(.verifyAudit)
        let v = try database.read { tx in try tx.verifyAudit(anchor: anchor) }
        if let checkpoint = v.checkpoint, checkpoint.eventID != v.resumedFrom {
            // Bookkeeping only: a busy or read-only clinic keeps its older checkpoint.
            try? database.write { tx in try tx.saveAuditCheckpoint(checkpoint) }
        }
        return v
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
        // A read: listing the trail writes nothing (so it works without the clinic key, or on a file this user may not write).
        return try database.read { tx in
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

    /// Trusts the signing key of another clinic for imports (`knot clinic trust FILE`): FILE holds
    /// the public key as `knot clinic key` prints it, or is one of that clinic's `.sig` files.
    /// Returns the key and the file that lists trusted keys.
    public func trustClinicKey(fromFile path: String) throws -> (key: String, file: String) {
        try authorize(.trustClinicKey)
        guard let data = FileManager.default.contents(atPath: path), data.count < 65_536 else {
            throw ServiceError.input("\(path): cannot read the key file")
        }
        let text = String(decoding: data, as: UTF8.self)
        // A .sig names the key on its public-key line; a key file is the key alone.
        let candidates = text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        let afterLabel = text.split(separator: "\n").first { $0.hasPrefix("public-key ") }.map { String($0.dropFirst("public-key ".count)) }
        guard let key = afterLabel ?? candidates.first(where: { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }) else {
            throw ServiceError.input("\(path): no public signing key in it (64 hex digits, as `knot clinic key` prints)")
        }
        // One write: on PostgreSQL the key is listed in the database, with its audit event or not at all.
        let file = try database.write { tx in
            let file = try tx.trustExportKey(key, label: (path as NSString).lastPathComponent)
            _ = try tx.appendAudit(AuditEvent(actor: actor, action: .update, entity: "clinic", detail: "trusted signing key \(key.prefix(16))"))
            return file
        }
        return (key.lowercased(), file)
    }
}
