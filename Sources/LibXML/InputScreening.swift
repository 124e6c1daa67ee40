internal import CLibXML2
import Foundation

/// A document that passed the byte-level checks, ready for libxml2.
struct ScreenedDocument {
    /// The bytes to parse: the input, or its UTF-8 transcoding when it was UTF-16.
    let data: Data
    /// Encoding to force on libxml2 ("UTF-8" after transcoding), else nil (autodetect).
    let encodingOverride: String?
}

/// Byte-level checks run on every document before libxml2 parses it.
///
/// They give precise, early answers for the cases libxml2 handles poorly or reports vaguely:
/// size over the cap, empty files, other file types (PDF, ZIP), encodings (UTF-16 without a
/// byte order mark, declarations that do not match the bytes, invalid UTF-8, NUL bytes), XML
/// 1.1, any DOCTYPE in the prolog, and attribute or namespace counts that would make
/// libxml2 2.9.14 quadratic. UTF-16 with a byte order mark is transcoded to UTF-8 so every
/// check applies to it too.
enum InputScreening {
    /// Encodings whose declaration Knot accepts in a byte-oriented (non UTF-16) document.
    private static let utf8Names: Set<String> = ["UTF-8", "UTF8"]
    private static let asciiNames: Set<String> = ["US-ASCII", "ASCII"]
    private static let singleByteNames: Set<String> = [
        "ISO-8859-1", "ISO_8859-1", "ISO8859-1", "LATIN1", "LATIN-1", "ISO-LATIN-1", "L1",
        "WINDOWS-1252", "CP1252",
    ]
    private static let wideNames: Set<String> = [
        "UTF-16", "UTF16", "UTF-16LE", "UTF-16BE", "UCS-2", "UCS2", "ISO-10646-UCS-2",
        "UTF-32", "UTF32", "UCS-4", "UCS4", "ISO-10646-UCS-4",
    ]

    private static let signatures: [(bytes: [UInt8], what: String)] = [
        (Array("%PDF-".utf8), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (perhaps a Word or OpenDocument file)"),
        ([0xD0, 0xCF, 0x11, 0xE0], "an old Microsoft Office document"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        ([0x1F, 0x8B], "a gzip archive"),
        (Array("{\\rtf".utf8), "an RTF document"),
    ]

    /// - Parameter countNodes: refuse documents over `options.maxNodes` (for documents read
    ///   whole into a tree; a stream keeps memory flat however many nodes it has).
    static func screen(_ input: Data, options: ParseOptions, countNodes: Bool = false) throws -> ScreenedDocument {
        let file = options.fileName
        func fail(_ kind: XMLError.Kind, _ message: String, line: Int = 0, column: Int = 0) -> XMLErrors {
            XMLErrors(XMLError(kind: kind, message: message, file: file, line: line, column: column))
        }
        guard input.count <= options.maxBytes else {
            throw fail(.tooLarge, "the document is \(grouped(input.count)) bytes, over the limit of \(grouped(options.maxBytes)) bytes")
        }
        guard !input.isEmpty else {
            throw fail(.empty, "the document is empty (0 bytes)")
        }
        let head = [UInt8](input.prefix(8))
        for signature in signatures where head.starts(with: signature.bytes) {
            throw fail(.unsupported, "this is \(signature.what), not XML", line: 1, column: 1)
        }

        var data = input
        var transcoded = false
        var hasUTF8BOM = false
        if head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw fail(.encoding, "UTF-32 is not supported; save the file as UTF-8", line: 1, column: 1)
        } else if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) {
            let encoding: String.Encoding = head[0] == 0xFE ? .utf16BigEndian : .utf16LittleEndian
            guard let text = String(data: input.dropFirst(2), encoding: encoding) else {
                throw fail(.encoding, "the file has a UTF-16 byte order mark but is not valid UTF-16", line: 1, column: 1)
            }
            data = Data(text.utf8)
            transcoded = true
            guard data.count <= options.maxBytes else {
                throw fail(.tooLarge, "the document is \(grouped(data.count)) bytes as UTF-8, over the limit of \(grouped(options.maxBytes)) bytes")
            }
        } else if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            hasUTF8BOM = true
        } else if head.count >= 2, (head[0] == 0) != (head[1] == 0) {
            let order = head[0] == 0 ? "big-endian" : "little-endian"
            throw fail(.encoding, "the file looks like UTF-16 (\(order)) without a byte order mark; save it as UTF-8", line: 1, column: 1)
        } else if head.starts(with: [0x4C, 0x6F, 0xA7, 0x94]) {
            throw fail(.encoding, "EBCDIC is not supported; save the file as UTF-8", line: 1, column: 1)
        }

        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let base = bytes.baseAddress!
            let count = bytes.count
            func position(_ offset: Int) -> (line: Int, column: Int) {
                var line = 0
                var column = 0
                knot_text_position(base, offset, &line, &column)
                return (line, column)
            }
            func fail(_ kind: XMLError.Kind, _ message: String, at offset: Int) -> XMLErrors {
                let place = position(offset)
                return XMLErrors(XMLError(kind: kind, message: message, file: file, line: place.line, column: place.column))
            }

