import Foundation
import GRDB
import Crypto
import ClinicModel

extension StoreTransaction {
    static let genesisHash = AuditChain.genesisHash

    /// The hash of an audit row (`AuditChain.hash`, the one function both stores call).
    static func auditHash(id: Int64, event: AuditEvent, prevHash: String) -> String {
        AuditChain.hash(id: id, event: event, prevHash: prevHash)
    }

    /// Appends an event to the chain (in the caller's transaction).
    @discardableResult
    public func appendAudit(_ event: AuditEvent) throws -> AuditRecord? {
        guard rowAudit else { return nil }
        return try appendAuditAlways(event)
    }

    /// Appends an event even when per-row audit is off (an import's own event).
    ///
    /// Inside a savepoint (`savepoint`: a letter) or a batch (`withAuditHeadWrittenOnce`: the
    /// letters of a batched import) the stored head (`audit_head`) is written once, as the
    /// outermost one ends (`saveAuditHead`), not after every event: a batch of 200 letters
    /// writes it once, not 600 times. A savepoint that rolls back takes its events away and puts
    /// back the head in hand it started with.
    @discardableResult
    public func appendAuditAlways(_ event: AuditEvent) throws -> AuditRecord {
        var event = event
        event.at = Self.truncated(event.at)
        let (lastID, prevHash) = try auditChainHead()
        let id = lastID + 1
        let hash = Self.auditHash(id: id, event: event, prevHash: prevHash)
        let deferHead = scratch.auditHeadDeferrals > 0
        // Until both rows are written the head in hand is not known to be the stored one: a
        // failed statement leaves it to be read again. In a savepoint the stored head waits for
        // the savepoint's end, so the head in hand is kept (a failed statement wrote nothing).
        if !deferHead { scratch.auditHead = nil }
        // Bound in place, as `restoreAudit` binds the same statement.
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO audit_event (id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(id); insert.value(StoredDateText.databaseValue(event.at)); insert.text(event.actor); insert.text(event.action.rawValue)
        insert.text(event.entity); insert.int(event.entityID); insert.int(event.patientID); insert.text(event.detail)
        insert.text(prevHash); insert.text(hash)
        try insert.execute()
        if deferHead {
            scratch.auditHeadUnsaved = true
        } else {
            try writeAuditHead(id: id, hash: hash)
            scratch.auditHeadUnsaved = false
        }
        scratch.auditHead = AuditChainHead(id: id, hash: hash)
        event.id = id
        return AuditRecord(event: event, prevHash: prevHash, hash: hash)
    }

    /// Writes the head in hand to `audit_head` when events were appended since it was last
    /// written (inside a savepoint or batch); nothing otherwise. Called as the outermost one
    /// ends, and before anything reads `audit_head` (a restored row, row seals).
    func saveAuditHead() throws {
        guard scratch.auditHeadUnsaved, let head = scratch.auditHead else { return }
        try writeAuditHead(id: head.id, hash: head.hash)
        scratch.auditHeadUnsaved = false
    }

    private func writeAuditHead(id: Int64, hash: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)
            ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """).execute(arguments: [id, hash])
    }

    /// The last event's id and hash, which the next event chains to: read from the database once
    /// per transaction (the larger of `audit_head` and the highest event id, as always), then
    /// kept in hand as each event is appended. A savepoint that rolls back puts back the head it
    /// started with (`savepoint`), so a refused letter in a batch leaves no gap in the chain.
    func auditChainHead() throws -> (id: Int64, hash: String) {
        if let head = scratch.auditHead { return (head.id, head.hash) }
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"))
        let checkedHead = head?.checked("audit_head", key: "singleton")
        let prevHash: String = try checkedHead?["last_hash"] ?? Self.genesisHash
        let lastID: Int64 = try checkedHead?["last_id"] ?? 0
        let maxID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM audit_event")) ?? 0
        let read = AuditChainHead(id: max(lastID, maxID), hash: prevHash)
        scratch.auditHead = read
        return (read.id, read.hash)
    }

    /// Restores an exported audit row verbatim (into an empty database, in order), so that the
    /// restored chain verifies with the same hashes. Refuses a row that does not chain.
    ///
    /// It chains to the stored head (`audit_head`), read once per transaction and then kept in
    /// hand as rows are restored (or appended); inside `withAuditHeadWrittenOnce` (a whole-clinic
    /// import) the stored head is written as that ends or before rows are sealed, not per row.
    public func restoreAudit(_ record: AuditRecord) throws {
        guard let id = record.event.id else { throw StoreError.constraint(message: "an imported audit event has no id") }
        let lastID: Int64, lastHash: String
        if let head = scratch.auditHead {
            (lastID, lastHash) = (head.id, head.hash)
        } else {
            let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"))
            let checkedHead = head?.checked("audit_head", key: "singleton")
            lastID = try checkedHead?["last_id"] ?? 0
            lastHash = try checkedHead?["last_hash"] ?? Self.genesisHash
        }
        var event = record.event
        event.at = Self.truncated(event.at)
        guard id == lastID + 1, record.prevHash == lastHash,
              Self.auditHash(id: id, event: event, prevHash: record.prevHash) == record.hash else {
            throw StoreError.constraint(message: "imported audit event \(id) does not chain (the export's audit trail was altered)")
        }
        // Until the row is written the head in hand is not known to be the stored one.
        scratch.auditHead = nil
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO audit_event (id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(id); insert.value(StoredDateText.databaseValue(event.at)); insert.text(event.actor); insert.text(event.action.rawValue)
        insert.text(event.entity); insert.int(event.entityID); insert.int(event.patientID); insert.text(event.detail)
        insert.text(record.prevHash); insert.text(record.hash)
        try insert.execute()
        if scratch.auditHeadDeferrals > 0 {
            scratch.auditHeadUnsaved = true
        } else {
            try writeAuditHead(id: id, hash: record.hash)
            scratch.auditHeadUnsaved = false
        }
        scratch.auditHead = AuditChainHead(id: id, hash: record.hash)
    }

    /// An audit row decoded with errors naming its id and column (an unknown action included).
    static func auditRecord(_ plain: Row) throws -> AuditRecord {
        let row = plain.checked("audit_event")
        let event = try AuditEvent(
            id: row["id"], at: row["at"], actor: row["actor"],
            action: row.enumeration("action"), entity: row["entity"],
            entityID: row["entity_id"], patientID: row["patient_id"], detail: row["detail"])
        return try AuditRecord(event: event, prevHash: row["prev_hash"], hash: row["hash"])
    }

    /// Audit events, newest first, optionally for one patient.
    public func auditLog(patientID: Int64? = nil, limit: Int = 100) throws -> [AuditRecord] {
        let rows: [Row]
        if let patientID {
            rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_event WHERE patient_id = ? ORDER BY id DESC LIMIT ?"), arguments: [patientID, limit])
        } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit_event ORDER BY id DESC LIMIT ?"), arguments: [limit])
        }
        return try rows.map(Self.auditRecord)
    }

    /// Every audit event oldest first, streamed to `body` (bounded memory for exports).
    public func forEachAudit(_ body: (AuditRecord) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event ORDER BY id")
        while let row = try cursor.next() { try body(try Self.auditRecord(row)) }
    }
}
