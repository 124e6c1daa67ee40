import Foundation
import ClinicModel
import PostgresNIO

/// Striking out a consent or precaution screen on PostgreSQL, as the SQLite store does
/// (Sources/ClinicStore/SafetyStrikes.swift): kept, marked with when, by whom and why, audited in
/// the same words. The schema refuses one that covers a signed visit.
extension PostgresTransaction {
    static func table(_ kind: StruckSafety.Kind) -> String { kind == .consent ? "consent" : "precaution_screen" }

    /// The patient a consent or screen in force belongs to, with when it was recorded and the
    /// last day it covers (nil when there is none, or it is struck out).
    public func safetyInForce(_ kind: StruckSafety.Kind, id: Int64) throws -> SafetyInForce? {
        let t = Self.table(kind)
        guard let row = try query("""
            SELECT patient_id, recorded_at, valid_until FROM \(unescaped: t) WHERE id = \(id) AND struck_at IS NULL
            """).first else { return nil }
        let (patient, recorded, until) = try decode(row, (Int64, String, String?).self, table: t)
        let recordedAt = try timestamp(recorded, table: t, row: id, column: "recorded_at")
        return SafetyInForce(patientID: patient, recordedAt: recordedAt,
                             validUntil: try until.map { try localDate($0, table: t, row: id, column: "valid_until") } ?? LocalDate(recordedAt))
    }

    /// Strikes a consent or screen out (kept, marked with when, by whom and why), audited with
    /// what it was (`summary`) and the reason.
    @discardableResult
    public func strikeSafety(_ kind: StruckSafety.Kind, id: Int64, reason: String, summary: String, at: Date, actor: String) throws -> StruckSafety {
        guard let found = try safetyInForce(kind, id: id) else { throw PostgresStoreError.notFound(entity: kind.noun, key: String(id)) }
        let at = AuditChain.truncated(at)
        let changed = try execute("""
            UPDATE \(unescaped: Self.table(kind)) SET struck_at = \(PGText.timestamp(at)), struck_by = \(actor), strike_reason = \(reason)
            WHERE id = \(id) AND struck_at IS NULL
            """)
        guard changed == 1 else { throw PostgresStoreError.notFound(entity: kind.noun, key: String(id)) }
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: kind == .consent ? "consent" : "screen", entityID: id,
                                   patientID: found.patientID,
                                   detail: EntryCorrectionAudit.strikeDetail(noun: kind.noun, id: id, summary: summary, reason: reason)))
        return StruckSafety(kind: kind, id: id, patientID: found.patientID, recordedAt: found.recordedAt, validUntil: found.validUntil,
                            struckAt: at, struckBy: actor, reason: reason)
    }

    /// A patient's struck-out consents and screens, oldest first.
    public func struckSafety(patientID: Int64) throws -> [StruckSafety] {
        var out: [StruckSafety] = []
        for kind in [StruckSafety.Kind.consent, .screen] {
            let t = Self.table(kind)
            for row in try query("""
                SELECT id, recorded_at, valid_until, struck_at, struck_by, strike_reason FROM \(unescaped: t)
                WHERE patient_id = \(patientID) AND struck_at IS NOT NULL ORDER BY recorded_at, id
                """) {
                let (id, recorded, until, struck, by, reason) = try decode(row, (Int64, String, String?, String, String, String).self, table: t)
                let recordedAt = try timestamp(recorded, table: t, row: id, column: "recorded_at")
                out.append(StruckSafety(kind: kind, id: id, patientID: patientID, recordedAt: recordedAt,
                                        validUntil: try until.map { try localDate($0, table: t, row: id, column: "valid_until") } ?? LocalDate(recordedAt),
                                        struckAt: try timestamp(struck, table: t, row: id, column: "struck_at"), struckBy: by, reason: reason))
            }
        }
        return out
    }
}
