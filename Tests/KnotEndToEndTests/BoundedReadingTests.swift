import Foundation
import Testing
import ClinicTestSupport

/// A letter is read whole into a tree, which costs a few hundred bytes per node whatever the
/// bytes that made it: a letter of many tiny elements is refused by a node-count limit before
/// it is parsed, so it cannot take memory many times its size.
@Suite("bounded reading", .serialized)
struct BoundedReadingTests {
    /// A Knot referral letter whose history holds `elements` empty elements.
    static func writeDenseLetter(to path: String, elements: Int) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Sarah Okafor</name></referrer>
              <date>2026-11-20</date>
              <patient><givenNames>Dense</givenNames><familyName>Letter</familyName><dateOfBirth>1970-01-01</dateOfBirth></patient>
              <reason>Calf pain.</reason>
              <history>
            """.utf8))
        let chunk = Data(String(repeating: "<b/>", count: 65_536).utf8)
        var written = 0
        while written < elements {
            try handle.write(contentsOf: chunk)
            written += 65_536
        }
        try handle.write(contentsOf: Data("</history></referral>\n".utf8))
    }

    @Test("a 60 MB letter of tiny elements under a 1 GB memory limit: refused cleanly (exit 65), nothing written")
    func denseLetterUnderMemoryLimit() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let letter = clinic.home.file("dense.xml")
        try Self.writeDenseLetter(to: letter, elements: 15_000_000)  // 60 MB
        let r = try ConstrainedKnot.run(["import", letter], home: clinic.home.path,
                                        environment: ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"],
                                        addressSpaceLimit: 1 << 30)
        #expect(r.status == 65, "exit \(r.status): \(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("REJECTED"), r.stdout)
        #expect(r.stdout.contains("more than 250,000 elements"), r.stdout)
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "0")
    }
}
