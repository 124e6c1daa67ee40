import Foundation
import ClinicModel
import PostgresNIO

/// The audit trail on PostgreSQL: the same hash chain as the SQLite store (`AuditChain.hash`, the
/// same bytes for the same event), appended under a transaction-scoped advisory lock so that any
/// number of concurrent writers still form one chain, in commit order.
///
/// What replaces the SQLite store's keyed row seals here: the server's permissions. The seals
/// detect a file edited with sqlite3; a clinic group's database is reached only through roles,
/// and Knot's role (see README, "PostgreSQL") is not the tables' owner, so it cannot UPDATE or
/// DELETE audit rows (the append-only trigger refuses even the owner) nor disable triggers.
/// So there is no clinic key on PostgreSQL: `verifyAudit` checks the chain and the head, and
/// reports no keyed part (`keyedFrom` nil).
extension PostgresTransaction {
    /// The advisory lock that serialises appends to the chain ("AUDT").
    static let auditLockKey: Int64 = 0x4155_4454

    /// Appends an event to the chain (nothing when per-row audit is off).
    @discardableResult
    public func appendAudit(_ event: AuditEvent) throws -> AuditRecord? {
        guard rowAudit else { return nil }
        return try appendAuditAlways(event)
    }

    /// Appends an event even when per-row audit is off (an import's own event).
    @discardableResult
    public func appendAuditAlways(_ event: AuditEvent) throws -> AuditRecord {
        var event = event
        event.at = AuditChain.truncated(event.at)
        let (lastID, prevHash) = try lockedHead()
        let maxID = try value("SELECT max(id) FROM audit_event", as: Int64.self) ?? 0
        let id = max(lastID, maxID) + 1
        let hash = AuditChain.hash(id: id, event: event, prevHash: prevHash)
        try insertAuditRow(id: id, event: event, prevHash: prevHash, hash: hash)
        event.id = id
        return AuditRecord(event: event, prevHash: prevHash, hash: hash)
    }

    /// Restores an exported audit row verbatim (into an empty database, in order), so that the
    /// restored chain verifies with the same hashes. Refuses a row that does not chain.
    public func restoreAudit(_ record: AuditRecord) throws {
        guard let id = record.event.id else { throw PostgresStoreError.constraint(message: "an imported audit event has no id") }
        let (lastID, lastHash) = try lockedHead()
        var event = record.event
        event.at = AuditChain.truncated(event.at)
        guard id == lastID + 1, record.prevHash == lastHash,
              AuditChain.hash(id: id, event: event, prevHash: record.prevHash) == record.hash else {
            throw PostgresStoreError.constraint(message: "imported audit event \(id) does not chain (the export's audit trail was altered)")
        }
        try insertAuditRow(id: id, event: event, prevHash: record.prevHash, hash: record.hash)
    }

    /// Records that a chart (or part of it, `what`) was opened.
    public func auditView(patientID: Int64, actor: String, what: String) throws {
        try appendAudit(AuditEvent(actor: actor, action: .view, entity: "patient", entityID: patientID, patientID: patientID, detail: what))
    }

    /// Nothing on PostgreSQL: a checkpoint is keyed with the clinic key, which this store does not use.
    public func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws {}

    /// The head of the chain, after taking the append lock (held until the transaction ends).
    private func lockedHead() throws -> (Int64, String) {
        try execute("SELECT pg_advisory_xact_lock(\(Self.auditLockKey))")
        guard let row = try query("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1").first else {
            return (0, AuditChain.genesisHash)
        }
        return try decode(row, (Int64, String).self, table: "audit_head")
    }

    private func insertAuditRow(id: Int64, event: AuditEvent, prevHash: String, hash: String) throws {
        try execute("""
            INSERT INTO audit_event (id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash)
            VALUES (\(id), \(PGText.timestamp(event.at)), \(event.actor), \(event.action.rawValue), \(event.entity),
                    \(event.entityID), \(event.patientID), \(event.detail), \(prevHash), \(hash))
            """)
        try execute("""
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, \(id), \(hash))
            ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """)
    }

    /// An audit row as the store reads it; a cell that cannot be read is `damaged`.
    private func auditRecord(_ row: PostgresRow) throws -> AuditRecord {
        let (id, at, actor, action, entity, entityID, patientID, detail, prevHash, hash) = try decode(
            row, (Int64, String, String, String, String, Int64?, Int64?, String?, String, String).self, table: "audit_event")
        let event = AuditEvent(id: id, at: try timestamp(at, table: "audit_event", row: id, column: "at"), actor: actor,
                               action: try enumeration(action, table: "audit_event", row: id, column: "action"), entity: entity,
                               entityID: entityID, patientID: patientID, detail: detail)
        return AuditRecord(event: event, prevHash: prevHash, hash: hash)
    }

    private static let auditColumns = "id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash"

