import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    @discardableResult
    public func insertConsent(_ c: Consent, actor: String, preservingID: Bool = false) throws -> Consent {
        do { try c.validate() } catch { throw StoreError.invalid(error) }
        var c = c
        c.recordedAt = Self.truncated(c.recordedAt)
        try db.cachedStatement(sql: """
            INSERT INTO consent (id, patient_id, practitioner_id, recorded_at, risks, benefits_explained, written, valid_until, notes,
              guardian_name, guardian_relationship, mature_minor, written_at, written_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? c.id : nil, c.patientID, c.practitionerID, c.recordedAt,
                             c.risksExplained.map(\.rawValue).sorted().joined(separator: ","),
                             c.benefitsExplained, c.written, c.validUntil, c.notes,
                             c.guardian?.name, c.guardian?.relationship, c.matureMinorAssessment,
                             c.lateEntry.map { Self.truncated($0.writtenAt) }, c.lateEntry?.writtenBy])
        c.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "consent", entityID: c.id, patientID: c.patientID))
        return c
    }

    /// A patient's consents in force (struck-out ones are left out: they cover nothing).
    public func consents(patientID: Int64) throws -> [Consent] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM consent WHERE patient_id = ? AND struck_at IS NULL ORDER BY recorded_at, id"), arguments: [patientID]).map { row in
            let r = row.checked("consent")
            let risks: [Consent.Risk] = try r.commaList("risks")
            let name: String? = try r["guardian_name"], relationship: String? = try r["guardian_relationship"]
            let guardian: Consent.Guardian? = switch (name, relationship) {
            case let (name?, relationship?): Consent.Guardian(name: name, relationship: relationship)
            default: nil
            }
            return try Consent(id: r["id"], patientID: r["patient_id"], practitionerID: r["practitioner_id"], recordedAt: r["recorded_at"],
                           risksExplained: Set(risks), benefitsExplained: r["benefits_explained"], written: r["written"],
                           validUntil: r["valid_until"], notes: r["notes"], guardian: guardian,
                           matureMinorAssessment: r["mature_minor"], lateEntry: Self.lateEntry(r))
        }
    }

    @discardableResult
    public func insertScreen(_ s: PrecautionScreen, actor: String, preservingID: Bool = false) throws -> PrecautionScreen {
        do { try s.validate() } catch { throw StoreError.invalid(error) }
        var s = s
        s.recordedAt = Self.truncated(s.recordedAt)
        let acks = Dictionary(uniqueKeysWithValues: s.acknowledgments.map { ($0.key.rawValue, $0.value) })
        try db.cachedStatement(sql: """
            INSERT INTO precaution_screen (id, patient_id, practitioner_id, recorded_at, present_json, acknowledgments_json, valid_until,
              written_at, written_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? s.id : nil, s.patientID, s.practitionerID, s.recordedAt,
                             try encode(s.present.map(\.rawValue).sorted()), try encode(acks), s.validUntil,
                             s.lateEntry.map { Self.truncated($0.writtenAt) }, s.lateEntry?.writtenBy])
        s.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "screen", entityID: s.id, patientID: s.patientID))
        return s
    }

    /// A patient's precaution screens in force (struck-out ones are left out: they cover nothing).
    public func screens(patientID: Int64) throws -> [PrecautionScreen] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM precaution_screen WHERE patient_id = ? AND struck_at IS NULL ORDER BY recorded_at, id"), arguments: [patientID]).map { row in
            let r = row.checked("precaution_screen")
            let present: [Precaution] = try r.known(r.json([String].self, "present_json"), in: "present_json")
            let acks = try r.json([String: String].self, "acknowledgments_json")
            var map: [Precaution: String] = [:]
            for (k, v) in acks { map[try r.known([k], in: "acknowledgments_json", as: Precaution.self)[0]] = v }
            return try PrecautionScreen(id: r["id"], patientID: r["patient_id"], practitionerID: r["practitioner_id"],
                                    recordedAt: r["recorded_at"], present: Set(present), acknowledgments: map,
                                    validUntil: r["valid_until"], lateEntry: Self.lateEntry(r))
        }
    }

    static func table(_ kind: StruckSafety.Kind) -> String { kind == .consent ? "consent" : "precaution_screen" }

    /// The patient a consent or screen in force belongs to, with when it was recorded and the
    /// last day it covers (nil when there is none, or it is struck out).
    public func safetyInForce(_ kind: StruckSafety.Kind, id: Int64) throws -> (patientID: Int64, recordedAt: Date, validUntil: LocalDate)? {
        guard let r = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT patient_id, recorded_at, valid_until FROM \(Self.table(kind)) WHERE id = ? AND struck_at IS NULL
            """), arguments: [id]) else { return nil }
        let recordedAt: Date = r["recorded_at"]
        let until: LocalDate? = r["valid_until"]
        return (r["patient_id"], recordedAt, until ?? LocalDate(recordedAt))
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
                                   patientID: found.patientID, detail: "struck out \(kind.noun) \(id) (\(summary)); reason: \(reason)"))
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

    /// The late-entry mark of a consent, screen or needling row: both columns set, or none.
    static func lateEntry(_ r: CheckedRow) throws -> LateEntry? {
        guard let at: Date = try r["written_at"], let by: Int64 = try r["written_by"] else { return nil }
        return LateEntry(writtenAt: at, writtenBy: by)
    }
}
