import Foundation
import Testing
import ClinicModel
import LibXML
@testable import ClinicXML

/// An export's audit trail is read the import's way: each `<event>` reached by
/// `XMLStreamReader.nextElementStart()` (nothing made of the texts and attributes passed over)
/// and decoded in place. What a user relies on: the same events as the older way (every event
/// reached through `next()`'s events and decoded from a copied tree), for every
/// shape the exporter writes and for hand-written variants; a broken one refused with the same
/// words, file, line and path.
@Suite struct AuditEventReadingTests {
    typealias Step = RecordsInPlaceReadingTests.Step

    /// An export of the sample practitioners and audit trail (every action, absent ids, a
    /// detail with markup characters, an empty `prevHash`), no patients.
    static let export: String = {
        let data = try! RecordsExportWriter.document(practitioners: SampleRecords.practitioners, records: [], audit: SampleRecords.audit)
        return String(decoding: data, as: UTF8.self)
    }()

    /// The export's first `<event>` element, as written.
    static let firstEvent: String = {
        let start = export.range(of: "<event ")!.lowerBound
        let end = export.range(of: "</event>", range: start..<export.endIndex)!.upperBound
        return String(export[start..<end])
    }()

    /// The export with its first event replaced by `variant`.
    static func with(_ variant: String) -> String {
        export.replacingOccurrences(of: firstEvent, with: variant)
    }

    /// The import's way, and the older way.
    static func bothWays(_ text: String) -> (new: [Step], old: [Step]) {
        (RecordsInPlaceReadingTests.transcript(Data(text.utf8), inPlace: true, skims: true),
         RecordsInPlaceReadingTests.transcript(Data(text.utf8), inPlace: false, skims: false))
    }

    static func events(_ steps: [Step]) -> [AuditEntry] {
        steps.compactMap { if case .item(.audit(let entry), _) = $0 { entry } else { nil } }
    }

    static func refusals(_ steps: [Step]) -> [ClinicXMLError] {
        steps.flatMap { step -> [ClinicXMLError] in if case .refused(let errors) = step { errors } else { [] } }
    }

