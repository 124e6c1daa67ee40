import Foundation
import Testing
import ClinicModel
import ClinicStore
import ClinicTestSupport
@testable import ClinicDemo

/// The demo clinic and the synthetic generator make IHIs and Medicare numbers that pass their
/// check digits (as a practitioner typing them would have to), one number per patient.
@Suite struct DemoIdentifierTests {
    @Test func demoIdentifiersPassTheirCheckDigits() throws {
        let dir = TemporaryDirectory(prefix: "knot-demo-ids")
        let db = try ClinicDatabase(path: dir.file("demo.sqlite"))
        _ = try DemoClinic.load(into: db, actor: "demo", today: try LocalDate(year: 2026, month: 6, day: 30))
        let identifiers = try db.read { tx in
            try tx.patientSummaries(includeArchived: true, limit: 1_000).flatMap { try tx.patient(id: $0.id)?.identifiers ?? [] }
        }
        let national = identifiers.filter { $0.system == .ihi || $0.system == .medicare }
        #expect(national.count > 10)
        for identifier in national { #expect(identifier.checkDigitProblem == nil, "\(identifier)") }
        #expect(Set(national).count == national.count, "one number per patient")
    }

    @Test func generatedNumbersPassAndDoNotRepeat() {
        for (medicarePrefix, ihiPrefix) in [("2", "8003608"), ("4", "8003609")] {
            var seen = Set<String>()
            for serial in 0..<20_000 {
                let medicare = ClinicHistoryWriter.medicareNumber(medicarePrefix, serial: serial)
                let ihi = ClinicHistoryWriter.ihi(ihiPrefix, serial: serial)
                if PatientIdentifier(system: .medicare, value: medicare).checkDigitProblem != nil
                    || PatientIdentifier(system: .ihi, value: ihi).checkDigitProblem != nil {
                    Issue.record("serial \(serial): \(medicare) \(ihi)")
                    break
                }
                seen.insert(medicare)
                seen.insert(ihi)
            }
            #expect(seen.count == 40_000)
        }
    }
}
