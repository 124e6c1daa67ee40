import Foundation
import Testing
import ClinicModel
import LibXML
@testable import ClinicXML

/// Export, import, export again: the same values and the same bytes.
@Suite struct RecordsRoundTripTests {
    let today = SampleRecords.day("2026-11-25")

    func export(header: RecordsExportHeader? = nil, _ practitioners: [Practitioner], _ records: [PatientRecord],
                _ audit: [AuditEntry]) throws -> Data {
        try RecordsExportWriter.document(header: header, practitioners: practitioners, records: records, audit: audit)
    }

    @Test func everyFieldAndCaseReadsBackEqualAndWritesTheSameBytes() throws {
        let header = RecordsExportHeader(clinic: "Crown Street Physiotherapy", exportedAt: SampleRecords.at("2026-11-25T01:02:03.004Z"),
                                         exportedBy: "p1.physiotherapist", software: "knot 1.0")
        let first = try export(header: header, SampleRecords.practitioners, SampleRecords.richRecords, SampleRecords.audit)
        let read = try RecordsImportReader.readAll(first, fileName: "rich.xml", today: today)

        #expect(read.header == header)
        #expect(read.practitioners == SampleRecords.practitioners)
        #expect(read.audit == SampleRecords.audit)
        #expect(read.records.count == SampleRecords.richRecords.count)
        for (got, want) in zip(read.records, SampleRecords.richRecords) {
            #expect(got.patient == want.patient)
            #expect(got.referrals == want.referrals)
            #expect(got.consents == want.consents)
            #expect(got.screens == want.screens)
            #expect(got.visits == want.visits)
            #expect(got.amendments == want.amendments)
            #expect(got.plans == want.plans)
        }

        let second = try export(header: read.header, read.practitioners, read.records, read.audit)
        #expect(second == first)
    }

    @Test func theExportValidatesAsAWholeDocument() throws {
        let data = try export(SampleRecords.practitioners, SampleRecords.richRecords, SampleRecords.audit)
        let document = try XMLDocument(data: data, options: ParseOptions(fileName: "rich.xml"))
        try document.validate(against: ClinicSchemas.schema(.records))
        #expect(document.root.name == "clinicRecords")
        #expect(document.root.namespace == "urn:knot:records:1")
    }

    @Test func anEmptyExportHasEveryContainerAndReadsBackEmpty() throws {
        let data = try export([], [], [])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<practitioners/>") && text.contains("<patients/>") && text.contains("<audit/>"))
        let read = try RecordsImportReader.readAll(data, fileName: "empty.xml", today: today)
        #expect(read.header == nil && read.practitioners.isEmpty && read.records.isEmpty && read.audit.isEmpty)
    }

    @Test func noTimestampUnlessOneIsPassed() throws {
        let a = try export(SampleRecords.practitioners, [SampleRecords.minimalRecord], [])
        Thread.sleep(forTimeInterval: 0.01)
        let b = try export(SampleRecords.practitioners, [SampleRecords.minimalRecord], [])
        #expect(a == b)
        #expect(!String(decoding: a, as: UTF8.self).contains("exportedAt"))
    }

    @Test func instantsKeepMillisecondsAndRoundTheRest() throws {
        var record = SampleRecords.minimalRecord
        // Sub-millisecond precision (a fresh Date()) is rounded to the millisecond once, then stable.
        record.visits[0].startedAt = Date(timeIntervalSince1970: 1_790_000_000.123_456_7)
        let first = try export(SampleRecords.practitioners, [record], [])
        #expect(String(decoding: first, as: UTF8.self).contains("startedAt=\"2026-09-21T14:13:20.123Z\""))
        let read = try RecordsImportReader.readAll(first, fileName: nil, today: today)
        let second = try export(read.practitioners, read.records, read.audit)
        #expect(second == first)
    }

    @Test func largeAttachmentsAreSplitIntoPartsAndReassembled() throws {
        var record = SampleRecords.fullRecord
        let big = Data((0..<(RecordsXMLEncoder.binaryPartBytes + 1001)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        record.referrals[0].attachments = [ReferralAttachment(mediaType: "application/pdf", data: big)]
        let data = try export(SampleRecords.practitioners, [record], [])
        #expect(String(decoding: data, as: UTF8.self).components(separatedBy: "<part>").count - 1 == 3)  // 2 + the letter
        let read = try RecordsImportReader.readAll(data, fileName: nil, today: today)
        #expect(read.records[0].referrals[0].attachments[0].data == big)
    }

    @Test func writingToAFileGivesTheSameBytesWithOwnerOnlyPermissions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("knot-export-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordsExportWriter(path: path)
        for p in SampleRecords.practitioners { try writer.write(p) }
        for r in SampleRecords.richRecords { try writer.write(r) }
        for e in SampleRecords.audit { try writer.write(e) }
        try writer.finish()
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(onDisk == (try export(SampleRecords.practitioners, SampleRecords.richRecords, SampleRecords.audit)))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func theWriterKeepsTheOrderOfKinds() throws {
        let writer = try RecordsExportWriter()
        for p in SampleRecords.practitioners { try writer.write(p) }
        try writer.write(SampleRecords.minimalRecord)
        #expect(throws: ClinicXMLError.self) { try writer.write(SampleRecords.practitioners[0]) }
        #expect(throws: ClinicXMLError.self) { try writer.writeHeader(RecordsExportHeader()) }
        // A call out of order writes nothing: the export is still whole.
        let data = try writer.finish()
        #expect(try RecordsImportReader.readAll(data, fileName: nil, today: today).records == [SampleRecords.minimalRecord])
        #expect(throws: ClinicXMLError.self) { try writer.finish() }
    }

    @Test func aPartThatBelongsToAnotherPatientIsRefused() throws {
        var record = SampleRecords.minimalRecord
        record.visits[0].patientID = 999
        #expect(throws: ClinicXMLError.self) { try export(SampleRecords.practitioners, [record], []) }
    }

    @Test func textXMLCannotCarryIsRefusedWithWhereItWas() throws {
        var record = SampleRecords.minimalRecord
        record.visits[0].notes = "bell \u{07}"
        do {
            _ = try export(SampleRecords.practitioners, [record], [])
            Issue.record("a control character was written")
        } catch let error as ClinicXMLError {
            #expect(error.path?.contains("patient K00102") == true)
            #expect(error.message.contains("U+0007"))
        }
    }
}
