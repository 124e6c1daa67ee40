import Foundation
import Testing
import ClinicModel

/// `PersonNameKey.fold` folds without a locale (no `CFLocale` made per name): the sort names,
/// match keys and search words stored by earlier Knots were folded under `en_US_POSIX`, so the
/// two must give the same text for every name, or stored keys would stop matching.
@Suite struct PersonNameFoldTests {
    /// The folding as Knot did it before, under `en_US_POSIX`, then the same filtering.
    static func foldedUnderPOSIX(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        let kept = String(String.UnicodeScalarView(folded.unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0) || CharacterSet.whitespaces.contains($0)
        }))
        return kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("names in many scripts fold as they did under en_US_POSIX, the Turkish dotted and dotless I included")
    func namesFoldAsUnderPOSIX() {
        let names = ["Müller", "Zoë", "Ørsted", "Straße", "Łukasz", "Renée", "Ångström", "İSTANBUL", "Işık", "ǅemal", "ﬁnn",
                     "Şahin", "Ğüneş", "Ċiarán Ó Dónaill", "Nguyễn Thị Minh Khai", "Ἀλέξανδρος", "Дмитрий Шостакович",
                     "Łódź-Żółć", "Ĳsbrand", "Ærøskøbing", "Þórsdóttir", "Đorđević", "José\u{301}", "ΣΊΣΥΦΟΣ", "ǈubica",
                     "Māori Ngā", "Chloé  O'Neill-Brontë", "王秀英", "김민준", "محمد", "Ævar\tÞór"]
        for name in names {
            #expect(PersonNameKey.fold(name) == Self.foldedUnderPOSIX(name), "\(name)")
        }
    }

    @Test("every letter and mark of the Basic Multilingual Plane beyond ASCII folds as under en_US_POSIX")
    func everyScalarFoldsAsUnderPOSIX() {
        var differing: [String] = []
        for value in 0x80..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let name = "Ab" + String(scalar) + "İz"
            if PersonNameKey.fold(name) != Self.foldedUnderPOSIX(name) { differing.append(String(value, radix: 16)) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(20))")
    }
}
