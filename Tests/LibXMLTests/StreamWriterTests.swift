import Foundation
import LibXML
import Testing

/// The writer streams deterministic, escaped, always well-formed XML to memory or to 0600 files.
@Suite struct StreamWriterTests {
    let namespace = TestSchemas.visitsNamespace

    func writeVisits(_ writer: XMLStreamWriter, count: Int = 1) throws {
        try writer.startDocument()
        try writer.startElement("visits", namespace: namespace)
        for index in 0..<count {
            try writer.startElement("visit")
            try writer.writeAttribute("id", "v\(index + 1)")
            try writer.writeElement("date", text: "2024-03-01")
            try writer.writeElement("pain", text: "7")
            try writer.endElement()
        }
        try writer.endElement()
        try writer.endDocument()
    }

    @Test func outputIsIndentedAndDeterministic() throws {
        let writer = try XMLStreamWriter()
        try writeVisits(writer)
        let expected = """
            <?xml version="1.0" encoding="UTF-8"?>
            <visits xmlns="urn:knot:test:visits:1">
              <visit id="v1">
                <date>2024-03-01</date>
                <pain>7</pain>
              </visit>
            </visits>

            """
        #expect(String(decoding: writer.data, as: UTF8.self) == expected)
        let again = try XMLStreamWriter()
        try writeVisits(again)
        #expect(again.data == writer.data)
        try XMLDocument(data: writer.data).validate(against: TestSchemas.visits)
    }

    @Test func escapingRoundTrips() throws {
        let awkwardText = "a < b && c > d \"quoted\" 'single' ]]> Zoë 痛み 🙂\ttab\r\nCRLF"
        let awkwardAttribute = "x\"y<z&w>'v\ttab\nnewline\rreturn é"
        let writer = try XMLStreamWriter(indent: false)
        try writer.startDocument()
        try writer.startElement("note")
        try writer.writeAttribute("by", awkwardAttribute)
        try writer.writeText(awkwardText)
        try writer.writeComment(" checked ")
        try writer.endElement()
        try writer.endDocument()
        let root = try XMLDocument(data: writer.data).root
        #expect(root.attribute("by") == awkwardAttribute)
        #expect(root.textContent == awkwardText)
        #expect(root.children.last == .comment(" checked "))
    }

    @Test func namespacesArePrefixAware() throws {
        let writer = try XMLStreamWriter(indent: false)
        try writer.startDocument()
        try writer.startElement("cda:ClinicalDocument", namespace: "urn:hl7-org:v3")
        try writer.writeNamespaceDeclaration(prefix: "xsi", uri: "http://www.w3.org/2001/XMLSchema-instance")
        try writer.startElement("cda:value")
        try writer.writeAttribute("xsi:type", "PQ")
        try writer.endElement()
        try writer.endElement()
        try writer.endDocument()
        let root = try XMLDocument(data: writer.data).root
        #expect(root.name == "ClinicalDocument")
        #expect(root.namespace == "urn:hl7-org:v3")
        #expect(root.prefix == "cda")
        #expect(root.firstChild(named: "value")?.attribute("type", namespace: "http://www.w3.org/2001/XMLSchema-instance") == "PQ")
    }

    @Test(arguments: ["nul\u{0}", "bell\u{7}", "escape\u{1B}", "nonchar\u{FFFE}", "nonchar\u{FFFF}"])
    func charactersXMLCannotCarryAreRefused(_ text: String) throws {
        let writer = try XMLStreamWriter(indent: false)
        try writer.startDocument()
        try writer.startElement("note")
        let errors = try #require(throws: XMLErrors.self) { try writer.writeText(text) }
        #expect(errors.kind == .notWellFormed)
        #expect(throws: XMLErrors.self) { try writer.writeAttribute("by", text) }
        #expect(throws: XMLErrors.self) { try writer.writeElement("x", text: text) }
        #expect(throws: XMLErrors.self) { try writer.writeComment(text) }
        try writer.writeText("fine")
        try writer.endElement()
        try writer.endDocument()
        #expect(try XMLDocument(data: writer.data).root.textContent == "fine", "nothing of the refused text was written")
    }

    @Test(arguments: ["", "1abc", "a b", "a<b", "x:y:z", "nul\u{0}name"])
    func invalidNamesAreRefused(_ name: String) throws {
        let writer = try XMLStreamWriter()
        try writer.startDocument()
        #expect(throws: XMLErrors.self) { try writer.startElement(name) }
        try writer.startElement("ok")
        #expect(throws: XMLErrors.self) { try writer.writeAttribute(name, "v") }
    }

    @Test func commentsWithDoubleHyphenAreRefused() throws {
        let writer = try XMLStreamWriter()
        try writer.startDocument()
        try writer.startElement("r")
        #expect(throws: XMLErrors.self) { try writer.writeComment("a -- b") }
        #expect(throws: XMLErrors.self) { try writer.writeComment("ends-") }
    }

    @Test func misuseIsReported() throws {
        let writer = try XMLStreamWriter()
        try writer.startDocument()
        #expect(throws: XMLErrors.self) { try writer.endElement() }
        try writer.startElement("r")
        try writer.writeText("content")
        let late = try #require(throws: XMLErrors.self) { try writer.writeAttribute("a", "1") }
        #expect(late.kind == .unsupported)
        let open = try #require(throws: XMLErrors.self) { try writer.endDocument() }
        #expect(open.first.message.contains("r"))
        try writer.endElement()
        try writer.endDocument()
        #expect(throws: XMLErrors.self) { try writer.startElement("again") }
    }

    @Test func filesAreCreatedOwnerOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("export.xml").path
        try writeVisits(XMLStreamWriter(path: path))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        try XMLDocument(contentsOfFile: path).validate(against: TestSchemas.visits)

        let existing = folder.appendingPathComponent("existing.xml").path
        #expect(FileManager.default.createFile(atPath: existing, contents: Data("old content that is longer".utf8), attributes: [.posixPermissions: 0o644]))
        try writeVisits(XMLStreamWriter(path: existing))
        #expect(try FileManager.default.attributesOfItem(atPath: existing)[.posixPermissions] as? Int == 0o600)
        #expect(try XMLDocument(contentsOfFile: existing).root.elements.count == 1)
    }

    @Test func unwritablePathIsAnIOError() throws {
        let errors = try #require(throws: XMLErrors.self) {
            try XMLStreamWriter(path: "/nonexistent-folder-\(UUID().uuidString)/export.xml")
        }
        #expect(errors.kind == .io)
    }

    @Test func largeOutputStreamsToTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).xml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XMLStreamWriter(path: path)
        try writer.startDocument()
        try writer.startElement("visits", namespace: namespace)
        for index in 0..<20_000 {
            try writer.startElement("visit")
            try writer.writeAttribute("id", "v\(index)")
            try writer.writeElement("date", text: "2024-03-01")
            try writer.writeElement("pain", text: "\(index % 11)")
            try writer.endElement()
        }
        let sizeBeforeEnd = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(sizeBeforeEnd > 1_000_000, "written as it goes, not held in memory")
        try writer.endElement()
        try writer.endDocument()
        let stream = try XMLStreamReader(contentsOfFile: path, schema: TestSchemas.visits)
        var visits = 0
        while let event = try stream.next() {
            if case .startElement(name: "visit", _, _, _, _) = event { visits += 1 }
        }
        #expect(visits == 20_000)
    }
}
