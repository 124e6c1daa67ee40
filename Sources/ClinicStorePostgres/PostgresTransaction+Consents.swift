import Foundation
import ClinicModel
import PostgresNIO

/// Consents and precaution screens on PostgreSQL, as the SQLite store keeps them
/// (Sources/ClinicStore/Consents.swift). Strikes are in PostgresTransaction+SafetyStrikes.swift.
extension PostgresTransaction {
    /// Records a consent.
    @discardableResult
    public func insertConsent(_ c: Consent, actor: String, preservingID: Bool) throws -> Consent {
        do { try c.validate() } catch { throw PostgresStoreError.invalid(error) }
        var c = c
        c.recordedAt = AuditChain.truncated(c.recordedAt)
        c.id = try insertReturningID("""
            INSERT INTO consent (id, patient_id, practitioner_id, recorded_at, risks, benefits_explained, written, valid_until, notes,
              guardian_name, guardian_relationship, mature_minor, written_at, written_by)
            VALUES (coalesce(\(preservingID ? c.id : nil), nextval(pg_get_serial_sequence('consent', 'id'))),
                    \(c.patientID), \(c.practitionerID), \(PGText.timestamp(c.recordedAt)),
                    \(c.risksExplained.map(\.rawValue).sorted().joined(separator: ",")),
                    \(Int16(c.benefitsExplained ? 1 : 0)), \(Int16(c.written ? 1 : 0)), \(c.validUntil?.description), \(c.notes),
                    \(c.guardian?.name), \(c.guardian?.relationship), \(c.matureMinorAssessment),
                    \(c.lateEntry.map { PGText.timestamp(AuditChain.truncated($0.writtenAt)) }), \(c.lateEntry?.writtenBy))
            RETURNING id
            """, table: "consent")
        if preservingID { try advanceIdentity("consent") }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "consent", entityID: c.id, patientID: c.patientID))
        return c
    }

    /// A patient's consents in force (struck-out ones are left out: they cover nothing).
    public func consents(patientID: Int64) throws -> [Consent] {
        try query("""
            SELECT id, patient_id, practitioner_id, recorded_at, risks, benefits_explained, written, valid_until, notes,
              guardian_name, guardian_relationship, mature_minor, written_at, written_by
            FROM consent WHERE patient_id = \(patientID) AND struck_at IS NULL ORDER BY recorded_at, id
            """).map { row in
            let t = "consent"
            let c = row.makeRandomAccess()
            let id = try column(c, "id", Int64.self, table: t)
            let riskText = try column(c, "risks", String.self, table: t)
            let risks = try riskText.split(separator: ",").map { try enumeration(String($0), as: Consent.Risk.self, table: t, row: id, column: "risks") }
            let name = try column(c, "guardian_name", String?.self, table: t)
            let relationship = try column(c, "guardian_relationship", String?.self, table: t)
            let guardian: Consent.Guardian? = switch (name, relationship) {
            case let (name?, relationship?): Consent.Guardian(name: name, relationship: relationship)
            default: nil
            }
            let validUntil = try column(c, "valid_until", String?.self, table: t)
            return Consent(id: id, patientID: try column(c, "patient_id", Int64.self, table: t),
                           practitionerID: try column(c, "practitioner_id", Int64.self, table: t),
                           recordedAt: try timestamp(try column(c, "recorded_at", String.self, table: t), table: t, row: id, column: "recorded_at"),
                           risksExplained: Set(risks), benefitsExplained: try column(c, "benefits_explained", Int16.self, table: t) != 0,
                           written: try column(c, "written", Int16.self, table: t) != 0,
                           validUntil: try validUntil.map { try localDate($0, table: t, row: id, column: "valid_until") },
                           notes: try column(c, "notes", String?.self, table: t), guardian: guardian,
                           matureMinorAssessment: try column(c, "mature_minor", String?.self, table: t),
                           lateEntry: try lateEntry(c, table: t, row: id))
        }
    }

    /// Records a precaution screen.
    @discardableResult
    public func insertScreen(_ s: PrecautionScreen, actor: String, preservingID: Bool) throws -> PrecautionScreen {
        do { try s.validate() } catch { throw PostgresStoreError.invalid(error) }
        var s = s
        s.recordedAt = AuditChain.truncated(s.recordedAt)
        let acks = Dictionary(uniqueKeysWithValues: s.acknowledgments.map { ($0.key.rawValue, $0.value) })
        s.id = try insertReturningID("""
            INSERT INTO precaution_screen (id, patient_id, practitioner_id, recorded_at, present_json, acknowledgments_json, valid_until,
              written_at, written_by)
            VALUES (coalesce(\(preservingID ? s.id : nil), nextval(pg_get_serial_sequence('precaution_screen', 'id'))),
                    \(s.patientID), \(s.practitionerID), \(PGText.timestamp(s.recordedAt)),
                    \(try PGJSON.encode(s.present.map(\.rawValue).sorted())), \(try PGJSON.encode(acks)), \(s.validUntil.description),
                    \(s.lateEntry.map { PGText.timestamp(AuditChain.truncated($0.writtenAt)) }), \(s.lateEntry?.writtenBy))
            RETURNING id
            """, table: "precaution_screen")
        if preservingID { try advanceIdentity("precaution_screen") }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "screen", entityID: s.id, patientID: s.patientID))
        return s
    }

    /// A patient's precaution screens in force (struck-out ones are left out: they cover nothing).
    public func screens(patientID: Int64) throws -> [PrecautionScreen] {
        try query("""
            SELECT id, patient_id, practitioner_id, recorded_at, present_json, acknowledgments_json, valid_until, written_at, written_by
            FROM precaution_screen WHERE patient_id = \(patientID) AND struck_at IS NULL ORDER BY recorded_at, id
            """).map { row in
            let t = "precaution_screen"
            let c = row.makeRandomAccess()
            let id = try column(c, "id", Int64.self, table: t)
            let present = try json(c, "present_json", [String].self, table: t, row: id)
                .map { try enumeration($0, as: Precaution.self, table: t, row: id, column: "present_json") }
            var acknowledgments: [Precaution: String] = [:]
            for (key, text) in try json(c, "acknowledgments_json", [String: String].self, table: t, row: id) {
                acknowledgments[try enumeration(key, as: Precaution.self, table: t, row: id, column: "acknowledgments_json")] = text
            }
            return PrecautionScreen(id: id, patientID: try column(c, "patient_id", Int64.self, table: t),
                                    practitionerID: try column(c, "practitioner_id", Int64.self, table: t),
                                    recordedAt: try timestamp(try column(c, "recorded_at", String.self, table: t), table: t, row: id, column: "recorded_at"),
                                    present: Set(present), acknowledgments: acknowledgments,
                                    validUntil: try localDate(try column(c, "valid_until", String.self, table: t), table: t, row: id, column: "valid_until"),
                                    lateEntry: try lateEntry(c, table: t, row: id))
        }
    }

    /// A late entry's when and by whom (both or neither), as SQLite's `lateEntry`.
    func lateEntry(_ c: PostgresRandomAccessRow, table: String, row id: Int64) throws -> LateEntry? {
        guard let at = try column(c, "written_at", String?.self, table: table),
              let by = try column(c, "written_by", Int64?.self, table: table) else { return nil }
        return LateEntry(writtenAt: try timestamp(at, table: table, row: id, column: "written_at"), writtenBy: by)
    }
}
