import Foundation
import GRDB
import ClinicModel

/// A referral with how much of it is used: what reception and the chart show.
public struct ReferralStatus: Sendable, Hashable, Codable {
    public var referral: Referral
    public var sessionsUsed: Int
    public var sessionsLeft: Int? { referral.sessionsAllowed.map { max(0, $0 - sessionsUsed) } }
    public func isCurrent(on day: LocalDate) -> Bool {
        referral.isCurrent(on: day) && (sessionsLeft.map { $0 > 0 } ?? true)
    }
}

extension StoreTransaction {
    func referral(_ row: Row, withLetter: Bool) throws -> Referral {
        let id: Int64 = row["id"]
        let attachments = try Row.fetchAll(db.cachedStatement(sql: "SELECT media_type, data FROM referral_attachment WHERE referral_id = ? ORDER BY position"), arguments: [id])
            .map { ReferralAttachment(mediaType: $0["media_type"], data: $0["data"]) }
        return Referral(
            id: id, patientID: row["patient_id"], referrerName: row["referrer_name"],
            referrerOrganisation: row["referrer_organisation"], referrerProviderNumber: row["referrer_provider_number"],
            referrerContact: row["referrer_contact"], recipient: row["recipient"],
            date: row["date"], expiresOn: row["expires_on"], sessionsAllowed: row["sessions_allowed"],
            reason: row["reason"], format: ReferralFormat(rawValue: row["format"]) ?? .manual,
            documentID: row["document_id"], documentCode: row["document_code"], documentTitle: row["document_title"],
            sections: try decode([ReferralSection].self, row["sections_json"]), attachments: attachments,
            originalLetter: withLetter ? row["original_letter"] : nil, originalSHA256: row["original_sha256"],
            importWarnings: try decode([String].self, row["warnings_json"]))
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
              sections_json, warnings_json, original_letter, original_sha256, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? r.id : nil, r.patientID, r.referrerName, r.referrerOrganisation, r.referrerProviderNumber,
                             r.referrerContact, r.recipient, r.date, r.expiresOn, r.sessionsAllowed, r.reason,
                             r.format.rawValue, r.documentID, r.documentCode, r.documentTitle,
                             try encode(r.sections), try encode(r.importWarnings), r.originalLetter, r.originalSHA256, Date()])
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
            ReferralStatus(referral: try referral(row, withLetter: withLetters), sessionsUsed: row["used"])
        }
    }

    /// Remembers that a document was imported (its SHA-256), so a second import is a no-op.
    public func recordImportedDocument(sha256: String, kind: String) throws {
        try db.cachedStatement(sql: "INSERT INTO imported_document (sha256, kind, imported_at) VALUES (?, ?, ?)").execute(arguments: [sha256, kind, Date()])
    }

    public func wasImported(sha256: String) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM imported_document WHERE sha256 = ?"), arguments: [sha256]) != nil
    }
}
