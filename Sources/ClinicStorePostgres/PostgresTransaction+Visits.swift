import Foundation
import ClinicModel
import PostgresNIO

/// Visits on PostgreSQL, as the SQLite store keeps them (Sources/ClinicStore/Visits.swift): the
/// header, its revision, the impression, signing and needles removed, with the same audit
/// events, so the hash chain is the same for the same consultation.
///
/// The entries (findings, treatments, needling, outcome measures) are added and read in
/// PostgresTransaction+VisitEntries.swift, corrected in +EntryCorrections.swift.
extension PostgresTransaction {
    // MARK: header

    /// Opens a draft visit (and its entries, when it carries them).
    @discardableResult
    public func insertVisit(_ v: Visit, actor: String, preservingID: Bool) throws -> Visit {
        do { try v.validateHeader() } catch { throw PostgresStoreError.invalid(error) }
        var v = v
        v.startedAt = AuditChain.truncated(v.startedAt)
        let id = try insertReturningID("""
            INSERT INTO visit (id, patient_id, practitioner_id, referral_id, started_at, complaint, pain_now, pain_best, pain_worst,
              psfs_json, notes, likely_cause_notes, status, signed_at, revision, impression, impression_code, impression_code_system)
            VALUES (coalesce(\(preservingID ? v.id : nil), nextval(pg_get_serial_sequence('visit', 'id'))),
                    \(v.patientID), \(v.practitionerID), \(v.referralID), \(PGText.timestamp(v.startedAt)), \(v.complaint),
                    \(v.pain.now?.value), \(v.pain.best?.value), \(v.pain.worst?.value), \(try PGJSON.encode(v.psfs)),
                    \(v.notes), \(v.likelyCauseNotes), 'draft', NULL, 0,
                    \(v.impression?.text), \(v.impression?.code), \(v.impression?.codeSystem?.rawValue))
            RETURNING id
            """, table: "visit")
        if preservingID { try advanceIdentity("visit") }
        v.id = id
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "visit", entityID: id, patientID: v.patientID))
        v.triggerPoints = try v.triggerPoints.map { try insertTriggerPoint($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.biomechanics = try v.biomechanics.map { try insertBiomechanical($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.treatments = try v.treatments.map { try insertTreatment($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.needling = try v.needling.map { try insertNeedling($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.outcomes = try v.outcomes.map { try insertOutcome($0, visitID: id, actor: nil, preservingID: preservingID) }
        if v.status == .signed, let at = v.signedAt {
            try execute("UPDATE visit SET status = 'signed', signed_at = \(PGText.timestamp(AuditChain.truncated(at))) WHERE id = \(id)")
        } else {
            v.status = .draft
            v.signedAt = nil
        }
        return v
    }

    /// The draft's revision (bumped by every save), for detecting two sessions editing one draft.
    public func visitRevision(id: Int64) throws -> Int {
        guard let revision = try value("SELECT revision FROM visit WHERE id = \(id)", as: Int.self, table: "visit") else {
            throw PostgresStoreError.notFound(entity: "visit", key: String(id))
        }
        return revision
    }

    /// Saves a draft's header; with `expectedRevision`, refuses (`draftConflict`) when another
    /// session saved in between. The row is locked first, so two sessions saving at once are
    /// serialised and the second sees the first's revision.
    @discardableResult
    public func updateVisitHeader(_ v: Visit, expectedRevision: Int?, actor: String) throws -> Int {
        guard let id = v.id else { throw PostgresStoreError.notFound(entity: "visit", key: "(new)") }
        do { try v.validateHeader() } catch { throw PostgresStoreError.invalid(error) }
        guard let current = try value("SELECT revision FROM visit WHERE id = \(id) FOR UPDATE", as: Int.self, table: "visit") else {
            throw PostgresStoreError.notFound(entity: "visit", key: String(id))
        }
        if let expectedRevision, expectedRevision != current { throw PostgresStoreError.draftConflict(visitID: id) }
        try execute("""
            UPDATE visit SET referral_id = \(v.referralID), complaint = \(v.complaint), pain_now = \(v.pain.now?.value),
              pain_best = \(v.pain.best?.value), pain_worst = \(v.pain.worst?.value), psfs_json = \(try PGJSON.encode(v.psfs)),
              notes = \(v.notes), likely_cause_notes = \(v.likelyCauseNotes), impression = \(v.impression?.text),
              impression_code = \(v.impression?.code), impression_code_system = \(v.impression?.codeSystem?.rawValue),
              revision = revision + 1 WHERE id = \(id)
            """)
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "visit", entityID: id, patientID: v.patientID))
        return current + 1
    }

    /// Signs a visit: from now on it is only amended. The schema refuses it while needles do not balance.
    public func signVisit(id: Int64, at: Date, actor: String) throws {
        let patient = try patientID(visitID: id)
        try execute("""
            UPDATE visit SET status = 'signed', signed_at = \(PGText.timestamp(AuditChain.truncated(at))), revision = revision + 1
            WHERE id = \(id)
            """)
        try appendAudit(AuditEvent(actor: actor, action: .sign, entity: "visit", entityID: id, patientID: patient))
    }

    /// Records, replaces or (nil) clears a draft's clinical impression, audited as which (the
    /// same detail text as the SQLite store, so the same event hashes alike).
    public func updateImpression(_ impression: ClinicalImpression?, visitID: Int64, actor: String) throws {
        if let impression { do { try impression.validate() } catch { throw PostgresStoreError.invalid(error) } }
        guard let row = try query("SELECT impression, impression_code, impression_code_system FROM visit WHERE id = \(visitID) FOR UPDATE").first else {
            throw PostgresStoreError.notFound(entity: "visit", key: String(visitID))
        }
        let (oldText, oldCode, oldSystem) = try decode(row, (String?, String?, String?).self, table: "visit")
        try execute("""
            UPDATE visit SET impression = \(impression?.text), impression_code = \(impression?.code),
              impression_code_system = \(impression?.codeSystem?.rawValue) WHERE id = \(visitID)
            """)
        let what = ClinicalImpression.auditDetail(oldText: oldText, oldCodeSystem: oldSystem, oldCode: oldCode, new: impression)
        try execute("UPDATE visit SET revision = revision + 1 WHERE id = \(visitID)")
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "visit", entityID: visitID,
                                   patientID: try patientID(visitID: visitID), detail: what))
    }

    func patientID(visitID: Int64) throws -> Int64 {
        guard let patient = try value("SELECT patient_id FROM visit WHERE id = \(visitID)", as: Int64.self, table: "visit") else {
            throw PostgresStoreError.notFound(entity: "visit", key: String(visitID))
        }
        return patient
    }

    /// Bumps the visit's revision and audits a change to one of its entries, as SQLite's `childAudit`.
    func childAudit(actor: String, visitID: Int64, what: String, id: Int64?, action: AuditEvent.Action = .create) throws {
        try execute("UPDATE visit SET revision = revision + 1 WHERE id = \(visitID)")
        try appendAudit(AuditEvent(actor: actor, action: action, entity: "visit", entityID: visitID,
                                   patientID: try patientID(visitID: visitID), detail: "\(what) \(id.map(String.init) ?? "")"))
    }

    // MARK: needles

    /// Records needles removed at a site (the count that must balance before signing): the total
    /// out of the site so far. Returns the total on file before.
    @discardableResult
    public func updateNeedlesRemoved(entryID: Int64, removed: Int, actor: String) throws -> Int {
        guard let row = try query("SELECT visit_id, inserted, removed FROM needling_entry WHERE id = \(entryID) AND struck_at IS NULL").first else {
            throw PostgresStoreError.notFound(entity: "needling entry", key: String(entryID))
        }
        let (visitID, inserted, before) = try decode(row, (Int64, Int, Int).self, table: "needling_entry")
        guard (0...max(inserted, 0)).contains(removed) else {
            throw PostgresStoreError.invalid(ValidationErrors([ValidationError(
                field: "needlesRemoved", value: "\(removed)", rule: "must be between 0 and the \(inserted) inserted")]))
        }
        try execute("UPDATE needling_entry SET removed = \(removed) WHERE id = \(entryID)")
        try childAudit(actor: actor, visitID: visitID, what: "needles removed", id: entryID, action: .update)
        return before
    }

    /// The needle of the practitioner's most recent needling entry (remembered for the next one).
    public func lastNeedle(practitionerID: Int64) throws -> Needle? {
        guard let row = try query("""
            SELECT n.needle_brand, n.needle_gauge_mm, n.needle_length_mm, n.needle_lot FROM needling_entry n
            JOIN visit v ON v.id = n.visit_id WHERE v.practitioner_id = \(practitionerID) AND n.struck_at IS NULL
            ORDER BY n.id DESC LIMIT 1
            """).first else { return nil }
        let (brand, gauge, length, lot) = try decode(row, (String, Double, Double, String).self, table: "needling_entry")
        return Needle(brand: brand, gaugeMm: gauge, lengthMm: length, lot: lot)
    }

    // MARK: reading

    private static let visitColumns = """
        id, patient_id, practitioner_id, referral_id, started_at, complaint, pain_now, pain_best, pain_worst, psfs_json, notes,
          likely_cause_notes, status, signed_at, impression, impression_code, impression_code_system
        """

    /// A visit with its entries, or nil.
    public func visit(id: Int64) throws -> Visit? {
        try query("SELECT \(unescaped: Self.visitColumns) FROM visit WHERE id = \(id)").first.map(visit)
    }

    /// A patient's visits, oldest first, with their entries.
    public func visits(patientID: Int64) throws -> [Visit] {
        try query("SELECT \(unescaped: Self.visitColumns) FROM visit WHERE patient_id = \(patientID) ORDER BY started_at, id").map(visit)
    }

    private func visit(_ row: PostgresRow) throws -> Visit {
        let columns = row.makeRandomAccess()
        let id = try column(columns, "id", Int64.self, table: "visit")
        let startedAt = try column(columns, "started_at", String.self, table: "visit")
        let signedAt = try column(columns, "signed_at", String?.self, table: "visit")
        var v = Visit(
            id: id, patientID: try column(columns, "patient_id", Int64.self, table: "visit"),
            practitionerID: try column(columns, "practitioner_id", Int64.self, table: "visit"),
            referralID: try column(columns, "referral_id", Int64?.self, table: "visit"),
            startedAt: try timestamp(startedAt, table: "visit", row: id, column: "started_at"),
            complaint: try column(columns, "complaint", String?.self, table: "visit"),
            pain: PainScores(now: try measure(columns, "pain_now", NPRS.self, table: "visit", row: id),
                             best: try measure(columns, "pain_best", NPRS.self, table: "visit", row: id),
                             worst: try measure(columns, "pain_worst", NPRS.self, table: "visit", row: id)),
            psfs: try json(columns, "psfs_json", [PSFSItem].self, table: "visit", row: id),
            notes: try column(columns, "notes", String?.self, table: "visit"),
            likelyCauseNotes: try column(columns, "likely_cause_notes", String?.self, table: "visit"),
            status: try enumeration(try column(columns, "status", String.self, table: "visit"), table: "visit", row: id, column: "status"),
            signedAt: try signedAt.map { try timestamp($0, table: "visit", row: id, column: "signed_at") })
        if let text = try column(columns, "impression", String?.self, table: "visit") {
            let code = try column(columns, "impression_code", String?.self, table: "visit")
            let system = try column(columns, "impression_code_system", String?.self, table: "visit")
            v.impression = ClinicalImpression(
                text: text, code: code,
                codeSystem: try system.map { try enumeration($0, as: ClinicalImpression.CodeSystem.self, table: "visit", row: id, column: "impression_code_system") })
        }
        try readEntries(into: &v)
        return v
    }

    /// A named column of a row, typed; a wrong type is `damaged`, naming the table, row and column.
    func column<T: PostgresDecodable>(_ row: PostgresRandomAccessRow, _ name: String, _ type: T.Type, table: String) throws -> T {
        do { return try row[name].decode(T.self) } catch {
            let id = row.contains("id") ? (try? row["id"].decode(Int64?.self)).flatMap { $0.map(String.init) } ?? "" : ""
            throw PostgresStoreError.damaged(table: table, row: id, column: name, problem: "the value cannot be read as \(T.self)")
        }
    }

    /// A measure column in its scale's range, or `damaged` (as SQLite's `CheckedRow.measure`).
    func measure<M: ClinicalMeasure>(_ row: PostgresRandomAccessRow, _ name: String, _ type: M.Type, table: String,
                                     row id: Int64) throws -> M? where M.Value: PostgresDecodable, M.Value._DecodableType == M.Value {
        guard let value = try column(row, name, Optional<M.Value>.self, table: table) else { return nil }
        guard M.range.contains(value) else {
            throw PostgresStoreError.damaged(table: table, row: String(id), column: name,
                                             problem: "\(value) is outside the \(M.scaleName) range \(M.range.lowerBound) to \(M.range.upperBound)")
        }
        return M(unchecked: value)
    }

    /// A JSON text column decoded, or `damaged` (as SQLite's `CheckedRow.json`).
    func json<T: Decodable>(_ row: PostgresRandomAccessRow, _ name: String, _ type: T.Type, table: String, row id: Int64) throws -> T {
        let text = try column(row, name, String?.self, table: table)
        do { return try PGJSON.decoder.decode(type, from: Data((text ?? "null").utf8)) } catch {
            throw PostgresStoreError.damaged(table: table, row: String(id), column: name,
                                             problem: text == nil ? "is empty (NULL), but a value is required" : "is not valid JSON for this column")
        }
    }
}

/// JSON columns written byte for byte as the SQLite store writes them (sorted keys, dates in
/// milliseconds), so rows, exports and seals compare between the stores.
enum PGJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
