import Foundation
import GRDB
import GRDBSQLite
import Crypto
import ClinicModel

/// Collects, per table, the rowids a write transaction touched (GRDB's update hook), so that
/// `ClinicDatabase.write` can seal each one before the transaction commits. SQLite calls no
/// update hook for tables without rowid: those are followed by temporary triggers on Knot's
/// own writing connection instead (`RowSeal.followKeyedTables`).
final class RowChangeCollector: TransactionObserver, @unchecked Sendable {
    let tables: Set<String>
    private let lock = NSLock()
    private var changes: [String: TouchedRowIDs] = [:]
    /// How many rows `changes` holds (a row written again out of rowid order counted again).
    private var held = 0

    init(tables: Set<String>) { self.tables = tables }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { tables.contains(eventKind.tableName) }
    func databaseDidChange(with event: DatabaseEvent) {
        // GRDB reports every change a watched statement makes, triggers' included (full-text
        // shadow tables): only the sealed tables count.
        guard tables.contains(event.tableName) else { return }
        lock.withLock { if changes[event.tableName, default: TouchedRowIDs()].add(event.rowID) { held += 1 } }
    }
    /// Rows written by a statement run straight through SQLite (`DirectSteps`), which GRDB's
    /// observation did not see: kept as `databaseDidChange(with:)` keeps GRDB's events. Each
    /// row's table is `names[row.table]`; the table is looked up once for each run of rows of
    /// the same table (a statement's rows are nearly always of one table), not once a row.
    func note(_ rows: [(table: Int, rowID: Int64)], names: [String]) {
        lock.withLock {
            var i = rows.startIndex
            while i < rows.endIndex {
                let table = rows[i].table
                var end = i + 1
                while end < rows.endIndex, rows[end].table == table { end += 1 }
                var added = 0
                changes[names[table], default: TouchedRowIDs()].add(rows[i..<end], added: &added)
                held += added
                i = end
            }
        }
    }
    func databaseDidCommit(_ db: Database) { lock.withLock { changes = [:]; held = 0 } }
    func databaseDidRollback(_ db: Database) { lock.withLock { changes = [:]; held = 0 } }

    /// The changes so far, each table's rowids ascending and distinct (and forgets them).
    func take() -> [String: [Int64]] {
        let taken = lock.withLock { defer { changes = [:]; held = 0 }; return changes }
        return taken.mapValues { $0.sortedDistinct() }
    }

    /// How many rows the transaction touched that are not sealed yet (a row written again, out
    /// of rowid order, before its seal, counted twice: a slice of seals then comes a little early).
    var pending: Int { lock.withLock { held } }
}

/// The rowids of one table a transaction touched, in the order written: kept ascending and
/// distinct for nothing while they come in rowid order (a load's rows; a row written twice in
/// a row, as a visit inserted then signed, kept once), sorted and made distinct when taken
/// otherwise.
///
/// Why not a `Set`: a whole-clinic import notes about 490,000 rows at 10,000 patients, each
/// hashed into a set and the set sorted again to seal them in rowid order; appending to an array
/// that is already in order costs a comparison.
struct TouchedRowIDs {
    private(set) var ids: [Int64] = []
    /// Whether `ids` is ascending without a repeat.
    private var ascending = true

    /// Notes `id`; false when it is the last one noted (nothing added).
    @inline(__always) mutating func add(_ id: Int64) -> Bool {
        if let last = ids.last {
            if id == last { return false }
            if id < last { ascending = false }
        }
        ids.append(id)
        return true
    }

    /// Notes each row's id; `added` grows by the ids added.
    mutating func add(_ rows: ArraySlice<(table: Int, rowID: Int64)>, added: inout Int) {
        for row in rows where add(row.rowID) { added += 1 }
    }

    /// The ids ascending, each once.
    func sortedDistinct() -> [Int64] {
        if ascending { return ids }
        var sorted = ids.sorted()
        var kept = 0
        for i in sorted.indices where i == 0 || sorted[i] != sorted[kept - 1] {
            sorted[kept] = sorted[i]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }
}

/// The keyed hashing of one sealing or verification run: the HMAC key schedule is done once
/// (its two midstates kept as values, `KeyedSHA256`) and copied for each row, and every part is
/// hashed from bytes already in memory. A v7 seal's first parts (its tag, the table, the
/// table's column names) are the same for every row of a table: they are hashed once per table
/// (`table(_:names:keyed:)`) and that state copied for each row.
struct SealHasher {
    private let keyed: KeyedSHA256

    init(_ key: ClinicKey) { keyed = key.macKeyBytes.withUnsafeBytes { KeyedSHA256(key: $0) } }

