internal import CLibXML2
import Foundation

extension XMLDocument {
    /// Removes (and frees) the root's child elements at these positions among its child elements
    /// (0 is the first child element, text and comments not counted), so that the document can
    /// be validated again without them; the other nodes keep their line numbers.
    ///
    /// `root`, once read, is a copy and does not change. Positions past the end are ignored.
    public func removeRootChildElements(at positions: Set<Int>) {
        guard !positions.isEmpty, let root = xmlDocGetRootElement(document) else { return }
        var doomed: [xmlNodePtr] = []
        var position = 0
        var node = root.pointee.children
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE {
                if positions.contains(position) { doomed.append(current) }
                position += 1
            }
            node = current.pointee.next
        }
        for element in doomed {
            xmlUnlinkNode(element)
            xmlFreeNode(element)
        }
    }
}
