internal import CLibXML2
import Foundation

/// A W3C XML Schema compiled once and shared read-only by every thread that validates.
///
/// Compiling a large schema takes tens of milliseconds, validating a small document about
/// one, so Knot compiles each bundled schema once. Every validation (whole document or
/// stream) gets its own libxml2 validation context; the compiled schema itself is never
/// written after `init`, which is why it may be shared (`@unchecked Sendable`).
///
/// Schemas must be self-contained: `xs:include`, `xs:import` and `xs:redefine` with a location
/// are refused by the process-wide entity loader, so compiling such a schema fails.
public final class XMLSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr
    /// Name used in messages, e.g. "referral-1.xsd".
    public let name: String

    /// Compiles `data`; throws `XMLErrors` (with lines) when it is not a valid, self-contained schema.
    public init(data: Data, name: String) throws {
        LibXMLRuntime.prepare()
        let screened = try InputScreening.screen(data, options: ParseOptions(fileName: name))
        guard screened.encodingOverride == nil else {
            throw XMLErrors(XMLError(kind: .unsupported, message: "schemas must be UTF-8", file: name))
        }
        let collector = ErrorCollector(fileName: name, genericKind: .unsupported)
        let compiled: xmlSchemaPtr? = collector.capturingThreadErrors {
            screened.data.withUnsafeBytes { raw -> xmlSchemaPtr? in
                let bytes = raw.bindMemory(to: CChar.self)
                guard let parser = xmlSchemaNewMemParserCtxt(bytes.baseAddress, Int32(bytes.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(parser) }
                xmlSchemaSetParserStructuredErrors(parser, collectStructuredError, collector.opaque)
                return xmlSchemaParse(parser)
            }
        }
        if collector.hasIssues {
            if let compiled { xmlSchemaFree(compiled) }
            throw collector.errors(fallback: XMLError(kind: .invalid, message: "the schema could not be compiled", file: name))
        }
        guard let compiled else {
            throw XMLErrors(XMLError(kind: .invalid, message: "the schema could not be compiled", file: name))
        }
        pointer = compiled
        self.name = name
    }

    deinit {
        xmlSchemaFree(pointer)
    }
}
