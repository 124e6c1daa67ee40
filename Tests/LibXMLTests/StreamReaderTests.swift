import Foundation
import LibXML
import Testing

/// Streaming: events, record-by-record subtrees, validation while streaming, root sniffing.
@Suite struct StreamReaderTests {
    let namespace = TestSchemas.visitsNamespace

    func reader(_ text: String, schema: XMLSchema? = nil) throws -> XMLStreamReader {
        try XMLStreamReader(data: Data(text.utf8), options: ParseOptions(fileName: "visits.xml"), schema: schema)
    }

    func events(_ reader: XMLStreamReader) throws -> [XMLStreamEvent] {
        var all: [XMLStreamEvent] = []
        while let event = try reader.next() { all.append(event) }
        return all
    }

    @Test func eventsPairStartsWithEndsAlsoForEmptyElements() throws {
        let text = "<r xmlns=\"urn:x\" a=\"1\">\n<e/>t<![CDATA[<c>]]><p:q xmlns:p=\"urn:p\" p:b=\"2\">x</p:q></r>"
        let all = try events(reader(text))
        #expect(all == [
            .startElement(name: "r", namespace: "urn:x", attributes: [XMLAttribute(name: "a", value: "1")], line: 1, isEmpty: false),
            .text("\n"),
            .startElement(name: "e", namespace: "urn:x", attributes: [], line: 2, isEmpty: true),
            .endElement(name: "e", namespace: "urn:x"),
            .text("t"),
            .text("<c>"),
            .startElement(name: "q", namespace: "urn:p",
                          attributes: [XMLAttribute(name: "b", namespace: "urn:p", prefix: "p", value: "2")], line: 2, isEmpty: false),
            .text("x"),
            .endElement(name: "q", namespace: "urn:p"),
            .endElement(name: "r", namespace: "urn:x"),
        ])
    }

    @Test func readsOneRecordAtATime() throws {
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "7"), ("v2", "2024-03-08", "3")])
        let stream = try reader(text, schema: TestSchemas.visits)
        var visits: [XMLElement] = []
        while let event = try stream.next() {
            if case .startElement(name: "visit", _, _, _, _) = event {
                visits.append(try stream.readElementSubtree())
                #expect(stream.path == "/visits")
            }
        }
        #expect(visits.map { $0.attribute("id") } == ["v1", "v2"])
        #expect(visits.map(\.line) == [3, 7])
        #expect(visits.map(\.path) == ["/visits/visit", "/visits/visit[2]"])
        #expect(visits[1].firstChild(named: "pain")?.textContent == "3")
        #expect(visits[1].firstChild(named: "date")?.path == "/visits/visit[2]/date")
        #expect(visits[0].namespace == namespace)
        #expect(try stream.next() == nil, "stays at the end")
    }

    @Test func subtreeMatchesTheWholeDocumentTree() throws {
        let text = "<r><a k=\"v\">one<b>two</b><![CDATA[three]]>four</a></r>"
        let stream = try reader(text)
        _ = try stream.next()
        _ = try stream.next()
        var streamed = try stream.readElementSubtree()
        var whole = try #require(try XMLDocument(data: Data(text.utf8)).root.elements.first)
        streamed.path = ""
        whole.path = ""
        #expect(streamed == whole)
    }

    @Test func validityIssuesAreThrownAtTheEndWithLines() throws {
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "7"), ("v2", "2024-03-08", "42"), ("v3", "2024-03-15", "1")])
        let stream = try reader(text, schema: TestSchemas.visits)
        var seen = 0
        let errors = try #require(throws: XMLErrors.self) {
            while let event = try stream.next() {
                if case .startElement(name: "visit", _, _, _, _) = event { seen += 1 }
            }
        }
        #expect(seen == 3, "events continue after a validity issue")
        #expect(errors.kind == .invalid)
        #expect(errors.first.line == 9)
        #expect(errors.first.file == "visits.xml")
        #expect(throws: XMLErrors.self) { try stream.next() }
    }

    @Test func wellFormednessErrorsStopAtOnce() throws {
        let stream = try reader("<r>\n<a>1</a>\n<b>2</c>\n<a>3</a>\n</r>")
        var names: [String] = []
        let errors = try #require(throws: XMLErrors.self) {
            while let event = try stream.next() {
                if case .startElement(let name, _, _, _, _) = event { names.append(name) }
            }
        }
        #expect(errors.kind == .notWellFormed)
        #expect(errors.first.line == 3)
        #expect(names.filter { $0 == "a" }.count <= 1, "nothing after the error is returned")
        let again = try #require(throws: XMLErrors.self) { try stream.next() }
        #expect(again == errors)
    }

    @Test func readElementSubtreeNeedsAStartElement() throws {
        let stream = try reader("<r>text</r>")
        let errors = try #require(throws: XMLErrors.self) { try stream.readElementSubtree() }
        #expect(errors.kind == .unsupported)
        _ = try stream.next()
        _ = try stream.next()
        #expect(throws: XMLErrors.self) { try stream.readElementSubtree() }
    }

    @Test func refusesDoctype() throws {
        let errors = try #require(throws: XMLErrors.self) {
            try events(reader("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"))
        }
        #expect(errors.kind == .doctypeForbidden)
    }

    @Test func streamsLargeDocumentsWithValidation() throws {
        let visits = (0..<5_000).map { (id: "v\($0)", date: "2024-03-01", pain: "\($0 % 11)") }
        let stream = try reader(TestSchemas.visitsDocument(visits), schema: TestSchemas.visits)
        var count = 0
        while let event = try stream.next() {
            if case .startElement(name: "visit", _, _, _, _) = event {
                _ = try stream.readElementSubtree()
                count += 1
            }
        }
        #expect(count == 5_000)
    }

    @Test func sniffsTheRootCheaply() throws {
        let letter = "<?xml version=\"1.0\"?>\n<!-- hello -->\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>x</title></ClinicalDocument>"
        let root = try XMLDocument.sniffRoot(data: Data(letter.utf8))
        #expect(root.name == "ClinicalDocument")
        #expect(root.namespace == "urn:hl7-org:v3")
        let plain = try XMLDocument.sniffRoot(data: Data("<records/>".utf8))
        #expect(plain.name == "records")
        #expect(plain.namespace == nil)
        let doctype = try #require(throws: XMLErrors.self) {
            try XMLDocument.sniffRoot(data: Data("<!DOCTYPE r SYSTEM \"http://x.invalid/r.dtd\"><r/>".utf8))
        }
        #expect(doctype.kind == .doctypeForbidden)
        #expect(throws: XMLErrors.self) { try XMLDocument.sniffRoot(data: Data("%PDF-1.4".utf8)) }
    }

    @Test func readsFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(TestSchemas.visitsDocument([("v1", "2024-03-01", "7")]).utf8).write(to: file)
        let stream = try XMLStreamReader(contentsOfFile: file.path, schema: TestSchemas.visits)
        #expect(try events(stream).count > 4)
    }
}
