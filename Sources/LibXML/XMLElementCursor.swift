internal import CLibXML2

/// One element of a parsed `XMLDocument`, read in place: nothing is copied out of libxml2
/// until a value (a name, an attribute, a text) is asked for.
///
/// The read-only twin of `XMLElement` for readers that visit a document once: the same names,
/// attributes, children, text, line and path as the element `XMLDocument.root` would give, at a
/// fraction of the cost (no tree of Swift values, no path string per element). A cursor keeps
/// its document alive, so it can never point into freed memory; like the document, it belongs to
/// one task (not `Sendable`). Copy what must outlive the reading into plain values. A cursor
/// over a streamed element (`XMLStreamReader.withElementSubtree`) is read inside that call only:
/// the stream frees the subtree as it reads on.
public struct XMLElementCursor {
    let node: xmlNodePtr
    let scope: CursorScope

    init(node: xmlNodePtr, scope: CursorScope) {
        self.node = node
        self.scope = scope
    }

    /// One child of an element, as `XMLNode` has it: adjacent text and CDATA merged into one `.text`.
    public enum Child {
        /// A child element, read in place too.
        case element(XMLElementCursor)
        /// Character data, CDATA sections included (as plain text).
        case text(String)
        /// A comment's text.
        case comment(String)
        /// A processing instruction (`<?target data?>`).
        case processingInstruction(target: String, data: String)
    }

    /// Local name, without prefix.
    public var name: String { swiftString(node.pointee.name) ?? "" }

    /// Namespace URI, nil when the element is in no namespace.
    public var namespace: String? { swiftString(node.pointee.ns?.pointee.href) }

    /// Prefix as written in the document, nil for the default namespace or none.
    public var prefix: String? { swiftString(node.pointee.ns?.pointee.prefix) }

    /// 1-based line of the start tag, 0 when unknown.
    public var line: Int { TreeConversion.line(of: node) }

