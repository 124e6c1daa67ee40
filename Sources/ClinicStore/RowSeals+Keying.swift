import Foundation
import GRDB
import ClinicModel

/// Whether a clinic was ever keyed, whether the key at hand is the clinic's, and why writes are
/// refused when they could not be sealed.
///
/// `clinic_identity.keyed_from` is NULL only for a clinic no Knot has keyed yet (new, or left by
/// an older Knot): such a clinic is sealed as it stands on its first writable open (`baseline`).
/// Set to NULL with sqlite3 on a clinic that was keyed, that would re-seal every row as it
/// stands, forged ones included. So a clinic is baselined only when nothing shows it was ever
/// keyed: no row seal, no keyed seal of an audit event, no verification checkpoint, no head
/// seal, and no clinic key file for its id (kept outside the database, where sqlite3 on the
/// database cannot remove it). Any of them found with `keyed_from` empty means the point was
/// erased outside Knot: `knot audit verify` and `knot check` report it, and writes are refused.
extension RowSeal {
    /// What shows that the clinic was keyed (empty when nothing does), each named by where it
    /// is, for a clinic whose `keyed_from` is empty. `keyPath`: where its clinic key file would be.
    static func keyingTraces(_ db: Database, keyPath: String?) throws -> [String] {
        var traces: [String] = []
        for table in ["row_seal", "row_key_seal", "audit_mac", "audit_checkpoint"]
        where try db.tableExists(table) && (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") ?? false) {
            traces.append("rows in \(table)")
        }
        if let identity = try identity(db), !identity.headMAC.isEmpty || !identity.root.isEmpty {
            traces.append("a head seal in clinic_identity")
        }
        if let keyPath, FileManager.default.fileExists(atPath: keyPath) {
            traces.append("its key file \(keyPath)")
        }
        return traces
    }

    /// Whether `key` is the clinic's: any one keyed seal verifies with it (the head seal, the
    /// first or the newest audit event's, the first or the last row seal). No one without the
    /// key can make one that does, so one is proof; a clinic changed outside Knot fails some of
    /// them with its own key (`knot audit verify` names which), another clinic's key fails all.
    static func keyMatches(_ db: Database, key: ClinicKey, identity: Identity) throws -> Bool {
        guard let keyedFrom = identity.keyedFrom else { return true }
        let head = try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        let expected = headMAC(key, clinicID: identity.clinicID, keyedFrom: keyedFrom, lastID: head?["last_id"] ?? 0,
                               lastHash: head?["last_hash"] ?? AuditChain.genesisHash, root: identity.root)
        if expected == identity.headMAC { return true }
        for order in ["ASC", "DESC"] {
            if let event = try Row.fetchOne(db, sql: """
                SELECT e.id, e.hash, m.mac FROM audit_mac m JOIN audit_event e ON e.id = m.event_id ORDER BY m.event_id \(order) LIMIT 1
                """), let id = Int64.fromDatabaseValue(event["id"]), let hash = String.fromDatabaseValue(event["hash"]),
               eventMAC(key, id: id, hash: hash) == String.fromDatabaseValue(event["mac"]) {
                return true
            }
            if let seal = try Row.fetchOne(db, sql: "SELECT tbl, row_id, columns, mac FROM row_seal ORDER BY tbl \(order), row_id \(order) LIMIT 1"),
               try rowSealVerifies(db, key: key, seal) {
                return true
            }
        }
        return false
    }

    /// Whether one stored row seal's MAC is right under `key` for what it sealed (the row
    /// itself is not read: a changed row still has a valid seal).
    private static func rowSealVerifies(_ db: Database, key: ClinicKey, _ seal: Row) throws -> Bool {
        guard let table = String.fromDatabaseValue(seal["tbl"]), let rowID = Int64.fromDatabaseValue(seal["row_id"]),
              try db.tableExists(table) else { return false }
        let hasher = SealHasher(key)
        switch ((seal["columns"] as DatabaseValue).storage, (seal["mac"] as DatabaseValue).storage) {
        case (.blob(let digests), .blob(let mac)) where mac.count == 32:
            let statement = try db.makeStatement(sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) LIMIT 0")
            let check = V7Check(hasher: hasher, table: Array(table.utf8), digester: ColumnDigester(statement, skipping: 1), keyed: false)
            return digests.withUnsafeBytes { d in
                check.outcome(digests: d, mac: [UInt8](mac), macValid: true) { hasher.row7($0, rowID: rowID, digests: d) } != .forged
            }
        case (.string(let columns), .string(let mac)):
            let expected = Array(columns.utf8).withUnsafeBytes { hasher.row(table: Array(table.utf8), rowID: rowID, columns: $0) }
            return ClinicKey.hex(expected) == mac
        default:
            return false
        }
    }

