import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicXML
@testable import ClinicStore
import ClinicTestSupport

/// The export checks what it writes as it writes it (a reader on its own thread, fed the bytes
/// handed to the file through a pipe), and signs the SHA-256 of those same bytes. What the
/// clinic relies on stays: a file the check refuses never takes its name, leaves nothing behind
/// and is named with its line and value; a file that passes is signed for exactly its bytes.
@Suite struct ExportCheckTests {
    /// A synthetic clinic whose export is several MiB: the check reads past the first MiB (the
    /// head it screens) while the writer still writes.
    static func clinic() throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory(prefix: "knot-export-check-db")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        _ = try SyntheticClinic.generate(into: db, patients: 200, visitsPerPatient: 2, seed: 8,
                                         today: try LocalDate(year: 2026, month: 6, day: 30))
        try db.close()
        return (dir, path)
    }

    @Test("a value the check refuses, in the first visit of a file of several MiB: refused naming its line and value; no file, no signature, no partial file left")
    func aRefusalByTheCheckLeavesNothing() throws {
        let (dbDir, path) = try Self.clinic()
        defer { withExtendedLifetime(dbDir) {} }
        // Behind Knot's back: an impression code the schema refuses (a code is letters, digits, '.' and '-')
        // but the database's own check lets through, on the first visit written.
        let triggers = try SQLiteProbe.query(path, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'visit'").map { $0[0] }
        let damage = "UPDATE visit SET impression = 'Lateral epicondylalgia', impression_code = 'not a code!' WHERE id = (SELECT min(id) FROM visit)"
        #expect(try StoreProbe.run(path, triggers.map { "DROP TRIGGER \"\($0)\"" } + [damage]) == "ok")
        let out = TemporaryDirectory(prefix: "knot-export-check-out")
        let file = out.file("clinic.xml")
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        var refusal = ""
        #expect(throws: ClinicXMLErrors.self) {
            do { _ = try ClinicSession.maintenance(database: db, actor: "test").export(to: file) } catch {
                refusal = "\(error)"
                throw error
            }
        }
        // "clinic.xml:79: Element '{urn:knot:records:1}impression', attribute 'code': ... The value 'not a code!' is not accepted ..."
        #expect(refusal.range(of: #"^clinic\.xml:[0-9]+: .*impression.*'not a code!'"#, options: .regularExpression) != nil, "\(refusal)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [], "nothing is left beside the export")
        // The same clinic without that damage exports (the refusal came from the check, not the reading).
        #expect(try StoreProbe.run(path, ["UPDATE visit SET impression = NULL, impression_code = NULL WHERE id = (SELECT min(id) FROM visit)"]) == "ok")
        let summary = try ClinicSession.maintenance(database: db, actor: "test").export(to: file)
        #expect(summary.bytes > 1 << 21)
    }

    @Test("the signature signs the SHA-256 of the file as it lies on disk, taken as it was written; the file reads back whole")
    func theSignatureIsOfTheBytesOnDisk() throws {
        let (dbDir, path) = try Self.clinic()
        defer { withExtendedLifetime(dbDir) {} }
        let out = TemporaryDirectory(prefix: "knot-export-check-out")
        let file = out.file("clinic.xml")
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        let summary = try ClinicSession.maintenance(database: db, actor: "test").export(to: file)
        #expect(summary.bytes > 1 << 21, "the file crosses the check's first MiB")
        let signature = try String(contentsOfFile: try #require(summary.signature), encoding: .utf8)
        #expect(signature.contains("sha256 \(try LetterDigest.sha256Hex(fileAt: file))\n"), "\(signature)")
        let reader = try RecordsImportReader(contentsOfFile: file, fileName: "clinic.xml")
        var patients = 0
        while let item = try reader.next() { if case .patient = item { patients += 1 } }
        #expect(patients == summary.patients && patients == 200)
    }
}
