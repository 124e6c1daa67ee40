internal import CLibXML2
import Foundation

/// Reads a large document one event at a time, optionally validating it against a schema as it
/// goes, so an import can handle one record (e.g. one `<patient>`) at a time in bounded memory.
///
/// The bytes are checked like `XMLDocument`'s (size cap, encoding, DOCTYPE, limits) and copied
/// into a buffer this reader owns; libxml2 parses them from memory with the safe options.
/// Well-formedness problems are thrown as soon as they are met. Validity issues are collected
/// and thrown, all together, by the `next()` call that reaches the end: callers that import
/// while reading must wait for that call before committing. After a throw every later call
/// throws the same error; after the end `next()` returns nil.
///
/// Note: libxml2's streaming validation does not check `xs:ID` uniqueness or `xs:key`; rules
/// that depend on them must be checked by the caller.
public final class XMLStreamReader {
    private let reader: OpaquePointer
    /// The bytes being parsed (in-memory mode), or nil when streaming from a file.
    private let buffer: UnsafeMutableRawBufferPointer?
    /// The file being streamed (file mode), or -1.
    private let fileDescriptor: Int32
    /// The byte screen the streamed file passes through on its way to libxml2 (file mode).
    private let screen: UnsafeMutablePointer<knot_stream_screen>?
    /// The head already read from a pipe, handed to libxml2 before the rest (descriptor mode).
    private let replay: StreamReplay?
    private let collector: ErrorCollector
    private let schema: XMLSchema?
    private let fileName: String?

    private enum State {
        case reading
        case finished
        case failed(XMLErrors)
    }

    private struct Frame {
        let name: String
        let namespace: String?
        let path: String
        /// How many child elements of each name were opened so far (a handful of names: searched
        /// in order, no table to hash into).
        var childCounts: [(name: String, count: Int)] = []
    }

    /// The namespace URI and prefix of the last element read, as Swift strings, with the bytes
    /// they were made from: the next element in the same namespace (nearly all of them) shares
    /// those strings instead of copying its own out of libxml2. Compared by content, not by the
    /// declaration's address (a streamed document's nodes are freed and their memory reused).
    private struct LastNamespace {
        var href: String?
        var prefix: String?
        var hrefBytes: [CChar] = []
        var prefixBytes: [CChar] = []

        mutating func strings(_ ns: xmlNsPtr?) -> (href: String?, prefix: String?) {
            guard let ns else { return (nil, nil) }
            return (Self.same(ns.pointee.href, &href, &hrefBytes), Self.same(ns.pointee.prefix, &prefix, &prefixBytes))
        }

        private static func same(_ pointer: UnsafePointer<xmlChar>?, _ string: inout String?, _ bytes: inout [CChar]) -> String? {
            guard let pointer else { return nil }
            let text = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
            if string != nil, !bytes.isEmpty, strcmp(text, bytes) == 0 { return string }
            let made = String(cString: pointer)
            string = made
            bytes = Array(UnsafeBufferPointer(start: text, count: strlen(text) + 1))
            return made
        }
    }
    private var lastNamespace = LastNamespace()
    /// libxml2's error handlers are already this reader's (`readElementSubtree`).
    private var capturing = false

    private var state = State.reading
    private var ancestry: [Frame] = []
    private var pendingEnd = false
    /// The element just returned as `startElement` (with what the event does not carry).
    private var currentStart: XMLElement?
    /// The element just reached by `nextElementStart()`, whose value is made only if
    /// `readElementSubtree()` asks for it.
    private var startUnmade = false

    /// Most nested levels accepted, as in libxml2's tree parser.
    static let maxDepth = 256
    /// Most comments a streamed file may hold (Knot writes none; a flood is refused).
    public static let maxComments = 10_000
    /// Most processing instructions a streamed file may hold (Knot writes none).
    public static let maxProcessingInstructions = 10_000

