import Foundation
import LibXML
import Testing

/// Parsing well-formed documents into the value tree: names, namespaces, attributes, text, lines.
@Suite struct DocumentParsingTests {
    static let hl7 = "urn:hl7-org:v3"
    static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    static let referral = """
        <?xml version="1.0" encoding="UTF-8"?>
        <?xml-stylesheet type="text/xsl" href="cda.xsl"?>
        <!-- sent by the GP -->
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">
          <recordTarget>
            <patientRole>
              <id root="2.16.840.1.113883.2.1.4.1" extension="943 476 5919"/>
              <patient><name><given>Zoë</given><family>O'Brien &amp; Co &#x2014; &lt;UK&gt;</family></name></patient>
            </patientRole>
          </recordTarget>
          <recordTarget><patientRole/></recordTarget>
          <component>
            <text>Pain <b>7/10</b> in <![CDATA[upper trapezius <left>]]> since March.</text>
            <value xsi:type="PQ" value="7" unit="1"/>
            <sdtc:raceCode code="x"/>
            <!-- reviewed -->
          </component>
        </ClinicalDocument>
        """

    func parse(_ text: String, name: String = "letter.xml") throws -> XMLDocument {
        try XMLDocument(data: Data(text.utf8), options: ParseOptions(fileName: name))
    }