    /// The same bytes as `ClinicKey.mac(parts)` (each part length-prefixed), raw.
    func mac(_ parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        var h = keyed.start
        for p in parts { Self.add(&h, p) }
        return keyed.finish(h).array
    }

    /// One part of a MAC's message: its length (8 bytes, big-endian), then its bytes.
    @inline(__always) private static func add(_ h: inout SHA256State, _ part: UnsafeRawBufferPointer) {
        var n = UInt64(part.count).bigEndian
        withUnsafeBytes(of: &n) { h.update($0) }
        h.update(part)
    }

    /// Calls `body` with the decimal digits of `id` (what `String(id)` spells), on the stack.
    @inline(__always) private static func decimal<T>(_ id: Int64, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var v = id.magnitude, n = 20
            repeat { n -= 1; digits[n] = 48 + UInt8(v % 10); v /= 10 } while v > 0
            if id < 0 { n -= 1; digits[n] = UInt8(ascii: "-") }
            return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(digits)[n...]))
        }
    }

    // MARK: - Format v7 (compact): raw digests, names covered once per table

    /// The keyed state after a v7 seal's fixed parts: `row7` (or `keyrow7` for a table without
    /// rowid), the table, and its column names joined by ",". Copied for each row of the table.
    func table(_ table: [UInt8], names: [UInt8], keyed keyedRows: Bool) -> SHA256State {
        var h = keyed.start
        (keyedRows ? Self.keyrow7Tag : Self.row7Tag).withUnsafeBytes { Self.add(&h, $0) }
        table.withUnsafeBytes { Self.add(&h, $0) }
        names.withUnsafeBytes { Self.add(&h, $0) }
        return h
    }

    /// A v7 row seal: `ClinicKey.mac(["row7", table, names, String(rowID), digests])`, from the
    /// table's state (`table(_:names:keyed: false)`).
    func row7(_ table: SHA256State, rowID: Int64, digests: UnsafeRawBufferPointer) -> SHA256Bytes {
        Self.decimal(rowID) { id in
            var h = table
            Self.add(&h, id)
            Self.add(&h, digests)
            return keyed.finish(h)
        }
    }

    /// A v7 keyed row seal: `ClinicKey.mac(["keyrow7", table, names, key, digests])`, from the
    /// table's state (`table(_:names:keyed: true)`).
    func keyedRow7(_ table: SHA256State, key: [UInt8], digests: UnsafeRawBufferPointer) -> SHA256Bytes {
        var h = table
        key.withUnsafeBytes { Self.add(&h, $0) }
        Self.add(&h, digests)
        return keyed.finish(h)
    }

    // MARK: - Before v7 (text): kept to verify the seals older Knots wrote

    /// The seal of a rowid row before v7: `ClinicKey.mac(["row", table, String(rowID), columns])`.
    func row(table: [UInt8], rowID: Int64, columns: UnsafeRawBufferPointer) -> [UInt8] {
        Self.decimal(rowID) { id in
            Self.rowTag.withUnsafeBytes { tag in
                table.withUnsafeBytes { t in
                    var h = keyed.start
                    Self.add(&h, tag)
                    Self.add(&h, t)
                    Self.add(&h, id)
                    Self.add(&h, columns)
                    return keyed.finish(h).array
                }
            }
        }
    }

    /// The seal of a row of a table without rowid before v7: `ClinicKey.mac(["keyrow", table, key, columns])`.
    func keyedRow(table: [UInt8], key: [UInt8], columns: UnsafeRawBufferPointer) -> [UInt8] {
        Self.keyrowTag.withUnsafeBytes { tag in
            table.withUnsafeBytes { t in key.withUnsafeBytes { k in mac([tag, t, k, columns]) } }
        }
    }

    /// An audit event's keyed seal, hex: the same text as `RowSeal.eventMAC` (`ClinicKey.mac(["event",
    /// String(id), hash])`) with the key schedule done once per run, not once per event.
    func event(id: Int64, hash: String) -> String {
        var id = String(id), hash = hash
        let sealed: [UInt8] = id.withUTF8 { i in
            hash.withUTF8 { h in
                Self.eventTag.withUnsafeBytes { tag in mac([tag, UnsafeRawBufferPointer(i), UnsafeRawBufferPointer(h)]) }
            }
        }
        return ClinicKey.hex(sealed)
    }

    private static let rowTag = Array("row".utf8)
    private static let eventTag = Array("event".utf8)
    private static let keyrowTag = Array("keyrow".utf8)
    private static let row7Tag = Array("row7".utf8)
    private static let keyrow7Tag = Array("keyrow7".utf8)
}

