import Foundation
import GRDB
import ClinicModel

/// Letters held for a person to file: a doubtful patient match waits in `referral_conflict`.
extension StoreTransaction {
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

    fileprivate func heldLetter(_ plain: Row) throws -> HeldReferralLetter {
        let row = plain.checked("referral_conflict")
        return try HeldReferralLetter(id: row["id"], fileName: row["file_name"], format: row["format"], letter: row["letter"],
                           sha256: row["sha256"], reason: row["reason"],
                           candidateIDs: row.json([Int64].self, "candidates_json"),
                           receivedAt: row["received_at"], resolvedAt: row["resolved_at"], resolvedBy: row["resolved_by"],
                           referralID: row["referral_id"])
    }
}