    /// Prepares to read `data`; throws `XMLErrors` when the byte-level checks refuse it.
    public init(data: Data, options: ParseOptions = ParseOptions(), schema: XMLSchema? = nil) throws {
        LibXMLRuntime.prepare()
        let screened = try InputScreening.screen(data, options: options)
        fileName = options.fileName
        collector = ErrorCollector(fileName: options.fileName, genericKind: schema == nil ? .notWellFormed : .unsupported)
        self.schema = schema

        let count = screened.data.count
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
        screened.data.withUnsafeBytes { raw in
            storage.baseAddress!.copyMemory(from: raw.baseAddress!, byteCount: count)
        }
        buffer = storage
        fileDescriptor = -1
        screen = nil
        replay = nil
        let base = storage.baseAddress!.assumingMemoryBound(to: CChar.self)
        let created: OpaquePointer? = if let encoding = screened.encodingOverride {
            xmlReaderForMemory(base, Int32(count), nil, encoding, safeParserOptions)
        } else {
            xmlReaderForMemory(base, Int32(count), nil, nil, safeParserOptions)
        }
        guard let created else {
            storage.deallocate()
            throw XMLErrors(XMLError(kind: .io, message: "out of memory creating a reader", file: options.fileName))
        }
        reader = created
        // Order matters: the error handler first, then the schema. Setting the schema first
        // leaves the validation context without our handler, and libxml2 2.9 crashed (a
        // segfault) reporting the first validation error that way.
        xmlTextReaderSetStructuredErrorHandler(reader, collectStructuredError, collector.opaque)
        if let schema {
            guard xmlTextReaderSetSchema(reader, schema.pointer) == 0 else {
                throw XMLErrors(XMLError(kind: .unsupported, message: "cannot validate with schema \(schema.name) while streaming", file: fileName))
            }
        }
    }

    /// Reads the file (refusing it over the cap before reading it all), then as `init(data:)`.
    public convenience init(contentsOfFile path: String, options: ParseOptions = ParseOptions(), schema: XMLSchema? = nil) throws {
        var options = options
        if options.fileName == nil {
            options.fileName = (path as NSString).lastPathComponent
        }
        try self.init(data: XMLFileInput.read(path: path, options: options), options: options, schema: schema)
    }

