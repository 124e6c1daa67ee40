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
        _ = FileManager.default.createFile(atPath: path, contents: nil)
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
        #expect(r.stdout.contains("REJECTED"), "\(r.stdout)")
        #expect(r.stdout.contains("more than 250,000 elements"), "\(r.stdout)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "0")
    }

    /// The demo clinic's export with `flood` placed before its closing tag, after a comment that
    /// pushes it past the first MiB (the part screened before streaming starts).
    func exportWithFlood(_ clinic: EndToEndClinic, _ flood: String, name: String) throws -> String {
        let demo = clinic.home.file("demo-\(name).sqlite")
        try #require(clinic.knot(["demo"], as: nil, database: demo).status == 0)
        let export = clinic.home.file("\(name).xml")
        let made = try clinic.knot(["export", "-o", export], as: "mchen", database: demo)
        try #require(made.status == 0, "\(made.stderr)")
        var text = try String(contentsOfFile: export, encoding: .utf8)
        let close = try #require(text.range(of: "</clinicRecords>", options: .backwards))
        text.replaceSubrange(close, with: "<!-- " + String(repeating: "padding ", count: 150_000) + " -->\n" + flood + "</clinicRecords>\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: export))
        // The flood is what is tested, not the signature the edit broke: the export goes unsigned.
        try FileManager.default.removeItem(atPath: export + ".sig")
        return export
    }

    @Test("a clinic export with an attribute or comment flood past its first MiB: refused while streaming, nothing written")
    func floodPastFirstMiB() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let attributes = "<flood " + (0..<150).map { "a\($0)=\"\"" }.joined(separator: " ") + "/>"
        let comments = String(repeating: "<!---->", count: 10_001)
        for (name, flood, mentions) in [("attributes", attributes, "more than 100 attributes"),
                                        ("comments", comments, "more than 10,000 comments")] {
            let export = try exportWithFlood(clinic, flood, name: name)
            let r = try clinic.knot(["import", "--untrusted", export])
            #expect(r.status == 65, "\(name): exit \(r.status): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("REJECTED"), "\(name): \(r.stdout)")
            #expect(r.stdout.contains(mentions), "\(name): \(r.stdout)")
            #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "0", "\(name)")
        }
    }
}