    /// Audit events, newest first, optionally for one patient.
    public func auditLog(patientID: Int64?, limit: Int) throws -> [AuditRecord] {
        let rows = try patientID.map {
            try query("SELECT \(unescaped: Self.auditColumns) FROM audit_event WHERE patient_id = \($0) ORDER BY id DESC LIMIT \(limit)")
        } ?? query("SELECT \(unescaped: Self.auditColumns) FROM audit_event ORDER BY id DESC LIMIT \(limit)")
        return try rows.map(auditRecord)
    }

    /// Every audit event oldest first, streamed to `body` in pages (bounded memory for exports).
    public func forEachAudit(_ body: (AuditRecord) throws -> Void) throws {
        try forEachAuditRow(after: Int64.min) { row in try body(try auditRecord(row)) }
    }

    /// The rows of audit_event after `after`, in id order, a page at a time.
    private func forEachAuditRow(after: Int64, _ body: (PostgresRow) throws -> Void) throws {
        var last = after
        while true {
            let page = try query("SELECT \(unescaped: Self.auditColumns) FROM audit_event WHERE id > \(last) ORDER BY id LIMIT 5000")
            for row in page {
                last = try decode(row, Int64.self, table: "audit_event")
                try body(row)
            }
            if page.count < 5000 { return }
        }
    }

    /// Walks the chain from the first event and reports the first broken or missing link: a
    /// changed field, a deleted or inserted row, a truncated tail (the head disagrees), and
    /// with an anchor, that the trail still extends it. No keyed part on PostgreSQL (see above).
    public func verifyAudit(anchor: AuditAnchor?) throws -> AuditVerification {
        var expectedPrev = AuditChain.genesisHash
        var expectedID: Int64 = 1
        var count = 0
        var problem: String?
        var anchorProblem: String?
        try forEachAuditRow(after: Int64.min) { row in
            count += 1
            let r: AuditRecord
            do { r = try auditRecord(row) } catch let damage as PostgresStoreError {
                problem = problem ?? damage.description
                return
            }
            let id = r.event.id ?? -1
            if let anchor, id == anchor.count, r.hash != anchor.hash {
                anchorProblem = anchorProblem ?? "audit event \(id) no longer has the anchored hash (the trail was re-hashed or replaced since the anchor)"
            }
            guard problem == nil else { return }
            if id != expectedID {
                problem = id > expectedID ? "audit event \(expectedID) is missing (next is \(id))" : "audit event \(id) is out of sequence"
            } else if r.prevHash != expectedPrev {
                problem = "audit event \(id) does not link to event \(id - 1) (previous hash differs)"
            } else if AuditChain.hash(id: id, event: r.event, prevHash: r.prevHash) != r.hash {
                problem = "audit event \(id) was altered (its hash does not match its contents)"
            }
            expectedPrev = r.hash
            expectedID = id + 1
        }
        if let anchor, anchorProblem == nil, Int64(count) < anchor.count || (anchor.count == 0 && anchor.hash != AuditChain.genesisHash) {
            anchorProblem = "the trail holds \(count) event(s) but the anchor was taken at \(anchor.count) (the trail was cut since the anchor)"
        }
        if problem == nil {
            var lastID: Int64 = 0
            var lastHash = AuditChain.genesisHash
            if let head = try query("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1").first {
                (lastID, lastHash) = try decode(head, (Int64, String).self, table: "audit_head")
            }
            if lastID != expectedID - 1 || lastHash != expectedPrev {
                problem = lastID > expectedID - 1
                    ? "audit events \(expectedID) to \(lastID) are missing (the trail was truncated)"
                    : "the audit head does not match the last event (events were added outside Knot)"
            }
        }
        var result = AuditVerification(eventsChecked: count, firstProblem: problem, headHash: expectedPrev)
        result.unkeyedBecause = "no keyed seals on PostgreSQL: the server's roles guard the rows"
        if let anchorProblem {
            result.sealProblems = [anchorProblem]
            result.firstProblem = result.firstProblem ?? anchorProblem
        }
        return result
    }

    /// The clinic's identity; no key on PostgreSQL (the server's roles guard the rows instead).
    public func clinicKeyInfo() throws -> ClinicKeyInfo {
        let id = try value("SELECT clinic_id FROM clinic_identity WHERE singleton = 1", as: String.self, table: "clinic_identity")
        return ClinicKeyInfo(clinicID: id, noKeyBecause: """
            a clinic on PostgreSQL has no key file: the server's roles guard the audit trail and the rows \
            (docs/postgres-app-role.sql), its exports are not signed, and the other clinics' keys it trusts \
            (`knot clinic trust`) are listed in the database
            """)
    }

    /// Nil: exports from a PostgreSQL clinic are not signed yet (no clinic key here).
    public func signExport(sha256: String) throws -> String? { nil }

    /// Empty: no row seals on PostgreSQL (the server's roles guard the rows instead).
    public func recordsNotInAuditedState() throws -> Set<String> { [] }
}
