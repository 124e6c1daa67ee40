import Foundation
import ClinicModel
import LibXML

/// Reads a Knot referral letter (`urn:knot:referral:1`) into an `IncomingReferral`.
///
/// The letter is parsed with LibXML's safe options (no DOCTYPE, size cap), validated against the
/// bundled `knot-referral-1.xsd`, then mapped: the patient as the letter describes them (with no
/// record number yet: one is given when the letter is filed), the referral with its sections,
/// and the needling alerts its medications and allergies propose. The letter is kept byte for
/// byte with its SHA-256, since the original is part of the record.
///
/// A contact detail or identifier that the model would refuse (a malformed IHI or phone number)
/// does not refuse the letter: it is left out with a warning, since the letter still has to be
/// filed. A date of birth in the future, an expiry before the referral date or a referral dated
/// in the future do refuse it (`.clinicalValue`).
public enum KnotReferralReader {
    /// Reads `data`; throws `ClinicXMLErrors` naming the file and line of every problem found.
    ///
    /// - Parameters:
    ///   - data: the letter as received.
    ///   - fileName: shown in messages (overrides `options.fileName`).
    ///   - options: the parser's limits (size, depth, counts) and the name used in messages.
    ///   - today: the day to check dates against (injectable for tests).
    ///   - parsed: `data` already parsed with `options` (`DocumentKind.parsed`), read instead of parsing it again.
    public static func read(_ data: Data, fileName: String?, options: ParseOptions = ParseOptions(),
                            today: LocalDate = .today(), parsed: XMLDocument? = nil) throws(ClinicXMLErrors) -> IncomingReferral {
        var options = options
        if let fileName { options.fileName = fileName }
        let file = options.fileName
        let root: XMLElementCursor
        do {
            let document = try parsed ?? XMLDocument(data: data, options: options)
            let format = ClinicSchemas.Format.referral
            // Read in place: no copy of the tree.
            let cursor = document.rootCursor()
            guard cursor.isNamed(format.rootElement, namespace: format.namespace) else {
                throw ClinicXMLError.rule(.unknownFormat,
                    "not a Knot referral letter: the root is '\(cursor.name)' in namespace '\(cursor.namespace ?? "none")' (expected 'referral' in \(format.namespace))",
                    at: cursor, file: file)
            }
            try document.validate(against: ClinicSchemas.schema(format))
            root = cursor
        } catch {
            throw ClinicXMLErrors(converting: error, file: file)
        }
        var letter = LetterMapping(root: root, file: file, today: today)
        return try letter.incomingReferral(original: data)
    }
}

/// The mapping from a valid letter's tree to the model, collecting warnings and refusals.
private struct LetterMapping {
    let root: XMLElementCursor
    let file: String?
    let today: LocalDate
    var warnings: [String] = []
    var refusals: [ClinicXMLError] = []

    init(root: XMLElementCursor, file: String?, today: LocalDate) {
        self.root = root
        self.file = file
        self.today = today
    }

    mutating func incomingReferral(original: Data) throws(ClinicXMLErrors) -> IncomingReferral {
        let patient = readPatient(root.firstChild(named: "patient"))
        let referrer = root.firstChild(named: "referrer")
        let dateElement = root.firstChild(named: "date")
        let date = localDate(dateElement) ?? today
        let expiresElement = root.firstChild(named: "expires")
        let recipient = root.firstChild(named: "recipient").map { r in
            [text(r.firstChild(named: "name")), text(r.firstChild(named: "organisation"))]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }.flatMap { $0.isEmpty ? nil : $0 }
        let medications = listEntries("medications", "medication")
        let allergies = listEntries("allergies", "allergy")

        var sections: [ReferralSection] = []
        let reason = text(root.firstChild(named: "reason")) ?? ""
        sections.append(ReferralSection(kind: "reason", title: "Reason for referral", text: reason))
        if let history = text(root.firstChild(named: "history")), !history.isEmpty {
            sections.append(ReferralSection(kind: "history", title: "History", text: history))
        }
        if !medications.isEmpty {
            sections.append(ReferralSection(kind: "medications", title: "Medications",
                                            text: medications.joined(separator: "\n"),
                                            entries: medications.map { ReferralSection.CodedEntry(text: $0) }))
        }
        if !allergies.isEmpty {
            sections.append(ReferralSection(kind: "allergies", title: "Allergies",
                                            text: allergies.joined(separator: "\n"),
                                            entries: allergies.map { ReferralSection.CodedEntry(text: $0) }))
        }
        if let notes = text(root.firstChild(named: "notes")), !notes.isEmpty {
            sections.append(ReferralSection(kind: "other", title: "Notes", text: notes))
        }

        let expiresOn = localDate(expiresElement)
        if let expiresOn, expiresOn < today, expiresOn >= date {
            warnings.append("the referral expired on \(expiresOn)")
        }
        let referral = Referral(
            patientID: 0,
            referrerName: text(referrer?.firstChild(named: "name")) ?? "",
            referrerOrganisation: nonEmpty(referrer?.firstChild(named: "organisation")),
            referrerProviderNumber: nonEmpty(referrer?.firstChild(named: "providerNumber")),
            referrerContact: nonEmpty(referrer?.firstChild(named: "contact")),
            recipient: recipient,
            date: date,
            expiresOn: expiresOn,
            sessionsAllowed: text(root.firstChild(named: "sessionsAllowed")).flatMap { Int($0) },
            reason: reason,
            format: .knot,
            documentID: root.attribute("id"),
            documentTitle: "Referral",
            sections: sections,
            originalLetter: original,
            originalSHA256: LetterDigest.sha256Hex(original),
            importWarnings: warnings)
        do {
            try referral.validate()
        } catch {
            for violation in error.errors {
                let element = switch violation.field {
                case "expiresOn": expiresElement
                case "date": dateElement
                case "sessionsAllowed": root.firstChild(named: "sessionsAllowed")
                default: root
                }
                refusals.append(.rule(.clinicalValue, violation.description, at: element, file: file))
            }
        }
        if !refusals.isEmpty { throw ClinicXMLErrors(refusals) }

        let alerts = ReferralAlertDetector.alerts(medications: medications, allergies: allergies,
                                                  source: "referral \(date)")
        var filed = referral
        filed.letterIdentifiers = patient.identifiers
        filed.letterKey = LetterDigest.letterKey(format: "knot", documentID: referral.documentID, setID: nil, version: nil, data: original)
        return IncomingReferral(patient: patient, referral: filed, proposedAlerts: alerts, warnings: warnings)
    }

