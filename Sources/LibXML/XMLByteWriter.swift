internal import CLibXML2
import Foundation

/// The calls a record encoder makes on an XML writer: elements, attributes and text, nothing
/// else. `XMLStreamWriter` (libxml2's text writer) and `XMLByteWriter` (the same bytes, written
/// directly) both answer them.
public protocol XMLElementWriting: AnyObject {
    /// Path or "<memory>", for messages.
    var destination: String { get }
    /// Opens element `name` (no namespace declaration).
    func startElement(_ name: String) throws
    /// Writes an attribute on the element just started, escaped.
    func writeAttribute(_ name: String, _ value: String) throws
    /// Writes text content, escaped.
    func writeText(_ text: String) throws
    /// Writes `<name>text</name>`.
    func writeElement(_ name: String, text: String) throws
    /// Closes the innermost open element.
    func endElement() throws
}

extension XMLStreamWriter: XMLElementWriting {}

/// Writes, byte for byte, what `XMLStreamWriter` with its default indentation writes for the
/// same calls (libxml2 2.9's text writer: the XML declaration, two-space indentation, `<a/>`
/// for an element without content, text escaped with `&lt; &gt; &amp; &quot; &#13;`, attribute
/// values with `&lt; &gt; &amp; &quot; &#9; &#10; &#13;`, everything else as UTF-8), without
/// going through libxml2: no C string copy of each value, no escaped copy, no 4 KB hand-over per
/// chunk. It refuses exactly what `XMLStreamWriter` refuses (names that are not XML names,
/// characters XML 1.0 cannot carry) with the same messages. Tests hold the two writers to the
/// same bytes on every ASCII character, controls, CR LF, combining and non-BMP characters, and
/// every nesting shape (`XMLByteWriterTests`).
///
/// It writes only elements, attributes and text (no comments, no mixed indentation options):
/// the clinic export (`urn:knot:records:1`) and the per-record digests need nothing else.
public final class XMLByteWriter: XMLElementWriting {
    private enum State { case startTag, content }
    // Only this object touches them, on one thread at a time (as `XMLStreamWriter`): no
    // run-time exclusivity checks, which cost as much as the writing on every call.
    @exclusivity(unchecked) private var stack: [(name: String, state: State)] = []
    /// libxml2's `doindent`: whether the next end tag goes on its own indented line.
    private var indentEnd = true
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    private let sink: OutputSink
    private var finished = false
    /// Path or "<memory>", for messages.
    public let destination: String
    /// Where in `buffer` the last start tag's `<` is.
    private var lastStartTag = 0
    /// The record whose digest is being gathered (`beginDigest`), if any.
    @exclusivity(unchecked) private var capture: DigestCapture?
    /// The record alone, as `endDigest` hands it over (kept between records).
    @exclusivity(unchecked) private var alone: [UInt8] = []

    /// A record being written whose digest is taken from the bytes written for it.
    private struct DigestCapture {
        /// Where the record's start tag begins in `buffer`.
        var start: Int
        /// Where its digest attribute goes (the end of its start tag so far).
        var insertAt: Int
        /// Its depth in the document (its indentation, in pairs of spaces).
        var depth: Int
        /// Where each indentation inside it is in `buffer`, and its depth.
        var indents: [(offset: Int, depth: Int)] = []
    }

    /// Bytes gathered before they go to the file.
    private static let chunk = 1 << 16

    /// Writes to memory; read the bytes from `bytes` or `data` after `endDocument()`.
    public init() {
        sink = OutputSink(fileDescriptor: nil)
        destination = "<memory>"
        buffer.reserveCapacity(4096)
    }

