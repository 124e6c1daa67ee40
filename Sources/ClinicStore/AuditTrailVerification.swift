import Foundation
import GRDB
import Crypto
import GRDBSQLite
import ClinicModel

/// Verifying the audit trail: the hash chain, the keyed seals of events, head and rows, and the
/// keyed checkpoint that lets a later check resume instead of re-reading the whole trail.
extension StoreTransaction {
    /// Checks the chain and the keyed seals, with no anchor.
    public func verifyAudit() throws -> AuditVerification { try verifyAudit(anchor: nil) }

    /// Walks the chain from the first event and reports the first broken or missing link, then
    /// checks the keyed seals: each event from the keyed point on, the head, and every row.
    ///
    /// Catches a changed field (its hash no longer matches), a deleted row (a gap in ids or a
    /// `prevHash` that no longer points at its predecessor), an inserted row (its hash or the
    /// next row's `prevHash` do not match), and a truncated tail (the head record disagrees).
    /// With the clinic key it also catches a trail re-hashed or cut with its head adjusted, and
    /// any clinical or administrative row changed, added or removed outside Knot.
    /// - Parameter anchor: a head written down earlier; the trail must still extend it.
    public func verifyAudit(anchor: AuditAnchor?) throws -> AuditVerification {
        let identity = try RowSeal.identity(db)
        var keyed = identity?.keyedFrom
        // `keyed_from` erased outside Knot on a clinic that was keyed: reported, and its events
        // and rows still checked from the point its keyed head seal proves, when it proves one.
        var erasedTraces: [String] = []
        if keyed == nil, let identity {
            erasedTraces = try RowSeal.keyingTraces(db, keyPath: keyPath)
            if !erasedTraces.isEmpty, let key { keyed = try RowSeal.erasedKeyedFrom(db, key: key, identity: identity) }
        }
        let keyedMACs = keyed != nil && key != nil
        var expectedPrev = Self.genesisHash
        var expectedID: Int64 = 1
        var count = 0
        var problem: String?
        var sealProblems: [String] = []
        // Whether a keyed seal of the trail itself failed (an event's, the checkpoint's, the
        // head's), as opposed to a record's.
        var trailSealFailed = false
        var anchorProblem: String?
        // The bytes of every event read (and its keyed seal), for the next checkpoint.
        var bytes = SHA256()
        var resumedFrom: Int64?
        if keyedMACs, let key, let identity, let resume = try resumeFromCheckpoint(key: key, identity: identity, anchor: anchor) {
            switch resume {
            case .forged:
                trailSealFailed = true
                sealProblems.append("the verification checkpoint (table audit_checkpoint) was rewritten outside Knot (its keyed seal does not match); the whole trail was checked")
            case .stale:
                break  // the events before it changed: walked one by one below, which names what
            case let .resumed(checkpoint, digest, anchorHash):
                resumedFrom = checkpoint.eventID
                expectedPrev = checkpoint.hash
                expectedID = checkpoint.eventID + 1
                count = Int(checkpoint.eventID)
                bytes = digest
                if let anchor, anchor.count >= 1, anchor.count <= checkpoint.eventID, anchorHash != anchor.hash {
                    anchorProblem = "audit event \(anchor.count) no longer has the anchored hash (the trail was re-hashed or replaced since the anchor)"
                }
            }
        }
        let sql = keyedMACs
            ? "SELECT \(Self.eventColumns), m.mac AS keyed_mac FROM audit_event e LEFT JOIN audit_mac m ON m.event_id = e.id WHERE e.id > ? ORDER BY e.id"
            : "SELECT * FROM audit_event WHERE id > ? ORDER BY id"
        let statement = try db.makeStatement(sql: sql)
        let hasher = key.map(SealHasher.init)
        let cursor = try Row.fetchCursor(statement, arguments: [resumedFrom ?? Int64.min])
        while let row = try cursor.next() {
            count += 1
            if keyedMACs { Self.feed(&bytes, statement) }
            // A cell that cannot be decoded (a timestamp edited to text, an unknown action) is a
            // break in the trail, reported with its row and column, never a crash.
            let r: AuditRecord
            do { r = try Self.auditRecord(row) } catch let damage as StoreError {
                problem = problem ?? damage.description
                continue
            }
            let id = r.event.id ?? -1
            if let anchor, id == anchor.count, r.hash != anchor.hash {
                anchorProblem = anchorProblem ?? "audit event \(id) no longer has the anchored hash (the trail was re-hashed or replaced since the anchor)"
            }
            if keyedMACs, let keyed, let hasher, id >= keyed, sealProblems.isEmpty {
                // A seal of the wrong type (edited outside Knot) reads as no seal: reported, never a trap.
                let stored = String.fromDatabaseValue(row["keyed_mac"] as DatabaseValue)
                if stored == nil {
                    trailSealFailed = true
                    sealProblems.append("audit event \(id) has no keyed seal (added outside Knot)")
                } else if stored != hasher.event(id: id, hash: r.hash) {
                    trailSealFailed = true
                    sealProblems.append("audit event \(id) does not match its keyed seal (the trail was altered or re-hashed outside Knot)")
                }
            }
            guard problem == nil else { continue }
            if id != expectedID {
                problem = id > expectedID ? "audit event \(expectedID) is missing (next is \(id))" : "audit event \(id) is out of sequence"
            } else if r.prevHash != expectedPrev {
                problem = "audit event \(id) does not link to event \(id - 1) (previous hash differs)"
            } else if Self.auditHash(id: id, event: r.event, prevHash: r.prevHash) != r.hash {
                problem = "audit event \(id) was altered (its hash does not match its contents)"
            }
            expectedPrev = r.hash
            expectedID = id + 1
        }
        if let anchor, anchorProblem == nil, Int64(count) < anchor.count || (anchor.count == 0 && anchor.hash != Self.genesisHash) {
            anchorProblem = "the trail holds \(count) event(s) but the anchor was taken at \(anchor.count) (the trail was cut since the anchor)"
        }
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"))
        if problem == nil {
            let checkedHead = head?.checked("audit_head", key: "singleton")
            let lastID: Int64 = try checkedHead?["last_id"] ?? 0
            let lastHash: String = try checkedHead?["last_hash"] ?? Self.genesisHash
            if lastID != expectedID - 1 || lastHash != expectedPrev {
                problem = lastID > expectedID - 1
                    ? "audit events \(expectedID) to \(lastID) are missing (the trail was truncated)"
                    : "the audit head does not match the last event (events were added outside Knot)"
            }
        }
        var result = AuditVerification(eventsChecked: count, firstProblem: problem, headHash: expectedPrev)
        result.keyedFrom = keyed
        result.resumedFrom = resumedFrom
        if let anchorProblem { sealProblems.insert(anchorProblem, at: 0) }
        try checkSeals(identity: identity, keyedFrom: keyed, erasedTraces: erasedTraces, verification: &result, sealProblems: &sealProblems,
                       trailSealFailed: &trailSealFailed)
        result.sealsUnchecked = result.sealsUnchecked && problem == nil && anchorProblem == nil
        result.onlyRecordsFailed = problem == nil && anchorProblem == nil && !trailSealFailed && !result.sealsUnchecked
        let recorded = try RowSeal.recordedFindings(db)
        result.recordedProblems = recorded.problems
        sealProblems += recorded.problems
        result.rowFindings = recorded.rows + result.rowFindings
        result.sealProblems = sealProblems
        if keyedMACs, problem == nil, sealProblems.isEmpty, result.rowFindings.isEmpty, result.moreRowFindings == 0, count > 0 {
            result.checkpoint = AuditCheckpoint(eventID: expectedID - 1, hash: expectedPrev, digest: ClinicKey.hex(Array(bytes.finalize())))
        }
        if result.firstProblem == nil {
            result.firstProblem = sealProblems.first ?? result.rowFindings.first.map { f in
                let n = result.rowFindings.count + result.moreRowFindings
                return n == 1 ? f.description : "\(n) rows changed outside Knot; first: \(f.description)"
            }
        }
        return result
    }

