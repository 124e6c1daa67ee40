import Foundation
import ClinicModel
import LibXML

/// The coded entries of one CDA section, read as `ReferralSection.CodedEntry` values.
///
/// Each `<entry>` yields the code that names what it is about: for a medication the
/// manufactured material (`consumable/manufacturedProduct/manufacturedMaterial/code`), for an
/// allergy the substance (`participant/participantRole/playingEntity/code`), for a problem or any
/// other observation its coded `value`, else the statement's own `code`. A code with a
/// nullFlavor falls back to its first `translation`; `originalText` is resolved through its
/// `<reference value="#id"/>` into the section's narrative. Entries that say nothing (every code
/// null and no text) are skipped. Templates' structural codes (CONC, ASSERTION) never count.
enum CDACodedEntries {
    /// Codes that only structure an entry (concern acts, assertions), never its subject.
    private static let structuralCodes: Set<String> = ["CONC", "ASSERTION", "55607006", "75326-9", "282291009", "102.15517"]

    /// The entries of `section`, with warnings for codes in systems Knot does not know.
    static func read(_ section: XMLElementCursor, kind: String, title: String, warnings: inout [String]) -> [ReferralSection.CodedEntry] {
        let narrative = section.cdaChild("text")
        var result: [ReferralSection.CodedEntry] = []
        for entry in section.cdaChildren("entry") where !isNegated(entry) {
            guard let (coded, valueText) = subject(of: entry, kind: kind) else { continue }
            guard var value = codedEntry(coded, narrative: narrative) else { continue }
            if value.text == nil { value.text = valueText }
            if let system = value.codeSystem, let code = value.code, CDACodes.knownCodeSystems[system] == nil {
                warnings.append("\(title): code \(code) is in code system \(system), which Knot does not know; imported as written (line \(coded.line))")
            }
            result.append(value)
        }
        return result
    }

    /// Whether the entry states an absence ("no known allergies": `negationInd="true"`), which
    /// must never read as a finding; the narrative still says it.
    private static func isNegated(_ entry: XMLElementCursor) -> Bool {
        ([entry] + entry.cdaDescendants("observation") + entry.cdaDescendants("act") + entry.cdaDescendants("entryRelationship"))
            .contains { $0.attribute("negationInd") == "true" }
    }

    /// The coded element that says what `entry` is about, with the text of an observation's
    /// uncoded value when that is what the entry carries (a reason as ST, a duration as IVL_TS).
    private static func subject(of entry: XMLElementCursor, kind: String) -> (XMLElementCursor, String?)? {
        let materials = entry.cdaDescendants("manufacturedMaterial").compactMap { $0.cdaChild("code") }
        let substances = entry.cdaDescendants("playingEntity").compactMap { $0.cdaChild("code") }
        let values = entry.cdaDescendants("value").filter { value in
            value.attribute("code") != nil || value.attribute("displayName") != nil || value.cdaChild("originalText") != nil
        }
        let codes = entry.cdaDescendants("code").filter { code in
            guard let value = code.attribute("code") else { return code.cdaChild("originalText") != nil }
            return !structuralCodes.contains(value)
        }
        let usable: ([XMLElementCursor]) -> XMLElementCursor? = { candidates in
            candidates.first { CDACodedEntries.isInformative($0) }
        }
        let found: XMLElementCursor? = switch kind {
        case "medications": usable(materials) ?? usable(codes)
        case "allergies": usable(substances) ?? usable(values) ?? usable(codes)
        default: usable(values)
        }
        if let found { return (found, nil) }
        for observation in [entry] + entry.cdaDescendants("observation") {
            if let code = observation.cdaChild("code"), isInformative(code),
               let value = observation.cdaChild("value"), let text = uncodedText(value) {
                return (code, text)
            }
        }
        return (usable(materials) ?? usable(substances) ?? usable(codes)).map { ($0, nil) }
    }

    /// The readable text of an uncoded observation value: ST text, a TS date, an IVL_TS width
    /// or range, a PQ quantity with its unit, an INT/REAL/BL value.
    static func uncodedText(_ value: XMLElementCursor) -> String? {
        guard !value.cdaIsNull else { return nil }
        switch value.cdaXSIType {
        case "ST", "ED":
            return value.textContent.cdaCollapsed
        case "TS":
            return CDATime.date(value.cdaValue("value"))?.date.description ?? value.cdaValue("value")
        case "IVL_TS":
            if let width = value.cdaChild("width"), let amount = width.cdaValue("value") {
                return [amount, width.cdaValue("unit")].compactMap { $0 }.joined(separator: " ")
            }
            let low = value.cdaChild("low").flatMap { CDATime.date($0.cdaValue("value"))?.date.description }
            let high = value.cdaChild("high").flatMap { CDATime.date($0.cdaValue("value"))?.date.description }
            if low == nil && high == nil { return nil }
            return "\(low ?? "…") to \(high ?? "…")"
        case "PQ":
            guard let amount = value.cdaValue("value") else { return nil }
            return [amount, value.cdaValue("unit")].compactMap { $0 }.joined(separator: " ")
        case "INT", "REAL", "BL":
            return value.cdaValue("value")
        default:
            return nil
        }
    }

    /// Whether a coded element carries anything: a code, a translation with one, or text.
    private static func isInformative(_ element: XMLElementCursor) -> Bool {
        if element.cdaValue("code") != nil || element.cdaValue("displayName") != nil { return true }
        if element.cdaChildren("translation").contains(where: { $0.cdaValue("code") != nil }) { return true }
        if let original = element.cdaChild("originalText"), !original.textContent.isEmpty || original.cdaChild("reference") != nil {
            return true
        }
        return element.cdaXSIType == "ST" && element.textContent.cdaCollapsed != nil
    }

    /// A CD/CE element as a coded entry, or nil when it carries nothing.
    static func codedEntry(_ element: XMLElementCursor, narrative: XMLElementCursor?) -> ReferralSection.CodedEntry? {
        var code = element.cdaValue("code")
        var system = code == nil ? nil : element.cdaValue("codeSystem")
        var display = element.cdaValue("displayName")
        if code == nil, let translation = element.cdaChildren("translation").first(where: { $0.cdaValue("code") != nil }) {
            code = translation.cdaValue("code")
            system = translation.cdaValue("codeSystem")
            display = display ?? translation.cdaValue("displayName")
        }
        var text = element.cdaChild("originalText").flatMap { originalText($0, narrative: narrative) }
        if text == nil, element.cdaXSIType == "ST" { text = element.textContent.cdaCollapsed }
        if code == nil && display == nil && text == nil { return nil }
        return ReferralSection.CodedEntry(code: code, codeSystem: system, displayName: display, text: text)
    }

    /// The text of an `originalText`: its reference resolved into the narrative, else its own text.
    static func originalText(_ element: XMLElementCursor, narrative: XMLElementCursor?) -> String? {
        if let reference = element.cdaChild("reference")?.attribute("value"), reference.hasPrefix("#"),
           let target = narrative?.cdaElement(withID: String(reference.dropFirst())) {
            return CDANarrative.inlineText(of: target).cdaCollapsed
        }
        let own = element.children.compactMap { node -> String? in
            if case .text(let text) = node { return text }
            return nil
        }.joined()
        return own.cdaCollapsed
    }
}
