import Foundation
import Testing
import LibXML
import SeededRandom  // SplitMix64(state:): the same sequence on every platform, so a failure can be replayed
@testable import ClinicXML

/// Session 16 (issue 19): a table cell's one-line text is made from the narrative's lines, not
/// from the text joined at line feeds and split again; a list item's number is found byte by byte
/// in ASCII. Both must give what the code before them gave.
@Suite struct NarrativeShortcutTests {
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
        var items = ["1. Warfarin", "12.Aspirin", ". x", "1a. x", "1 2. x", "٣. Apixaban", "1.", "x.1", ""]
        for _ in 0..<20_000 {
            var item = ""
            for _ in 0..<Int.random(in: 0...5, using: &rng) { item += pieces.randomElement(using: &rng)! }
            items.append(item)
        }
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
}
