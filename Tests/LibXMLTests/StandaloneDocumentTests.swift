import Foundation
import LibXML
import Testing

/// `XMLElementCursor.appendStandaloneDocument` writes an element as `XMLByteWriter` would write
/// it alone, from what the parser read: a record's digest is taken from those bytes when they
/// give the digest claimed (`RecordDigest.matchedAsRead`), so they must be the writer's bytes
/// exactly for every value, and it must refuse every tree it cannot write that way.
@Suite struct StandaloneDocumentTests {
    /// The writer's bytes for `body` at depth 0, and the same element read back and written
    /// from the tree (nil when refused), after `wrap` placed it at depth 3 inside other elements.
    static func roundTrip(_ body: (XMLByteWriter) throws -> Void,
                         skippingAttribute: String? = nil, skippingChildren: [String] = []) throws -> (written: [UInt8], read: [UInt8]?) {
        let alone = XMLByteWriter()
        try alone.startDocument()
        try body(alone)
        try alone.endDocument()
        // The same element where an export has it: three levels down, in a default namespace.
        let nested = XMLByteWriter()
        try nested.startDocument()
        try nested.startElement("root", namespace: "urn:example:1")
        try nested.startElement("group")
        try nested.startElement("holder")
        try body(nested)
        try nested.endElement()
        try nested.endElement()
        try nested.endElement()
        try nested.endDocument()
        let document = try XMLDocument(data: Data(nested.bytes))
        let element = try #require(document.rootCursor().elements.first?.elements.first?.elements.first)
        var bytes: [UInt8] = []
        let ok = element.appendStandaloneDocument(to: &bytes, skippingAttribute: skippingAttribute, skippingChildren: skippingChildren)
        return (alone.bytes, ok ? bytes : nil)
    }

    /// What the tree gives for `xml` (a whole document whose root is the element), nil when refused.
    static func read(_ xml: String, skippingAttribute: String? = nil, skippingChildren: [String] = []) throws -> String? {
        let document = try XMLDocument(data: Data(xml.utf8))
        var bytes: [UInt8] = []
        guard document.rootCursor().appendStandaloneDocument(to: &bytes, skippingAttribute: skippingAttribute,
                                                             skippingChildren: skippingChildren) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("Every awkward value, as an attribute and as text, in every nesting shape: the writer's bytes, read from three levels down", arguments: XMLByteWriterTests.awkward)
    func writerBytesForEveryValue(_ value: String) throws {
        // Values XML cannot carry as they are written (a lone CR in text is written &#13;, so it
        // reads back) are all carried; only what the parser itself changes could differ.
        let shapes: [(XMLByteWriter) throws -> Void] = [
            { w in try w.startElement("a"); try w.writeAttribute("x", value); try w.endElement() },
            { w in try w.startElement("a"); try w.writeAttribute("x", value); try w.writeAttribute("y", value); try w.writeText(value); try w.endElement() },
            { w in try w.startElement("a"); try w.writeElement("b", text: value); try w.endElement() },
            { w in
                try w.startElement("a"); try w.startElement("b"); try w.writeAttribute("k", value)
                try w.writeElement("c", text: value); try w.startElement("d"); try w.endElement(); try w.endElement()
                try w.writeElement("e", text: value); try w.endElement()
            },
        ]
        for (index, shape) in shapes.enumerated() {
            let (written, read) = try Self.roundTrip(shape)
            // Empty text is written `<b></b>`, which reads back as an element without text: the
            // tree writes `<b/>` (a different digest, so the caller encodes; never a wrong match).
            // Whitespace-only text is a value: kept.
            if value.isEmpty, index > 0 {
                #expect(read != written, "shape \(index)")
                continue
            }
            #expect(read == written, "shape \(index) value \(value.debugDescription): \(read.map { String(decoding: $0, as: UTF8.self) } ?? "refused") vs \(String(decoding: written, as: UTF8.self))")
        }
    }

    @Test("Re-indented or on one line, the element still gives the writer's bytes; a text's own whitespace is kept")
    func indentationIsNotContent() throws {
        let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<v id=\"1\">\n  <notes> a \n b </notes>\n  <f x=\"2\">\n    <g/>\n  </f>\n</v>\n"
        #expect(try Self.read("<v id=\"1\"><notes> a \n b </notes><f x=\"2\"><g/></f></v>") == expected)
        #expect(try Self.read("<v id=\"1\">\n\t\t<notes> a \n b </notes>\r\n\t\t<f x=\"2\">   <g></g>\n\t\t</f>\n</v>") == expected)
        // Whitespace that is a value (the only text of an element) is not indentation.
        #expect(try Self.read("<v><notes>\n    </notes></v>") == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<v>\n  <notes>\n    </notes>\n</v>\n")
    }

    @Test("The digest attribute and the nested records are left out; the element alone closes where the writer closes it")
    func skipping() throws {
        let xml = "<patient id=\"4\" digest=\"abc\" archived=\"false\"><recordNumber>K1</recordNumber><visit id=\"9\" digest=\"d\"><notes>x</notes></visit><plan/></patient>"
        #expect(try Self.read(xml, skippingAttribute: "digest", skippingChildren: ["visit", "plan"])
                    == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<patient id=\"4\" archived=\"false\">\n  <recordNumber>K1</recordNumber>\n</patient>\n")
        // Only nested records: the element alone has no content.
        #expect(try Self.read("<patient id=\"4\">\n  <visit/>\n</patient>", skippingChildren: ["visit"])
                    == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<patient id=\"4\"/>\n")
        // A nested element's own digest attribute is not the one skipped: it stays.
        #expect(try Self.read("<a digest=\"1\"><b digest=\"2\"/></a>", skippingAttribute: "digest")
                    == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <b digest=\"2\"/>\n</a>\n")
    }

    @Test("Refused: comments, processing instructions, mixed content, CDATA beside elements, other namespaces, namespaced attributes")
    func refusals() throws {
        #expect(try Self.read("<a><b>x</b><!-- c --></a>") == nil)
        #expect(try Self.read("<a><b>x<!-- c -->y</b></a>") == nil)
        #expect(try Self.read("<a><?pi data?><b/></a>") == nil)
        #expect(try Self.read("<a>text<b/></a>") == nil)
        #expect(try Self.read("<a><b/> text </a>") == nil)
        #expect(try Self.read("<a><![CDATA[ ]]><b/></a>") == nil)
        #expect(try Self.read("<a xmlns=\"urn:one\"><b xmlns=\"urn:two\"/></a>") == nil)
        #expect(try Self.read("<a xmlns:o=\"urn:other\"><b o:x=\"1\"/></a>") == nil)
        #expect(try Self.read("<a xml:lang=\"en\"/>") == nil)
        // CDATA as an element's only text is text: written escaped, as the writer writes it.
        #expect(try Self.read("<a><b><![CDATA[<&>]]>z</b></a>") == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <b>&lt;&amp;&gt;z</b>\n</a>\n")
        // A prefix for the same namespace reads as the same names.
        #expect(try Self.read("<k:a xmlns:k=\"urn:one\"><k:b/></k:a>") == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <b/>\n</a>\n")
    }
}
