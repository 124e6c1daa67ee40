import Foundation
import ClinicModel
import LibXML

/// Maps a FHIR referral that passed the schema and the rules to an `IncomingReferral`.
///
/// What is read, from the ServiceRequest and the resources it points to:
/// - the patient (`FHIRPeople.patient`), with their general practitioner when named;
/// - the referrer: `requester` (PractitionerRole with its Practitioner and Organization, a
///   Practitioner, an Organization), else the Composition's author, with a provider number
///   (`FHIRCodes.providerNumberSystems`) and a contact;
/// - the recipient: `performer`;
/// - the date: `authoredOn`, else the Composition's date, else the Bundle's timestamp;
/// - the validity: `occurrencePeriod.end` (or `occurrenceTiming.repeat.boundsPeriod.end`) as the
///   expiry; the number of sessions from `quantityQuantity` (a whole number, e.g. 6 with unit
///   "sessions"), else `occurrenceTiming.repeat.count`, else phrases in the reason and notes
///   ("6 sessions"), as for CDA letters;
/// - the reason: `reasonCode` and the resources `reasonReference` names (a Condition's code),
///   else the requested service (`code`), else the narrative;
/// - sections: reason, the request (service, category, priority, status, occurrence, body site,
///   instructions), problems (Conditions), medications (MedicationStatement, MedicationRequest,
///   with a referenced Medication), allergies (AllergyIntolerance), notes, the ServiceRequest's
///   narrative and a Composition's sections;
/// - attachments: DocumentReference contents (inline data, or a Binary in the letter) and
///   Binary resources; a link outside the letter is named in a warning and never fetched;
/// - alerts: the active medications and allergies go through `ReferralAlertDetector`; stopped,
///   completed, refuted or resolved ones are listed with their status and propose nothing.
/// Resources about a patient other than the referral's are left out with a warning.
struct FHIRReferralMapper<E: FHIRElement> {
    let root: E
    let resources: FHIRResources<E>
    let parts: FHIRRules.Parts<E>
    let file: String?
    let today: LocalDate
    var warnings: [String]

    init(root: E, resources: FHIRResources<E>, parts: FHIRRules.Parts<E>, file: String?, today: LocalDate, warnings: [String]) {
        self.root = root; self.resources = resources; self.parts = parts; self.file = file; self.today = today
        self.warnings = warnings
    }

    var request: E { parts.serviceRequest.element }
    var host: E { parts.serviceRequest.host }
    var composition: E? { resources.topLevel.first { $0.name == "Composition" } }

