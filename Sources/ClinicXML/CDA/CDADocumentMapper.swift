import Foundation
import ClinicModel
import LibXML

/// Maps a CDA letter that passed the schema and the rules to an `IncomingReferral`.
///
/// Header: the first recordTarget's patient, the referrer as `CDAParticipants.referrer` finds it (with
/// the organisation and a provider number), the intended recipients, the document id (`root^extension`), code, title and
/// effective time (the referral date). Body: see `CDABodyReader`. Validity: see
/// `CDAReferralValidity`. Alerts: the medication and allergy sections (coded entries and
/// narrative lines) go through `ReferralAlertDetector`; all are proposed.
enum CDADocumentMapper {
    /// `warnings`: what reading has said already (parts left out), listed first.
    /// `identifiers`: the patient's, when `CDARules.check` has read them already.
    static func incomingReferral(_ root: XMLElementCursor, original: Data, file: String?, today: LocalDate,
                                 warnings initial: [String] = [],
                                 identifiers: CDAPatientReader.Identifiers? = nil) throws(ClinicXMLErrors) -> IncomingReferral {
        var warnings = initial
        guard let patientRole = CDARules.patientRole(in: root) else {
            // CDARules.check has refused such letters already.
            throw ClinicXMLErrors([.rule(.ruleBroken, "the letter names no patient", at: root, file: file)])
        }
        let (referrer, _) = CDAParticipants.referrer(in: root, warnings: &warnings)

        // Patient.
        let targets = root.cdaChildren("recordTarget")
        var patient = CDAPatientReader.patient(patientRole: patientRole, document: root, known: identifiers, warnings: &warnings)
        if targets.count > 1 {
            warnings.append("The letter has \(targets.count) recordTargets; only the first patient (\(patient.displayName)) is read, the others stay in the original letter")
        }
        if referrer.isGeneralPractitioner {
            patient.generalPractitioner = [referrer.name, referrer.organisation].compactMap { $0 }.joined(separator: ", ")
        }

        // Document.
        let idElements = root.cdaChildren("id")
        let documentID = idElements.first.flatMap { id -> String? in
            guard let idRoot = id.cdaValue("root") else { return nil }
            return id.cdaValue("extension").map { "\(idRoot)^\($0)" } ?? idRoot
        }
        if idElements.count > 1 { warnings.append("The letter has \(idElements.count) document ids; the first is kept") }
        // setId and versionNumber: every version of one letter shares the set; a higher version replaces a lower.
        let setID = root.cdaChild("setId").flatMap { id -> String? in
            guard !id.cdaIsNull, let idRoot = id.cdaValue("root") else { return nil }
            return id.cdaValue("extension").map { "\(idRoot)^\($0)" } ?? idRoot
        }
        let versionNumber = root.cdaChild("versionNumber").flatMap { $0.cdaValue("value") }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let codeElement = root.cdaChild("code")
        let documentCode = codeElement?.cdaValue("code")
            ?? codeElement?.cdaChildren("translation").lazy.compactMap { $0.cdaValue("code") }.first
        if let documentCode {
            if CDACodes.referralDocumentCodes[documentCode] == nil {
                let shown = codeElement?.cdaValue("displayName").map { "\(documentCode) (\($0))" } ?? documentCode
                warnings.append("The document type \(shown) is not a referral or consultation note (LOINC 57133-1, 11488-4); imported as a referral anyway")
            }
        } else {
            warnings.append("The letter does not say what type of document it is (no document code)")
        }
        let title = root.cdaChild("title")?.cdaText ?? codeElement?.cdaValue("displayName")

        // Body.
        let body: CDABody
        do {
            body = try CDABodyReader.read(root, file: file, warnings: &warnings)
        } catch {
            throw ClinicXMLErrors([error])
        }

        // Date: effectiveTime, else the e-Referral DateTime, else the author's time, else today.
        let candidates = [root.cdaChild("effectiveTime")?.cdaValue("value"), body.referralDateTime, referrer.time]
        var date = today
        if let found = candidates.lazy.compactMap({ CDATime.date($0) }).first {
            date = found.date
            if root.cdaChild("effectiveTime")?.cdaValue("value") == nil {
                warnings.append("The letter's effective time is missing or null; the referral date \(date) is taken from the letter's other dates")
            }
        } else {
            warnings.append("The letter gives no date; the referral is dated today (\(today)): set the real date")
        }

        // Reason.
        let reasonSections = body.sections.filter { $0.kind == "reason" }
        let reason = body.structuredReason
            ?? reasonSections.map(\.text).filter { !$0.isEmpty }.joined(separator: "\n\n").cdaTrimmed
            ?? body.plainLetter
            ?? ""
        if reason.isEmpty && body.attachments.isEmpty {
            warnings.append("The letter has no reason for referral section")
        }

        // Validity.
        var expiry = CDAReferralValidity.expiry(duration: body.validityDuration, from: date)
        let validityTexts = body.sections.filter { $0.kind == "reason" || $0.kind == "plan" }.map(\.text)
            + [body.plainLetter].compactMap { $0 }
        let narrative = CDAReferralValidity.fromNarrative(validityTexts, referralDate: date)
        expiry = expiry ?? narrative.expiresOn
        let (expiresOn, sessions) = CDAReferralValidity.checked(expiresOn: expiry, sessions: narrative.sessions,
                                                                  referralDate: date, warnings: &warnings)

        // Alerts.
        var medications = lines(of: body.sections, kind: "medications")
        if let letter = body.plainLetter { medications += letter.split(separator: "\n").map(String.init) }
        let allergies = lines(of: body.sections, kind: "allergies")
        let alerts = ReferralAlertDetector.alerts(medications: medications, allergies: allergies, source: "referral \(date)")
            .map { alert -> PatientAlert in
                var alert = alert
                alert.status = .proposed
                return alert
            }

        // The model's own rules: fix what can be dropped safely, refuse the rest.
        var refusals: [ClinicXMLError] = []
        IncomingPatientCheck.check(&patient, file: file, warnings: &warnings, refusals: &refusals) { _ in
            patientRole.cdaChild("patient") ?? patientRole
        }

        var referral = Referral(
            patientID: 0, referrerName: referrer.name, referrerOrganisation: referrer.organisation,
            referrerProviderNumber: referrer.providerNumber, referrerContact: referrer.contact,
            recipient: CDAParticipants.recipient(root.cdaChildren("informationRecipient")),
            date: date, expiresOn: expiresOn, sessionsAllowed: sessions, reason: reason, format: .cda,
            documentID: documentID, documentCode: documentCode, documentTitle: title,
            sections: body.sections, attachments: body.attachments,
            originalLetter: original, originalSHA256: LetterDigest.sha256Hex(original))
        referral.letterIdentifiers = patient.identifiers
        referral.documentSetID = setID
        referral.documentVersion = versionNumber
        referral.letterKey = LetterDigest.letterKey(format: "cda", documentID: documentID, setID: setID, version: versionNumber, data: original)
        do {
            try referral.validate()
        } catch {
            for violation in error.errors {
                refusals.append(.rule(.clinicalValue, "referral \(violation.description)", at: root, file: file))
            }
        }
        if !refusals.isEmpty { throw ClinicXMLErrors(refusals) }
        referral.importWarnings = warnings
        return IncomingReferral(patient: patient, referral: referral, proposedAlerts: alerts, warnings: warnings)
    }

