import Foundation
import GRDB
import Crypto

/// A row whose content no longer matches its last audited write (`knot audit verify`).
public struct TamperFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The row differs from its sealed state in the named columns.
        case changed
        /// The row has no seal: it was added outside Knot.
        case noAuditedOrigin = "no-audited-origin"
        /// The seal remains but the row is gone.
        case deleted
        /// The seal itself does not verify under the clinic key (rewritten outside Knot).
        case forgedSeal = "forged-seal"
    }
    public var table: String
    public var rowID: Int64
    public var columns: [String]
    public var kind: Kind

    public var description: String {
        switch kind {
        case .changed: "\(table) row \(rowID): column \(columns.joined(separator: ", ")) changed outside Knot (no longer matches its last audited write)"
        case .noAuditedOrigin: "\(table) row \(rowID): no audited origin (added outside Knot)"
        case .deleted: "\(table) row \(rowID): deleted outside Knot (its audited seal remains)"
        case .forgedSeal: "\(table) row \(rowID): its seal was rewritten outside Knot (does not verify under the clinic key)"
        }
    }
}

/// Collects, per table, the rowids a write transaction touched (GRDB's update hook), so that
/// `ClinicDatabase.write` can seal each one before the transaction commits.
final class RowChangeCollector: TransactionObserver, @unchecked Sendable {
    let tables: Set<String>
    private let lock = NSLock()
    private var changes: [String: Set<Int64>] = [:]

    init(tables: Set<String>) { self.tables = tables }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { tables.contains(eventKind.tableName) }
    func databaseDidChange(with event: DatabaseEvent) {
        // GRDB reports every change a watched statement makes, triggers' included (full-text
        // shadow tables): only the sealed tables count.
        guard tables.contains(event.tableName) else { return }
        lock.withLock { _ = changes[event.tableName, default: []].insert(event.rowID) }
    }
    func databaseDidCommit(_ db: Database) { lock.withLock { changes = [:] } }
    func databaseDidRollback(_ db: Database) { lock.withLock { changes = [:] } }

    /// The changes so far (and forgets them).
    func take() -> [String: Set<Int64>] {
        lock.withLock { defer { changes = [:] }; return changes }
    }
}

/// How rows are sealed: a canonical per-column digest (typed), and an HMAC of the clinic key over
/// table, rowid and those digests. The XOR of every row seal (the seal root) and the audit head
/// are covered by one more HMAC, so removing or replaying a seal shows too.
enum RowSeal {
    /// Tables Knot keeps tamper evidence for itself, or that hold no clinic data.
    static let unsealed: Set<String> = ["audit_event", "audit_head", "audit_mac", "clinic_identity", "row_seal", "grdb_migrations"]