    mutating func incomingReferral(original: Data) throws(ClinicXMLErrors) -> IncomingReferral {
        // Patient.
        var patient = FHIRPeople.patient(parts.patient.element, warnings: &warnings)
        if let gp = parts.patient.element.fhirChildren("generalPractitioner").first {
            var ignored: [String] = []
            let named = FHIRPeople.referrer(gp, from: parts.patient.host, in: resources, warnings: &ignored)
            patient.generalPractitioner = named.map { doctor in
                guard let organisation = doctor.organisation, organisation != doctor.name else { return doctor.name }
                return "\(doctor.name), \(organisation)"
            }
        }

        // Referrer.
        var referrer = FHIRPeople.referrer(request.fhirChild("requester"), from: host, in: resources, warnings: &warnings)
        if referrer == nil, let composition {
            for author in composition.fhirChildren("author") {
                referrer = FHIRPeople.referrer(author, from: composition, in: resources, warnings: &warnings)
                if referrer != nil {
                    warnings.append("The ServiceRequest names no requester; the referrer is the document's author")
                    break
                }
            }
        }
        guard let referrer else {
            let at = request.fhirChild("requester") ?? request
            throw ClinicXMLErrors([.fhirRule(.ruleBroken,
                "the referral names no referrer: ServiceRequest/requester must point to a Practitioner, PractitionerRole or Organization in the letter, or give its display name",
                at: at, file: file)])
        }
        if referrer.isGeneralPractitioner, patient.generalPractitioner == nil {
            patient.generalPractitioner = referrer.organisation.map { "\(referrer.name), \($0)" } ?? referrer.name
        }

        // Date.
        let date = referralDate()

        // Reason.
        var reasonLines = request.fhirChildren("reasonCode").compactMap(\.fhirConceptText)
        var reasonEntries = request.fhirChildren("reasonCode").flatMap(\.fhirCodedEntries)
        for reference in request.fhirChildren("reasonReference") {
            if let resolved = resources.resolve(reference, from: host),
               let text = resolved.element.fhirChild("code")?.fhirConceptText {
                reasonLines.append(text)
                reasonEntries += resolved.element.fhirChild("code")?.fhirCodedEntries ?? []
            } else if let display = reference.fhirValue("display") {
                reasonLines.append(display)
            }
        }
        let narrative = FHIRNarrative.text(of: request.fhirChild("text")?.elements.first { $0.namespace == FHIRCodes.xhtmlNamespace })
        let service = request.fhirChild("code")?.fhirConceptText
        var reason = reasonLines.joined(separator: "\n")
        if reason.isEmpty {
            reason = service.map { "Referral for \($0)" } ?? narrative
        }
        if reason.isEmpty { warnings.append("The referral gives no reason (ServiceRequest/reasonCode or reasonReference)") }

        var sections = [ReferralSection(kind: "reason", title: "Reason for referral", text: reason, entries: reasonEntries)]
        sections.append(ReferralSection(kind: "other", title: "Request", text: requestLines().joined(separator: "\n"),
                                        entries: request.fhirChild("code")?.fhirCodedEntries ?? []))

        // Clinical lists.
        let problems = conditions()
        if !problems.lines.isEmpty {
            sections.append(ReferralSection(kind: "problems", title: "Problems", text: problems.lines.joined(separator: "\n"), entries: problems.entries))
        }
        let medications = medicationList()
        if !medications.lines.isEmpty {
            sections.append(ReferralSection(kind: "medications", title: "Medications", text: medications.lines.joined(separator: "\n"), entries: medications.entries))
        }
        let allergies = allergyList()
        if !allergies.lines.isEmpty {
            sections.append(ReferralSection(kind: "allergies", title: "Allergies", text: allergies.lines.joined(separator: "\n"), entries: allergies.entries))
        }
        let notes = (request.fhirChildren("note").compactMap { $0.fhirValue("text") }
                     + [request.fhirValue("patientInstruction")].compactMap { $0.map { "For the patient: \($0)" } })
        if !notes.isEmpty {
            sections.append(ReferralSection(kind: "other", title: "Notes", text: notes.joined(separator: "\n")))
        }
        if !narrative.isEmpty {
            sections.append(ReferralSection(kind: "other", title: "Narrative", text: narrative))
        }
        sections += compositionSections()
        let attached = attachments()
        if !attached.lines.isEmpty {
            sections.append(ReferralSection(kind: "other", title: "Attachments", text: attached.lines.joined(separator: "\n")))
        }

        // Validity.
        let (expiresOn, sessions) = validity(date: date, texts: [reason] + notes)

        // Alerts.
        let alerts = ReferralAlertDetector.alerts(medications: medications.active, allergies: allergies.active, source: "referral \(date)")
            .map { alert -> PatientAlert in
                var alert = alert
                alert.status = .proposed
                return alert
            }

        // The model's own rules: drop what can be dropped safely, refuse the rest.
        var refusals: [ClinicXMLError] = []
        let patientElement = parts.patient.element
        E.checkIncomingPatient(&patient, file: file, warnings: &warnings, refusals: &refusals) { field in
            (field == "dateOfBirth" ? patientElement.fhirChild("birthDate") : nil) ?? patientElement
        }

        let documentID = documentIdentifier()
        let codeElement = composition?.fhirChild("type") ?? request.fhirChildren("category").first
        var referral = Referral(
            patientID: 0, referrerName: referrer.name, referrerOrganisation: referrer.organisation,
            referrerProviderNumber: referrer.providerNumber, referrerContact: referrer.contact,
            recipient: recipient(), date: date, expiresOn: expiresOn, sessionsAllowed: sessions, reason: reason, format: .fhir,
            documentID: documentID,
            documentCode: codeElement?.fhirChildren("coding").lazy.compactMap { $0.fhirValue("code") }.first,
            documentTitle: composition?.fhirValue("title") ?? service.map { "FHIR referral: \($0)" } ?? "FHIR referral",
            sections: sections, attachments: attached.attachments,
            originalLetter: original, originalSHA256: LetterDigest.sha256Hex(original))
        referral.letterIdentifiers = patient.identifiers
        referral.letterKey = LetterDigest.letterKey(format: "fhir", documentID: documentID, setID: nil, version: nil, data: original)
        do {
            try referral.validate()
        } catch {
            for violation in error.errors {
                refusals.append(.fhirRule(.clinicalValue, "referral \(violation.description)", at: request, file: file))
            }
        }
        if !refusals.isEmpty { throw ClinicXMLErrors(refusals) }
        referral.importWarnings = warnings
        return IncomingReferral(patient: patient, referral: referral, proposedAlerts: alerts, warnings: warnings)
    }

    // MARK: - Date and validity

    private mutating func referralDate() -> LocalDate {
        let candidates: [(String, String?)] = [
            ("authoredOn", request.fhirValue("authoredOn")),
            ("the document's date", composition?.fhirValue("date")),
            ("the bundle's timestamp", root.name == "Bundle" ? root.fhirValue("timestamp") : nil),
        ]
        for (index, (what, value)) in candidates.enumerated() {
            guard let (date, _) = FHIRTime.date(value) else { continue }
            if index > 0 { warnings.append("The ServiceRequest has no authoredOn; the referral date \(date) is taken from \(what)") }
            return date
        }
        warnings.append("The letter gives no date; the referral is dated today (\(today)): set the real date")
        return today
    }