    /// Where the element is, exactly as `XMLElement.path` says it ("/ClinicalDocument/id[2]"),
    /// computed when asked (for a message) by walking up to the root.
    /// Under a streamed element (`XMLStreamReader.withElementSubtree`), the paths are the stream's
    /// own: the element's path as the stream gave it, then one step per level, numbered as the
    /// stream numbers them ("name" for the first of its name, "name[2]" from the second on).
    public var path: String {
        var steps: [String] = []
        var current = node
        let anchor = scope.anchor
        while current != anchor?.node, let parent = current.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
            steps.append(Self.step(of: current, under: parent, streamed: anchor != nil))
            current = parent
        }
        if let anchor, current == anchor.node {
            return steps.isEmpty ? anchor.path : anchor.path + "/" + steps.reversed().joined(separator: "/")
        }
        steps.append(swiftString(current.pointee.name) ?? "")
        return "/" + steps.reversed().joined(separator: "/")
    }

    /// `name` or `name[n]` when `parent` has several child elements of that local name (every
    /// child counted, those a reader was told to skip included, as `XMLElement` counts them);
    /// `streamed`: numbered as `XMLStreamReader` numbers them, which cannot know of later
    /// siblings ("name" for the first, "name[n]" for the n-th from the second on).
    private static func step(of node: xmlNodePtr, under parent: xmlNodePtr, streamed: Bool) -> String {
        let name = node.pointee.name
        var number = 0, total = 0
        var sibling = parent.pointee.children
        while let current = sibling {
            if current.pointee.type == XML_ELEMENT_NODE, sameCString(current.pointee.name, name) {
                total += 1
                if current == node {
                    number = total
                    if streamed { break }
                }
            }
            sibling = current.pointee.next
        }
        let own = swiftString(name) ?? ""
        if streamed { return number > 1 ? "\(own)[\(number)]" : own }
        return total > 1 ? "\(own)[\(number)]" : own
    }

    /// Value of the attribute with this local name and namespace (nil: an unprefixed attribute).
    public func attribute(_ name: String, namespace: String? = nil) -> String? {
        var attribute = node.pointee.properties
        while let current = attribute {
            if matches(current.pointee.name, name), namespaceMatches(current.pointee.ns, namespace) {
                return TreeConversion.value(of: current)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// Whether the element has this local name and namespace (nil: no namespace), without
    /// copying either out of libxml2.
    public func isNamed(_ name: String, namespace: String?) -> Bool {
        matches(node.pointee.name, name) && namespaceMatches(node.pointee.ns, namespace)
    }

    /// Child elements only, in document order.
    public var elements: [XMLElementCursor] {
        var found: [XMLElementCursor] = []
        forEachChildElement { found.append($0) }
        return found
    }

    /// Child elements with this local name in the same namespace as this element.
    public func children(named name: String) -> [XMLElementCursor] {
        var found: [XMLElementCursor] = []
        let ns = node.pointee.ns
        forEachChildElement { child in
            if matches(child.node.pointee.name, name), sameNamespace(child.node.pointee.ns, ns) { found.append(child) }
        }
        return found
    }

    /// Child elements with this local name and namespace (nil: no namespace).
    public func children(named name: String, namespace: String?) -> [XMLElementCursor] {
        var found: [XMLElementCursor] = []
        forEachChildElement { child in
            if child.isNamed(name, namespace: namespace) { found.append(child) }
        }
        return found
    }

    /// First child element with this local name in the same namespace as this element.
    public func firstChild(named name: String) -> XMLElementCursor? {
        let ns = node.pointee.ns
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, !scope.skips(current),
               matches(current.pointee.name, name), sameNamespace(current.pointee.ns, ns) {
                return XMLElementCursor(node: current, scope: scope)
            }
            child = current.pointee.next
        }
        return nil
    }

    /// First child element with this local name and namespace (nil: no namespace).
    public func firstChild(named name: String, namespace: String?) -> XMLElementCursor? {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, !scope.skips(current),
               matches(current.pointee.name, name), namespaceMatches(current.pointee.ns, namespace) {
                return XMLElementCursor(node: current, scope: scope)
            }
            child = current.pointee.next
        }
        return nil
    }

    /// Every descendant (not this element) with this local name and namespace (nil: no
    /// namespace), in document order; the others are passed over without being read.
    public func descendants(named name: String, namespace: String?) -> [XMLElementCursor] {
        var found: [XMLElementCursor] = []
        collectDescendants(of: node, named: name, namespace: namespace, into: &found)
        return found
    }

    private func collectDescendants(of element: xmlNodePtr, named name: String, namespace: String?, into found: inout [XMLElementCursor]) {
        var child = element.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, !scope.skips(current) {
                if matches(current.pointee.name, name), namespaceMatches(current.pointee.ns, namespace) {
                    found.append(XMLElementCursor(node: current, scope: scope))
                }
                collectDescendants(of: current, named: name, namespace: namespace, into: &found)
            }
            child = current.pointee.next
        }
    }

    /// The first element of this subtree (this element first, then its descendants in document
    /// order) whose unprefixed attribute `attribute` has exactly this value.
    public func firstElement(withAttribute attribute: String, equalTo value: String) -> XMLElementCursor? {
        if self.attribute(attribute) == value { return self }
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, !scope.skips(current),
               let found = XMLElementCursor(node: current, scope: scope).firstElement(withAttribute: attribute, equalTo: value) {
                return found
            }
            child = current.pointee.next
        }
        return nil
    }

    /// Children in document order, as `XMLElement.children` lists them.
    public var children: [Child] {
        var result: [Child] = []
        forEachChild { result.append($0) }
        return result
    }

    /// Calls `body` with each child in document order, as `children` lists them, without
    /// building the list.
    public func forEachChild(_ body: (Child) throws -> Void) rethrows {
        var textRun: String?
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                if let text = textRun { try body(.text(text)) }
                textRun = nil
                // A skipped element still ends a run of text, as when it was there and then left out.
                if !scope.skips(current) { try body(.element(XMLElementCursor(node: current, scope: scope))) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let text = swiftString(current.pointee.content) ?? ""
                textRun = textRun.map { $0 + text } ?? text
            case XML_COMMENT_NODE:
                if let text = textRun { try body(.text(text)) }
                textRun = nil
                try body(.comment(swiftString(current.pointee.content) ?? ""))
            case XML_PI_NODE:
                if let text = textRun { try body(.text(text)) }
                textRun = nil
                try body(.processingInstruction(
                    target: swiftString(current.pointee.name) ?? "",
                    data: swiftString(current.pointee.content) ?? ""))
            default:
                break
            }
            child = current.pointee.next
        }
        if let text = textRun { try body(.text(text)) }
    }

    /// All descendant text (and CDATA) concatenated in document order; comments excluded.
    public var textContent: String {
        guard let first = node.pointee.children else { return "" }
        if first.pointee.next == nil, first.pointee.type == XML_TEXT_NODE || first.pointee.type == XML_CDATA_SECTION_NODE {
            return swiftString(first.pointee.content) ?? ""
        }
        var bytes: [UInt8] = []
        appendText(of: node, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendText(of element: xmlNodePtr, to bytes: inout [UInt8]) {
        var child = element.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
                }
            case XML_ELEMENT_NODE where !scope.skips(current):
                appendText(of: current, to: &bytes)
            default:
                break
            }
            child = current.pointee.next
        }
    }

    /// The subtree as a plain `XMLElement` value (elements the reader skips included).
    public var value: XMLElement {
        TreeConversion.element(node, path: path)
    }

    private func forEachChildElement(_ body: (XMLElementCursor) -> Void) {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, !scope.skips(current) {
                body(XMLElementCursor(node: current, scope: scope))
            }
            child = current.pointee.next
        }
    }

    private func matches(_ cString: UnsafePointer<xmlChar>?, _ string: String) -> Bool {
        guard let cString else { return false }
        // The first bytes settle most look-ups (siblings' names seldom share theirs): two
        // different ASCII bytes differ as strings too, as below.
        if let first = string.utf8.first, first < 0x80, cString[0] < 0x80, cString[0] != first { return false }
        var string = string
        // nil: the bytes differ first where one side is not ASCII, so canonical equivalence
        // decides. Where both are ASCII (or one has ended), the two differ as Swift strings too:
        // an ASCII character is a starter no decomposition or reordering can move or remove.
        let same: Bool? = string.withUTF8 { bytes in
            for index in 0..<bytes.count {
                let byte = cString[index]
                if byte == 0 || byte != bytes[index] {
                    return byte < 0x80 && bytes[index] < 0x80 ? false : nil
                }
            }
            let rest = cString[bytes.count]
            return rest == 0 ? true : (rest < 0x80 ? false : nil)
        }
        // Swift compares strings by canonical equivalence (a Kelvin sign equals "K"): so must we.
        return same ?? (swiftString(cString) == string)
    }

    /// Whether two elements' namespaces are the same as `XMLElement` compares them (by URI; a
    /// namespace without a URI counts as none), without copying either URI out of libxml2 (an
    /// element and its children nearly always share one declaration).
    private func sameNamespace(_ a: xmlNsPtr?, _ b: xmlNsPtr?) -> Bool {
        if a == b { return true }
        return sameCString(a?.pointee.href, b?.pointee.href)
    }

    /// As `XMLElement` compares namespaces: a namespace without a URI counts as none.
    private func namespaceMatches(_ ns: xmlNsPtr?, _ namespace: String?) -> Bool {
        let href = ns?.pointee.href
        guard let namespace else { return href == nil }
        return matches(href, namespace)
    }
}

