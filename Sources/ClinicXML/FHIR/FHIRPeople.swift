import Foundation
import ClinicModel
import LibXML

/// The patient and the referrer of a FHIR referral.
enum FHIRPeople {
    // MARK: - Patient

    /// The patient as `Patient` describes them: the official name (else the usual, else the
    /// first not marked old), a usual name with other given names as the preferred name, birth
    /// date, gender, the first mobile (else home, else any) phone, an email, the home address,
    /// and every identifier (IHI, Medicare and DVA by their Australian systems; the NHS number,
    /// an MRN, anything else kept by its system URI).
    static func patient<E: FHIRElement>(_ element: E, warnings: inout [String]) -> Patient {
        let names = element.fhirChildren("name")
        let current = names.filter { $0.fhirValue("use") != "old" }
        let name = current.first { $0.fhirValue("use") == "official" } ?? current.first { $0.fhirValue("use") == "usual" }
            ?? current.first ?? names.first
        var given = name?.fhirValues("given").joined(separator: " ") ?? ""
        var family = name?.fhirValues("family").joined(separator: " ") ?? ""
        if given.isEmpty && family.isEmpty, let text = name?.fhirValue("text") {
            let words = text.split(separator: " ").map(String.init)
            family = words.last ?? ""
            given = words.dropLast().joined(separator: " ")
            warnings.append("The patient's name is written as plain text (\"\(text)\"); read as given name \"\(given)\", family name \"\(family)\": check it")
        }
        let preferred = names.first { ["usual", "nickname"].contains($0.fhirValue("use") ?? "") && $0 != name }
            .map { $0.fhirValues("given").joined(separator: " ") }
            .flatMap { $0.isEmpty || $0 == given ? nil : $0 }

        var dateOfBirth = CDAPatientReader.unknownBirthDate
        let birthDate = element.fhirChild("birthDate")
        if let (date, precision) = FHIRTime.date(birthDate?.fhirValue) {
            dateOfBirth = date
            if precision != .day {
                warnings.append("The patient's birth date is given only as \(birthDate?.fhirValue ?? ""); recorded as \(date): check it")
            }
        } else {
            warnings.append("The letter gives no birth date for the patient; set it before filing")
        }

        let telecoms = element.fhirChildren("telecom")
        return Patient(
            recordNumber: "",
            givenNames: given,
            familyName: family,
            preferredName: preferred,
            dateOfBirth: dateOfBirth,
            sex: sex(element.fhirChild("gender"), warnings: &warnings),
            phone: phone(in: telecoms),
            email: telecoms.first { $0.fhirValue("system") == "email" }?.fhirValue("value"),
            address: address(in: element.fhirChildren("address")),
            identifiers: identifiers(of: element, warnings: &warnings))
    }

    /// Every identifier with a value, de-duplicated, in document order.
    ///
    /// An IHI or Medicare number whose check digit fails was mistyped somewhere: it is kept as
    /// written under its issuer's OID (`PatientIdentifier.checkedForLetter()`), never looked up or
    /// trusted as that system's number, with a warning naming its line.
    static func identifiers<E: FHIRElement>(of element: E, warnings: inout [String]) -> [PatientIdentifier] {
        var result: [PatientIdentifier] = []
        for identifier in element.fhirChildren("identifier") {
            guard let value = identifier.fhirValue("value") else { continue }
            let system = PatientIdentifier.System(rawValue: FHIRCodes.patientIdentifierSystem(identifier.fhirValue("system")))
            let cleaned = [.ihi, .medicare].contains(system) ? value.filter { !$0.isWhitespace } : value
            let (candidate, problem) = PatientIdentifier(system: system, value: cleaned).checkedForLetter()
            if result.contains(candidate) { continue }
            if let problem {
                warnings.append("Patient identifier \(cleaned) \(problem); kept as written under \(candidate.system), not used to match the patient (line \(identifier.fhirChild("value")?.line ?? identifier.line))")
            }
            result.append(candidate)
        }
        return result
    }

    static func sex<E: FHIRElement>(_ element: E?, warnings: inout [String]) -> Sex {
        guard let gender = element?.fhirValue, gender != "unknown" else { return .notStated }
        if gender == "male" { return .male }
        if gender == "female" { return .female }
        warnings.append("The patient's gender '\(gender)' is recorded as not stated; set the patient's sex if it is known (line \(element?.line ?? 0))")
        return .notStated
    }

    /// The first usable phone: mobile, then home, then any other (fax and pager excluded).
    static func phone<E: FHIRElement>(in telecoms: [E]) -> String? {
        let phones = telecoms.filter { ($0.fhirValue("system") ?? "phone") == "phone" }
        let rank: (E) -> Int = { telecom in
            switch telecom.fhirValue("use") {
            case "mobile"?: 0
            case "home"?: 1
            default: 2
            }
        }
        for telecom in phones.enumerated().sorted(by: { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }).map(\.element) {
            if let value = telecom.fhirValue("value"), let phone = CDAPatientReader.telephone("tel:" + value) { return phone }
        }
        return nil
    }