    /// Creates (or truncates) the file at `path` with `permissions` (0600 by default) and writes
    /// to it, as `XMLStreamWriter(path:permissions:)` does. Complete only after `endDocument()`.
    public init(path: String, permissions: Int = 0o600) throws {
        destination = path
        sink = OutputSink(fileDescriptor: try createPrivateFile(path, permissions: permissions))
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    /// Writes to a file already open for writing; the writer owns `fileDescriptor` and closes it.
    public init(fileDescriptor: Int32, destination: String) {
        self.destination = destination
        sink = OutputSink(fileDescriptor: fileDescriptor)
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    deinit {
        sink.close()
    }

    /// Hands `copy` every chunk of the document once it is written to the file, in order, on
    /// the writing thread (e.g. to hash the bytes and check them as they are written). A
    /// reason returned fails the write as a failing file would. Only for a file.
    public func copyingWrittenBytes(to copy: @escaping (UnsafeRawBufferPointer) -> String?) {
        sink.copy = copy
    }

    /// The document written to memory (complete after `endDocument()`); empty for files.
    public var data: Data {
        sink.writesToFile ? Data() : Data(buffer)
    }

    /// The bytes written to memory so far (the whole document after `endDocument()`); for a
    /// file, those not yet handed over.
    public var bytes: [UInt8] { buffer }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>` and a line feed.
    public func startDocument() throws {
        try ready("start the document")
        append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    public func startElement(_ name: String) throws {
        try checkName(name)
        try ready("start element <\(name)>")
        if let last = stack.indices.last, stack[last].state == .startTag {
            buffer.append(UInt8(ascii: ">"))
            buffer.append(UInt8(ascii: "\n"))
            stack[last].state = .content
        }
        stack.append((name, .startTag))
        indent(stack.count - 1)
        lastStartTag = buffer.count
        buffer.append(UInt8(ascii: "<"))
        append(name)
        // No spill here: a start tag stays in the buffer until its element has content or
        // ends, so that `beginDigest` finds it there (the bytes written are the same).
    }

    /// Opens element `name` and declares `namespace` for its prefix, as `XMLStreamWriter` does.
    public func startElement(_ name: String, namespace: String) throws {
        try startElement(name)
        let colon = name.firstIndex(of: ":")
        try writeAttribute(colon.map { "xmlns:" + name[..<$0] } ?? "xmlns", namespace)
    }

    public func writeAttribute(_ name: String, _ value: String) throws {
        try checkName(name)
        try checkCharacters(value, what: "attribute \(name)")
        try ready("write attribute \(name) (attributes must directly follow startElement)")
        guard let last = stack.last, last.state == .startTag else {
            throw failure(.unsupported, "cannot write attribute \(name) (attributes must directly follow startElement) here")
        }
        appendAttribute(name, value)
    }

    public func writeText(_ text: String) throws {
        try checkCharacters(text, what: "text in <\(stack.last?.name ?? "")>")
        try ready("write text")
        try content(text)
    }

    public func writeElement(_ name: String, text: String) throws {
        try checkName(name)
        try checkCharacters(text, what: "text in <\(name)>")
        try startElement(name)
        try content(text)
        try endElement()
    }

    public func endElement() throws {
        guard let last = stack.last else {
            throw failure(.unsupported, "endElement() with no open element")
        }
        try ready("end element <\(last.name)>")
        switch last.state {
        case .startTag:
            buffer.append(UInt8(ascii: "/"))
            buffer.append(UInt8(ascii: ">"))
        case .content:
            if indentEnd { indent(stack.count - 1) }
            buffer.append(UInt8(ascii: "<"))
            buffer.append(UInt8(ascii: "/"))
            append(last.name)
            buffer.append(UInt8(ascii: ">"))
        }
        indentEnd = true
        buffer.append(UInt8(ascii: "\n"))
        stack.removeLast()
        try spill()
    }

    /// Finishes the document and, for a file, writes what is left, syncs and closes it. Refuses
    /// to finish with elements still open.
    public func endDocument() throws {
        guard stack.isEmpty else {
            throw failure(.unsupported, "endDocument() with open elements: \(stack.map(\.name).joined(separator: "/"))")
        }
        try ready("end the document")
        finished = true
        if sink.writesToFile { handOver() }
        sink.close(sync: true)
        if let reason = sink.failure {
            throw failure(.io, "cannot write \(destination): \(reason)")
        }
    }

    // MARK: Bytes

    private func content(_ text: String) throws {
        guard let last = stack.indices.last else {
            throw failure(.unsupported, "cannot write text here")
        }
        if stack[last].state == .startTag {
            buffer.append(UInt8(ascii: ">"))
            stack[last].state = .content
        }
        indentEnd = false
        escape(text, attribute: false)
        try spill()
    }

    /// ` name="value"`, the value escaped for an attribute, at the end of the buffer.
    private func appendAttribute(_ name: String, _ value: String) {
        buffer.append(UInt8(ascii: " "))
        append(name)
        buffer.append(UInt8(ascii: "="))
        buffer.append(UInt8(ascii: "\""))
        escape(value, attribute: true)
        buffer.append(UInt8(ascii: "\""))
    }

    private func indent(_ depth: Int) {
        if capture != nil, depth > 0 { capture!.indents.append((buffer.count, depth)) }
        for _ in 0..<depth {
            buffer.append(UInt8(ascii: " "))
            buffer.append(UInt8(ascii: " "))
        }
    }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Appends `text` escaped as libxml2 2.9's `xmlEncodeSpecialChars` (text) or
    /// `xmlBufAttrSerializeTxtContent` (attribute values) does.
    private func escape(_ text: String, attribute: Bool) {
        var text = text
        text.withUTF8 { Self.appendEscaped($0, attribute: attribute, to: &buffer) }
    }

    /// Appends the UTF-8 `bytes` to `buffer` escaped as `escape(_:attribute:)` writes them (the
    /// one spelling of the rules, shared with `XMLElementCursor.appendStandaloneDocument`).
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, attribute: Bool, to buffer: inout [UInt8]) {
        var runStart = 0
        for i in 0..<bytes.count {
            let replacement: StaticString
            switch bytes[i] {
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case 0x0D: replacement = "&#13;"
            case 0x0A where attribute: replacement = "&#10;"
            case 0x09 where attribute: replacement = "&#9;"
            default: continue
            }
            if runStart < i { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            replacement.withUTF8Buffer { buffer.append(contentsOf: $0) }
            runStart = i + 1
        }
        if runStart < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
    }

    /// For a file, hands the gathered bytes over once there are enough of them.
    private func spill() throws {
        guard buffer.count >= Self.chunk, sink.writesToFile, capture == nil else { return }
        handOver()
        if let reason = sink.failure {
            throw failure(.io, "cannot write \(destination): \(reason)")
        }
    }

    private func handOver() {
        guard !buffer.isEmpty else { return }
        _ = buffer.withUnsafeBytes { sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: Digests of records written once

    /// Starts taking the digest of the element just opened (its attributes written, its start
    /// tag not closed) from the bytes written for it, so that it is not encoded a second time.
    /// `endDigest` gives the bytes the element would have as a document of its own (the XML
    /// declaration, then the element at depth 0: the same calls on a new writer give the same
    /// bytes) and writes the digest attribute into its start tag, where it would have been
    /// written now. Nothing reaches the file between the two calls. One record at a time.
    public func beginDigest() throws {
        guard capture == nil, let last = stack.last, last.state == .startTag else {
            throw failure(.unsupported, "cannot take a digest here: a digest starts right after an element's attributes, one at a time")
        }
        capture = DigestCapture(start: lastStartTag, insertAt: buffer.count, depth: stack.count - 1)
    }

    /// Ends the digest begun by `beginDigest`: `digest` is given the record alone as a document
    /// and returns the attribute's value, which is written as attribute `name` of the record's
    /// start tag. With `closingOpen`, the record's element is still open (a patient, whose
    /// digest covers it without the records nested in it) and the document closes it as an
    /// element ending there would be closed; otherwise the element has just been closed.
    public func endDigest(attribute name: String, closingOpen: Bool,
                          _ digest: (UnsafeBufferPointer<UInt8>) throws -> String) throws {
        guard let c = capture else { throw failure(.unsupported, "endDigest() without beginDigest()") }
        capture = nil
        try checkName(name)
        alone.removeAll(keepingCapacity: true)
        Self.declaration.withUTF8Buffer { alone.append(contentsOf: $0) }
        buffer.withUnsafeBufferPointer { b in
            var from = c.start
            for (offset, depth) in c.indents {
                alone.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<offset]))
                for _ in 0..<(depth - c.depth) {
                    alone.append(UInt8(ascii: " "))
                    alone.append(UInt8(ascii: " "))
                }
                from = offset + 2 * depth
            }
            alone.append(contentsOf: UnsafeBufferPointer(rebasing: b[from..<b.count]))
        }
        if closingOpen {
            guard let last = stack.last, stack.count - 1 == c.depth else {
                throw failure(.unsupported, "endDigest(closingOpen:) with the record's element not the innermost open one")
            }
            switch last.state {
            case .startTag:
                alone.append(UInt8(ascii: "/"))
                alone.append(UInt8(ascii: ">"))
            case .content:
                // At depth 0 an end tag's indentation is empty, after text or after elements.
                alone.append(UInt8(ascii: "<"))
                alone.append(UInt8(ascii: "/"))
                alone.append(contentsOf: Array(last.name.utf8))
                alone.append(UInt8(ascii: ">"))
            }
            alone.append(UInt8(ascii: "\n"))
        }
        let value = try alone.withUnsafeBufferPointer { try digest($0) }
        try checkCharacters(value, what: "attribute \(name)")
        // ` name="value"` where the attribute would have been written.
        let tail = buffer.count
        appendAttribute(name, value)
        let attribute = Array(buffer[tail...])
        buffer.removeSubrange(tail...)
        buffer.insert(contentsOf: attribute, at: c.insertAt)
        try spill()
    }

    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    // MARK: Checks (as XMLStreamWriter's)

    /// `action` is only spelled out when it is needed (a message built on every call costs more
    /// than the call's writing).
    private func ready(_ action: @autoclosure () -> String) throws {
        if finished {
            throw failure(.unsupported, "cannot \(action()): the document is already finished")
        }
    }

    private func failure(_ kind: XMLError.Kind, _ message: String) -> XMLErrors {
        XMLErrors(XMLError(kind: kind, message: message, file: destination))
    }

    private func checkName(_ name: String) throws {
        if Self.isPlainName(name) { return }
        guard !name.utf8.contains(0), xmlValidateQName(name, 0) == 0 else {
            throw failure(.notWellFormed, "\"\(name)\" is not a valid XML name")
        }
    }

    /// An ASCII letter then ASCII letters and digits: a valid XML name without asking libxml2.
    /// Read through `withUTF8` (the element names are literals: contiguous UTF-8), not
    /// `name.utf8`'s iterator, which cost as much as writing the element in the profile.
    private static func isPlainName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            guard let first = bytes.first, Self.isLetter(first) else { return false }
            for byte in bytes.dropFirst() where !Self.isLetter(byte) && !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                return false
            }
            return true
        }
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private func checkCharacters(_ text: String, what: @autoclosure () -> String) throws {
        if let problem = XMLCharacters.problem(in: text) {
            throw failure(.notWellFormed, "\(what()) contains \(problem), which XML 1.0 cannot carry")
        }
    }
}

/// The one check of characters XML 1.0 cannot carry, shared by both writers.
enum XMLCharacters {
    /// "U+0001" for the first character XML 1.0 cannot carry, nil when there is none.
    static func problem(in text: String) -> String? {
        var text = text
        let bad: Int? = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            let offset = knot_first_non_xml_character(base, bytes.count)
            return offset < bytes.count ? offset : nil
        }
        guard let bad else { return nil }
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: bad)
        return String(format: "U+%04X", text.unicodeScalars[index].value)
    }
}
