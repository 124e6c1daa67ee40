import Foundation
import Testing
import ClinicModel
import LibXML
@testable import ClinicXML

/// Every example in Import/ is read the way `knot import` will read it, and the example clinic
/// is exactly what the writer makes of `ExampleClinic`.
@Suite struct ImportFolderTests {
    let today = SampleRecords.day("2026-11-25")

    @Test func theExampleClinicIsTheWritersOutput() throws {
        let expected = try ExampleClinic.export()
        let url = TestFiles.importFolder.appendingPathComponent("example-clinic.xml")
        if ProcessInfo.processInfo.environment["KNOT_REGENERATE_EXAMPLES"] == "1" {
            try expected.write(to: url)
        }
        let onDisk = try Data(contentsOf: url)
        #expect(onDisk == expected, "Import/example-clinic.xml is stale: run the tests with KNOT_REGENERATE_EXAMPLES=1")
    }

    @Test func theExampleClinicReadsBackToItsRecords() throws {
        let read = try RecordsImportReader.readAll(try TestFiles.importFile("example-clinic.xml"), fileName: "example-clinic.xml",
                                                   today: today)
        #expect(read.practitioners == ExampleClinic.practitioners)
        #expect(read.records == ExampleClinic.records)
        #expect(read.audit == ExampleClinic.audit)
        #expect(read.records.count == 3 && read.practitioners.count == 2)
        #expect(read.records.contains { !$0.plans.isEmpty } && read.records.contains { !$0.amendments.isEmpty })
    }

    @Test func everyFileInTheImportFolderIsReadByItsReader() throws {
        let files = try TestFiles.importFiles()
        #expect(files.count >= 6)
        var referrals = 0
        for (name, data) in files {
            switch try DocumentKind.detect(data, fileName: name) {
            case .knotReferral:
                let incoming = try KnotReferralReader.read(data, fileName: name, today: today)
                #expect(incoming.referral.originalLetter == data)
                referrals += 1
            case .clinicRecords:
                let reader = try RecordsImportReader(data: data, fileName: name, today: today)
                while try reader.next() != nil {}
            case .plan:
                try XMLDocument(data: data, options: ParseOptions(fileName: name)).validate(against: ClinicSchemas.schema(.plan))
            case .cdaDocument:
                // Read by the CDA referral reader, tested with it.
                #expect(name.hasPrefix("cda-"), "\(name): CDA examples are named cda-*.xml")
            case .fhirReferral:
                // Read by the FHIR referral reader, tested with it.
                #expect(name.hasPrefix("fhir-"), "\(name): FHIR examples are named fhir-*.xml")
            case .unknown(let root, let namespace):
                Issue.record("\(name): Knot reads no <\(root)> in \(namespace ?? "no namespace")")
            }
        }
        #expect(referrals >= 4)
    }
}
