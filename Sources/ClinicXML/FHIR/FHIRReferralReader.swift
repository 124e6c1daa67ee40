import Foundation
import ClinicModel
import LibXML

/// Reads an HL7 FHIR R4 referral in XML (`http://hl7.org/fhir`) into an `IncomingReferral`.
///
/// Two shapes arrive: a `Bundle` (type document or collection; transaction and message are read
/// with a warning) holding a `ServiceRequest` and the resources it points to (Australia's
/// eRequesting, England's e-Referral Service), or a `ServiceRequest` alone with its resources
/// `contained`. In order, as for every reader: the bytes are parsed safely (size and node caps,
/// no DOCTYPE, no network); the root must be `Bundle` or `ServiceRequest` in the FHIR namespace;
/// the document must be valid against Knot's FHIR profile (`knot-fhir-referral-1.xsd`); then the
/// rules of `FHIRRules` (a ServiceRequest, its subject a Patient with a name and a birth date or
/// identifier, narrative only in `text/div`). Any failure refuses the whole letter, naming the
/// file, line and element path; past those checks oddities become warnings. What Knot reads is
/// listed in `FHIRReferralMapper`; everything else stays in `referral.originalLetter`, the exact
/// input bytes, with their SHA-256.
public enum FHIRReferralReader {
    /// Reads `data` (the letter's bytes, kept verbatim as the original).
    ///
    /// - Parameters:
    ///   - data: the letter as received.
    ///   - fileName: shown in messages (overrides `options.fileName`).
    ///   - options: the parser's limits (size, depth, counts) and the name used in messages.
    ///   - today: the referral date used, with a warning, when the letter gives none.
    ///   - parsed: `data` already parsed with `options` (`DocumentKind.parsed`), read instead of parsing it again.
    /// - Throws: `ClinicXMLErrors` naming the file, line and path of every problem.
    public static func read(_ data: Data, fileName: String?, options: ParseOptions = ParseOptions(),
                            today: LocalDate = .today(), parsed: XMLDocument? = nil) throws(ClinicXMLErrors) -> IncomingReferral {
        try read(data, fileName: fileName, options: options, today: today, inPlace: true, parsed: parsed)
    }

    /// As above; `inPlace` false maps the copied tree (`document.root`) instead of reading
    /// libxml2's tree in place (`document.rootCursor()`), for the test that compares the two.
    static func read(_ data: Data, fileName: String?, options: ParseOptions, today: LocalDate,
                     inPlace: Bool, parsed: XMLDocument? = nil) throws(ClinicXMLErrors) -> IncomingReferral {
        var options = options
        let document = try XMLDocument.letter(data, fileName: fileName, options: &options, parsed: parsed)
        let file = options.fileName
        // Read in place (no copy of the tree); `document.root`, a copy, only for a problem's path.
        let root = document.rootCursor()
        guard root.isNamed("Bundle", namespace: FHIRCodes.namespace) || root.isNamed("ServiceRequest", namespace: FHIRCodes.namespace) else {
            let found = root.namespace.map { "\(root.name) in namespace \($0)" } ?? "\(root.name) in no namespace"
            throw ClinicXMLErrors([.rule(.unknownFormat,
                "not a FHIR referral: the root is \(found); a FHIR referral's root is Bundle or ServiceRequest in \(FHIRCodes.namespace)",
                at: root, file: file)])
        }

        do {
            try document.validate(against: FHIRProfileSchema.schema())
        } catch {
            let converted = ClinicXMLErrors(converting: error, file: file)
            let copied = document.root
            throw ClinicXMLErrors(converted.errors.map { issue in
                var issue = issue
                issue.message = issue.message.replacingOccurrences(of: "{\(FHIRCodes.namespace)}", with: "")
                if issue.path == nil, issue.line > 0 {
                    issue.path = element(atLine: issue.line, named: elementName(in: issue.message), under: copied)?.path
                }
                return issue
            })
        }

        if inPlace {
            return try map(root, original: data, file: file, today: today)
        }
        return try map(document.root, original: data, file: file, today: today)
    }

    /// The rules and the mapping, over the letter read in place or copied.
    private static func map<E: FHIRElement>(_ root: E, original data: Data, file: String?,
                                            today: LocalDate) throws(ClinicXMLErrors) -> IncomingReferral {
        let resources = FHIRResources(root: root)
        var warnings: [String] = []
        let parts = try FHIRRules.check(root, resources: resources, file: file, warnings: &warnings)
        var mapper = FHIRReferralMapper(root: root, resources: resources, parts: parts, file: file, today: today, warnings: warnings)
        return try mapper.incomingReferral(original: data)
    }

    /// The local name in a libxml2 message ("Element '{http://hl7.org/fhir}birthDate', attribute...").
    private static func elementName(in message: String) -> String? {
        guard let start = message.range(of: "Element '") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        let qualified = rest[..<end]
        return qualified.split(separator: "}").last.map(String.init)
    }

    /// The element starting on `line` (the one named `name` when several do).
    private static func element(atLine line: Int, named name: String?, under root: XMLElement) -> XMLElement? {
        var candidates: [XMLElement] = []
        var pending = [root]
        while let next = pending.popLast() {
            if next.line == line { candidates.append(next) }
            if next.line <= line { pending.append(contentsOf: next.elements.reversed()) }
        }
        return candidates.first { $0.name == name } ?? candidates.first
    }
}

