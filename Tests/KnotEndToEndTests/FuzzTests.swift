import Foundation
import Testing
import SeededRandom
import ClinicModel
import ClinicStore
import ClinicServices
import ClinicDemo
import ClinicTestSupport
import ClinicXML
import LibXML

/// Seeded random mutation of real documents, run against every XML reader Knot has.
///
/// Each case is a seed document (Knot referrals, CDA letters, a records export) mutated a few
/// times (bytes flipped, inserted, deleted, duplicated, spliced from another seed, XML tokens
/// dropped in: entities, DOCTYPEs, CDATA ends, deep nesting, bad encodings). Every reader must
/// return a value or throw its typed error: never crash, never hang, never leak a local file
/// through an entity. The short run (3,000 cases) is part of the suite; `KNOT_LONG_TESTS=1` runs
/// 100,000 (or `KNOT_FUZZ_CASES`) and prints executions, time and failures.
@Suite("XML fuzzing")
struct FuzzTests {
    @Test("mutated documents never crash LibXML or ClinicXML's readers")
    func mutatedDocuments() throws {
        let environment = ProcessInfo.processInfo.environment
        let cases = Int(environment["KNOT_FUZZ_CASES"] ?? "") ?? (longTests ? 100_000 : 3_000)
        let seed = UInt64(environment["KNOT_FUZZ_SEED"] ?? "") ?? 20_261_125
        let seeds = try FuzzSeeds.load()
        try #require(seeds.count >= 10)
        var fuzzer = XMLFuzzer(seeds: seeds, seed: seed)
        let options = ParseOptions(maxBytes: 1 << 20, fileName: "fuzz.xml")
        var tally = FuzzTally()
        let started = Date()
        for i in 0..<cases {
            let input = fuzzer.nextCase()
            let caseStart = Date()
            let failures = FuzzOracle.run(input, options: options, tally: &tally)
            let elapsed = Date().timeIntervalSince(caseStart)
            if elapsed > tally.slowest {
                if environment["KNOT_FUZZ_KEEP_SLOWEST"] == "1" { _ = FuzzOracle.saveFailure(input, index: i) }
                tally.slowest = elapsed
                tally.slowestCase = i
                tally.slowestReaders = tally.readerTimes
            }
            for f in failures {
                tally.failures += 1
                if tally.failures <= 5 {
                    let file = FuzzOracle.saveFailure(input, index: i)
                    Issue.record("case \(i) (seed \(seed)): \(f); input kept at \(file)")
                }
            }
            if elapsed > 2 {
                Issue.record("case \(i) (seed \(seed)) took \(elapsed) s: \(FuzzOracle.saveFailure(input, index: i))")
            }
        }
        let total = Date().timeIntervalSince(started)
        print("""
            XML fuzz: \(cases) cases × 6 readers = \(tally.executions) executions in \(String(format: "%.1f", total)) s \
            (\(Int(Double(tally.executions) / max(total, 0.001)))/s), slowest case \(tally.slowestCase) \(String(format: "%.3f", tally.slowest)) s \
            (\(tally.slowestReaders.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", "))), \
            \(tally.accepted) values, \(tally.refused) typed refusals, \(tally.failures) failures, seed \(seed)
            """)
        #expect(tally.failures == 0)
        // The mutations must keep some documents readable, or only the tokenizer is being tested.
        #expect(tally.accepted > cases / 20, "only \(tally.accepted) mutated documents were accepted by any reader")
    }
}

/// Counts what the fuzz run saw.
struct FuzzTally {
    var executions = 0
    var accepted = 0
    var refused = 0
    var failures = 0
    var slowest: TimeInterval = 0
    var slowestCase = -1
    /// Time per reader in the current case (to name what was slow).
    var readerTimes: [(String, TimeInterval)] = []
    var slowestReaders: [(String, TimeInterval)] = []
}

/// Runs one input through every reader and says what went wrong, if anything.
enum FuzzOracle {
    static let leak = HostileXMLCorpus.leakedPasswdMarker

