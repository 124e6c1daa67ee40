import Testing
import Foundation
import LibXML
import SeededRandom  // SplitMix64(state:): the same sequence on every platform, so a failure can be replayed
import ClinicModel
@testable import ClinicXML

/// Reading a letter does less work per byte (issue 19, session 8): the tree copied out of
/// libxml2 in one pass, trimming without Foundation when an end cannot be white space, narrative
/// text handled as bytes when it is plain, alert terms looked up by their first word, validity
/// patterns skipped when ASCII text lacks their shape. Each shortcut must give exactly what the
/// code before it gave: these tests keep that code (or call its reference path) and compare, on
/// random text built from the characters where the two could differ and on every real letter.
@Suite("Reader shortcuts give what the general path gave")
struct ReaderShortcutEquivalenceTests {
    // MARK: - Random text


    /// The characters that matter: ASCII letters, digits, punctuation and every kind of white
    /// space; controls (C0, DEL, C1); CR LF; accented Latin at the edges of the plain ranges;
    /// combining marks, a prepend (U+0600), a spacing mark, a joiner, regional indicators, an
    /// emoji with a skin tone, Hangul jamo and a syllable; CJK inside and just outside the plain
    /// range; letters that fold to ASCII (long s, Kelvin sign); old and new Unicode spaces.
    static let palette: [String] = [
        "a", "Z", "k", "s", "1", "7", "-", "|", ".", ":", "/", ",", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}",
        "\u{1C}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "\u{AD}", "\u{BF}", "\u{C0}", "é", "Ö", "\u{23F}",
        "\u{240}", "ř", "ū", "\u{1DFF}", "\u{1E00}", "ễ", "\u{1EFF}", "\u{1F00}", "\u{301}", "e\u{301}", "\u{600}", "\u{903}",
        "\u{200D}", "\u{1F1E6}", "\u{1F1FA}", "👍🏽", "\u{1100}", "\u{1161}", "한", "\u{1680}", "\u{180E}", "\u{2000}", "\u{200A}",
        "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{3001}", "\u{3099}", "\u{4DFF}", "\u{4E00}",
        "李", "芳", "\u{9FFF}", "\u{A000}", "\u{FEFF}", "\u{FFFD}", "ſ", "\u{212A}", "𝐀",
    ]

    static func randomText(_ rng: inout SplitMix64, maxPieces: Int = 8) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...maxPieces, using: &rng) {
            text += palette.randomElement(using: &rng)!
            if Bool.random(using: &rng) { text += ["word", "Dear colleague", "Sessions", "mg"].randomElement(using: &rng)! }
        }
        return text
    }

    // MARK: - Trimming

    @Test("Trimming white space and newlines: the same as Foundation, on random and edge text")
    func trimming() {
        var rng = SplitMix64(state: 0x7452_494D)
        var texts = Self.palette + Self.palette.map { " " + $0 } + Self.palette.map { $0 + "x" + $0 } + ["", " ", "abc", " abc "]
        for _ in 0..<20_000 { texts.append(Self.randomText(&rng, maxPieces: 4)) }
        for text in texts {
            #expect(text.trimmedWhitespaceAndNewlines == text.trimmingCharacters(in: .whitespacesAndNewlines),
                    "\(Array(text.unicodeScalars))")
            let reference = text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(text.cdaTrimmed == (reference.isEmpty ? nil : reference), "\(Array(text.unicodeScalars))")
        }
        // Every scalar the shortcut says cannot be trimmed is indeed left alone by Foundation.
        for value in Array(0...0xFFFF) + [0x1_0000, 0x1_F44D, 0xE_0020, 0x10_FFFF] {
            guard let scalar = Unicode.Scalar(value), XMLTextEnds.cannotBeSpace(scalar) else { continue }
            let text = String(Character(scalar))
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == text, "U+\(String(value, radix: 16))")
        }
    }

    // MARK: - Narrative

    /// A random narrative: text, paragraphs, line breaks, lists, tables and inline content.
    static func randomNarrative(_ rng: inout SplitMix64, depth: Int = 0) -> [XMLNode] {
        var nodes: [XMLNode] = []
        for _ in 0..<Int.random(in: 1...5, using: &rng) {
            let pick = depth > 2 ? 0 : Int.random(in: 0...7, using: &rng)
            switch pick {
            case 0, 1: nodes.append(.text(randomText(&rng)))
            case 2: nodes.append(.element(XMLElement(name: "paragraph", children: randomNarrative(&rng, depth: depth + 1))))
            case 3: nodes.append(.element(XMLElement(name: "br")))
            case 4:
                let items = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    XMLNode.element(XMLElement(name: "item", children: randomNarrative(&rng, depth: depth + 1)))
                }
                let ordered = Bool.random(using: &rng)
                nodes.append(.element(XMLElement(name: "list", attributes: ordered ? [XMLAttribute(name: "listType", value: "ordered")] : [],
                                                 children: items + [.text(randomText(&rng, maxPieces: 1))])))
            case 5:
                let rows = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    XMLNode.element(XMLElement(name: "tr", children: (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                        .element(XMLElement(name: Bool.random(using: &rng) ? "td" : "th", children: randomNarrative(&rng, depth: depth + 2)))
                    }))
                }
                nodes.append(.element(XMLElement(name: "table", children: [.element(XMLElement(name: "tbody", children: rows))])))
            case 6: nodes.append(.element(XMLElement(name: "content", children: randomNarrative(&rng, depth: depth + 1))))
            default: nodes.append(.element(XMLElement(name: "caption", children: [.text(randomText(&rng))])))
            }
        }
        return nodes
    }

    @Test("Narrative text: the same lines as before, on 5,000 random narratives")
    func randomNarratives() {
        var rng = SplitMix64(state: 0x4E41_5252)
        for _ in 0..<5_000 {
            let text = XMLElement(name: "text", children: Self.randomNarrative(&rng))
            #expect(CDANarrative.text(of: text) == CDANarrative.text(of: text, byteShortcuts: false), "\(text)")
            #expect(CDANarrative.inlineText(of: text) == CDANarrative.inlineText(of: text, byteShortcuts: false))
        }
    }

    @Test("Plain text is told apart byte by byte at the edges of its ranges")
    func plainness() {
        #expect(NarrativeBytes.plainness(of: "Zoë Tanaka, 李芳, Nguyễn") == .plainWithoutTabsOrLineFeeds)
        #expect(NarrativeBytes.plainness(of: "one\ttwo\nthree") == .plain)
        for other in ["\r", "\u{A0}", "\u{301}", "\u{240}", "\u{1DFF}", "\u{1F00}", "\u{4DFF}", "\u{A000}", "\u{7F}", "\u{85}", "𝐀"] {
            #expect(NarrativeBytes.plainness(of: "a" + other) == .other, "\(Array(other.unicodeScalars))")
        }
        for plain in ["\u{C0}", "\u{23F}", "\u{1E00}", "\u{1EFF}", "\u{4E00}", "\u{9FFF}"] {
            #expect(NarrativeBytes.plainness(of: plain) == .plainWithoutTabsOrLineFeeds, "\(Array(plain.unicodeScalars))")
        }
        for text in ["", " ", "  a  b ", "a b", "a  b", " a", "a "] {
            #expect(NarrativeBytes.collapsingSpaces(text) == text.split(separator: " ").joined(separator: " "))
        }
    }

    // MARK: - Alerts

    @Test("Alert terms looked up by first word match exactly where every term tried everywhere matched")
    func alertLookup() throws {
        let groups = ReferralAlertDetector.medicationGroups + ReferralAlertDetector.allergyGroups
        var vocabulary = groups.flatMap { $0.terms.flatMap { $0 } }
        vocabulary += ["mg", "20", "daily", "low", "weight", "swab", "free", "é", "xarelto20", "co", "steel", "stainless"]
        let separators = [" ", "-", "", ",", "/", "  ", "; ", "é"]
        var rng = SplitMix64(state: 0x414C_4552)
        var entries: [String] = groups.flatMap { $0.terms.map { $0.joined(separator: " ") } }
        for _ in 0..<20_000 {
            var entry = ""
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                var word = vocabulary.randomElement(using: &rng)!
                if Int.random(in: 0..<4, using: &rng) == 0 { word = word.uppercased() }
                entry += word + separators.randomElement(using: &rng)!
            }
            entries.append(entry)
        }
        // Real lines: every medication and allergy line of the letters in Import/ and the fixtures.
        for (_, data) in try TestFiles.importFiles() {
            guard let incoming = try? CDAReferralReader.read(data, fileName: nil) else { continue }
            entries += CDADocumentMapper.lines(of: incoming.referral.sections, kind: "medications")
            entries += CDADocumentMapper.lines(of: incoming.referral.sections, kind: "allergies")
        }
        var matched = 0
        for entry in entries {
            let words = ReferralAlertDetector.words(entry)
            for group in groups {
                let fast = group.matches(words: words)
                #expect(fast == group.matchesTryingEveryTerm(words: words), "\(entry)")
                if fast { matched += 1 }
            }
        }
        #expect(matched > 5_000)
    }

    // MARK: - Validity

    @Test("Validity phrases: skipping the patterns ASCII text cannot match finds what every pattern finds")
    func validityNarrowing() throws {
        let date = try LocalDate(year: 2026, month: 1, day: 31)
        let fragments = [
            "valid", "Valid", "VALID", "for", "a period of", "until", "till", "through", "to", "expires", "expire", "expiry",
            "expiry date", "on", "12", "3", "100", "2027", "1234", "twelve", "six", "twenty-four", "Twenty-Four", "one", "eighteen",
            "month", "months", "year", "years", "week", "day", "days", "referral", "Referral", "-", ":", "=", ".", ",", "/",
            "31/03/2027", "1.4.2027", "2027-03-31", "2027-3-31", "12345-", "March 5, 2027", "5th Mar. 2027", "1st March 2027",
            "session", "Sessions", "SESSIONS", "treatment", "treatments", "visit", "visits", "consultations", "appointment",
            "more", "further", "physio", "physiotherapy", "Physiotherapy", "allied", "health", "allowed", "approved",
            "authorised", "authorized", "up to", "on treatment", "at a desk", "2026.", "x", "invalid", "revisit",
            // Beyond ASCII: names (inert letters), and letters a case-insensitive pattern may read as ASCII.
            "Zoë", "李芳", "Nguyễn", "Élodie", "×", "ſessions", "\u{212A}", "ß", "İ", "valıd", "ŉ", "٣", "Vaſid", "ẞ",
        ]
        let spaces = [" ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "", "-", " ", " ", " ", "\u{A0}", "\u{2003}", "é"]
        var rng = SplitMix64(state: 0x5641_4C49)
        var texts = ValidityWordGateTests.phrases
        // Phrases shaped like the patterns (each piece sometimes left out), among random fragments.
        let numbers = ["12", "3", "100", "1234", "twelve", "six", "Twenty-Four", "one", "eighteen", "x"]
        let templates: [[[String]]] = [
            [["valid", "Valid", "invalid"], ["for", ""], ["a period of", ""], numbers, ["month", "months", "years", "day", "weeks"]],
            [numbers, ["month", "year", "months"], ["referral", "Referral", "letter"]],
            [["valid until", "valid till", "valid to", "valid through", "expires", "expires on", "expiry", "expiry date", "expire"],
             [":", ""], ["31/03/2027", "1.4.2027", "2027-03-31", "5th Mar. 2027", "March 5, 2027", "1st March 2027", "2027"]],
            [numbers, ["more", "further", "physio", "physiotherapy", "treatment", "allied health", "extra", ""],
             ["sessions", "session", "treatments", "visits", "consultations", "appointments", "sessionsx"]],
            [["sessions", "Visits", "treatment", "appointments"], ["allowed", "approved", "authorised", ""], [":", "=", "", "-"], numbers],
        ]
        for _ in 0..<6_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                text += fragments.randomElement(using: &rng)! + spaces.randomElement(using: &rng)!
            }
            if Bool.random(using: &rng) {
                for piece in templates.randomElement(using: &rng)! {
                    text += piece.randomElement(using: &rng)! + spaces.randomElement(using: &rng)!
                }
            }
            texts.append(text)
        }
        var expiries = 0, sessions = 0
        for text in texts {
            let expiry = CDAReferralValidity.expiry(in: text, from: date)
            #expect(expiry == CDAReferralValidity.expiry(in: text, from: date, narrowing: false), "\(text)")
            let count = CDAReferralValidity.sessions(in: text)
            #expect(count == CDAReferralValidity.sessions(in: text, narrowing: false), "\(text)")
            if expiry != nil { expiries += 1 }
            if count != nil { sessions += 1 }
        }
        #expect(expiries > 400)
        #expect(sessions > 300)
    }

    // MARK: - The tree

    @Test("Element paths number siblings of one name, among few and among many; namespaces follow each declaration")
    func treePathsAndNamespaces() throws {
        var rng = SplitMix64(state: 0x5452_4545)
        for siblings in [1, 2, 5, 31, 32, 33, 80] {
            var body = ""
            for i in 0..<siblings {
                let name = ["a", "b", "c", "only\(i)"][Int.random(in: 0..<4, using: &rng)]
                let ns = ["", " xmlns=\"urn:other\"", " xmlns:p=\"urn:p\""][Int.random(in: 0..<3, using: &rng)]
                let qualified = ns.contains("xmlns:p") ? "p:" + name : name
                body += "<\(qualified)\(ns)><x/><x><y/></x>text</\(qualified)>"
            }
            let document = try XMLDocument(data: Data("<root xmlns=\"urn:root\">\(body)</root>".utf8))
            let root = document.root
            #expect(root.path == "/root")
            check(root)
        }
        /// Paths as they were defined: "[n]" on a step when the parent has several children of that name.
        func check(_ element: XMLElement) {
            let names = element.elements.map(\.name)
            var seen: [String: Int] = [:]
            for child in element.elements {
                seen[child.name, default: 0] += 1
                let step = names.filter { $0 == child.name }.count > 1 ? "\(child.name)[\(seen[child.name]!)]" : child.name
                #expect(child.path == element.path + "/" + step)
                check(child)
            }
        }
        // Namespaces: each element keeps its own declaration's URI and prefix, however they alternate.
        let mixed = """
        <r xmlns="urn:a" xmlns:p="urn:p"><p:x/><y/><p:x xmlns:p="urn:q"><p:z/><w xmlns="urn:b"><p:v/></w></p:x><p:x/><u xmlns=""/></r>
        """
        let root = try XMLDocument(data: Data(mixed.utf8)).root
        let seen = root.elements.map { "\($0.prefix ?? "-") \($0.namespace ?? "none")" }
        #expect(seen == ["p urn:p", "- urn:a", "p urn:q", "p urn:p", "- none"])
        let inner = root.elements[2]
        #expect(inner.elements.map { "\($0.prefix ?? "-") \($0.namespace ?? "none")" } == ["p urn:q", "- urn:b"])
        #expect(inner.elements[1].elements.map { "\($0.prefix ?? "-") \($0.namespace ?? "none")" } == ["p urn:q"])
    }
}

extension ReferralAlertDetector.Group {
    /// `matches(words:)` as it was first written (every term tried at every position): the
    /// reference the tests hold the first-word look-up to.
    func matchesTryingEveryTerm(words: [String]) -> Bool {
        guard !words.isEmpty else { return false }
        return terms.contains { term in
            guard term.count <= words.count else { return false }
            return (0...(words.count - term.count)).contains { start in
                words[start..<(start + term.count)].elementsEqual(term)
            }
        }
    }
}
