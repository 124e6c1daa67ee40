import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    func referral(_ plain: Row, withLetter: Bool) throws -> Referral {
        let row = plain.checked("referral")
        let id: Int64 = try row["id"]
        let attachments = try Row.mapEach(db.cachedStatement(sql: "SELECT referral_id, media_type, data FROM referral_attachment WHERE referral_id = ? ORDER BY position"), arguments: [id]) {
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
        if !modelChecked { do { try r.validate() } catch { throw StoreError.invalid(error) } }
        // A patient this transaction has just written or read is on file: not looked up again.
        guard try scratch.patientOnFile == r.patientID
                || Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE id = ?"), arguments: [r.patientID]) != nil else {
            throw StoreError.notFound(entity: "patient", key: String(r.patientID))
        }
        // Bound in place (no `StatementArguments` per referral), each value as GRDB binds it.
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO referral (id, patient_id, referrer_name, referrer_organisation, referrer_provider_number, referrer_contact,
              recipient, date, expires_on, sessions_allowed, reason, format, document_id, document_code, document_title,
              sections_json, warnings_json, original_letter, original_sha256, created_at,
              letter_identifiers_json, letter_key, document_set_id, document_version, replaces_referral_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(preservingID ? r.id : nil); insert.int(r.patientID); insert.text(r.referrerName); insert.text(r.referrerOrganisation)
        insert.text(r.referrerProviderNumber); insert.text(r.referrerContact); insert.text(r.recipient); insert.date(r.date)
        insert.date(r.expiresOn); insert.int(r.sessionsAllowed); insert.text(r.reason); insert.text(r.format.rawValue)
        insert.text(r.documentID); insert.text(r.documentCode); insert.text(r.documentTitle)
        insert.text(ReferralColumnsJSON.sections(r.sections)); insert.text(ReferralColumnsJSON.strings(r.importWarnings))
        insert.convertible(r.originalLetter); insert.text(r.originalSHA256); insert.value(StoredDateText.databaseValue(Date()))
        insert.text(ReferralColumnsJSON.identifiers(r.letterIdentifiers)); insert.text(r.letterKey); insert.text(r.documentSetID)
        insert.int(r.documentVersion); insert.int(r.replacesReferralID)
        try insert.execute()
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
        try Row.mapEach(db.cachedStatement(sql: """
            SELECT r.*, (SELECT count(*) FROM visit v WHERE v.patient_id = r.patient_id AND v.referral_id = r.id) AS used
            FROM referral r WHERE r.patient_id = ? ORDER BY r.date DESC, r.id DESC
            """), arguments: [patientID]) { row in
            try ReferralStatus(referral: referral(row, withLetter: withLetters), sessionsUsed: row.checked("referral").count("used"))
        }
    }

    /// The referral filed from a letter with this identity (`Referral.letterKey`), if any.
    /// Read straight through SQLite (`rowsBoundInPlace`), through GRDB when that cannot say.
    public func referralID(letterKey: String) throws -> Int64? {
        if let ids = try rowsBoundInPlace(Self.referralByLetterKeyInPlace, bind: { $0.text(letterKey) }, read: { InPlaceBinding.int64($0, 0) }) {
            return ids.first
        }
        return try Int64.fetchOne(db.cachedStatement(sql: Self.referralByLetterKeySQL), arguments: [letterKey])
    }

    static let referralByLetterKeySQL = "SELECT id FROM referral WHERE letter_key = ?"
    static let referralByLetterKeyInPlace = InPlaceBinding.marker + " " + referralByLetterKeySQL

    /// The referrals filed from versions of one CDA letter (same setId), highest version first.
    public func referralVersions(setID: String) throws -> [ReferralVersion] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, document_version FROM referral WHERE document_set_id = ? ORDER BY document_version DESC, id DESC
            """), arguments: [setID]).map {
                let r = $0.checked("referral")
                return try ReferralVersion(id: r["id"], version: r["document_version"])
            }
    }
}
