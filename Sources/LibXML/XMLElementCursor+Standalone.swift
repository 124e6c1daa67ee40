internal import CLibXML2

extension XMLElementCursor {
    /// Appends to `buffer` the bytes `XMLByteWriter` writes for this element as a document of
    /// its own (the XML declaration, then the element at depth 0 with two-space indentation),
    /// written from what the parser read: names, attribute values and texts as the tree holds
    /// them, in document order. Returns false, `buffer` then unspecified, when the tree holds
    /// anything such a document cannot say the same way, so that a caller falls back to
    /// encoding its own values.
    ///
    /// Why: a record's digest is the SHA-256 of such a document, encoded from the record's
    /// values. Hashing these bytes instead needs no decoded values and no encoding, and it is
    /// sound: parsing the bytes gives back this tree, except for what cannot change a value
    /// read by name: whitespace-only text beside child elements (indentation; dropped, and
    /// written as the writer indents), the namespace (every element must be in this element's
    /// namespace; prefixes are not written) and how texts were split into nodes or CDATA
    /// sections. So when the bytes equal those encoded from some values, this tree holds
    /// exactly those values for any reader that reads elements by name, attributes without a
    /// namespace and texts of elements without child elements. Refused (false): comments,
    /// processing instructions, entity references, attributes in a namespace, elements in
    /// another namespace, CDATA beside child elements, and text other than whitespace beside
    /// child elements (mixed content); and any element of a cursor told to skip elements.
    ///
    /// - Parameters:
    ///   - skippingAttribute: an unprefixed attribute of this element left out (its digest).
    ///   - skippingChildren: local names of child elements (in this element's namespace) left
    ///     out with their subtrees (the records nested in a patient, each with its own digest).
    public func appendStandaloneDocument(to buffer: inout [UInt8], skippingAttribute: String?,
                                         skippingChildren: [String] = []) -> Bool {
        // A cursor told to skip elements reads another tree than the parser's: not written from it.
        guard !scope.skipsAny else { return false }
        XMLByteWriter.declaration.withUTF8Buffer { buffer.append(contentsOf: $0) }
        let namespace = node.pointee.ns?.pointee.href
        return Self.appendStandalone(node, depth: 0, namespace: namespace, skippingAttribute: skippingAttribute,
                                     skippingChildren: skippingChildren, to: &buffer)
    }

    private static func appendStandalone(_ element: xmlNodePtr, depth: Int, namespace: UnsafePointer<xmlChar>?,
                                         skippingAttribute: String?, skippingChildren: [String],
                                         to buffer: inout [UInt8]) -> Bool {
        guard sameHref(element.pointee.ns?.pointee.href, namespace), let name = element.pointee.name else { return false }
        for _ in 0..<depth { buffer.append(0x20); buffer.append(0x20) }
        buffer.append(UInt8(ascii: "<"))
        appendCString(name, to: &buffer)
        var attribute = element.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard current.pointee.ns == nil, let attributeName = current.pointee.name else { return false }
            if let skippingAttribute, cStringEquals(attributeName, skippingAttribute) { continue }
            buffer.append(0x20)
            appendCString(attributeName, to: &buffer)
            buffer.append(UInt8(ascii: "="))
            buffer.append(UInt8(ascii: "\""))
            var part = current.pointee.children
            while let text = part {
                guard text.pointee.type == XML_TEXT_NODE else { return false }
                if let content = text.pointee.content { appendEscaped(content, attribute: true, to: &buffer) }
                part = text.pointee.next
            }
            buffer.append(UInt8(ascii: "\""))
        }
        // Whether any child is an element (then text beside them must be indentation).
        var hasElementChild = false
        var child = element.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE: hasElementChild = true
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: break
            default: return false
            }
            child = current.pointee.next
        }
        if hasElementChild {
            var wroteChild = false
            child = element.pointee.children
            while let current = child {
                child = current.pointee.next
                if current.pointee.type == XML_ELEMENT_NODE {
                    if !skippingChildren.isEmpty, sameHref(current.pointee.ns?.pointee.href, namespace),
                       let childName = current.pointee.name, skippingChildren.contains(where: { cStringEquals(childName, $0) }) {
                        continue
                    }
                    if !wroteChild {
                        buffer.append(UInt8(ascii: ">"))
                        buffer.append(0x0A)
                        wroteChild = true
                    }
                    guard appendStandalone(current, depth: depth + 1, namespace: namespace, skippingAttribute: nil,
                                           skippingChildren: [], to: &buffer) else { return false }
                } else {
                    guard current.pointee.type == XML_TEXT_NODE, isXMLWhitespace(current.pointee.content) else { return false }
                }
            }
            if wroteChild {
                for _ in 0..<depth { buffer.append(0x20); buffer.append(0x20) }
                appendEndTag(name, to: &buffer)
            } else {
                appendEmptyTagEnd(to: &buffer)
            }
            return true
        }
        guard element.pointee.children != nil else {
            appendEmptyTagEnd(to: &buffer)
            return true
        }
        buffer.append(UInt8(ascii: ">"))
        child = element.pointee.children
        while let text = child {
            if let content = text.pointee.content { appendEscaped(content, attribute: false, to: &buffer) }
            child = text.pointee.next
        }
        appendEndTag(name, to: &buffer)
        return true
    }

    /// `</name>` and a line feed, as the writer ends an element with content.
    private static func appendEndTag(_ name: UnsafePointer<xmlChar>, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "<"))
        buffer.append(UInt8(ascii: "/"))
        appendCString(name, to: &buffer)
        buffer.append(UInt8(ascii: ">"))
        buffer.append(0x0A)
    }

    /// `/>` and a line feed, as the writer ends an element without content.
    private static func appendEmptyTagEnd(to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "/"))
        buffer.append(UInt8(ascii: ">"))
        buffer.append(0x0A)
    }

    private static func appendCString(_ string: UnsafePointer<xmlChar>, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: string, count: strlen(UnsafeRawPointer(string).assumingMemoryBound(to: CChar.self))))
    }

    private static func appendEscaped(_ string: UnsafePointer<xmlChar>, attribute: Bool, to buffer: inout [UInt8]) {
        let count = strlen(UnsafeRawPointer(string).assumingMemoryBound(to: CChar.self))
        XMLByteWriter.appendEscaped(UnsafeBufferPointer(start: string, count: count), attribute: attribute, to: &buffer)
    }

    /// Byte-for-byte equality of a libxml2 string and a Swift string (names: no canonical
    /// equivalence needed, a different spelling only makes the bytes differ).
    private static func cStringEquals(_ cString: UnsafePointer<xmlChar>, _ string: String) -> Bool {
        var string = string
        return string.withUTF8 { bytes in
            for index in 0..<bytes.count where cString[index] != bytes[index] { return false }
            return cString[bytes.count] == 0
        }
    }

    /// Whether two namespace URIs are the same bytes (nil: no namespace).
    private static func sameHref(_ a: UnsafePointer<xmlChar>?, _ b: UnsafePointer<xmlChar>?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a == b || strcmp(UnsafeRawPointer(a).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(b).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// Whether a text is only XML whitespace (space, tab, line feed, carriage return).
    private static func isXMLWhitespace(_ content: UnsafePointer<xmlChar>?) -> Bool {
        guard let content else { return true }
        var index = 0
        while content[index] != 0 {
            switch content[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return false
            }
        }
        return true
    }
}
