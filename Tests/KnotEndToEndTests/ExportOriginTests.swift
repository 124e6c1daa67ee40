import Foundation
import Testing
import ClinicDemo
import ClinicModel
import ClinicServices
@testable import ClinicStore
import ClinicTestSupport
import ClinicXML

/// Importing a clinic export checks that every record in it has its audited origin: an event of
/// the export's trail that made it, and content that matches the digest it was exported with.
/// Each forgery below is signed with the exporting clinic's own key (an insider, or a database
/// edited before export), so only the origin check can catch it; it is refused naming the record,
/// or, with `--untrusted`, imported and marked in the chart.
@Suite struct ExportOriginTests {
    /// A demo clinic (kept open, to sign forged copies with its key) and its export.
    static let source: (TemporaryDirectory, ClinicDatabase, String) = {
        let dir = TemporaryDirectory(prefix: "knot-origin-source")
        let db = try! ClinicDatabase(path: dir.file("demo.sqlite"))
        _ = try! DemoClinic.load(into: db, actor: "demo", today: try! LocalDate(year: 2026, month: 6, day: 30))
        try! db.write { try $0.setClinicSetting(name: ClinicSettingName.name, value: "Harbour Physio", actor: "demo") }
        let path = dir.file("clinic.xml")
        _ = try! ClinicSession.maintenance(database: db, actor: "test").export(to: path)
        return (dir, db, path)
    }()

