import Foundation

/// The service's and model's words name the `knot` subcommand that fixes a refusal; in the
/// front end the user needs the key instead. Applied to every message the front end shows
/// from an error (`EffectPerformer.message(for:)`).
enum FrontEndWords {
    /// Each CLI hint and the front end's words for it (regular expressions on the whole hint).
    private static let hints: [(pattern: String, words: String)] = [
        (#"\(knot consent record\)"#, "(F2 consent & screen, on the visit screen)"),
        (#"\(knot screen record\)"#, "(F2 consent & screen, on the visit screen)"),
        (#"\(knot visit sign \d+\)"#, "(F10 on the visit screen; Enter on the draft in the chart opens it)"),
        (#"\(knot visit amend\)"#, "(m on the signed visit)"),
        (#"\(knot practitioner edit [^)]*\)"#, "(record the training with knot practitioner edit, outside the front end)"),
    ]

    static func translate(_ message: String) -> String {
        var text = message
        for hint in hints {
            text = text.replacingOccurrences(of: hint.pattern, with: hint.words, options: .regularExpression)
        }
        return text
    }
}
