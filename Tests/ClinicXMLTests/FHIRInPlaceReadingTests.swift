import Testing
import Foundation
import ClinicModel
import SeededRandom
import ClinicTestSupport
import LibXML
@testable import ClinicXML

/// The FHIR reader reads a letter in place (`XMLElementCursor`, no copy of libxml2's tree); the
/// copied tree (`XMLDocument.root`) is what it read before. Both must give the same referral, or
/// the same refusals (message, kind, line, path), for every letter.
@Suite struct FHIRInPlaceReadingTests {
    static let today = SampleRecords.day("2026-11-25")

    /// The referral read one way, or its refusals.
    enum Outcome: Equatable {
        case read(IncomingReferral)
        case refused([ClinicXMLError])
    }

    static func outcome(_ data: Data, inPlace: Bool) -> Outcome {
        do {
            return .read(try FHIRReferralReader.read(data, fileName: "letter.xml", options: ParseOptions(), today: today, inPlace: inPlace))
        } catch {
            return .refused(error.errors)
        }
    }

    static var sources: [String] {
        get throws {
            try ["fhir-au-erequesting-bundle.xml", "fhir-uk-ers-bundle.xml", "fhir-servicerequest-contained.xml"]
                .map { String(decoding: try TestFiles.importFile($0), as: UTF8.self) }
        }
    }

    /// `text` altered at random the way letters from other systems differ: FHIR elements copied,
    /// removed or emptied; values emptied, padded, non-ASCII, or another element's (references to
    /// other resources, to nothing); two entries swapped; an element moved to another namespace
    /// or written with a prefix; comments, processing instructions and CDATA in the narrative;
    /// a narrative with lists, tables, line breaks and a script.
    static func altered(_ text: String, _ rng: inout SplitMix64) -> String {
        var text = text
        let values = try! NSRegularExpression(pattern: #" value="([^"]*)""#)
        let elements = try! NSRegularExpression(pattern: #"<(entry|resource|name|given|family|identifier|telecom|address|birthDate|gender|subject|requester|performer|reasonCode|reasonReference|code|coding|note|text|div|contained|occurrencePeriod|occurrenceTiming|quantityQuantity|section|content|attachment|generalPractitioner|practitioner|organization|clinicalStatus|verificationStatus|reaction|medicationCodeableConcept|medicationReference|type|category|priority|status|authoredOn)\b[^>]*>"#)
        let texts = try! NSRegularExpression(pattern: #">([^<]+)</"#)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let whole = NSRange(text.startIndex..., in: text)
            switch Int.random(in: 0..<9, using: &rng) {
            case 0, 1:
                let matches = values.matches(in: text, range: whole)
                guard let match = matches.randomElement(using: &rng) else { continue }
                let range = Range(match.range(at: 1), in: text)!
                let value = String(text[range])
                let replacement: String = switch Int.random(in: 0..<7, using: &rng) {
                case 0: ""
                case 1: "  \t "
                case 2: "  \(value)  padded "
                case 3: "Ünïcødé ﬁ \u{212A}"
                case 4: ["#p", "#missing", "Patient/p", "urn:uuid:0", "http://example.org/Patient/1", "Patient/p/_history/2", "2020", "2020-02", "7.5", "revoked", "urgent", "old", "official", "email"].randomElement(using: &rng)!
                default: String(text[Range(matches.randomElement(using: &rng)!.range(at: 1), in: text)!])
                }
                text.replaceSubrange(range, with: replacement)
            case 2, 3, 4:
                // Copy, remove or empty one element (to its end tag; a self-closed one as it is).
                guard let match = elements.matches(in: text, range: whole).randomElement(using: &rng) else { continue }
                guard let (start, end, name) = TextMutation.elementExtent(match, in: text) else { continue }
                let element = String(text[start.lowerBound..<end])
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: text.insert(contentsOf: element, at: end)
                case 1: text.removeSubrange(start.lowerBound..<end)
                case 2: text.replaceSubrange(start.lowerBound..<end, with: "<\(name)/>")
                default:
                    // Another namespace, or the FHIR one with a prefix.
                    let opened = text[start].dropFirst(1 + name.count)
                    let renamed = Bool.random(using: &rng)
                        ? "<\(name) xmlns=\"urn:example:other\"\(opened)"
                        : "<f:\(name) xmlns:f=\"http://hl7.org/fhir\"\(opened)"
                    let body = String(text[start.upperBound..<end])
                    let closed = renamed.hasPrefix("<f:") && body.hasSuffix("</\(name)>")
                        ? String(body.dropLast(name.count + 3)) + "</f:\(name)>" : body
                    text.replaceSubrange(start.lowerBound..<end, with: renamed + closed)
                }
            case 5:
                // Two entries swapped.
                let entries = try! NSRegularExpression(pattern: #"<entry>.*?</entry>"#, options: .dotMatchesLineSeparators)
                    .matches(in: text, range: whole)
                guard entries.count > 1 else { continue }
                let picked = entries.shuffled(using: &rng).prefix(2).sorted { $0.range.location < $1.range.location }
                let first = Range(picked[0].range, in: text)!, second = Range(picked[1].range, in: text)!
                let a = String(text[first]), b = String(text[second])
                text.replaceSubrange(second, with: a)
                text.replaceSubrange(first, with: b)
            case 6:
                guard let match = texts.matches(in: text, range: whole).randomElement(using: &rng) else { continue }
                let range = Range(match.range(at: 1), in: text)!
                let value = String(text[range])
                let cut = value.index(value.startIndex, offsetBy: Int.random(in: 0...value.count, using: &rng))
                let slipped = ["<!-- note -->", "<![CDATA[&<x>]]>", "&amp;", "\n  ", "<?pi data?>", "\u{85}"].randomElement(using: &rng)!
                text.replaceSubrange(range, with: String(value[..<cut]) + slipped + String(value[cut...]))
            case 7:
                // A richer narrative in the first XHTML div.
                guard let div = text.range(of: #"<div xmlns="http://www.w3.org/1999/xhtml">"#) else { continue }
                text.insert(contentsOf: "<ul><li> item  one <br/>after</li><li>-</li></ul><table><tr><td>a</td><td/><th> b </th></tr></table><script>x()</script>tail<h2>Head</h2>", at: div.upperBound)
            default:
                // The whole letter on more lines (other line numbers in every message).
                text = text.replacingOccurrences(of: "><", with: ">\n<")
            }
        }
        return text
    }

    @Test("The FHIR letters in Import/ read the same in place as from the copied tree")
    func importLetters() throws {
        for source in try Self.sources {
            let data = Data(source.utf8)
            let inPlace = Self.outcome(data, inPlace: true)
            guard case .read = inPlace else { Issue.record("an Import/ letter was refused: \(inPlace)"); continue }
            #expect(inPlace == Self.outcome(data, inPlace: false))
        }
    }

    @Test("On 450 FHIR letters altered at random, in place and the copied tree give the same referral or the same refusals (message, line, path)")
    func alteredLetters() throws {
        var rng = SplitMix64(state: 0xF41_9_2026)
        var read = 0, refused = 0
        for (index, source) in try Self.sources.enumerated() {
            for _ in 0..<150 {
                let data = Data(Self.altered(source, &rng).utf8)
                let inPlace = Self.outcome(data, inPlace: true)
                let copied = Self.outcome(data, inPlace: false)
                #expect(inPlace == copied, "letter from source \(index)")
                if case .read = inPlace { read += 1 } else { refused += 1 }
            }
        }
        // Both paths exercised: many letters read (with warnings), many refused.
        #expect(read > 100)
        #expect(refused > 50)
    }
}
