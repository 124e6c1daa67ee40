import Foundation

/// Helpers for tests that alter XML documents as text, at random, to compare two readers.
enum TextMutation {
    /// The element whose start tag `match` found (group 1: its name) in `text`: that start tag,
    /// where the element ends (after its end tag, or the start tag itself when it is
    /// self-closed) and its name; nil when no end tag follows.
    static func elementExtent(_ match: NSTextCheckingResult, in text: String) -> (startTag: Range<String.Index>, end: String.Index, name: String)? {
        let start = Range(match.range, in: text)!
        let name = String(text[Range(match.range(at: 1), in: text)!])
        if text[start].hasSuffix("/>") { return (start, start.upperBound, name) }
        guard let close = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return nil }
        return (start, close.upperBound, name)
    }
}
