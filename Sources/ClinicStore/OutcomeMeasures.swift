import Foundation
import GRDB
import ClinicModel

/// Reading outcome measures: one visit's, or a patient's across visits for the chart's trends.
extension StoreTransaction {
    /// One outcome measure row, its items range-checked (a row edited outside Knot is reported
    /// as damaged, naming its table, row and column).
    static func outcome(_ o: CheckedRow) throws -> OutcomeMeasure {
        let id: Int64 = try o["id"]
        let scale: OutcomeScale = try o.enumeration("scale")
        let m = OutcomeMeasure(unchecked: scale, items: try o.json([Int?].self, "items_json"), id: id)
        do throws(ValidationErrors) { try m.validate() } catch {
            throw o.damaged("items_json", (error.errors.first.map { "\($0.value): \($0.rule)" }) ?? "is not valid")
        }
        return m
    }

    /// The outcome measures in force at a visit (none struck out), in the order they were recorded.
    public func outcomes(visitID: Int64) throws -> [OutcomeMeasure] {
        try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM outcome_measure WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [visitID]) { row in
            try Self.outcome(row.checked("outcome_measure"))
        }
    }

    /// A patient's outcome measures with their visit's id and start, oldest visit first (for the
    /// chart's trends, without reading every visit in full).
    public func outcomes(patientID: Int64) throws -> [RecordedOutcome] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT o.*, v.started_at AS visit_started_at FROM outcome_measure o JOIN visit v ON v.id = o.visit_id
            WHERE v.patient_id = ? AND o.struck_at IS NULL ORDER BY v.started_at, v.id, o.id
            """), arguments: [patientID]).map { row in
            let o = row.checked("outcome_measure")
            return try RecordedOutcome(visitID: o["visit_id"], startedAt: o["visit_started_at"], measure: Self.outcome(o))
        }
    }
}