    /// Streams a file from disk in libxml2's own chunks, so memory stays flat whatever the size
    /// (a whole-clinic export can be gigabytes).
    ///
    /// The first megabyte gets the same byte-level checks as `init(data:)` (file type, encoding,
    /// DOCTYPE in the prolog, NUL bytes, attribute limits). The whole stream, chunk by chunk and
    /// in flat memory, is screened on its way to libxml2 for floods: attributes per element,
    /// namespace declarations in scope, nesting depth, comments and processing instructions; the
    /// rest is checked by libxml2 as it parses (well-formedness, UTF-8, a DOCTYPE node). Only
    /// UTF-8 (or ASCII) files stream; any other encoding is read whole through `init(data:)`,
    /// within `options.maxBytes`.
    public convenience init(streamingFile path: String, options: ParseOptions = ParseOptions(), schema: XMLSchema? = nil) throws {
        LibXMLRuntime.prepare()
        var options = options
        if options.fileName == nil { options.fileName = (path as NSString).lastPathComponent }
        let file = options.fileName
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw XMLErrors(XMLError(kind: .io, message: "cannot open the file: \(String(cString: strerror(errno)))", file: file))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw XMLErrors(XMLError(kind: .io, message: "cannot read the file's size", file: file))
        }
        let size = Int(info.st_size)
        let headLimit = min(size, Self.headBytes)
        var head = [UInt8](repeating: 0, count: headLimit)
        let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, headLimit, 0) }
        guard got == headLimit else {
            close(fd)
            throw XMLErrors(XMLError(kind: .io, message: "cannot read the file", file: file))
        }
        // pread left the offset at 0: libxml2 reads the head again from the file.
        try self.init(streaming: fd, owned: true, head: head, more: size > headLimit, replayHead: false, options: options, schema: schema)
    }

    /// As `init(streamingFile:)`, but reads a descriptor that need not be a file (the read end
    /// of a pipe: bytes checked as another thread writes them). The same screens apply. The
    /// descriptor stays the caller's: it is not closed, and after a throw (from here or from
    /// `next()`) the caller reads what is left itself if a writer waits on the other end.
    public convenience init(streamingDescriptor fd: Int32, options: ParseOptions = ParseOptions(), schema: XMLSchema? = nil) throws {
        LibXMLRuntime.prepare()
        var head = [UInt8](repeating: 0, count: Self.headBytes)
        var got = 0
        while got < head.count {
            let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw XMLErrors(XMLError(kind: .io, message: "cannot read the document: \(String(cString: strerror(errno)))", file: options.fileName))
            }
            if n == 0 { break }
            got += n
        }
        let more = got == head.count
        head.removeSubrange(got...)
        // Bytes read from a pipe are gone: libxml2 is handed the head first, then the rest.
        try self.init(streaming: fd, owned: false, head: head, more: more, replayHead: true, options: options, schema: schema)
    }

    /// Bytes of a streamed document's head given `InputScreening`'s byte-level checks.
    private static let headBytes = 1 << 20

    private init(streaming fd: Int32, owned: Bool, head: [UInt8], more: Bool, replayHead: Bool,
                 options: ParseOptions, schema: XMLSchema?) throws {
        let file = options.fileName
        func closing() { if owned { close(fd) } }
        // Screen the head, cut after a '>' so that no UTF-8 sequence is split.
        var screenedHead = head
        if more, let cut = screenedHead.lastIndex(of: UInt8(ascii: ">")) { screenedHead.removeSubrange((cut + 1)...) }
        var headOptions = options
        headOptions.maxBytes = max(options.maxBytes, screenedHead.count)
        let screened: ScreenedDocument
        do { screened = try InputScreening.screen(Data(screenedHead), options: headOptions) } catch {
            closing()
            throw error
        }
        guard screened.encodingOverride == nil, screened.data.count == screenedHead.count else {
            closing()
            throw XMLErrors(XMLError(kind: .encoding, message: "only UTF-8 files can be streamed; save the file as UTF-8", file: file))
        }
        let screen = UnsafeMutablePointer<knot_stream_screen>.allocate(capacity: 1)
        knot_stream_screen_init(screen, fd, options.maxAttributesPerElement, options.maxNamespaceDeclarationsInScope,
                                Self.maxDepth, Self.maxComments, Self.maxProcessingInstructions)
        let replay = replayHead ? StreamReplay(screen: screen, head: head) : nil
        let created: OpaquePointer? = if let replay {
            xmlReaderForIO(replayThenRead, nil, Unmanaged.passUnretained(replay).toOpaque(), nil, nil, safeParserOptions)
        } else {
            xmlReaderForIO(knot_stream_read, nil, screen, nil, nil, safeParserOptions)
        }
        guard let created else {
            screen.deallocate()
            closing()
            throw XMLErrors(XMLError(kind: .io, message: "out of memory creating a reader", file: file))
        }
        reader = created
        buffer = nil
        fileDescriptor = owned ? fd : -1
        self.screen = screen
        self.replay = replay
        fileName = file
        collector = ErrorCollector(fileName: file, genericKind: schema == nil ? .notWellFormed : .unsupported)
        self.schema = schema
        xmlTextReaderSetStructuredErrorHandler(reader, collectStructuredError, collector.opaque)
        if let schema {
            guard xmlTextReaderSetSchema(reader, schema.pointer) == 0 else {
                throw XMLErrors(XMLError(kind: .unsupported, message: "cannot validate with schema \(schema.name) while streaming", file: fileName))
            }
        }
    }

    deinit {
        xmlFreeTextReader(reader)
        buffer?.deallocate()
        screen?.deallocate()
        if fileDescriptor >= 0 { close(fileDescriptor) }
    }

    /// Path of the innermost open element, e.g. "/records/patient[3]" ("" before the root).
    public var path: String {
        ancestry.last?.path ?? ""
    }

    /// Whether schema violations were met so far (thrown, all together, at the end). A caller
    /// that reads while validating uses it to report the schema's findings, rather than its own,
    /// for a record the schema already refuses (see `drainReportingIssues()`).
    public var hasValidityIssues: Bool {
        collector.hasIssues
    }

    /// Reads on to the end of the document so that every schema violation is collected, then
    /// throws them (or the first well-formedness problem met). Returns normally only when the
    /// rest of the document is valid and nothing was collected.
    public func drainReportingIssues() throws {
        while try next() != nil {}
    }

    /// Number of open elements (0 before the root).
    public var depth: Int {
        ancestry.count
    }

    /// The next event, nil at the end of a valid document; throws `XMLErrors`.
    public func next() throws -> XMLStreamEvent? {
        guard try beginStep() else { return nil }
        if pendingEnd {
            pendingEnd = false
            return closeElement()
        }
        do {
            return try readEvent()
        } catch let errors as XMLErrors {
            state = .failed(errors)
            throw errors
        }
    }

    /// Reads on to the next start tag and returns the element's local name (nil at the end of
    /// a valid document), passing over texts and end tags as `next()` would: the same checks,
    /// the same errors, the same `depth` and `path` after it. What it passes is not made into
    /// values (no string per text, none for the element's attributes): for readers that pick
    /// elements out by name and depth and read them with `withElementSubtree(_:)` or
    /// `readElementSubtree()`, which may follow it as they follow a `startElement` event.
    public func nextElementStart() throws -> String? {
        guard try beginStep() else { return nil }
        if pendingEnd {
            pendingEnd = false
            _ = closeElement()
        }
        func passing() throws -> String? {
            while let type = try readNode() {
                switch type {
                case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                    return try openElement(making: false).name
                case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                    _ = closeElement()
                default:
                    continue
                }
            }
            return nil
        }
        do {
            if capturing { return try passing() }
            // libxml2's error handlers installed once for every node passed, not around each read.
            return try collector.capturingThreadErrors {
                capturing = true
                defer { capturing = false }
                return try passing()
            }
        } catch let errors as XMLErrors {
            state = .failed(errors)
            throw errors
        }
    }

    /// The start of `next()` and `nextElementStart()`: false after the end, the stream's failure
    /// again after a throw; otherwise the last start tag is no longer current.
    private func beginStep() throws -> Bool {
        switch state {
        case .finished:
            return false
        case .failed(let errors):
            throw errors
        case .reading:
            currentStart = nil
            startUnmade = false
            return true
        }
    }

    /// Reads the element whose `startElement` event `next()` just returned (or that
    /// `nextElementStart()` just reached), through its end tag, into a value (text and
    /// elements; comments are not streamed). Throws `XMLErrors`, kind `.unsupported` when the
    /// last step was not a start tag.
    public func readElementSubtree() throws -> XMLElement {
        if startUnmade, let node = xmlTextReaderCurrentNode(reader), let frame = ancestry.last {
            // After `nextElementStart()`: the value `next()` would have made, made now.
            currentStart = TreeConversion.shallowElement(node, path: frame.path, name: frame.name,
                                                         namespace: lastNamespace.strings(node.pointee.ns))
            startUnmade = false
        }
        guard let start = currentStart else {
            throw XMLErrors(XMLError(
                kind: .unsupported,
                message: "readElementSubtree() must follow a startElement event",
                file: fileName))
        }
        // libxml2's error handlers are installed once for the whole subtree, not around each
        // node's read (installing and removing them was about 3% of reading an export).
        return try collector.capturingThreadErrors {
            capturing = true
            defer { capturing = false }
            return try readSubtree(from: start)
        }
    }

    /// Reads the element whose `startElement` event `next()` just returned (or that
    /// `nextElementStart()` just reached), through its end tag, inside libxml2 (checked and
    /// validated exactly as `next()` would: the same findings, lines and messages), and calls
    /// `body` with a cursor over it, read in place: no Swift value is built for an element or a
    /// text until `body` asks for it. Paths are the stream's own
    /// (`readElementSubtree()` gives the same). After `body` (returning or throwing) the stream
    /// moves past the subtree, freeing it, so memory stays flat: `body` must copy what it keeps
    /// and not let the cursor escape. The next `next()` returns the element's `endElement`.
    /// Throws `XMLErrors` as `readElementSubtree()`, and whatever `body` throws. One difference:
    /// libxml2 finishes expanding the element only once it has read the node after it, so a
    /// well-formedness error just after the element (in the same or the next 512-byte chunk) is
    /// thrown here, before `body` runs, where `readElementSubtree()` would return the element and
    /// the next `next()` would throw that same error.
    public func withElementSubtree<T>(_ body: (XMLElementCursor) throws -> T) throws -> T {
        // The element's frame was pushed when it was reached: its path is the stream's.
        guard currentStart != nil || startUnmade, let node = xmlTextReaderCurrentNode(reader), let startPath = ancestry.last?.path else {
            throw XMLErrors(XMLError(
                kind: .unsupported,
                message: "withElementSubtree(_:) must follow a startElement event",
                file: fileName))
        }
        currentStart = nil
        startUnmade = false
        do {
            try collector.capturingThreadErrors {
                capturing = true
                defer { capturing = false }
                let expanded = withExtendedLifetime(schema) { xmlTextReaderExpand(reader) }
                if let problem = screenProblem() { throw problem }
                if expanded == nil || collector.hasProblems {
                    throw collector.errors(fallback: XMLError(kind: .notWellFormed, message: "the document is not well-formed", file: fileName))
                }
            }
        } catch let errors as XMLErrors {
            state = .failed(errors)
            throw errors
        }
        let value: T
        do {
            value = try body(XMLElementCursor(node: node, scope: CursorScope(stream: self, node: node, path: startPath)))
        } catch {
            // Past the subtree either way; a problem found there is thrown before the body's.
            if !pendingEnd { try skipExpanded(node) }
            throw error
        }
        if !pendingEnd { try skipExpanded(node) }
        return value
    }

    /// Moves past the expanded element at `node` to its end tag (the stream frees each node as
    /// it passes it); the next `next()` returns its `endElement`.
    private func skipExpanded(_ node: xmlNodePtr) throws {
        do {
            try collector.capturingThreadErrors {
                capturing = true
                defer { capturing = false }
                while true {
                    let result = withExtendedLifetime(schema) { xmlTextReaderRead(reader) }
                    if let problem = screenProblem() { throw problem }
                    guard result == 1, !collector.hasProblems else {
                        throw collector.errors(fallback: XMLError(kind: .notWellFormed, message: "the document ended inside <\(ancestry.last?.name ?? "")>", file: fileName))
                    }
                    if xmlTextReaderCurrentNode(reader) == node,
                       xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_END_ELEMENT.rawValue) {
                        break
                    }
                }
            }
        } catch let errors as XMLErrors {
            state = .failed(errors)
            throw errors
        }
        pendingEnd = true
    }

    private func readSubtree(from start: XMLElement) throws -> XMLElement {
        var open: [XMLElement] = [start]
        while let event = try next() {
            switch event {
            case .startElement:
                open.append(currentStart!)
            case .text(let text):
                TreeConversion.appendText(text, to: &open[open.count - 1].children)
            case .endElement:
                let finished = open.removeLast()
                if open.isEmpty {
                    return finished
                }
                open[open.count - 1].children.append(.element(finished))
            }
        }
        throw XMLErrors(XMLError(kind: .notWellFormed, message: "the document ended inside <\(start.name)>", file: fileName))
    }

    private func readEvent() throws -> XMLStreamEvent? {
        while let type = try readNode() {
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                return try openElement(making: true).event
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return closeElement()
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_WHITESPACE.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                return .text(swiftString(xmlTextReaderConstValue(reader)) ?? "")
            default:
                continue
            }
        }
        return nil
    }

    /// Moves libxml2's reader to its next node and returns the node's type, nil at the end of
    /// the document (after the schema's verdict); throws what the screen, the parser or the
    /// validation found, and for a DOCTYPE or an entity reference.
    private func readNode() throws -> Int32? {
        let result = withExtendedLifetime(schema) {
            capturing ? xmlTextReaderRead(reader) : collector.capturingThreadErrors { xmlTextReaderRead(reader) }
        }
        if let problem = screenProblem() { throw problem }
        if collector.hasProblems {
            throw collector.errors(fallback: XMLError(kind: .notWellFormed, message: "the document is not well-formed", file: fileName))
        }
        if result == 0 {
            try finish()
            return nil
        }
        guard result == 1 else {
            throw collector.errors(fallback: XMLError(kind: .notWellFormed, message: "the document is not well-formed", file: fileName))
        }
        let type = xmlTextReaderNodeType(reader)
        switch type {
        case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
            throw XMLErrors(XMLError(
                kind: .doctypeForbidden,
                message: "DOCTYPE declarations are not allowed: Knot refuses DTDs and entity declarations",
                file: fileName, line: Int(xmlTextReaderGetParserLineNumber(reader))))
        case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
            throw XMLErrors(XMLError(
                kind: .notWellFormed, message: "unexpected entity reference",
                file: fileName, line: Int(xmlTextReaderGetParserLineNumber(reader))))
        default:
            return type
        }
    }

    /// What the stream screen found, as the error to throw (nil when nothing).
    private func screenProblem() -> XMLErrors? {
        guard let screen, screen.pointee.problem != 0 else { return nil }
        let s = screen.pointee
        let message: String
        var kind = XMLError.Kind.tooLarge
        switch s.problem {
        case 1: message = "an element has more than \(s.max_attributes) attributes"
        case 2: message = "more than \(s.max_namespaces) namespace declarations are in scope"
        case 3: message = "elements are nested deeper than the parser's limit of \(s.max_depth) levels"
        case 4: message = "the document has more than \(grouped(Int(s.max_comments))) comments"
        case 5: message = "the document has more than \(grouped(Int(s.max_pis))) processing instructions"
        default:
            kind = .io
            message = "cannot read the file: \(String(cString: strerror(s.read_errno)))"
        }
        return XMLErrors(XMLError(kind: kind, message: message, file: fileName, line: kind == .io ? 0 : s.problem_line))
    }

    /// Opens the element at the reader's node: its frame (name, namespace, path) pushed, and
    /// when `making`, its value (attributes as strings) kept as `currentStart` and its event
    /// returned; otherwise nothing is made that the frame does not hold (`nextElementStart()`).
    private func openElement(making: Bool) throws -> (name: String, event: XMLStreamEvent?) {
        guard let node = xmlTextReaderCurrentNode(reader) else {
            throw XMLErrors(XMLError(kind: .io, message: "the reader lost its current node", file: fileName))
        }
        guard ancestry.count < Self.maxDepth + 1 else {
            throw XMLErrors(XMLError(
                kind: .tooLarge, message: "elements are nested deeper than the parser's limit of \(Self.maxDepth) levels",
                file: fileName, line: TreeConversion.line(of: node)))
        }
        let name = swiftString(node.pointee.name) ?? ""
        var index = 1
        if !ancestry.isEmpty {
            let parent = ancestry.count - 1
            if let i = ancestry[parent].childCounts.firstIndex(where: { $0.name == name }) {
                index = ancestry[parent].childCounts[i].count + 1
                ancestry[parent].childCounts[i].count = index
            } else {
                ancestry[parent].childCounts.append((name, 1))
            }
        }
        // "parent/name", or "parent/name[n]" from a name's second sibling on.
        let elementPath = TreeConversion.childPath(under: path, name: name, number: index > 1 ? index : 0)
        let namespace = lastNamespace.strings(node.pointee.ns)
        ancestry.append(Frame(name: name, namespace: namespace.href, path: elementPath))
        let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
        pendingEnd = isEmpty
        guard making else {
            startUnmade = true
            return (name, nil)
        }
        let element = TreeConversion.shallowElement(node, path: elementPath, name: name, namespace: namespace)
        currentStart = element
        return (name, .startElement(
            name: element.name, namespace: element.namespace, attributes: element.attributes,
            line: element.line, isEmpty: isEmpty))
    }

    private func closeElement() -> XMLStreamEvent {
        let frame = ancestry.removeLast()
        return .endElement(name: frame.name, namespace: frame.namespace)
    }

    private func finish() throws {
        if let schema {
            let valid = xmlTextReaderIsValid(reader)
            if collector.hasIssues || valid != 1 {
                throw collector.errors(fallback: XMLError(
                    kind: .invalid, message: "the document is not valid against schema \(schema.name)", file: fileName))
            }
        }
        state = .finished
    }
}

/// A streamed document's head, read before libxml2 started (from a pipe, which cannot be read
/// twice), handed to it first; then the descriptor. Every byte passes the stream screen.
private final class StreamReplay {
    let screen: UnsafeMutablePointer<knot_stream_screen>
    let head: [UInt8]
    var offset = 0

    init(screen: UnsafeMutablePointer<knot_stream_screen>, head: [UInt8]) {
        self.screen = screen
        self.head = head
    }
}

/// libxml2's read callback for a `StreamReplay`.
private func replayThenRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer, length >= 0 else { return -1 }
    let replay = Unmanaged<StreamReplay>.fromOpaque(context).takeUnretainedValue()
    guard replay.offset < replay.head.count else { return knot_stream_read(replay.screen, buffer, length) }
    if replay.screen.pointee.problem != 0 { return -1 }
    let count = min(Int(length), replay.head.count - replay.offset)
    replay.head.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + replay.offset, byteCount: count)
    }
    replay.offset += count
    if knot_stream_screen_feed(replay.screen, UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count) != 0 { return -1 }
    return Int32(count)
}
