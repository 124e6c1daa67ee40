import Foundation
import Testing
import GRDB
import ClinicTestSupport
@testable import ClinicStore

/// The seals a clinic keeps never change how they are computed: old clinics must still verify.
/// Sealing remembers the digests of values met before, keeps its buffers between rows and binds
/// seal rows straight to SQLite; these tests hold every seal it writes to a plain
/// re-implementation of the documented rule, on a real clinic database: format v7 (a typed
/// SHA-256 per cell, the first 8 bytes of each concatenated, an HMAC of `row7`, table, the
/// column names joined by ",", rowid and those bytes) and the text format before it
/// (`name:hex16,…`, an HMAC of `row`, table, rowid and that text).
@Suite struct SealWorkTests {
    /// Every row's seal (digests and MAC) computed the plain way, by Python (hashlib, hmac)
    /// reading the file with its own sqlite3: `rowid|columns|mac` per row, in rowid order, v7's
    /// blobs in hex (`v7`) or the text seal of before. Text is read as GRDB reads it (up to its
    /// first NUL).
    static func reference(_ path: String, key: ClinicKey, table: String, v7: Bool = true) throws -> [String] {
        let script = """
        import hashlib, hmac, sqlite3, struct, sys
        c = sqlite3.connect(sys.argv[1])
        key = bytes.fromhex(sys.argv[2]); table = sys.argv[3]; v7 = sys.argv[4] == '7'
        cur = c.execute('SELECT rowid, * FROM "%s" ORDER BY rowid' % table)
        names = [d[0] for d in cur.description][1:]
        def typed(v):
            if v is None: return b'\\x00'
            if isinstance(v, int): return b'\\x01' + struct.pack('>q', v)
            if isinstance(v, float): return b'\\x02' + struct.pack('>d', v)
            if isinstance(v, str): return b'\\x03' + v.split('\\x00')[0].encode('utf-8')
            return b'\\x04' + bytes(v)
        def part(b): return struct.pack('>Q', len(b)) + b
        for r in cur.fetchall():
            if v7:
                cols = b''.join(hashlib.sha256(typed(v)).digest()[:8] for v in r[1:])
                msg = part(b'row7') + part(table.encode()) + part(','.join(names).encode()) + part(str(r[0]).encode()) + part(cols)
                cols = cols.hex()
            else:
                cols = ','.join(n + ':' + hashlib.sha256(typed(v)).hexdigest()[:16] for n, v in zip(names, r[1:]))
                msg = part(b'row') + part(table.encode()) + part(str(r[0]).encode()) + part(cols.encode())
            print('%d|%s|%s' % (r[0], cols, hmac.new(key, msg, hashlib.sha256).hexdigest()))
        """
        return try SQLiteProbe.python(script, [path, ClinicKey.hex(key.macKeyBytes), table, v7 ? "7" : "6"]).split(separator: "\n").map(String.init)
    }

    /// Awkward values, in columns of every affinity.
    static let values: [(any DatabaseValueConvertible & Sendable)?] = [
        nil, 0, 1, -1, Int64.max, Int64.min, 1 << 53, 0.1, 3.0, -1.5, 1e300, Double.infinity, -Double.infinity,
        Double.leastNonzeroMagnitude, -0.0, "", "plain", "12", "3.5", " 7", "Zoë Ångström", "日本語", "e\u{301}",
        "a\u{0}b", String(repeating: "x", count: 47), String(repeating: "y", count: 48), String(repeating: "z", count: 500),
        Data(), Data([0, 1, 2, 255]), Data(repeating: 7, count: 100),
    ]

