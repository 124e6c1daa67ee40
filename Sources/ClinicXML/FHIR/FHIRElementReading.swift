import Foundation
import ClinicModel
import LibXML

/// Reading FHIR's XML: elements in `http://hl7.org/fhir`, primitive values in `value` attributes.
extension FHIRElement {
    /// Whether the element is in the FHIR namespace.
    var isFHIR: Bool { namespace == FHIRCodes.namespace }

    /// The element's own primitive value (its `value` attribute), trimmed; nil when absent or blank.
    var fhirValue: String? { attribute("value", namespace: nil)?.cdaCollapsed }

    /// The primitive value of the child `name`.
    func fhirValue(_ name: String) -> String? { fhirChild(name)?.fhirValue }

    /// Every value of the children `name` (a HumanName's given names, an Address's lines).
    func fhirValues(_ name: String) -> [String] { fhirChildren(name).compactMap(\.fhirValue) }

    /// A resource's logical id (`id/@value`).
    var fhirID: String? { fhirValue("id") }

    /// The readable text of a CodeableConcept: its text, else its codings' displays, else codes.
    var fhirConceptText: String? {
        if let text = fhirValue("text") { return text }
        let codings = fhirChildren("coding")
        if let display = codings.lazy.compactMap({ $0.fhirValue("display") }).first { return display }
        return codings.lazy.compactMap { $0.fhirValue("code") }.first
    }

    /// Every name a CodeableConcept gives (its text and each coding's display), de-duplicated,
    /// so that both a brand and a generic name reach the alert detector.
    var fhirConceptNames: [String] {
        var names: [String] = []
        for name in [fhirValue("text")] + fhirChildren("coding").map({ $0.fhirValue("display") }) {
            guard let name, !names.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else { continue }
            names.append(name)
        }
        if names.isEmpty, let code = fhirChildren("coding").lazy.compactMap({ $0.fhirValue("code") }).first { names.append(code) }
        return names
    }

    /// The codes of a CodeableConcept as coded entries (system, code, display; the text with each).
    var fhirCodedEntries: [ReferralSection.CodedEntry] {
        let text = fhirValue("text")
        let codings = fhirChildren("coding")
        if codings.isEmpty { return text.map { [ReferralSection.CodedEntry(text: $0)] } ?? [] }
        return codings.map { coding in
            ReferralSection.CodedEntry(code: coding.fhirValue("code"), codeSystem: coding.fhirValue("system"),
                                       displayName: coding.fhirValue("display"), text: text)
        }
    }

    /// Whether a CodeableConcept carries `code` (in any coding).
    func fhirHasCode(_ code: String) -> Bool {
        fhirChildren("coding").contains { $0.fhirValue("code") == code }
    }

    /// A HumanName as one line: prefixes, given names, family name, suffixes (or its text).
    var fhirNameLine: String? {
        let parts = fhirValues("prefix") + fhirValues("given") + fhirValues("family") + fhirValues("suffix")
        if !parts.isEmpty { return parts.joined(separator: " ") }
        return fhirValue("text")
    }

    /// An Address on one line: its lines, then city, state and postcode, then country (or its text).
    var fhirAddressLine: String? {
        var parts = fhirValues("line")
        let locality = (fhirValues("city") + fhirValues("district") + fhirValues("state") + fhirValues("postalCode")).joined(separator: " ")
        if !locality.isEmpty { parts.append(locality) }
        parts += fhirValues("country")
        if !parts.isEmpty { return parts.joined(separator: ", ") }
        return fhirValue("text")
    }
}

/// FHIR `date`, `dateTime` and `instant` values as calendar dates.
enum FHIRTime {
    /// The calendar date a value names as the sender wrote it (the time and zone are not
    /// applied), with how precise it was; nil when it is not a date.
    static func date(_ value: String?) -> (date: LocalDate, precision: CDATime.Precision)? {
        guard let value else { return nil }
        let datePart = value.prefix { $0 != "T" }
        let fields = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count), fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              fields[0].count == 4, let year = Int(fields[0]) else { return nil }
        let month = fields.count > 1 ? Int(fields[1]) : 1
        let day = fields.count > 2 ? Int(fields[2]) : 1
        guard let month, let day, let date = try? LocalDate(year: year, month: month, day: day) else { return nil }
        let precision: CDATime.Precision = fields.count == 3 ? .day : fields.count == 2 ? .month : .year
        return (date, precision)
    }
}

/// An XHTML narrative (`text/div`) flattened to plain lines: block elements (p, div, headings,
/// list items, table rows, br) end a line, list items start "- ", table cells are joined " | ".
/// Nothing in it is ever run or rendered as markup.
enum FHIRNarrative {
    static func text<E: FHIRElement>(of element: E?) -> String {
        guard let element else { return "" }
        var lines: [String] = []
        var current = ""
        func flush() {
            let collapsed = current.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if !collapsed.isEmpty { lines.append(collapsed) }
            current = ""
        }
        func walk(_ node: NarrativeChild<E>) {
            switch node {
            case .text(let text):
                current += text.cdaWithoutControls
            case .element(let e):
                switch e.name {
                case "br":
                    flush()
                case "script", "style":
                    break
                case "li":
                    flush()
                    current = "- "
                    e.forEachNarrativeChild(walk)
                    flush()
                case "tr":
                    flush()
                    let cells = e.elements.filter { $0.name == "td" || $0.name == "th" }
                        .map { FHIRNarrative.text(of: $0).split(separator: "\n").joined(separator: " ") }
                    let row = cells.joined(separator: " | ").trimmingCharacters(in: .whitespaces)
                    if !cells.allSatisfy(\.isEmpty) { lines.append(row) }
                case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "thead", "tbody", "tfoot", "blockquote", "pre":
                    flush()
                    e.forEachNarrativeChild(walk)
                    flush()
                default:
                    e.forEachNarrativeChild(walk)
                }
            case .other:
                break
            }
        }
        element.forEachNarrativeChild(walk)
        flush()
        return lines.filter { $0 != "-" }.joined(separator: "\n")
    }
}
