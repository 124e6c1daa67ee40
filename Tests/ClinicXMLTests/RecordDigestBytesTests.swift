import Foundation
import Testing
import ClinicModel
import LibXML
@testable import ClinicXML

/// Exports and the digests of their records are written by `XMLByteWriter`, not by libxml2's text
/// writer. Both must give the same bytes for every record type, awkward values included: an
/// export made before must still verify (its digests recomputed), and exporting the same clinic
/// must give the same file.
@Suite struct RecordDigestBytesTests {
    /// Every printable ASCII character, the controls XML allows, CR LF, precomposed and combining
    /// accents, non-BMP characters, NEL, LINE SEPARATOR, and leading/trailing spaces.
    static let awkward = "  " + String((0x20..<0x7F).map { Character(UnicodeScalar(UInt8($0))) })
        + "\t\n\r\r\n Zoë Zoe\u{0308} e\u{0301}\u{0301} 😀 𝄞 \u{0085}\u{2028}\u{00A0} 東京 ]]> &#13;  "

    /// The rich sample records, and the full one again with awkward text in its free-text fields
    /// and in attributes that carry free text.
    static var records: [PatientRecord] {
        var odd = SampleRecords.fullRecord
        odd.patient.id = 201
        odd.patient.givenNames = awkward
        odd.patient.familyName = awkward
        odd.patient.address = awkward
        odd.patient.alerts[0].text = awkward
        odd.mergedInto = awkward
        for i in odd.referrals.indices {
            odd.referrals[i].patientID = 201
            odd.referrals[i].reason = awkward
            odd.referrals[i].referrerName = awkward
            odd.referrals[i].letterKey = awkward
            odd.referrals[i].documentSetID = awkward
        }
        for i in odd.consents.indices { odd.consents[i].patientID = 201; odd.consents[i].notes = awkward }
        for i in odd.screens.indices { odd.screens[i].patientID = 201 }
        for i in odd.visits.indices {
            odd.visits[i].patientID = 201
            odd.visits[i].complaint = awkward
            odd.visits[i].notes = awkward
        }
        odd.amendments[0].reason = awkward
        odd.plans[0].items[0].text = awkward
        odd.plans[0].items[0].rule = awkward
        return SampleRecords.richRecords + [odd]
    }

    /// libxml2's bytes for what `body` encodes, as a standalone document.
    func libxml2(digests: Bool = false, _ body: (inout RecordsXMLEncoder) throws -> Void) throws -> [UInt8] {
        let xml = try XMLStreamWriter()
        var encoder = RecordsXMLEncoder(xml: xml)
        encoder.digests = digests
        try xml.startDocument()
        try body(&encoder)
        try xml.endDocument()
        return [UInt8](xml.data)
    }

    func direct(digests: Bool = false, _ body: (inout RecordsXMLEncoder) throws -> Void) throws -> [UInt8] {
        let xml = XMLByteWriter()
        var encoder = RecordsXMLEncoder(xml: xml)
        encoder.digests = digests
        try xml.startDocument()
        try body(&encoder)
        try xml.endDocument()
        return xml.bytes
    }

