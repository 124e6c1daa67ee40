internal import CLibXML2
import Foundation

/// A whole XML document parsed from memory with the safe options, owned by this object.
///
/// Use it for documents of ordinary size (referral letters, records, plans): read them through
/// `root`, validate them, canonicalise or re-serialise them. Large imports should stream with
/// `XMLStreamReader`. Not `Sendable`: parse, read and drop it on one task; `root` (a value) can
/// then be shared freely.
public final class XMLDocument {
    let document: xmlDocPtr
    /// The name from `ParseOptions.fileName`, used in messages.
    public let fileName: String?

    /// Parses `data`, refusing anything unsafe or malformed; throws `XMLErrors`.
    ///
    /// Refused before parsing: over `options.maxBytes`, empty, another file type, encoding
    /// problems, XML 1.1, any DOCTYPE, too many attributes or namespace declarations. Refused
    /// by libxml2: not well-formed (namespaces included), nesting over 256 levels, a name over
    /// 50,000 characters, an attribute over 10,000,000 bytes; refused after parsing: a text node
    /// over 10,000,000 bytes.
    public init(data: Data, options: ParseOptions = ParseOptions()) throws {
        LibXMLRuntime.prepare()
        let screened = try InputScreening.screen(data, options: options, countNodes: true)
        document = try TreeParser.parse(screened, options: options)
        fileName = options.fileName
    }

    /// Reads the file (refusing it over `options.maxBytes` before reading it all) and parses it;
    /// messages name the file's last path component unless `options.fileName` is set.
    public convenience init(contentsOfFile path: String, options: ParseOptions = ParseOptions()) throws {
        var options = options
        if options.fileName == nil {
            options.fileName = (path as NSString).lastPathComponent
        }
        try self.init(data: XMLFileInput.read(path: path, options: options), options: options)
    }

    /// Elements `removeElements(at:)` unlinked while a cursor might still point into them:
    /// freed with the document, never before.
    var detachedNodes: [xmlNodePtr] = []
    /// Whether a cursor was handed out (see `detachedNodes`).
    var cursorsIssued = false

    deinit {
        for node in detachedNodes { xmlFreeNode(node) }
        xmlFreeDoc(document)
    }

    /// The root element, read in place (see `XMLElementCursor`): for a reader that visits the
    /// document once, far cheaper than `root`.
    public func rootCursor() -> XMLElementCursor {
        rootCursor(excluding: [])
    }

    /// The root element, read in place, as if the elements at `places` (and everything in them)
    /// were not there; positions, lines and paths stay those of the document as parsed (a later
    /// sibling of a skipped element keeps its "[n]"). A place is what `removeElements(at:)`
    /// takes; one that leads nowhere is ignored.
    public func rootCursor(excluding places: some Collection<[Int]>) -> XMLElementCursor {
        cursorsIssued = true
        let root = xmlDocGetRootElement(document)!
        var skipped = Set<xmlNodePtr>()
        for place in places where !place.isEmpty {
            var node: xmlNodePtr? = root
            for position in place {
                node = node.flatMap { Self.childElement(of: $0, at: position) }
            }
            if let node { skipped.insert(node) }
        }
        return XMLElementCursor(node: root, scope: CursorScope(document: self, skipped: skipped))
    }

    /// The root element and everything under it, copied out of libxml2 on first use.
    public private(set) lazy var root: XMLElement = {
        let node = xmlDocGetRootElement(document)!
        return TreeConversion.element(node, path: "/" + (swiftString(node.pointee.name) ?? ""))
    }()

    /// Comments and processing instructions before the root (e.g. `xml-stylesheet`).
    public private(set) lazy var prolog: [XMLNode] = {
        var nodes: [XMLNode] = []
        var node = document.pointee.children
        while let current = node, current.pointee.type != XML_ELEMENT_NODE {
            if current.pointee.type == XML_COMMENT_NODE {
                nodes.append(.comment(swiftString(current.pointee.content) ?? ""))
            } else if current.pointee.type == XML_PI_NODE {
                nodes.append(.processingInstruction(
                    target: swiftString(current.pointee.name) ?? "",
                    data: swiftString(current.pointee.content) ?? ""))
            }
            node = current.pointee.next
        }
        return nodes
    }()

