import Foundation
import LibXML
import SeededRandom
import Testing

/// `XMLStreamReader.nextElementStart()` passes over texts, end tags and attributes without
/// making values of them (the whole-clinic import reaches each record that way). A reader
/// relies on it reaching the same elements, at the same depth and path, refusing a document
/// with the same error at the same step, and leaving `withElementSubtree` and
/// `readElementSubtree` the same element to read as `next()` would.
@Suite("Skimming a stream to the next start tag reaches what next() reaches")
struct StreamSkimmingTests {
    /// What a reader can see at one start tag.
    struct Start: Equatable {
        let name: String
        let depth: Int
        let path: String
    }

    /// Every start tag by `next()`, then the error that ended it (nil: the end).
    static func byEvents(_ text: String, schema: XMLSchema? = nil) -> ([Start], XMLErrors?) {
        var starts: [Start] = []
        do {
            let stream = try XMLStreamReader(data: Data(text.utf8), options: ParseOptions(fileName: "s.xml"), schema: schema)
            while let event = try stream.next() {
                if case .startElement(let name, _, _, _, _) = event { starts.append(Start(name: name, depth: stream.depth, path: stream.path)) }
            }
            return (starts, nil)
        } catch {
            return (starts, error as? XMLErrors)
        }
    }

    /// The same by `nextElementStart()`.
    static func bySkimming(_ text: String, schema: XMLSchema? = nil) -> ([Start], XMLErrors?) {
        var starts: [Start] = []
        do {
            let stream = try XMLStreamReader(data: Data(text.utf8), options: ParseOptions(fileName: "s.xml"), schema: schema)
            while let name = try stream.nextElementStart() {
                starts.append(Start(name: name, depth: stream.depth, path: stream.path))
            }
            #expect(try stream.nextElementStart() == nil, "stays at the end")
            return (starts, nil)
        } catch {
            return (starts, error as? XMLErrors)
        }
    }

    @Test("On 400 random documents (namespaces, CDATA, comments, processing instructions, empty elements), the same start tags, depths and paths")
    func randomDocuments() {
        var rng = SplitMix64(state: 0x534B_494D)
        for _ in 0..<400 {
            let text = ElementCursorTests.randomDocument(&rng)
            let events = Self.byEvents(text), skimmed = Self.bySkimming(text)
            #expect(skimmed.0 == events.0, "\(text)")
            #expect(skimmed.1 == nil && events.1 == nil, "\(text)")
            #expect(events.0.count > 1)
        }
    }

    @Test("On 400 broken documents, the same error after the same start tags")
    func brokenDocuments() {
        var rng = SplitMix64(state: 0x4252_4F4B)
        var refused = 0
        for _ in 0..<400 {
            var text = ElementCursorTests.randomDocument(&rng)
            let at = text.index(text.startIndex, offsetBy: Int.random(in: 1..<text.count, using: &rng))
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: text = String(text[..<at])
            case 1: text.insert(contentsOf: ["<", "&nope;", "&", "</x>"].randomElement(using: &rng)!, at: at)
            case 2: text = "<!DOCTYPE root>" + text
            default: text.remove(at: at)
            }
            let events = Self.byEvents(text), skimmed = Self.bySkimming(text)
            #expect(skimmed.0 == events.0, "\(text)")
            #expect(skimmed.1 == events.1, "\(text)")
            if events.1 != nil { refused += 1 }
        }
        #expect(refused > 200, "the generator breaks most documents: \(refused)")
    }

    @Test("Validating, the schema's findings are the same, thrown at the end")
    func validation() {
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "7"), ("v2", "2024-03-08", "eleven"), ("v3", "nope", "3")])
        let events = Self.byEvents(text, schema: TestSchemas.visits), skimmed = Self.bySkimming(text, schema: TestSchemas.visits)
        #expect(skimmed.0 == events.0)
        #expect(skimmed.1 == events.1)
        let findings: [XMLError] = skimmed.1?.issues ?? []
        #expect(findings.count == 2)
        #expect(findings.allSatisfy { (finding: XMLError) -> Bool in finding.kind == .invalid && finding.file == "s.xml" })
    }

    @Test("After a start tag reached by skimming, readElementSubtree and withElementSubtree read what they read after next()")
    func subtreesAfterSkimming() throws {
        var rng = SplitMix64(state: 0x5355_4254)
        for _ in 0..<200 {
            let text = ElementCursorTests.randomDocument(&rng)
            let depth = Int.random(in: 2...3, using: &rng)
            /// Calls `read` at every start tag `depth` levels down, reached by skimming or by events.
            func atDepth<T>(_ skim: Bool, _ read: (XMLStreamReader) throws -> T) throws -> [T] {
                let stream = try XMLStreamReader(data: Data(text.utf8))
                var found: [T] = []
                while true {
                    if skim {
                        guard try stream.nextElementStart() != nil else { break }
                    } else {
                        guard let event = try stream.next() else { break }
                        guard case .startElement = event else { continue }
                    }
                    if stream.depth == depth { found.append(try read(stream)) }
                }
                return found
            }
            func copied(_ skim: Bool) throws -> [XMLElement] {
                try atDepth(skim) { try $0.readElementSubtree() }
            }
            func inPlace(_ skim: Bool) throws -> [String] {
                try atDepth(skim) { stream in
                    try stream.withElementSubtree { "\($0.path) \($0.line) \($0.textContent) \($0.attribute("value") ?? "-")" }
                }
            }
            #expect(try copied(true) == copied(false), "\(text)")
            #expect(try inPlace(true) == inPlace(false), "\(text)")
        }
    }

    @Test("Paths number siblings past nine and keep names that are not ASCII, both ways")
    func numberedPaths() {
        let text = "<r>" + String(repeating: "<e/>", count: 12) + "<é><李/></é><é/></r>"
        let skimmed = Self.bySkimming(text).0.map(\.path)
        #expect(skimmed == Self.byEvents(text).0.map(\.path))
        #expect(skimmed[10] == "/r/e[10]" && skimmed[12] == "/r/e[12]")
        #expect(skimmed.suffix(3) == ["/r/é", "/r/é/李", "/r/é[2]"])
    }

    @Test("The element reached is the one the copied tree has, attributes included")
    func startValueMadeWhenAsked() throws {
        let text = #"<r xmlns="urn:x"><e a="1" p:b="&amp;2" xmlns:p="urn:p"><f/>t</e><e/></r>"#
        let stream = try XMLStreamReader(data: Data(text.utf8))
        #expect(try stream.nextElementStart() == "r")
        #expect(try stream.nextElementStart() == "e")
        let element = try stream.readElementSubtree()
        let document = try XMLDocument(data: Data(text.utf8))
        #expect(element.attributes == document.root.elements[0].attributes)
        #expect(element.textContent == document.root.elements[0].textContent)
        #expect(element.elements.map(\.path) == ["/r/e/f"])
        #expect(element.path == "/r/e" && element.line == 1)
        #expect(element.attribute("b", namespace: "urn:p") == "&2")
        #expect(try stream.nextElementStart() == "e")
        #expect(stream.path == "/r/e[2]")
        #expect(try stream.readElementSubtree().attributes == [])
        #expect(try stream.nextElementStart() == nil)
    }
}