    /// Every rowid table that holds clinic data (not SQLite's, not full-text shadow tables).
    static func sealedTables(_ db: Database) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        let all = rows.map { (name: $0["name"] as String, sql: ($0["sql"] as String? ?? "").uppercased()) }
        let virtual = all.filter { $0.sql.hasPrefix("CREATE VIRTUAL") }.map(\.name)
        return all.filter { t in
            !t.name.hasPrefix("sqlite_") && !unsealed.contains(t.name) && !t.sql.hasPrefix("CREATE VIRTUAL")
                && !t.sql.contains("WITHOUT ROWID") && !virtual.contains(where: { t.name.hasPrefix($0 + "_") })
        }.map(\.name)
    }

    /// `name:digest,name:digest…` for a row fetched as `SELECT rowid, * …` (the rowid skipped).
    static func columns(_ row: Row) -> String {
        var out = ""
        var first = true
        for (i, (name, value)) in zip(row.columnNames, row.databaseValues).enumerated() where i > 0 {
            if !first { out += "," }
            first = false
            out += name + ":" + digest(value)
        }
        return out
    }

    /// A typed digest of one value (NULL, integer, real, text and blob never collide).
    static func digest(_ value: DatabaseValue) -> String {
        var h = SHA256()
        switch value.storage {
        case .null: h.update(data: [0])
        case .int64(let i): h.update(data: [1]); withUnsafeBytes(of: i.bigEndian) { h.update(bufferPointer: $0) }
        case .double(let d): h.update(data: [2]); withUnsafeBytes(of: d.bitPattern.bigEndian) { h.update(bufferPointer: $0) }
        case .string(let s): h.update(data: [3]); h.update(data: Array(s.utf8))
        case .blob(let b): h.update(data: [4]); h.update(data: b)
        }
        return ClinicKey.hex(Array(h.finalize()).prefix(8))
    }

    static func rowMAC(_ key: ClinicKey, table: String, rowID: Int64, columns: String) -> Data {
        key.mac(["row", table, String(rowID), columns])
    }

    static func eventMAC(_ key: ClinicKey, id: Int64, hash: String) -> String {
        ClinicKey.hex(key.mac(["event", String(id), hash]))
    }

    static func headMAC(_ key: ClinicKey, clinicID: String, keyedFrom: Int64, lastID: Int64, lastHash: String, root: String) -> String {
        ClinicKey.hex(key.mac(["head", clinicID, String(keyedFrom), String(lastID), lastHash, root]))
    }

    static func xor(_ root: inout [UInt8], _ mac: Data) {
        for (i, b) in mac.enumerated() where i < root.count { root[i] ^= b }
    }

    struct Identity {
        var clinicID: String
        var keyedFrom: Int64?
        var root: String
        var headMAC: String
    }

    /// The clinic's identity row; nil when the table or the row is missing.
    static func identity(_ db: Database) throws -> Identity? {
        guard try db.tableExists("clinic_identity"),
              let r = try Row.fetchOne(db, sql: "SELECT clinic_id, keyed_from, seal_root, head_mac FROM clinic_identity WHERE singleton = 1") else { return nil }
        // Decoded with errors: an identity row edited outside Knot is named, never a trap.
        let c = r.checked("clinic_identity", key: "singleton")
        return try Identity(clinicID: c["clinic_id"], keyedFrom: c["keyed_from"], root: c["seal_root"], headMAC: c["head_mac"])
    }

    /// Seals the rows a transaction touched, keys its new audit events, and re-seals the head.
    static func seal(_ db: Database, key: ClinicKey, changes: [String: Set<Int64>]) throws {
        guard !changes.isEmpty, let identity = try identity(db), identity.keyedFrom != nil else { return }
        var root = [UInt8](ClinicKey.unhex(identity.root) ?? Data(count: 32))
        if root.count != 32 { root = [UInt8](repeating: 0, count: 32) }
        let oldSeal = try db.cachedStatement(sql: "SELECT mac FROM row_seal WHERE tbl = ? AND row_id = ?")
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO row_seal (tbl, row_id, columns, mac) VALUES (?, ?, ?, ?)")
        let remove = try db.cachedStatement(sql: "DELETE FROM row_seal WHERE tbl = ? AND row_id = ?")
        for (table, ids) in changes where table != "audit_event" {
            let select = try db.cachedStatement(sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) WHERE rowid = ?")
            for id in ids {
                if let old = try String.fetchOne(oldSeal, arguments: [table, id]), let bytes = ClinicKey.unhex(old) { xor(&root, bytes) }
                if let row = try Row.fetchOne(select, arguments: [id]) {
                    let cols = columns(row)
                    let mac = rowMAC(key, table: table, rowID: id, columns: cols)
                    try upsert.execute(arguments: [table, id, cols, ClinicKey.hex(mac)])
                    xor(&root, mac)
                } else {
                    try remove.execute(arguments: [table, id])
                }
            }
        }
        if let events = changes["audit_event"] {
            let hashOf = try db.cachedStatement(sql: "SELECT hash FROM audit_event WHERE id = ?")
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO audit_mac (event_id, mac) VALUES (?, ?)")
            for id in events.sorted() {
                guard let hash = try String.fetchOne(hashOf, arguments: [id]) else { continue }
                try insert.execute(arguments: [id, eventMAC(key, id: id, hash: hash)])
            }
        }
        try resealHead(db, key: key, identity: identity, root: ClinicKey.hex(root))
    }

    static func resealHead(_ db: Database, key: ClinicKey, identity: Identity, root: String) throws {
        let head = try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        let mac = headMAC(key, clinicID: identity.clinicID, keyedFrom: identity.keyedFrom ?? 1,
                          lastID: head?["last_id"] ?? 0, lastHash: head?["last_hash"] ?? AuditChain.genesisHash, root: root)
        try db.execute(sql: "UPDATE clinic_identity SET seal_root = ?, head_mac = ? WHERE singleton = 1", arguments: [root, mac])
    }

    /// Seals every row as it is now and starts the keyed chain after the newest event: run once,
    /// when a Knot holding the key first opens a database that has none (new, or upgraded).
    /// With `keepKeyedFrom`, re-seals after a schema migration changed rows (the chain point stays).
    static func baseline(_ db: Database, key: ClinicKey, tables: [String], keepKeyedFrom: Bool = false) throws {
        guard var identity = try identity(db) else { return }
        if identity.keyedFrom != nil && !keepKeyedFrom { return }
        let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_event") ?? 0
        if identity.keyedFrom == nil {
            identity.keyedFrom = maxID + 1
            try db.execute(sql: "DELETE FROM audit_mac")
        }
        try db.execute(sql: "DELETE FROM row_seal")
        var root = [UInt8](repeating: 0, count: 32)
        let insert = try db.cachedStatement(sql: "INSERT INTO row_seal (tbl, row_id, columns, mac) VALUES (?, ?, ?, ?)")
        for table in tables {
            let cursor = try Row.fetchCursor(db, sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            while let row = try cursor.next() {
                let id: Int64 = row[0]
                let cols = columns(row)
                let mac = rowMAC(key, table: table, rowID: id, columns: cols)
                try insert.execute(arguments: [table, id, cols, ClinicKey.hex(mac)])
                xor(&root, mac)
            }
        }
        try db.execute(sql: "UPDATE clinic_identity SET keyed_from = ? WHERE singleton = 1", arguments: [identity.keyedFrom])
        try resealHead(db, key: key, identity: identity, root: ClinicKey.hex(root))
    }

    /// Compares every sealed table with its seals (a merge of two ordered scans, bounded memory)
    /// and returns the findings and the XOR of the seals found.
    static func verifyRows(_ db: Database, key: ClinicKey, limit: Int = 1000) throws -> (findings: [TamperFinding], root: String, more: Int) {
        var findings: [TamperFinding] = []
        var more = 0
        func add(_ f: TamperFinding) { if findings.count < limit { findings.append(f) } else { more += 1 } }
        var root = [UInt8](repeating: 0, count: 32)
        let tables = try sealedTables(db)
        for table in tables {
            let rows = try Row.fetchCursor(db, sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            let seals = try Row.fetchCursor(db, sql: "SELECT row_id, columns, mac FROM row_seal WHERE tbl = ? ORDER BY row_id", arguments: [table])
            var row = try rows.next()
            var seal = try seals.next()
            while row != nil || seal != nil {
                let rowID: Int64? = row.map { $0[0] as Int64 }
                guard let s = seal, let sealID = s["row_id"] as Int64? else {
                    if let rowID { add(TamperFinding(table: table, rowID: rowID, columns: [], kind: .noAuditedOrigin)) }
                    row = try rows.next()
                    continue
                }
                if let r = rowID, r < sealID {
                    add(TamperFinding(table: table, rowID: r, columns: [], kind: .noAuditedOrigin))
                    row = try rows.next()
                    continue
                }
                let storedCols: String = s["columns"]
                let storedMAC: String = s["mac"]
                if let bytes = ClinicKey.unhex(storedMAC) { xor(&root, bytes) }
                let sealValid = ClinicKey.hex(rowMAC(key, table: table, rowID: sealID, columns: storedCols)) == storedMAC
                if let current = row, rowID == sealID {
                    let now = columns(current)
                    if !sealValid {
                        add(TamperFinding(table: table, rowID: sealID, columns: differing(storedCols, now), kind: .forgedSeal))
                    } else if now != storedCols {
                        add(TamperFinding(table: table, rowID: sealID, columns: differing(storedCols, now), kind: .changed))
                    }
                    row = try rows.next()
                } else {
                    add(TamperFinding(table: table, rowID: sealID, columns: [], kind: sealValid ? .deleted : .forgedSeal))
                }
                seal = try seals.next()
            }
        }
        // Seals of tables that are no longer there (dropped outside Knot).
        let known = Set(tables)
        let others = try Row.fetchCursor(db, sql: "SELECT tbl, row_id, mac FROM row_seal ORDER BY tbl, row_id")
        while let s = try others.next() {
            let table: String = s["tbl"]
            guard !known.contains(table) else { continue }
            if let bytes = ClinicKey.unhex(s["mac"] as String) { xor(&root, bytes) }
            add(TamperFinding(table: table, rowID: s["row_id"], columns: [], kind: .deleted))
        }
        return (findings, ClinicKey.hex(root), more)
    }

    /// The columns whose digests differ (or that appeared or disappeared).
    static func differing(_ stored: String, _ now: String) -> [String] {
        func parse(_ s: String) -> [(String, Substring)] {
            s.split(separator: ",").map { part in
                let p = part.split(separator: ":", maxSplits: 1)
                return (String(p.first ?? ""), p.count > 1 ? p[1] : "")
            }
        }
        let a = parse(stored), b = parse(now)
        let bMap = Dictionary(b, uniquingKeysWith: { x, _ in x })
        let aMap = Dictionary(a, uniquingKeysWith: { x, _ in x })
        var out = a.filter { bMap[$0.0] != $0.1 }.map(\.0)
        out += b.filter { aMap[$0.0] == nil }.map(\.0)
        return out
    }
}
