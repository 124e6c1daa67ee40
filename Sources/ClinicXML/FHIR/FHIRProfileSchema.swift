import Foundation
import KnotSchemas
import LibXML

/// Knot's FHIR referral profile schema (`knot-fhir-referral-1.xsd`), compiled once per process.
///
/// The profile types the resources and elements Knot reads and keeps FHIR's XML rules (values
/// in `value` attributes, no text content, narrative XHTML in `text/div`) for the rest, so any
/// FHIR R4 XML the official schemas accept passes it too.
enum FHIRProfileSchema {
    static let fileName = "knot-fhir-referral-1.xsd"

    private static let compiled: Result<XMLSchema, ClinicXMLError> = {
        do {
            return .success(try XMLSchema(data: SchemaBundle.data(named: fileName), name: fileName))
        } catch {
            return .failure(ClinicXMLError(kind: .unreadable, file: fileName,
                                           message: "the bundled FHIR profile schema could not be loaded: \(error)"))
        }
    }()

    /// The compiled profile; throws only when the bundled copy is missing or broken (a packaging fault).
    static func schema() throws(ClinicXMLError) -> XMLSchema {
        try compiled.get()
    }
}
