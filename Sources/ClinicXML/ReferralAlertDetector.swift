import Foundation
import ClinicModel

/// Proposes needling alerts from a referral's medication and allergy lists.
///
/// A referral that lists warfarin or clopidogrel, or an allergy to nickel or latex, changes how
/// (and whether) a practitioner needles. The detector reads the lists as the referrer wrote
/// them, matches generic and brand names as whole words (case and accents ignored, so
/// "XARELTO 20mg" and "Clexane 40 mg" both count), and proposes one alert per kind, listing the
/// entries that raised it. Every alert is `.proposed`: a practitioner confirms or dismisses it.
/// Both the Knot referral reader and the HL7 CDA reader use it.
///
/// Allergies outside the needling-relevant groups (a penicillin allergy) raise no alert: they
/// stay in the referral's allergies section for the practitioner to read.
public enum ReferralAlertDetector {
    /// Alerts proposed by `medications` and `allergies`, in a fixed order (anticoagulant,
    /// antiplatelet, metal allergy, other needling-relevant allergies).
    ///
    /// - Parameters:
    ///   - medications: the letter's medication list, one entry per medicine as written.
    ///   - allergies: the letter's allergy list, one entry per allergy as written.
    ///   - source: where the lists came from, e.g. `"referral 2026-11-02"`; each alert's
    ///     source is this plus ` (medications)` or ` (allergies)`.
    public static func alerts(medications: [String], allergies: [String], source: String) -> [PatientAlert] {
        var alerts: [PatientAlert] = []
        // Each entry is split into words once, whatever the number of groups it is tried against.
        let medicationWords = medications.map(words)
        for group in medicationGroups {
            let hits = medications.indices.filter { group.matches(words: medicationWords[$0]) }.map { medications[$0] }
            if !hits.isEmpty {
                alerts.append(alert(group, hits, source: "\(source) (medications)"))
            }
        }
        let allergyWords = allergies.map(words)
        for group in allergyGroups {
            let hits = allergies.indices.filter { group.matches(words: allergyWords[$0]) }.map { allergies[$0] }
            if !hits.isEmpty {
                alerts.append(alert(group, hits, source: "\(source) (allergies)"))
            }
        }
        return alerts
    }

    /// The needling-relevant group a single medication belongs to, if any (for tests and
    /// for showing why a line was flagged).
    public static func precaution(forMedication text: String) -> Precaution? {
        for group in medicationGroups where group.matches(text) {
            if case .precaution(let p) = group.kind { return p }
        }
        return nil
    }

    // MARK: - The groups

    struct Group: Sendable {
        var kind: PatientAlert.Kind
        var label: String
        /// Each term as normalised words ("alcohol swab" is two words that must follow each other).
        var terms: [[String]]
        /// The terms by their first word, so that each word of a text is looked up once instead
        /// of every term being tried at every word.
        private var termsByFirstWord: [String: [[String]]] = [:]
        /// Whether a term has no words at all (it would match any text that has words).
        private var hasEmptyTerm = false

        init(_ kind: PatientAlert.Kind, _ label: String, _ terms: [String]) {
            self.kind = kind
            self.label = label
            self.terms = terms.map { ReferralAlertDetector.words($0) }
            for term in self.terms {
                if let first = term.first { termsByFirstWord[first, default: []].append(term) } else { hasEmptyTerm = true }
            }
        }

        func matches(_ text: String) -> Bool {
            matches(words: ReferralAlertDetector.words(text))
        }

        /// Whether a term's words follow each other in `words` (a text already split by `words(_:)`).
        func matches(words: [String]) -> Bool {
            guard !words.isEmpty else { return false }
            if hasEmptyTerm { return true }
            for start in words.indices {
                guard let candidates = termsByFirstWord[words[start]] else { continue }
                for term in candidates where start + term.count <= words.count {
                    if words[start..<(start + term.count)].elementsEqual(term) { return true }
                }
            }
            return false
        }
    }

