import Foundation
import ClinicModel
import PostgresNIO

/// The needling log for a period, as the SQLite store gives it (Sources/ClinicStore/NeedlingLog.swift).
extension PostgresTransaction {
    /// Needling entries in a period with their visit, practitioner and patient record number.
    public func needlingLog(from: Date, to: Date) throws -> [NeedlingLogEntry] {
        // Timestamps are kept as text in one fixed form, so text order is time order.
        let rows = try query("""
            SELECT v.id, p.record_number, pr.handle FROM visit v JOIN patient p ON p.id = v.patient_id
            JOIN practitioner pr ON pr.id = v.practitioner_id
            WHERE v.started_at >= \(PGText.timestamp(from)) AND v.started_at < \(PGText.timestamp(to))
              AND EXISTS (SELECT 1 FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL)
            ORDER BY v.started_at, v.id
            """)
        var out: [NeedlingLogEntry] = []
        for row in rows {
            let (id, record, handle) = try decode(row, (Int64, String, String).self, table: "visit")
            guard let v = try visit(id: id) else { continue }
            let s = VisitSummary(id: id, patientID: v.patientID, practitionerID: v.practitionerID, startedAt: v.startedAt,
                                 status: v.status, complaint: nil, painNow: v.pain.now?.value,
                                 needlesInserted: v.needleCount.inserted, needlesRemoved: v.needleCount.removed, amendments: 0)
            for e in v.needling { out.append(NeedlingLogEntry(visit: s, recordNumber: record, practitioner: handle, entry: e)) }
        }
        return out
    }
}
