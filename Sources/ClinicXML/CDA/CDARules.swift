import Foundation
import LibXML

/// What a CDA letter must have for Knot to file it, beyond what the profile schema says.
///
/// The schema checks shapes; these rules check meaning, each refusal naming the element by
/// its path and line: the root holds only elements (no stray text); there is a
/// `recordTarget/patientRole/patient`; the patient has a name (a given or family name, or name
/// text) and either a birth date or an identifier. A letter is never refused for its referrer:
/// `CDAParticipants.referrer` looks past a missing or system author (with a warning).
enum CDARules {
    /// Text directly inside `ClinicalDocument`, refused before the schema runs so the message can
    /// quote the text and give its own line (libxml2 reports the root's line).
    static func strayText(in root: XMLElementCursor, file: String?) -> ClinicXMLError? {
        for (index, node) in root.children.enumerated() {
            guard case .text(let text) = node, let shown = text.cdaCollapsed else { continue }
            let next = root.children[(index + 1)...].lazy.compactMap { node -> XMLElementCursor? in
                if case .element(let element) = node { return element }
                return nil
            }.first
            var line = root.line
            if let next, next.line > 0 {
                // The next element's line, less the line breaks between the text's end and it.
                let trailing = text.reversed().prefix { $0.isWhitespace }.filter { $0 == "\n" }.count
                line = max(root.line, next.line - trailing)
            }
            let quoted = shown.count > 60 ? String(shown.prefix(60)) + "…" : shown
            return ClinicXMLError(kind: .ruleBroken, file: file, line: line, path: root.path,
                                  message: "stray text \"\(quoted)\" directly inside ClinicalDocument: a CDA document holds only elements here")
        }
        return nil
    }

    /// The patientRole Knot reads: the first recordTarget's (a later one only if the first has none).
    static func patientRole(in root: XMLElementCursor) -> XMLElementCursor? {
        root.cdaChildren("recordTarget").lazy.compactMap { $0.cdaChild("patientRole") }
            .first { $0.cdaChild("patient") != nil }
    }

    /// Every rule the letter breaks (empty when it can be filed).
    static func check(_ root: XMLElementCursor, file: String?) -> [ClinicXMLError] {
        var identifiers: CDAPatientReader.Identifiers?
        return check(root, file: file, identifiers: &identifiers)
    }

    /// As above; `identifiers`: the patient's identifiers with the warnings reading them gave,
    /// when the letter has a patient, for the mapper to use rather than read them again.
    static func check(_ root: XMLElementCursor, file: String?, identifiers found: inout CDAPatientReader.Identifiers?) -> [ClinicXMLError] {
        var broken: [ClinicXMLError] = []
        let targets = root.cdaChildren("recordTarget")
        if targets.isEmpty {
            broken.append(.rule(.ruleBroken, "no recordTarget: a referral must name its patient (recordTarget/patientRole/patient)", at: root, file: file))
        } else if let role = patientRole(in: root), let patient = role.cdaChild("patient") {
            if CDAPersonName.best(in: patient.cdaChildren("name")) == nil {
                let at = patient.cdaChildren("name").first ?? patient
                broken.append(.rule(.ruleBroken, "the patient has no name: a referral needs the patient's given or family name (patient/name)", at: at, file: file))
            }
            let birth = patient.cdaChild("birthTime").flatMap { CDATime.date($0.cdaValue("value")) }
            var said: [String] = []
            let ids = CDAPatientReader.identifiers(patientRole: role, document: root, warnings: &said)
            found = CDAPatientReader.Identifiers(identifiers: ids, warnings: said)
            if birth == nil && ids.isEmpty {
                broken.append(.rule(.ruleBroken, "the patient has neither a birth date (patient/birthTime) nor an identifier (patientRole/id): Knot cannot tell who this is", at: patient, file: file))
            }
        } else {
            let at = targets[0].cdaChild("patientRole") ?? targets[0]
            broken.append(.rule(.ruleBroken, "the recordTarget has no patient (recordTarget/patientRole/patient)", at: at, file: file))
        }

        return broken
    }
}
