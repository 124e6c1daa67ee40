internal import CLibXML2

/// Copies libxml2 nodes into `XMLElement` values (the only place that reads `xmlNode` fields).
enum TreeConversion {
    /// The element `node` and its subtree; `path` is the element's own path.
    ///
    /// Recursion is bounded: libxml2 refuses documents nested deeper than 256 levels.
    static func element(_ node: xmlNodePtr, path: String) -> XMLElement {
        var namespaces = NamespaceStrings()
        return element(node, name: swiftString(node.pointee.name) ?? "", path: path, namespaces: &namespaces)
    }

    /// One pass over the children: each child element's name is read once, its step ("name" or
    /// "name[n]" when siblings share the name) found by comparing names (a table only for a long
    /// list of siblings), its path built in one string, and namespace strings shared between
    /// elements that use the same declaration.
    private static func element(_ node: xmlNodePtr, name: String, path: String, namespaces: inout NamespaceStrings) -> XMLElement {
        var names: [String] = []
        var nodeCount = 0
        var child = node.pointee.children
        while let current = child {
            nodeCount += 1
            if current.pointee.type == XML_ELEMENT_NODE {
                names.append(swiftString(current.pointee.name) ?? "")
            }
            child = current.pointee.next
        }
        let steps = SiblingSteps(names)
        var children: [XMLNode] = []
        children.reserveCapacity(nodeCount)
        var elementIndex = 0
        child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let childName = names[elementIndex]
                let childPath = steps.path(under: path, name: childName, at: elementIndex)
                elementIndex += 1
                children.append(.element(element(current, name: childName, path: childPath, namespaces: &namespaces)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                appendText(swiftString(current.pointee.content) ?? "", to: &children)
            case XML_COMMENT_NODE:
                children.append(.comment(swiftString(current.pointee.content) ?? ""))
            case XML_PI_NODE:
                children.append(.processingInstruction(
                    target: swiftString(current.pointee.name) ?? "",
                    data: swiftString(current.pointee.content) ?? ""))
            default:
                break
            }
            child = current.pointee.next
        }
        return shallowElement(node, path: path, children: children, name: name, namespace: namespaces.strings(node.pointee.ns))
    }

    /// The "[n]" numbering of one element's child elements: a name gets it when several
    /// siblings share it.
    private struct SiblingSteps {
        /// Per child element: its 1-based number among the siblings of its name, 0 when it is
        /// the only one of its name.
        private var numbers: [Int] = []

        init(_ names: [String]) {
            guard names.count > 1 else { return }
            numbers = Array(repeating: 0, count: names.count)
            if names.count <= 32 {
                // Few siblings (nearly always): compare names, no table.
                for i in names.indices where numbers[i] == 0 {
                    var number = 1
                    for j in (i + 1)..<names.count where names[j] == names[i] {
                        number += 1
                        numbers[j] = number
                    }
                    if number > 1 { numbers[i] = 1 }
                }
            } else {
                var total: [String: Int] = [:]
                for name in names { total[name, default: 0] += 1 }
                var seen: [String: Int] = [:]
                for (i, name) in names.enumerated() where total[name]! > 1 {
                    seen[name, default: 0] += 1
                    numbers[i] = seen[name]!
                }
            }
        }

        /// `parent/name`, or `parent/name[n]`, built in one string.
        func path(under parent: String, name: String, at index: Int) -> String {
            TreeConversion.childPath(under: parent, name: name, number: numbers.isEmpty ? 0 : numbers[index])
        }
    }

    /// `parent/name`, or `parent/name[number]` when `number` is above 0, built in one string
    /// (the copied tree's paths and the streaming reader's).
    static func childPath(under parent: String, name: String, number: Int) -> String {
        var parent = parent, name = name
        var digits = number > 0 ? String(number) : ""
        let count = parent.utf8.count + 1 + name.utf8.count + (number > 0 ? digits.utf8.count + 2 : 0)
        // The bytes copied once into a string of the right size (appending piece by piece cost
        // about 2,000 instructions a path).
        return parent.withUTF8 { parent in
            name.withUTF8 { name in
                digits.withUTF8 { digits in
                    String(unsafeUninitializedCapacity: count) { buffer in
                        var at = 0
                        func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
                            UnsafeMutableRawPointer(buffer.baseAddress! + at).copyMemory(from: base, byteCount: bytes.count)
                            at += bytes.count
                        }
                        put(parent)
                        buffer[at] = UInt8(ascii: "/")
                        at += 1
                        put(name)
                        if number > 0 {
                            buffer[at] = UInt8(ascii: "[")
                            at += 1
                            put(digits)
                            buffer[at] = UInt8(ascii: "]")
                            at += 1
                        }
                        return at
                    }
                }
            }
        }
    }

    /// The namespace URI and prefix of the last declaration seen, so that the elements using it
    /// share one string instead of each copying it out of libxml2.
    private struct NamespaceStrings {
        private var last: xmlNsPtr?
        private var href: String?
        private var prefix: String?

        mutating func strings(_ ns: xmlNsPtr?) -> (href: String?, prefix: String?) {
            guard let ns else { return (nil, nil) }
            if ns != last {
                last = ns
                href = swiftString(ns.pointee.href)
                prefix = swiftString(ns.pointee.prefix)
            }
            return (href, prefix)
        }
    }

    /// The element `node` with the given children (its own children are not read).
    /// `name` and `namespace`, when given, are the node's own, already read (`element`).
    static func shallowElement(_ node: xmlNodePtr, path: String, children: [XMLNode] = [], name: String? = nil,
                               namespace: (href: String?, prefix: String?)? = nil) -> XMLElement {
        let namespace = namespace ?? (swiftString(node.pointee.ns?.pointee.href), swiftString(node.pointee.ns?.pointee.prefix))
        return XMLElement(
            name: name ?? swiftString(node.pointee.name) ?? "",
            namespace: namespace.href,
            prefix: namespace.prefix,
            attributes: attributes(of: node),
            namespaceDeclarations: namespaceDeclarations(of: node),
            children: children,
            line: line(of: node),
            path: path
        )
    }

    static func appendText(_ text: String, to children: inout [XMLNode]) {
        if case .text(let previous) = children.last {
            children[children.count - 1] = .text(previous + text)
        } else {
            children.append(.text(text))
        }
    }

    static func attributes(of node: xmlNodePtr) -> [XMLAttribute] {
        var result: [XMLAttribute] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            result.append(XMLAttribute(
                name: swiftString(current.pointee.name) ?? "",
                namespace: swiftString(current.pointee.ns?.pointee.href),
                prefix: swiftString(current.pointee.ns?.pointee.prefix),
                value: value(of: current)))
            attribute = current.pointee.next
        }
        return result
    }

    static func namespaceDeclarations(of node: xmlNodePtr) -> [XMLNamespaceDeclaration] {
        var result: [XMLNamespaceDeclaration] = []
        var declaration = node.pointee.nsDef
        while let current = declaration {
            result.append(XMLNamespaceDeclaration(
                prefix: swiftString(current.pointee.prefix),
                uri: swiftString(current.pointee.href) ?? ""))
            declaration = current.pointee.next
        }
        return result
    }

    static func line(of node: xmlNodePtr) -> Int {
        Int(xmlGetLineNo(node))
    }

    static func value(of attribute: xmlAttrPtr) -> String {
        guard let first = attribute.pointee.children else { return "" }
        if first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE {
            return swiftString(first.pointee.content) ?? ""
        }
        guard let joined = xmlNodeListGetString(attribute.pointee.doc, first, 1) else { return "" }
        defer { knot_xml_free(joined) }
        return String(cString: joined)
    }
}
