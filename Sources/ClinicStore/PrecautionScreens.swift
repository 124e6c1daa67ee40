import Foundation
import GRDB
import ClinicModel

/// Precaution screens: recorded, and a patient's screens in force read.
extension StoreTransaction {
    @discardableResult
    public func insertScreen(_ s: PrecautionScreen, actor: String, preservingID: Bool = false) throws -> PrecautionScreen {
        if !modelChecked { do { try s.validate() } catch { throw StoreError.invalid(error) } }
        var s = s
        s.recordedAt = Self.truncated(s.recordedAt)
        let acks = Dictionary(uniqueKeysWithValues: s.acknowledgments.map { ($0.key.rawValue, $0.value) })
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO precaution_screen (id, patient_id, practitioner_id, recorded_at, present_json, acknowledgments_json, valid_until,
              written_at, written_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(preservingID ? s.id : nil); insert.int(s.patientID); insert.int(s.practitionerID)
        insert.value(StoredDateText.databaseValue(s.recordedAt))
        // No acknowledgment (most screens): `{}`, as the encoder writes an empty object.
        insert.text(try encode(s.present.map(\.rawValue).sorted())); insert.text(acks.isEmpty ? "{}" : try encode(acks))
        insert.value(s.validUntil.databaseValue)
        insert.value(s.lateEntry.map { StoredDateText.databaseValue(Self.truncated($0.writtenAt)) } ?? .null); insert.int(s.lateEntry?.writtenBy)
        try insert.execute()
        s.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "screen", entityID: s.id, patientID: s.patientID))
        return s
    }

    /// A patient's precaution screens in force (struck-out ones are left out: they cover nothing).
    public func screens(patientID: Int64) throws -> [PrecautionScreen] {
        try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM precaution_screen WHERE patient_id = ? AND struck_at IS NULL ORDER BY recorded_at, id"), arguments: [patientID]) { row in
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
}
