import Foundation

/// The practitioner's clinical impression or working diagnosis for a visit, in their words,
/// optionally coded (SNOMED CT, ICD-10...).
///
/// The referrer letter leads with it; the code travels with its system so a receiving system
/// can tell a SNOMED CT concept id from an ICD-10 code.
public struct ClinicalImpression: Sendable, Hashable, Codable {
    /// A coding system for the optional code.
    public enum CodeSystem: String, Sendable, Hashable, Codable, CaseIterable {
        /// SNOMED CT (a concept id).
        case snomedCT = "snomed-ct"
        /// ICD-10 (WHO).
        case icd10 = "icd-10"
        /// ICD-10-AM, the Australian modification.
        case icd10AM = "icd-10-am"
        /// ICD-11.
        case icd11 = "icd-11"

        /// The name in letters: "SNOMED CT".
        public var displayName: String {
            switch self {
            case .snomedCT: "SNOMED CT"
            case .icd10: "ICD-10"
            case .icd10AM: "ICD-10-AM"
            case .icd11: "ICD-11"
            }
        }
    }

    /// The impression in free text, e.g. "Right gluteus medius myofascial pain".
    public var text: String
    /// The code of the impression in `codeSystem` (letters, digits, '.' and '-', up to 40); nil when uncoded.
    public var code: String?
    /// The system `code` belongs to; `validate` requires it exactly when there is a code.
    public var codeSystem: CodeSystem?

    /// An impression in words, optionally coded.
    public init(text: String, code: String? = nil, codeSystem: CodeSystem? = nil) {
        self.text = text; self.code = code; self.codeSystem = codeSystem
    }

    /// "Right gluteus medius myofascial pain (SNOMED CT 24026003)".
    public var description: String {
        guard let code, let codeSystem else { return text }
        return "\(text) (\(codeSystem.displayName) \(code))"
    }

    /// Field rules: text required, single paragraph up to 2000 characters; a code needs its system
    /// and the other way round; a code is letters, digits, dots and dashes, up to 40.
    public func validate(field: String = "impression") throws(ValidationErrors) {
        var v = Validator()
        v.required(field, text)
        v.freeText(field, text, limit: 2000)
        switch (code, codeSystem) {
        case (let c?, _?):
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-"))
            if c.isEmpty || c.count > 40 || c.unicodeScalars.contains(where: { !allowed.contains($0) }) || !c.allSatisfy(\.isASCII) {
                v.badValue("\(field).code", c, "is not a code (letters, digits, '.' and '-', up to 40)")
            }
        case (let c?, nil):
            v.add("\(field).codeSystem", "", "is needed with the code \(c) (snomed-ct, icd-10, icd-10-am or icd-11)")
        case (nil, let s?):
            v.add("\(field).code", "", "is needed with the code system \(s.rawValue)")
        case (nil, nil): break
        }
        try v.finish()
    }

    /// Parses "snomed-ct:24026003" (system, colon, code); nil for empty text.
    public static func parseCode(_ text: String, field: String) throws(ValidationError) -> (system: CodeSystem, code: String)? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let parts = t.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let system = CodeSystem(rawValue: parts[0].lowercased()), !parts[1].isEmpty else {
            throw ValidationError.badValue(field: field, value: text,
                                  rule: "is not SYSTEM:CODE with SYSTEM one of \(CodeSystem.allCases.map(\.rawValue).joined(separator: ", ")) (e.g. snomed-ct:24026003)")
        }
        return (system, parts[1])
    }
}

extension ClinicalImpression {
    /// The audit trail's words for a draft's impression changing from what is stored (`oldText`,
    /// `oldCodeSystem`, `oldCode`, as the visit row keeps them) to `new` (nil clears it): which
    /// happened, and the code's change; the words themselves are named, not copied. One wording
    /// for every store, so the same change is the same event and hashes alike.
    public static func auditDetail(oldText: String?, oldCodeSystem: String?, oldCode: String?, new: ClinicalImpression?) -> String {
        func coded(_ system: String?, _ code: String?) -> String { system.map { "\($0):\(code ?? "")" } ?? "none" }
        let before = coded(oldCodeSystem, oldCode), after = coded(new?.codeSystem?.rawValue, new?.code)
        switch (oldText, new) {
        case (nil, nil): return "impression cleared (there was none)"
        case (nil, _?): return "impression recorded" + (after == "none" ? "" : ", code \(after)")
        case (_?, nil): return "impression cleared" + (before == "none" ? "" : " (code was \(before))")
        case (let old?, let new?):
            var changes: [String] = []
            if old != new.text { changes.append("words") }
            if before != after { changes.append("code \(before) → \(after)") }
            return "impression replaced: " + (changes.isEmpty ? "nothing changed" : changes.joined(separator: ", "))
        }
    }
}
