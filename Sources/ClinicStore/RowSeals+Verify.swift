import Foundation
import GRDB
import GRDBSQLite
import ClinicModel

/// Verification of row seals, in either format: v7 (blobs: raw digests and MAC, the column
/// names taken from the table as it is now) and the text seals Knot wrote before v7 (their own
/// names and hex MAC, checked exactly as they were made). One clinic may hold both.
extension RowSeal {
    /// Compares every sealed table with its seals (a merge of two ordered scans, bounded memory,
    /// cells read straight from SQLite) and returns the findings, the XOR of the seals found and
    /// how many rows were compared.
    static func verifyRows(_ db: Database, key: ClinicKey, limit: Int = 1000) throws -> (findings: [TamperFinding], root: String, more: Int, checked: Int) {
        var findings: [TamperFinding] = []
        var more = 0
        var checked = 0
        func add(_ f: TamperFinding) { if findings.count < limit { findings.append(f) } else { more += 1 } }
        var root = [UInt8](repeating: 0, count: 32)
        let hasher = SealHasher(key)
        let tables = try sealedTables(db)
        var current: [UInt8] = []
        var storedMAC = [UInt8](repeating: 0, count: 32)
        for table in tables {
            let name = Array(table.utf8)
            let rowStatement = try db.makeStatement(sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            let digester = ColumnDigester(rowStatement, skipping: 1)
            let check = V7Check(hasher: hasher, table: name, digester: digester, keyed: false)
            let sealStatement = try db.makeStatement(sql: "SELECT row_id, columns, mac FROM row_seal WHERE tbl = ? ORDER BY row_id")
            let rows = try Row.fetchCursor(rowStatement)
            let seals = try Row.fetchCursor(sealStatement, arguments: [table])
            let r = rowStatement.sqliteStatement
            let s = sealStatement.sqliteStatement
            var haveRow = try rows.next() != nil
            var haveSeal = try seals.next() != nil
            while haveRow || haveSeal {
                let rowID: Int64? = haveRow ? sqlite3_column_int64(r, 0) : nil
                guard haveSeal, sqlite3_column_type(s, 0) == SQLITE_INTEGER else {
                    if haveSeal {  // a seal whose row id is not a number: rewritten outside Knot
                        add(TamperFinding(table: table, rowID: 0, columns: [], kind: .forgedSeal))
                        haveSeal = try seals.next() != nil
                        continue
                    }
                    if let rowID { add(TamperFinding(table: table, rowID: rowID, columns: [], kind: .noAuditedOrigin)) }
                    haveRow = try rows.next() != nil
                    continue
                }
                let sealID = sqlite3_column_int64(s, 0)
                if let id = rowID, id < sealID {
                    add(TamperFinding(table: table, rowID: id, columns: [], kind: .noAuditedOrigin))
                    haveRow = try rows.next() != nil
                    continue
                }
                checked += 1
                // The root holds every stored MAC (a valid seal's is the one computed).
                if Self.storedMAC(s, 2, into: &storedMAC) { xor(&root, storedMAC) }
                let present = haveRow && rowID == sealID
                if sqlite3_column_type(s, 1) == SQLITE_BLOB {
                    // v7: the digests blob, compared with the row's digests position by position.
                    let stored = Self.blob(s, 1)
                    let macValid = sqlite3_column_type(s, 2) == SQLITE_BLOB && Self.blob(s, 2).count == 32
                    let outcome = check.outcome(digests: stored, mac: storedMAC, macValid: macValid) { state in
                        hasher.row7(state, rowID: sealID, digests: stored)
                    }
                    if present {
                        digester.digests(r, into: &current)
                        let same = current.withUnsafeBytes { Self.same($0, stored) }
                        if outcome != .valid || !same {
                            let columns = current.withUnsafeBytes { Self.differing(names: digester.columnNames, stored: stored, now: $0) }
                            add(TamperFinding(table: table, rowID: sealID, columns: columns, kind: outcome == .forged ? .forgedSeal : .changed))
                        }
                    } else {
                        add(TamperFinding(table: table, rowID: sealID, columns: [], kind: outcome == .forged ? .forgedSeal : .deleted))
                    }
                } else {
                    // Before v7: the seal's own `name:hex,…` text and hex MAC, as they were made.
                    let stored = Self.cell(s, 1)
                    let expected = hasher.row(table: name, rowID: sealID, columns: stored)
                    let sealValid = sqlite3_column_type(s, 2) == SQLITE_TEXT && Self.hexEquals(expected, Self.cell(s, 2))
                    if present {
                        digester.columns(r, into: &current)
                        let same = current.withUnsafeBytes { Self.same($0, stored) }
                        if !sealValid || !same {
                            let storedText = String(decoding: stored, as: UTF8.self)
                            let now = String(decoding: current, as: UTF8.self)
                            add(TamperFinding(table: table, rowID: sealID, columns: differing(storedText, now), kind: sealValid ? .changed : .forgedSeal))
                        }
                    } else {
                        add(TamperFinding(table: table, rowID: sealID, columns: [], kind: sealValid ? .deleted : .forgedSeal))
                    }
                }
                if present { haveRow = try rows.next() != nil }
                haveSeal = try seals.next() != nil
            }
        }
        // Tables without rowid: small (settings, templates, drafts); their seals by primary key.
        let keyed = try keyedTables(db)
        for table in keyed {
            let name = Array(table.name.utf8)
            var seals: [String: (columns: DatabaseValue, mac: DatabaseValue)] = [:]
            for s in try Row.fetchAll(db, sql: "SELECT row_key, columns, mac FROM row_key_seal WHERE tbl = ?", arguments: [table.name]) {
                let columns: DatabaseValue = s["columns"], mac: DatabaseValue = s["mac"]
                if let k = String.fromDatabaseValue(s["row_key"]), Self.isSealCell(columns), Self.isSealCell(mac) {
                    seals[k] = (columns, mac)
                } else {
                    add(TamperFinding(table: table.name, rowID: 0, columns: [], kind: .forgedSeal, key: String.fromDatabaseValue(s["row_key"])))
                }
            }
            let select = try db.makeStatement(sql: "SELECT \(table.keySQL()) AS knot_key, * FROM \(table.name.quotedDatabaseIdentifier)")
            let digester = ColumnDigester(select, skipping: 1)
            let check = V7Check(hasher: hasher, table: name, digester: digester, keyed: true)
            /// How a seal stands under the clinic key (`.forged` when it does not verify).
            func outcome(_ rowKey: String, _ seal: (columns: DatabaseValue, mac: DatabaseValue)) -> V7Check.Outcome {
                switch (seal.columns.storage, seal.mac.storage) {
                case (.blob(let digests), let mac):
                    var macBytes = [UInt8](repeating: 0, count: 32)
                    var macValid = false
                    if case .blob(let m) = mac, m.count == 32 { macBytes = [UInt8](m); macValid = true }
                    return digests.withUnsafeBytes { d in
                        check.outcome(digests: d, mac: macBytes, macValid: macValid) { hasher.keyedRow7($0, key: Array(rowKey.utf8), digests: d) }
                    }
                case (.string(let columns), .string(let mac)):
                    let expected = Array(columns.utf8).withUnsafeBytes { hasher.keyedRow(table: name, key: Array(rowKey.utf8), columns: $0) }
                    return ClinicKey.hex(expected) == mac ? .valid : .forged
                default:
                    return .forged
                }
            }
            func findingKind(_ o: V7Check.Outcome, otherwise: TamperFinding.Kind) -> TamperFinding.Kind { o == .forged ? .forgedSeal : otherwise }
            let cursor = try Row.fetchCursor(select)
            while let row = try cursor.next() {
                let rowKey: String = row[0]
                guard let seal = seals.removeValue(forKey: rowKey) else {
                    add(TamperFinding(table: table.name, rowID: 0, columns: [], kind: .noAuditedOrigin, key: rowKey))
                    continue
                }
                checked += 1
                if let bytes = Self.storedMAC(seal.mac) { xor(&root, bytes) }
                let o = outcome(rowKey, seal)
                var columns: [String]?
                if case .blob(let stored) = seal.columns.storage {
                    digester.digests(select.sqliteStatement, into: &current)
                    if o != .valid || current != [UInt8](stored) {
                        columns = stored.withUnsafeBytes { s in current.withUnsafeBytes { Self.differing(names: digester.columnNames, stored: s, now: $0) } }
                    }
                } else {
                    let storedText = String.fromDatabaseValue(seal.columns) ?? ""
                    digester.columns(select.sqliteStatement, into: &current)
                    let now = String(decoding: current, as: UTF8.self)
                    if o != .valid || now != storedText { columns = differing(storedText, now) }
                }
                if let columns { add(TamperFinding(table: table.name, rowID: 0, columns: columns, kind: findingKind(o, otherwise: .changed), key: rowKey)) }
            }
            for (rowKey, seal) in seals.sorted(by: { $0.key < $1.key }) {
                checked += 1
                if let bytes = Self.storedMAC(seal.mac) { xor(&root, bytes) }
                add(TamperFinding(table: table.name, rowID: 0, columns: [], kind: findingKind(outcome(rowKey, seal), otherwise: .deleted), key: rowKey))
            }
        }
        // Seals of tables that are no longer there (dropped outside Knot): the distinct table
        // names are found by seeking the primary key, never by reading every seal again.
        let known = Set(tables)
        var last = ""
        while let table = try String.fetchOne(db.cachedStatement(sql: "SELECT tbl FROM row_seal WHERE tbl > ? ORDER BY tbl LIMIT 1"), arguments: [last]) {
            last = table
            guard !known.contains(table) else { continue }
            let others = try Row.fetchCursor(db, sql: "SELECT row_id, mac FROM row_seal WHERE tbl = ? ORDER BY row_id", arguments: [table])
            while let s = try others.next() {
                if let bytes = Self.storedMAC(s["mac"]) { xor(&root, bytes) }
                add(TamperFinding(table: table, rowID: Int64.fromDatabaseValue(s["row_id"]) ?? 0, columns: [], kind: .deleted))
            }
        }
        if try db.tableExists("row_key_seal") {
            let keyedNames = Set(keyed.map(\.name))
            let others = try Row.fetchCursor(db, sql: "SELECT tbl, row_key, mac FROM row_key_seal ORDER BY tbl, row_key")
            while let s = try others.next() {
                let table = String.fromDatabaseValue(s["tbl"]) ?? "?"
                guard !keyedNames.contains(table) else { continue }
                if let bytes = Self.storedMAC(s["mac"]) { xor(&root, bytes) }
                add(TamperFinding(table: table, rowID: 0, columns: [], kind: .deleted, key: String.fromDatabaseValue(s["row_key"])))
            }
        }
        return (findings, ClinicKey.hex(root), more, checked)
    }

    /// How a v7 seal stands under the clinic key, for one table: its MAC is computed from the
    /// table's state (tag, table, current column names: hashed once per table); when that fails
    /// and the seal holds fewer digests than the table has columns, from the names of its first
    /// columns (columns added at the end since, as `ALTER TABLE … ADD COLUMN` adds them: the row
    /// is then reported changed in the added columns, its seal intact, as a text seal reports it).
    struct V7Check {
        let hasher: SealHasher
        let table: [UInt8]
        let digester: ColumnDigester
        let keyed: Bool
        let state: SHA256State

        init(hasher: SealHasher, table: [UInt8], digester: ColumnDigester, keyed: Bool) {
            self.hasher = hasher; self.table = table; self.digester = digester; self.keyed = keyed
            state = hasher.table(table, names: digester.joinedNames, keyed: keyed)
        }

        enum Outcome {
            /// The MAC is right for the table's current column names.
            case valid
            /// The MAC is right for the seal's columns, which the table has since been given more of.
            case validBeforeAddedColumns
            /// The MAC is not right: the seal was rewritten (or the table's columns renamed or dropped).
            case forged
        }

        /// `mac` is the stored MAC (meaningful only when `macValid`: a 32-byte blob); `compute`
        /// makes the row's MAC from a table state.
        func outcome(digests: UnsafeRawBufferPointer, mac: [UInt8], macValid: Bool, compute: (SHA256State) -> SHA256Bytes) -> Outcome {
            guard macValid else { return .forged }
            if RowSeal.equals(compute(state), mac) { return .valid }
            let sealed = digests.count / 8
            guard digests.count % 8 == 0, sealed < digester.names.count else { return .forged }
            let before = hasher.table(table, names: ColumnDigester.joined(digester.names[..<sealed]), keyed: keyed)
            return RowSeal.equals(compute(before), mac) ? .validBeforeAddedColumns : .forged
        }
    }

    /// Whether a seal cell is of a kind Knot writes (text before v7, a blob since).
    static func isSealCell(_ value: DatabaseValue) -> Bool {
        switch value.storage {
        case .string, .blob: true
        default: false
        }
    }

    /// The 32 bytes of a stored MAC: a 32-byte blob (v7) or 64 hex digits (text, before v7);
    /// nil for anything else (a seal rewritten outside Knot: it counts for nothing in the root).
    static func storedMAC(_ value: DatabaseValue) -> [UInt8]? {
        switch value.storage {
        case .blob(let d): return d.count == 32 ? [UInt8](d) : nil
        case .string(let s):
            var out = [UInt8](repeating: 0, count: 32)
            var text = s
            return text.withUTF8 { unhex(UnsafeRawBufferPointer($0), into: &out) } ? out : nil
        default: return nil
        }
    }

    /// `storedMAC(_:)` for cell `index` of a statement's current row, into `out` (32 bytes).
    static func storedMAC(_ stmt: SQLiteStatement, _ index: Int32, into out: inout [UInt8]) -> Bool {
        switch sqlite3_column_type(stmt, index) {
        case SQLITE_BLOB:
            let bytes = blob(stmt, index)
            guard bytes.count == 32 else { return false }
            out.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
            return true
        case SQLITE_TEXT:
            return unhex(cell(stmt, index), into: &out)
        default:
            return false
        }
    }

    /// Whether a computed MAC is the 32 stored bytes.
    static func equals(_ mac: SHA256Bytes, _ stored: [UInt8]) -> Bool {
        stored.count == 32 && withUnsafeBytes(of: mac.bytes) { m in stored.withUnsafeBytes { memcmp(m.baseAddress!, $0.baseAddress!, 32) == 0 } }
    }

    /// Whether two byte runs are the same.
    static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Whether `text` is the lower-case hex of `bytes` (how Knot stored seals before v7).
    static func hexEquals(_ bytes: [UInt8], _ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count == bytes.count * 2 else { return false }
        for (j, b) in bytes.enumerated() {
            let hi = b >> 4, lo = b & 0x0F
            if text[2 * j] != (hi < 10 ? 48 + hi : 87 + hi) || text[2 * j + 1] != (lo < 10 ? 48 + lo : 87 + lo) { return false }
        }
        return true
    }

    /// The bytes of a text cell of the current row (valid until the statement steps again).
    static func cell(_ stmt: SQLiteStatement, _ index: Int32) -> UnsafeRawBufferPointer {
        guard let text = sqlite3_column_text(stmt, index) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(stmt, index)))
    }

    /// The bytes of a blob cell of the current row (valid until the statement steps again).
    static func blob(_ stmt: SQLiteStatement, _ index: Int32) -> UnsafeRawBufferPointer {
        guard let bytes = sqlite3_column_blob(stmt, index) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(stmt, index)))
    }

    /// Lower- or upper-case hex into `out` (which keeps its size); false when it is not 2×`out.count` hex digits.
    static func unhex(_ hex: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard hex.count == out.count * 2 else { return false }
        for i in 0..<out.count {
            guard let hi = ClinicKey.hexValue(hex[2 * i]), let lo = ClinicKey.hexValue(hex[2 * i + 1]) else { return false }
            out[i] = hi << 4 | lo
        }
        return true
    }

    /// The columns of a v7 seal whose digests differ from the row's now, position by position:
    /// those the row has beyond the seal's digests (appeared) by their names, and digests the
    /// seal has beyond the row's columns (disappeared: a v7 seal keeps no names) as
    /// `column N` (N counted from 1 in the sealed order). A blob whose length is not a whole
    /// number of digests compares as far as it goes.
    static func differing(names: [String], stored: UnsafeRawBufferPointer, now: UnsafeRawBufferPointer) -> [String] {
        let sealed = stored.count / 8, current = now.count / 8
        var out: [String] = []
        for i in 0..<max(sealed, current, names.count) {
            if i < current, i < sealed {
                if memcmp(stored.baseAddress! + 8 * i, now.baseAddress! + 8 * i, 8) != 0 { out.append(i < names.count ? names[i] : "column \(i + 1)") }
            } else if i < names.count {
                out.append(names[i])
            } else {
                out.append("column \(i + 1)")
            }
        }
        if out.isEmpty, stored.count != now.count { out = names.isEmpty ? ["column \(sealed + 1)"] : [names[names.count - 1]] }
        return out
    }

    /// The columns whose digests differ (or that appeared or disappeared), between two seal
    /// texts made before v7.
    static func differing(_ stored: String, _ now: String) -> [String] {
        func parse(_ s: String) -> [(String, Substring)] {
            s.split(separator: ",").map { part in
                let p = part.split(separator: ":", maxSplits: 1)
                return (String(p.first ?? ""), p.count > 1 ? p[1] : "")
            }
        }
        let a = parse(stored), b = parse(now)
        let bMap = Dictionary(b, uniquingKeysWith: { x, _ in x })
        let aMap = Dictionary(a, uniquingKeysWith: { x, _ in x })
        var out = a.filter { bMap[$0.0] != $0.1 }.map(\.0)
        out += b.filter { aMap[$0.0] == nil }.map(\.0)
        return out
    }

    /// Rewrites every row seal (rowid and keyed tables) the way Knot wrote them before v7 (text:
    /// `name:<16 hex>,…` and the hex MAC of `row`, table, rowid and that text), the root with
    /// them: a clinic as an older Knot left it, for the tests of the upgrade and of mixed clinics.
    static func resealAsBeforeV7(_ db: Database, key: ClinicKey, tables: [String]? = nil) throws {
        guard let identity = try identity(db), identity.keyedFrom != nil else { return }
        var root = [UInt8](ClinicKey.unhex(identity.root) ?? Data(count: 32))
        if root.count != 32 { root = [UInt8](repeating: 0, count: 32) }
        let hasher = SealHasher(key)
        var text: [UInt8] = []
        for table in try tables ?? sealedTables(db) {
            let select = try db.makeStatement(sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
            let digester = ColumnDigester(select, skipping: 1)
            let cursor = try Row.fetchCursor(select)
            while try cursor.next() != nil {
                let id = sqlite3_column_int64(select.sqliteStatement, 0)
                if let old = try DatabaseValue.fetchOne(db, sql: "SELECT mac FROM row_seal WHERE tbl = ? AND row_id = ?", arguments: [table, id]),
                   let bytes = storedMAC(old) { xor(&root, bytes) }
                digester.columns(select.sqliteStatement, into: &text)
                let mac = text.withUnsafeBytes { hasher.row(table: Array(table.utf8), rowID: id, columns: $0) }
                try db.execute(sql: "INSERT OR REPLACE INTO row_seal (tbl, row_id, columns, mac) VALUES (?, ?, ?, ?)",
                               arguments: [table, id, String(decoding: text, as: UTF8.self), ClinicKey.hex(mac)])
                xor(&root, mac)
            }
        }
        if tables == nil {
            for table in try keyedTables(db) {
                let select = try db.makeStatement(sql: "SELECT \(table.keySQL()) AS knot_key, * FROM \(table.name.quotedDatabaseIdentifier)")
                let digester = ColumnDigester(select, skipping: 1)
                let cursor = try Row.fetchCursor(select)
                while let row = try cursor.next() {
                    let rowKey: String = row[0]
                    if let old = try DatabaseValue.fetchOne(db, sql: "SELECT mac FROM row_key_seal WHERE tbl = ? AND row_key = ?", arguments: [table.name, rowKey]),
                       let bytes = storedMAC(old) { xor(&root, bytes) }
                    digester.columns(select.sqliteStatement, into: &text)
                    let mac = text.withUnsafeBytes { hasher.keyedRow(table: Array(table.name.utf8), key: Array(rowKey.utf8), columns: $0) }
                    try db.execute(sql: "INSERT OR REPLACE INTO row_key_seal (tbl, row_key, columns, mac) VALUES (?, ?, ?, ?)",
                                   arguments: [table.name, rowKey, String(decoding: text, as: UTF8.self), ClinicKey.hex(mac)])
                    xor(&root, mac)
                }
            }
        }
        try resealHead(db, key: key, identity: identity, root: ClinicKey.hex(root))
    }
}
