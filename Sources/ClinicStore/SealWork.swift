import Foundation
import GRDB
import GRDBSQLite
import Crypto

// The per-row work of sealing, made cheaper without changing a byte of any seal: a cell's digest
// is remembered for the values that come back row after row, the HMAC's message buffer is kept
// between rows, and a seal row's values are bound straight to SQLite.

/// The digests (as the 16 hex digits a seal's text keeps) of the cells a `ColumnDigester` has
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
        var hex: (UInt64, UInt64)
    }

    private let numbers: UnsafeMutablePointer<NumberSlot>
    private let texts: UnsafeMutablePointer<UInt8>
    private let textHex: UnsafeMutablePointer<(UInt64, UInt64)>

    /// The hex digits of NULL's digest.
    static let nullHex: (UInt64, UInt64) = {
        var h = SHA256State()
        h.update(byte: 0)
        return ColumnDigester.hexPrefix(h.finalize())
    }()

    init() {
        numbers = .allocate(capacity: Self.slots)
        numbers.initialize(repeating: NumberSlot(kind: 0, bits: 0, hex: (0, 0)), count: Self.slots)
        texts = .allocate(capacity: Self.slots * Self.textSlot)
        texts.initialize(repeating: 0, count: Self.slots * Self.textSlot)
        textHex = .allocate(capacity: Self.slots)
        textHex.initialize(repeating: (0, 0), count: Self.slots)
    }

    deinit {
        numbers.deallocate()
        texts.deallocate()
        textHex.deallocate()
    }

    /// The first 8 bytes of the digest of cell `index` of the current row, as 16 hex digits:
    /// `ColumnDigester.hexPrefix(ColumnDigester.digest(stmt, index))`, remembered.
    func hex(_ stmt: SQLiteStatement, _ index: Int32) -> (UInt64, UInt64) {
        switch sqlite3_column_type(stmt, index) {
        case SQLITE_NULL:
            return Self.nullHex
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
            if Int(kept[0]) == length + 1, length == 0 || memcmp(kept + 1, text, length) == 0 { return textHex[slot] }
            let hex = ColumnDigester.hexPrefix(ColumnDigester.digest(stmt, index))
            kept[0] = UInt8(length + 1)
            (kept + 1).update(from: text, count: length)
            textHex[slot] = hex
            return hex
        default:
            break
        }
        return ColumnDigester.hexPrefix(ColumnDigester.digest(stmt, index))
    }

    private func number(kind: UInt8, bits: UInt64, _ stmt: SQLiteStatement, _ index: Int32) -> (UInt64, UInt64) {
        let slot = Int(truncatingIfNeeded: ((bits ^ UInt64(kind) << 62) &* 0x9E37_79B9_7F4A_7C15) >> Self.slotShift)
        if numbers[slot].kind == kind, numbers[slot].bits == bits { return numbers[slot].hex }
        let hex = ColumnDigester.hexPrefix(ColumnDigester.digest(stmt, index))
        numbers[slot] = NumberSlot(kind: kind, bits: bits, hex: hex)
        return hex
    }
}

/// Writes seal rows (`tbl, row_id, columns, mac`, in that order of parameters) of one table
/// through one prepared statement: the table bound once, then each row's id, seal text and
/// hex MAC bound straight from their bytes (no `String` and no argument array per row). The
/// statement still runs through GRDB (its observers see it as any other).
struct SealRowWriter {
    private let statement: Statement

    /// Binds `table` to `statement` (an INSERT of `row_seal`'s four columns) for the rows to come.
    init(_ statement: Statement, table: String) {
        self.statement = statement
        // A statement whose last run failed reports it again on its first reset: cleared here.
        sqlite3_reset(statement.sqliteStatement)
        statement.setUncheckedArguments([table, 0, "", ""])
    }

    /// Writes the seal of row `rowID`: `columns` (the `name:digest,…` text) and `mac` (raw, written as lower-case hex).
    func write(rowID: Int64, columns: [UInt8], mac: [UInt8]) throws {
        let stmt = statement.sqliteStatement
        sqlite3_reset(stmt)
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        var rc = sqlite3_bind_int64(stmt, 2, rowID)
        if rc == SQLITE_OK {
            rc = columns.withUnsafeBufferPointer { c in
                Self.empty.withUnsafeBufferPointer { e in
                    // An empty text is still text (a nil pointer would bind NULL).
                    let base = c.isEmpty ? e.baseAddress! : c.baseAddress!
                    return sqlite3_bind_text(stmt, 3, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(c.count), transient)
                }
            }
        }
        if rc == SQLITE_OK {
            rc = withUnsafeTemporaryAllocation(of: CChar.self, capacity: max(1, mac.count * 2)) { hex in
                for (j, b) in mac.enumerated() {
                    let hi = b >> 4, lo = b & 0x0F
                    hex[2 * j] = CChar(bitPattern: hi < 10 ? 48 + hi : 87 + hi)
                    hex[2 * j + 1] = CChar(bitPattern: lo < 10 ? 48 + lo : 87 + lo)
                }
                return sqlite3_bind_text(stmt, 4, hex.baseAddress!, Int32(mac.count * 2), transient)
            }
        }
        guard rc == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errstr(rc)))
        }
        try statement.execute()
    }

    private static let empty: [UInt8] = [0]
}