    @Test func everyRecordTypeEncodesToLibxml2sBytesWithAndWithoutDigests() throws {
        for digests in [false, true] {
            for p in SampleRecords.practitioners {
                #expect(try direct(digests: digests) { try $0.practitioner(p) } == libxml2(digests: digests) { try $0.practitioner(p) })
            }
            for record in Self.records {
                #expect(try direct(digests: digests) { try $0.patientRecord(record) } == libxml2(digests: digests) { try $0.patientRecord(record) },
                        "patient \(record.patient.recordNumber)")
            }
            var entries = SampleRecords.audit
            entries[0].event.detail = Self.awkward
            entries[1].event.actor = Self.awkward
            for entry in entries {
                #expect(try direct(digests: digests) { try $0.auditEntry(entry) } == libxml2(digests: digests) { try $0.auditEntry(entry) })
            }
            let header = RecordsExportHeader(clinic: Self.awkward, exportedAt: SampleRecords.at("2026-09-01T00:00:00.000Z"),
                                             exportedBy: "p1", software: "Knot",
                                             settings: ["a": Self.awkward, "b": ""],
                                             templates: [.init(name: "t", body: Self.awkward, changedAt: SampleRecords.at("2026-09-01T00:00:00.000Z"),
                                                               changedBy: Self.awkward)])
            #expect(try direct(digests: digests) { try $0.header(header) } == libxml2(digests: digests) { try $0.header(header) })
        }
    }

    /// Each digest is the SHA-256 of the record alone as libxml2 wrote it before, marked or not.
    @Test func everyDigestIsTheOneLibxml2sBytesGive() throws {
        for p in SampleRecords.practitioners {
            let expected = LetterDigest.sha256Hex(Data(try libxml2 { try $0.practitioner(p) }))
            #expect(try RecordDigest.practitioner(p, claimed: "x").digest == expected)
        }
        var checked = 0
        for record in Self.records {
            var alone = PatientRecord(patient: record.patient)
            alone.mergedInto = record.mergedInto
            var expected: [String: [UInt8]] = ["patient": try libxml2 { try $0.patientRecord(alone) }]
            for r in record.referrals { expected["referral:\(r.id ?? 0)"] = try libxml2 { try $0.referral(r) } }
            for c in record.consents { expected["consent:\(c.id ?? 0)"] = try libxml2 { try $0.consent(c) } }
            for s in record.screens { expected["screen:\(s.id ?? 0)"] = try libxml2 { try $0.screen(s) } }
            for v in record.visits { expected["visit:\(v.id ?? 0)"] = try libxml2 { try $0.visit(v) } }
            for a in record.amendments { expected["amendment:\(a.id ?? 0)"] = try libxml2 { try $0.amendment(a) } }
            for p in record.plans { expected["plan:\(p.id ?? 0)"] = try libxml2 { try $0.plan(p) } }
            for exported in try RecordDigest.records(of: record, claimed: { _, _ in "claimed" }) {
                let key = exported.kind == "patient" ? "patient" : "\(exported.kind):\(exported.id)"
                let bytes = try #require(expected[key], "\(key)")
                #expect(exported.digest == LetterDigest.sha256Hex(Data(bytes)), "\(key)")
                checked += 1
            }
            // A record the exporting clinic's seals found changed gets the marked digest.
            if let visit = record.visits.first, let id = visit.id {
                let marked = try RecordDigest.of(audited: false) { try $0.visit(visit) }
                let bytes = try libxml2 { try $0.visit(visit) } + Array("\nnot in its audited state".utf8)
                #expect(marked == LetterDigest.sha256Hex(Data(bytes)), "visit \(id) marked")
            }
        }
        #expect(checked > 20)
    }

    /// A file of many records (megabytes: the writer hands chunks of 64 KB to the file while
    /// it writes, and each record's digest is taken from the bytes it wrote for it) has the
    /// bytes and digests libxml2's writer gives, with records on every side of a chunk's end.
    @Test("an export file of many records: the bytes and digests libxml2's writer gives, records across chunk ends")
    func aLargeExportFileIsLibxml2sBytes() throws {
        let records = Self.records.filter { $0.patient.id != nil }
        let copies = (0..<60).flatMap { _ in records }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-digest-bytes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent("export.xml")
        let writer = try RecordsExportWriter(path: path)
        writer.writesDigests = true
        writer.changedRecords = ["visit:41", "patient:201"]
        for p in SampleRecords.practitioners { try writer.write(p) }
        for r in copies { try writer.write(r) }
        try writer.finish()
        let xml = try XMLStreamWriter()
        var encoder = RecordsXMLEncoder(xml: xml)
        encoder.digests = true
        encoder.changedRecords = ["visit:41", "patient:201"]
        try xml.startDocument()
        try xml.startElement("clinicRecords", namespace: ClinicSchemas.Format.records.namespace)
        try xml.writeAttribute("version", "1")
        try xml.startElement("practitioners")
        for p in SampleRecords.practitioners { try encoder.practitioner(p) }
        try xml.endElement()
        try xml.startElement("patients")
        for r in copies { try encoder.patientRecord(r) }
        try xml.endElement()
        try xml.startElement("audit")
        try xml.endElement()
        try xml.endElement()
        try xml.endDocument()
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written.count > 1_000_000, "\(written.count) bytes: several chunks")
        #expect(written == xml.data)
    }

    /// A whole export document, as libxml2 wrote it (the same containers in the same order).
    @Test func aWholeExportIsLibxml2sBytes() throws {
        let header = RecordsExportHeader(clinic: "Crown St", exportedBy: "p1", software: "Knot")
        let records = Self.records.filter { $0.patient.id != nil }
        let written: Data = try {
            let writer = try RecordsExportWriter()
            writer.writesDigests = true
            writer.changedRecords = ["visit:41"]
            try writer.writeHeader(header)
            for p in SampleRecords.practitioners { try writer.write(p) }
            for r in records { try writer.write(r) }
            for e in SampleRecords.audit { try writer.write(e) }
            return try writer.finish()
        }()
        let xml = try XMLStreamWriter()
        var encoder = RecordsXMLEncoder(xml: xml)
        encoder.digests = true
        encoder.changedRecords = ["visit:41"]
        try xml.startDocument()
        try xml.startElement("clinicRecords", namespace: ClinicSchemas.Format.records.namespace)
        try xml.writeAttribute("version", "1")
        try encoder.header(header)
        try xml.startElement("practitioners")
        for p in SampleRecords.practitioners { try encoder.practitioner(p) }
        try xml.endElement()
        try xml.startElement("patients")
        for r in records { try encoder.patientRecord(r) }
        try xml.endElement()
        try xml.startElement("audit")
        for e in SampleRecords.audit { try encoder.auditEntry(e) }
        try xml.endElement()
        try xml.endElement()
        try xml.endDocument()
        #expect(written == xml.data)
        #expect(String(decoding: written, as: UTF8.self).contains("digest=\""))
    }
}