    /// The keyed part of verification: the key, the events cut after the last one, the head seal
    /// and every row.
    private func checkSeals(identity: RowSeal.Identity?, keyedFrom recovered: Int64?, erasedTraces: [String],
                            verification v: inout AuditVerification, sealProblems: inout [String], trailSealFailed: inout Bool) throws {
        guard try db.tableExists("clinic_identity") else { return }  // an older Knot's database: unkeyed
        guard let identity else {
            sealProblems.append("the clinic's seal record (table clinic_identity) was deleted outside Knot")
            return
        }
        if identity.keyedFrom == nil {
            // Never keyed: only a Knot holding the key seals, on first writable open.
            guard !erasedTraces.isEmpty else { return }
            sealProblems.append("the clinic's keyed-chain point (clinic_identity.keyed_from) was erased outside Knot, though the clinic was keyed ("
                                + erasedTraces.joined(separator: ", ") + ")"
                                + (recovered.map { "; its keyed head seal shows the chain was keyed from event \($0)" } ?? ""))
        }
        guard let key else {
            v.sealsUnchecked = true
            if let keyPath, FileManager.default.fileExists(atPath: keyPath) {
                // There, but unreadable, damaged or another clinic's.
                let why: String
                do { why = try ClinicKey.load(path: keyPath) == nil ? "it is gone" : "it does not match this clinic (its keyed seals do not verify with it: the key of another clinic, or a key file replaced)" } catch {
                    why = ClinicDatabase.keyProblem(error)
                }
                sealProblems.append("the clinic key at \(keyPath) cannot be used (\(why)): the keyed chain and row seals cannot be checked; restore the clinic's own key file from its backup")
            } else {
                sealProblems.append("the clinic key is missing (expected at \(keyPath ?? "?")): the keyed chain and row seals cannot be checked; restore the key file from its backup")
            }
            return
        }
        let lastEvent = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_event") ?? 0
        if let lastSealed = try Int64.fetchOne(db, sql: "SELECT max(event_id) FROM audit_mac"), lastSealed > lastEvent {
            trailSealFailed = true
            sealProblems.append("audit events \(lastEvent + 1) to \(lastSealed) were removed outside Knot (their keyed seals remain)")
        }
        let rows = try RowSeal.verifyRows(db, key: key)
        v.rowFindings = rows.findings
        v.moreRowFindings = rows.more
        v.rowsChecked = rows.checked
        let head = try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        if let keyedFrom = identity.keyedFrom ?? recovered {
            let expected = RowSeal.headMAC(key, clinicID: identity.clinicID, keyedFrom: keyedFrom, lastID: head?["last_id"] ?? 0,
                                           lastHash: head?["last_hash"] ?? Self.genesisHash, root: identity.root)
            if expected != identity.headMAC {
                trailSealFailed = true
                sealProblems.append("the audit head or the keyed-chain point was changed outside Knot (the keyed head seal does not match)")
            }
        } else {
            trailSealFailed = true
            sealProblems.append("the keyed head seal does not match any keyed-chain point (the audit head or its seal was changed outside Knot too)")
        }
        if rows.root != identity.root {
            // Seals removed with their rows: named when the trail records the rows' creation.
            let gone = try RowSeal.deletedWithSeals(db)
            v.rowFindings += gone
            sealProblems.append("row seals were removed or replaced outside Knot (the seal root does not match)"
                                + (gone.isEmpty ? "" : "; \(gone.count) row(s) the audit trail created are gone with their seals"))
        }
    }

