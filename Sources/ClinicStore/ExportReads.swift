import Foundation
import GRDB
import ClinicModel

/// The reads a clinic export streams: one patient's whole record, and which patients to export.
extension StoreTransaction {
    /// Everything for one patient, for export.
    public func patientRecord(id: Int64) throws -> PatientRecord? {
        guard let p = try patient(id: id) else { return nil }
        var record = PatientRecord(
            patient: p, referrals: try referralStatuses(patientID: id, withLetters: true).map(\.referral).sorted { ($0.id ?? 0) < ($1.id ?? 0) },
            consents: try consents(patientID: id), screens: try screens(patientID: id), visits: try visits(patientID: id),
            amendments: try amendments(patientID: id), plans: try plans(patientID: id))
        record.mergedInto = try mergedInto(patientID: id).flatMap { try patient(id: $0)?.recordNumber }
        return record
    }

    /// Patient ids in id order (optionally only those with changes since `since`), for streaming exports.
    public func patientIDs(changedSince since: Date? = nil) throws -> [Int64] {
        if let since {
            return try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT id FROM patient WHERE updated_at >= ? OR id IN (SELECT patient_id FROM visit WHERE started_at >= ?)
                ORDER BY id
                """), arguments: [since, since])
        }
        return try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM patient ORDER BY id"))
    }
}
