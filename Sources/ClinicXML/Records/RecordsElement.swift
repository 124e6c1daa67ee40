import LibXML

/// What the records decoder reads of one element: the same answers from a copied `XMLElement`
/// and from an `XMLElementCursor` read in place inside the stream (the import reader's path).
///
/// Only what `RecordsXMLDecoder` and `ElementFields` ask; each conformance is the type's own API.
protocol RecordsElement {
    /// Local name, without prefix.
    var name: String { get }
    /// 1-based line of the start tag, 0 when unknown.
    var line: Int { get }
    /// Where the element is ("/records/patients/patient[3]/visit[2]").
    var path: String { get }
    /// All descendant text concatenated in document order; comments excluded.
    var textContent: String { get }
    /// Child elements only, in document order.
    var elements: [Self] { get }
    /// Value of the attribute with this local name and namespace (nil: an unprefixed attribute).
    func attribute(_ name: String, namespace: String?) -> String?
    /// First child element with this local name in the same namespace as this element.
    func firstChild(named name: String) -> Self?
    /// Child elements with this local name in the same namespace as this element.
    func children(named name: String) -> [Self]
}

extension XMLElement: RecordsElement {}
extension XMLElementCursor: RecordsElement {}

extension RecordsElement {
    /// A rule broken at this element, with its line and path (as `ClinicXMLError.rule(_:_:at:file:)`).
    func rule(_ kind: ClinicXMLError.Kind = .ruleBroken, _ message: String, file: String?) -> ClinicXMLError {
        ClinicXMLError(kind: kind, file: file, line: line, path: path, message: message)
    }
}
