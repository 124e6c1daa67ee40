import Foundation
import ClinicModel
import LibXML

/// The referrer (the author, or whoever else the header names) and the intended recipient of a CDA letter.
enum CDAParticipants {
    /// Who wrote the referral, as the referral record keeps it.
    struct Referrer: Sendable, Equatable {
        var name: String
        var organisation: String?
        /// Medicare provider number, else a US NPI.
        var providerNumber: String?
        /// "phone 02 6123 4567; email x@y" from the author's (else the organisation's) telecoms.
        var contact: String?
        /// The author's role code says general practice, so the letter also names the patient's GP.
        var isGeneralPractitioner: Bool
        /// `author/time`, used for the referral date when the document's effectiveTime is null.
        var time: String?
    }

    /// Where in the header the referrer was found, in the order a receiving clinician looks.
    enum Source: Sendable, Equatable {
        /// `author/assignedAuthor/assignedPerson`: the usual case, no warning.
        case author
        case legalAuthenticator
        case authenticator
        /// `participant typeCode="REFB"` (referred by).
        case referredBy
        /// `componentOf/encompassingEncounter/responsibleParty`.
        case responsibleParty
        /// `documentationOf/serviceEvent/performer`.
        case performer
        /// The author's `representedOrganization`: an organisation, not a person.
        case authorOrganisation
        /// `custodian/assignedCustodian/representedCustodianOrganization`.
        case custodian
        /// No one is named anywhere: the referral keeps `Referrer.unnamed`.
        case none

        /// The part of the letter, as the warning names it.
        var described: String {
            switch self {
            case .author: "the author (author/assignedAuthor)"
            case .legalAuthenticator: "the legal authenticator (legalAuthenticator)"
            case .authenticator: "an authenticator (authenticator)"
            case .referredBy: "the referring participant (participant typeCode=\"REFB\")"
            case .responsibleParty: "the encounter's responsible party (componentOf/encompassingEncounter/responsibleParty)"
            case .performer: "a performer of the service (documentationOf/serviceEvent/performer)"
            case .authorOrganisation: "the author's organisation (author/assignedAuthor/representedOrganization)"
            case .custodian: "the custodian organisation (custodian)"
            case .none: "no part of the letter"
            }
        }
    }

    /// The referrer name kept when the letter names no one at all (the patient is still filed).
    static let unnamedReferrer = Referral.unnamedReferrer

    /// The name of the person an assigned role holds (`assignedPerson`, `associatedPerson`), nil when none.
    static func personName(of role: XMLElementCursor) -> String? {
        for tag in ["assignedPerson", "associatedPerson"] {
            if let person = role.cdaChild(tag), let name = CDAPersonName.best(in: person.cdaChildren("name")) {
                return name.displayName
            }
        }
        return nil
    }

