import Foundation
import Testing
import ClinicModel
@testable import ClinicServices
import ClinicStore
import ClinicXML
import LibXML
import ClinicTestSupport

/// The letter import's shortcuts of session 14 (issue 19) keep what a user relies on:
/// a letter parsed once (`DocumentKind.parsed`, its tree handed to the reader) reads exactly as
/// one named first by `DocumentKind.detect` and parsed again by its reader, refusals in the same
/// words; the model's checks made on a reading thread (`modelCheckedDay`) are skipped by the
/// writer only on that day and only when they passed; and a batch filed without savepoints, its
/// inserts and seals stepped straight through SQLite, leaves every row sealed, tampering found.
@Suite("letters: parsed once, checked once, stepped directly")
struct LetterParsedOnceTests {
    let dir = TemporaryDirectory(prefix: "knot-parsed-once")

    static let importFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Import")

    /// What reading gives, as text to compare: the kind and the letter read, or the refusal's words.
    static func reading(_ data: Data, name: String, parsedOnce: Bool) -> String {
        let parseOptions = ParseOptions(maxBytes: ImportOptions().maxBytes, fileName: name)
        do {
            let parsed = parsedOnce ? DocumentKind.parsed(data, options: parseOptions) : nil
            let kind = try parsed?.kind ?? DocumentKind.detect(data, fileName: name, options: parseOptions)
            let letter = try ClinicSession.readLetter(kind, data, parseOptions: parseOptions, options: ImportOptions(),
                                                      parsed: parsed?.document)
            return "\(kind): " + (letter.map { "\($0.format) \(String(describing: $0.0))" } ?? "not a letter")
        } catch {
            return "refused: " + ClinicSession.describe(error)
        }
    }

    static let knotLetter = """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Sarah Okafor</name></referrer>
          <date>2026-11-20</date>
          <patient><givenNames>Mia</givenNames><familyName>Tran</familyName><dateOfBirth>1980-02-03</dateOfBirth><sex>female</sex></patient>
          <reason>Neck pain.</reason>
        </referral>
        """

    @Test("every example letter, and every kind of refusal, reads the same parsed once as named first and parsed again")
    func parsedOnceReadsTheSame() throws {
        var samples: [(String, Data)] = try FileManager.default.contentsOfDirectory(atPath: Self.importFolder.path).sorted().map {
            ($0, try Data(contentsOf: Self.importFolder.appendingPathComponent($0)))
        }
        #expect(samples.count >= 10)
        let letter = Self.knotLetter
        samples += [
            ("not-well-formed.xml", Data(letter.replacingOccurrences(of: "</reason>", with: "</reasons>").utf8)),
            ("doctype.xml", Data(letter.replacingOccurrences(of: "<referral xmlns", with: "<!DOCTYPE referral [<!ENTITY x \"y\">]>\n<referral xmlns").utf8)),
            ("unknown-root.xml", Data("<?xml version=\"1.0\"?><letter xmlns=\"urn:example\"/>".utf8)),
            ("no-namespace.xml", Data("<referral/>".utf8)),
            ("plan.xml", Data("<?xml version=\"1.0\"?><plan xmlns=\"urn:knot:plan:1\"/>".utf8)),
            ("empty.xml", Data()),
            ("latin1.xml", Data(letter.replacingOccurrences(of: "UTF-8", with: "ISO-8859-1").replacingOccurrences(of: "Tran", with: "Tr\u{E2}n").utf8)),
            ("invalid.xml", Data(letter.replacingOccurrences(of: "<sex>female</sex>", with: "<sex>robot</sex>").utf8)),
            ("future-birth.xml", Data(letter.replacingOccurrences(of: "1980-02-03", with: "2990-02-03").utf8)),
            // Past `parsedWholeUpTo`: named by `detect`, as before.
            ("large.xml", Data(letter.replacingOccurrences(of: "<reason>", with: "<!--" + String(repeating: "x", count: DocumentKind.parsedWholeUpTo) + "--><reason>").utf8)),
        ]
        var parsedOnce = 0
        for (name, data) in samples {
            let before = Self.reading(data, name: name, parsedOnce: false)
            let after = Self.reading(data, name: name, parsedOnce: true)
            #expect(after == before, "\(name)")
            if DocumentKind.parsed(data, options: ParseOptions(fileName: name)) != nil { parsedOnce += 1 }
        }
        // The examples and the well-formed letters took the new way; the rest the old one.
        #expect(parsedOnce >= samples.count - 6, "\(parsedOnce) of \(samples.count)")
        for name in ["not-well-formed.xml", "doctype.xml", "empty.xml", "large.xml"] {
            let data = try #require(samples.first { $0.0 == name }?.1)
            #expect(DocumentKind.parsed(data, options: ParseOptions(fileName: name)) == nil, "\(name)")
        }
    }

