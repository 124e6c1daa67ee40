import Foundation
import GRDB
import Crypto
import ClinicModel

/// How Knot chains audit events: each row's SHA-256 covers its id, every field and the previous
/// row's hash; the first row links to 64 zeros. Public so that exports made elsewhere (tests,
/// other tools) can build a chain this store verifies.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The hash of an event at `id` following `prevHash` (lower-case hex).
    public static func hash(id: Int64, event: AuditEvent, prevHash: String) -> String {
        StoreTransaction.auditHash(id: id, event: event, prevHash: prevHash)
    }

    /// Chains events in order, numbering them from 1.
    public static func chain(_ events: [AuditEvent]) -> [AuditRecord] {
        var prev = genesisHash
        return events.enumerated().map { i, e in
            var event = e
            event.id = Int64(i + 1)
            event.at = StoreTransaction.truncated(event.at)
            let h = hash(id: Int64(i + 1), event: event, prevHash: prev)
            defer { prev = h }
            return AuditRecord(event: event, prevHash: prev, hash: h)
        }
    }
}

extension StoreTransaction {
    static let genesisHash = AuditChain.genesisHash

    /// The canonical bytes an audit row's hash covers (its id, every field and the previous hash).
    static func auditHash(id: Int64, event: AuditEvent, prevHash: String) -> String {
        let fields: [String?] = [
            String(id), String(Int64((event.at.timeIntervalSince1970 * 1000).rounded())), event.actor,
            event.action.rawValue, event.entity, event.entityID.map(String.init),
            event.patientID.map(String.init), event.detail, prevHash,
        ]
        let canonical = (try? StoreTransaction.json.encode(fields)) ?? Data()
        // Lower-case hex by table: `String(format: "%02x")` per byte was 10% of filing a letter.
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * SHA256.byteCount)
        for byte in SHA256.hash(data: canonical) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends an event to the chain (in the caller's transaction).
    @discardableResult
    public func appendAudit(_ event: AuditEvent) throws -> AuditRecord? {
        guard rowAudit else { return nil }
        return try appendAuditAlways(event)
    }

    /// Appends an event even when per-row audit is off (an import's own event).
    @discardableResult
    public func appendAuditAlways(_ event: AuditEvent) throws -> AuditRecord {
        var event = event
        event.at = Self.truncated(event.at)
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"))
        let checkedHead = head?.checked("audit_head", key: "singleton")
        let prevHash: String = try checkedHead?["last_hash"] ?? Self.genesisHash
        let lastID: Int64 = try checkedHead?["last_id"] ?? 0
        let maxID = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM audit_event")) ?? 0
        let id = max(lastID, maxID) + 1
        let hash = Self.auditHash(id: id, event: event, prevHash: prevHash)
        try db.cachedStatement(sql: """
            INSERT INTO audit_event (id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, event.at, event.actor, event.action.rawValue, event.entity, event.entityID,
                             event.patientID, event.detail, prevHash, hash])
        try db.cachedStatement(sql: """
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)
            ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """).execute(arguments: [id, hash])
        event.id = id
        return AuditRecord(event: event, prevHash: prevHash, hash: hash)
    }

    /// Restores an exported audit row verbatim (into an empty database, in order), so that the
    /// restored chain verifies with the same hashes. Refuses a row that does not chain.
    public func restoreAudit(_ record: AuditRecord) throws {
        guard let id = record.event.id else { throw StoreError.constraint(message: "an imported audit event has no id") }
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"))
        let checkedHead = head?.checked("audit_head", key: "singleton")
        let lastID: Int64 = try checkedHead?["last_id"] ?? 0
        let lastHash: String = try checkedHead?["last_hash"] ?? Self.genesisHash
        var event = record.event
        event.at = Self.truncated(event.at)
        guard id == lastID + 1, record.prevHash == lastHash,
              Self.auditHash(id: id, event: event, prevHash: record.prevHash) == record.hash else {
            throw StoreError.constraint(message: "imported audit event \(id) does not chain (the export's audit trail was altered)")
        }
        try db.cachedStatement(sql: """
            INSERT INTO audit_event (id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, event.at, event.actor, event.action.rawValue, event.entity, event.entityID,
                             event.patientID, event.detail, record.prevHash, record.hash])
        try db.cachedStatement(sql: """
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)
            ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """).execute(arguments: [id, record.hash])
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
