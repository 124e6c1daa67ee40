import Foundation

/// How a letter greets its reader: by title and family name ("Dr Shah"), the way clinicians
/// write to each other, never "Dear Dr Priya Shah".
enum LetterGreeting {
    /// Titles recognised at the start of a name, longest first (compared without a final dot).
    static let titles = [
        "associate professor", "assoc prof", "a/prof", "professor", "prof",
        "dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame",
    ]

    /// "Dr Priya Shah" → "Dr Shah"; "Prof. A. B. Jones" → "Prof. Jones"; "Priya Shah" (no
    /// title) → "Priya Shah"; text after a comma (a practice) is left out; empty → nil.
    static func salutation(for name: String) -> String? {
        let person = name.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let words = person.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        for title in titles {
            let count = title.split(separator: " ").count
            guard words.count > count else { continue }
            let head = words.prefix(count).joined(separator: " ")
            let bare = head.hasSuffix(".") ? String(head.dropLast()) : head
            if bare.lowercased() == title {
                // Post-nominals ("Jones FRACGP") are not a family name: take the last word that is
                // not all capitals of more than one letter, else the last word.
                let rest = words.dropFirst(count)
                let family = rest.last { w in !(w.count > 1 && w == w.uppercased() && w.rangeOfCharacter(from: .lowercaseLetters) == nil && w.rangeOfCharacter(from: .letters) != nil) } ?? rest.last!
                return "\(head) \(family)"
            }
        }
        return person
    }
}