    /// `text.split(separator: "\n")`, as strings: in ASCII without a carriage return (where every
    /// line feed is a character of its own, not part of a CR LF) split byte by byte.
    static func lines(_ text: String) -> [String] {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            return utf8.split(separator: 0x0A).map { String(Substring($0)) }
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// What follows an item's number and dot ("2. Warfarin 5 mg" gives " Warfarin 5 mg"): the text
    /// after the first "." when all before it is numerals (`Character.isNumber`) and not nothing;
    /// nil otherwise. An ASCII line is read byte by byte (its only numerals are 0-9, and each
    /// character before the dot is one byte: CR LF is not a numeral).
    static func afterListNumber(_ item: String) -> String? {
        let utf8 = item.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard let dot = utf8.firstIndex(of: UInt8(ascii: ".")), dot != utf8.startIndex,
                  utf8[..<dot].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return String(item[utf8.index(after: dot)...])
        }
        guard let dot = item.firstIndex(of: "."), item[..<dot].allSatisfy(\.isNumber), !item[..<dot].isEmpty else { return nil }
        return String(item[item.index(after: dot)...])
    }

    /// What a section kind lists, one string per item, for the alert detector: each coded entry's
    /// text (or display name), then each narrative line not already covered by an entry
    /// (list markers removed).
    static func lines(of sections: [ReferralSection], kind: String) -> [String] {
        var result: [String] = []
        for section in sections where section.kind == kind {
            let coded = section.entries.compactMap { $0.text ?? $0.displayName }
            result += coded
            let lowered = coded.map { $0.lowercased() }
            for line in Self.lines(section.text) {
                var item = XMLValueFormat.trimmed(line)
                if item.hasPrefix("- ") {
                    item.removeFirst(2)
                } else if let afterNumber = afterListNumber(item) {
                    item = XMLValueFormat.trimmed(afterNumber)
                }
                let lower = item.lowercased()
                if item.isEmpty || lowered.contains(where: { lower.contains($0) }) { continue }
                result.append(item)
            }
        }
        return result
    }
}