    private mutating func readPatient(_ element: XMLElementCursor?) -> Patient {
        let dobElement = element?.firstChild(named: "dateOfBirth")
        var patient = Patient(
            recordNumber: "",
            givenNames: text(element?.firstChild(named: "givenNames")) ?? "",
            familyName: text(element?.firstChild(named: "familyName")) ?? "",
            preferredName: nonEmpty(element?.firstChild(named: "preferredName")),
            dateOfBirth: localDate(dobElement) ?? today,
            sex: text(element?.firstChild(named: "sex")).flatMap(Sex.init(rawValue:)) ?? .notStated,
            address: nonEmpty(element?.firstChild(named: "address")),
            generalPractitioner: nonEmpty(element?.firstChild(named: "generalPractitioner")))

        // Contact details and identifiers the model would refuse are left out, with a warning.
        for (index, identifierElement) in (element?.children(named: "identifier") ?? []).enumerated() {
            let read = PatientIdentifier(
                system: .init(rawValue: identifierElement.attribute("system") ?? ""),
                value: text(identifierElement) ?? "")
            // An IHI or Medicare number whose check digit fails is kept as written under its
            // issuer's OID, never used to match the patient.
            let (identifier, problem) = read.checkedForLetter()
            if let problem {
                warnings.append("patient identifier \(index + 1) (\(read.system)) \(problem); kept as written under \(identifier.system), "
                                + "not used to match the patient (line \(identifierElement.line))")
            }
            do {
                try identifier.validate(field: "identifier")
                patient.identifiers.append(identifier)
            } catch {
                warnings.append("patient identifier \(index + 1) (\(identifier.system)) was left out: "
                                + error.errors.map(\.rule).joined(separator: "; "))
            }
        }
        // One validation decides both: the model's rules on a phone or an email look at that
        // field alone, so the patient with both set shows each one's problems, and the rest.
        let phone = nonEmpty(element?.firstChild(named: "phone"))
        let email = nonEmpty(element?.firstChild(named: "email"))
        var candidate = patient
        candidate.phone = phone
        candidate.email = email
        let found = violations(of: candidate)
        for (field, value) in [("phone", phone), ("email", email)] {
            guard let value else { continue }
            let problems = found.filter { $0.field == field }
            if problems.isEmpty {
                if field == "phone" { patient.phone = value } else { patient.email = value }
            } else {
                warnings.append("the patient's \(field) '\(value)' was left out: " + problems.map(\.rule).joined(separator: "; "))
            }
        }

        // What remains must hold: names and a believable date of birth.
        for violation in found where !["recordNumber", "phone", "email"].contains(violation.field) {
            let at = violation.field == "dateOfBirth" ? dobElement : element
            refusals.append(.rule(.clinicalValue, "patient \(violation.description)", at: at, file: file))
        }
        return patient
    }

    private func violations(of patient: Patient) -> [ValidationError] {
        do {
            try patient.validate(today: today)
            return []
        } catch {
            return error.errors
        }
    }

    private func listEntries(_ list: String, _ entry: String) -> [String] {
        (root.firstChild(named: list)?.children(named: entry) ?? []).compactMap { text($0) }.filter { !$0.isEmpty }
    }

    private func text(_ element: XMLElementCursor?) -> String? {
        element.map { $0.textContent.trimmedWhitespaceAndNewlines }
    }

    private func nonEmpty(_ element: XMLElementCursor?) -> String? {
        text(element).flatMap { $0.isEmpty ? nil : $0 }
    }

    private mutating func localDate(_ element: XMLElementCursor?) -> LocalDate? {
        guard let element, let raw = text(element) else { return nil }
        do {
            return try LocalDate(parsing: raw, field: element.name)
        } catch {
            refusals.append(.rule(.clinicalValue, error.description, at: element, file: file))
            return nil
        }
    }
}