    /// Writes `data` as `clinic.xml` in a new folder, signed with `signer`'s key (the demo's by default).
    static func signed(_ data: Data, by signer: ClinicDatabase = source.1) throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory(prefix: "knot-origin-forged")
        let path = dir.file("clinic.xml")
        try data.write(to: URL(fileURLWithPath: path))
        let sha = try LetterDigest.sha256Hex(fileAt: path)
        let sig = try #require(try signer.read { try $0.signExport(sha256: sha) })
        try sig.write(toFile: path + ".sig", atomically: true, encoding: .utf8)
        return (dir, path)
    }

    /// The export's records written again, with `extra` practitioners, with or without digests.
    static func rewritten(extra: [Practitioner] = [], digests: Bool = true) throws -> Data {
        let all = try RecordsImportReader.readAll(try Data(contentsOf: URL(fileURLWithPath: source.2)), fileName: "clinic.xml")
        let writer = try RecordsExportWriter()
        writer.writesDigests = digests
        if let header = all.header { try writer.writeHeader(header) }
        for p in all.practitioners + extra { try writer.write(p) }
        for r in all.records { try writer.write(r) }
        for a in all.audit { try writer.write(a) }
        return try writer.finish()
    }

    /// Imports `export` into a new clinic; the outcome and the session (for reading the chart).
    static func importInto(_ export: String, untrusted: Bool = false) throws -> (ImportOutcome, ClinicSession, TemporaryDirectory) {
        let dir = TemporaryDirectory(prefix: "knot-origin-import")
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        var options = ImportOptions()
        options.untrusted = untrusted
        let session = ClinicSession.maintenance(database: db, actor: "test")
        return (session.importFile(export, options: options), session, dir)
    }

    @Test("Knot's own export carries a digest per record and imports with no origin finding (no false alarm)")
    func ownExportHasNoFalseAlarm() throws {
        let text = try String(contentsOfFile: Self.source.2, encoding: .utf8)
        #expect(text.contains(" digest=\""))
        let (outcome, session, dir) = try Self.importInto(Self.source.2)
        _ = dir
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.warnings.isEmpty, "\(outcome.warnings)")
        let detail = try session.database.read { try $0.auditLog(patientID: nil, limit: 1).first?.event.detail }
        #expect(detail?.contains("signed by trusted key") == true && detail?.contains("origin") == false, "\(detail ?? "")")
        // Exported again, it imports again: the digests survive the round trip.
        let again = dir.file("again.xml")
        _ = try session.export(to: again)
        let (second, _, dir2) = try Self.importInto(again)
        _ = dir2
        #expect(second.status == .created && second.warnings.isEmpty, "\(second.detail) \(second.warnings)")
    }

    @Test("forged: a record added without an event is refused naming it; --untrusted imports it marked in the chart")
    func recordAddedWithoutEvent() throws {
        let ghost = Practitioner(id: 9_999, handle: "ghost", name: "Ghost Writer", profession: .physiotherapist)
        let (dir, path) = try Self.signed(try Self.rewritten(extra: [ghost]))
        _ = dir
        let (refused, _, d1) = try Self.importInto(path)
        _ = d1
        #expect(refused.status == .rejected)
        #expect(refused.detail.contains("practitioner 9999: no audited origin (the export's audit trail has no event creating it)"), "\(refused.detail)")
        #expect(refused.detail.contains("nothing was imported") && refused.detail.contains("--untrusted"), "\(refused.detail)")

        let (marked, session, d2) = try Self.importInto(path, untrusted: true)
        _ = d2
        #expect(marked.status == .created, "\(marked.detail)")
        #expect(marked.warnings.contains { $0.contains("practitioner 9999: no audited origin") }, "\(marked.warnings)")
        let first = try #require(try session.listPatients(includeArchived: true).first)
        let chart = try session.chart(key: first.recordNumber)
        let mark = try #require(chart.untrustedImport)
        #expect(mark.file == path && mark.reason.contains("1 record(s) without their audited origin"), "\(mark)")
        let visit = try #require(chart.visits.first)
        #expect(try session.visitRecord(id: visit.id).untrustedImport != nil)
    }

    /// The export with the first `old` replaced by `new` and signed by its clinic: the path, and
    /// the id of the visit the change is in, after checking that importing it is refused naming that visit.
    static func refusedNamingTheVisit(replacing old: String, with new: String) throws -> (TemporaryDirectory, String, Substring) {
        let text = try String(contentsOfFile: source.2, encoding: .utf8)
        let range = try #require(text.range(of: old))
        let visitStart = try #require(text.range(of: "<visit id=\"", options: .backwards, range: text.startIndex..<range.lowerBound))
        let visitID = text[visitStart.upperBound...].prefix { $0.isNumber }
        let (dir, path) = try signed(Data(text.replacingCharacters(in: range, with: new).utf8))
        let (refused, _, d1) = try importInto(path)
        _ = d1
        #expect(refused.status == .rejected)
        #expect(refused.detail.contains("visit \(visitID): does not match the digest it was exported with (changed after its last audited write)"),
                "\(refused.detail)")
        return (dir, path, visitID)
    }

    @Test("forged: a record changed after its event (a signed complaint) is refused naming the visit")
    func recordChangedAfterEvent() throws {
        let (dir, path, visitID) = try Self.refusedNamingTheVisit(replacing: "<complaint>Plantar", with: "<complaint>Nothing")
        _ = dir
        let (marked, _, d2) = try Self.importInto(path, untrusted: true)
        _ = d2
        #expect(marked.status == .created && marked.warnings.contains { $0.contains("visit \(visitID): does not match") }, "\(marked.warnings)")
    }

    @Test("re-indented (tabs, CRLF) and signed again, Knot's export imports with no origin finding: the digests hold whatever the layout")
    func reindentedExportImports() throws {
        let text = try String(contentsOfFile: Self.source.2, encoding: .utf8)
        let reindented = text.replacingOccurrences(of: ">\n  ", with: ">\r\n\t")
        #expect(reindented != text)
        let (dir, path) = try Self.signed(Data(reindented.utf8))
        _ = dir
        let (outcome, _, d1) = try Self.importInto(path)
        _ = d1
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.warnings.isEmpty, "\(outcome.warnings)")
    }

    @Test("forged: a complaint given whitespace that looks like indentation is refused naming the visit, as any changed value")
    func whitespaceAddedToAValue() throws {
        _ = try Self.refusedNamingTheVisit(replacing: "</complaint>", with: "\n      </complaint>")
    }

    @Test("forged: a clinic setting changed after its audited write is refused naming it")
    func settingChangedAfterEvent() throws {
        let text = try String(contentsOfFile: Self.source.2, encoding: .utf8)
        let setting = "<setting name=\"clinic_name\">Harbour Physio</setting>"
        #expect(text.contains(setting))
        let forged = text.replacingOccurrences(of: setting, with: "<setting name=\"clinic_name\">Harbour Physio Pty</setting>")
        let (dir, path) = try Self.signed(Data(forged.utf8))
        _ = dir
        let (refused, _, d1) = try Self.importInto(path)
        _ = d1
        #expect(refused.status == .rejected)
        #expect(refused.detail.contains("setting clinic_name: does not match its last audited value"), "\(refused.detail)")
    }

    @Test("a record changed with sqlite3 before export is exported as such and refused by name at import")
    func changedInTheSourceDatabase() throws {
        let dir = TemporaryDirectory(prefix: "knot-origin-sqlite")
        let dbPath = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: dbPath)
        let clinic = ClinicSession.maintenance(database: db, actor: "test")
        let amy = try clinic.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
        _ = try clinic.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                          dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)))
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE practitioner SET role = 'reception' WHERE id = \(amy.id!)")
            c.execute("UPDATE patient SET date_of_birth = '1950-01-01' WHERE record_number = 'K1'")
            c.commit()
            """, [dbPath])
        let export = dir.file("clinic.xml")
        _ = try clinic.export(to: export)
        let (refused, _, d1) = try Self.importInto(export)
        _ = d1
        #expect(refused.status == .rejected)
        #expect(refused.detail.contains("practitioner \(amy.id!): does not match the digest") && refused.detail.contains("patient 1: does not match the digest"),
                "\(refused.detail)")
        try db.close()
    }

    @Test("an export made before digests still imports, reported as origin not checkable")
    func olderExportIsNotCheckable() throws {
        let (dir, path) = try Self.signed(try Self.rewritten(digests: false))
        _ = dir
        let (outcome, session, d1) = try Self.importInto(path)
        _ = d1
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.warnings.contains { $0.contains("origin not checkable") }, "\(outcome.warnings)")
        let detail = try session.database.read { try $0.auditLog(patientID: nil, limit: 1).first?.event.detail }
        #expect(detail?.contains("origin not checkable") == true, "\(detail ?? "")")
        // Not untrusted: it was signed by a trusted key, so the chart carries no mark.
        let first = try #require(try session.listPatients(includeArchived: true).first)
        #expect(try session.chart(key: first.recordNumber).untrustedImport == nil)
    }
}
