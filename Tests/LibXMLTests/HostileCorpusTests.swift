import ClinicTestSupport
import Foundation
import LibXML
import Testing

/// Every hostile document is refused (or accepted) by both parsers, quickly, with the right kind,
/// and nothing from /etc/passwd ever appears in a tree or a message.
@Suite struct HostileCorpusTests {
    static let cases = HostileXMLCorpus.cases()

    @Test func corpusIsLargeAndNamesAreUnique() {
        #expect(Self.cases.count >= 40)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
        for item in Self.cases where item.expectation == .rejectedByParser {
            #expect(item.expectedKind.flatMap(XMLError.Kind.init(rawValue:)) != nil, "\(item.name) names a real kind")
        }
    }

    @Test(arguments: cases)
    func treeParser(_ item: HostileXMLCorpus.Case) throws {
        let data = item.data
        let options = ParseOptions(fileName: "\(item.name).xml")
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = Result { try XMLDocument(data: data, options: options) }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(5), "\(item.name) took \(elapsed)")
        try check(item, outcome.map { $0.root })
    }

    @Test(arguments: cases)
    func streamingReader(_ item: HostileXMLCorpus.Case) throws {
        let data = item.data
        let options = ParseOptions(fileName: "\(item.name).xml")
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = Result { () throws -> XMLElement in
            let reader = try XMLStreamReader(data: data, options: options)
            var root: XMLElement?
            while let event = try reader.next() {
                if case .startElement = event, root == nil {
                    root = try reader.readElementSubtree()
                }
            }
            return try #require(root)
        }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(5), "\(item.name) took \(elapsed)")
        try check(item, outcome)
    }

    private func check(_ item: HostileXMLCorpus.Case, _ outcome: Result<XMLElement, any Error>) throws {
        switch (item.expectation, outcome) {
        case (.rejectedByParser, .failure(let error)):
            let errors = try #require(error as? XMLErrors, "\(item.name) throws XMLErrors")
            #expect(errors.kind.rawValue == item.expectedKind, "\(item.name): \(errors)")
            #expect(errors.first.file == "\(item.name).xml")
            #expect(!errors.first.message.isEmpty)
            #expect(!errors.description.contains(HostileXMLCorpus.leakedPasswdMarker))
        case (.rejectedByParser, .success):
            Issue.record("\(item.name) was accepted: \(item.intent)")
        case (_, .failure(let error)):
            Issue.record("\(item.name) was refused: \(error)")
        case (_, .success(let root)):
            #expect(!String(describing: root).contains(HostileXMLCorpus.leakedPasswdMarker))
            #expect(!root.textContent.contains(HostileXMLCorpus.leakedPasswdMarker))
        }
    }
}
