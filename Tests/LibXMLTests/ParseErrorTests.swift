import Foundation
import LibXML
import Testing

/// Refusals carry the kind, the file, the line and the column a practitioner needs to fix the file.
@Suite struct ParseErrorTests {
    func failure(_ text: String, options: ParseOptions = ParseOptions(fileName: "letter.xml")) throws -> XMLErrors {
        try failure(Data(text.utf8), options: options)
    }

    func failure(_ data: Data, options: ParseOptions = ParseOptions(fileName: "letter.xml")) throws -> XMLErrors {
        try #require(throws: XMLErrors.self) { try XMLDocument(data: data, options: options) }
    }

    @Test func mismatchedTagHasLineAndColumn() throws {
        let errors = try failure("<visit>\n  <pain>7</pain>\n  <date>2024</dat>\n</visit>")
        #expect(errors.kind == .notWellFormed)
        #expect(errors.first.line == 3)
        #expect(errors.first.column > 0)
        #expect(errors.first.message.contains("date"))
        #expect(errors.description.hasPrefix("letter.xml:3:\(errors.first.column): error: "))
        #expect(errors.issues.count == 1, "cascading errors after the first fatal one are dropped")
    }

    @Test func descriptionFormats() {
        #expect(XMLError(kind: .invalid, message: "m", file: "a.xml", line: 12, column: 5).description == "a.xml:12:5: error: m")
        #expect(XMLError(kind: .invalid, message: "m", file: "a.xml", line: 12).description == "a.xml:12: error: m")
        #expect(XMLError(kind: .io, message: "m", file: "a.xml").description == "a.xml: error: m")
        #expect(XMLError(kind: .io, message: "m").description == "<memory>: error: m")
        let two = XMLErrors([XMLError(kind: .invalid, message: "a", line: 1), XMLError(kind: .invalid, message: "b", line: 2)], omittedCount: 3)
        #expect(two.description == "<memory>:1: error: a\n<memory>:2: error: b\n... and 3 more")
        #expect(two.localizedDescription == two.description)
    }

    @Test func sizeCapIsCheckedBeforeParsing() throws {
        let text = "<note>" + String(repeating: "x", count: 87) + "</note>"
        #expect(text.utf8.count == 100)
        #expect(try XMLDocument(data: Data(text.utf8), options: ParseOptions(maxBytes: 100)).root.name == "note")
        let errors = try failure(text + " ", options: ParseOptions(maxBytes: 100))
        #expect(errors.kind == .tooLarge)
        #expect(errors.first.message == "the document is 101 bytes, over the limit of 100 bytes")
        // Over the cap even though it is not XML at all: nothing is parsed.
        #expect(try failure(Data(repeating: 0, count: 101), options: ParseOptions(maxBytes: 100)).kind == .tooLarge)
    }

    @Test func emptyAndBlankDocuments() throws {
        #expect(try failure("").kind == .empty)
        #expect(try failure(" \n\t ").kind == .empty)
        // A prolog without any element: libxml2 reports "Start tag expected" as an empty document.
        #expect(try failure("<?xml version=\"1.0\"?>\n<!-- nothing -->\n").kind == .empty)
    }

    @Test func invalidUTF8PositionCountsCharacters() throws {
        var data = Data("<note>\nZoë ".utf8)
        data.append(0xE9)
        data.append(Data("</note>".utf8))
        let errors = try failure(data)
        #expect(errors.kind == .encoding)
        #expect(errors.first.line == 2)
        #expect(errors.first.column == 5)
        #expect(errors.first.message.contains("0xE9"))
    }

    @Test func nulByteIsRefusedWithPosition() throws {
        var data = Data("<note>\n\nab".utf8)
        data.append(0)
        data.append(Data("</note>".utf8))
        let errors = try failure(data)
        #expect(errors.kind == .encoding)
        #expect((errors.first.line, errors.first.column) == (3, 3))
    }

    @Test func asciiDeclarationIsEnforced() throws {
        let errors = try failure("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<note>Zoë</note>")
        #expect(errors.kind == .encoding)
        #expect((errors.first.line, errors.first.column) == (2, 9))
    }

    @Test func doctypeIsRefusedAlsoInUTF16() throws {
        var data = Data([0xFE, 0xFF])
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>".utf16 {
            data.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)])
        }
        let errors = try failure(data)
        #expect(errors.kind == .doctypeForbidden)
        #expect(errors.first.line == 2)
    }

    @Test func namespaceErrorsAreRefusedThoughLibxml2BuildsATree() throws {
        let errors = try failure("<r>\n  <cda:name/>\n</r>")
        #expect(errors.kind == .notWellFormed)
        #expect(errors.first.line == 2)
        #expect(errors.first.message.contains("cda"))
    }

    @Test func attributeAndNamespaceLimitsAreOptions() throws {
        let element = "<r" + (0..<10).map { " a\($0)=\"1\"" }.joined() + "/>"
        #expect(try XMLDocument(data: Data(element.utf8)).root.attributes.count == 10)
        let errors = try failure(element, options: ParseOptions(maxAttributesPerElement: 9))
        #expect(errors.kind == .tooLarge)
        #expect((errors.first.line, errors.first.column) == (1, 1))
        let quoted = "<r a=\"x=y=z\" b='>=' c=\"\" d=\"=\" e=\"a b=c\"><!-- <x f=\"1\" g=\"2\" h=\"3\"> --><![CDATA[ i=j k=l ]]></r>"
        #expect(try XMLDocument(data: Data(quoted.utf8), options: ParseOptions(maxAttributesPerElement: 5)).root.attributes.count == 5,
                "only real attributes count: not '=' in values, comments or CDATA")
        let namespaces = "<r xmlns:a=\"urn:a\"><s xmlns:b=\"urn:b\">x</s><t xmlns:c=\"urn:c\"><u/></t><v xmlns:d=\"urn:d\"/></r>"
        #expect(try XMLDocument(data: Data(namespaces.utf8), options: ParseOptions(maxNamespaceDeclarationsInScope: 2)).root.name == "r")
        #expect(try failure(namespaces, options: ParseOptions(maxNamespaceDeclarationsInScope: 1)).kind == .tooLarge)
    }

    @Test func textNodeLimitAppliesToTheTree() throws {
        let text = "<r>\n<note>" + String(repeating: "a", count: 10_000_001) + "</note></r>"
        let errors = try failure(text)
        #expect(errors.kind == .tooLarge)
        #expect(errors.first.line == 2)
        let justUnder = "<r><note>" + String(repeating: "a", count: 10_000_000) + "</note></r>"
        #expect(try XMLDocument(data: Data(justUnder.utf8)).root.textContent.utf8.count == 10_000_000)
    }
}