@available(*, unavailable, message: "a cursor reads its document in place: read it on one task")
extension XMLElementCursor: Sendable {}

/// What every cursor of one reading shares: the document (kept alive by it) and the elements
/// the reader was told to skip.
final class CursorScope {
    /// What keeps the nodes alive: the document, or the stream whose subtree is being read.
    private let owner: AnyObject
    private let skipped: Set<xmlNodePtr>
    /// The streamed element the cursors are under, with its path as the stream gave it (nil
    /// for a whole document).
    let anchor: (node: xmlNodePtr, path: String)?

    init(document: XMLDocument, skipped: Set<xmlNodePtr>) {
        owner = document
        self.skipped = skipped
        anchor = nil
    }

    /// For the subtree of a streamed element at `node`, whose path is `path`.
    init(stream: XMLStreamReader, node: xmlNodePtr, path: String) {
        owner = stream
        skipped = []
        anchor = (node, path)
    }

    /// Whether the reader was told to skip any element.
    var skipsAny: Bool { !skipped.isEmpty }

    @inline(__always)
    func skips(_ node: xmlNodePtr) -> Bool {
        !skipped.isEmpty && skipped.contains(node)
    }
}

/// Whether two libxml2 strings are equal as Swift strings (names from one document often share
/// the dictionary's pointer).
func sameCString(_ a: UnsafePointer<xmlChar>?, _ b: UnsafePointer<xmlChar>?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if a == b { return true }
    if strcmp(UnsafeRawPointer(a).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(b).assumingMemoryBound(to: CChar.self)) == 0 {
        return true
    }
    // Swift compares strings by canonical equivalence (a Kelvin sign equals "K"): so must we.
    return (!isASCII(a) || !isASCII(b)) && swiftString(a) == swiftString(b)
}

/// Whether a libxml2 string is all ASCII.
func isASCII(_ string: UnsafePointer<xmlChar>) -> Bool {
    var index = 0
    while string[index] != 0 {
        if string[index] >= 0x80 { return false }
        index += 1
    }
    return true
}

/// Two cursors are equal when they read the same element of the same parse (identity, not
/// content: two elements written alike are different elements). Within one document this
/// answers as `XMLElement`'s `==` does, which compares paths too.
extension XMLElementCursor: Equatable {
    public static func == (lhs: XMLElementCursor, rhs: XMLElementCursor) -> Bool {
        lhs.node == rhs.node
    }
}
