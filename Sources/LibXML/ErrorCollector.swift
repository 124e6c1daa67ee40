internal import CLibXML2
import Foundation

/// Gathers libxml2's structured errors for one operation, classified, de-duplicated and capped.
///
/// libxml2 reports through C callbacks that cannot capture Swift state, so every callback
/// receives a pointer to a collector (never `ctxt->userData`, which libxml2's own SAX handlers
/// use). Problems (well-formedness, encoding, limits) and validity issues are kept apart so a
/// stream can stop at the first problem yet report every validity issue at the end.
final class ErrorCollector {
    let fileName: String?
    /// Kind given to messages that arrive through the generic (unstructured) channel.
    let genericKind: XMLError.Kind
    private(set) var problems: [XMLError] = []
    private(set) var validityIssues: [XMLError] = []
    private var omitted = 0
    private var seen: Set<XMLError> = []
    let genericRoute: UnsafeMutablePointer<knot_generic_error_route>

    init(fileName: String?, genericKind: XMLError.Kind) {
        self.fileName = fileName
        self.genericKind = genericKind
        genericRoute = .allocate(capacity: 1)
        genericRoute.initialize(to: knot_generic_error_route(sink: collectGenericMessage, context: nil))
        genericRoute.pointee.context = opaque
    }

    deinit {
        genericRoute.deallocate()
    }

    /// The pointer handed to C callbacks (unretained: keep the collector alive meanwhile).
    var opaque: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    var hasProblems: Bool { !problems.isEmpty }
    var hasIssues: Bool { !problems.isEmpty || !validityIssues.isEmpty }

    func add(_ issue: XMLError) {
        guard seen.insert(issue).inserted else { return }
        if issue.kind == .invalid {
            if validityIssues.count < XMLErrors.cap { validityIssues.append(issue) } else { omitted += 1 }
        } else {
            if problems.count < XMLErrors.cap { problems.append(issue) } else { omitted += 1 }
        }
    }

    /// What to throw: the first problem when there is one (libxml2 stops at the first fatal
    /// error; what follows is cascade), else every validity issue; `fallback` when nothing was
    /// collected.
    func errors(fallback: XMLError) -> XMLErrors {
        if let problem = problems.first {
            return XMLErrors(problem)
        }
        let all = validityIssues
        guard !all.isEmpty else { return XMLErrors(fallback) }
        let kept = Array(all.prefix(XMLErrors.cap))
        return XMLErrors(kept, omittedCount: omitted)
    }

    /// Routes this thread's error channels here while `body` runs.
    ///
    /// Errors raised without a context (tree helpers, C14N, the schema parser's own document
    /// parse) go to the per-thread structured handler; a few go only to the generic one.
    func capturingThreadErrors<T>(_ body: () throws -> T) rethrows -> T {
        xmlSetStructuredErrorFunc(opaque, collectStructuredError)
        knot_route_generic_errors(genericRoute)
        defer {
            xmlSetStructuredErrorFunc(nil, nil)
            knot_route_generic_errors(nil)
        }
        return try withExtendedLifetime(self) { try body() }
    }

    func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        // Once a well-formedness problem is in, only it is ever reported (see `errors`): skip the
        // cascade, which on a hostile file (thousands of undefined entities) costs seconds.
        guard problems.isEmpty else { return }
        let raw = error.message.map { String(cString: $0) } ?? "unknown error"
        let (kind, message) = Self.classify(domain: Int(error.domain), code: Int(error.code), message: raw)
        add(XMLError(kind: kind, message: message, file: fileName, line: Int(error.line), column: Int(error.int2)))
    }

    func recordGeneric(_ message: String) {
        guard problems.isEmpty else { return }
        let text = Self.tidy(message)
        guard !text.isEmpty else { return }
        add(XMLError(kind: genericKind, message: text, file: fileName))
    }

    /// Kind and a practitioner-readable message for one libxml2 error.
    static func classify(domain: Int, code: Int, message raw: String) -> (XMLError.Kind, String) {
        let message = tidy(raw)
        let lowered = message.lowercased()
        if domain == Int(XML_FROM_SCHEMASV.rawValue) || domain == Int(XML_FROM_SCHEMASP.rawValue) {
            if code == Int(XML_IO_LOAD_ERROR.rawValue) || lowered.contains("failed to load external entity")
                || lowered.contains("failed to parse the xml resource") {
                return (.unsupported, "refused to load an external resource (schemas must be self-contained): \(message)")
            }
            return (.invalid, message)
        }
        if domain == Int(XML_FROM_IO.rawValue) {
            return (.unsupported, "refused to load an external resource: \(message)")
        }
        if domain == Int(XML_FROM_I18N.rawValue) {
            return (.encoding, message)
        }
        switch code {
        case Int(XML_ERR_DOCUMENT_EMPTY.rawValue):
            return (.empty, message)
        case Int(XML_ERR_UNKNOWN_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
             Int(XML_ERR_INVALID_ENCODING.rawValue):
            return (.encoding, message)
        case Int(XML_ERR_NAME_TOO_LONG.rawValue):
            return (.tooLarge, "a name is longer than the parser's limit of 50,000 characters")
        default:
            break
        }
        if lowered.contains("huge text node") {
            return (.tooLarge, "a text node is larger than the parser's limit of 10,000,000 bytes")
        }
        if lowered.contains("attvalue length too long") {
            return (.tooLarge, "an attribute value is larger than the parser's limit of 10,000,000 bytes")
        }
        if lowered.contains("huge input lookup") {
            return (.tooLarge, "a piece of markup is larger than the parser's limit of 10,000,000 bytes")
        }
        if lowered.contains("excessive depth") {
            return (.tooLarge, "elements are nested deeper than the parser's limit of 256 levels")
        }
        if lowered.contains("xml_parse_huge") || lowered.contains("too long") || lowered.contains("too big") {
            return (.tooLarge, message.replacingOccurrences(of: " use XML_PARSE_HUGE option", with: ""))
        }
        if lowered.contains("not proper utf-8") || lowered.contains("encoding") {
            return (.encoding, message)
        }
        return (.notWellFormed, message)
    }

    /// One line, no trailing newline.
    static func tidy(_ message: String) -> String {
        message
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

/// Structured errors whose user data is the collector itself.
func collectStructuredError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
}

/// Structured errors from a tree parser: user data is the parser context, `_private` the collector.
func collectParserContextError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let collector = parser.pointee._private else { return }
    Unmanaged<ErrorCollector>.fromOpaque(collector).takeUnretainedValue().record(error.pointee)
}

/// Generic (formatted by the C trampoline) messages.
private func collectGenericMessage(_ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
    guard let context, let message else { return }
    Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue().recordGeneric(String(cString: message))
}
