import Foundation
import GRDB
import GRDBSQLite
import Crypto

// The per-row work of sealing: a cell's digest is remembered for the values that come back row
// after row, and a seal row's values are bound straight to SQLite as blobs (format v7: the
// digests' raw bytes and the raw MAC, no hex and no column names; see `RowSeal`).

/// The digests (their first 8 bytes, what a seal keeps) of the cells a `ColumnDigester` has
/// met: integers, reals and short texts, each in one slot of a small table chosen by its value
/// (a later value with the same slot replaces it). A value found is the value met, compared whole
/// (kind and bits, or length and bytes), so the digest given is always the value's own. NULL's is
/// computed once. Blobs and longer texts are hashed every time.
final class CellDigestMemo {
    /// Slots per table (a power of two).
    private static let slots = 2048
    private static let slotShift: UInt64 = 64 - 11
    /// A text slot: a length byte (length + 1; 0 for empty) then up to `textMax` bytes.
    private static let textSlot = 48
    private static let textMax = textSlot - 1

    private struct NumberSlot {
        /// 0: empty; 1: integer; 2: real (the digests' own type tags).
        var kind: UInt8
        var bits: UInt64
        var prefix: UInt64
    }

    private let numbers: UnsafeMutablePointer<NumberSlot>
    private let texts: UnsafeMutablePointer<UInt8>
    private let textPrefix: UnsafeMutablePointer<UInt64>

    /// The first 8 bytes of NULL's digest.
    static let nullPrefix: UInt64 = {
        var h = SHA256State()
        h.update(byte: 0)
        return h.finalize().bytes.0
    }()

    init() {
        numbers = .allocate(capacity: Self.slots)
        numbers.initialize(repeating: NumberSlot(kind: 0, bits: 0, prefix: 0), count: Self.slots)
        texts = .allocate(capacity: Self.slots * Self.textSlot)
        texts.initialize(repeating: 0, count: Self.slots * Self.textSlot)
        textPrefix = .allocate(capacity: Self.slots)
        textPrefix.initialize(repeating: 0, count: Self.slots)
    }

    deinit {
        numbers.deallocate()
        texts.deallocate()
        textPrefix.deallocate()
    }

    /// The first 8 bytes of the digest of cell `index` of the current row (in memory order, as
    /// a `UInt64` holding them): `ColumnDigester.digest(stmt, index).bytes.0`, remembered.
    func prefix(_ stmt: SQLiteStatement, _ index: Int32) -> UInt64 {
        switch sqlite3_column_type(stmt, index) {
        case SQLITE_NULL:
            return Self.nullPrefix
        case SQLITE_INTEGER:
            return number(kind: 1, bits: UInt64(bitPattern: sqlite3_column_int64(stmt, index)), stmt, index)
        case SQLITE_FLOAT:
            return number(kind: 2, bits: sqlite3_column_double(stmt, index).bitPattern, stmt, index)
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(stmt, index) else { break }
            let count = Int(sqlite3_column_bytes(stmt, index))
            guard count <= Self.textMax else { break }
            // The digest covers the text up to its first NUL (as GRDB reads it): so does the key.
            var length = count
            var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
            for i in 0..<count {
                let b = text[i]
                if b == 0 { length = i; break }
                h = (h ^ UInt64(b)) &* 0x100_0000_01b3
            }
            let slot = Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> Self.slotShift)
            let kept = texts + slot * Self.textSlot
            if Int(kept[0]) == length + 1, length == 0 || memcmp(kept + 1, text, length) == 0 { return textPrefix[slot] }
            let prefix = ColumnDigester.digest(stmt, index).bytes.0
            kept[0] = UInt8(length + 1)
            (kept + 1).update(from: text, count: length)
            textPrefix[slot] = prefix
            return prefix
        default:
            break
        }
        return ColumnDigester.digest(stmt, index).bytes.0
    }

    private func number(kind: UInt8, bits: UInt64, _ stmt: SQLiteStatement, _ index: Int32) -> UInt64 {
        let slot = Int(truncatingIfNeeded: ((bits ^ UInt64(kind) << 62) &* 0x9E37_79B9_7F4A_7C15) >> Self.slotShift)
        if numbers[slot].kind == kind, numbers[slot].bits == bits { return numbers[slot].prefix }
        let prefix = ColumnDigester.digest(stmt, index).bytes.0
        numbers[slot] = NumberSlot(kind: kind, bits: bits, prefix: prefix)
        return prefix
    }
}

/// Writes rows' seals into `row_seal` (table, row id, digests, MAC), in the order given, up to
/// `rowsPerStatement` rows by one statement (`VALUES (…), (…)`), a run's last few one by one;
/// `flush()` writes what still waits. The same rows, in the same order, as one statement each:
/// an `INSERT OR REPLACE` of a key written twice keeps the last either way.
///
/// Why several: a whole-clinic import seals about as many rows as it writes (488,000 at 10,000
/// patients), and each statement run costs SQLite more than its row (reset, the statement's
/// program set up, the table's cursor opened and closed): one statement a row was about a tenth
/// of the import's writing thread.
struct SealRowWriter {
    /// Rows one statement writes at most.
    static let rowsPerStatement = 32
    private let single: Statement
    private let several: Statement
    /// The table's name as a C string (bound as each seal row's `tbl`).
    private let table: ContiguousArray<CChar>
    /// Runs each write straight through SQLite inside a whole-clinic load (`DirectSteps`).
    private let direct: DirectSteps?
    private var ids: [Int64] = []
    private var digestBytes: [UInt8] = []
    private var digestEnds: [Int] = []
    private var macs: [SHA256Bytes] = []