    static let medicationGroups: [Group] = [
        Group(.precaution(.anticoagulant), "Anticoagulant", [
            // Vitamin K antagonists.
            "warfarin", "coumadin", "marevan", "jantoven", "acenocoumarol", "sinthrome", "phenindione",
            "dindevan", "phenprocoumon",
            // Direct oral anticoagulants.
            "apixaban", "eliquis", "rivaroxaban", "xarelto", "dabigatran", "pradaxa", "praxbind",
            "edoxaban", "lixiana", "savaysa",
            // Heparins and parenteral anticoagulants.
            "heparin", "heparins", "enoxaparin", "clexane", "lovenox", "dalteparin", "fragmin",
            "tinzaparin", "innohep", "fondaparinux", "arixtra", "danaparoid", "orgaran", "bivalirudin",
            "argatroban", "low molecular weight heparin", "lmwh", "doac", "noac",
        ]),
        Group(.precaution(.antiplatelet), "Antiplatelet", [
            "clopidogrel", "plavix", "iscover", "piax", "clovix", "ticagrelor", "brilinta", "brilique",
            "prasugrel", "effient", "ticlopidine", "cilostazol", "pletal", "dipyridamole", "persantin",
            "asasantin", "vorapaxar", "zontivity",
            // Aspirin, alone and in antiplatelet brands.
            "aspirin", "acetylsalicylic acid", "asa", "cartia", "astrix", "cardiprin", "disprin", "aspro",
            "solprin", "duocover", "coplavix", "duoplavin",
        ]),
    ]

    static let allergyGroups: [Group] = [
        Group(.precaution(.metalAllergy), "Metal allergy", [
            "metal", "metals", "nickel", "chromium", "chrome", "cobalt", "stainless steel", "steel",
        ]),
        Group(.allergy, "Allergy relevant to needling", [
            "latex", "rubber", "adhesive", "adhesives", "tape", "plaster", "plasters", "elastoplast",
            "antiseptic", "antiseptics", "chlorhexidine", "iodine", "povidone", "betadine",
            "alcohol", "alcohol swab", "alcohol swabs", "isopropyl", "isopropanol",
        ]),
    ]

    private static func alert(_ group: Group, _ hits: [String], source: String) -> PatientAlert {
        // `trimmedWhitespaceAndNewlines`: Foundation's trim only where an end may be white space.
        let listed = hits.map(\.trimmedWhitespaceAndNewlines).joined(separator: "; ")
        var text = "\(group.label) in referral: \(listed)"
        // The model keeps alert text to 1,000 characters (never more characters than UTF-8 bytes).
        if text.utf8.count > 1000, text.count > 1000 { text = String(text.prefix(999)) + "…" }
        return PatientAlert(kind: group.kind, text: text, status: .proposed, source: source)
    }

    /// Lower-case words with accents removed; letters and digits are split apart ("20mg" is
    /// "20" "mg", "Xarelto20" is "xarelto" "20").
    static func words(_ text: String) -> [String] {
        asciiWords(text) ?? foldedWords(text)
    }

    /// `words(_:)` through Foundation's folding, for any text.
    static func foldedWords(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var words: [String] = []
        var current = ""
        var currentIsDigit = false
        for ch in folded {
            let isLetter = ch.isLetter
            let isDigit = ch.isNumber
            if isLetter || isDigit {
                if !current.isEmpty, currentIsDigit != isDigit {
                    words.append(current)
                    current = ""
                }
                current.append(ch)
                currentIsDigit = isDigit
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `words(_:)` for ASCII text, without Foundation: folding ASCII only lower-cases it, and
    /// its letters and digits are A-Z, a-z and 0-9. Nil when `text` is not all ASCII.
    static func asciiWords(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            var words: [String] = []
            var current: [UInt8] = []
            var currentIsDigit = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let isDigit = byte >= 0x30 && byte <= 0x39
                let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                let isLetter = lower >= 0x61 && lower <= 0x7A
                if isLetter || isDigit {
                    if !current.isEmpty, currentIsDigit != isDigit {
                        words.append(String(decoding: current, as: UTF8.self))
                        current.removeAll(keepingCapacity: true)
                    }
                    current.append(lower)
                    currentIsDigit = isDigit
                } else if !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            return words
        }
    }
}
