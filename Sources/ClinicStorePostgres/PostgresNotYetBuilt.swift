import Foundation
import ClinicModel
import PostgresNIO

// The work list of the PostgreSQL store: every operation of ClinicServices' `ClinicRecordReader`
// / `ClinicRecords` not yet built on PostgreSQL, each throwing
// `PostgresStoreError.notBuilt` ("… is not built on PostgreSQL yet", exit 74 in `knot`, as an I/O
// failure; its write transaction is rolled back). Grouped by area, each group naming the helper who
// builds it (issue 20: pgstore20 the people, settings and audit side; pgvisits20 the visit side).
// Whoever builds an operation deletes its stub here and writes it in a
// `PostgresTransaction+<Area>.swift` file. This file is a work list, not a feature.
extension PostgresTransaction {
    // MARK: - consent and precaution screens (pgvisits20)
    public func safetyInForce(_ kind: StruckSafety.Kind, id: Int64) throws -> SafetyInForce? {
        throw PostgresStoreError.notBuilt("consent and precaution screens")
    }
    /// Built only for a patient with no struck-out consent or screen (an empty list, so a visit's
    /// record opens); one with any is refused, never shown without them.
    public func struckSafety(patientID: Int64) throws -> [StruckSafety] {
        let count = try value("""
            SELECT (SELECT count(*) FROM consent WHERE patient_id = \(patientID) AND struck_at IS NOT NULL)
                 + (SELECT count(*) FROM precaution_screen WHERE patient_id = \(patientID) AND struck_at IS NOT NULL)
            """, as: Int64.self, table: "consent") ?? 0
        if count > 0 { throw PostgresStoreError.notBuilt("consent and precaution screens") }
        return []
    }
    public func strikeSafety(_ kind: StruckSafety.Kind, id: Int64, reason: String, summary: String, at: Date, actor: String) throws -> StruckSafety {
        throw PostgresStoreError.notBuilt("consent and precaution screens")
    }

    // MARK: - visits, amendments and plans (pgvisits20)
    /// Built only for a patient without outcome measures (an empty list, so the chart of a
    /// patient filed from a letter opens); one with any is refused, never shown without them.
    public func outcomes(patientID: Int64) throws -> [RecordedOutcome] {
        let count = try value("""
            SELECT count(*) FROM outcome_measure o JOIN visit v ON v.id = o.visit_id WHERE v.patient_id = \(patientID)
            """, as: Int64.self, table: "outcome_measure") ?? 0
        if count > 0 { throw PostgresStoreError.notBuilt("visits, amendments and plans") }
        return []
    }
    public func struckEntries(visitID: Int64) throws -> [StruckEntryRecord] {
        throw PostgresStoreError.notBuilt("visits, amendments and plans")
    }

    // MARK: - visits (pgvisits20)
    public func insertTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String?, preservingID: Bool) throws -> TriggerPointFinding {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func insertBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String?, preservingID: Bool) throws -> BiomechanicalFinding {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func insertTreatment(_ t: Treatment, visitID: Int64, actor: String?, preservingID: Bool) throws -> Treatment {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func insertOutcome(_ m: OutcomeMeasure, visitID: Int64, actor: String?, preservingID: Bool) throws -> OutcomeMeasure {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func updateTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String) throws -> TriggerPointFinding {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func updateBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String) throws -> BiomechanicalFinding {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func updateTreatment(_ t: Treatment, visitID: Int64, actor: String) throws -> Treatment {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func updateNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String) throws -> NeedlingEntry {
        throw PostgresStoreError.notBuilt("visits")
    }
    public func strikeEntry(_ kind: VisitEntryKind, id: Int64, visitID: Int64, reason: String, summary: String, at: Date, actor: String) throws -> StruckEntry {
        throw PostgresStoreError.notBuilt("visits")
    }
}
