import Foundation

/// The namespaces, identifier systems and codes a FHIR referral is read by.
enum FHIRCodes {
    /// FHIR's XML namespace.
    static let namespace = "http://hl7.org/fhir"
    /// The narrative's namespace (`text/div`).
    static let xhtmlNamespace = "http://www.w3.org/1999/xhtml"

    /// Australia's Individual Healthcare Identifier.
    static let ihiSystem = "http://ns.electronichealth.net.au/id/hi/ihi/1.0"
    /// Australia's Medicare card number.
    static let medicareSystem = "http://ns.electronichealth.net.au/id/medicare-number"
    /// Australia's Department of Veterans' Affairs file number.
    static let dvaSystem = "http://ns.electronichealth.net.au/id/dva"
    /// England's NHS number.
    static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"

    /// Identifier systems of a referrer, in the order Knot prefers one as the provider number:
    /// the Medicare provider number (what an Australian practice bills against), the HPI-I, the
    /// UK GMC and NMC numbers, the NHS SDS user id, the US NPI.
    static let providerNumberSystems = [
        "http://ns.electronichealth.net.au/id/medicare-provider-number",
        "http://ns.electronichealth.net.au/id/hi/hpii/1.0",
        "https://fhir.hl7.org.uk/Id/gmc-number",
        "https://fhir.hl7.org.uk/Id/nmc-number",
        "https://fhir.nhs.uk/Id/sds-user-id",
        "http://hl7.org/fhir/sid/us-npi",
    ]

    /// The resources a referral bundle's reader knows by name.
    static let practitionerTypes: Set<String> = ["Practitioner", "PractitionerRole", "Organization"]

    /// Bundle types a referral may arrive in. `transaction` and `message` carry the same
    /// resources (Australia's eRequesting posts a transaction) and are read with a warning.
    static let bundleTypes: Set<String> = ["document", "collection"]
    static let bundleTypesWithWarning: Set<String> = ["transaction", "message"]

    /// A patient identifier from a FHIR `Identifier`'s system and value: IHI, Medicare and DVA
    /// by their Australian systems, anything else (the NHS number, an MRN) kept by its system URI.
    static func patientIdentifierSystem(_ system: String?) -> String {
        switch system?.trimmingCharacters(in: .whitespaces) {
        case ihiSystem?: "ihi"
        case medicareSystem?: "medicare"
        case dvaSystem?: "dva"
        case let other?: other.isEmpty ? "unknown" : other
        case nil: "unknown"
        }
    }
}