    /// The referrer, found the way a receiving clinician looks for who sent the letter.
    ///
    /// A person first: the author when it is a person; else the legal authenticator; else an
    /// authenticator; else a participant with typeCode REFB (referred by); else the encounter's
    /// responsible party; else a performer of the documented service (the primary performer
    /// first). Then an organisation: the author's, else the custodian. Anything but an author who
    /// is a person adds a warning naming the part of the letter used. An author that is a system
    /// (`assignedAuthoringDevice`, often with `id nullFlavor="NI"`) is never the referrer, and a
    /// letter that names no one at all still imports, with `unnamedReferrer` and a warning:
    /// only an unidentifiable patient refuses a letter.
    static func referrer(in root: XMLElementCursor, warnings: inout [String]) -> (Referrer, Source) {
        let authors = root.cdaChildren("author")
        let authorTime = authors.lazy.compactMap { $0.cdaChild("time")?.cdaValue("value") }.first
        let assignedAuthors = authors.compactMap { $0.cdaChild("assignedAuthor") }

        // 1. An author who is a person.
        // The first such author, its name read once (a lazy `first` would read it twice).
        var personAuthor: (XMLElementCursor, XMLElementCursor, String)?
        for author in authors {
            if let assigned = author.cdaChild("assignedAuthor"), let name = personName(of: assigned) {
                personAuthor = (author, assigned, name)
                break
            }
        }
        if let (author, assigned, name) = personAuthor {
            if authors.count > 1 {
                warnings.append("The letter has \(authors.count) authors; \(name) is taken as the referrer")
            }
            return (referrer(name: name, role: assigned, organisation: organisation(of: assigned),
                             time: author.cdaChild("time")?.cdaValue("value") ?? authorTime), .author)
        }

        // 2-6. Another person named in the header.
        let fallbackOrganisation = assignedAuthors.lazy.compactMap(organisation(of:)).first ?? custodianName(in: root)
        let people: [(Source, [XMLElementCursor])] = [
            (.legalAuthenticator, root.cdaChildren("legalAuthenticator")),
            (.authenticator, root.cdaChildren("authenticator")),
            (.referredBy, root.cdaChildren("participant").filter { $0.attribute("typeCode")?.cdaTrimmed == "REFB" }),
            (.responsibleParty, root.cdaChildren("componentOf").flatMap { $0.cdaChildren("encompassingEncounter") }
                .flatMap { $0.cdaChildren("responsibleParty") }),
            (.performer, performers(in: root)),
        ]
        for (source, participations) in people {
            for participation in participations {
                guard let role = participation.cdaChild("assignedEntity") ?? participation.cdaChild("associatedEntity"),
                      let name = personName(of: role) else { continue }
                let own = role.cdaFirst("representedOrganization", "name")?.cdaText ?? role.cdaFirst("scopingOrganization", "name")?.cdaText
                let found = referrer(name: name, role: role, organisation: own ?? fallbackOrganisation,
                                     time: authorTime ?? participation.cdaChild("time")?.cdaValue("value"))
                warnings.append("\(whyNotAuthor(authors)); the referrer \(name) is taken from \(source.described)")
                return (found, source)
            }
        }

        // 7-8. An organisation.
        if let assigned = assignedAuthors.first(where: { organisation(of: $0) != nil }), let name = organisation(of: assigned) {
            warnings.append("\(whyNotAuthor(authors)) and no other person is named; the referrer is \(name), from \(Source.authorOrganisation.described)")
            return (referrer(name: name, role: assigned, organisation: name, time: authorTime), .authorOrganisation)
        }
        if let custodian = root.cdaFirst("custodian", "assignedCustodian", "representedCustodianOrganization"),
           let name = custodian.cdaChild("name")?.cdaText {
            warnings.append("\(whyNotAuthor(authors)) and no other person is named; the referrer is \(name), from \(Source.custodian.described)")
            return (Referrer(name: name, organisation: name, providerNumber: nil, contact: contact(custodian.cdaChildren("telecom")),
                             isGeneralPractitioner: false, time: authorTime), .custodian)
        }
        warnings.append("\(whyNotAuthor(authors)) and the letter names no other person or organisation"
                        + " (legalAuthenticator, authenticator, participant REFB, responsibleParty, performer, custodian):"
                        + " the referrer is recorded as \"\(unnamedReferrer)\"")
        return (Referrer(name: unnamedReferrer, organisation: nil, providerNumber: nil, contact: nil,
                         isGeneralPractitioner: false, time: authorTime), .none)
    }

    /// The referrer from a role (assignedAuthor, assignedEntity, associatedEntity) that names a person.
    private static func referrer(name: String, role: XMLElementCursor, organisation: String?, time: String?) -> Referrer {
        let code = role.cdaChild("code")
        let isGP = code.flatMap { $0.cdaValue("code") }.map(CDACodes.generalPractitionerCodes.contains) ?? false
            || (code?.cdaValue("displayName")?.lowercased().contains("general pract") ?? false)
        let organisationElement = role.cdaChild("representedOrganization") ?? role.cdaChild("scopingOrganization")
        return Referrer(
            name: name,
            organisation: organisation,
            providerNumber: providerNumber(of: role),
            contact: contact(role.cdaChildren("telecom")) ?? organisationElement.flatMap { contact($0.cdaChildren("telecom")) },
            isGeneralPractitioner: isGP,
            time: time
        )
    }

