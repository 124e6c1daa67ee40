import Foundation

/// Which patients may be the same person as another: the same identifier, or the same date of
/// birth and a family or given name equal or one letter apart (case, accents and punctuation
/// ignored). One rule for every store: a store finds the rows (identifier holders, those born
/// that day), this names the reasons.
public enum DuplicateMatching {
    /// A patient born the same day, as a store reads it.
    public struct Born: Sendable {
        /// The patient's id.
        public var id: Int64
        /// The family name as stored.
        public var familyName: String
        /// The given names as stored.
        public var givenNames: String
        /// A patient born the same day, with the names the rule compares.
        public init(id: Int64, familyName: String, givenNames: String) {
            self.id = id; self.familyName = familyName; self.givenNames = givenNames
        }
    }

    /// The ids that may be `patient` (never itself), first found first, with why.
    /// - Parameters:
    ///   - patient: the patient being added or checked.
    ///   - identifierHolders: for each of the patient's identifiers, the patient holding it, if any.
    ///   - bornSameDay: the patients (not merged away) with the same date of birth, in id order.
    public static func candidates(of patient: Patient, identifierHolders: [(PatientIdentifier, Int64)],
                                  bornSameDay: [Born]) -> [(id: Int64, reasons: [String])] {
        var reasons: [Int64: [String]] = [:]
        var order: [Int64] = []
        func note(_ id: Int64, _ reason: String) {
            if id == patient.id { return }
            if reasons[id] == nil { order.append(id) }
            if reasons[id]?.contains(reason) != true { reasons[id, default: []].append(reason) }
        }
        for (ident, id) in identifierHolders { note(id, "same \(ident.system.rawValue) identifier \(ident.value)") }
        let family = folded(patient.familyName), given = folded(patient.givenNames)
        let firstGiven = given.split(separator: " ").first.map(String.init) ?? given
        for other in bornSameDay {
            let otherFamily = folded(other.familyName), otherGiven = folded(other.givenNames)
            let otherFirstGiven = otherGiven.split(separator: " ").first.map(String.init) ?? otherGiven
            if !family.isEmpty, otherFamily == family {
                note(other.id, "same family name and date of birth")
            } else if withinOneEdit(family, otherFamily) {
                note(other.id, "family name one letter apart, same date of birth")
            }
            if !firstGiven.isEmpty, otherFirstGiven == firstGiven || otherGiven == given {
                note(other.id, "same given name and date of birth")
            } else if withinOneEdit(given, otherGiven) || withinOneEdit(firstGiven, otherFirstGiven) {
                note(other.id, "given name one letter apart, same date of birth")
            }
        }
        return order.map { ($0, reasons[$0] ?? []) }
    }

    /// A name folded for comparison: case and accents removed, punctuation to spaces, single spaces.
    public static func folded(_ s: String) -> String {
        let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        let kept = String(String.UnicodeScalarView(folded.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? $0 : " " }))
        return kept.split(separator: " ").joined(separator: " ")
    }

    /// Whether two non-empty names are at most one insertion, deletion or substitution apart.
    public static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty, !y.isEmpty, abs(x.count - y.count) <= 1 else { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count, j < y.count {
            if x[i] == y[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count { i += 1 } else if y.count > x.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }
}