    @Test("every awkward value, repeated and evicted from the remembered digests: each seal is the plain rule's (v7, and the text seal of before), byte for byte, and the clinic verifies")
    func sealsAreTheDocumentedOnes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        let key = try #require(db.key)
        var ids: Set<Int64> = []
        try db.pool.write { d in
            try d.execute(sql: "CREATE TABLE awkward (i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, a)")
            // Each value in every column, several times over (found again in the memo), then
            // thousands of distinct numbers and texts (slots replaced), then the values again.
            var rows: [[DatabaseValueConvertible?]] = []
            for _ in 0..<3 { for v in Self.values { rows.append([v, v, v, v, v, v]) } }
            for i in 0..<5_000 { rows.append([i, Double(i) / 7, "t\(i)", nil, i * 3, "w\(i % 97)"]) }
            for v in Self.values.reversed() { rows.append([v, v, v, v, v, v]) }
            for (n, r) in rows.enumerated() {
                // Mixed, so a cell's neighbours differ from row to row.
                let mixed = (0..<6).map { r[($0 + n) % 6] }
                try d.execute(sql: "INSERT INTO awkward VALUES (?, ?, ?, ?, ?, ?)", arguments: StatementArguments(mixed))
                ids.insert(d.lastInsertedRowID)
            }
            try RowSeal.seal(d, key: key, changes: ["awkward": ids])
        }
        func seals() throws -> [String] {
            try db.pool.read { d in
                try Row.fetchAll(d, sql: """
                    SELECT row_id, CASE typeof(columns) WHEN 'blob' THEN lower(hex(columns)) ELSE columns END AS columns,
                           CASE typeof(mac) WHEN 'blob' THEN lower(hex(mac)) ELSE mac END AS mac
                    FROM row_seal WHERE tbl = 'awkward' ORDER BY row_id
                    """).map { "\($0["row_id"] as Int64)|\($0["columns"] as String)|\($0["mac"] as String)" }
            }
        }
        for v7 in [true, false] {
            // v7 as Knot writes it; then the text seals of before (the code kept to verify them).
            if !v7 { try db.pool.write { try RowSeal.resealAsBeforeV7($0, key: key, tables: ["awkward"]) } }
            let written = try seals()
            let expected = try Self.reference(dir.file("clinic.sqlite"), key: key, table: "awkward", v7: v7)
            #expect(written.count == ids.count && expected.count == ids.count)
            let differing = zip(written, expected).filter { $0 != $1 }
            #expect(differing.isEmpty, "v7 \(v7): \(differing.count) differ, first: \(differing.prefix(2))")
            // The whole clinic verifies (every seal's MAC, the root).
            let (findings, root, _, _) = try db.pool.read { try RowSeal.verifyRows($0, key: key) }
            #expect(findings.isEmpty, "v7 \(v7): \(findings.prefix(3))")
            #expect(root == (try db.pool.read { try RowSeal.identity($0) })?.root)
        }
        // Back to v7, and a change made with sqlite3 is found.
        try db.pool.write { d in try RowSeal.seal(d, key: key, changes: ["awkward": ids]) }
        #expect(try seals() == (try Self.reference(dir.file("clinic.sqlite"), key: key, table: "awkward")))
        try db.close()
        _ = try SQLiteProbe.python("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"UPDATE awkward SET t = 't2' WHERE rowid = 200\")\nc.commit()",
                                   [dir.file("clinic.sqlite")])
        let reopened = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? reopened.close() }
        let after = try reopened.pool.read { try RowSeal.verifyRows($0, key: key) }.findings
        #expect(after.map(\.table) == ["awkward"] && after.first?.rowID == 200, "\(after)")
    }

    @Test("a seal row written straight to SQLite holds its digests and MAC as blobs, an empty digests blob included (a blob, not NULL)")
    func sealRowWriter() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        try db.pool.write { d in
            var writer = try SealRowWriter(d, table: "t é", replacing: true)
            var mac = SHA256Bytes()
            withUnsafeMutableBytes(of: &mac.bytes) { for i in 0..<32 { $0[i] = UInt8(i) } }
            try writer.write(rowID: Int64.max, digests: Array(0..<16), mac: mac)
            try writer.write(rowID: -3, digests: [], mac: SHA256Bytes())
            try writer.flush()
            let rows = try Row.fetchAll(d, sql: """
                SELECT tbl, row_id, hex(columns) AS columns, typeof(columns) AS kind, hex(mac) AS mac, typeof(mac) AS macKind
                FROM row_seal WHERE tbl = 't é' ORDER BY row_id
                """)
            #expect(rows.count == 2)
            #expect(rows.first?["row_id"] == -3 as Int64 && rows.first?["columns"] == "" && rows.first?["kind"] == "blob")
            #expect(rows.first?["mac"] == String(repeating: "00", count: 32) && rows.first?["macKind"] == "blob")
            #expect(rows.last?["row_id"] == Int64.max && rows.last?["columns"] == "000102030405060708090A0B0C0D0E0F" && rows.last?["kind"] == "blob")
            #expect(rows.last?["mac"] == (0..<32).map { String(format: "%02X", $0) }.joined())
            try d.execute(sql: "DELETE FROM row_seal WHERE tbl = 't é'")
        }
    }

    @Test("seals written several to a statement are the rows one statement each writes, in order, the last of a run written by flush()")
    func sealRowWriterSeveralAStatement() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        // Two full statements and a run's last few; digests of every length a table may have (0 to 9 columns).
        let count = 2 * SealRowWriter.rowsPerStatement + 5
        func mac(_ i: Int) -> SHA256Bytes {
            var m = SHA256Bytes()
            withUnsafeMutableBytes(of: &m.bytes) { for j in 0..<32 { $0[j] = UInt8(truncatingIfNeeded: i &* 31 &+ j) } }
            return m
        }
        func digests(_ i: Int) -> [UInt8] { (0..<(8 * (i % 10))).map { UInt8(truncatingIfNeeded: i &+ $0) } }
        let expected = (0..<count).map { i in
            ["row_id": "\(1000 + i)", "columns": digests(i).map { String(format: "%02X", $0) }.joined(),
             "mac": mac(i).array.map { String(format: "%02X", $0) }.joined()]
        }
        func stored(_ d: Database) throws -> [[String: String]] {
            try Row.fetchAll(d, sql: "SELECT row_id, hex(columns) AS columns, hex(mac) AS mac, typeof(columns) AS k FROM row_seal WHERE tbl = 'several' ORDER BY row_id")
                .map { ["row_id": "\($0["row_id"] as Int64)", "columns": $0["columns"], "mac": $0["mac"]] }
        }
        try db.pool.write { d in
            var writer = try SealRowWriter(d, table: "several", replacing: false)
            for i in 0..<count { try writer.write(rowID: Int64(1000 + i), digests: digests(i), mac: mac(i)) }
            // The full statements are written as they fill; the run's last rows wait for flush().
            #expect(try stored(d) == Array(expected.prefix(2 * SealRowWriter.rowsPerStatement)))
            try writer.flush()
            #expect(try stored(d) == expected)
            #expect(try String.fetchAll(d, sql: "SELECT DISTINCT typeof(columns) || typeof(mac) FROM row_seal WHERE tbl = 'several'") == ["blobblob"])
            // Written again, replacing: the same rows, the last written of each key kept.
            var again = try SealRowWriter(d, table: "several", replacing: true)
            for i in 0..<count { try again.write(rowID: Int64(1000 + i), digests: digests(i), mac: mac(i)) }
            try again.flush()
            #expect(try stored(d) == expected)
            try d.execute(sql: "DELETE FROM row_seal WHERE tbl = 'several'")
        }
    }
}