/// Reads the cells of a statement's current row straight from SQLite (no Swift value per cell)
/// and gives their digests: raw, 8 bytes a column (a v7 seal), or as the `name:digest,…` text
/// older seals were made of.
struct ColumnDigester {
    /// Column names as bytes, from `first` on (the columns before it are the row's key).
    let names: [[UInt8]]
    /// The same names, for findings.
    let columnNames: [String]
    /// The names joined by "," (a v7 seal's MAC covers them).
    let joinedNames: [UInt8]
    let first: Int32
    /// The digests of the values met before (the same id, date or word in row after row).
    private let memo = CellDigestMemo()

    init(_ statement: Statement, skipping first: Int) {
        self.first = Int32(first)
        columnNames = Array(statement.columnNames.dropFirst(first))
        names = columnNames.map { Array($0.utf8) }
        joinedNames = Self.joined(names[...])
    }

    /// Names joined by ",".
    static func joined(_ names: ArraySlice<[UInt8]>) -> [UInt8] {
        Array(names.joined(separator: [UInt8(ascii: ",")]))
    }

    /// Replaces `out` with the current row's digests: the first 8 bytes of each cell's, in
    /// column order (what a v7 seal keeps).
    func digests(_ stmt: SQLiteStatement, into out: inout [UInt8]) {
        let n = names.count * 8
        if out.count != n { out = [UInt8](repeating: 0, count: n) }
        out.withUnsafeMutableBytes { p in
            for i in 0..<names.count {
                p.storeBytes(of: memo.prefix(stmt, first + Int32(i)), toByteOffset: 8 * i, as: UInt64.self)
            }
        }
    }

    /// Replaces `out` with the current row's `name:digest,…` bytes (the text seals were made of
    /// before v7).
    func columns(_ stmt: SQLiteStatement, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for (i, name) in names.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: name)
            out.append(UInt8(ascii: ":"))
            // 16 hex digits built on the stack and appended at once; a value met before is not hashed again.
            var hex = Self.hexPrefix(memo.prefix(stmt, first + Int32(i)))
            withUnsafeBytes(of: &hex) { out.append(contentsOf: $0) }
        }
    }

    /// The 16 lower-case hex digits of a digest's first 8 bytes (`prefix`, as they lie in memory).
    static func hexPrefix(_ prefix: UInt64) -> (UInt64, UInt64) {
        var hex: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &hex) { dst in
            withUnsafeBytes(of: prefix) { src in
                for j in 0..<8 {
                    let hi = src[j] >> 4, lo = src[j] & 0x0F
                    dst[2 * j] = hi < 10 ? 48 + hi : 87 + hi
                    dst[2 * j + 1] = lo < 10 ? 48 + lo : 87 + lo
                }
            }
        }
        return hex
    }

    /// A typed digest of one cell (NULL, integer, real, text and blob never collide), the same as
    /// digest of the value GRDB reads (so seals made before this reader still compare).
    static func digest(_ stmt: SQLiteStatement, _ index: Int32) -> SHA256Bytes {
        var h = SHA256State()
        switch sqlite3_column_type(stmt, index) {
        case SQLITE_INTEGER:
            let v = sqlite3_column_int64(stmt, index).bigEndian
            tag(&h, 1)
            withUnsafeBytes(of: v) { h.update($0) }
        case SQLITE_FLOAT:
            let v = sqlite3_column_double(stmt, index).bitPattern.bigEndian
            tag(&h, 2)
            withUnsafeBytes(of: v) { h.update($0) }
        case SQLITE_TEXT:
            tag(&h, 3)
            // GRDB reads text as a C string (up to the first NUL, invalid UTF-8 repaired): the
            // same bytes here, so a seal made either way compares.
            guard let text = sqlite3_column_text(stmt, index) else { break }
            let count = Int(sqlite3_column_bytes(stmt, index))
            var length = count
            var ascii = true
            for i in 0..<count {
                let b = text[i]
                if b == 0 { length = i; break }
                if b >= 0x80 { ascii = false }
            }
            if ascii {
                h.update(UnsafeRawBufferPointer(start: text, count: length))
            } else {
                var s = String(cString: text)
                s.withUTF8 { h.update(UnsafeRawBufferPointer($0)) }
            }
        case SQLITE_BLOB:
            tag(&h, 4)
            let count = Int(sqlite3_column_bytes(stmt, index))
            if count > 0, let blob = sqlite3_column_blob(stmt, index) {
                h.update(UnsafeRawBufferPointer(start: blob, count: count))
            }
        default:
            tag(&h, 0)
        }
        return h.finalize()
    }

    /// The type byte before a value (no array made for it).
    @inline(__always) private static func tag(_ h: inout SHA256State, _ value: UInt8) {
        h.update(byte: value)
    }
}

