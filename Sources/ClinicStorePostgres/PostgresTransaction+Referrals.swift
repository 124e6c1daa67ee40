import Foundation
import ClinicModel
import PostgresNIO

/// Referrals on PostgreSQL, as the SQLite store keeps them (Sources/ClinicStore/Referrals.swift):
/// a referral with its original letter (bytea) and attachments, filed once per letter
/// (`original_sha256` and `letter_key` unique), with the same audit event.
extension PostgresTransaction {
    /// The columns `referral(_:withLetter:)` reads (the letter itself only when asked for).
    private static func referralColumns(withLetter: Bool) -> String {
        """
        r.id, r.patient_id, r.referrer_name, r.referrer_organisation, r.referrer_provider_number, r.referrer_contact,
          r.recipient, r.date, r.expires_on, r.sessions_allowed, r.reason, r.format, r.document_id, r.document_code,
          r.document_title, r.sections_json, r.warnings_json, \(withLetter ? "r.original_letter" : "NULL::bytea AS original_letter"),
          r.original_sha256, r.letter_identifiers_json, r.letter_key, r.document_set_id, r.document_version, r.replaces_referral_id
        """
    }

    /// A referral read from a row of `referralColumns`, with its attachments.
    private func referral(_ row: PostgresRow) throws -> Referral {
        let t = "referral"
        let c = row.makeRandomAccess()
        let id = try column(c, "id", Int64.self, table: t)
        func json<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
            let text = try column(c, name, String.self, table: t)
            do { return try PGJSON.decoder.decode(type, from: Data(text.utf8)) } catch {
                throw PostgresStoreError.damaged(table: t, row: String(id), column: name, problem: "is not valid JSON for this column")
            }
        }
        let attachments = try query("""
            SELECT media_type, data FROM referral_attachment WHERE referral_id = \(id) ORDER BY position
            """).map { a in
            let (mediaType, data) = try decode(a, (String, Data).self, table: "referral_attachment")
            return ReferralAttachment(mediaType: mediaType, data: data)
        }
        let expires = try column(c, "expires_on", String?.self, table: t)
        var r = Referral(
            id: id, patientID: try column(c, "patient_id", Int64.self, table: t),
            referrerName: try column(c, "referrer_name", String.self, table: t),
            referrerOrganisation: try column(c, "referrer_organisation", String?.self, table: t),
            referrerProviderNumber: try column(c, "referrer_provider_number", String?.self, table: t),
            referrerContact: try column(c, "referrer_contact", String?.self, table: t),
            recipient: try column(c, "recipient", String?.self, table: t),
            date: try localDate(try column(c, "date", String.self, table: t), table: t, row: id, column: "date"),
            expiresOn: try expires.map { try localDate($0, table: t, row: id, column: "expires_on") },
            sessionsAllowed: try column(c, "sessions_allowed", Int?.self, table: t),
            reason: try column(c, "reason", String.self, table: t),
            format: try enumeration(try column(c, "format", String.self, table: t), table: t, row: id, column: "format"),
            documentID: try column(c, "document_id", String?.self, table: t),
            documentCode: try column(c, "document_code", String?.self, table: t),
            documentTitle: try column(c, "document_title", String?.self, table: t),
            sections: try json([ReferralSection].self, "sections_json"), attachments: attachments,
            originalLetter: try column(c, "original_letter", Data?.self, table: t),
            originalSHA256: try column(c, "original_sha256", String?.self, table: t),
            importWarnings: try json([String].self, "warnings_json"))
        r.letterIdentifiers = try json([PatientIdentifier].self, "letter_identifiers_json")
        r.letterKey = try column(c, "letter_key", String?.self, table: t)
        r.documentSetID = try column(c, "document_set_id", String?.self, table: t)
        r.documentVersion = try column(c, "document_version", Int?.self, table: t)
        r.replacesReferralID = try column(c, "replaces_referral_id", Int64?.self, table: t)
        return r
    }

    /// Files a referral for a patient (with its original letter and attachments).
    @discardableResult
    public func insertReferral(_ r: Referral, actor: String, preservingID: Bool) throws -> Referral {
        do { try r.validate() } catch { throw PostgresStoreError.invalid(error) }
        guard try value("SELECT 1 FROM patient WHERE id = \(r.patientID)", as: Int32.self, table: "patient") != nil else {
            throw PostgresStoreError.notFound(entity: "patient", key: String(r.patientID))
        }
        var saved = r
        saved.id = try insertReturningID("""
            INSERT INTO referral (id, patient_id, referrer_name, referrer_organisation, referrer_provider_number, referrer_contact,
              recipient, date, expires_on, sessions_allowed, reason, format, document_id, document_code, document_title,
              sections_json, warnings_json, original_letter, original_sha256, created_at,
              letter_identifiers_json, letter_key, document_set_id, document_version, replaces_referral_id)
            VALUES (coalesce(\(preservingID ? r.id : nil), nextval(pg_get_serial_sequence('referral', 'id'))),
                    \(r.patientID), \(r.referrerName), \(r.referrerOrganisation), \(r.referrerProviderNumber), \(r.referrerContact),
                    \(r.recipient), \(r.date.description), \(r.expiresOn?.description), \(r.sessionsAllowed), \(r.reason),
                    \(r.format.rawValue), \(r.documentID), \(r.documentCode), \(r.documentTitle),
                    \(try PGJSON.encode(r.sections)), \(try PGJSON.encode(r.importWarnings)), \(r.originalLetter), \(r.originalSHA256),
                    \(PGText.timestamp(Date())), \(try PGJSON.encode(r.letterIdentifiers)), \(r.letterKey), \(r.documentSetID),
                    \(r.documentVersion), \(r.replacesReferralID))
            RETURNING id
            """, table: "referral")
        if preservingID { try advanceIdentity("referral") }
        for (i, a) in r.attachments.enumerated() {
            try execute("""
                INSERT INTO referral_attachment (referral_id, position, media_type, data) VALUES (\(saved.id), \(i), \(a.mediaType), \(a.data))
                """)
        }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "referral", entityID: saved.id, patientID: r.patientID))
        return saved
    }

    /// A referral, with its original letter when `withLetter`.
    public func referral(id: Int64, withLetter: Bool) throws -> Referral? {
        try query("SELECT \(unescaped: Self.referralColumns(withLetter: withLetter)) FROM referral r WHERE r.id = \(id)")
            .first.map(referral)
    }

    /// The referral filed from the letter with this SHA-256, if any.
    public func referralID(sha256: String) throws -> Int64? {
        try value("SELECT id FROM referral WHERE original_sha256 = \(sha256)", as: Int64.self, table: "referral")
    }

    /// A patient's referrals with sessions used (visits linked to each), newest first.
    public func referralStatuses(patientID: Int64, withLetters: Bool) throws -> [ReferralStatus] {
        try query("""
            SELECT \(unescaped: Self.referralColumns(withLetter: withLetters)),
              (SELECT count(*) FROM visit v WHERE v.patient_id = r.patient_id AND v.referral_id = r.id) AS used
            FROM referral r WHERE r.patient_id = \(patientID) ORDER BY r.date DESC, r.id DESC
            """).map { row in
            let used = try column(row.makeRandomAccess(), "used", Int64.self, table: "referral")
            return ReferralStatus(referral: try referral(row), sessionsUsed: Int(used))
        }
    }

    /// The referral filed from a letter with this identity (`Referral.letterKey`), if any.
    public func referralID(letterKey: String) throws -> Int64? {
        try value("SELECT id FROM referral WHERE letter_key = \(letterKey)", as: Int64.self, table: "referral")
    }

    /// The referrals filed from versions of one CDA letter (same setId), highest version first.
    public func referralVersions(setID: String) throws -> [ReferralVersion] {
        try query("""
            SELECT id, document_version FROM referral WHERE document_set_id = \(setID)
            ORDER BY document_version DESC NULLS LAST, id DESC
            """).map { row in
            let (id, version) = try decode(row, (Int64, Int?).self, table: "referral")
            return ReferralVersion(id: id, version: version)
        }
    }
}
