import Foundation
import LibXML
import SeededRandom  // SplitMix64(state:): the same sequence on every platform, so a failure can be replayed
import Testing

/// `XMLElementCursor` reads a document in place (issue 19, session 9): for every element it must
/// say exactly what the copied `XMLElement` tree says (name, namespace, prefix, attributes,
/// children with text runs merged, text, line, path, look-ups by name), and reading "as if these
/// elements were left out" must match the copied tree with those elements filtered out, as the
/// CDA reader's leniency read it before. Checked on random documents built from what could make
/// the two differ, and on the hand-written referral below.
@Suite("An element cursor reads what the copied tree holds")
struct ElementCursorTests {

    /// Names that collide or nearly do: same local name in other namespaces, a Kelvin sign that
    /// Swift's string equality takes for "K", a composed and a decomposed "é", non-ASCII names.
    static let names = ["a", "b", "id", "name", "K", "\u{212A}", "é", "e\u{301}", "given", "item", "ClinicalDocument"]
    static let texts = ["", " ", "\n  ", "text", "Zoë", "a &amp; b", "&lt;x&gt;", "李芳", "x\ty", "  two  words "]

    /// A random element (as XML text) under `depth` levels, with namespaces declared on the way.
    static func randomElement(_ rng: inout SplitMix64, depth: Int) -> String {
        let name = names.randomElement(using: &rng)!
        let prefix = ["", "", "p:", "q:"].randomElement(using: &rng)!
        var attributes = ""
        if Int.random(in: 0..<4, using: &rng) == 0 { attributes += " xmlns:p=\"urn:p\(Int.random(in: 1...2, using: &rng))\"" }
        if Int.random(in: 0..<6, using: &rng) == 0 { attributes += " xmlns=\"urn:default\(Int.random(in: 1...2, using: &rng))\"" }
        for attribute in ["ID", "value", "p:value", "q:use"] where Bool.random(using: &rng) {
            attributes += " \(attribute)=\"\(["x1", "7", "", "a&amp;b", "Zoë"].randomElement(using: &rng)!)\""
        }
        guard depth < 5 else { return "<\(prefix)\(name)\(attributes)/>" }
        var content = ""
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3: content += randomElement(&rng, depth: depth + 1)
            case 4, 5: content += texts.randomElement(using: &rng)!
            case 6: content += "<![CDATA[c<d>\(texts.randomElement(using: &rng)!)]]>"
            case 7: content += "<!-- note -->"
            case 8: content += "<?pi data?>"
            default: content += "\n"
            }
        }
        return "<\(prefix)\(name)\(attributes)>\(content)</\(prefix)\(name)>"
    }

    static func randomDocument(_ rng: inout SplitMix64) -> String {
        "<root xmlns:p=\"urn:p1\" xmlns:q=\"urn:q\">" + (0..<Int.random(in: 1...6, using: &rng)).map { _ in randomElement(&rng, depth: 1) }.joined() + "</root>"
    }

    /// Every element of `element`'s subtree with its place (positions among child elements).
    static func places(_ element: XMLElement, at place: [Int] = []) -> [[Int]] {
        [place] + element.elements.enumerated().flatMap { places($0.element, at: place + [$0.offset]) }
    }

    /// The copied tree without the elements at `places`, as the CDA reader's leniency filtered it.
    static func filtered(_ element: XMLElement, without places: Set<[Int]>) -> XMLElement {
        var kept = element
        var position = 0
        kept.children = element.children.compactMap { node in
            guard case .element(let child) = node else { return node }
            defer { position += 1 }
            if places.contains([position]) { return nil }
            let below = Set(places.filter { $0.first == position && $0.count > 1 }.map { Array($0.dropFirst()) })
            return .element(filtered(child, without: below))
        }
        return kept
    }

    /// Compares everything a reader can ask, recursively.
    static func expectSame(_ cursor: XMLElementCursor, _ element: XMLElement, _ source: String) {
        #expect(cursor.name == element.name, "\(source)")
        #expect(cursor.namespace == element.namespace, "\(element.path) in \(source)")
        #expect(cursor.prefix == element.prefix, "\(element.path) in \(source)")
        #expect(cursor.line == element.line, "\(element.path) in \(source)")
        #expect(cursor.path == element.path, "\(source)")
        #expect(cursor.textContent == element.textContent, "\(element.path) in \(source)")
        #expect(cursor.isNamed(element.name, namespace: element.namespace))
        for attribute in element.attributes {
            #expect(cursor.attribute(attribute.name, namespace: attribute.namespace) == element.attribute(attribute.name, namespace: attribute.namespace))
        }
        for probe in ["ID", "value", "use", "absent"] {
            for namespace in [nil, "urn:p1", "urn:p2", "urn:q"] {
                #expect(cursor.attribute(probe, namespace: namespace) == element.attribute(probe, namespace: namespace), "\(element.path) @\(probe) in \(source)")
            }
            if let value = element.attribute(probe) {
                #expect(cursor.firstElement(withAttribute: probe, equalTo: value)?.path == firstElement(in: element, attribute: probe, value: value)?.path)
            }
        }
        let children = cursor.children
        #expect(children.count == element.children.count, "\(element.path) in \(source)")
        for (child, node) in zip(children, element.children) {
            switch (child, node) {
            case (.element(let c), .element(let e)): expectSame(c, e, source)
            case (.text(let a), .text(let b)): #expect(a == b, "\(element.path) in \(source)")
            case (.comment(let a), .comment(let b)): #expect(a == b)
            case (.processingInstruction(let t1, let d1), .processingInstruction(let t2, let d2)): #expect(t1 == t2 && d1 == d2)
            default: Issue.record("\(element.path): \(child) against \(node) in \(source)")
            }
        }
        #expect(cursor.elements.map(\.path) == element.elements.map(\.path))
        for name in names {
            for namespace in [nil, "urn:p1", "urn:p2", "urn:default1", "urn:default2"] {
                #expect(cursor.children(named: name, namespace: namespace).map(\.path) == element.children(named: name, namespace: namespace).map(\.path))
                #expect(cursor.firstChild(named: name, namespace: namespace)?.path == element.firstChild(named: name, namespace: namespace)?.path)
                #expect(cursor.descendants(named: name, namespace: namespace).map(\.path) == descendants(of: element, named: name, namespace: namespace).map(\.path))
            }
        }
    }

    static func descendants(of element: XMLElement, named name: String, namespace: String?) -> [XMLElement] {
        element.elements.flatMap { child in
            (child.name == name && child.namespace == namespace ? [child] : []) + descendants(of: child, named: name, namespace: namespace)
        }
    }

    static func firstElement(in element: XMLElement, attribute: String, value: String) -> XMLElement? {
        if element.attribute(attribute) == value { return element }
        for child in element.elements {
            if let found = firstElement(in: child, attribute: attribute, value: value) { return found }
        }
        return nil
    }

    @Test("On 400 random documents, the cursor reads what the copied tree holds")
    func randomDocuments() throws {
        var rng = SplitMix64(state: 0x4355_5253)
        for _ in 0..<400 {
            let text = Self.randomDocument(&rng)
            let document = try XMLDocument(data: Data(text.utf8))
            Self.expectSame(document.rootCursor(), document.root, text)
        }
    }

    @Test("Reading as if elements were left out matches the copied tree with them filtered out")
    func skippedElements() throws {
        var rng = SplitMix64(state: 0x534B_4950)
        for _ in 0..<300 {
            let text = Self.randomDocument(&rng)
            let document = try XMLDocument(data: Data(text.utf8))
            let all = Self.places(document.root).filter { !$0.isEmpty }
            let chosen = Set((0..<Int.random(in: 1...3, using: &rng)).compactMap { _ in all.randomElement(using: &rng) })
            Self.expectSame(document.rootCursor(excluding: chosen), Self.filtered(document.root, without: chosen), "\(text) without \(chosen)")
        }
    }

    @Test("A cursor into elements removed from the document still reads them, the rest reads as before")
    func removedWhileReading() throws {
        let text = "<r><a><b>one</b></a><c>two</c></r>"
        let document = try XMLDocument(data: Data(text.utf8))
        let root = document.rootCursor()
        let b = try #require(root.firstChild(named: "a")?.firstChild(named: "b"))
        document.removeElements(at: [[0]])
        #expect(b.textContent == "one")
        #expect(b.name == "b")
        #expect(root.elements.map(\.name) == ["c"])
        #expect(root.textContent == "two")
    }

    @Test("The hand-written referral reads the same both ways")
    func referral() throws {
        let document = try XMLDocument(data: Data(DocumentParsingTests.referral.utf8))
        Self.expectSame(document.rootCursor(), document.root, "referral")
    }
}
