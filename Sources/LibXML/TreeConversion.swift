internal import CLibXML2

/// Copies libxml2 nodes into `XMLElement` values (the only place that reads `xmlNode` fields).
enum TreeConversion {
    /// The element `node` and its subtree; `path` is the element's own path.
    ///
    /// Recursion is bounded: libxml2 refuses documents nested deeper than 256 levels.
    static func element(_ node: xmlNodePtr, path: String) -> XMLElement {
        var sameNameCount: [String: Int] = [:]
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, let name = swiftString(current.pointee.name) {
                sameNameCount[name, default: 0] += 1
            }
            child = current.pointee.next
        }
        var seen: [String: Int] = [:]
        var children: [XMLNode] = []
        child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let name = swiftString(current.pointee.name) ?? ""
                seen[name, default: 0] += 1
                let step = (sameNameCount[name] ?? 0) > 1 ? "\(name)[\(seen[name]!)]" : name
                children.append(.element(element(current, path: path + "/" + step)))
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
        return shallowElement(node, path: path, children: children)
    }

    /// The element `node` with the given children (its own children are not read).
    static func shallowElement(_ node: xmlNodePtr, path: String, children: [XMLNode] = []) -> XMLElement {
        XMLElement(
            name: swiftString(node.pointee.name) ?? "",
            namespace: swiftString(node.pointee.ns?.pointee.href),
            prefix: swiftString(node.pointee.ns?.pointee.prefix),
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

    private static func value(of attribute: xmlAttrPtr) -> String {
        guard let first = attribute.pointee.children else { return "" }
        if first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE {
            return swiftString(first.pointee.content) ?? ""
        }
        guard let joined = xmlNodeListGetString(attribute.pointee.doc, first, 1) else { return "" }
        defer { knot_xml_free(joined) }
        return String(cString: joined)
    }
}
