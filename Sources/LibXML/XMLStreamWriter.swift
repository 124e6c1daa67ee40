internal import CLibXML2
import Foundation

/// Writes an XML document as a stream to a file or to memory, escaping everything, so exports
/// of any size use bounded memory and are always well-formed.
///
/// libxml2's writer hands the output over in chunks of about 4 KB, which go straight to the
/// file. Output is UTF-8 with an XML declaration, deterministic, indented with two spaces by
/// default (indentation adds whitespace between elements: turn it off for mixed content such as
/// CDA narrative). Names are checked to be XML names; text, attribute values and comments that
/// XML 1.0 cannot carry (C0 control characters other than tab, line feed and carriage return,
/// U+FFFE, U+FFFF, NUL; "--" in a comment) are refused with `XMLErrors` (`.notWellFormed`), never
/// written. Every method throws `XMLErrors`; `.io` when the file cannot be written.
///
/// Namespaces are declared explicitly: `startElement(_:namespace:)` declares the namespace of
/// the element's own prefix; `writeNamespaceDeclaration` declares any other.
public final class XMLStreamWriter {
    private var writer: OpaquePointer?
    private let sink: OutputSink
    private var openElements: [String] = []
    /// Path or "<memory>", for messages.
    public let destination: String

    /// Writes to memory; read the bytes from `data` after `endDocument()`.
    public init(indent: Bool = true) throws {
        LibXMLRuntime.prepare()
        sink = OutputSink(fileDescriptor: nil)
        destination = "<memory>"
        writer = try Self.makeWriter(sink: sink, indent: indent, destination: destination)
    }

    /// Creates (or truncates) the file at `path` with `permissions` (0600 by default: clinical
    /// data is readable by its owner only; also applied to an existing file) and writes to it.
    /// The file is complete only after `endDocument()` returns.
    public init(path: String, permissions: Int = 0o600, indent: Bool = true) throws {
        LibXMLRuntime.prepare()
        destination = path
        sink = OutputSink(fileDescriptor: try createPrivateFile(path, permissions: permissions))
        writer = try Self.makeWriter(sink: sink, indent: indent, destination: path)
    }

    /// Writes to a file already open for writing (made by the caller, e.g. a private temporary
    /// file); the writer owns `fileDescriptor` from now on and closes it. `destination` names it in errors.
    public init(fileDescriptor: Int32, destination: String, indent: Bool = true) throws {
        LibXMLRuntime.prepare()
        self.destination = destination
        sink = OutputSink(fileDescriptor: fileDescriptor)
        writer = try Self.makeWriter(sink: sink, indent: indent, destination: destination)
    }

    deinit {
        if let writer {
            xmlFreeTextWriter(writer)
        }
        sink.close()
    }

    /// Everything written so far to memory (complete after `endDocument()`); empty for files.
    public var data: Data {
        sink.data
    }

    /// Writes `<?xml version="1.0" encoding="UTF-8"?>`.
    public func startDocument() throws {
        try call("start the document") { xmlTextWriterStartDocument($0, "1.0", "UTF-8", nil) }
    }

    /// Opens element `name` (`prefix:local` allowed); with `namespace`, declares it for the
    /// element's prefix (`xmlns="…"` when unprefixed, `xmlns:p="…"` otherwise).
    public func startElement(_ name: String, namespace: String?) throws {
        try checkName(name)
        try call("start element <\(name)>") { xmlTextWriterStartElement($0, name) }
        openElements.append(name)
        if let namespace {
            let colon = name.firstIndex(of: ":")
            try writeNamespaceDeclaration(prefix: colon.map { String(name[..<$0]) }, uri: namespace)
        }
    }

    /// Opens element `name` (`prefix:local` allowed), declaring no namespace.
    public func startElement(_ name: String) throws {
        try startElement(name, namespace: nil)
    }

    /// Declares a namespace on the element just started: `xmlns="uri"` or `xmlns:prefix="uri"`.
    public func writeNamespaceDeclaration(prefix: String?, uri: String) throws {
        try writeAttribute(prefix.map { "xmlns:\($0)" } ?? "xmlns", uri)
    }

    /// Writes an attribute on the element just started (before any content), escaped.
    public func writeAttribute(_ name: String, _ value: String) throws {
        try checkName(name)
        try checkCharacters(value, what: "attribute \(name)")
        try call("write attribute \(name) (attributes must directly follow startElement)") {
            xmlTextWriterWriteAttribute($0, name, value)
        }
    }

    /// Writes text content, escaped (`<`, `>`, `&`, carriage returns).
    public func writeText(_ text: String) throws {
        try checkCharacters(text, what: "text in <\(openElements.last ?? "")>")
        try call("write text") { xmlTextWriterWriteString($0, text) }
    }

    /// Writes `<name>text</name>` (`<name></name>` for empty text).
    public func writeElement(_ name: String, text: String) throws {
        try checkName(name)
        try checkCharacters(text, what: "text in <\(name)>")
        try call("write element <\(name)>") { xmlTextWriterWriteElement($0, name, text) }
    }

    /// Writes `<!--text-->`; refuses "--" and a trailing "-", which XML forbids in comments.
    public func writeComment(_ text: String) throws {
        try checkCharacters(text, what: "comment")
        if text.contains("--") || text.hasSuffix("-") {
            throw failure(.notWellFormed, "a comment cannot contain \"--\" or end with \"-\"")
        }
        try call("write comment") { xmlTextWriterWriteComment($0, text) }
    }