    static func run(_ data: Data, options: ParseOptions, tally: inout FuzzTally) -> [String] {
        var failures: [String] = []
        tally.readerTimes = []
        func outcome(_ reader: String, _ body: () throws -> String?) {
            tally.executions += 1
            let start = Date()
            defer { tally.readerTimes.append((reader, Date().timeIntervalSince(start))) }
            do {
                let text = try body()
                tally.accepted += 1
                if let text, text.contains(leak) { failures.append("\(reader) returned the contents of /etc/passwd") }
            } catch let e as XMLErrors {
                tally.refused += 1
                if e.issues.isEmpty { failures.append("\(reader) threw an XMLErrors with no issue") }
            } catch let e as ClinicXMLErrors {
                tally.refused += 1
                if e.errors.isEmpty { failures.append("\(reader) threw a ClinicXMLErrors with no error") }
            } catch is ClinicXMLError {
                tally.refused += 1
            } catch is XMLError {
                tally.refused += 1
            } catch {
                failures.append("\(reader) threw an untyped error \(type(of: error)): \(error)")
            }
        }
        outcome("XMLDocument") {
            let d = try XMLDocument(data: data, options: options)
            return String(describing: d.root.name) + String(decoding: d.serialized().prefix(100_000), as: UTF8.self)
        }
        outcome("XMLStreamReader") {
            let r = try XMLStreamReader(data: data, options: options)
            var events = 0
            var text = ""
            while let e = try r.next() {
                events += 1
                if events > 2_000_000 { throw FuzzHang() }
                if text.count < 10_000 { text += String(describing: e) }
            }
            return text
        }
        outcome("DocumentKind.detect") { String(describing: try DocumentKind.detect(data, fileName: "fuzz.xml", options: options)) }
        outcome("KnotReferralReader") { String(describing: try KnotReferralReader.read(data, fileName: "fuzz.xml", options: options)) }
        outcome("CDAReferralReader") { String(describing: try CDAReferralReader.read(data, fileName: "fuzz.xml", options: options)) }
        outcome("FHIRReferralReader") { String(describing: try FHIRReferralReader.read(data, fileName: "fuzz.xml", options: options)) }
        outcome("RecordsImportReader") {
            let r = try RecordsImportReader(data: data, fileName: "fuzz.xml", options: options)
            var items = 0
            while try r.next() != nil {
                items += 1
                if items > 100_000 { throw FuzzHang() }
            }
            return String(items)
        }
        return failures
    }

    /// Keeps a failing input for replay (under the system temporary folder).
    static func saveFailure(_ data: Data, index: Int) -> String {
        let path = NSTemporaryDirectory() + "knot-fuzz-failure-\(index).xml"
        try? data.write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A reader that never ends (a failure the oracle reports as untyped).
struct FuzzHang: Error, CustomStringConvertible {
    var description: String { "the reader did not finish (over the event cap)" }
}

/// The seed documents: every referral fixture in the repository, generated Knot referrals, a
/// records export of part of the demo clinic, and the hostile XML corpus.
enum FuzzSeeds {
    static func load() throws -> [Data] {
        var seeds: [Data] = []
        let fixtures = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ClinicXMLTests/Fixtures")
        for folder in ["cda", "knot"] {
            let dir = fixtures.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? [] where name.hasSuffix(".xml") {
                if let d = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) { seeds.append(d) }
            }
        }
        // The FHIR referral examples (there are no FHIR fixtures: Import/ holds them).
        let examples = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Import")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: examples.path))?.sorted() ?? [] where name.hasPrefix("fhir-") {
            if let d = FileManager.default.contents(atPath: examples.appendingPathComponent(name).path) { seeds.append(d) }
        }
        let tmp = TemporaryDirectory(prefix: "knot-fuzz-seeds")
        for file in try EndToEndClinic.writeReferrals(count: 3, into: tmp.file("letters")) {
            if let d = FileManager.default.contents(atPath: file) { seeds.append(d) }
        }
        // A records export: the demo clinic loaded in memory, three patients written out.
        let db = try ClinicDatabase(path: tmp.file("demo.sqlite"))
        _ = try DemoClinic.load(into: db, actor: "fuzz", today: LocalDate.today())
        let (practitioners, records) = try db.read { tx in
            (try tx.practitioners(), try tx.patientSummaries(limit: 3).compactMap { try tx.patientRecord(id: $0.id) })
        }
        try db.close()
        seeds.append(try RecordsExportWriter.document(practitioners: practitioners, records: records))
        for c in HostileXMLCorpus.cases() { let d = c.data; if d.count <= 256 * 1024 { seeds.append(d) } }
        return seeds
    }
}

/// Deterministic mutations of the seeds.
struct XMLFuzzer {
    let seeds: [Data]
    var rng: SplitMix64