    @Test func rootNameNamespaceAndDeclarations() throws {
        let root = try parse(Self.referral).root
        #expect(root.name == "ClinicalDocument")
        #expect(root.namespace == Self.hl7)
        #expect(root.prefix == nil)
        #expect(root.line == 4)
        #expect(root.path == "/ClinicalDocument")
        #expect(root.attributes.isEmpty, "namespace declarations are not attributes")
        #expect(root.namespaceDeclarations == [
            XMLNamespaceDeclaration(prefix: nil, uri: Self.hl7),
            XMLNamespaceDeclaration(prefix: "xsi", uri: Self.xsi),
            XMLNamespaceDeclaration(prefix: "sdtc", uri: "urn:hl7-org:sdtc"),
        ])
    }

    @Test func childrenPathsAndLines() throws {
        let root = try parse(Self.referral).root
        let targets = root.children(named: "recordTarget")
        #expect(targets.count == 2)
        #expect(targets.map(\.line) == [5, 11])
        let role = try #require(targets[0].firstChild(named: "patientRole"))
        #expect(role.path == "/ClinicalDocument/recordTarget[1]/patientRole")
        #expect(targets[1].firstChild(named: "patientRole")?.path == "/ClinicalDocument/recordTarget[2]/patientRole")
        let id = try #require(role.firstChild(named: "id"))
        #expect(id.line == 7)
        #expect(id.attribute("extension") == "943 476 5919")
        #expect(id.attribute("root") == "2.16.840.1.113883.2.1.4.1")
        #expect(id.attribute("missing") == nil)
        #expect(root.children(named: "recordTarget", namespace: nil).isEmpty, "namespace must match")
        #expect(root.elements.map(\.name) == ["recordTarget", "recordTarget", "component"])
    }

    @Test func textEntitiesAndCharacterReferences() throws {
        let root = try parse(Self.referral).root
        let name = try #require(root.firstChild(named: "recordTarget")?.firstChild(named: "patientRole")?
            .firstChild(named: "patient")?.firstChild(named: "name"))
        #expect(name.firstChild(named: "given")?.textContent == "Zoë")
        #expect(name.firstChild(named: "family")?.textContent == "O'Brien & Co — <UK>")
        #expect(name.textContent == "ZoëO'Brien & Co — <UK>")
    }

    @Test func cdataIsMergedIntoText() throws {
        let text = try #require(try parse(Self.referral).root.firstChild(named: "component")?.firstChild(named: "text"))
        #expect(text.children.count == 3)
        #expect(text.children.first == .text("Pain "))
        #expect(text.children.last == .text(" in upper trapezius <left> since March."))
        #expect(text.textContent == "Pain 7/10 in upper trapezius <left> since March.")
    }

    @Test func prefixedElementsAndAttributes() throws {
        let component = try #require(try parse(Self.referral).root.firstChild(named: "component"))
        let value = try #require(component.firstChild(named: "value"))
        #expect(value.attribute("type", namespace: Self.xsi) == "PQ")
        #expect(value.attribute("type") == nil, "an unprefixed lookup does not match xsi:type")
        #expect(value.attributes.first == XMLAttribute(name: "type", namespace: Self.xsi, prefix: "xsi", value: "PQ"))
        #expect(component.firstChild(named: "raceCode") == nil, "raceCode is in another namespace")
        let race = try #require(component.firstChild(named: "raceCode", namespace: "urn:hl7-org:sdtc"))
        #expect(race.prefix == "sdtc")
        #expect(race.qualifiedName == "sdtc:raceCode")
        #expect(component.children.contains(.comment(" reviewed ")))
        #expect(!component.textContent.contains("reviewed"), "comments are not text")
    }

    @Test func prologKeepsStylesheetAndComments() throws {
        let document = try parse(Self.referral)
        #expect(document.prolog == [
            .processingInstruction(target: "xml-stylesheet", data: "type=\"text/xsl\" href=\"cda.xsl\""),
            .comment(" sent by the GP "),
        ])
    }

    @Test func lineNumbersBeyond65535() throws {
        let text = "<log>" + String(repeating: "\n", count: 70_000) + "<late/></log>"
        let root = try parse(text).root
        #expect(root.firstChild(named: "late")?.line == 70_001)
    }

    @Test func byteOrderMarksAndDeclaredEncodings() throws {
        var bom = Data([0xEF, 0xBB, 0xBF])
        bom.append(Data("<note>Müller</note>".utf8))
        #expect(try XMLDocument(data: bom).root.textContent == "Müller")

        var utf16 = Data([0xFF, 0xFE])
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<note>\n<who>Müller 痛み</who></note>".utf16 {
            utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)])
        }
        let fromUTF16 = try XMLDocument(data: utf16).root
        #expect(fromUTF16.textContent == "\nMüller 痛み")
        #expect(fromUTF16.firstChild(named: "who")?.line == 3)

        var latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><note>M".utf8)
        latin1.append(contentsOf: [0xFC, 0x6C, 0x6C, 0x65, 0x72])
        latin1.append(Data("</note>".utf8))
        #expect(try XMLDocument(data: latin1).root.textContent == "Müller")
    }

    @Test func xincludeIsNeverProcessed() throws {
        let root = try parse("""
            <r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/></r>
            """).root
        let include = try #require(root.elements.first)
        #expect(include.name == "include")
        #expect(include.namespace == "http://www.w3.org/2001/XInclude")
        #expect(include.children.isEmpty)
    }

    @Test func serializedRoundTripKeepsTheTree() throws {
        let document = try parse(Self.referral)
        let again = try XMLDocument(data: document.serialized(), options: ParseOptions(fileName: "letter.xml"))
        #expect(again.root == document.root)
        #expect(String(decoding: document.serialized(), as: UTF8.self).hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    }

    @Test func readsFilesAndNamesThemInMessages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("libxml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.xml")
        try Data("<note>ok</note>".utf8).write(to: good)
        #expect(try XMLDocument(contentsOfFile: good.path).root.textContent == "ok")

        let bad = folder.appendingPathComponent("bad.xml")
        try Data("<note>\n<a></b></note>".utf8).write(to: bad)
        let error = try #require(throws: XMLErrors.self) { try XMLDocument(contentsOfFile: bad.path) }
        #expect(error.first.file == "bad.xml")
        #expect(error.description.hasPrefix("bad.xml:2:"))

        let missing = try #require(throws: XMLErrors.self) {
            try XMLDocument(contentsOfFile: folder.appendingPathComponent("nope.xml").path)
        }
        #expect(missing.kind == .io)

        let big = folder.appendingPathComponent("big.xml")
        try Data(("<note>" + String(repeating: "x", count: 2_000) + "</note>").utf8).write(to: big)
        let tooLarge = try #require(throws: XMLErrors.self) {
            try XMLDocument(contentsOfFile: big.path, options: ParseOptions(maxBytes: 1_000))
        }
        #expect(tooLarge.kind == .tooLarge)
    }
}
