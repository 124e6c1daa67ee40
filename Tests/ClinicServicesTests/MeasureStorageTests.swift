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
}