    init(seeds: [Data], seed: UInt64) {
        self.seeds = seeds
        rng = SplitMix64(state: seed)
    }

    static let tokens: [String] = [
        "<", ">", "</", "/>", "&", "&amp;", "&lt;", "&#0;", "&#x1B;", "&#xD800;", "&#1114112;", "&e;", "&undefined;",
        "<![CDATA[", "]]>", "<!--", "-->", "<?xml version=\"1.0\"?>", "<?pi data?>", "\"", "'", "=",
        "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
        "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/>",
        "xmlns=\"\"", "xmlns:x=\"urn:x\"", "x:y=\"1\"", "xsi:nil=\"true\"", "nullFlavor=\"UNK\"",
        "\u{FEFF}", "\u{202E}", "\u{0}", "\u{1B}[2J", "encoding=\"UTF-16\"", "encoding=\"EBCDIC\"",
        "<dateOfBirth>2999-02-30</dateOfBirth>", "<date>0000-00-00</date>", "<sessionsAllowed>99999999999999999999</sessionsAllowed>",
        "<identifier system=\"ihi\">8003608166690503</identifier>", "<medication>warfarin</medication>",
        "<section><code code=\"10160-0\"/><text>apixaban</text></section>",
        "<birthTime value=\"19800230\"/>", "<effectiveTime value=\"99999999999999\"/>",
    ]

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int.random(in: 0..<n, using: &rng) }

    mutating func nextCase() -> Data {
        var bytes = [UInt8](seeds[int(seeds.count)])
        for _ in 0..<(1 + int(4)) { mutate(&bytes) }
        return Data(bytes)
    }

    mutating func mutate(_ b: inout [UInt8]) {
        let n = b.count
        switch int(11) {
        case 0 where n > 0:  // flip bits
            for _ in 0...int(8) { let i = int(n); b[i] ^= UInt8(1 << int(8)) }
        case 1:  // random bytes (including invalid UTF-8)
            let i = int(n + 1)
            b.insert(contentsOf: (0..<(1 + int(8))).map { _ in UInt8(int(256)) }, at: i)
        case 2 where n > 1:  // delete a range
            let i = int(n), len = min(n - i, 1 + int(64))
            b.removeSubrange(i..<(i + len))
        case 3 where n > 1:  // duplicate a range
            let i = int(n), len = min(n - i, 1 + int(512))
            b.insert(contentsOf: b[i..<(i + len)], at: int(n + 1))
        case 4 where n > 0:  // truncate
            b.removeSubrange(int(n)..<n)
        case 5:  // splice another seed
            let other = [UInt8](seeds[int(seeds.count)])
            let cut = int(n + 1), from = int(other.count + 1)
            b = Array(b[..<cut]) + Array(other[from...])
        case 6, 7:  // an XML token at a random place
            b.insert(contentsOf: Array(Self.tokens[int(Self.tokens.count)].utf8), at: int(n + 1))
        case 8:  // deep nesting
            let depth = 1 + int(400)
            b.insert(contentsOf: Array(String(repeating: "<n>", count: depth).utf8) + Array(String(repeating: "</n>", count: depth).utf8),
                     at: tagBoundary(b))
        case 9:  // a long run of one character (overlong fields)
            let ch = [UInt8(ascii: "A"), UInt8(ascii: "9"), UInt8(ascii: " "), 0xC3][int(4)]
            b.insert(contentsOf: [UInt8](repeating: ch, count: 1 + int(70_000)), at: tagBoundary(b))
        default:  // rename an element: swap the text of two tag names
            swapTagNames(&b)
        }
    }

    /// A position just after a '>' (so insertions land between elements), or the end.
    mutating func tagBoundary(_ b: [UInt8]) -> Int {
        let ends = b.indices.filter { b[$0] == UInt8(ascii: ">") }
        return ends.isEmpty ? b.count : ends[int(ends.count)] + 1
    }

    mutating func swapTagNames(_ b: inout [UInt8]) {
        let text = String(decoding: b, as: UTF8.self)
        let names = Array(Set(text.split(separator: "<").compactMap { part -> String? in
            let name = part.prefix { $0.isLetter || $0 == ":" }
            return name.isEmpty ? nil : String(name)
        })).sorted()
        guard names.count >= 2 else { return }
        let a = names[int(names.count)], c = names[int(names.count)]
        b = Array(text.replacingOccurrences(of: "<\(a)", with: "<\(c)").utf8)
    }
}
