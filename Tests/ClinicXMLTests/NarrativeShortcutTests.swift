import Foundation
import Testing
import LibXML
import ClinicModel
import SeededRandom  // SplitMix64(state:): the same sequence on every platform, so a failure can be replayed
@testable import ClinicXML

/// Session 16 (issue 19): a table cell's one-line text is made from the narrative's lines, not
/// from the text joined at line feeds and split again; a list item's number, a section's lines
/// and a CDA time's digits are found byte by byte in ASCII. Each must give what the code before
/// it gave.
@Suite struct NarrativeShortcutTests {
    /// `count` texts, each up to `most` of `pieces` drawn at random and joined.
    static func joins(of pieces: [String], count: Int, upTo most: Int, _ rng: inout SplitMix64) -> [String] {
        (0..<count).map { _ in
            (0..<Int.random(in: 0...most, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
    }

    @Test("a cell's one-line text: the narrative's lines trimmed and joined, as when split at line feeds")
    func inlineText() {
        var rng = SplitMix64(state: 0x494E_4C4E)
        for _ in 0..<5_000 {
            let element = XMLElement(name: "td", children: ReaderShortcutEquivalenceTests.randomNarrative(&rng))
            let before = CDANarrative.text(of: element).split(separator: "\n").map { XMLValueFormat.trimmed(String($0)) }.joined(separator: " ")
            #expect(CDANarrative.inlineText(of: element) == before, "\(element)")
            #expect(CDANarrative.inlineText(of: element, byteShortcuts: false) == before, "\(element)")
        }
    }

    @Test("a list item's number and dot are left out as through Characters")
    func listNumbers() {
        let pieces = ["1", "12", "٣", "½", "Ⅻ", ".", ". ", "a", " ", "-", "\r\n", "\t", "é", "Warfarin", "5 mg", "", "0", "9."]
        var rng = SplitMix64(state: 0x4C49_5354)
        let items = ["1. Warfarin", "12.Aspirin", ". x", "1a. x", "1 2. x", "٣. Apixaban", "1.", "x.1", ""]
            + Self.joins(of: pieces, count: 20_000, upTo: 5, &rng)
        var numbered = 0
        for item in items {
            var before: String?
            if let dot = item.firstIndex(of: "."), item[..<dot].allSatisfy(\.isNumber), !item[..<dot].isEmpty {
                before = String(item[item.index(after: dot)...])
            }
            #expect(CDADocumentMapper.afterListNumber(item) == before, "\(Array(item.unicodeScalars))")
            if before != nil { numbered += 1 }
        }
        #expect(numbered > 1_000)
    }

    @Test("a section's lines: split at line feeds as through Characters (CR LF is one character)")
    func sectionLines() {
        let pieces = ["a", "Warfarin 5 mg", "\n", "\n", "\r\n", "\r", " ", "é", "\u{301}", "- ", "1. ", "\n\n", ""]
        var rng = SplitMix64(state: 0x4C49_4E45)
        for text in Self.joins(of: pieces, count: 10_000, upTo: 8, &rng) {
            #expect(CDADocumentMapper.lines(text) == text.split(separator: "\n").map(String.init), "\(Array(text.unicodeScalars))")
        }
    }

    @Test("a CDA time's date and precision from its leading digits, as through Characters")
    func timeDigits() {
        let pieces = ["2026", "07", "03", "1", "9", "0", "12", "31", "+1000", "-0500", ".5", "T", " ", "\u{301}", "٣", "\r\n", "x", "00"]
        var rng = SplitMix64(state: 0x5449_4D45)
        let values = ["20260703", "202607", "2026", "202", "20261301", "20260230", "20260703120000+1000", "2026\u{301}0703", "1799"]
            + Self.joins(of: pieces, count: 20_000, upTo: 6, &rng)
        var dated = 0
        for value in values {
            let expected = CDATime.dateThroughCharacters(value)
            let found = CDATime.date(value)
            #expect(found?.date == expected?.date && found?.precision == expected?.precision, "\(Array(value.unicodeScalars))")
            if expected != nil { dated += 1 }
        }
        #expect(dated > 800)
    }

    @Test("a value's white space collapsed: plain text beyond ASCII (names) byte by byte, as through Characters")
    func collapsed() {
        func before(_ s: String) -> String? {
            let withoutControls = String(s.filter { ch in
                ch == "\n" || ch == "\r\n" || ch == "\t" || !ch.unicodeScalars.contains { $0.properties.generalCategory == .control }
            })
            let t = withoutControls.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        var rng = SplitMix64(state: 0x434F_4C4C)
        var plain = 0
        for _ in 0..<20_000 {
            let text = ReaderShortcutEquivalenceTests.randomText(&rng, maxPieces: 6)
            #expect(text.cdaCollapsed == before(text), "\(Array(text.unicodeScalars))")
            if NarrativeBytes.plainness(of: text) != .other, text.utf8.contains(where: { $0 >= 0x80 }) { plain += 1 }
        }
        #expect(plain > 500)
    }
}