    /// Why the author is not the referrer, as the warning's first words.
    private static func whyNotAuthor(_ authors: [XMLElementCursor]) -> String {
        guard !authors.isEmpty else { return "The letter has no author" }
        let devices = authors.compactMap { $0.cdaFirst("assignedAuthor", "assignedAuthoringDevice") }
        if let device = devices.first {
            let parts = ["manufacturerModelName", "softwareName"].compactMap { device.cdaChild($0)?.cdaText }
            return "The letter's author is a system" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))") + ", not a person"
        }
        return "The letter's author names no person"
    }

    /// `documentationOf/serviceEvent/performer`, the primary performer (PPRF) first.
    private static func performers(in root: XMLElementCursor) -> [XMLElementCursor] {
        let all = root.cdaChildren("documentationOf").flatMap { $0.cdaChildren("serviceEvent") }.flatMap { $0.cdaChildren("performer") }
        return all.filter { $0.attribute("typeCode")?.cdaTrimmed == "PPRF" } + all.filter { $0.attribute("typeCode")?.cdaTrimmed != "PPRF" }
    }

    /// The custodian organisation's name, nil when it has none.
    static func custodianName(in root: XMLElementCursor) -> String? {
        root.cdaFirst("custodian", "assignedCustodian", "representedCustodianOrganization", "name")?.cdaText
    }

    /// `representedOrganization/name`, else the Australian employer organisation
    /// (`assignedPerson/ext:asEmployment/ext:employerOrganization`, whole organisation first).
    static func organisation(of assignedAuthor: XMLElementCursor) -> String? {
        if let name = assignedAuthor.cdaFirst("representedOrganization", "name")?.cdaText { return name }
        let employers = assignedAuthor.cdaChild("assignedPerson")?.cdaExtensionChildren("asEmployment")
            .flatMap { $0.cdaExtensionChildren("employerOrganization") } ?? []
        for employer in employers {
            if let whole = employer.cdaFirst("asOrganizationPartOf", "wholeOrganization", "name")?.cdaText { return whole }
            if let own = employer.cdaChild("name")?.cdaText { return own }
        }
        return nil
    }

    /// A Medicare provider number (in `id` or `ext:asEntityIdentifier`), else an NPI.
    static func providerNumber(of assignedAuthor: XMLElementCursor) -> String? {
        var ids = assignedAuthor.cdaChildren("id")
        for entity in assignedAuthor.cdaChild("assignedPerson")?.cdaExtensionChildren("asEntityIdentifier") ?? [] {
            ids += entity.cdaExtensionChildren("id")
        }
        for root in [CDACodes.medicareProviderNumberRoot, CDACodes.npiRoot] {
            if let id = ids.first(where: { $0.cdaValue("root") == root }), let value = id.cdaValue("extension") { return value }
        }
        return nil
    }

    /// Telecom URIs as "phone …; fax …; email …", nil when there are none.
    static func contact(_ telecoms: [XMLElementCursor]) -> String? {
        let labels = ["tel": "phone", "fax": "fax", "mailto": "email", "http": "web", "https": "web"]
        let parts = telecoms.compactMap { telecom -> String? in
            guard let value = telecom.cdaValue("value"), let colon = value.firstIndex(of: ":") else { return nil }
            let scheme = value[..<colon].lowercased()
            guard let label = labels[scheme], let rest = String(value[value.index(after: colon)...]).cdaTrimmed else { return nil }
            return label == "web" ? "web \(value)" : "\(label) \(rest)"
        }
        var seen = Set<String>()
        let unique = parts.filter { seen.insert($0).inserted }
        return unique.isEmpty ? nil : unique.joined(separator: "; ")
    }

    /// Each intended recipient as "Name, Organisation", joined by "; ".
    static func recipient(_ informationRecipients: [XMLElementCursor]) -> String? {
        let each = informationRecipients.compactMap { recipient -> String? in
            guard let intended = recipient.cdaChild("intendedRecipient") else { return nil }
            let person = intended.cdaChild("informationRecipient").flatMap { CDAPersonName.best(in: $0.cdaChildren("name")) }?.displayName
            let organisation = intended.cdaFirst("receivedOrganization", "name")?.cdaText
            let parts = [person, organisation].compactMap { $0 }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
        return each.isEmpty ? nil : each.joined(separator: "; ")
    }
}