    /// The home address (else the first that is not old) on one line.
    static func address<E: FHIRElement>(in addresses: [E]) -> String? {
        let usable = addresses.filter { $0.fhirValue("use") != "old" }
        return (usable.first { $0.fhirValue("use") == "home" } ?? usable.first)?.fhirAddressLine
    }

    // MARK: - Referrer

    /// Who referred: the requester, as the person (a PractitionerRole's practitioner, a
    /// Practitioner) with their organisation, a provider number and a contact.
    struct Referrer {
        var name: String
        var organisation: String?
        var providerNumber: String?
        var contact: String?
        var isGeneralPractitioner = false
    }

    /// The referrer named by `reference` (a ServiceRequest's requester, a Composition's author);
    /// nil when it names no one. A reference Knot cannot resolve is read from its display.
    static func referrer<E: FHIRElement>(_ reference: E?, from host: E, in resources: FHIRResources<E>,
                         warnings: inout [String]) -> Referrer? {
        guard let reference else { return nil }
        guard let resource = resources.resolve(reference, from: host) else {
            guard let display = reference.fhirValue("display") else { return nil }
            if let target = reference.fhirValue("reference") {
                warnings.append("The referrer '\(target)' is not in the letter; only its name (\(display)) was read, nothing was fetched")
            }
            return Referrer(name: display)
        }
        let element = resource.element
        switch resource.type {
        case "PractitionerRole":
            let practitioner = resources.resolve(element.fhirChild("practitioner"), from: resource.host)
            let organisation = resources.resolve(element.fhirChild("organization"), from: resource.host)
            let personName = practitioner.flatMap { name(of: $0.element) } ?? element.fhirChild("practitioner")?.fhirValue("display")
            let organisationName = organisation?.element.fhirValue("name") ?? element.fhirChild("organization")?.fhirValue("display")
            guard let shown = personName ?? organisationName else { return nil }
            let roles = element.fhirChildren("code") + element.fhirChildren("specialty")
            let isGP = roles.contains { concept in
                concept.fhirHasCode("62247001") || concept.fhirConceptNames.contains { $0.lowercased().contains("general pract") }
            }
            return Referrer(
                name: shown, organisation: personName == nil ? nil : organisationName,
                providerNumber: providerNumber(element.fhirChildren("identifier") + (practitioner?.element.fhirChildren("identifier") ?? [])),
                contact: contact(element.fhirChildren("telecom") + (practitioner?.element.fhirChildren("telecom") ?? [])
                                 + (organisation?.element.fhirChildren("telecom") ?? [])),
                isGeneralPractitioner: isGP)
        case "Practitioner":
            guard let shown = name(of: element) ?? reference.fhirValue("display") else { return nil }
            return Referrer(name: shown, providerNumber: providerNumber(element.fhirChildren("identifier")),
                            contact: contact(element.fhirChildren("telecom")))
        case "Organization":
            guard let shown = element.fhirValue("name") ?? reference.fhirValue("display") else { return nil }
            warnings.append("The referral names an organisation (\(shown)), not a person, as its requester")
            return Referrer(name: shown, organisation: shown, providerNumber: providerNumber(element.fhirChildren("identifier")),
                            contact: contact(element.fhirChildren("telecom")))
        case "Patient", "RelatedPerson":
            guard let shown = name(of: element) ?? reference.fhirValue("display") else { return nil }
            warnings.append("The referral was requested by a \(resource.type == "Patient" ? "patient" : "related person") (\(shown)), not a clinician")
            return Referrer(name: shown, contact: contact(element.fhirChildren("telecom")))
        default:
            guard let display = reference.fhirValue("display") else { return nil }
            warnings.append("The requester is a \(resource.type); read by its display name (\(display))")
            return Referrer(name: display)
        }
    }

    /// A person's name on one line (official, else the first).
    static func name<E: FHIRElement>(of element: E) -> String? {
        let names = element.fhirChildren("name")
        if element.name == "Organization" { return element.fhirValue("name") }
        return (names.first { $0.fhirValue("use") == "official" } ?? names.first)?.fhirNameLine
    }

    /// The provider number among `identifiers`, by `FHIRCodes.providerNumberSystems`, else the first.
    static func providerNumber<E: FHIRElement>(_ identifiers: [E]) -> String? {
        for system in FHIRCodes.providerNumberSystems {
            if let found = identifiers.first(where: { $0.fhirValue("system") == system })?.fhirValue("value") { return found }
        }
        return identifiers.lazy.compactMap { $0.fhirValue("value") }.first
    }

    /// The first phone (work before others), else the first email, as written.
    static func contact<E: FHIRElement>(_ telecoms: [E]) -> String? {
        let phones = telecoms.filter { ($0.fhirValue("system") ?? "phone") == "phone" }
        let phone = (phones.first { $0.fhirValue("use") == "work" } ?? phones.first)?.fhirValue("value")
        return phone ?? telecoms.first { $0.fhirValue("system") == "email" }?.fhirValue("value")
    }
}
