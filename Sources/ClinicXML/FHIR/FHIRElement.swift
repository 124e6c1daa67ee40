import Foundation
import ClinicModel
import LibXML

/// What the FHIR reader reads of one element: the same answers from a copied `XMLElement` and
/// from an `XMLElementCursor` read in place, so one reader maps either (the cursor in `read`,
/// the copied tree where a test compares the two).
///
/// Only what `FHIRReferralReader`, the rules and the mapper ask; each conformance is the type's
/// own API (the narrative's children as `NarrativeElement`, shared with the CDA reader). Equality
/// is the element's identity within its document.
protocol FHIRElement: NarrativeElement, Equatable {
    /// Local name, without prefix.
    var name: String { get }
    /// Namespace URI, nil when the element is in no namespace.
    var namespace: String? { get }
    /// 1-based line of the start tag, 0 when unknown.
    var line: Int { get }
    /// Where the element is ("/Bundle/entry[2]/resource/Patient").
    var path: String { get }
    /// Child elements only, in document order.
    var elements: [Self] { get }
    /// Value of the attribute with this local name and namespace (nil: an unprefixed attribute).
    func attribute(_ name: String, namespace: String?) -> String?
    /// The FHIR children named `name`, in document order.
    func fhirChildren(_ name: String) -> [Self]
    /// The first FHIR child named `name`.
    func fhirChild(_ name: String) -> Self?
    /// `IncomingPatientCheck.check` for this kind of element.
    static func checkIncomingPatient(_ patient: inout Patient, file: String?, warnings: inout [String],
                                     refusals: inout [ClinicXMLError], element: (_ field: String) -> Self)
}

extension XMLElement: FHIRElement {
    static func checkIncomingPatient(_ patient: inout Patient, file: String?, warnings: inout [String],
                                     refusals: inout [ClinicXMLError], element: (_ field: String) -> XMLElement) {
        IncomingPatientCheck.check(&patient, file: file, warnings: &warnings, refusals: &refusals, element: element)
    }

    func fhirChildren(_ name: String) -> [XMLElement] {
        elements.filter { $0.name == name && $0.namespace == FHIRCodes.namespace }
    }

    func fhirChild(_ name: String) -> XMLElement? {
        elements.first { $0.name == name && $0.namespace == FHIRCodes.namespace }
    }
}

extension XMLElementCursor: FHIRElement {
    static func checkIncomingPatient(_ patient: inout Patient, file: String?, warnings: inout [String],
                                     refusals: inout [ClinicXMLError], element: (_ field: String) -> XMLElementCursor) {
        IncomingPatientCheck.check(&patient, file: file, warnings: &warnings, refusals: &refusals, element: element)
    }

    func fhirChildren(_ name: String) -> [XMLElementCursor] {
        children(named: name, namespace: FHIRCodes.namespace)
    }

    func fhirChild(_ name: String) -> XMLElementCursor? {
        firstChild(named: name, namespace: FHIRCodes.namespace)
    }
}

extension ClinicXMLError {
    /// A rule broken at `element` (its line and path), whichever way the letter is read.
    static func fhirRule<E: FHIRElement>(_ kind: Kind = .ruleBroken, _ message: String, at element: E?, file: String?) -> ClinicXMLError {
        ClinicXMLError(kind: kind, file: file, line: element?.line ?? 0, path: element?.path, message: message)
    }
}
