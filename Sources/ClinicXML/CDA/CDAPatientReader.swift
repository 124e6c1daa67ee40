import Foundation
import ClinicModel
import LibXML

/// The patient a CDA letter is about, from `recordTarget/patientRole`.
///
/// Reads every identifier with its system (patientRole and patient ids, the Australian
/// `ext:asEntityIdentifier` and Medicare entitlements), the legal name, birth time,
/// administrative gender, the home address and phone, and an email. The patient is not yet
/// matched to a record: `recordNumber` is empty until the clinic files the letter.
enum CDAPatientReader {
    /// Stands in for a birth date the letter does not give (the rules then require an
    /// identifier). It is outside what `Patient.validate` accepts, so the clinic must set the real
    /// date before the patient is filed; a warning says so.
    static let unknownBirthDate: LocalDate = {
        do { return try LocalDate(year: 1800, month: 1, day: 1) } catch { preconditionFailure("1800-01-01 is a date") }
    }()

    /// The patient's identifiers as `identifiers(patientRole:document:warnings:)` read them,
    /// with the warnings it gave.
    struct Identifiers {
        var identifiers: [PatientIdentifier]
        var warnings: [String]
    }

    /// The patient described by `patientRole` in `document`; `known`: its identifiers, when
    /// already read (`CDARules.check`).
    static func patient(patientRole: XMLElementCursor, document: XMLElementCursor, known: Identifiers? = nil,
                        warnings: inout [String]) -> Patient {
        let patient = patientRole.cdaChild("patient")
        let names = patient?.cdaChildren("name") ?? []
        let name = CDAPersonName.best(in: names)
        let parts = name?.patientParts ?? (given: "", family: "", split: false)
        if let name, parts.split {
            warnings.append("The patient's name is written as plain text (\"\(name.displayName)\"); read as given name \"\(parts.given)\", family name \"\(parts.family)\": check it")
        }
        let preferred = names.compactMap(CDAPersonName.init).first { $0.uses.contains("P") }
            .map { $0.given.joined(separator: " ") }
            .flatMap { $0.isEmpty || $0 == parts.given ? nil : $0 }

        var dateOfBirth = unknownBirthDate
        let birthTime = patient?.cdaChild("birthTime")
        if let (date, precision) = CDATime.date(birthTime?.cdaValue("value")) {
            dateOfBirth = date
            if precision != .day {
                warnings.append("The patient's birth date is given only as \(birthTime?.cdaValue("value") ?? ""); recorded as \(date): check it")
            }
        } else if let written = birthTime?.cdaValue("value") {
            warnings.append("The patient's birth time '\(written)' is not a real calendar date (line \(birthTime?.line ?? 0)); set the birth date before filing")
        } else {
            warnings.append("The letter gives no birth date for the patient; set it before filing")
        }

        // In this order, for the warnings' order: sex, then identifiers.
        let sex = sex(patient?.cdaChild("administrativeGenderCode"), warnings: &warnings)
        let identifiers: [PatientIdentifier]
        if let known {
            identifiers = known.identifiers
            warnings += known.warnings
        } else {
            identifiers = self.identifiers(patientRole: patientRole, document: document, warnings: &warnings)
        }
        return Patient(
            recordNumber: "",
            givenNames: parts.given,
            familyName: parts.family,
            preferredName: preferred,
            dateOfBirth: dateOfBirth,
            sex: sex,
            phone: phone(in: patientRole.cdaChildren("telecom")),
            email: email(in: patientRole.cdaChildren("telecom")),
            address: address(in: patientRole.cdaChildren("addr")),
            identifiers: identifiers
        )
    }

    // MARK: - Identifiers

