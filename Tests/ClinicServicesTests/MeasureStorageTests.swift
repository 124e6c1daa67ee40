import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Measures are stored in the JSON shape that says what each number is, and rows an older Knot
/// wrote in Swift's own enum coding still read. On every store (`TestStore.all`).
@Suite("biomechanical measures as stored, on every store")
struct MeasureStorageTests {
    @Test("a measure is stored with its kind and unit, and the older shape still reads", arguments: TestStore.all)
    func aMeasureIsStoredWithItsKindAndUnitAndTheOlderShapeStillReads(store: TestStore) throws {
        let clinic = try EntryCorrectionClinic(store)
        let visitID = try #require(try clinic.addVisit().id)
        let finding = try clinic.session.database.write { tx in
            try tx.insertBiomechanical(BiomechanicalFinding(measure: .lunge(LungeCentimetres(unchecked: 7)), side: .left),
                                       visitID: visitID, actor: "test")
        }
        let id = try #require(finding.id)
        let stored = try StoreProbe.scalar(clinic.location, "SELECT measure_json FROM biomechanical_finding WHERE id = \(id)")
        #expect(stored?.contains(#""kind":"lunge""#) == true, "\(stored ?? "nil")")
        #expect(stored?.contains(#""cm":7"#) == true)

        // As an older Knot wrote it.
        try StoreProbe.execute(clinic.location, #"UPDATE biomechanical_finding SET measure_json = '{"lunge":{"_0":9}}' WHERE id = "# + String(id))
        #expect(try clinic.visit(visitID).biomechanics.first?.measure == .lunge(LungeCentimetres(unchecked: 9)))
    }

    @Test("an entry row changed outside Knot is reported naming its table, row and column, never read half or crashing",
          arguments: TestStore.all)
    func aDamagedEntryIsReportedNotReadHalf(store: TestStore) throws {
        let clinic = try EntryCorrectionClinic(store)
        let visit = try clinic.addVisit()
        let visitID = try #require(visit.id), pointID = try #require(visit.triggerPoints.first?.id)
        _ = try clinic.session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 2, count: 10)))
        try StoreProbe.execute(clinic.location, "UPDATE trigger_point SET likely_causes = 'stress,bogus' WHERE id = \(pointID)")
        let read = caught { try clinic.session.database.read { try $0.visit(id: visitID) } }
        guard case .damaged(let table, let row, let column, let problem)? = read as? StorageError else {
            Issue.record("not reported as damaged: \(String(describing: read))")
            return
        }
        #expect(table == "trigger_point" && row == String(pointID) && column == "likely_causes" && problem.contains("'bogus'"), "\(problem)")
        try StoreProbe.execute(clinic.location, "UPDATE trigger_point SET likely_causes = 'stress' WHERE id = \(pointID)")
        try StoreProbe.execute(clinic.location, "UPDATE outcome_measure SET items_json = '[2,2,2,2,2,2,2,2,2,9]' WHERE visit_id = \(visitID)")
        // Read as the next command would, by a session opened after the change.
        let next = try ClinicSession.open(path: clinic.location, handle: "mchen", environment: [:])
        let outcome = caught { try next.database.read { try $0.outcomes(patientID: clinic.patient.id!) } }
        guard case .damaged(let table, _, let column, _)? = outcome as? StorageError else {
            Issue.record("not reported as damaged: \(String(describing: outcome))")
            return
        }
        #expect(table == "outcome_measure" && column == "items_json")
    }
}
