import Foundation
import Testing
import ClinicModel
import LibXML
@testable import ClinicXML

/// Issue 16 in the records format: a practitioner's registration body and provider number, and
/// the clinic's changed templates in the header, read back equal and written again as the same
/// bytes; an export written before either (a bare registration number, no templates) still reads.
@Suite struct RegistrationAndTemplateRecordsTests {
    static let practitioners = [
        Practitioner(id: 1, handle: "amy", name: "Amy Nguyen", profession: .physiotherapist, registrationBody: "AHPRA",
                     registrationNumber: "PHY0001234567", providerNumber: "2426621B", isAdministrator: true),
        Practitioner(id: 2, handle: "ned", name: "Ned Park", profession: .chiropractor, registrationBody: "Board of <Chiropractic> & Co",
                     registrationNumber: "C-1234"),
        Practitioner(id: 3, handle: "old", name: "Old Number", profession: .osteopath, registrationNumber: "OST0001654321"),
    ]
    static let header = RecordsExportHeader(software: "knot", settings: ["clinic_name": "Harbour Physio"], templates: [
        .init(name: "referrer.closing", body: "Warm regards & <thanks>,\r\n\r\n{{practitioner.signature}}\n\t“Harbour”\n",
              changedAt: SampleRecords.at("2026-11-25T01:02:03.000Z"), changedBy: "amy"),
        .init(name: "patient.opening", body: "Hi {{patient.firstName}},\n", changedAt: SampleRecords.at("2026-11-24T00:00:00.000Z"),
              changedBy: "ned"),
    ])

    @Test func registrationsAndTemplatesReadBackEqualAndWriteTheSameBytes() throws {
        let first = try RecordsExportWriter.document(header: Self.header, practitioners: Self.practitioners, records: [])
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("<registrationNumber body=\"AHPRA\">PHY0001234567</registrationNumber>"))
        #expect(text.contains("<providerNumber>2426621B</providerNumber>"))
        #expect(text.contains("<registrationNumber>OST0001654321</registrationNumber>"), "no body: the bytes an older export had")
        #expect(text.contains("<template name=\"patient.opening\""))
        let patientAt = try #require(text.range(of: "name=\"patient.opening\""))
        let referrerAt = try #require(text.range(of: "name=\"referrer.closing\""))
        #expect(patientAt.lowerBound < referrerAt.lowerBound, "templates sorted by name")
        let document = try XMLDocument(data: first, options: ParseOptions(fileName: "reg.xml"))
        try document.validate(against: ClinicSchemas.schema(.records))

        let read = try RecordsImportReader.readAll(first, fileName: "reg.xml")
        #expect(read.practitioners == Self.practitioners)
        #expect(read.header?.templates.sorted { $0.name < $1.name } == Self.header.templates.sorted { $0.name < $1.name })
        #expect(read.header?.templates.first { $0.name == "referrer.closing" }?.body.contains("\r\n") == true, "carriage returns kept")
        let second = try RecordsExportWriter.document(header: read.header, practitioners: read.practitioners, records: [])
        #expect(second == first)
    }

    @Test func anExportFromBeforeReadsWithNoBodyAndNoTemplates() throws {
        let old = """
        <?xml version="1.0" encoding="UTF-8"?>
        <clinicRecords xmlns="urn:knot:records:1" version="1">
          <header><software>knot</software><setting name="clinic_name">Harbour</setting></header>
          <practitioners>
            <practitioner id="1" profession="physiotherapist" role="practitioner">
              <handle>amy</handle><name>Amy Nguyen</name><registrationNumber>PHY0001234567</registrationNumber>
            </practitioner>
          </practitioners>
          <patients/>
          <audit/>
        </clinicRecords>
        """
        let read = try RecordsImportReader.readAll(Data(old.utf8), fileName: "old.xml")
        #expect(read.practitioners.first?.registrationNumber == "PHY0001234567")
        #expect(read.practitioners.first?.registrationBody == nil && read.practitioners.first?.providerNumber == nil)
        #expect(read.header?.templates == [])
    }

    @Test func aTemplateGivenTwiceIsRefused() throws {
        var header = Self.header
        header.templates.append(header.templates[0])
        let data = try RecordsExportWriter.document(header: header, practitioners: [], records: [])
        #expect(throws: ClinicXMLErrors.self) { try RecordsImportReader.readAll(data, fileName: "twice.xml") }
    }
}