    // MARK: - The keyed checkpoint

    /// The columns of an event, in a fixed order (the checkpoint digests them in this order).
    static let eventColumns = "e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.patient_id, e.detail, e.prev_hash, e.hash"

    /// Adds every cell of the statement's current row to `hash`: its type, length and bytes as
    /// SQLite stores them (no Swift value made).
    static func feed(_ hash: inout SHA256, _ statement: Statement) {
        let stmt = statement.sqliteStatement
        for i in 0..<sqlite3_column_count(stmt) {
            let type = sqlite3_column_type(stmt, i)
            switch type {
            case SQLITE_INTEGER:
                hash.update(data: [1])
                withUnsafeBytes(of: sqlite3_column_int64(stmt, i).bigEndian) { hash.update(bufferPointer: $0) }
            case SQLITE_FLOAT:
                hash.update(data: [2])
                withUnsafeBytes(of: sqlite3_column_double(stmt, i).bitPattern.bigEndian) { hash.update(bufferPointer: $0) }
            case SQLITE_TEXT, SQLITE_BLOB:
                let pointer = type == SQLITE_TEXT ? UnsafeRawPointer(sqlite3_column_text(stmt, i)) : sqlite3_column_blob(stmt, i)
                let n = Int(sqlite3_column_bytes(stmt, i))
                hash.update(data: [type == SQLITE_TEXT ? 3 : 4])
                withUnsafeBytes(of: UInt64(n).bigEndian) { hash.update(bufferPointer: $0) }
                if n > 0, let pointer { hash.update(bufferPointer: UnsafeRawBufferPointer(start: pointer, count: n)) }
            default:
                hash.update(data: [0])
            }
        }
    }