    /// Writes seals of `table`'s rows by `INSERT` (`replacing`: `INSERT OR REPLACE`) into
    /// `row_seal`, with the statements cached on `db`.
    init(_ db: Database, table: String, replacing: Bool, direct: DirectSteps? = nil) throws {
        let verb = replacing ? "INSERT OR REPLACE" : "INSERT"
        let row = "(?, ?, ?, ?)"
        single = try db.cachedStatement(sql: "\(verb) INTO row_seal (tbl, row_id, columns, mac) VALUES \(row)")
        several = try db.cachedStatement(sql: "\(verb) INTO row_seal (tbl, row_id, columns, mac) VALUES "
                                         + Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", "))
        self.table = ContiguousArray(table.utf8CString)
        self.direct = direct
        ids.reserveCapacity(Self.rowsPerStatement)
        digestEnds.reserveCapacity(Self.rowsPerStatement)
        macs.reserveCapacity(Self.rowsPerStatement)
        // Arguments held as set, bound in place below (GRDB runs `execute()` only then), once
        // per cached statement (nothing else runs these with arguments of its own); a
        // statement whose last run failed reports it again on its first reset: cleared here.
        for (statement, rows) in [(single, 1), (several, Self.rowsPerStatement)] {
            sqlite3_reset(statement.sqliteStatement)
            if statement.arguments.isEmpty {
                statement.setUncheckedArguments(StatementArguments(Array(repeating: DatabaseValue.null, count: 4 * rows)))
            }
        }
    }

    /// Writes the seal of row `rowID`: `digests` (8 bytes a column) and `mac` (32 bytes), as
    /// blobs; written at the latest by `flush()`.
    mutating func write(rowID: Int64, digests: [UInt8], mac: SHA256Bytes) throws {
        ids.append(rowID)
        digestBytes.append(contentsOf: digests)
        digestEnds.append(digestBytes.count)
        macs.append(mac)
        if ids.count == Self.rowsPerStatement { try write(several, rows: 0..<ids.count) ; clear() }
    }

    /// Writes every seal still waiting.
    mutating func flush() throws {
        for i in ids.indices { try write(single, rows: i..<(i + 1)) }
        clear()
    }

    private mutating func clear() {
        ids.removeAll(keepingCapacity: true)
        digestBytes.removeAll(keepingCapacity: true)
        digestEnds.removeAll(keepingCapacity: true)
        macs.removeAll(keepingCapacity: true)
    }

    /// Binds the waiting rows `rows` to `statement` (four parameters a row) and runs it.
    ///
    /// The values are bound where they lie (`SQLITE_STATIC`: SQLite reads them in place, no copy
    /// of each name, digest and MAC made and freed) and every binding is cleared before the
    /// buffers' scope ends, whatever the outcome: the statement never holds a pointer past it.
    private func write(_ statement: Statement, rows: Range<Int>) throws {
        let stmt = statement.sqliteStatement
        sqlite3_reset(stmt)
        try table.withUnsafeBufferPointer { name in
            try digestBytes.withUnsafeBytes { digests in
                try macs.withUnsafeBytes { macBytes in
                    defer { sqlite3_clear_bindings(stmt) }
                    let mac = MemoryLayout<SHA256Bytes>.stride  // 32: the MACs lie back to back
                    var rc = SQLITE_OK
                    var index: Int32 = 0
                    for i in rows where rc == SQLITE_OK {
                        let start = i == 0 ? 0 : digestEnds[i - 1]
                        rc = sqlite3_bind_text(stmt, index + 1, name.baseAddress, Int32(name.count - 1), InPlaceBinding.static)
                        if rc == SQLITE_OK { rc = sqlite3_bind_int64(stmt, index + 2, ids[i]) }
                        if rc == SQLITE_OK {
                            rc = Self.bindBlob(stmt, index + 3, UnsafeRawBufferPointer(rebasing: digests[start..<digestEnds[i]]), InPlaceBinding.static)
                        }
                        if rc == SQLITE_OK {
                            rc = Self.bindBlob(stmt, index + 4, UnsafeRawBufferPointer(rebasing: macBytes[(mac * i)..<(mac * i + mac)]), InPlaceBinding.static)
                        }
                        index += 4
                    }
                    guard rc == SQLITE_OK else {
                        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errstr(rc)))
                    }
                    if let direct { try direct.execute(statement) } else { try statement.execute() }
                }
            }
        }
    }

    /// Binds `bytes` as a blob (copied by SQLite unless `destructor` is `InPlaceBinding.static`);
    /// an empty one is still a blob (a nil pointer would bind NULL).
    static func bindBlob(_ stmt: SQLiteStatement, _ index: Int32, _ bytes: UnsafeRawBufferPointer,
                         _ destructor: sqlite3_destructor_type = InPlaceBinding.transient) -> Int32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_zeroblob(stmt, index, 0) }
        return sqlite3_bind_blob(stmt, index, base, Int32(bytes.count), destructor)
    }
}
