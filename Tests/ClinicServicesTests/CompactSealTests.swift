import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport
@testable import ClinicStore

/// Row seals in format v7 (`v7-compact-seals`, issue 19): a blob of 8-byte digests and a
/// 32-byte MAC per row, the column names covered by the MAC but not stored. A clinic sealed the
/// text way before v7 upgrades and verifies intact, keeps what was changed before the upgrade,
/// and may hold both formats at once; every edit made with sqlite3 to a v7 seal or its row is
/// named by table, row and column, never a crash.
@Suite struct CompactSealTests {
    typealias T = TamperEvidenceTests

    /// The demo clinic as a Knot before v7 left it: every seal text, `v7-compact-seals` not run.
    static func clinicBeforeV7() throws -> (TemporaryDirectory, String) {
        let (dir, path) = try T.tampered("SELECT 1")
        let db = try ClinicDatabase(path: path, create: false)
        let key = try #require(db.key)
        try db.pool.write { try RowSeal.resealAsBeforeV7($0, key: key) }
        try db.close()
        try SealCoverageTests.edit(path, "DELETE FROM grdb_migrations WHERE identifier = 'v7-compact-seals'")
        return (dir, path)
    }

    /// `typeof(columns)` and `typeof(mac)` of every seal, counted: `["blob blob": n, …]`.
    static func sealKinds(_ path: String, table: String = "row_seal") throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try SQLiteProbe.query(path, "SELECT typeof(columns) || ' ' || typeof(mac), count(*) FROM \(table) GROUP BY 1") {
            out[row[0]] = Int(row[1])
        }
        return out
    }

    /// Replaces the `columns` blob of one seal with `change(bytes)`, with python's sqlite3 (bytes stay a blob).
    static func rewriteDigests(_ path: String, table: String, rowID: Int64, _ change: String) throws {
        try T.python(path, """
            con = sqlite3.connect(path)
            (b,) = con.execute("SELECT columns FROM row_seal WHERE tbl = ? AND row_id = ?", ('\(table)', \(rowID))).fetchone()
            assert isinstance(b, bytes), type(b)
            b = bytearray(b)
            \(change)
            con.execute("UPDATE row_seal SET columns = ? WHERE tbl = ? AND row_id = ?", (bytes(b), '\(table)', \(rowID)))
            con.commit()
            """)
    }

    /// The number `sql` answers, read with sqlite3.
    static func number(_ path: String, _ sql: String) throws -> Int64 {
        let text = try SQLiteProbe.scalar(path, sql)
        return try #require(text.flatMap { Int64($0) }, "\(sql): \(text ?? "nil")")
    }

    /// A patient id of the demo clinic.
    static func patientID(_ path: String) throws -> Int64 {
        try number(path, "SELECT min(id) FROM patient")
    }

    @Test("a clinic sealed the text way verifies, upgrades to v7, and verifies intact: every seal a blob of 8 bytes a column and a 32-byte MAC")
    func upgradeFromTextSeals() throws {
        let (dir, path) = try Self.clinicBeforeV7()
        _ = dir
        let kinds = try Self.sealKinds(path)
        #expect(kinds.keys.sorted() == ["text text"], "\(kinds)")
        #expect(try Self.sealKinds(path, table: "row_key_seal").keys.allSatisfy { $0 == "text text" })
        // The old seals verify as they were made (no finding, the root theirs).
        let before = try SQLiteProbe.scalar(path, "SELECT seal_root FROM clinic_identity")
        let db = try ClinicDatabase(path: path, create: false)
        #expect(try db.appliedMigrations().contains("v7-compact-seals"))
        try db.close()
        #expect(try SQLiteProbe.scalar(path, "SELECT seal_root FROM clinic_identity") != before)
        let v = try T.verify(path)
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        #expect(v.rowsChecked == kinds["text text"])
        #expect(v.rowFindings.isEmpty && v.sealProblems.isEmpty)
        #expect(try Self.sealKinds(path) == ["blob blob": kinds["text text"] ?? -1])
        // Every seal: 8 bytes for each of its table's columns, a 32-byte MAC.
        let tables = try SQLiteProbe.query(path, "SELECT DISTINCT tbl FROM row_seal").map { $0[0] }
        #expect(tables.count > 10)
        for table in tables {
            let columns = try Self.number(path, "SELECT count(*) FROM pragma_table_info('\(table)')")
            let wrong = try SQLiteProbe.scalar(path, """
                SELECT count(*) FROM row_seal WHERE tbl = '\(table)' AND (length(columns) <> \(8 * columns) OR length(mac) <> 32)
                """)
            #expect(wrong == "0", "\(table)")
        }
        #expect(try Self.sealKinds(path, table: "row_key_seal").keys.allSatisfy { $0 == "blob blob" })
    }

    @Test("an edit made with sqlite3 to a text-sealed clinic before the upgrade is still reported after it, on every verification")
    func editBeforeUpgradeIsKept() throws {
        let (dir, path) = try Self.clinicBeforeV7()
        _ = dir
        let id = try Self.patientID(path)
        try SealCoverageTests.edit(path, "UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = \(id)")
        // The first open runs the upgrade: what its verification found is recorded, then re-sealed.
        for _ in 0..<2 {
            let v = try T.verify(path)
            #expect(!v.isIntact)
            let f = try #require(v.rowFindings.first { $0.table == "patient" })
            #expect(f.rowID == id && f.columns == ["date_of_birth"] && f.kind == .changed && f.recordedAt != nil, "\(f)")
            #expect(v.sealProblems.isEmpty, "\(v.sealProblems)")
        }
        #expect(try Self.sealKinds(path).keys.sorted() == ["blob blob"])
    }

    @Test("v7 seals: a changed cell, a deleted row, a seal moved to another row, a flipped digest, a digests blob of the wrong length: each named with its kind and columns")
    func tamperedV7Seals() throws {
        // A changed cell.
        do {
            let (dir, path) = try T.tampered("SELECT 1")
            _ = dir
            let id = try Self.patientID(path)
            #expect(try Self.sealKinds(path).keys.sorted() == ["blob blob"])
            try SealCoverageTests.edit(path, "UPDATE patient SET phone = '0400 999 999' WHERE id = \(id)")
            let v = try T.verify(path)
            let f = try #require(v.rowFindings.first)
            #expect(v.rowFindings.count == 1 && f.table == "patient" && f.rowID == id && f.kind == .changed && f.columns == ["phone"], "\(v.rowFindings)")
        }
        // A deleted row.
        do {
            let (dir, path) = try T.tampered("DELETE FROM patient_identifier WHERE id = (SELECT min(id) FROM patient_identifier)", dropTriggers: true)
            _ = dir
            let v = try T.verify(path)
            #expect(v.rowFindings.count == 1, "\(v.rowFindings)")
            T.expectFinding(v, table: "patient_identifier", kind: .deleted)
        }
        // One row's seal moved to another row id: the moved seal does not verify there, the row it left has none.
        do {
            let (dir, path) = try T.tampered("SELECT 1")
            _ = dir
            let id = try Self.patientID(path)
            let other = try Self.number(path, "SELECT min(id) FROM patient WHERE id > \(id)")
            try SealCoverageTests.edit(path, """
                DELETE FROM row_seal WHERE tbl = 'patient' AND row_id = \(other);
                UPDATE row_seal SET row_id = \(other) WHERE tbl = 'patient' AND row_id = \(id);
                """)
            let v = try T.verify(path)
            #expect(v.rowFindings.contains { $0.table == "patient" && $0.rowID == other && $0.kind == .forgedSeal }, "\(v.rowFindings)")
            #expect(v.rowFindings.contains { $0.table == "patient" && $0.rowID == id && $0.kind == .noAuditedOrigin }, "\(v.rowFindings)")
            #expect(v.sealProblems.contains { $0.contains("seal root") }, "\(v.sealProblems)")
        }
        // A cell changed and its digest in the seal rewritten to match (a byte flipped): the MAC fails.
        do {
            let (dir, path) = try T.tampered("SELECT 1")
            _ = dir
            let id = try Self.patientID(path)
            let position = try Self.number(path, "SELECT cid FROM pragma_table_info('patient') WHERE name = 'phone'")
            try Self.rewriteDigests(path, table: "patient", rowID: id, "b[\(8 * position)] ^= 1")
            let v = try T.verify(path)
            let f = try #require(v.rowFindings.first)
            #expect(v.rowFindings.count == 1 && f.rowID == id && f.kind == .forgedSeal && f.columns == ["phone"], "\(v.rowFindings)")
        }
        // The digests blob cut short by one column, or one byte too long: a forged seal, never a crash.
        for change in ["b = b[:-8]", "b.append(0)", "b = bytearray()"] {
            let (dir, path) = try T.tampered("SELECT 1")
            _ = dir
            let id = try Self.patientID(path)
            try Self.rewriteDigests(path, table: "patient", rowID: id, change)
            let v = try T.verify(path)
            let f = try #require(v.rowFindings.first, "\(change)")
            #expect(v.rowFindings.count == 1 && f.rowID == id && f.kind == .forgedSeal, "\(change): \(v.rowFindings)")
            if change == "b = b[:-8]" {
                let last = try SQLiteProbe.scalar(path, "SELECT name FROM pragma_table_info('patient') ORDER BY cid DESC LIMIT 1")
                #expect(f.columns == [last ?? "?"], "\(f)")
            }
        }
        // The MAC as hex text or cut short, the digests a number: not a seal Knot writes.
        for set in ["mac = lower(hex(mac))", "mac = substr(mac, 1, 31)", "columns = 42"] {
            let sql = "UPDATE row_seal SET \(set) WHERE tbl = 'patient' AND row_id = (SELECT min(id) FROM patient)"
            let (dir, path) = try T.tampered(sql)
            _ = dir
            let v = try T.verify(path)
            #expect(v.rowFindings.count == 1 && v.rowFindings.first?.kind == .forgedSeal, "\(sql): \(v.rowFindings)")
        }
    }

    @Test("a column added with sqlite3 (ALTER TABLE … ADD COLUMN) is named on every row of its table, the seals themselves intact")
    func columnAdded() throws {
        let (dir, path) = try T.tampered("ALTER TABLE practitioner ADD COLUMN bank_account TEXT DEFAULT 'NL00 EVIL 0123'")
        _ = dir
        let v = try T.verify(path)
        let rows = Int(try Self.number(path, "SELECT count(*) FROM practitioner"))
        let found = v.rowFindings.filter { $0.table == "practitioner" }
        #expect(rows > 0 && found.count == rows, "\(v.rowFindings)")
        #expect(found.allSatisfy { $0.kind == .changed && $0.columns == ["bank_account"] }, "\(found)")
        #expect(found.first?.description.contains("column bank_account changed outside Knot") == true)
        // Renamed instead: the names no longer match those sealed, so every seal of the table fails.
        let (dir2, path2) = try T.tampered("ALTER TABLE practitioner RENAME COLUMN training_course TO course")
        _ = dir2
        let renamed = try T.verify(path2).rowFindings.filter { $0.table == "practitioner" }
        #expect(renamed.count == rows && renamed.allSatisfy { $0.kind == .forgedSeal }, "\(renamed)")
    }

    @Test("a mixed clinic (one table's seals text, the rest v7) verifies intact with its root; Knot's next write of a text-sealed row seals it v7; an edit of a text-sealed row is still named")
    func mixedClinic() throws {
        let (dir, path) = try T.tampered("SELECT 1")
        _ = dir
        let db = try ClinicDatabase(path: path, create: false)
        try db.pool.write { try RowSeal.resealAsBeforeV7($0, key: try #require(db.key), tables: ["patient"]) }
        let kinds = try SQLiteProbe.query(path, "SELECT DISTINCT (tbl = 'patient') || ' ' || typeof(columns) || ' ' || typeof(mac) FROM row_seal").map { $0[0] }
        #expect(kinds.sorted() == ["0 blob blob", "1 text text"], "\(kinds)")
        var v = try db.read { try $0.verifyAudit(anchor: nil) }
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        // Knot writes one patient again: its seal becomes v7, its old MAC leaves the root.
        let id = try Self.patientID(path)
        try db.write { tx in
            var p = try #require(try tx.patient(id: id))
            p.phone = "0400 000 002"
            try tx.updatePatient(p, actor: "test")
        }
        v = try db.read { try $0.verifyAudit(anchor: nil) }
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        try db.close()
        #expect(try SQLiteProbe.scalar(path, "SELECT typeof(columns) || ' ' || typeof(mac) FROM row_seal WHERE tbl = 'patient' AND row_id = \(id)") == "blob blob")
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM row_seal WHERE tbl = 'patient' AND typeof(columns) = 'text'") != "0")
        // A text-sealed row changed with sqlite3: named the old way.
        let other = try Self.number(path, "SELECT min(row_id) FROM row_seal WHERE tbl = 'patient' AND typeof(columns) = 'text'")
        try SealCoverageTests.edit(path, "UPDATE patient SET date_of_birth = '1901-01-01' WHERE id = \(other)")
        let after = try T.verify(path)
        #expect(after.rowFindings.map(\.description) == ["patient row \(other): column date_of_birth changed outside Knot (no longer matches its last audited write)"],
                "\(after.rowFindings)")
        #expect(after.sealProblems.isEmpty, "\(after.sealProblems)")
    }

    @Test("keyed seals before v7 (text) still verify; a text keyed seal rewritten to match an edit fails under the clinic key, and an edit is named")
    func keyedTextSeals() throws {
        let (dir, path) = try SealCoverageTests.clinicWithSettings()
        _ = dir
        let db = try ClinicDatabase(path: path, create: false)
        try db.pool.write { try RowSeal.resealAsBeforeV7($0, key: try #require(db.key)) }
        try db.close()
        #expect(try Self.sealKinds(path, table: "row_key_seal").keys.sorted() == ["text text"])
        #expect(try T.verify(path).isIntact)
        try SealCoverageTests.edit(path, "UPDATE letter_template SET body = 'Pay cash only.' WHERE name = 'referrer.closing'")
        T.expectFinding(try T.verify(path), table: "letter_template", column: "body")
        try SealCoverageTests.edit(path, """
            UPDATE clinic_setting SET value = '911' WHERE name = 'emergency_number';
            UPDATE row_key_seal SET columns = 'name:0000000000000000,value:0000000000000000' WHERE tbl = 'clinic_setting' AND row_key = '["emergency_number"]';
            """)
        T.expectFinding(try T.verify(path), table: "clinic_setting", kind: .forgedSeal)
    }
}