/// How rows are sealed: a canonical per-column digest (typed), and an HMAC of the clinic key over
/// table, rowid (or primary key) and those digests. The XOR of every row seal (the seal root) and
/// the audit head are covered by one more HMAC, so removing or replaying a seal shows too.
///
/// Format v7 (`v7-compact-seals`, issue 19): `columns` is a blob of the first 8 bytes of each
/// column's digest, in the table's `SELECT *` order, and `mac` the 32-byte HMAC of `row7`, the
/// table, its column names joined by ",", the rowid in decimal and that blob (`keyrow7`, table,
/// names, primary key, blob for a table without rowid). The names are still covered by every
/// MAC (a column renamed or added outside Knot still shows) but no longer stored in every seal.
/// Before v7 both were text: `name:<16 hex>,…` and the hex of the MAC of `row`, table, rowid
/// and that text. Such seals keep verifying as they were made; a row Knot writes again is
/// sealed the v7 way, its old seal's MAC taken out of the root.
enum RowSeal {
    /// Tables Knot keeps tamper evidence for itself, or that hold no clinic data.
    static let unsealed: Set<String> = ["audit_event", "audit_head", "audit_mac", "audit_checkpoint", "clinic_identity",
                                        "row_seal", "row_key_seal", "grdb_migrations",
                                        "patient_search_prefix", "patient_fts_hold"]

    private static func candidateTables(_ db: Database) throws -> [(name: String, withoutRowID: Bool)] {
        let rows = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        let all = rows.map { (name: $0["name"] as String, sql: ($0["sql"] as String? ?? "").uppercased()) }
        let virtual = all.filter { $0.sql.hasPrefix("CREATE VIRTUAL") }.map(\.name)
        return all.filter { t in
            !t.name.hasPrefix("sqlite_") && !unsealed.contains(t.name) && !t.sql.hasPrefix("CREATE VIRTUAL")
                && !virtual.contains(where: { t.name.hasPrefix($0 + "_") })
        }.map { (name: $0.name, withoutRowID: $0.sql.contains("WITHOUT ROWID")) }
    }

    /// Every rowid table that holds clinic data (not SQLite's, not full-text shadow tables).
    static func sealedTables(_ db: Database) throws -> [String] {
        try candidateTables(db).filter { !$0.withoutRowID }.map(\.name)
    }

    /// A table without rowid (clinic settings, letter templates, form drafts), sealed by its
    /// primary key.
    struct KeyedTable: Sendable {
        var name: String
        var primaryKey: [String]
        /// The SQL that names a row: `json_array("pk1", "pk2")`, for `prefix` (NEW., OLD. or none).
        func keySQL(_ prefix: String = "") -> String {
            "json_array(" + primaryKey.map { prefix + $0.quotedDatabaseIdentifier }.joined(separator: ", ") + ")"
        }
    }

