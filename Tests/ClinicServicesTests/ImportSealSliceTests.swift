import Foundation
import Testing
import ClinicModel
@testable import ClinicServices
import ClinicStore
import ClinicXML
import ClinicTestSupport

/// A whole-clinic import seals the rows it writes in slices, inside its one transaction, so that
/// what waits for its seal never grows with the clinic (issue 19). What the clinic relies on
/// stays: after the import every row and every audit event is sealed (`knot audit verify`
/// passes), a row changed with sqlite3 afterwards is found, and a refused import leaves nothing
/// written, seals included.
@Suite struct ImportSealSliceTests {
    /// Rows per slice here: the 80-patient export writes many times this.
    static let slice = 25

    static func importWithSlices(_ export: String, into path: String) throws -> ImportOutcome {
        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        var options = ImportOptions()
        options.untrusted = true
        options.sealSliceRows = slice
        return ClinicSession.maintenance(database: db, actor: "test").importFile(export, options: options)
    }

    static func verify(_ path: String) throws -> AuditVerification {
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        return try ClinicSession.maintenance(database: db, actor: "test").verifyAudit()
    }

    @Test("an import many slices long: every row and event sealed, audit verify intact, a row changed with sqlite3 found")
    func everyRowSealed() throws {
        let dir = TemporaryDirectory(prefix: "knot-seal-slices")
        let path = dir.file("clinic.sqlite")
        let outcome = try Self.importWithSlices(WholeClinicExchangeTests.exported.withAudit, into: path)
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.patients == 80)

        // Every row of every sealed table has its seal, and every audit event its keyed seal.
        let seals = try #require(Int(try SQLiteProbe.scalar(path, "SELECT count(*) FROM row_seal") ?? ""))
        #expect(seals > 10 * Self.slice, "only \(seals) rows sealed: the import did not cross many slices")
        for table in ["patient", "visit", "practitioner", "consent"] {
            let unsealed = try SQLiteProbe.scalar(path, """
                SELECT count(*) FROM \(table) WHERE rowid NOT IN (SELECT row_id FROM row_seal WHERE tbl = '\(table)')
                """)
            #expect(unsealed == "0", "\(unsealed ?? "?") \(table) row(s) without a seal")
        }
        let events = try SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_event")
        let keyed = try SQLiteProbe.scalar(path, "SELECT count(*) FROM audit_mac")
        #expect(events == keyed, "\(events ?? "?") events, \(keyed ?? "?") keyed")

        let whole = try Self.verify(path)
        #expect(whole.isIntact, "\(whole.firstProblem ?? "")")
        #expect(whole.rowsChecked == seals)

        // Changed behind Knot's back after the import: found, by table, row and column.
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = (SELECT max(id) FROM patient)")
            c.commit()
            """, [path])
        let tampered = try Self.verify(path)
        #expect(!tampered.isIntact)
        #expect(tampered.rowFindings.contains { $0.table == "patient" && $0.kind == .changed && $0.columns.contains("date_of_birth") },
                "\(tampered.rowFindings.map(\.description))")
    }

    @Test("refused by its last audit event after many slices were sealed: nothing written, no seal left")
    func refusedLeavesNoSeal() throws {
        let text = try String(contentsOfFile: WholeClinicExchangeTests.exported.withAudit, encoding: .utf8)
        let (changed, _) = WholeClinicExchangeTests.replacingLast(" hash=\"", with: " hash=\"XYZ", in: text)
        let dir = TemporaryDirectory(prefix: "knot-seal-slices-refused")
        let export = dir.file("clinic.xml")
        try changed.write(toFile: export, atomically: true, encoding: .utf8)
        let path = dir.file("clinic.sqlite")
        let before = try { () throws -> [String?] in
            try ClinicDatabase(path: path).close()
            return try ["patient", "audit_event", "row_seal", "audit_mac"].map { try SQLiteProbe.scalar(path, "SELECT count(*) FROM \($0)") }
        }()
        let outcome = try Self.importWithSlices(export, into: path)
        #expect(outcome.status == .rejected, "\(outcome.detail)")
        let after = try ["patient", "audit_event", "row_seal", "audit_mac"].map { try SQLiteProbe.scalar(path, "SELECT count(*) FROM \($0)") }
        #expect(after == before, "before \(before), after \(after)")
        #expect(after.first == "0")
        #expect(try Self.verify(path).isIntact)
    }

    @Test("the origin check's id sets: in order, out of order, repeated, and far apart")
    func idRanges() {
        var a = IDRangeSet(), b = IDRangeSet()
        #expect(a.isEmpty && a.subtracting(b).isEmpty)
        for id in Int64(1)...10_000 { a.insert(id) }
        for id in stride(from: Int64(20_000), to: 10_000, by: -2) { a.insert(id) }
        a.insert(5); a.insert(.max); a.insert(.min)
        for id in Int64(1)...10_000 where id != 777 { b.insert(id) }
        for id in stride(from: Int64(10_002), through: 20_000, by: 2).reversed() where id != 15_000 { b.insert(id) }
        b.insert(.max)
        #expect(!a.isEmpty)
        #expect(a.subtracting(b) == [.min, 777, 15_000])
        #expect(b.subtracting(a).isEmpty)
    }
}