    /// Closes the innermost open element (`<a/>` when it has no content).
    public func endElement() throws {
        guard let name = openElements.last else {
            throw failure(.unsupported, "endElement() with no open element")
        }
        try call("end element <\(name)>") { xmlTextWriterEndElement($0) }
        openElements.removeLast()
    }

    /// Finishes the document, flushes, and for a file, syncs and closes it. Refuses to finish
    /// with elements still open (a bug that would otherwise hide as a truncated export).
    public func endDocument() throws {
        guard openElements.isEmpty else {
            throw failure(.unsupported, "endDocument() with open elements: \(openElements.joined(separator: "/"))")
        }
        try call("end the document") { xmlTextWriterEndDocument($0) }
        try call("flush") { xmlTextWriterFlush($0) }
        if let writer {
            xmlFreeTextWriter(writer)
            self.writer = nil
        }
        sink.close(sync: true)
        if let reason = sink.failure {
            throw failure(.io, "cannot write \(destination): \(reason)")
        }
    }

    /// Hands buffered output to the file (or memory) now.
    public func flush() throws {
        try call("flush") { xmlTextWriterFlush($0) }
    }

    private static func makeWriter(sink: OutputSink, indent: Bool, destination: String) throws -> OpaquePointer {
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard let output = xmlOutputBufferCreateIO(writeToSink, closeSink, context, nil) else {
            throw XMLErrors(XMLError(kind: .io, message: "out of memory creating an output buffer", file: destination))
        }
        guard let writer = xmlNewTextWriter(output) else {
            xmlOutputBufferClose(output)
            throw XMLErrors(XMLError(kind: .io, message: "out of memory creating a writer", file: destination))
        }
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            xmlTextWriterSetIndentString(writer, "  ")
        }
        return writer
    }

    private func failure(_ kind: XMLError.Kind, _ message: String) -> XMLErrors {
        XMLErrors(XMLError(kind: kind, message: message, file: destination))
    }

    private func call(_ action: String, _ body: (OpaquePointer) -> Int32) throws {
        guard let writer else {
            throw failure(.unsupported, "cannot \(action): the document is already finished")
        }
        if body(writer) < 0 {
            if let reason = sink.failure {
                throw failure(.io, "cannot write \(destination): \(reason)")
            }
            throw failure(.unsupported, "cannot \(action) here")
        }
    }

    private func checkName(_ name: String) throws {
        guard !name.utf8.contains(0), xmlValidateQName(name, 0) == 0 else {
            throw failure(.notWellFormed, "\"\(name)\" is not a valid XML name")
        }
    }

    private func checkCharacters(_ text: String, what: String) throws {
        if let problem = XMLCharacters.problem(in: text) {
            throw failure(.notWellFormed, "\(what) contains \(problem), which XML 1.0 cannot carry")
        }
    }
}

/// Creates (or truncates) the file at `path` for writing, readable by its owner only by
/// default (`permissions` is also applied to an existing file; a symbolic link is refused).
func createPrivateFile(_ path: String, permissions: Int) throws -> Int32 {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(permissions))
    guard descriptor >= 0 else {
        throw XMLErrors(XMLError(kind: .io, message: "cannot create \(path): \(String(cString: strerror(errno)))", file: path))
    }
    guard fchmod(descriptor, mode_t(permissions)) == 0 else {
        let reason = String(cString: strerror(errno))
        close(descriptor)
        throw XMLErrors(XMLError(kind: .io, message: "cannot set permissions of \(path): \(reason)", file: path))
    }
    return descriptor
}

/// Where the writer's bytes go: a file descriptor this object closes, or memory.
final class OutputSink {
    private var fileDescriptor: Int32?
    private(set) var data = Data()
    /// Why writing failed (errno text), once it has.
    private(set) var failure: String?
    private var closed = false
    /// Handed every chunk once it is in the file (see `XMLByteWriter.copyingWrittenBytes`);
    /// returns why it failed, or nil.
    var copy: ((UnsafeRawBufferPointer) -> String?)?

    init(fileDescriptor: Int32?) {
        self.fileDescriptor = fileDescriptor
    }

    /// Whether the bytes go to a file (not to memory).
    var writesToFile: Bool { fileDescriptor != nil }

    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard failure == nil, !closed else { return false }
        guard let descriptor = fileDescriptor else {
            data.append(contentsOf: bytes)
            return true
        }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return false
            }
            offset += written
        }
        if let copy, let reason = copy(bytes) {
            failure = reason
            return false
        }
        return true
    }

    /// Closes the file once (syncing it first when asked); later calls do nothing.
    func close(sync: Bool = false) {
        guard !closed else { return }
        closed = true
        guard let descriptor = fileDescriptor else { return }
        if sync, failure == nil, fsync(descriptor) != 0 {
            failure = String(cString: strerror(errno))
        }
        if Foundation.close(descriptor) != 0, failure == nil {
            failure = String(cString: strerror(errno))
        }
        fileDescriptor = nil
    }
}

private func writeToSink(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let context, let buffer, length >= 0 else { return -1 }
    let sink = Unmanaged<OutputSink>.fromOpaque(context).takeUnretainedValue()
    return sink.write(UnsafeRawBufferPointer(start: buffer, count: Int(length))) ? length : -1
}

/// libxml2 closes its output buffer when the writer is freed; the sink closes the file itself
/// (in `endDocument` or `deinit`) so that errors from closing can be reported.
private func closeSink(_ context: UnsafeMutableRawPointer?) -> Int32 {
    0
}
