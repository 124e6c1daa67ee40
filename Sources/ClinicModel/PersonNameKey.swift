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
        if let ascii = foldASCII(name) { return ascii }
        // No locale: folding depends on one only for Turkish, Azeri and Lithuanian casing, so it
        // folds as `en_US_POSIX` does (tested), without a `CFLocale` made for every name.
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let kept = String(String.UnicodeScalarView(folded.unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0) || CharacterSet.whitespaces.contains($0)
        }))
        return kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The same folding for a name of ASCII letters alone, without Foundation (most names; letter
    /// matching folds every candidate): lower case, letters and digits kept, spaces and tabs
    /// separate words, anything else dropped. Nil for any other name.
    static func foldASCII(_ name: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var pendingSpace = false
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(b)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(b + 32)
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                pendingSpace = true
            case 0x80...:
                return nil
            default:
                continue
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether two name parts are the same name once folded.
    public static func same(_ a: String, _ b: String) -> Bool { fold(a) == fold(b) }
}
