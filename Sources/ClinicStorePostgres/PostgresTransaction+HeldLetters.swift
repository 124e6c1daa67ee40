import Foundation
import ClinicModel
import PostgresNIO

/// Letters held for a person to file (a doubtful patient match waits in `referral_conflict`), as
/// the SQLite store keeps them (Sources/ClinicStore/HeldReferralLetters.swift), with the same
/// audit event.
extension PostgresTransaction {
    /// Holds a letter whose patient match is doubtful until a person files it; returns its id.
    /// The same letter held again (same SHA-256, still open) keeps its first id.
    public func holdReferralLetter(_ letter: HeldReferralLetter, actor: String) throws -> Int64 {
        if let open = try value("SELECT id FROM referral_conflict WHERE sha256 = \(letter.sha256) AND resolved_at IS NULL",
                                as: Int64.self, table: "referral_conflict") {
            return open
        }
        let id = try insertReturningID("""
            INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, candidates_json, received_at)
            VALUES (\(letter.fileName), \(letter.format), \(letter.letter), \(letter.sha256), \(letter.reason),
                    \(try PGJSON.encode(letter.candidateIDs)), \(PGText.timestamp(Date())))
            RETURNING id
            """, table: "referral_conflict")
        try appendAudit(AuditEvent(actor: actor, action: .import, entity: "referral_conflict", entityID: id, patientID: nil,
                                   detail: "held for a person to file: doubtful patient match"))
        return id
    }

    /// A held letter, resolved or not.
    public func heldReferralLetter(id: Int64) throws -> HeldReferralLetter? {
        try query("SELECT \(unescaped: Self.heldLetterColumns) FROM referral_conflict WHERE id = \(id)").first.map(heldLetter)
    }

    /// Letters still waiting for a person to file them, oldest first.
    public func openReferralConflicts() throws -> [HeldReferralLetter] {
        try query("SELECT \(unescaped: Self.heldLetterColumns) FROM referral_conflict WHERE resolved_at IS NULL ORDER BY id").map(heldLetter)
    }

    /// Marks a held letter filed as `referralID`.
    public func markReferralConflictResolved(id: Int64, referralID: Int64, actor: String) throws {
        let changed = try execute("""
            UPDATE referral_conflict SET resolved_at = \(PGText.timestamp(Date())), resolved_by = \(actor), referral_id = \(referralID)
            WHERE id = \(id) AND resolved_at IS NULL
            """)
        guard changed == 1 else { throw PostgresStoreError.notFound(entity: "open referral conflict", key: String(id)) }
    }

    private static let heldLetterColumns =
        "id, file_name, format, letter, sha256, reason, candidates_json, received_at, resolved_at, resolved_by, referral_id"

    private func heldLetter(_ row: PostgresRow) throws -> HeldReferralLetter {
        let t = "referral_conflict"
        let (id, fileName, format, letter, sha256, reason, candidates, receivedAt, resolvedAt, resolvedBy, referralID) = try decode(
            row, (Int64, String, String, Data, String, String, String, String, String?, String?, Int64?).self, table: t)
        let ids: [Int64]
        do { ids = try PGJSON.decoder.decode([Int64].self, from: Data(candidates.utf8)) } catch {
            throw PostgresStoreError.damaged(table: t, row: String(id), column: "candidates_json", problem: "is not valid JSON for this column")
        }
        return HeldReferralLetter(id: id, fileName: fileName, format: format, letter: letter, sha256: sha256, reason: reason,
                                  candidateIDs: ids, receivedAt: try timestamp(receivedAt, table: t, row: id, column: "received_at"),
                                  resolvedAt: try resolvedAt.map { try timestamp($0, table: t, row: id, column: "resolved_at") },
                                  resolvedBy: resolvedBy, referralID: referralID)
    }
}
