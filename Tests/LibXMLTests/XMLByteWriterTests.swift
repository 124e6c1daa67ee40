import Foundation
import LibXML
import Testing

/// `XMLByteWriter` writes, byte for byte, what libxml2's text writer (`XMLStreamWriter`) writes
/// for the same calls: clinic exports and their record digests depend on it (a digest made
/// before the byte writer must still verify).
@Suite struct XMLByteWriterTests {
    /// One call on a writer.
    enum Call {
        case start(String), attribute(String, String), text(String), element(String, String), end
    }

    /// Values that exercise every escaping rule: every printable ASCII character, the three
    /// controls XML allows, CR LF, non-ASCII (precomposed and combining accents, non-BMP, NEL,
    /// LINE SEPARATOR, no-break space), markup look-alikes, empty and space-only text.
    static let awkward: [String] = {
        var values = (0x20..<0x7F).map { String(UnicodeScalar(UInt8($0))) }
        values += ["\t", "\n", "\r", "\r\n", "\n\r", " ", "  lead and trail  ", ""]
        values += ["Zoë", "Zoe\u{0308}", "e\u{0301}\u{0301}", "😀", "𝄞 clef", "\u{0085}", "\u{2028}", "\u{00A0}", "\u{FEFF}", "\u{FFFD}", "東京"]
        values += ["]]>", "<!-- x -->", "&amp;", "&#13;", "<a b=\"c\">'d'</a>", "line 1\nline 2\r\t<&>\"'"]
        values.append(String((0x20..<0x7F).map { Character(UnicodeScalar(UInt8($0))) }) + "\t\n\r\r\né😀\u{0301}")
        return values
    }()

    /// The same calls on both writers, and the bytes each wrote (or the first error, as text).
    func both(_ calls: [Call], endDocument: Bool = true) throws -> (libxml2: String, direct: String) {
        func run(_ writer: any XMLElementWriting, start: () throws -> Void, end: () throws -> Void) -> String? {
            do {
                try start()
                for call in calls {
                    switch call {
                    case .start(let name): try writer.startElement(name)
                    case .attribute(let name, let value): try writer.writeAttribute(name, value)
                    case .text(let text): try writer.writeText(text)
                    case .element(let name, let text): try writer.writeElement(name, text: text)
                    case .end: try writer.endElement()
                    }
                }
                if endDocument { try end() }
                return nil
            } catch {
                return "error: \(error)"
            }
        }
        let libxml2 = try XMLStreamWriter()
        let direct = XMLByteWriter()
        let libxml2Error = run(libxml2, start: libxml2.startDocument, end: libxml2.endDocument)
        let directError = run(direct, start: direct.startDocument, end: direct.endDocument)
        return (libxml2Error?.replacingOccurrences(of: "<memory>", with: "M") ?? String(decoding: libxml2.data, as: UTF8.self),
                directError?.replacingOccurrences(of: "<memory>", with: "M") ?? String(decoding: direct.bytes, as: UTF8.self))
    }

    @Test(arguments: awkward)
    func everyValueInEveryPlaceGivesLibxml2sBytes(_ value: String) throws {
        let shapes: [[Call]] = [
            [.start("a"), .attribute("x", value), .end],
            [.start("a"), .attribute("x", value), .attribute("y", value), .text(value), .end],
            [.start("a"), .element("b", value), .end],
            [.start("a"), .start("b"), .attribute("k", value), .element("c", value), .start("d"), .end, .end, .element("e", value), .end],
            [.start("a"), .text(value), .start("b"), .end, .text(value), .end],
            [.start("a"), .start("b"), .text(value), .text(value), .end, .start("c"), .start("d"), .text(value), .end, .end, .end],
        ]
        for shape in shapes {
            let out = try both(shape)
            #expect(out.direct == out.libxml2, "shape \(shape)")
            #expect(!out.direct.hasPrefix("error"))
        }
    }

    @Test func characterXMLCannotCarryIsRefusedWithTheSameMessage() throws {
        for bad in ["\u{0001}", "a\u{0008}b", "\u{001F}", "x\u{FFFE}", "\u{FFFF}", "\u{0000}"] {
            for shape: [Call] in [[.start("a"), .attribute("x", bad), .end], [.start("a"), .text(bad), .end], [.start("a"), .element("b", bad), .end]] {
                let out = try both(shape)
                #expect(out.direct == out.libxml2)
                #expect(out.direct.contains("which XML 1.0 cannot carry"))
            }
        }
        let names = try both([.start("a"), .start("1b"), .end, .end])
        #expect(names.direct == names.libxml2)
        #expect(names.direct.contains("is not a valid XML name"))
        let qualified = try both([.start("p:a"), .attribute("xml:lang", "en"), .element("b-c.d_e", "x"), .end])
        #expect(qualified.direct == qualified.libxml2)
        let open = try both([.start("a"), .start("b"), .end])
        #expect(open.direct == open.libxml2)
        #expect(open.direct.contains("endDocument() with open elements: a"))
    }

    @Test func aNamespaceDeclarationIsWrittenAsLibxml2WritesIt() throws {
        let libxml2 = try XMLStreamWriter()
        let direct = XMLByteWriter()
        try libxml2.startDocument(); try direct.startDocument()
        try libxml2.startElement("clinicRecords", namespace: "urn:knot:records:1")
        try direct.startElement("clinicRecords", namespace: "urn:knot:records:1")
        for writer in [libxml2, direct] as [any XMLElementWriting] {
            try writer.writeAttribute("version", "1")
            try writer.startElement("patients")
            try writer.endElement()
            try writer.endElement()
        }
        try libxml2.endDocument(); try direct.endDocument()
        #expect(direct.bytes == [UInt8](libxml2.data))
    }

    /// Random documents (seeded, so a failure repeats): random nesting, attributes, text and
    /// leaf elements made of the awkward values.
    @Test func randomDocumentsGiveLibxml2sBytes() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        let values = Self.awkward
        for _ in 0..<300 {
            var calls: [Call] = [.start("root")]
            var depth = 1
            var canAttribute = true
            for _ in 0..<(5 + next(40)) {
                switch next(6) {
                case 0 where depth < 8:
                    calls.append(.start(["a", "b", "visit", "p"][next(4)])); depth += 1; canAttribute = true
                case 1 where canAttribute:
                    calls.append(.attribute(["id", "x", "kind"][next(3)], values[next(values.count)]))
                case 2:
                    calls.append(.element(["name", "notes"][next(2)], values[next(values.count)])); canAttribute = false
                case 3:
                    calls.append(.text(values[next(values.count)])); canAttribute = false
                case 4 where depth > 1:
                    calls.append(.end); depth -= 1; canAttribute = false
                default:
                    break
                }
            }
            calls += Array(repeating: .end, count: depth)
            let out = try both(calls)
            #expect(out.direct == out.libxml2, "calls \(calls)")
        }
    }

    @Test func aFileGetsTheSameBytesAndPermissionsAsFromMemory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("knot-bytewriter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.xml").path
        let file = try XMLByteWriter(path: path)
        let memory = XMLByteWriter()
        for writer in [file, memory] {
            try writer.startDocument()
            try writer.startElement("records")
            // Enough to hand over to the file several times (64 KiB at a time).
            for index in 0..<5_000 {
                try writer.startElement("record")
                try writer.writeAttribute("id", String(index))
                try writer.writeElement("notes", text: Self.awkward[index % Self.awkward.count])
                try writer.endElement()
            }
            try writer.endElement()
            try writer.endDocument()
        }
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written == memory.data)
        #expect(written.count > 200_000)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(throws: XMLErrors.self) { try file.startElement("late") }
    }
}
