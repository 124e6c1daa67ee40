import Foundation
import LibXML
import Testing

/// A document read whole is refused, before parsing, when it holds more nodes than
/// `ParseOptions.maxNodes`: elements, attributes, comments and processing instructions count;
/// end tags, text and what is inside comments, CDATA and quoted values do not.
@Suite struct NodeLimitTests {
    func options(_ max: Int) -> ParseOptions { ParseOptions(fileName: "letter.xml", maxNodes: max) }

    @Test func atTheLimitParsesOneOverIsRefusedWithItsPlace() throws {
        // root + 2 elements + 2 attributes + a comment + a PI = 7 nodes.
        let text = "<r>\n<a x=\"1\"/><b y='c=\"2\"'/><!-- <d e=\"f\"/> --><?pi z=1?><![CDATA[<g/>]]></r>"
        // The CDATA section is the 8th node.
        #expect(try XMLDocument(data: Data(text.utf8), options: options(8)).root.name == "r")
        let errors = try #require(throws: XMLErrors.self) { try XMLDocument(data: Data(text.utf8), options: options(7)) }
        #expect(errors.kind == .tooLarge)
        #expect(errors.first.message.contains("more than 7 elements"))
        #expect(errors.first.line == 2)
    }

    @Test func streamingDoesNotCount() throws {
        let text = "<r>" + String(repeating: "<a/>", count: 100) + "</r>"
        let reader = try XMLStreamReader(data: Data(text.utf8), options: options(10))
        var elements = 0
        while let event = try reader.next() { if case .startElement = event { elements += 1 } }
        #expect(elements == 101)
    }
}