    /// Every identifier of the patient, de-duplicated, in document order.
    static func identifiers(patientRole: XMLElementCursor, document: XMLElementCursor, warnings: inout [String]) -> [PatientIdentifier] {
        let patient = patientRole.cdaChild("patient")
        var ids = patientRole.cdaChildren("id") + (patient?.cdaChildren("id") ?? [])
        for entity in patient?.cdaExtensionChildren("asEntityIdentifier") ?? [] {
            ids += entity.cdaExtensionChildren("id")
        }
        // Australian entitlements (Medicare, DVA) sit in ext:coverage2/ext:entitlement, usually in
        // the Administrative Observations section; they belong to the patient whose role id they name.
        let roleIDs = Set(patientRole.cdaChildren("id").compactMap { $0.cdaValue("root") })
        for entitlement in document.cdaDescendants("entitlement", namespace: CDACodes.australianExtensionNamespace) {
            let beneficiaries = entitlement.cdaDescendants("participantRole", namespace: CDACodes.australianExtensionNamespace)
                .flatMap { $0.cdaExtensionChildren("id") }.compactMap { $0.cdaValue("root") }
            if beneficiaries.isEmpty || !roleIDs.isDisjoint(with: beneficiaries) {
                ids += entitlement.cdaExtensionChildren("id")
            }
        }
        var result: [PatientIdentifier] = []
        for id in ids {
            guard let read = identifier(id, warnings: &warnings) else { continue }
            // An IHI or Medicare number whose check digit fails was mistyped somewhere: kept as
            // written under its issuer's OID, never looked up or trusted as that system's number.
            let (identifier, problem) = read.checkedForLetter()
            guard !result.contains(identifier) else { continue }
            if let problem {
                warnings.append("Patient identifier \(read.value) \(problem); kept as written under \(identifier.system), not used to match the patient (line \(id.line))")
            }
            result.append(identifier)
        }
        return result
    }

    /// One HL7 `II` as a patient identifier, nil when it is null or names no one.
    ///
    /// IHI: root `1.2.36.1.2001.1003.0.<IHI>` (or that root with the IHI as extension).
    /// Medicare: roots `1.2.36.1.5001.1.0.7` and `.7.1`, or an authority named Medicare.
    /// DVA: an authority name mentioning DVA or Veterans (no OID is relied on).
    /// Anything else with an extension: system = its root (OID/UUID). A root alone is an
    /// identifier by itself: kept as `urn:oid:` or `urn:uuid:` in system `urn:ietf:rfc:3986`.
    static func identifier(_ id: XMLElementCursor, warnings: inout [String]) -> PatientIdentifier? {
        guard !id.cdaIsNull else { return nil }
        let root = id.cdaValue("root")
        let extensionValue = id.cdaValue("extension")
        let authority = id.cdaValue("assigningAuthorityName")?.lowercased() ?? ""
        let hiPrefix = CDACodes.healthcareIdentifierRoot + "."
        let digits: (String) -> String = { $0.filter { $0.isASCII && $0.isNumber } }

        if let root, root.hasPrefix(hiPrefix) || (root == CDACodes.healthcareIdentifierRoot && extensionValue != nil) {
            let number = root == CDACodes.healthcareIdentifierRoot ? digits(extensionValue ?? "") : String(root.dropFirst(hiPrefix.count))
            if number.count == 16 && number.hasPrefix("800360") { return PatientIdentifier(system: .ihi, value: number) }
            warnings.append("Identifier \(number) under the national healthcare identifier root is not an IHI (16 digits starting 800360); kept as written (line \(id.line))")
            return PatientIdentifier(system: .other(CDACodes.healthcareIdentifierRoot), value: number)
        }
        if let value = extensionValue {
            if let root, CDACodes.medicareRoots.contains(root) { return PatientIdentifier(system: .medicare, value: digits(value)) }
            if authority.contains("dva") || authority.contains("veteran") { return PatientIdentifier(system: .dva, value: value) }
            if authority.contains("medicare") && !authority.contains("provider") {
                return PatientIdentifier(system: .medicare, value: digits(value))
            }
            return PatientIdentifier(system: .other(root ?? id.cdaValue("assigningAuthorityName") ?? "unknown"), value: value)
        }
        guard let root else { return nil }
        let isOID = root.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
        let value = isOID ? "urn:oid:\(root)" : "urn:uuid:\(root.lowercased())"
        return PatientIdentifier(system: .other("urn:ietf:rfc:3986"), value: value)
    }