    /// Validates against `schema`; throws `XMLErrors` listing every issue found (kind `.invalid`,
    /// with lines; columns are unknown), de-duplicated and capped at `XMLErrors.cap`.
    ///
    /// `xsi:schemaLocation` in the document is ignored: only `schema` is used.
    public func validate(against schema: XMLSchema) throws {
        let collector = ErrorCollector(fileName: fileName, genericKind: .unsupported)
        guard let context = xmlSchemaNewValidCtxt(schema.pointer) else {
            throw XMLErrors(XMLError(kind: .io, message: "out of memory creating a validation context", file: fileName))
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, collectStructuredError, collector.opaque)
        let result = withExtendedLifetime(schema) {
            collector.capturingThreadErrors { xmlSchemaValidateDoc(context, document) }
        }
        if collector.hasIssues || result != 0 {
            let message = result < 0
                ? "the validator failed internally on this document (schema \(schema.name))"
                : "the document is not valid against schema \(schema.name)"
            throw collector.errors(fallback: XMLError(kind: result < 0 ? .unsupported : .invalid, message: message, file: fileName))
        }
    }

    /// Canonical XML 1.0 (inclusive, without comments: W3C C14N 1.0), for hashing and signing.
    ///
    /// Stable across serialisations of the same content: attribute order, quoting, namespace
    /// declarations and empty-element forms are normalised. Throws `XMLErrors` (`.unsupported`)
    /// when C14N refuses the document, e.g. for a relative namespace URI.
    public func canonicalData() throws -> Data {
        let collector = ErrorCollector(fileName: fileName, genericKind: .unsupported)
        var output: UnsafeMutablePointer<xmlChar>?
        let size = collector.capturingThreadErrors {
            xmlC14NDocDumpMemory(document, nil, Int32(XML_C14N_1_0.rawValue), nil, 0, &output)
        }
        defer { if let output { knot_xml_free(output) } }
        guard size >= 0, let output else {
            let issues = collector.errors(fallback: XMLError(kind: .unsupported, message: "canonicalisation failed", file: fileName))
            throw XMLErrors(issues.issues.map { issue in
                var issue = issue
                if issue.kind == .notWellFormed || issue.kind == .invalid { issue.kind = .unsupported }
                return issue
            }, omittedCount: issues.omittedCount)
        }
        return Data(bytes: output, count: Int(size))
    }

    /// The document as UTF-8 XML with an XML declaration, whitespace kept as parsed.
    public func serialized() -> Data {
        var output: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(document, &output, &size, "UTF-8")
        defer { if let output { knot_xml_free(output) } }
        guard let output, size > 0 else { return Data() }
        return Data(bytes: output, count: Int(size))
    }

    /// Root element name and namespace, read with the streaming parser up to the first start
    /// tag: a cheap way to tell what a file is before choosing a schema. Applies the same
    /// byte-level checks as a full parse (DOCTYPE refused), but libxml2 has read only the start.
    public static func sniffRoot(data: Data, options: ParseOptions = ParseOptions()) throws -> (name: String, namespace: String?) {
        let reader = try XMLStreamReader(data: data, options: options)
        while let event = try reader.next() {
            if case .startElement(let name, let namespace, _, _, _) = event {
                return (name, namespace)
            }
        }
        throw XMLErrors(XMLError(kind: .empty, message: "the document has no root element", file: options.fileName))
    }
}

/// The tree parse itself: one libxml2 parser context per document, errors to a collector.
enum TreeParser {
    /// libxml2 2.9.14 enforces its 10,000,000-byte text node limit in the streaming reader but
    /// not always in the tree parser, so the tree is checked after parsing.
    static let maxTextNodeBytes = 10_000_000

