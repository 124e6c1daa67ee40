/// One step of a streamed document, as returned by `XMLStreamReader.next()`.
///
/// Every `startElement` is matched by an `endElement`, also for empty elements (`<a/>`, whose
/// start carries `isEmpty: true`). Comments and processing instructions are not reported.
public enum XMLStreamEvent: Sendable, Equatable {
    case startElement(name: String, namespace: String?, attributes: [XMLAttribute], line: Int, isEmpty: Bool)
    case endElement(name: String, namespace: String?)
    /// Character data, CDATA and whitespace between elements included; one node at a time
    /// (adjacent events are not merged).
    case text(String)
}