/// What a FHIR referral must have for Knot to file it, beyond what the profile schema says.
///
/// The bundle is a document or a collection (a transaction or a message with a warning); it
/// holds a ServiceRequest (the first is read when there are several); the ServiceRequest's
/// subject is a Patient in the document (or, with a warning, the only Patient there is) with a
/// name and a birth date or an identifier; a narrative's content is an XHTML `div`.
enum FHIRRules {
    /// The resources the rules found: the referral and its patient.
    struct Parts<E: FHIRElement> {
        let serviceRequest: FHIRResource<E>
        let patient: FHIRResource<E>
    }

    static func check<E: FHIRElement>(_ root: E, resources: FHIRResources<E>, file: String?,
                                      warnings: inout [String]) throws(ClinicXMLErrors) -> Parts<E> {
        var broken: [ClinicXMLError] = []
        if root.name == "Bundle" {
            let typeElement = root.fhirChild("type")
            switch typeElement?.fhirValue {
            case let type? where FHIRCodes.bundleTypes.contains(type):
                break
            case let type? where FHIRCodes.bundleTypesWithWarning.contains(type):
                warnings.append("The bundle is a \(type), not a document or collection; its resources are read as a referral all the same")
            case let type?:
                broken.append(.fhirRule(.ruleBroken, "Bundle/type is '\(type)': a referral bundle is a document or a collection", at: typeElement, file: file))
            case nil:
                broken.append(.fhirRule(.ruleBroken, "Bundle/type is missing: a referral bundle is a document or a collection", at: root, file: file))
            }
        }

        // Narrative: status and an XHTML div, nothing else.
        for resource in resources.all {
            guard let text = resource.element.fhirChild("text") else { continue }
            let content = text.elements.filter { !($0.isFHIR && ["status", "extension"].contains($0.name)) }
            let divs = content.filter { $0.name == "div" && $0.namespace == FHIRCodes.xhtmlNamespace }
            if divs.count != 1 || content.count != 1 {
                let at = content.first { !divs.contains($0) } ?? text
                broken.append(.fhirRule(.ruleBroken, "\(resource.type)/text: a narrative holds one XHTML div (text/div in \(FHIRCodes.xhtmlNamespace)) and nothing else", at: at, file: file))
            }
        }

        let requests = resources.topLevel.filter { $0.name == "ServiceRequest" }
        guard let request = requests.first else {
            broken.append(.fhirRule(.ruleBroken, "the bundle holds no ServiceRequest: a FHIR referral is a ServiceRequest (Bundle/entry/resource/ServiceRequest)", at: root, file: file))
            throw ClinicXMLErrors(broken)
        }
        if requests.count > 1 {
            warnings.append("The bundle holds \(requests.count) ServiceRequests; the first (line \(request.line)) is read, the others stay in the original letter")
        }
        let serviceRequest = FHIRResource(element: request, host: request)

        // The patient: the subject, else the only Patient in the document.
        let subject = request.fhirChild("subject")
        var patient = resources.resolve(subject, from: request)
        if let found = patient, found.type != "Patient" {
            broken.append(.fhirRule(.ruleBroken, "ServiceRequest/subject points to a \(found.type), not a Patient: Knot files referrals for patients", at: subject, file: file))
            throw ClinicXMLErrors(broken)
        }
        if patient == nil {
            let patients = resources.all(["Patient"])
            let named = subject?.fhirValue("reference").map { "'\($0)'" } ?? "no reference"
            if patients.count == 1 {
                patient = patients[0]
                warnings.append("ServiceRequest/subject (\(named)) is not resolved within the letter; the letter's only Patient is read as the patient")
            } else {
                let why = patients.isEmpty ? "the letter holds no Patient" : "the letter holds \(patients.count) Patients and the subject names none of them"
                broken.append(.fhirRule(.ruleBroken, "ServiceRequest/subject (\(named)) is not a Patient in the letter (\(why)): a referral must name its patient", at: subject ?? request, file: file))
                throw ClinicXMLErrors(broken)
            }
        }
        guard let patient else { throw ClinicXMLErrors(broken) }

        let element = patient.element
        let names = element.fhirChildren("name")
        if !names.contains(where: { !$0.fhirValues("family").isEmpty || !$0.fhirValues("given").isEmpty || $0.fhirValue("text") != nil }) {
            broken.append(.fhirRule(.ruleBroken, "the patient has no name: a referral needs the patient's given or family name (Patient/name)", at: names.first ?? element, file: file))
        }
        let birth = FHIRTime.date(element.fhirValue("birthDate"))
        let identifiers = element.fhirChildren("identifier").filter { $0.fhirValue("value") != nil }
        if birth == nil && identifiers.isEmpty {
            broken.append(.fhirRule(.ruleBroken, "the patient has neither a birth date (Patient/birthDate) nor an identifier (Patient/identifier): Knot cannot tell who this is", at: element, file: file))
        }
        if !broken.isEmpty { throw ClinicXMLErrors(broken) }
        return Parts(serviceRequest: serviceRequest, patient: patient)
    }
}