    /// A letter's incoming referral, as the reader makes it.
    static func incoming() throws -> IncomingReferral {
        try KnotReferralReader.read(Data(knotLetter.utf8), fileName: "letter.xml")
    }

    @Test("the reading thread's check passes only what the writer's would pass, on the day it was made")
    func modelCheckedDay() throws {
        let good = try Self.incoming()
        #expect(ClinicSession.modelCheckedDay(good) == LocalDate.today())
        // What the writer sets itself (a number it chooses, no alerts) cannot fail the check.
        var own = good
        own.patient.recordNumber = ""
        own.patient.alerts = [PatientAlert(kind: .allergy, text: "")]
        #expect(ClinicSession.modelCheckedDay(own) == LocalDate.today())
        var longName = good
        longName.patient.familyName = String(repeating: "a", count: 101)
        #expect(ClinicSession.modelCheckedDay(longName) == nil)
        var badPhone = good
        badPhone.patient.phone = "call me"
        #expect(ClinicSession.modelCheckedDay(badPhone) == nil)
        var expired = good
        expired.referral.expiresOn = good.referral.date.adding(days: -1)
        #expect(ClinicSession.modelCheckedDay(expired) == nil)
    }

    @Test("the writer skips the model's checks only for the day they were made: another day, the model refuses in its own words")
    func writerTrustsOnlyThatDay() throws {
        var incoming = try Self.incoming()
        incoming.patient.familyName = String(repeating: "a", count: 101)
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        let session = ClinicSession.maintenance(database: db, actor: "test")
        func file(checkedOn day: LocalDate?) -> String {
            do {
                let o = try session.database.write { tx in
                    try session.fileReferral(incoming, in: tx, file: "letter.xml", format: "knot-referral", sha: String(repeating: "0", count: 64),
                                             dryRun: false, modelCheckedOn: day)
                }
                return "filed: \(o.detail)"
            } catch {
                return ClinicSession.describe(error)
            }
        }
        let yesterday = file(checkedOn: LocalDate.today().adding(days: -1))
        let unchecked = file(checkedOn: nil)
        #expect(yesterday == unchecked)
        #expect(unchecked.contains("familyName"), "\(unchecked)")
        // Claimed checked today, the model's check is skipped: the schema still refuses the row.
        let today = file(checkedOn: LocalDate.today())
        #expect(!today.hasPrefix("filed"), "\(today)")
        #expect(today != unchecked)
        #expect(try db.read { try $0.patientCount() } == 0)
    }

    /// Knot letters for `count` new patients, one file each.
    func letters(_ count: Int) throws -> [String] {
        let folder = dir.file("letters")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try (0..<count).map { i in
            // Every third on an anticoagulant (an alert proposed).
            let xml = Self.knotLetter
                .replacingOccurrences(of: "<familyName>Tran", with: "<familyName>Tran\(LetterStatementCountTests.word(i))")
                .replacingOccurrences(of: "</reason>", with: "</reason>\n  <medications><medication>\(i % 3 == 0 ? "Warfarin 5 mg" : "Paracetamol")</medication></medications>")
            let path = (folder as NSString).appendingPathComponent(String(format: "letter-%03d.xml", i))
            try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    @Test("letters filed in batches without savepoints: every row sealed, verify intact, a change behind Knot's back found")
    func steppedBatchesSealEveryRow() throws {
        let files = try letters(30)
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        let run = ClinicSession.maintenance(database: db, actor: "test").importAll(files, batchSize: 8)
        #expect(run.outcomes.count == 30 && run.outcomes.allSatisfy { $0.status == .created }, "\(run.outcomes.map(\.detail))")
        try db.close()
        let verified = try DirectStepsTests.verify(path)
        #expect(verified.isIntact, "\(verified.firstProblem ?? "")")
        #expect(verified.rowsChecked == Int(try SQLiteProbe.scalar(path, "SELECT count(*) FROM row_seal") ?? ""))
        for (table, rows) in [("patient", 30), ("referral", 30), ("patient_identifier", 0), ("imported_document", 30), ("patient_alert", 10)] {
            #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM \(table)") == String(rows), "\(table)")
            let unsealed = try SQLiteProbe.scalar(path, "SELECT count(*) FROM \(table) WHERE rowid NOT IN (SELECT row_id FROM row_seal WHERE tbl = '\(table)')")
            #expect(unsealed == "0", "\(unsealed ?? "?") \(table) row(s) without a seal")
        }
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_mac") == SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_event"))
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE referral SET reason = 'edited' WHERE id = 17")
            c.commit()
            """, [path])
        let tampered = try DirectStepsTests.verify(path)
        #expect(tampered.rowFindings.contains { $0.table == "referral" && $0.kind == .changed && $0.columns.contains("reason") },
                "\(tampered.rowFindings.map(\.description))")
    }
}