    @Test("Every shape the exporter writes: the same events as the older way, equal to those exported")
    func exportedShapes() {
        let (new, old) = Self.bothWays(Self.export)
        #expect(new == old)
        #expect(Self.events(new) == SampleRecords.audit)
        #expect(new.last == .end)
        // Streamed from a file, as `knot import` and `init --from` read it.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("knot-audit-\(UUID().uuidString).xml")
        try? Data(Self.export.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(RecordsInPlaceReadingTests.transcript(Data(), inPlace: true, file: url.path) == new)
    }

    @Test("Hand-written events that mean the same: attributes reordered, prefixes, references, comments, CDATA, quotes and line breaks")
    func sameMeaning() throws {
        let event = Self.firstEvent
        let startTag = String(event[..<event.firstIndex(of: ">")!])
        let attributes = try NSRegularExpression(pattern: #" [A-Za-z]+="[^"]*""#)
            .matches(in: startTag, range: NSRange(startTag.startIndex..., in: startTag))
            .map { String(startTag[Range($0.range, in: startTag)!]) }
        #expect(attributes.count >= 6)
        let actor = SampleRecords.audit[0].event.actor
        let action = SampleRecords.audit[0].event.action.rawValue
        let rest = String(event[event.firstIndex(of: ">")!...])
        let variants = [
            "<event" + attributes.reversed().joined() + rest,
            "<event" + attributes.map { "\n\t" + $0.dropFirst() }.joined() + "\n" + rest,
            "<event" + attributes.map { $0.replacingOccurrences(of: "\"", with: "'") }.joined() + rest,
            event.replacingOccurrences(of: "<event ", with: "<k:event xmlns:k=\"urn:knot:records:1\" ")
                .replacingOccurrences(of: "actor>", with: "k:actor>").replacingOccurrences(of: "</event>", with: "</k:event>"),
            event.replacingOccurrences(of: "action=\"\(action)\"",
                                       with: "action=\"&#x\(String(action.unicodeScalars.first!.value, radix: 16));\(action.dropFirst())\""),
            event.replacingOccurrences(of: "<actor>", with: "<!-- who --><actor>")
                .replacingOccurrences(of: actor, with: actor.prefix(2) + "<!-- c -->" + actor.dropFirst(2)),
            event.replacingOccurrences(of: actor, with: "<![CDATA[" + actor.prefix(3) + "]]>" + actor.dropFirst(3)),
            event.replacingOccurrences(of: "<event ", with: "<event xmlns:x=\"urn:other\" "),
        ]
        for variant in variants {
            #expect(variant != event)
            let (new, old) = Self.bothWays(Self.with(variant))
            #expect(new == old, "\(variant)")
            #expect(Self.events(new) == SampleRecords.audit, "\(variant)")
        }
    }

    @Test("Broken events: refused as the older way refuses them, naming file, line and path")
    func brokenEvents() throws {
        let event = Self.firstEvent
        let line = TestFiles.line(of: event, in: Self.export)!
        let action = SampleRecords.audit[0].event.action.rawValue
        let hash = SampleRecords.audit[0].hash
        let variants = [
            event.replacingOccurrences(of: "action=\"\(action)\"", with: "action=\"dance\""),
            event.replacingOccurrences(of: " hash=\"\(hash)\"", with: ""),
            event.replacingOccurrences(of: " hash=\"", with: " xmlns:x=\"urn:x\" x:hash=\""),
            event.replacingOccurrences(of: " at=\"", with: " at=\"yesterday"),
            event.replacingOccurrences(of: " id=\"1\"", with: " id=\"one\""),
            event.replacingOccurrences(of: "<actor>", with: "<actor>\n").replacingOccurrences(of: "</actor>", with: "</actor><actor>two</actor>"),
            event.replacingOccurrences(of: "</actor>", with: "</actor><unknown/>"),
        ]
        for variant in variants {
            let (new, old) = Self.bothWays(Self.with(variant))
            #expect(new == old, "\(variant)")
            let refused = Self.refusals(new)
            #expect(!refused.isEmpty, "\(variant)")
            #expect(refused.allSatisfy { $0.file == "generated.xml" }, "\(variant)")
            // At the event's start tag, or at the child the schema refuses inside it.
            #expect(refused.contains { (line...(line + 3)).contains($0.line) }, "\(variant): \(refused)")
        }
    }

    @Test("A rule only the decoder checks: an event id given twice, refused with its words, line and path")
    func duplicateID() throws {
        let second = SampleRecords.audit[1]
        let text = Self.export.replacingOccurrences(of: "<event id=\"\(second.event.id!)\"", with: "<event id=\"1\"")
        let (new, old) = Self.bothWays(text)
        #expect(new == old)
        let refused = Self.refusals(new)
        let duplicate = try #require(refused.first)
        #expect(refused.count == 1)
        #expect(duplicate.message == "audit event id 1 appears twice in the file")
        #expect(duplicate.path == "/clinicRecords/audit/event[2]")
        #expect(duplicate.line == TestFiles.line(of: "<event id=\"1\" at=\"\(XMLValueFormat.instant(second.event.at))", in: text))
        // The reader goes on after it: every other event is read.
        #expect(Self.events(new).count == SampleRecords.audit.count - 1)
    }

    @Test("A missing attribute the schema requires: the schema's findings, as before, and the decoder's own words when asked alone")
    func missingAttributeWords() throws {
        let text = Self.with(Self.firstEvent.replacingOccurrences(of: " at=\"", with: " when=\""))
        let (new, old) = Self.bothWays(text)
        #expect(new == old)
        #expect(Self.refusals(new).contains { $0.kind == .invalid })
        // The decoder's refusal itself (before the schema's findings replace it), both ways.
        let document = try XMLDocument(data: Data(text.utf8))
        let element = try #require(document.root.firstChild(named: "audit")?.firstChild(named: "event"))
        let cursor = try #require(document.rootCursor().firstChild(named: "audit")?.firstChild(named: "event"))
        var decoder = RecordsXMLDecoder(file: "generated.xml", today: RecordsInPlaceReadingTests.today)
        let fromElement = #expect(throws: ClinicXMLErrors.self) { try decoder.audit(element) }
        let fromCursor = #expect(throws: ClinicXMLErrors.self) { try decoder.audit(cursor) }
        #expect(fromElement == fromCursor)
        #expect(fromCursor?.errors.first?.message == "<event> has no at attribute")
        #expect(fromCursor?.errors.first?.path == "/clinicRecords/audit/event[1]")
    }
}
