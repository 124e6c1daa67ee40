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

/// Writes seal rows (`tbl, row_id, columns, mac`, in that order of parameters) of one table
/// through one prepared statement: the table bound once, then each row's id, digests and MAC
/// bound straight from their bytes as blobs (no `Data` and no argument array per row). The
/// statement still runs through GRDB (its observers see it as any other).
struct SealRowWriter {
    private let statement: Statement
    /// Runs each write straight through SQLite inside a whole-clinic load (`DirectSteps`).
    private let direct: DirectSteps?

    /// Binds `table` to `statement` (an INSERT of `row_seal`'s four columns) for the rows to come.
    init(_ statement: Statement, table: String, direct: DirectSteps? = nil) {
        self.statement = statement
        self.direct = direct
        // A statement whose last run failed reports it again on its first reset: cleared here.
        sqlite3_reset(statement.sqliteStatement)
        statement.setUncheckedArguments([table, 0, Data(), Data()])
    }

    /// Writes the seal of row `rowID`: `digests` (8 bytes a column) and `mac` (32 bytes), as blobs.
    func write(rowID: Int64, digests: [UInt8], mac: SHA256Bytes) throws {
        let stmt = statement.sqliteStatement
        sqlite3_reset(stmt)
        var rc = sqlite3_bind_int64(stmt, 2, rowID)
        if rc == SQLITE_OK { rc = digests.withUnsafeBytes { Self.bindBlob(stmt, 3, $0) } }
        if rc == SQLITE_OK { rc = withUnsafeBytes(of: mac.bytes) { Self.bindBlob(stmt, 4, $0) } }
        guard rc == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errstr(rc)))
        }
        if let direct { try direct.execute(statement) } else { try statement.execute() }
    }

    /// Binds `bytes` as a blob, copied by SQLite; an empty one is still a blob (a nil pointer
    /// would bind NULL).
    static func bindBlob(_ stmt: SQLiteStatement, _ index: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_zeroblob(stmt, index, 0) }
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        return sqlite3_bind_blob(stmt, index, base, Int32(bytes.count), transient)
    }
}
