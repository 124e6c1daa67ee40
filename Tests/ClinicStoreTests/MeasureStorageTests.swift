import Foundation
import Testing
import GRDB
import ClinicModel
@testable import ClinicStore

/// Measures are stored in the JSON shape that says what each number is, and rows an older Knot
/// wrote in Swift's own enum coding still read.
@Suite struct MeasureStorageTests {
    @Test func aMeasureIsStoredWithItsKindAndUnitAndTheOlderShapeStillReads() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jo", "Smith")
        let visit = try clinic.addVisit(patient: patient)
        let finding = try clinic.db.write { tx in
            try tx.insertBiomechanical(BiomechanicalFinding(measure: .lunge(LungeCentimetres(unchecked: 7)), side: .left),
                                       visitID: visit.id!, actor: "test")
        }
        let raw = try clinic.raw()
        let stored = try raw.read { db in try String.fetchOne(db, sql: "SELECT measure_json FROM biomechanical_finding WHERE id = ?",
                                                             arguments: [finding.id]) }
        #expect(stored?.contains(#""kind":"lunge""#) == true)
        #expect(stored?.contains(#""cm":7"#) == true)

        // As an older Knot wrote it.
        try raw.write { db in
            try db.execute(sql: #"UPDATE biomechanical_finding SET measure_json = '{"lunge":{"_0":9}}' WHERE id = ?"#, arguments: [finding.id])
        }
        try raw.close()
        let read = try clinic.db.read { tx in try tx.visit(id: visit.id!) }
        #expect(read?.biomechanics.first?.measure == .lunge(LungeCentimetres(unchecked: 9)))
    }
}
