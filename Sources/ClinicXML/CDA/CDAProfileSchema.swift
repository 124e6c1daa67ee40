import Foundation
import KnotSchemas
import LibXML

/// Knot's CDA profile schema (`knot-cda-profile-1.xsd`), compiled once per process.
///
/// The profile types only the parts of CDA R2 that Knot reads and leaves the rest open (see
/// the schema's header), so any CDA document a full CDA schema accepts passes it too.
enum CDAProfileSchema {
    static let fileName = "knot-cda-profile-1.xsd"

    private static let compiled: Result<XMLSchema, ClinicXMLError> = {
        do {
            return .success(try XMLSchema(data: SchemaBundle.data(named: fileName), name: fileName))
        } catch {
            return .failure(ClinicXMLError(kind: .unreadable, file: fileName,
                                           message: "the bundled CDA profile schema could not be loaded: \(error)"))
        }
    }()

    /// The compiled profile; throws only when the bundled copy is missing or broken (a packaging fault).
    static func schema() throws(ClinicXMLError) -> XMLSchema {
        try compiled.get()
    }
}
