/// One element of a parsed document as a plain Swift value, safe to keep and share.
///
/// Higher layers read clinical documents through this tree and never see libxml2. Names are
/// local names with their namespace URI (prefixes vary between senders and are kept only for
/// messages); `line` and `path` say where the element was, for error messages.
public struct XMLElement: Sendable, Equatable, Hashable {
    /// Local name, without prefix.
    public var name: String
    /// Namespace URI, nil when the element is in no namespace.
    public var namespace: String?
    /// Prefix as written in the document, nil for the default namespace or none.
    public var prefix: String?
    /// Attributes in document order; namespace declarations are not attributes.
    public var attributes: [XMLAttribute]
    /// The `xmlns` / `xmlns:p` declarations written on this element.
    public var namespaceDeclarations: [XMLNamespaceDeclaration]
    /// Children in document order; adjacent text and CDATA are merged into one `.text`.
    public var children: [XMLNode]
    /// 1-based line of the start tag, 0 when unknown.
    public var line: Int
    /// Where the element is, e.g. "/ClinicalDocument/recordTarget[2]/patientRole": local
    /// names, with "[n]" on a step when its parent has several children of that name. In
    /// elements read by `XMLStreamReader` later siblings are not known yet, so "[n]" appears
    /// only from the second sibling of a name on ("recordTarget", "recordTarget[2]").
    public var path: String

    public init(
        name: String,
        namespace: String? = nil,
        prefix: String? = nil,
        attributes: [XMLAttribute] = [],
        namespaceDeclarations: [XMLNamespaceDeclaration] = [],
        children: [XMLNode] = [],
        line: Int = 0,
        path: String = ""
    ) {
        self.name = name
        self.namespace = namespace
        self.prefix = prefix
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.children = children
        self.line = line
        self.path = path
    }

    /// `prefix:name`, or `name` without a prefix.
    public var qualifiedName: String {
        prefix.map { "\($0):\(name)" } ?? name
    }

    /// Child elements only, in document order.
    public var elements: [XMLElement] {
        children.compactMap {
            if case .element(let element) = $0 { return element }
            return nil
        }
    }

    /// Value of the attribute with this local name and namespace (nil: an unprefixed attribute).
    public func attribute(_ name: String, namespace: String? = nil) -> String? {
        attributes.first { $0.name == name && $0.namespace == namespace }?.value
    }

    /// Child elements with this local name in the same namespace as this element.
    public func children(named name: String) -> [XMLElement] {
        children(named: name, namespace: namespace)
    }

    /// Child elements with this local name and namespace (nil: no namespace).
    public func children(named name: String, namespace: String?) -> [XMLElement] {
        var found: [XMLElement] = []
        for case .element(let element) in children where element.name == name && element.namespace == namespace {
            found.append(element)
        }
        return found
    }

    /// First child element with this local name in the same namespace as this element.
    public func firstChild(named name: String) -> XMLElement? {
        firstChild(named: name, namespace: namespace)
    }

    /// First child element with this local name and namespace (nil: no namespace).
    public func firstChild(named name: String, namespace: String?) -> XMLElement? {
        for case .element(let element) in children where element.name == name && element.namespace == namespace {
            return element
        }
        return nil
    }

    /// All descendant text (and CDATA) concatenated in document order; comments excluded.
    public var textContent: String {
        // No children, or one text (most leaf elements): nothing to walk or join.
        if children.isEmpty { return "" }
        if children.count == 1, case .text(let text) = children[0] { return text }
        var result = ""
        var pending: [ArraySlice<XMLNode>] = [children[...]]
        while var nodes = pending.popLast() {
            guard let node = nodes.popFirst() else { continue }
            pending.append(nodes)
            switch node {
            case .text(let text):
                result += text
            case .element(let element):
                pending.append(element.children[...])
            case .comment, .processingInstruction:
                break
            }
        }
        return result
    }
}

/// One attribute of an element.
public struct XMLAttribute: Sendable, Equatable, Hashable {
    /// Local name, without prefix.
    public var name: String
    /// Namespace URI; nil for unprefixed attributes (they are in no namespace).
    public var namespace: String?
    /// Prefix as written, nil when unprefixed.
    public var prefix: String?
    public var value: String

    public init(name: String, namespace: String? = nil, prefix: String? = nil, value: String) {
        self.name = name
        self.namespace = namespace
        self.prefix = prefix
        self.value = value
    }
}

/// A namespace declaration written on an element (`xmlns="uri"` or `xmlns:prefix="uri"`).
///
/// Kept because some attribute values are QNames (`xsi:type="cda:CD"`) whose prefix must be
/// resolved against the declarations in scope.
public struct XMLNamespaceDeclaration: Sendable, Equatable, Hashable {
    /// nil for the default namespace.
    public var prefix: String?
    public var uri: String

    public init(prefix: String?, uri: String) {
        self.prefix = prefix
        self.uri = uri
    }
}

/// One child of an element.
public enum XMLNode: Sendable, Equatable, Hashable {
    case element(XMLElement)
    /// Character data, CDATA sections included (as plain text).
    case text(String)
    case comment(String)
    case processingInstruction(target: String, data: String)
}
