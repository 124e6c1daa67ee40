import Foundation
import GRDB
import ClinicModel

/// Striking out a consent or precaution screen: kept, marked with when, by whom and why.
extension StoreTransaction {
    static func table(_ kind: StruckSafety.Kind) -> String { kind == .consent ? "consent" : "precaution_screen" }

    /// The patient a consent or screen in force belongs to, with when it was recorded and the
    /// last day it covers (nil when there is none, or it is struck out).
    public func safetyInForce(_ kind: StruckSafety.Kind, id: Int64) throws -> SafetyInForce? {
        guard let r = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT patient_id, recorded_at, valid_until FROM \(Self.table(kind)) WHERE id = ? AND struck_at IS NULL
            """), arguments: [id]) else { return nil }
        let recordedAt: Date = r["recorded_at"]
        let until: LocalDate? = r["valid_until"]
        return SafetyInForce(patientID: r["patient_id"], recordedAt: recordedAt, validUntil: until ?? LocalDate(recordedAt))
    }

    /// Strikes a consent or screen out (kept, marked with when, by whom and why), audited with
    /// what it was (`summary`) and the reason.
    @discardableResult
    public func strikeSafety(_ kind: StruckSafety.Kind, id: Int64, reason: String, summary: String, at: Date, actor: String) throws -> StruckSafety {
        guard let found = try safetyInForce(kind, id: id) else { throw StoreError.notFound(entity: kind.noun, key: String(id)) }
        let at = Self.truncated(at)
        try db.cachedStatement(sql: """
            UPDATE \(Self.table(kind)) SET struck_at = ?, struck_by = ?, strike_reason = ? WHERE id = ? AND struck_at IS NULL
            """).execute(arguments: [at, actor, reason, id])
        guard db.changesCount == 1 else { throw StoreError.notFound(entity: kind.noun, key: String(id)) }
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
            for r in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, recorded_at, valid_until, struck_at, struck_by, strike_reason FROM \(Self.table(kind))
                WHERE patient_id = ? AND struck_at IS NOT NULL ORDER BY recorded_at, id
                """), arguments: [patientID]) {
                let recordedAt: Date = r["recorded_at"]
                let until: LocalDate? = r["valid_until"]
                out.append(StruckSafety(kind: kind, id: r["id"], patientID: patientID, recordedAt: recordedAt,
                                        validUntil: until ?? LocalDate(recordedAt), struckAt: r["struck_at"],
                                        struckBy: r["struck_by"], reason: r["strike_reason"]))
            }
        }
        return out
    }
}
