import Foundation
import GRDB
import ClinicModel

/// Needling across visits: the log for a period, and the needle a practitioner used last.
extension StoreTransaction {
    /// Needling entries in a period with their visit, practitioner and patient record number.
    public func needlingLog(from: Date, to: Date) throws -> [NeedlingLogEntry] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.id AS vid, p.record_number, pr.handle FROM visit v JOIN patient p ON p.id = v.patient_id
            JOIN practitioner pr ON pr.id = v.practitioner_id
            WHERE v.started_at >= ? AND v.started_at < ? AND EXISTS (SELECT 1 FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL)
            ORDER BY v.started_at, v.id
            """), arguments: [from, to])
        var out: [NeedlingLogEntry] = []
        for row in rows {
            let r = row.checked("visit", key: "vid")
            guard let v = try visit(id: r["vid"]) else { continue }
            let s = VisitSummary(id: v.id!, patientID: v.patientID, practitionerID: v.practitionerID, startedAt: v.startedAt,
                                 status: v.status, complaint: nil, painNow: v.pain.now?.value,
                                 needlesInserted: v.needleCount.inserted, needlesRemoved: v.needleCount.removed, amendments: 0)
            let record: String = try r["record_number"], handle: String = try r["handle"]
            for e in v.needling { out.append(NeedlingLogEntry(visit: s, recordNumber: record, practitioner: handle, entry: e)) }
        }
        return out
    }

    /// The needle of the practitioner's most recent needling entry (remembered for the next one).
    public func lastNeedle(practitionerID: Int64) throws -> Needle? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT n.needle_brand, n.needle_gauge_mm, n.needle_length_mm, n.needle_lot FROM needling_entry n
            JOIN visit v ON v.id = n.visit_id WHERE v.practitioner_id = ? AND n.struck_at IS NULL ORDER BY n.id DESC LIMIT 1
            """), arguments: [practitionerID]).map { row in
            let n = row.checked("needling_entry", key: "needle_lot")
            return try Needle(brand: n["needle_brand"], gaugeMm: n["needle_gauge_mm"], lengthMm: n["needle_length_mm"], lot: n["needle_lot"])
        }
    }
}