    /// The keyed point a clinic had before `keyed_from` was erased outside Knot, when the keyed
    /// head seal proves it (the first keyed event's id, or the event after the newest when none
    /// has been written since the keying); nil when none does.
    static func erasedKeyedFrom(_ db: Database, key: ClinicKey, identity: Identity) throws -> Int64? {
        var candidates: [Int64] = []
        if let first = try Int64.fetchOne(db, sql: "SELECT min(event_id) FROM audit_mac") { candidates.append(first) }
        candidates.append((try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_event") ?? 0) + 1)
        candidates.append(1)
        let head = try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        return candidates.first { c in
            headMAC(key, clinicID: identity.clinicID, keyedFrom: c, lastID: head?["last_id"] ?? 0,
                    lastHash: head?["last_hash"] ?? AuditChain.genesisHash, root: identity.root) == identity.headMAC
        }
    }

    /// Why every write is refused when the keyed point was erased outside Knot.
    static func erasedRefusal(_ traces: [String]) -> String {
        "its keyed-chain point (clinic_identity.keyed_from) was erased outside Knot, though the clinic was keyed"
            + " (\(traces.count == 1 ? traces[0] : "\(traces[0]) and more")), and Knot never re-seals a clinic as it stands:"
            + " see `knot audit verify`, and restore a backup that verifies"
    }

    /// Why every write is refused when a keyed clinic's key is not at hand (`problem`: why the
    /// key file there could not be read).
    static func missingKeyRefusal(keyPath: String, problem: String?) -> String {
        (problem.map { "the clinic key cannot be read (\($0))" } ?? "no clinic key at \(keyPath)")
            + ": copy it there (mode 0600) from the login that holds it or from its backup, or set KNOT_KEY_FILE to it"
            + " (see `knot clinic key`); every write is sealed with it"
    }

    /// Why every write is refused when the key at hand is not the clinic's.
    static func wrongKeyRefusal(keyPath: String) -> String {
        "the clinic key at \(keyPath) is not this clinic's (its seals do not verify with it): put the clinic's own key file there"
            + " (from the login that holds it or from its backup), or set KNOT_KEY_FILE to it (see `knot clinic key`); every write is sealed with it"
    }

    /// The tables whose rows Knot never deletes, by the entity their audit events name.
    static let createdEntities: [(entity: String, table: String)] = [
        ("patient", "patient"), ("practitioner", "practitioner"), ("consent", "consent"), ("referral", "referral"),
        ("visit", "visit"), ("screen", "precaution_screen"), ("plan", "follow_up_plan"),
    ]

    /// Rows the audit trail records creating (of tables Knot never deletes from) that are gone
    /// with their seals: a row deleted outside Knot together with its seal leaves only the seal
    /// root wrong, and this names it. At most `limit`.
    static func deletedWithSeals(_ db: Database, limit: Int = 1000) throws -> [TamperFinding] {
        var found: [TamperFinding] = []
        for (entity, table) in createdEntities where try db.tableExists(table) && found.count < limit {
            let ids = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT e.entity_id FROM audit_event e
                WHERE e.entity = ? AND e.action = 'create' AND e.entity_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM \(table.quotedDatabaseIdentifier) t WHERE t.rowid = e.entity_id)
                  AND NOT EXISTS (SELECT 1 FROM row_seal s WHERE s.tbl = ? AND s.row_id = e.entity_id)
                ORDER BY e.entity_id LIMIT ?
                """, arguments: [entity, table, limit - found.count])
            found += ids.map { TamperFinding(table: table, rowID: $0, columns: [], kind: .deletedWithSeal) }
        }
        return found
    }
}
