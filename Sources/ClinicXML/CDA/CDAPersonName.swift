import Foundation
import LibXML

/// A person's name read from an HL7 `PN` (`<name>` with given/family parts, or plain text).
struct CDAPersonName: Sendable, Equatable {
    var prefixes: [String] = []
    var given: [String] = []
    var family: [String] = []
    var suffixes: [String] = []
    /// The whole name when the sender wrote it as text without parts ("Dr Helen Brooks").
    var unstructured: String?
    /// The `use` codes ("L" legal, "P" pseudonym/preferred...).
    var uses: Set<String> = []

    /// The name in `element`, nil when it is null or empty.
    init?(_ element: XMLElementCursor) {
        guard !element.cdaIsNull else { return nil }
        for part in element.elements where part.namespace == CDACodes.hl7Namespace {
            guard let text = part.cdaText else { continue }
            switch part.name {
            case "prefix": prefixes.append(text)
            case "given": given.append(text)
            case "family": family.append(text)
            case "suffix": suffixes.append(text)
            default: break
            }
        }
        if given.isEmpty && family.isEmpty {
            // Mixed content: text directly inside <name>.
            let direct = element.children.compactMap { node -> String? in
                if case .text(let text) = node { return text }
                return nil
            }.joined(separator: " ")
            unstructured = direct.cdaCollapsed
        }
        if given.isEmpty && family.isEmpty && unstructured == nil { return nil }
        uses = Set((element.attribute("use") ?? "").split(separator: " ").map(String.init))
    }

    /// "Dr Samuel Okafor": every part in reading order.
    var displayName: String {
        if let unstructured, given.isEmpty, family.isEmpty {
            return ([prefixes.joined(separator: " "), unstructured] + [suffixes.joined(separator: " ")])
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
        return (prefixes + given + family + suffixes).joined(separator: " ")
    }

    /// Given and family names for a patient record. A name written as plain text is split at its
    /// last word (the family name), after dropping a leading title; `split` says so.
    var patientParts: (given: String, family: String, split: Bool) {
        if given.isEmpty && family.isEmpty, let unstructured {
            var words = unstructured.split(separator: " ").map(String.init)
            let titles: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "master"]
            if words.count > 1, titles.contains(words[0].lowercased().trimmingCharacters(in: .punctuationCharacters)) {
                words.removeFirst()
            }
            let familyName = words.count > 1 ? words.removeLast() : ""
            return (words.joined(separator: " "), familyName, true)
        }
        return (given.joined(separator: " "), family.joined(separator: " "), false)
    }

    /// The name to use among several: the first legal name ("L", or official "OR"), else the first.
    static func best(in elements: [XMLElementCursor]) -> CDAPersonName? {
        let names = elements.compactMap(CDAPersonName.init)
        return names.first { !$0.uses.isDisjoint(with: ["L", "OR"]) } ?? names.first
    }
}
