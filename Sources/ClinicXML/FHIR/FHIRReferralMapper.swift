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
struct FHIRReferralMapper {
    let root: XMLElement
    let resources: FHIRResources
    let parts: FHIRRules.Parts
    let file: String?
    let today: LocalDate
    var warnings: [String]

    init(root: XMLElement, resources: FHIRResources, parts: FHIRRules.Parts, file: String?, today: LocalDate, warnings: [String]) {
        self.root = root; self.resources = resources; self.parts = parts; self.file = file; self.today = today
        self.warnings = warnings
    }

    private var request: XMLElement { parts.serviceRequest.element }
    private var host: XMLElement { parts.serviceRequest.host }
    private var composition: XMLElement? { resources.topLevel.first { $0.name == "Composition" } }

    mutating func incomingReferral(original: Data) throws(ClinicXMLErrors) -> IncomingReferral {
        // Patient.
        var patient = FHIRPeople.patient(parts.patient.element, warnings: &warnings)
        if let gp = parts.patient.element.fhirChildren("generalPractitioner").first {
            var ignored: [String] = []
            let named = FHIRPeople.referrer(gp, from: parts.patient.host, in: resources, warnings: &ignored)
            patient.generalPractitioner = named.map { gp in
                guard let organisation = gp.organisation, organisation != gp.name else { return gp.name }
                return "\(gp.name), \(organisation)"
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
            throw ClinicXMLErrors([.rule(.ruleBroken,
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
        checkPatient(&patient, refusals: &refusals)

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
                refusals.append(.rule(.clinicalValue, "referral \(violation.description)", at: request, file: file))
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
        if let period = request.fhirChild("occurrencePeriod") {
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
        func token(_ id: XMLElement?) -> String? {
            guard let id, let value = id.fhirValue("value") else { return nil }
            return id.fhirValue("system").map { "\($0)|\(value)" } ?? value
        }
        if root.name == "Bundle", let id = token(root.fhirChild("identifier")) { return id }
        let ids = request.fhirChildren("identifier")
        return token(ids.first { $0.fhirValue("system") == "https://fhir.nhs.uk/Id/ubrn" }) ?? token(ids.first)
            ?? token(request.fhirChild("requisition"))
    }

    // MARK: - Clinical lists

    /// Whether `resource` is about the referral's patient (or says nothing about whom).
    private mutating func isAboutPatient(_ resource: FHIRResource, via field: String) -> Bool {
        guard let reference = resource.element.fhirChild(field), let target = resources.resolve(reference, from: resource.host) else { return true }
        if target.element == parts.patient.element { return true }
        warnings.append("A \(resource.type) about another \(target.type) (line \(resource.element.line)) was left out")
        return false
    }

    private mutating func conditions() -> (lines: [String], entries: [ReferralSection.CodedEntry]) {
        var lines: [String] = [], entries: [ReferralSection.CodedEntry] = []
        for condition in resources.all(["Condition"]) where isAboutPatient(condition, via: "subject") {
            guard let code = condition.element.fhirChild("code"), let text = code.fhirConceptText else { continue }
            let status = condition.element.fhirChild("clinicalStatus")?.fhirChildren("coding").lazy.compactMap { $0.fhirValue("code") }.first
            let onset = condition.element.fhirValue("onsetDateTime") ?? condition.element.fhirValue("onsetString")
            lines.append(text + [status.map { " (\($0))" }, onset.map { ", since \($0)" }].compactMap { $0 }.joined())
            entries += code.fhirCodedEntries
        }
        return (lines, entries)
    }

    private mutating func medicationList() -> (lines: [String], active: [String], entries: [ReferralSection.CodedEntry]) {
        var lines: [String] = [], active: [String] = [], entries: [ReferralSection.CodedEntry] = []
        let inactive: [String: Set<String>] = [
            "MedicationStatement": ["stopped", "completed", "entered-in-error", "not-taken"],
            "MedicationRequest": ["stopped", "cancelled", "completed", "entered-in-error"],
        ]
        for statement in resources.all(["MedicationStatement", "MedicationRequest"]) where isAboutPatient(statement, via: "subject") {
            let element = statement.element
            var concept = element.fhirChild("medicationCodeableConcept")
            var display = concept == nil ? element.fhirChild("medicationReference")?.fhirValue("display") : nil
            if concept == nil, let medication = resources.resolve(element.fhirChild("medicationReference"), from: statement.host),
               medication.type == "Medication" {
                concept = medication.element.fhirChild("code")
                display = nil
            }
            let names = concept?.fhirConceptNames ?? []
            guard let name = names.isEmpty ? display : names.joined(separator: " / ") else { continue }
            let dosage = (element.fhirChildren("dosage") + element.fhirChildren("dosageInstruction")).lazy.compactMap { $0.fhirValue("text") }.first
            let status = element.fhirValue("status") ?? ""
            let isInactive = inactive[statement.type]?.contains(status) ?? false
            lines.append(name + (dosage.map { ", \($0)" } ?? "") + (isInactive ? " (\(status))" : ""))
            entries += concept?.fhirCodedEntries ?? [ReferralSection.CodedEntry(text: name)]
            if isInactive {
                warnings.append("The medication \(name) is \(status); it is listed but proposes no alert")
            } else {
                active.append(name)
            }
        }
        return (lines, active, entries)
    }

    private mutating func allergyList() -> (lines: [String], active: [String], entries: [ReferralSection.CodedEntry]) {
        var lines: [String] = [], active: [String] = [], entries: [ReferralSection.CodedEntry] = []
        for allergy in resources.all(["AllergyIntolerance"]) where isAboutPatient(allergy, via: "patient") {
            let element = allergy.element
            let code = element.fhirChild("code")
            let substances = element.fhirChildren("reaction").flatMap { $0.fhirChildren("substance") }.compactMap(\.fhirConceptText)
            var names = code?.fhirConceptNames ?? []
            for substance in substances where !names.contains(substance) { names.append(substance) }
            guard !names.isEmpty else { continue }
            let name = names.joined(separator: " / ")
            let manifestations = element.fhirChildren("reaction").flatMap { $0.fhirChildren("manifestation") }.compactMap(\.fhirConceptText)
            let clinical = element.fhirChild("clinicalStatus")?.fhirChildren("coding").lazy.compactMap { $0.fhirValue("code") }.first
            let verification = element.fhirChild("verificationStatus")?.fhirChildren("coding").lazy.compactMap { $0.fhirValue("code") }.first
            let notCurrent = [clinical, verification].compactMap { $0 }.first { ["inactive", "resolved", "refuted", "entered-in-error"].contains($0) }
            lines.append(name + (manifestations.isEmpty ? "" : ": \(manifestations.joined(separator: ", "))")
                         + (element.fhirValue("criticality").map { " (criticality \($0))" } ?? "")
                         + (notCurrent.map { " (\($0))" } ?? ""))
            entries += code?.fhirCodedEntries ?? [ReferralSection.CodedEntry(text: name)]
            if let notCurrent {
                warnings.append("The allergy \(name) is \(notCurrent); it is listed but proposes no alert")
            } else {
                active.append(name)
            }
        }
        return (lines, active, entries)
    }

    /// A document bundle's Composition sections, by title, with their narrative.
    private func compositionSections() -> [ReferralSection] {
        guard let composition else { return [] }
        return composition.fhirChildren("section").compactMap { section in
            let title = section.fhirValue("title") ?? section.fhirChild("code")?.fhirConceptText ?? "Section"
            let text = FHIRNarrative.text(of: section.fhirChild("text")?.elements.first { $0.namespace == FHIRCodes.xhtmlNamespace })
            guard !text.isEmpty else { return nil }
            return ReferralSection(kind: CDACodes.sectionKind(forTitle: title) ?? "other", title: title, text: text)
        }
    }

    // MARK: - Attachments

    private mutating func attachments() -> (lines: [String], attachments: [ReferralAttachment]) {
        var lines: [String] = [], found: [ReferralAttachment] = []
        var usedBinaries: [XMLElement] = []
        func add(_ mediaType: String?, _ base64: String?, title: String?, at element: XMLElement) {
            let mediaType = mediaType ?? "application/octet-stream"
            guard let base64, let data = Data(base64Encoded: base64.filter { !$0.isWhitespace }) else { return }
            if mediaType == "application/pdf" && !data.starts(with: Array("%PDF-".utf8)) {
                warnings.append("The attachment is declared application/pdf but does not start like a PDF (line \(element.line))")
            }
            found.append(ReferralAttachment(mediaType: mediaType, data: data))
            lines.append("\(found.count). \(title ?? "Attachment") (\(mediaType), \(data.count) bytes)")
        }
        for document in resources.all(["DocumentReference"]) where isAboutPatient(document, via: "subject") {
            let description = document.element.fhirValue("description") ?? document.element.fhirChild("type")?.fhirConceptText
            for content in document.element.fhirChildren("content") {
                guard let attachment = content.fhirChild("attachment") else { continue }
                let title = attachment.fhirValue("title") ?? description
                if attachment.fhirValue("data") != nil {
                    add(attachment.fhirValue("contentType"), attachment.fhirValue("data"), title: title, at: attachment)
                } else if let url = attachment.fhirValue("url") {
                    if let binary = resources.resolve(target: url, from: document.host), binary.type == "Binary" {
                        usedBinaries.append(binary.element)
                        add(binary.element.fhirValue("contentType") ?? attachment.fhirValue("contentType"), binary.element.fhirValue("data"),
                            title: title, at: binary.element)
                    } else {
                        warnings.append("An attachment (\(title ?? "untitled")) is a link to \(url), which Knot does not fetch; it stays in the original letter")
                    }
                }
            }
        }
        for binary in resources.all(["Binary"]) where !usedBinaries.contains(binary.element) {
            add(binary.element.fhirValue("contentType"), binary.element.fhirValue("data"), title: "Binary \(binary.element.fhirID ?? "")", at: binary.element)
        }
        return (lines, found)
    }

    // MARK: - The model's rules

    /// Runs `Patient.validate`: a bad phone, email, address, preferred name or identifier is
    /// dropped with a warning (the original letter keeps it); a bad name or birth date refuses.
    private mutating func checkPatient(_ patient: inout Patient, refusals: inout [ClinicXMLError]) {
        var probe = patient
        probe.recordNumber = "pending"
        do {
            try probe.validate()
        } catch {
            var dropped: Set<Int> = []
            for violation in error.errors {
                let field = violation.field
                switch field {
                case "phone": patient.phone = nil
                case "email": patient.email = nil
                case "address": patient.address = nil
                case "preferredName": patient.preferredName = nil
                case "dateOfBirth" where patient.dateOfBirth == CDAPatientReader.unknownBirthDate:
                    continue
                default:
                    if field.hasPrefix("identifiers["), let index = Int(field.dropFirst("identifiers[".count).prefix { $0.isNumber }) {
                        dropped.insert(index)
                    } else {
                        let at = field == "dateOfBirth" ? parts.patient.element.fhirChild("birthDate") : parts.patient.element
                        refusals.append(.rule(.clinicalValue, "patient \(violation.description)", at: at ?? parts.patient.element, file: file))
                        continue
                    }
                }
                warnings.append("The patient's \(violation.description); left out (it stays in the original letter)")
            }
            patient.identifiers = patient.identifiers.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        }
    }
}
