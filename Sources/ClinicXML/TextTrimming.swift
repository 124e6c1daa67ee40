import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation when neither end can
    /// be white space: the same string, a fraction of the time.
    ///
    /// Foundation's set is Unicode's white space and line separators (tab, U+000A-U+000D, space,
    /// U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, and in older
    /// Unicode versions U+180E, U+200B and U+FEFF). When the first and the last scalar both lie in
    /// ranges holding none of those (`XMLTextEnds.cannotBeSpace`), there is nothing to trim;
    /// otherwise Foundation trims as before.
    var trimmedWhitespaceAndNewlines: String {
        if XMLTextEnds.cannotBeTrimmed(self) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Whether a text's ends can be white space, decided from its first and last scalar.
enum XMLTextEnds {
    /// True when `text` is empty or starts and ends with scalars no Unicode version counts as
    /// white space or a line separator.
    static func cannotBeTrimmed(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return true }
        return cannotBeSpace(first) && cannotBeSpace(last)
    }

    /// Printable ASCII but space; U+00C0-U+167F (Latin letters to Canadian syllabics); U+3001 up
    /// to U+FEFE (CJK, Hangul, compatibility forms); anything beyond the Basic Multilingual Plane.
    static func cannotBeSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x7E, 0xC0..<0x1680, 0x3001..<0xFEFF, 0x1_0000...: true
        default: false
        }
    }
}
