import Foundation
import LibXML

/// What kind of clinical XML a file is, told from its root element and namespace alone.
///
/// The import command and the referral inbox use it to choose a reader before reading a whole
/// file. Detection reads only up to the root start tag, but applies every byte-level safety check
/// of a full parse first (size cap, encoding, no DOCTYPE), so a hostile file is refused here.
public enum DocumentKind: Sendable, Equatable, Hashable {
    /// `clinicRecords` in `urn:knot:records:1`: a Knot clinic export.
    case clinicRecords
    /// `referral` in `urn:knot:referral:1`: Knot's simple referral letter.
    case knotReferral
    /// `ClinicalDocument` in `urn:hl7-org:v3`: an HL7 CDA R2 document (referral letters).
    case cdaDocument
    /// `Bundle` or `ServiceRequest` in `http://hl7.org/fhir`: an HL7 FHIR R4 referral in XML.
    case fhirReferral
    /// `plan` in `urn:knot:plan:1`: a follow-up plan.
    case plan
    /// Anything else, named so the message can say what it was.
    case unknown(root: String, namespace: String?)

    /// The kind of `data`; throws `ClinicXMLError` (`.unreadable`) for what is not XML Knot
    /// will read at all (too large, DOCTYPE, bad encoding, not well-formed before the root).
    public static func detect(_ data: Data, fileName: String?, options: ParseOptions = ParseOptions()) throws(ClinicXMLError) -> DocumentKind {
        var options = options
        if fileName != nil { options.fileName = fileName }
        let root: (name: String, namespace: String?)
        do {
            root = try XMLDocument.sniffRoot(data: data, options: options)
        } catch {
            throw ClinicXMLError.unreadable(error, file: options.fileName)
        }
        return kind(root: root.name, namespace: root.namespace)
    }

    /// The kind for a root element's local name and namespace.
    public static func kind(root: String, namespace: String?) -> DocumentKind {
        switch (root, namespace) {
        case ("clinicRecords", ClinicSchemas.Format.records.namespace): .clinicRecords
        case ("referral", ClinicSchemas.Format.referral.namespace): .knotReferral
        case ("ClinicalDocument", "urn:hl7-org:v3"): .cdaDocument
        case ("Bundle", FHIRCodes.namespace), ("ServiceRequest", FHIRCodes.namespace): .fhirReferral
        case ("plan", ClinicSchemas.Format.plan.namespace): .plan
        default: .unknown(root: root, namespace: namespace)
        }
    }
}

/// A document parsed once, as a tree, with its kind told from the tree's root: a referral
/// reader given it (`KnotReferralReader`, `CDAReferralReader`, `FHIRReferralReader`) reads this
/// tree instead of parsing the bytes again.
///
/// Why: naming a letter's root with `DocumentKind.detect` (a stream reader that screens the
/// whole document) before the reader's own tree parse (which screens it again) was a tenth of
/// the import's reading work for letters of a few kilobytes.
public struct ParsedDocument {
    /// The kind, from the root element's name and namespace (`DocumentKind.kind(root:namespace:)`).
    public let kind: DocumentKind
    /// The tree, parsed with the options given to `DocumentKind.parsed`.
    public let document: XMLDocument
}

extension DocumentKind {
    /// The largest document `parsed` parses whole to tell its kind (1 MiB: letters are a few
    /// kilobytes; a larger file, a clinic export by mistake, is named by `detect`, which reads
    /// only up to its root, before anything parses it whole).
    public static let parsedWholeUpTo = 1 << 20

    /// `data` parsed as a tree (the safety checks of every parse: size cap, encoding, no DOCTYPE,
    /// node counts) and its kind; nil when it is larger than `parsedWholeUpTo` or the parse
    /// refuses it: then `detect` and the reader refuse it, or read it, exactly as they do
    /// without this, with the same words. A document the tree parse accepts is well-formed, so
    /// its root is the one `detect` names.
    public static func parsed(_ data: Data, options: ParseOptions) -> ParsedDocument? {
        guard data.count <= parsedWholeUpTo, let document = try? XMLDocument(data: data, options: options) else { return nil }
        let root = document.rootCursor()
        return ParsedDocument(kind: kind(root: root.name, namespace: root.namespace), document: document)
    }
}