            let start = hasUTF8BOM ? 3 : 0
            let declaration = try xmlDeclaration(bytes, from: start, fail: fail)
            var checkUTF8 = true
            var checkASCII = false
            if let declared = declaration?.encoding {
                let name = declared.value.uppercased()
                if wideNames.contains(name) {
                    if !transcoded {
                        throw fail(.encoding, "the declaration says \(declared.value) but the bytes are not \(declared.value)", at: declared.offset)
                    }
                } else if transcoded {
                    throw fail(.encoding, "the file is UTF-16 (byte order mark) but declares \(declared.value)", at: declared.offset)
                } else if utf8Names.contains(name) {
                    checkUTF8 = true
                } else if asciiNames.contains(name) {
                    checkUTF8 = false
                    checkASCII = true
                } else if singleByteNames.contains(name) {
                    if hasUTF8BOM {
                        throw fail(.encoding, "the file starts with a UTF-8 byte order mark but declares \(declared.value)", at: declared.offset)
                    }
                    checkUTF8 = false
                } else {
                    throw fail(.encoding, "encoding \"\(declared.value)\" is not supported; save the file as UTF-8", at: declared.offset)
                }
            }
            if let version = declaration?.version, version.value != "1.0" {
                throw fail(.unsupported, "XML version \(version.value) is not supported; Knot reads XML 1.0", at: version.offset)
            }

            let nul = knot_first_nul(base, count)
            if nul < count {
                throw fail(.encoding, "a NUL byte (0x00) is not allowed in XML; the file may be binary or UTF-16", at: nul)
            }
            if checkUTF8 {
                let bad = knot_utf8_first_invalid(base, count)
                if bad < count {
                    let byte = String(format: "0x%02X", base[bad])
                    throw fail(.encoding, "invalid UTF-8 (byte \(byte)); the file may be in another encoding: save it as UTF-8", at: bad)
                }
            }
            if checkASCII {
                let bad = knot_first_non_ascii(base, count)
                if bad < count {
                    let byte = String(format: "0x%02X", base[bad])
                    throw fail(.encoding, "byte \(byte) is not US-ASCII, which the document declares", at: bad)
                }
            }

