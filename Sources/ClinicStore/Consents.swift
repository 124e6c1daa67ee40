import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    @discardableResult
    public func insertConsent(_ c: Consent, actor: String, preservingID: Bool = false) throws -> Consent {
        if !modelChecked { do { try c.validate() } catch { throw StoreError.invalid(error) } }
        var c = c
        c.recordedAt = Self.truncated(c.recordedAt)
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO consent (id, patient_id, practitioner_id, recorded_at, risks, benefits_explained, written, valid_until, notes,
              guardian_name, guardian_relationship, mature_minor, written_at, written_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(preservingID ? c.id : nil); insert.int(c.patientID); insert.int(c.practitionerID)
        insert.value(StoredDateText.databaseValue(c.recordedAt))
        insert.text(c.risksExplained.map(\.rawValue).sorted().joined(separator: ","))
        insert.bool(c.benefitsExplained); insert.bool(c.written); insert.value(c.validUntil.databaseValue); insert.text(c.notes)
        insert.text(c.guardian?.name); insert.text(c.guardian?.relationship); insert.text(c.matureMinorAssessment)
        insert.value(c.lateEntry.map { StoredDateText.databaseValue(Self.truncated($0.writtenAt)) } ?? .null); insert.int(c.lateEntry?.writtenBy)
        try insert.execute()
        c.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "consent", entityID: c.id, patientID: c.patientID))
        return c
    }

    /// A patient's consents in force (struck-out ones are left out: they cover nothing).
    public func consents(patientID: Int64) throws -> [Consent] {
        try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM consent WHERE patient_id = ? AND struck_at IS NULL ORDER BY recorded_at, id"), arguments: [patientID]) { row in
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
}