    private mutating func validity(date: LocalDate, texts: [String]) -> (LocalDate?, Int?) {
        let period = request.fhirChild("occurrencePeriod")
            ?? request.fhirChild("occurrenceTiming")?.fhirChild("repeat")?.fhirChild("boundsPeriod")
        var expiry = FHIRTime.date(period?.fhirValue("end")).map(\.date)
        var sessions: Int?
        if let quantity = request.fhirChild("quantityQuantity"), let raw = quantity.fhirValue("value") {
            if let whole = Int(raw) ?? Double(raw).flatMap({ $0 == $0.rounded() && abs($0) < 1e6 ? Int($0) : nil }) {
                sessions = whole
            } else {
                warnings.append("ServiceRequest/quantityQuantity \(raw) is not a whole number of sessions; left for the clinic to set")
            }
        }
        if sessions == nil, let count = request.fhirChild("occurrenceTiming")?.fhirChild("repeat")?.fhirValue("count") {
            sessions = Int(count.trimmingCharacters(in: CharacterSet(charactersIn: "+")))
        }
        let fromText = CDAReferralValidity.fromNarrative(texts, referralDate: date)
        expiry = expiry ?? fromText.expiresOn
        sessions = sessions ?? fromText.sessions
        return CDAReferralValidity.checked(expiresOn: expiry, sessions: sessions, referralDate: date, warnings: &warnings)
    }

    // MARK: - The request

    private mutating func requestLines() -> [String] {
        var lines: [String] = []
        if let service = request.fhirChild("code")?.fhirConceptText { lines.append("Service: \(service)") }
        let categories = request.fhirChildren("category").compactMap(\.fhirConceptText)
        if !categories.isEmpty { lines.append("Category: \(categories.joined(separator: "; "))") }
        let priority = request.fhirValue("priority") ?? "routine"
        lines.append("Priority: \(priority)")
        if priority != "routine" { warnings.append("The referral's priority is \(priority)") }
        let status = request.fhirValue("status") ?? "unknown"
        lines.append("Status: \(status)" + (request.fhirValue("intent").map { ", intent \($0)" } ?? ""))
        if ["revoked", "entered-in-error", "completed", "draft", "on-hold"].contains(status) {
            warnings.append("The ServiceRequest's status is \(status): check that the referral stands")
        }
        if let on = request.fhirValue("occurrenceDateTime") { lines.append("When: \(on)") }
        if let period = request.fhirChild("occurrencePeriod") ?? request.fhirChild("occurrenceTiming")?.fhirChild("repeat")?.fhirChild("boundsPeriod") {
            lines.append("When: " + [period.fhirValue("start").map { "from \($0)" }, period.fhirValue("end").map { "until \($0)" }]
                .compactMap { $0 }.joined(separator: " "))
        }
        if let quantity = request.fhirChild("quantityQuantity"), let value = quantity.fhirValue("value") {
            lines.append("Quantity: \(value)" + (quantity.fhirValue("unit").map { " \($0)" } ?? ""))
        }
        if let count = request.fhirChild("occurrenceTiming")?.fhirChild("repeat")?.fhirValue("count") { lines.append("Times: \(count)") }
        let sites = request.fhirChildren("bodySite").compactMap(\.fhirConceptText)
        if !sites.isEmpty { lines.append("Body site: \(sites.joined(separator: "; "))") }
        let identifiers = (request.fhirChildren("identifier") + request.fhirChildren("requisition")).compactMap { id in
            id.fhirValue("value").map { value in id.fhirValue("system").map { "\(value) (\($0))" } ?? value }
        }
        if !identifiers.isEmpty { lines.append("Identifiers: \(identifiers.joined(separator: "; "))") }
        return lines
    }

    private func recipient() -> String? {
        let names = request.fhirChildren("performer").compactMap { performer -> String? in
            if let resolved = resources.resolve(performer, from: host) {
                if resolved.type == "PractitionerRole" {
                    let person = resources.resolve(resolved.element.fhirChild("practitioner"), from: resolved.host).flatMap { FHIRPeople.name(of: $0.element) }
                    let organisation = resources.resolve(resolved.element.fhirChild("organization"), from: resolved.host)?.element.fhirValue("name")
                    let joined = [person, organisation].compactMap { $0 }.joined(separator: ", ")
                    if !joined.isEmpty { return joined }
                } else if let name = FHIRPeople.name(of: resolved.element) ?? resolved.element.fhirValue("name") {
                    return name
                }
            }
            return performer.fhirValue("display")
        }
        return names.isEmpty ? nil : names.joined(separator: "; ")
    }

    /// The letter's identity: the Bundle's identifier, else the ServiceRequest's (a UBRN first),
    /// else its requisition; as `system|value`.
    private func documentIdentifier() -> String? {
        func token(_ id: E?) -> String? {
            guard let id, let value = id.fhirValue("value") else { return nil }
            return id.fhirValue("system").map { "\($0)|\(value)" } ?? value
        }
        if root.name == "Bundle", let id = token(root.fhirChild("identifier")) { return id }
        let ids = request.fhirChildren("identifier")
        return token(ids.first { $0.fhirValue("system") == "https://fhir.nhs.uk/Id/ubrn" }) ?? token(ids.first)
            ?? token(request.fhirChild("requisition"))
    }
}
