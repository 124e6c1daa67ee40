import Foundation

/// One thing a user typed into patient search, in the form the records are looked up by: the
/// one reading of the search box, which each store renders into its own query syntax (SQLite's
/// FTS5 `MATCH`, PostgreSQL's `tsquery`).
///
/// Every term must match for a patient to be found, in any order. Only letters, digits and
/// marks survive into a term, so nothing typed (quotes, `*`, `NEAR(`, `-`, `OR`, `&`, `:`) can
/// change a query's meaning on either store.
public enum PatientSearchTerm: Sendable, Hashable {
    /// A word of letters (and any digits with them), folded as names are (`PersonNameKey`):
    /// it must begin a word of a name or the record number ("smi", "muller", "k00004"). Never
    /// empty: a part that folds to nothing (a lone combining accent) is no term.
    case word(String)
    /// Digits typed in one group or several, joined ("0412 345 678", "(03) 9876 5432" and
    /// "0412-345-678" are one term): they must begin a run of digits, such as the phone number
    /// the store keeps without spaces or punctuation.
    case digits(String)
    /// A date typed day first (17/05/1980, 17/5/1980, 17.05.1980), day and month padded to two
    /// digits: its DDMMYYYY form must begin a word (the date of birth in that form).
    case dayMonthYear(day: String, month: String, year: String)
    /// A date typed year first (1980-05-17, 1980-5-7), month and day padded to two digits: the
    /// date of birth in ISO form, matched whole.
    case yearMonthDay(year: String, month: String, day: String)

    /// The terms in what was typed, in order; empty when nothing searchable was typed (then
    /// the stores list patients by name).
    ///
    /// Words are split at spaces and commas, then at anything that is not a letter, digit or
    /// mark (so "o'brien" is "o" and "brien", "al-hassan" is "al" and "hassan", as the stores'
    /// indexes split names). A word that is a date in one of the forms above is that date; a
    /// word of digit groups alone joins the digits of the words around it that are digits
    /// alone (a phone number typed in groups); anything else is one word term per part.
    /// Dates are read by their shape, not checked against the calendar: 31/02/1980 finds
    /// nobody rather than being read as digits.
    public static func terms(in typed: String) -> [PatientSearchTerm] {
        var terms: [PatientSearchTerm] = []
        var digits = ""
        func flushDigits() {
            if !digits.isEmpty { terms.append(.digits(digits)); digits = "" }
        }
        for raw in typed.split(whereSeparator: { $0.isWhitespace || $0 == "," }) {
            if let date = date(raw) {
                flushDigits()
                terms.append(date)
                continue
            }
            let parts = alphanumericParts(raw)
            if parts.isEmpty { continue }
            if parts.allSatisfy({ isDigits(Substring($0)) }) {
                digits += parts.joined()  // a phone number typed in groups, with or without punctuation
                continue
            }
            flushDigits()
            terms += parts.map { PersonNameKey.fold($0) }.filter { !$0.isEmpty }.map { .word($0) }
        }
        flushDigits()
        return terms
    }

    /// A word that has the shape of a date, as its term: YYYY-M-D or D/M/YYYY (or with dots).
    static func date(_ raw: Substring) -> PatientSearchTerm? {
        let iso = raw.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, iso[1].count <= 2, iso[2].count <= 2, iso.allSatisfy(isDigits) {
            return .yearMonthDay(year: String(iso[0]), month: twoDigits(iso[1]), day: twoDigits(iso[2]))
        }
        let dmy = raw.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "." })
        if dmy.count == 3, dmy[0].count <= 2, dmy[1].count <= 2, dmy[2].count == 4, dmy.allSatisfy(isDigits) {
            return .dayMonthYear(day: twoDigits(dmy[0]), month: twoDigits(dmy[1]), year: String(dmy[2]))
        }
        return nil
    }

    /// The runs of letters, digits and marks in a word (`CharacterSet.alphanumerics`), scalar
    /// by scalar (a joiner or other format character between two letters splits them).
    static func alphanumericParts(_ raw: Substring) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                parts.append(String(current)); current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { parts.append(String(current)) }
        return parts
    }

    /// Whether `s` is one or more ASCII digits.
    static func isDigits(_ s: Substring) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// One or two digits as two ("5" → "05").
    static func twoDigits(_ s: Substring) -> String {
        String(repeating: "0", count: max(0, 2 - s.count)) + s
    }
}