    // MARK: - Sex, contact, address

    static func sex(_ element: XMLElementCursor?, warnings: inout [String]) -> Sex {
        guard let element, !element.cdaIsNull, let code = element.cdaValue("code") else { return .notStated }
        if let raw = CDACodes.administrativeGender[code.uppercased()], let sex = Sex(rawValue: raw) { return sex }
        let shown = element.cdaValue("displayName").map { "\(code) (\($0))" } ?? code
        warnings.append("Administrative gender \(shown) is not an HL7 or AS 5017 code Knot knows; recorded as not stated (line \(element.line))")
        return .notStated
    }

    /// The first usable phone: mobile, then home, then any other (fax numbers excluded).
    static func phone(in telecoms: [XMLElementCursor]) -> String? {
        let phones = telecoms.filter { !$0.cdaIsNull && ($0.cdaValue("value")?.lowercased().hasPrefix("tel:") ?? false) }
        let rank: (XMLElementCursor) -> Int = { telecom in
            let uses = Set((telecom.attribute("use") ?? "").split(separator: " ").map(String.init))
            if uses.contains("MC") { return 0 }
            if !uses.isDisjoint(with: ["HP", "H"]) { return 1 }
            return 2
        }
        for telecom in phones.enumerated().sorted(by: { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }).map(\.element) {
            if let phone = telephone(telecom.cdaValue("value") ?? "") { return phone }
        }
        return nil
    }

    /// A `tel:` URI as a phone number the model accepts (digits, spaces, + - ( )), or nil.
    static func telephone(_ uri: String) -> String? {
        let number = uri.drop { $0 != ":" }.dropFirst()
        let allowed = number.map { ch -> Character in ch.isASCII && (ch.isNumber || " +-()".contains(ch)) ? ch : " " }
        guard let cleaned = String(allowed).cdaCollapsed, cleaned.filter(\.isNumber).count >= 6 else { return nil }
        return cleaned
    }

    static func email(in telecoms: [XMLElementCursor]) -> String? {
        for telecom in telecoms where !telecom.cdaIsNull {
            guard let value = telecom.cdaValue("value"), value.lowercased().hasPrefix("mailto:") else { continue }
            if let address = String(value.dropFirst("mailto:".count)).cdaTrimmed { return address }
        }
        return nil
    }

    /// The home address (else the first) on one line: "street, city state postcode, country".
    static func address(in addresses: [XMLElementCursor]) -> String? {
        let usable = addresses.filter { !$0.cdaIsNull }
        let home = usable.first { !Set(($0.attribute("use") ?? "").split(separator: " ").map(String.init)).isDisjoint(with: ["H", "HP"]) }
        guard let addr = home ?? usable.first else { return nil }
        return CDAPatientReader.formatAddress(addr)
    }

    /// An HL7 `AD` on one line; parts Knot does not place (additionalLocator...) are left out.
    static func formatAddress(_ addr: XMLElementCursor) -> String? {
        let parts = addr.elements.filter { $0.namespace == CDACodes.hl7Namespace }
        let texts: (String) -> [String] = { name in parts.filter { $0.name == name }.compactMap(\.cdaText) }
        var lines = texts("streetAddressLine")
        let street = (texts("houseNumber") + texts("streetName")).joined(separator: " ")
        if !street.isEmpty { lines.append(street) }
        let locality = (texts("city") + texts("state") + texts("postalCode")).joined(separator: " ")
        if !locality.isEmpty { lines.append(locality) }
        lines += texts("country")
        if lines.isEmpty {
            // Unstructured address text.
            let direct = addr.children.compactMap { node -> String? in
                if case .text(let text) = node { return text }
                return nil
            }.joined(separator: " ")
            return direct.cdaCollapsed
        }
        return lines.joined(separator: ", ")
    }
}
