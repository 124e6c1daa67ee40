import Foundation
import LibXML
import Testing

/// Canonical XML (C14N 1.0 inclusive, no comments) is the same for every spelling of the same content.
@Suite struct CanonicalFormTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try XMLDocument(data: Data(text.utf8)).canonicalData(), as: UTF8.self)
    }

    @Test func spellingDifferencesDisappear() throws {
        let first = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- exported by Knot -->
            <plan xmlns="urn:knot:plan:1" xmlns:x="urn:x" version='1' id="p1"><step   order="2" kind='stretch'/><note>a &gt; b</note></plan>
            """
        let second = """
            <plan xmlns:x="urn:x" id='p1' xmlns="urn:knot:plan:1" version="1"><step kind="stretch" order="2"></step><!-- c --><note>a > b</note></plan>
            """
        let canonicalFirst = try canonical(first)
        #expect(canonicalFirst == (try canonical(second)))
        #expect(canonicalFirst == """
            <plan xmlns="urn:knot:plan:1" xmlns:x="urn:x" id="p1" version="1"><step kind="stretch" order="2"></step><note>a &gt; b</note></plan>
            """)
    }

    @Test func contentChangesShow() throws {
        #expect(try canonical("<a x=\"1\"/>") != (try canonical("<a x=\"2\"/>")))
        #expect(try canonical("<a> b</a>") != (try canonical("<a>b</a>")), "whitespace in content is content")
    }

    @Test func stableThroughSerialisation() throws {
        let document = try XMLDocument(data: Data(DocumentParsingTests.referral.utf8))
        let reparsed = try XMLDocument(data: document.serialized())
        #expect(try document.canonicalData() == (try reparsed.canonicalData()))
        #expect(try document.canonicalData() == (try document.canonicalData()))
    }

    @Test func relativeNamespaceIsRefused() throws {
        let document = try XMLDocument(data: Data("<a xmlns=\"relative/path\"/>".utf8))
        let errors = try #require(throws: XMLErrors.self) { try document.canonicalData() }
        #expect(errors.kind == .unsupported)
    }
}
