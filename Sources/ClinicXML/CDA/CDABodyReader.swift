import Foundation
import ClinicModel
import LibXML

/// The body of a CDA letter: structured sections, or a nonXMLBody attachment.
///
/// Each section (nested ones too, in document order) becomes a `ReferralSection` with a
/// stable kind, its title, its flattened narrative and its coded entries. The kind comes from
/// the section code (LOINC or NCTIS, see `CDACodes`); a section without a code is matched by its
/// title; a code Knot does not expect is kept as `other` with a warning, never refused.
/// A nonXMLBody (a PDF or plain text) is kept as a `ReferralAttachment` with its media type, and
/// shown as a section that says what is attached.
struct CDABody {
    var sections: [ReferralSection] = []
    var attachments: [ReferralAttachment] = []
    /// Australian Referral Detail: Referral DateTime (103.16620), as written.
    var referralDateTime: String?
    /// The reason as a structured value (Referral Detail's 42349-1 entry).
    var structuredReason: String?
    /// Referral Validity Duration (103.16622), the `IVL_TS` value element.
    var validityDuration: XMLElementCursor?
    /// The text of a text/plain nonXMLBody.
    var plainLetter: String?
}

enum CDABodyReader {
    static func read(_ document: XMLElementCursor, file: String?, warnings: inout [String]) throws(ClinicXMLError) -> CDABody {
        var body = CDABody()
        for component in document.cdaChildren("component") {
            if let structured = component.cdaChild("structuredBody") {
                for sectionComponent in structured.cdaChildren("component") {
                    for section in sectionComponent.cdaChildren("section") {
                        read(section, parentKind: nil, into: &body, warnings: &warnings)
                    }
                }
            }
            if let nonXML = component.cdaChild("nonXMLBody") {
                try readNonXML(nonXML, into: &body, file: file, warnings: &warnings)
            }
        }
        return body
    }

    // MARK: - Sections

    private static func read(_ section: XMLElementCursor, parentKind: String?, into body: inout CDABody, warnings: inout [String]) {
        let codeElement = section.cdaChild("code")
        let code = codeElement?.cdaValue("code")
        let codeSystem = code == nil ? nil : codeElement?.cdaValue("codeSystem")
        let givenTitle = section.cdaChild("title")?.cdaText
        let known = code.flatMap { CDACodes.section(code: $0, codeSystem: codeSystem) }
        let byTitle = givenTitle.flatMap(CDACodes.sectionKind(forTitle:))
        let kind = known?.kind ?? byTitle ?? parentKind ?? "other"
        let title = givenTitle ?? codeElement?.cdaValue("displayName") ?? known?.name ?? kind.capitalized
        if let code, known == nil {
            warnings.append("Section \"\(title)\" has code \(code) (\(CDACodes.name(ofCodeSystem: codeSystem))), not one Knot expects; kept as \(kind) (line \(codeElement?.line ?? section.line))")
        }
        let entries = CDACodedEntries.read(section, kind: kind, title: title, warnings: &warnings)
        body.sections.append(ReferralSection(
            kind: kind, code: code, codeSystem: codeSystem, title: title,
            text: CDANarrative.text(of: section.cdaChild("text")), entries: entries))
        if kind == "reason" { readReferralDetail(section, into: &body) }
        for component in section.cdaChildren("component") {
            for nested in component.cdaChildren("section") {
                read(nested, parentKind: kind, into: &body, warnings: &warnings)
            }
        }
    }

    /// The e-Referral Referral Detail entries: date, reason and validity duration.
    private static func readReferralDetail(_ section: XMLElementCursor, into body: inout CDABody) {
        for entry in section.cdaChildren("entry") {
            for observation in entry.cdaChildren("observation") {
                guard let code = observation.cdaChild("code")?.cdaValue("code"),
                      let value = observation.cdaChild("value"), !value.cdaIsNull else { continue }
                switch code {
                case CDACodes.referralDateTime:
                    body.referralDateTime = body.referralDateTime ?? value.cdaValue("value")
                case CDACodes.referralReason:
                    body.structuredReason = body.structuredReason ?? CDACodedEntries.uncodedText(value)
                        ?? CDACodedEntries.codedEntry(value, narrative: section.cdaChild("text")).flatMap { $0.text ?? $0.displayName }
                case CDACodes.referralValidityDuration:
                    body.validityDuration = body.validityDuration ?? value
                default:
                    break
                }
            }
        }
    }

    // MARK: - nonXMLBody

    private static func readNonXML(_ nonXML: XMLElementCursor, into body: inout CDABody, file: String?, warnings: inout [String]) throws(ClinicXMLError) {
        guard let text = nonXML.cdaChild("text"), !text.cdaIsNull else {
            warnings.append("The letter's nonXMLBody carries no content (line \(nonXML.line))")
            return
        }
        let mediaType = text.attribute("mediaType")?.cdaTrimmed ?? "text/plain"
        let inline = text.children.compactMap { node -> String? in
            if case .text(let value) = node { return value }
            return nil
        }.joined()
        if let reference = text.cdaChild("reference")?.attribute("value"), inline.cdaTrimmed == nil {
            warnings.append("The letter's body is a link (\(reference)) that Knot does not fetch; only the original letter is kept (line \(text.line))")
            return
        }
        let data: Data
        if text.attribute("representation") == "B64" {
            let compact = inline.filter { !$0.isWhitespace }
            guard let decoded = Data(base64Encoded: compact) else {
                throw ClinicXMLError.rule(.ruleBroken, "the nonXMLBody text is marked base64 (representation=\"B64\") but is not valid base64", at: text, file: file)
            }
            data = decoded
        } else {
            data = Data(inline.utf8)
        }
        if let compression = text.attribute("compression") {
            warnings.append("The attached \(mediaType) letter is compressed (\(compression)); it is stored as sent")
        }
        if mediaType == "application/pdf" && !data.starts(with: Array("%PDF-".utf8)) {
            warnings.append("The attachment is declared application/pdf but does not start like a PDF (line \(text.line))")
        }
        body.attachments.append(ReferralAttachment(mediaType: mediaType, data: data))

        if mediaType.hasPrefix("text/"), text.attribute("compression") == nil, let letter = String(data: data, encoding: .utf8)?.cdaWithoutControls.cdaTrimmed {
            body.plainLetter = letter
            body.sections.append(ReferralSection(kind: "other", title: "Letter (\(mediaType))", text: letter))
        } else {
            warnings.append("The letter's body is an attached \(mediaType) document: open the attachment to read it")
            body.sections.append(ReferralSection(
                kind: "other", title: "Attached letter",
                text: "The letter is attached as \(mediaType) (\(data.count) bytes)."))
        }
    }
}
