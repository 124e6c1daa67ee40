internal import CLibXML2
import Foundation

extension XMLDocument {
    /// Removes (and frees) the elements at these places, so that the document can be validated
    /// again without them; the other nodes keep their line numbers.
    ///
    /// A place is the element's position among its parent's child elements at each level from
    /// the root down (`[0, 2]`: the root's first child element's third child element; text and
    /// comments are not counted). An empty place (the root) or one that leads nowhere is ignored;
    /// a place inside another one removed goes with it. `root`, once read, is a copy and does not
    /// change: call this on a document whose `root` you no longer need, or read `root` first.
    public func removeElements(at places: [[Int]]) {
        guard let root = xmlDocGetRootElement(document) else { return }
        let unique = Set(places.filter { !$0.isEmpty })
        let outermost = unique.filter { place in
            !(1..<place.count).contains { unique.contains(Array(place.prefix($0))) }
        }
        var doomed: [xmlNodePtr] = []
        for place in outermost {
            var node: xmlNodePtr? = root
            for position in place {
                node = node.flatMap { Self.childElement(of: $0, at: position) }
            }
            if let node { doomed.append(node) }
        }
        for element in doomed {
            xmlUnlinkNode(element)
            // A cursor may still point into it: then it is freed with the document.
            if cursorsIssued { detachedNodes.append(element) } else { xmlFreeNode(element) }
        }
    }

    /// The child element at `position` among `parent`'s child elements, nil past the end.
    static func childElement(of parent: xmlNodePtr, at position: Int) -> xmlNodePtr? {
        var index = 0
        var node = parent.pointee.children
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE {
                if index == position { return current }
                index += 1
            }
            node = current.pointee.next
        }
        return nil
    }
}
