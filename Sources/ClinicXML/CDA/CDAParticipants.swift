import Foundation
import LibXML

/// The referrer (the document's author) and the intended recipient of a CDA letter.
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

    /// The author's person name, else the organisation's name, else nil.
    static func name(of assignedAuthor: XMLElement) -> String? {
        if let person = assignedAuthor.cdaChild("assignedPerson"),
           let name = CDAPersonName.best(in: person.cdaChildren("name")) {
            return name.displayName
        }
        return organisation(of: assignedAuthor)
    }

    /// The referrer from the first author that names someone (a person, else an organisation).
    static func referrer(authors: [XMLElement], warnings: inout [String]) -> Referrer? {
        let named = authors.compactMap { author -> (XMLElement, XMLElement, String)? in
            guard let assigned = author.cdaChild("assignedAuthor"), let name = name(of: assigned) else { return nil }
            return (author, assigned, name)
        }
        let withPerson = named.first { $0.1.cdaChild("assignedPerson").flatMap { CDAPersonName.best(in: $0.cdaChildren("name")) } != nil }
        guard let (author, assigned, name) = withPerson ?? named.first else { return nil }
        if authors.count > 1 {
            warnings.append("The letter has \(authors.count) authors; \(name) is taken as the referrer")
        }
        let code = assigned.cdaChild("code")
        let isGP = code.flatMap { $0.cdaValue("code") }.map(CDACodes.generalPractitionerCodes.contains) ?? false
            || (code?.cdaValue("displayName")?.lowercased().contains("general pract") ?? false)
        return Referrer(
            name: name,
            organisation: organisation(of: assigned),
            providerNumber: providerNumber(of: assigned),
            contact: contact(assigned.cdaChildren("telecom"))
                ?? assigned.cdaChild("representedOrganization").flatMap { contact($0.cdaChildren("telecom")) },
            isGeneralPractitioner: isGP,
            time: author.cdaChild("time")?.cdaValue("value")
        )
    }

    /// `representedOrganization/name`, else the Australian employer organisation
    /// (`assignedPerson/ext:asEmployment/ext:employerOrganization`, whole organisation first).
    static func organisation(of assignedAuthor: XMLElement) -> String? {
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
    static func providerNumber(of assignedAuthor: XMLElement) -> String? {
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
    static func contact(_ telecoms: [XMLElement]) -> String? {
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
    static func recipient(_ informationRecipients: [XMLElement]) -> String? {
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