    static func parse(_ screened: ScreenedDocument, options: ParseOptions) throws -> xmlDocPtr {
        let file = options.fileName
        let collector = ErrorCollector(fileName: file, genericKind: .notWellFormed)
        guard let parser = xmlNewParserCtxt() else {
            throw XMLErrors(XMLError(kind: .io, message: "out of memory creating a parser", file: file))
        }
        defer { xmlFreeParserCtxt(parser) }
        parser.pointee._private = collector.opaque
        parser.pointee.sax.pointee.serror = collectParserContextError
        parser.pointee.sax.pointee.internalSubset = stopAtDoctype

        let parsed: xmlDocPtr? = collector.capturingThreadErrors {
            screened.data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: CChar.self)
                if let encoding = screened.encodingOverride {
                    return xmlCtxtReadMemory(parser, bytes.baseAddress, Int32(bytes.count), nil, encoding, safeParserOptions)
                }
                return xmlCtxtReadMemory(parser, bytes.baseAddress, Int32(bytes.count), nil, nil, safeParserOptions)
            }
        }
        func refuse(_ issue: XMLError) -> XMLErrors {
            if let parsed { xmlFreeDoc(parsed) }
            return collector.errors(fallback: issue)
        }
        let unparsable = XMLError(kind: .notWellFormed, message: "the document is not well-formed", file: file)
        if collector.hasIssues || parsed == nil || parser.pointee.wellFormed == 0 {
            throw refuse(unparsable)
        }
        let document = parsed!
        if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
            throw refuse(XMLError(kind: .doctypeForbidden, message: "DOCTYPE declarations are not allowed", file: file))
        }
        guard let root = xmlDocGetRootElement(document) else {
            throw refuse(XMLError(kind: .empty, message: "the document has no root element", file: file))
        }
        if let (line, size) = oversizedText(under: root) {
            throw refuse(XMLError(
                kind: .tooLarge,
                message: "a text node of \(grouped(size)) bytes is larger than the parser's limit of \(grouped(maxTextNodeBytes)) bytes",
                file: file, line: line))
        }
        return document
    }

    /// Line and size of the first text or CDATA node over the limit (walked without recursion).
    private static func oversizedText(under root: xmlNodePtr) -> (Int, Int)? {
        var node: xmlNodePtr? = root
        while let current = node {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content {
                let size = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
                if size > maxTextNodeBytes {
                    let line = current.pointee.parent.map(TreeConversion.line(of:)) ?? 0
                    return (line, size)
                }
            }
            if let child = current.pointee.children, current.pointee.type == XML_ELEMENT_NODE {
                node = child
                continue
            }
            var climbing: xmlNodePtr? = current
            node = nil
            while let up = climbing, up != root {
                if let next = up.pointee.next {
                    node = next
                    break
                }
                climbing = up.pointee.parent
            }
        }
        return nil
    }
}

/// SAX `internalSubset` hook: a DOCTYPE reached the parser (the byte screen missed it), stop.
private func stopAtDoctype(
    _ context: UnsafeMutableRawPointer?,
    _ name: UnsafePointer<xmlChar>?,
    _ externalID: UnsafePointer<xmlChar>?,
    _ systemID: UnsafePointer<xmlChar>?
) {
    guard let context else { return }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    if let collector = parser.pointee._private {
        let input = parser.pointee.input
        Unmanaged<ErrorCollector>.fromOpaque(collector).takeUnretainedValue().add(XMLError(
            kind: .doctypeForbidden,
            message: "DOCTYPE declarations are not allowed: Knot refuses DTDs and entity declarations",
            file: Unmanaged<ErrorCollector>.fromOpaque(collector).takeUnretainedValue().fileName,
            line: Int(input?.pointee.line ?? 0),
            column: Int(input?.pointee.col ?? 0)))
    }
    xmlStopParser(parser)
}