            var firstMarkup = start
            while firstMarkup < count, knot_is_xml_space(base[firstMarkup]) != 0 {
                firstMarkup += 1
            }
            guard firstMarkup < count else {
                throw fail(.empty, "the document holds only whitespace", at: count)
            }
            if let doctype = prologDoctype(bytes, from: start) {
                throw fail(.doctypeForbidden, "DOCTYPE declarations are not allowed: Knot refuses DTDs and entity declarations", at: doctype)
            }
            var which: Int32 = 0
            let over = knot_first_markup_over_limits(
                base, count, options.maxAttributesPerElement, options.maxNamespaceDeclarationsInScope, &which)
            if over < count {
                let message = which == 1
                    ? "an element has more than \(options.maxAttributesPerElement) attributes"
                    : "more than \(options.maxNamespaceDeclarationsInScope) namespace declarations are in scope"
                throw fail(.tooLarge, message, at: over)
            }
            if countNodes {
                let tooMany = knot_first_node_over_limit(base, count, options.maxNodes)
                if tooMany < count {
                    throw fail(.tooLarge, "the document has more than \(grouped(options.maxNodes)) elements, attributes and comments"
                               + " (a referral letter has a few thousand); it is refused before it is read into memory", at: tooMany)
                }
            }
        }
        return ScreenedDocument(data: data, encodingOverride: transcoded ? "UTF-8" : nil)
    }

    /// A pseudo-attribute of the XML declaration and the byte offset of its value.
    struct DeclaredValue {
        let value: String
        let offset: Int
    }

    /// Version and encoding from `<?xml ...?>` at `start`, nil without a declaration.
    private static func xmlDeclaration(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        fail: (XMLError.Kind, String, Int) -> XMLErrors
    ) throws -> (version: DeclaredValue?, encoding: DeclaredValue?)? {
        let opening = Array("<?xml".utf8)
        guard bytes.count >= start + 6,
              bytes[start..<start + 5].elementsEqual(opening),
              knot_is_xml_space(bytes[start + 5]) != 0
        else { return nil }
        let limit = min(bytes.count, start + 1024)
        var end = start + 5
        while end + 1 < limit, !(bytes[end] == UInt8(ascii: "?") && bytes[end + 1] == UInt8(ascii: ">")) {
            end += 1
        }
        guard end + 1 < limit else {
            throw fail(.notWellFormed, "the XML declaration is not closed with ?>", start)
        }
        func value(of name: String) -> DeclaredValue? {
            let key = Array(name.utf8)
            var index = start + 5
            while index + key.count <= end {
                // Compared in place (an array per position was most of screening a small letter).
                if bytes[index..<index + key.count].elementsEqual(key), knot_is_xml_space(bytes[index - 1]) != 0 {
                    var cursor = index + key.count
                    while cursor < end, knot_is_xml_space(bytes[cursor]) != 0 { cursor += 1 }
                    guard cursor < end, bytes[cursor] == UInt8(ascii: "=") else { return nil }
                    cursor += 1
                    while cursor < end, knot_is_xml_space(bytes[cursor]) != 0 { cursor += 1 }
                    guard cursor < end, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") else {
                        return nil
                    }
                    let quote = bytes[cursor]
                    let valueStart = cursor + 1
                    var valueEnd = valueStart
                    while valueEnd < end, bytes[valueEnd] != quote { valueEnd += 1 }
                    guard valueEnd < end else { return nil }
                    let text = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
                    return DeclaredValue(value: text, offset: valueStart)
                }
                index += 1
            }
            return nil
        }
        return (value(of: "version"), value(of: "encoding"))
    }

    /// Byte offset of a `<!DOCTYPE` in the prolog (before the first element), else nil.
    private static func prologDoctype(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let base = bytes.baseAddress!
        let count = bytes.count
        func starts(_ text: String, at offset: Int) -> Bool {
            let key = Array(text.utf8)
            return offset + key.count <= count && bytes[offset..<offset + key.count].elementsEqual(key)
        }
        var index = start
        while index < count {
            while index < count, knot_is_xml_space(base[index]) != 0 { index += 1 }
            if starts("<?", at: index) {
                let end = knot_find_bytes(base, count, index + 2, "?>")
                guard end < count else { return nil }
                index = end + 2
            } else if starts("<!--", at: index) {
                let end = knot_find_bytes(base, count, index + 4, "-->")
                guard end < count else { return nil }
                index = end + 3
            } else if starts("<!DOCTYPE", at: index) {
                return index
            } else {
                return nil
            }
        }
        return nil
    }
}

/// 12345678 as "12,345,678", for messages.
func grouped(_ number: Int) -> String {
    let digits = Array(String(number.magnitude))
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 {
            result += ","
        }
        result.append(digit)
    }
    return number < 0 ? "-" + result : result
}
