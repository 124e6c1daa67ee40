import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    func referral(_ plain: Row, withLetter: Bool) throws -> Referral {
        let row = plain.checked("referral")
        let id: Int64 = try row["id"]
        let attachments = try Row.fetchAll(db.cachedStatement(sql: "SELECT referral_id, media_type, data FROM referral_attachment WHERE referral_id = ? ORDER BY position"), arguments: [id])
            .map {
                let a = $0.checked("referral_attachment", key: "referral_id")
                return try ReferralAttachment(mediaType: a["media_type"], data: a["data"])
            }
        var r = try Referral(
            id: id, patientID: row["patient_id"], referrerName: row["referrer_name"],
            referrerOrganisation: row["referrer_organisation"], referrerProviderNumber: row["referrer_provider_number"],
            referrerContact: row["referrer_contact"], recipient: row["recipient"],
            date: row["date"], expiresOn: row["expires_on"], sessionsAllowed: row.optionalCount("sessions_allowed"),
            reason: row["reason"], format: row.enumeration("format"),
            documentID: row["document_id"], documentCode: row["document_code"], documentTitle: row["document_title"],
            sections: row.json([ReferralSection].self, "sections_json"), attachments: attachments,
            originalLetter: withLetter ? row["original_letter"] : nil, originalSHA256: row["original_sha256"],
            importWarnings: row.json([String].self, "warnings_json"))
        r.letterIdentifiers = try (row["letter_identifiers_json"] as String?) == nil ? [] : row.json([PatientIdentifier].self, "letter_identifiers_json")
        r.letterKey = try row["letter_key"]
        r.documentSetID = try row["document_set_id"]
        r.documentVersion = try row["document_version"]
        r.replacesReferralID = try row["replaces_referral_id"]
        return r
    }

    /// Files a referral for a patient (with its original letter and attachments).
    @discardableResult
    public func insertReferral(_ r: Referral, actor: String, preservingID: Bool = false) throws -> Referral {
        do { try r.validate() } catch { throw StoreError.invalid(error) }
        guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE id = ?"), arguments: [r.patientID]) != nil else {
            throw StoreError.notFound(entity: "patient", key: String(r.patientID))
        }
        try db.cachedStatement(sql: """
            INSERT INTO referral (id, patient_id, referrer_name, referrer_organisation, referrer_provider_number, referrer_contact,
              recipient, date, expires_on, sessions_allowed, reason, format, document_id, document_code, document_title,
              sections_json, warnings_json, original_letter, original_sha256, created_at,
              letter_identifiers_json, letter_key, document_set_id, document_version, replaces_referral_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? r.id : nil, r.patientID, r.referrerName, r.referrerOrganisation, r.referrerProviderNumber,
                             r.referrerContact, r.recipient, r.date, r.expiresOn, r.sessionsAllowed, r.reason,
                             r.format.rawValue, r.documentID, r.documentCode, r.documentTitle,
                             try encode(r.sections), try encode(r.importWarnings), r.originalLetter, r.originalSHA256, Date(),
                             try encode(r.letterIdentifiers), r.letterKey, r.documentSetID, r.documentVersion, r.replacesReferralID])
        var saved = r
        saved.id = lastID()
        for (i, a) in r.attachments.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO referral_attachment (referral_id, position, media_type, data) VALUES (?, ?, ?, ?)").execute(arguments: [saved.id, i, a.mediaType, a.data])
        }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "referral", entityID: saved.id, patientID: r.patientID))
        return saved
    }

    public func referral(id: Int64, withLetter: Bool = true) throws -> Referral? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM referral WHERE id = ?"), arguments: [id]) else { return nil }
        return try referral(row, withLetter: withLetter)
    }

    public func referralID(sha256: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM referral WHERE original_sha256 = ?"), arguments: [sha256])
    }

    /// A patient's referrals with sessions used (visits linked to each), newest first.
    public func referralStatuses(patientID: Int64, withLetters: Bool = false) throws -> [ReferralStatus] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT r.*, (SELECT count(*) FROM visit v WHERE v.patient_id = r.patient_id AND v.referral_id = r.id) AS used
            FROM referral r WHERE r.patient_id = ? ORDER BY r.date DESC, r.id DESC
            """), arguments: [patientID]).map { row in
            try ReferralStatus(referral: referral(row, withLetter: withLetters), sessionsUsed: row.checked("referral").count("used"))
        }
    }

    /// Remembers that a document was imported (its SHA-256), so a second import is a no-op.
    public func recordImportedDocument(sha256: String, kind: String) throws {
        try db.cachedStatement(sql: "INSERT INTO imported_document (sha256, kind, imported_at) VALUES (?, ?, ?)").execute(arguments: [sha256, kind, Date()])
    }

    public func wasImported(sha256: String) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM imported_document WHERE sha256 = ?"), arguments: [sha256]) != nil
    }

    /// The referral filed from a letter with this identity (`Referral.letterKey`), if any.
    public func referralID(letterKey: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM referral WHERE letter_key = ?"), arguments: [letterKey])
    }

    /// The referrals filed from versions of one CDA letter (same setId), highest version first.
    public func referralVersions(setID: String) throws -> [(id: Int64, version: Int?)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, document_version FROM referral WHERE document_set_id = ? ORDER BY document_version DESC, id DESC
            """), arguments: [setID]).map {
                let r = $0.checked("referral")
                return try (id: r["id"], version: r["document_version"])
            }
    }

    // MARK: letters held for a person to file

    /// Holds a letter whose patient match is doubtful until a person files it; returns its id.
    /// The same letter held again (same SHA-256, still open) keeps its first id.
    public func holdReferralLetter(_ letter: HeldReferralLetter, actor: String) throws -> Int64 {
        if let open = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM referral_conflict WHERE sha256 = ? AND resolved_at IS NULL"),
                                          arguments: [letter.sha256]) {
            return open
        }
        try db.cachedStatement(sql: """
            INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, candidates_json, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [letter.fileName, letter.format, letter.letter, letter.sha256, letter.reason,
                                     try encode(letter.candidateIDs), Date()])
        let id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .import, entity: "referral_conflict", entityID: id, patientID: nil,
                                   detail: "held for a person to file: doubtful patient match"))
        return id
    }

    /// A held letter, resolved or not.
    public func heldReferralLetter(id: Int64) throws -> HeldReferralLetter? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM referral_conflict WHERE id = ?"), arguments: [id]).map(heldLetter)
    }

    /// Letters still waiting for a person to file them, oldest first.
    public func openReferralConflicts() throws -> [HeldReferralLetter] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM referral_conflict WHERE resolved_at IS NULL ORDER BY id")).map(heldLetter)
    }

    /// Marks a held letter filed as `referralID`.
    public func markReferralConflictResolved(id: Int64, referralID: Int64, actor: String) throws {
        try db.cachedStatement(sql: "UPDATE referral_conflict SET resolved_at = ?, resolved_by = ?, referral_id = ? WHERE id = ? AND resolved_at IS NULL")
            .execute(arguments: [Date(), actor, referralID, id])
        guard db.changesCount == 1 else { throw StoreError.notFound(entity: "open referral conflict", key: String(id)) }
    }

    private func heldLetter(_ plain: Row) throws -> HeldReferralLetter {
        let row = plain.checked("referral_conflict")
        return try HeldReferralLetter(id: row["id"], fileName: row["file_name"], format: row["format"], letter: row["letter"],
                           sha256: row["sha256"], reason: row["reason"],
                           candidateIDs: row.json([Int64].self, "candidates_json"),
                           receivedAt: row["received_at"], resolvedAt: row["resolved_at"], resolvedBy: row["resolved_by"],
                           referralID: row["referral_id"])
    }

    // MARK: damage a database can carry from outside Knot

    /// Visits linked to a referral of another patient (possible only where the v5 triggers were
    /// dropped or an older Knot wrote them), and the safety triggers that are missing.
    public func referralLinkDamage() throws -> [String] {
        var problems = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.id AS visit, r.id AS referral, vp.record_number AS visit_patient, rp.record_number AS referral_patient
            FROM visit v JOIN referral r ON r.id = v.referral_id
            JOIN patient vp ON vp.id = v.patient_id JOIN patient rp ON rp.id = r.patient_id
            WHERE r.patient_id <> v.patient_id ORDER BY v.id
            """)).map { plain -> String in
            let row = plain.checked("visit", key: "visit")
            let visit: Int64 = try row["visit"], referral: Int64 = try row["referral"]
            let own: String = try row["visit_patient"], other: String = try row["referral_patient"]
            return "visit \(visit) (patient \(own)) is linked to referral \(referral) of another patient (\(other))"
        }
        for name in ["visit_referral_same_patient_insert", "visit_referral_same_patient_update"] {
            if try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?"), arguments: [name]) == nil {
                problems.append("the safety trigger \(name) is missing (a visit could be linked to another patient's referral)")
            }
        }
        return problems
    }
}
