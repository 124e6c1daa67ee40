import Foundation
import ClinicModel
import LibXML

/// The clinical lists, narrative sections and attachments of a FHIR referral: the resources
/// about the referral's patient, read into sections, the lines the alert detector sees (active
/// medications and current allergies only), and the attachments (never fetched from a link).
extension FHIRReferralMapper {
    // MARK: - Clinical lists

    /// Whether `resource` is about the referral's patient (or says nothing about whom).
    mutating func isAboutPatient(_ resource: FHIRResource<E>, via field: String) -> Bool {
        guard let reference = resource.element.fhirChild(field), let target = resources.resolve(reference, from: resource.host) else { return true }
        if target.element == parts.patient.element { return true }
        warnings.append("A \(resource.type) about another \(target.type) (line \(resource.element.line)) was left out")
        return false
    }

    mutating func conditions() -> (lines: [String], entries: [ReferralSection.CodedEntry]) {
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

    mutating func medicationList() -> (lines: [String], active: [String], entries: [ReferralSection.CodedEntry]) {
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

    mutating func allergyList() -> (lines: [String], active: [String], entries: [ReferralSection.CodedEntry]) {
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
    func compositionSections() -> [ReferralSection] {
        guard let composition else { return [] }
        return composition.fhirChildren("section").compactMap { section in
            let title = section.fhirValue("title") ?? section.fhirChild("code")?.fhirConceptText ?? "Section"
            let text = FHIRNarrative.text(of: section.fhirChild("text")?.elements.first { $0.namespace == FHIRCodes.xhtmlNamespace })
            guard !text.isEmpty else { return nil }
            return ReferralSection(kind: CDACodes.sectionKind(forTitle: title) ?? "other", title: title, text: text)
        }
    }

    // MARK: - Attachments

    mutating func attachments() -> (lines: [String], attachments: [ReferralAttachment]) {
        var lines: [String] = [], found: [ReferralAttachment] = []
        var usedBinaries: [E] = []
        func add(_ mediaType: String?, _ base64: String?, title: String?, at element: E) {
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
}
