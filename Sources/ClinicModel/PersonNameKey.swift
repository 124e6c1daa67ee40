import Foundation

/// The one way Knot folds a person's name for comparing and searching: lower case, accents
/// removed, punctuation dropped, runs of spaces made one ("  MÜLLER-Jones " → "mullerjones",
/// "O'Brien" → "obrien", "Zoë" → "zoe").
///
/// Letter matching (the exact match and the doubtful match), the sort key lists are ordered by
/// and the full-text search all use this function, so "Anna MÜLLER", "Anna Muller" and
/// "Anna Müller" are the same name wherever a patient is looked for.
public enum PersonNameKey {
    /// The folded form of one name part (family name, or given names).
    public static func fold(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        let kept = String(String.UnicodeScalarView(folded.unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0) || CharacterSet.whitespaces.contains($0)
        }))
        return kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether two name parts are the same name once folded.
    public static func same(_ a: String, _ b: String) -> Bool { fold(a) == fold(b) }
}
