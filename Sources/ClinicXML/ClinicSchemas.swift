import Foundation
import KnotSchemas
import LibXML

/// Knot's own XML schemas, compiled once per process from the copies bundled with Knot.
///
/// Compiling takes tens of milliseconds and a compiled schema is read-only, so each is compiled
/// on first use (a `static let`, which Swift initialises once, thread-safely) and then shared by
/// every validation. The bundled copy is the only source: a document's `xsi:schemaLocation` is
/// never followed.
public enum ClinicSchemas {
    /// A format with a bundled schema.
    public enum Format: String, Sendable, CaseIterable {
        /// `urn:knot:records:1`, root `clinicRecords`: a clinic's export.
        case records = "knot-records-1.xsd"
        /// `urn:knot:referral:1`, root `referral`: Knot's simple referral letter.
        case referral = "knot-referral-1.xsd"
        /// `urn:knot:plan:1`, root `plan`: a follow-up plan.
        case plan = "knot-plan-1.xsd"

        /// The namespace of the format's documents.
        public var namespace: String {
            switch self {
            case .records: "urn:knot:records:1"
            case .referral: "urn:knot:referral:1"
            case .plan: "urn:knot:plan:1"
            }
        }

        /// The local name of the format's root element.
        public var rootElement: String {
            switch self {
            case .records: "clinicRecords"
            case .referral: "referral"
            case .plan: "plan"
            }
        }

        /// The schema's file name in Schemas/.
        public var fileName: String { rawValue }
    }

    /// The compiled schema for `format`; throws `ClinicXMLError` (`.unreadable`) only if the
    /// bundled copy is missing or broken, which is a packaging fault.
    public static func schema(_ format: Format) throws(ClinicXMLError) -> XMLSchema {
        let result: Result<XMLSchema, ClinicXMLError> = switch format {
        case .records: records
        case .referral: referral
        case .plan: plan
        }
        return try result.get()
    }

    private static let records = compile(.records)
    private static let referral = compile(.referral)
    private static let plan = compile(.plan)

    private static func compile(_ format: Format) -> Result<XMLSchema, ClinicXMLError> {
        do {
            let data = try SchemaBundle.data(named: format.fileName)
            return .success(try XMLSchema(data: data, name: format.fileName))
        } catch {
            return .failure(ClinicXMLError(kind: .unreadable, file: format.fileName,
                                           message: "the bundled schema could not be loaded: \(error)"))
        }
    }
}