    static func checkpointMAC(_ key: ClinicKey, clinicID: String, _ c: AuditCheckpoint) -> String {
        ClinicKey.hex(key.mac(["checkpoint", clinicID, String(c.eventID), c.hash, c.digest]))
    }

    enum Resume {
        /// The checkpoint's keyed seal does not match: rewritten outside Knot.
        case forged
        /// The events before it are no longer those it digested.
        case stale
        /// The events up to it are unchanged: the running digest after them, and the hash of
        /// the anchored event when the anchor falls before the checkpoint.
        case resumed(AuditCheckpoint, SHA256, String?)
    }

    /// Re-reads the events up to the keyed checkpoint and compares their bytes with its digest;
    /// nil when there is no checkpoint.
    func resumeFromCheckpoint(key: ClinicKey, identity: RowSeal.Identity, anchor: AuditAnchor?) throws -> Resume? {
        guard try db.tableExists("audit_checkpoint"),
              let row = try Row.fetchOne(db, sql: "SELECT event_id, hash, digest, mac FROM audit_checkpoint WHERE singleton = 1") else { return nil }
        guard let id = Int64.fromDatabaseValue(row["event_id"]), let hash = String.fromDatabaseValue(row["hash"]),
              let digest = String.fromDatabaseValue(row["digest"]), let mac = String.fromDatabaseValue(row["mac"]) else { return .forged }
        let checkpoint = AuditCheckpoint(eventID: id, hash: hash, digest: digest)
        guard Self.checkpointMAC(key, clinicID: identity.clinicID, checkpoint) == mac else { return .forged }
        let statement = try db.makeStatement(sql: """
            SELECT \(Self.eventColumns), m.mac AS keyed_mac FROM audit_event e LEFT JOIN audit_mac m ON m.event_id = e.id
            WHERE e.id <= ? ORDER BY e.id
            """)
        let cursor = try Row.fetchCursor(statement, arguments: [id])
        var bytes = SHA256()
        var n: Int64 = 0
        var last: String?
        var anchorHash: String?
        let stmt = statement.sqliteStatement
        while try cursor.next() != nil {
            n += 1
            Self.feed(&bytes, statement)
            if let anchor, sqlite3_column_int64(stmt, 0) == anchor.count, let text = sqlite3_column_text(stmt, 9) {
                anchorHash = String(cString: text)
            }
            if n == id, let text = sqlite3_column_text(stmt, 9) { last = String(cString: text) }
        }
        let copy = bytes
        guard n == id, last == hash, ClinicKey.hex(Array(copy.finalize())) == digest else { return .stale }
        return .resumed(checkpoint, bytes, anchorHash)
    }

    /// Keeps the checkpoint a whole verification reached (`AuditVerification.checkpoint`), so the
    /// next one resumes from it. Knot's own bookkeeping: no audit event, no row seal (it carries
    /// its own keyed seal). Does nothing without the clinic key, or when the events it covers
    /// are no longer the ones digested (another Knot changed nothing it may; then a later run
    /// simply walks the whole chain).
    public func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws {
        guard let key, let identity = try RowSeal.identity(db), identity.keyedFrom != nil, try db.tableExists("audit_checkpoint") else { return }
        try db.execute(sql: """
            INSERT INTO audit_checkpoint (singleton, event_id, hash, digest, mac) VALUES (1, ?, ?, ?, ?)
            ON CONFLICT(singleton) DO UPDATE SET event_id = excluded.event_id, hash = excluded.hash, digest = excluded.digest, mac = excluded.mac
            """, arguments: [checkpoint.eventID, checkpoint.hash, checkpoint.digest, Self.checkpointMAC(key, clinicID: identity.clinicID, checkpoint)])
    }
}