    /// Every table without rowid that holds clinic data, once the clinic has a table for their
    /// seals (`v5-keyed-seals`); none before.
    static func keyedTables(_ db: Database) throws -> [KeyedTable] {
        guard try db.tableExists("row_key_seal") else { return [] }
        return try candidateTables(db).filter(\.withoutRowID).map { t in
            let info = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [t.name])
            return KeyedTable(name: t.name, primaryKey: info.map { $0["name"] })
        }
    }

    /// Has Knot's writing connection note every row of a keyed table it writes (temporary
    /// triggers: they exist only on this connection, so a write from sqlite3 is never noted).
    static func followKeyedTables(_ db: Database, tables: [KeyedTable]) throws {
        guard !tables.isEmpty else { return }
        // No key and no constraint: an outer statement's conflict policy (an upsert's) would
        // override the triggers' own, so duplicates are kept and read back DISTINCT.
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS knot_touched (tbl TEXT, row_key TEXT)")
        for t in tables {
            let name = t.name.quotedDatabaseIdentifier
            let literal = "'" + t.name.replacingOccurrences(of: "'", with: "''") + "'"
            func trigger(_ suffix: String, _ event: String, _ body: String) throws {
                let trigger = "knot_touched_\(t.name)_\(suffix)".quotedDatabaseIdentifier
                try db.execute(sql: "CREATE TEMP TRIGGER IF NOT EXISTS \(trigger) AFTER \(event) ON main.\(name) BEGIN \(body) END")
            }
            // Unqualified inside a trigger (SQLite's rule): a temporary trigger finds the temporary table.
            let new = "INSERT INTO knot_touched (tbl, row_key) VALUES (\(literal), \(t.keySQL("NEW.")));"
            let old = "INSERT INTO knot_touched (tbl, row_key) VALUES (\(literal), \(t.keySQL("OLD.")));"
            try trigger("i", "INSERT", new)
            try trigger("u", "UPDATE", new + old)
            try trigger("d", "DELETE", old)
        }
    }

    static func eventMAC(_ key: ClinicKey, id: Int64, hash: String) -> String {
        ClinicKey.hex(key.mac(["event", String(id), hash]))
    }

    static func headMAC(_ key: ClinicKey, clinicID: String, keyedFrom: Int64, lastID: Int64, lastHash: String, root: String) -> String {
        ClinicKey.hex(key.mac(["head", clinicID, String(keyedFrom), String(lastID), lastHash, root]))
    }

    static func xor<D: Sequence>(_ root: inout [UInt8], _ mac: D) where D.Element == UInt8 {
        for (i, b) in mac.enumerated() where i < root.count { root[i] ^= b }
    }

    static func xor(_ root: inout [UInt8], _ mac: SHA256Bytes) {
        withUnsafeBytes(of: mac.bytes) { m in for i in 0..<min(32, root.count) { root[i] ^= m[i] } }
    }

    struct Identity {
        var clinicID: String
        var keyedFrom: Int64?
        var root: String
        var headMAC: String
    }

    /// The clinic's identity row; nil when the table or the row is missing.
    static func identity(_ db: Database) throws -> Identity? {
        guard try db.tableExists("clinic_identity"),
              let r = try Row.fetchOne(db, sql: "SELECT clinic_id, keyed_from, seal_root, head_mac FROM clinic_identity WHERE singleton = 1") else { return nil }
        // Decoded with errors: an identity row edited outside Knot is named, never a trap.
        let c = r.checked("clinic_identity", key: "singleton")
        return try Identity(clinicID: c["clinic_id"], keyedFrom: c["keyed_from"], root: c["seal_root"], headMAC: c["head_mac"])
    }

    /// Seals the given rows of one rowid table as they are now (or forgets the seals of those
    /// gone); keeps the root.
    private static func sealRows(_ db: Database, hasher: SealHasher, table: String, ids sorted: [Int64], root: inout [UInt8],
                                 direct: DirectSteps?) throws {
        let oldSeals = try db.cachedStatement(sql: "SELECT mac FROM row_seal WHERE tbl = ? AND row_id BETWEEN ? AND ?")
        var oldMAC = [UInt8](repeating: 0, count: 32)
        let remove = try db.cachedStatement(sql: "DELETE FROM row_seal WHERE tbl = ? AND row_id = ?")
        let select = try db.cachedStatement(sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) WHERE rowid BETWEEN ? AND ? ORDER BY rowid")
        let digester = ColumnDigester(select, skipping: 1)
        let row = select.sqliteStatement
        let tableState = hasher.table(Array(table.utf8), names: digester.joinedNames, keyed: false)
        var writer = try SealRowWriter(db, table: table, replacing: true, direct: direct)
        var digests: [UInt8] = []
        func forget(_ id: Int64) throws { try remove.execute(arguments: [table, id]) }
        // In rowid order, a run of consecutive ids at a time (a whole-clinic import writes them so:
        // one range read each for the rows and for their old seals, instead of a look-up per row),
        // and the seals written into `row_seal`'s key order, page after page. `sorted`: ascending, distinct.
        var first = 0
        while first < sorted.count {
            var last = first
            while last + 1 < sorted.count, sorted[last + 1] == sorted[last] &+ 1 { last += 1 }
            let low = sorted[first], high = sorted[last]
            first = last + 1
            // Every id of the run was touched: each old seal (v7 or text) leaves the root (read
            // whole before any seal of the run is written).
            let old = try Row.fetchCursor(oldSeals, arguments: [table, low, high])
            while try old.next() != nil {
                if storedMAC(oldSeals.sqliteStatement, 0, into: &oldMAC) { xor(&root, oldMAC) }
            }
            // The rows still there are sealed as they are now; the ids with no row lose their seal.
            var next: Int64? = low
            let rows = try Row.fetchCursor(select, arguments: [low, high])
            while try rows.next() != nil {
                let id = sqlite3_column_int64(row, 0)
                while let gone = next, gone < id { try forget(gone); next = gone + 1 }
                digester.digests(row, into: &digests)
                let mac = digests.withUnsafeBytes { hasher.row7(tableState, rowID: id, digests: $0) }
                try writer.write(rowID: id, digests: digests, mac: mac)
                xor(&root, mac)
                next = id == high ? nil : id + 1
            }
            try writer.flush()
            while let gone = next { try forget(gone); next = gone == high ? nil : gone + 1 }
        }
    }

    /// Seals one row of a keyed table as it is now (or forgets its seal when it is gone).
    private static func sealKeyedRow(_ db: Database, hasher: SealHasher, table: KeyedTable, key: String, root: inout [UInt8]) throws {
        if let old = try DatabaseValue.fetchOne(db.cachedStatement(sql: "SELECT mac FROM row_key_seal WHERE tbl = ? AND row_key = ?"), arguments: [table.name, key]),
           let bytes = storedMAC(old) { xor(&root, bytes) }
        let select = try db.makeStatement(sql: "SELECT \(table.keySQL()) AS knot_key, * FROM \(table.name.quotedDatabaseIdentifier) WHERE \(table.keySQL()) = ?")
        let digester = ColumnDigester(select, skipping: 1)
        var digests: [UInt8] = []
        let cursor = try Row.fetchCursor(select, arguments: [key])
        if try cursor.next() != nil {
            digester.digests(select.sqliteStatement, into: &digests)
            let state = hasher.table(Array(table.name.utf8), names: digester.joinedNames, keyed: true)
            let mac = digests.withUnsafeBytes { hasher.keyedRow7(state, key: Array(key.utf8), digests: $0) }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO row_key_seal (tbl, row_key, columns, mac) VALUES (?, ?, ?, ?)")
                .execute(arguments: [table.name, key, Data(digests), Data(mac.array)])
            xor(&root, mac)
        } else {
            try db.cachedStatement(sql: "DELETE FROM row_key_seal WHERE tbl = ? AND row_key = ?").execute(arguments: [table.name, key])
        }
    }

    /// The keyed-table rows Knot's connection wrote in this transaction (and forgets them).
    private static func takeKeyedTouches(_ db: Database) throws -> [(String, String)] {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM temp.sqlite_master WHERE name = 'knot_touched'") == true else { return [] }
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT tbl, row_key FROM temp.knot_touched ORDER BY tbl, row_key"))
        guard !rows.isEmpty else { return [] }
        try db.execute(sql: "DELETE FROM temp.knot_touched")
        return rows.map { ($0["tbl"], $0["row_key"]) }
    }

    /// Seals the rows a transaction touched (`changes`: each table's rowids, any order), keys its
    /// new audit events, and re-seals the head.
    static func seal(_ db: Database, key: ClinicKey, changes: [String: Set<Int64>]) throws {
        try seal(db, key: key, changes: changes.mapValues { $0.sorted() })
    }

    /// Seals the rows a transaction touched (`changes`: each table's rowids ascending and distinct,
    /// as `RowChangeCollector.take()` gives them), keys its new audit events, and re-seals the head.
    /// `direct`, inside a whole-clinic load, writes each row's seal straight through SQLite (`DirectSteps`).
    static func seal(_ db: Database, key: ClinicKey, changes: [String: [Int64]], direct: DirectSteps? = nil) throws {
        let touched = try takeKeyedTouches(db)
        guard !changes.isEmpty || !touched.isEmpty, let identity = try identity(db), identity.keyedFrom != nil else { return }
        var root = [UInt8](ClinicKey.unhex(identity.root) ?? Data(count: 32))
        if root.count != 32 { root = [UInt8](repeating: 0, count: 32) }
        let hasher = SealHasher(key)
        for (table, ids) in changes where table != "audit_event" {
            try sealRows(db, hasher: hasher, table: table, ids: ids, root: &root, direct: direct)
        }
        if !touched.isEmpty {
            let keyed = Dictionary(try keyedTables(db).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for (name, rowKey) in touched {
                guard let table = keyed[name] else { continue }
                try sealKeyedRow(db, hasher: hasher, table: table, key: rowKey, root: &root)
            }
        }
        if let events = changes["audit_event"], let low = events.first, let high = events.last {
            // A transaction's events are consecutive ids: their hashes read by one range, not one
            // look-up each (an id in the range the transaction did not write is passed over);
            // each event's seal written as it is read (another table: the range read goes on).
            // Bound in place (no `StatementArguments` per event), run by `direct` inside a load.
            let insert = try db.cachedStatement(sql: "/* bound in place */ INSERT OR REPLACE INTO audit_mac (event_id, mac) VALUES (?, ?)")
            func keyEvent(_ id: Int64, _ hash: String) throws {
                var bound = InPlaceBinding(insert, direct: direct)
                bound.int(id); bound.text(hasher.event(id: id, hash: hash))
                try bound.execute()
            }
            if high - low < 2 * Int64(events.count) {
                let hashes = try db.cachedStatement(sql: "SELECT id, hash FROM audit_event WHERE id BETWEEN ? AND ? ORDER BY id")
                let rows = try Row.fetchCursor(hashes, arguments: [low, high])
                var wanted = events.startIndex  // both ascending: the next event id of the transaction
                while let row = try rows.next() {
                    let id: Int64 = row[0]
                    while wanted < events.endIndex, events[wanted] < id { wanted += 1 }
                    guard wanted < events.endIndex, events[wanted] == id, let hash = String.fromDatabaseValue(row[1]) else { continue }
                    try keyEvent(id, hash)
                }
            } else {
                // Ids far apart (not this writer's usual): one look-up each.
                let hashOf = try db.cachedStatement(sql: "SELECT hash FROM audit_event WHERE id = ?")
                for id in events {
                    guard let hash = try String.fetchOne(hashOf, arguments: [id]) else { continue }
                    try keyEvent(id, hash)
                }
            }
        }
        try resealHead(db, key: key, identity: identity, root: ClinicKey.hex(root))
    }

    static func resealHead(_ db: Database, key: ClinicKey, identity: Identity, root: String) throws {
        let head = try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        let mac = headMAC(key, clinicID: identity.clinicID, keyedFrom: identity.keyedFrom ?? 1,
                          lastID: head?["last_id"] ?? 0, lastHash: head?["last_hash"] ?? AuditChain.genesisHash, root: root)
        try db.execute(sql: "UPDATE clinic_identity SET seal_root = ?, head_mac = ? WHERE singleton = 1", arguments: [root, mac])
    }

    /// Seals every row as it is now and starts the keyed chain after the newest event: run once,
    /// when a Knot holding the key first opens a database that has none (new, or upgraded).
    /// With `keepKeyedFrom`, re-seals after a schema migration changed rows (the chain point
    /// stays); whatever the verification before the migration found was recorded first
    /// (`recordFindings`), so re-sealing never hides it.
    static func baseline(_ db: Database, key: ClinicKey, tables: [String], keepKeyedFrom: Bool = false) throws {
        guard var identity = try identity(db) else { return }
        if identity.keyedFrom != nil && !keepKeyedFrom { return }
        let maxID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_event") ?? 0
        if identity.keyedFrom == nil {
            identity.keyedFrom = maxID + 1
            try db.execute(sql: "DELETE FROM audit_mac")
        }
        try db.execute(sql: "DELETE FROM row_seal")
        var root = [UInt8](repeating: 0, count: 32)
        let hasher = SealHasher(key)
        var digests: [UInt8] = []
        for table in tables {
            let select = try db.makeStatement(sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            let digester = ColumnDigester(select, skipping: 1)
            let state = hasher.table(Array(table.utf8), names: digester.joinedNames, keyed: false)
            var writer = try SealRowWriter(db, table: table, replacing: false)
            let stmt = select.sqliteStatement
            let cursor = try Row.fetchCursor(select)
            while try cursor.next() != nil {
                let id = sqlite3_column_int64(stmt, 0)
                digester.digests(stmt, into: &digests)
                let mac = digests.withUnsafeBytes { hasher.row7(state, rowID: id, digests: $0) }
                try writer.write(rowID: id, digests: digests, mac: mac)
                xor(&root, mac)
            }
            try writer.flush()
        }
        if try db.tableExists("row_key_seal") {
            try db.execute(sql: "DELETE FROM row_key_seal")
            let insertKeyed = try db.cachedStatement(sql: "INSERT INTO row_key_seal (tbl, row_key, columns, mac) VALUES (?, ?, ?, ?)")
            for table in try keyedTables(db) {
                let select = try db.makeStatement(sql: "SELECT \(table.keySQL()) AS knot_key, * FROM \(table.name.quotedDatabaseIdentifier)")
                let digester = ColumnDigester(select, skipping: 1)
                let state = hasher.table(Array(table.name.utf8), names: digester.joinedNames, keyed: true)
                let cursor = try Row.fetchCursor(select)
                while let row = try cursor.next() {
                    let rowKey: String = row[0]
                    digester.digests(select.sqliteStatement, into: &digests)
                    let mac = digests.withUnsafeBytes { hasher.keyedRow7(state, key: Array(rowKey.utf8), digests: $0) }
                    try insertKeyed.execute(arguments: [table.name, rowKey, Data(digests), Data(mac.array)])
                    xor(&root, mac)
                }
            }
        }
        try db.execute(sql: "UPDATE clinic_identity SET keyed_from = ? WHERE singleton = 1", arguments: [identity.keyedFrom])
        try resealHead(db, key: key, identity: identity, root: ClinicKey.hex(root))
    }

    /// Keeps, before a schema migration re-seals the clinic, everything the verification made
    /// just before it found (each row finding, each problem with the keyed seals; not those kept
    /// from an earlier upgrade): one row each in `tamper_finding` (itself sealed by the
    /// re-sealing that follows) and one audit event each, so that later `knot audit verify` and
    /// `knot check` still report them. Returns the audit events added (to be keyed). A no-op
    /// before the `v5-keyed-seals` tables exist.
    static func recordFindings(_ db: Database, _ v: AuditVerification) throws -> Set<Int64> {
        let rows = v.rowFindings.filter { $0.recordedAt == nil }
        let problems = v.sealProblems.filter { !v.recordedProblems.contains($0) }
        guard !rows.isEmpty || !problems.isEmpty || v.moreRowFindings > 0, try db.tableExists("tamper_finding") else { return [] }
        let at = String(ISO8601DateFormatter().string(from: Date()).prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"
        let tx = StoreTransaction(db: db)
        var events: Set<Int64> = []
        func record(_ f: TamperFinding?, problem: String?) throws {
            try db.execute(sql: """
                INSERT INTO tamper_finding (found_at, tbl, row_id, row_key, columns, kind, problem) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [at, f?.table ?? "", f?.rowID ?? 0, f?.key, f?.columns.joined(separator: ",") ?? "",
                                 f?.kind.rawValue ?? "problem", problem])
            let id = db.lastInsertedRowID
            // Names tables, rows and columns only: no clinical content reaches the trail.
            let record = try tx.appendAuditAlways(AuditEvent(actor: "knot", action: .update, entity: "tamper_finding", entityID: id,
                                                             detail: "found before a schema upgrade: " + (f?.description ?? problem ?? "")))
            if let e = record.event.id { events.insert(e) }
        }
        for f in rows { try record(f, problem: nil) }
        for p in problems { try record(nil, problem: p) }
        if v.moreRowFindings > 0 {
            try record(nil, problem: "\(v.moreRowFindings) more row(s) changed outside Knot (not listed one by one)")
        }
        return events
    }

    /// The findings kept from before a schema upgrade (`recordFindings`): rows, and problems
    /// with the keyed seals in words.
    static func recordedFindings(_ db: Database) throws -> (rows: [TamperFinding], problems: [String]) {
        guard try db.tableExists("tamper_finding") else { return ([], []) }
        var rows: [TamperFinding] = []
        var problems: [String] = []
        for r in try Row.fetchAll(db, sql: "SELECT found_at, tbl, row_id, row_key, columns, kind, problem FROM tamper_finding ORDER BY id") {
            let at = String.fromDatabaseValue(r["found_at"]) ?? "?"
            if let problem = String.fromDatabaseValue(r["problem"]) {
                problems.append("found before the schema upgrade of \(at) re-sealed the clinic, and kept: \(problem)")
                continue
            }
            let columns = String.fromDatabaseValue(r["columns"]) ?? ""
            rows.append(TamperFinding(table: String.fromDatabaseValue(r["tbl"]) ?? "?", rowID: Int64.fromDatabaseValue(r["row_id"]) ?? 0,
                                      columns: columns.split(separator: ",").map(String.init),
                                      kind: TamperFinding.Kind(rawValue: String.fromDatabaseValue(r["kind"]) ?? "") ?? .changed,
                                      key: String.fromDatabaseValue(r["row_key"]), recordedAt: at))
        }
        return (rows, problems)
    }
}

extension ClinicDatabase {
    /// A plain read of every cell of every sealed table (rowid and keyed), nothing computed:
    /// knot-bench's peer for `audit verify` (the least any check of every row must cost).
    public func plainScan() throws -> PlainScan {
        try pool.read { db in
            var rows = 0
            var bytes = 0
            let names = try RowSeal.sealedTables(db) + RowSeal.keyedTables(db).map(\.name)
            for table in names {
                let statement = try db.makeStatement(sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                let stmt = statement.sqliteStatement
                let cursor = try Row.fetchCursor(statement)
                let n = sqlite3_column_count(stmt)
                while try cursor.next() != nil {
                    rows += 1
                    for i in 0..<n {
                        switch sqlite3_column_type(stmt, i) {
                        case SQLITE_TEXT: if sqlite3_column_text(stmt, i) != nil { bytes += Int(sqlite3_column_bytes(stmt, i)) }
                        case SQLITE_BLOB: if sqlite3_column_blob(stmt, i) != nil { bytes += Int(sqlite3_column_bytes(stmt, i)) }
                        default: break
                        }
                    }
                }
            }
            return PlainScan(rows: rows, bytes: bytes)
        }
    }
}

/// What `ClinicDatabase.plainScan()` read: the rows, and the bytes of text and blob seen.
public struct PlainScan: Sendable, Hashable {
    /// The rows read, over every sealed table.
    public var rows: Int
    /// The bytes of text and blob cells seen.
    public var bytes: Int
}
