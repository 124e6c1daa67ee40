import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore
import ClinicTestSupport

/// Whole-clinic export and import read the file once (schema validation while the records are
/// read) and split the work over two threads (XML on one, the database on the other). What the
/// clinic relies on stays: an export read back and exported again gives the same bytes, and an
/// export refused anywhere, even in its last record, leaves nothing written.
@Suite struct WholeClinicExchangeTests {
    /// A synthetic clinic large enough that records cross several hand-over chunks (80 patients,
    /// each with a visit, and over a thousand audit events), exported with and without its trail.
    static let exported: (dir: TemporaryDirectory, withAudit: String, withoutAudit: String) = {
        let dir = TemporaryDirectory(prefix: "knot-exchange")
        let db = try! ClinicDatabase(path: dir.file("clinic.sqlite"))
        _ = try! SyntheticClinic.generate(into: db, patients: 80, visitsPerPatient: 1, seed: 19,
                                          today: try! LocalDate(year: 2026, month: 6, day: 30))
        let session = ClinicSession.maintenance(database: db, actor: "test")
        let withoutAudit = dir.file("no-audit.xml"), withAudit = dir.file("clinic.xml")
        _ = try! session.export(to: withoutAudit, includeAudit: false)
        _ = try! session.export(to: withAudit)
        try! db.close()
        return (dir, withAudit, withoutAudit)
    }()

    /// Imports `export` into a new clinic; the outcome, and the patients and audit events written.
    static func importInto(_ export: String, untrusted: Bool = false) throws -> (ImportOutcome, patients: String?, events: String?) {
        let dir = TemporaryDirectory(prefix: "knot-exchange-import")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        var options = ImportOptions()
        options.untrusted = untrusted
        let outcome = ClinicSession.maintenance(database: db, actor: "test").importFile(export, options: options)
        try db.close()
        return (outcome, try SQLiteProbe.scalar(path, "SELECT count(*) FROM patient"),
                try SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_event"))
    }

    /// A copy of the export with `edit` applied to its text and no signature beside it (so that
    /// only `--untrusted` reads it: the refusals below come from reading, not from the signature).
    static func edited(_ edit: (String) -> String) throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory(prefix: "knot-exchange-edited")
        let path = dir.file("clinic.xml")
        let text = try String(contentsOfFile: exported.withAudit, encoding: .utf8)
        let changed = edit(text)
        #expect(changed != text, "the edit changed nothing")
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    /// `text` with the last occurrence of `old` replaced by `new`, and the line it is on.
    static func replacingLast(_ old: String, with new: String, in text: String) -> (String, Int) {
        guard let range = text.range(of: old, options: .backwards) else { return (text, 0) }
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        return (text.replacingCharacters(in: range, with: new), line)
    }

    @Test("export, a new clinic from it, export again: the same bytes, the audit chain intact")
    func roundTrip() throws {
        let dir = TemporaryDirectory(prefix: "knot-exchange-roundtrip")
        let (session, outcome) = try ClinicSession.createClinic(at: dir.file("copy.sqlite"), fromExport: Self.exported.withAudit, handle: nil)
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.patients == 80 && outcome.visits == 80)
        defer { try? session.database.close() }
        let maintenance = ClinicSession.maintenance(database: session.database, actor: "test")
        let again = dir.file("again.xml")
        _ = try maintenance.export(to: again, includeAudit: false)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: Self.exported.withoutAudit))
        let verified = try maintenance.verifyAudit()
        #expect(verified.isIntact, "\(verified.firstProblem ?? "")")
    }

    @Test("a schema violation in the export's last audit event, read after every record: refused with its line, nothing written")
    func lateSchemaViolation() throws {
        var line = 0
        let (dir, path) = try Self.edited { text in
            let (changed, at) = Self.replacingLast(" hash=\"", with: " hash=\"XYZ", in: text)
            line = at
            return changed
        }
        _ = dir
        let (outcome, patients, events) = try Self.importInto(path, untrusted: true)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("clinic.xml:\(line): "), "expected line \(line): \(outcome.detail)")
        #expect(patients == "0" && events == "0", "written: \(patients ?? "?") patients, \(events ?? "?") events")
    }

    @Test("a rule broken by the export's last patient (a record number given twice): refused naming it, nothing written")
    func lateRuleBroken() throws {
        let text = try String(contentsOfFile: Self.exported.withAudit, encoding: .utf8)
        let first = try #require(text.range(of: "<recordNumber>").map { text[$0.upperBound...].prefix { $0 != "<" } })
        let (dir, path) = try Self.edited { text in
            guard let open = text.range(of: "<recordNumber>", options: .backwards),
                  let close = text.range(of: "</recordNumber>", range: open.upperBound..<text.endIndex) else { return text }
            return text.replacingCharacters(in: open.upperBound..<close.lowerBound, with: first)
        }
        _ = dir
        let (outcome, patients, events) = try Self.importInto(path, untrusted: true)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("record number '\(first)' appears twice"), "\(outcome.detail)")
        #expect(patients == "0" && events == "0")
    }

    @Test("the first audit event does not chain: the writer stops while the reader still has the trail to read; nothing written")
    func writerStopsFirst() throws {
        let (dir, path) = try Self.edited { text in
            guard let range = text.range(of: "prevHash=\"") else { return text }
            // Another valid SHA-256 in hex: the schema accepts it, the chain does not.
            let end = text.index(range.upperBound, offsetBy: 64)
            return text.replacingCharacters(in: range.upperBound..<end, with: String(repeating: "ab", count: 32))
        }
        _ = dir
        let (outcome, patients, events) = try Self.importInto(path, untrusted: true)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("does not chain"), "\(outcome.detail)")
        #expect(patients == "0" && events == "0")
    }
}
