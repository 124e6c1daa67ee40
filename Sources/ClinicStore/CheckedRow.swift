import Foundation
import GRDB
import ClinicModel

/// A row read back from the database, decoded with errors that name its table, row and column.
///
/// Data read back is untrusted: a cell edited outside Knot may hold text in an integer column,
/// an unparsable date, an enum value Knot does not know, a negative count or JSON that does
/// not decode. GRDB's `row["column"]` traps on such a cell; every read in the store goes
/// through this wrapper instead, which throws `StoreError.damaged` ("visit 12, column
/// started_at: 'yesterday' is not a timestamp") so that a damaged database is reported, never
/// a crash.
struct CheckedRow {
    let row: Row
    /// The table the row comes from, in messages ("visit").
    let table: String
    /// The column that identifies the row in messages (its id).
    let keyColumn: String

    init(_ row: Row, table: String, keyColumn: String = "id") {
        self.row = row; self.table = table; self.keyColumn = keyColumn
    }

    /// The row's id as it reads in a message ("12", or "?" when the id itself is damaged).
    var key: String {
        guard row.hasColumn(keyColumn) else { return "?" }
        let v: DatabaseValue = row[keyColumn]
        switch v.storage {
        case .int64(let i): return String(i)
        case .string(let s) where s.count <= 40: return "'\(s)'"
        default: return "?"
        }
    }

    /// The damage report for `column`.
    func damaged(_ column: String, _ problem: String) -> StoreError {
        .damaged(table: table, row: key, column: column, problem: problem)
    }

    /// The value of `column` as `T`. Ask for an optional (`let x: String? = try row["c"]`) and
    /// NULL is nil; ask for a value and NULL throws; a value of the wrong kind always throws.
    subscript<T: DatabaseValueConvertible>(_ column: String) -> T {
        get throws {
            // One case-insensitive lookup of the column (GRDB lowercases every name it
            // compares), not two: `hasColumn` then `row[column]` looked it up twice. The cell
            // is read with GRDB's plain subscript (Int64, Double, String or Data), not its
            // generic `decode(_:forColumn:)`, whose generic path asked the runtime for type
            // metadata on every cell (an eighth of the export's reading thread); only a
            // NULL cell asks whether the column is there at all.
            let v: DatabaseValue
            let cell = row[column]
            // Text and integers read as text and integers, without GRDB's conversions: the
            // optional ones are generic (`Optional.fromDatabaseValue` asked the runtime for
            // type metadata on every call). The same values those conversions give; any other
            // kind of cell goes through them below. (`T.self ==` is decided when compiled.)
            if let plain: T = Self.plain(cell) { return plain }
            if let cell {
                v = cell.databaseValue
            } else if row.hasColumn(column) {
                if let none = Self.none(T.self) { return none }
                v = .null
            } else {
                throw damaged(column, "is missing from the table")
            }
            if let value = T.fromDatabaseValue(v) { return value }
            if v.isNull { throw damaged(column, "is empty (NULL), but a value is required") }
            throw damaged(column, Self.mismatch(v, T.self))
        }
    }

    /// A text cell as `String` or `String?`, an integer cell as `Int64`, `Int` or their
    /// optionals; nil for any other `T` or cell (GRDB's conversion decides).
    @inline(__always)
    private static func plain<T>(_ cell: (any DatabaseValueConvertible)?) -> T? {
        guard let cell else { return nil }
        if T.self == String.self || T.self == String?.self {
            guard let s = cell as? String else { return nil }
            return T.self == String.self ? (s as! T) : (Optional(s) as! T)
        }
        if T.self == Int64.self || T.self == Int64?.self || T.self == Int.self || T.self == Int?.self {
            guard let i = cell as? Int64 else { return nil }
            if T.self == Int64.self { return (i as! T) }
            if T.self == Int64?.self { return (Optional(i) as! T) }
            if T.self == Int.self { return (Int(i) as! T) }
            return (Optional(Int(i)) as! T)
        }
        return nil
    }

    /// nil as `T` when `T` is `String?`, `Int64?` or `Int?` (a NULL cell of an optional column).
    @inline(__always)
    private static func none<T>(_ type: T.Type) -> T? {
        if T.self == String?.self { return (String?.none as! T) }
        if T.self == Int64?.self { return (Int64?.none as! T) }
        if T.self == Int?.self { return (Int?.none as! T) }
        return nil
    }

    /// A value of a Swift enum stored as its raw text; a value not in the enum throws.
    func enumeration<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws -> E where E.RawValue == String {
        let raw: String = try self[column]
        guard let value = E(rawValue: raw) else { throw damaged(column, "\(Self.quoted(raw)) is not a known value") }
        return value
    }

    /// An optional enum value (NULL is nil).
    func optionalEnumeration<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws -> E? where E.RawValue == String {
        guard let raw: String = try self[column] else { return nil }
        guard let value = E(rawValue: raw) else { throw damaged(column, "\(Self.quoted(raw)) is not a known value") }
        return value
    }

    /// Raw values read from `column` (a comma list or a JSON array) as enum values; one not in
    /// the enum throws (a precaution or risk Knot does not know must not vanish silently).
    func known<E: RawRepresentable>(_ raws: [String], in column: String, as type: E.Type = E.self) throws -> [E] where E.RawValue == String {
        try raws.map { raw in
            guard let value = E(rawValue: raw) else { throw damaged(column, "\(Self.quoted(raw)) is not a known value") }
            return value
        }
    }

    /// A comma-separated list of enum raw values (empty text is an empty list).
    func commaList<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws -> [E] where E.RawValue == String {
        let text: String = try self[column]
        return try known(text.split(separator: ",").map(String.init), in: column)
    }

    /// A count: an integer that is not negative.
    func count(_ column: String) throws -> Int {
        let n: Int = try self[column]
        guard n >= 0 else { throw damaged(column, "\(n) is negative, but it is a count") }
        return n
    }

    /// An optional count (NULL is nil).
    func optionalCount(_ column: String) throws -> Int? {
        guard let n: Int = try self[column] else { return nil }
        guard n >= 0 else { throw damaged(column, "\(n) is negative, but it is a count") }
        return n
    }

    /// A clinical measure (NULL is nil); a value outside its scale throws.
    func measure<M: ClinicalMeasure>(_ column: String, as type: M.Type = M.self) throws -> M? where M.Value: DatabaseValueConvertible {
        guard let v: M.Value = try self[column] else { return nil }
        guard M.range.contains(v) else {
            throw damaged(column, "\(v) is outside the \(M.scaleName) range \(M.range.lowerBound) to \(M.range.upperBound)")
        }
        return M(unchecked: v)
    }

    /// JSON text decoded to `type` (NULL decodes as JSON null); JSON that does not decode throws.
    func json<T: Decodable>(_ type: T.Type, _ column: String) throws -> T {
        let text: String? = try self[column]
        // An empty list (most needling entries' adverse events, most screens' precautions) is
        // what the decoder would give for "[]" (or "{}" for a map keyed by text), without it.
        if let text, text.utf8.count == 2, let empty = T.self as? any EmptyJSONValue.Type, text == empty.emptyJSONText,
           let value = empty.emptyJSONValue as? T {
            return value
        }
        // Plan and PSFS items and biomechanical measures Knot wrote are read without the decoder
        // (StoredJSON+Fast.swift, BiomechanicalJSON+Fast.swift);
        // anything the fast reader is not sure of goes through the decoder, as before.
        if let text, let fast = T.self as? any FastJSONArray.Type, let value = fast.fastDecode(text) as? T {
            return value
        }
        if let text, let fast = T.self as? any FastJSONValue.Type, let value = fast.fastDecode(text) as? T {
            return value
        }
        do {
            return try StoreTransaction.jsonDecoder.decode(type, from: Data((text ?? "null").utf8))
        } catch {
            throw damaged(column, text == nil ? "is empty (NULL), but a value is required" : "is not valid JSON for this column")
        }
    }

    /// "'yesterday' is not a timestamp".
    static func mismatch(_ value: DatabaseValue, _ type: Any.Type) -> String {
        "\(describe(value)) is not \(noun(type))"
    }

    static func describe(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): quoted(s)
        case .blob(let b): "a blob of \(b.count) bytes"
        }
    }

    /// A cell's text in quotes, cut short (a message is not the place for a whole note).
    static func quoted(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        return "'" + (flat.count > 40 ? String(flat.prefix(40)) + "…" : flat) + "'"
    }

    static func noun(_ type: Any.Type) -> String {
        switch type {
        case is Date.Type, is Date?.Type: "a timestamp"
        case is LocalDate.Type, is LocalDate?.Type: "a date (YYYY-MM-DD)"
        case is Int.Type, is Int64.Type, is Int32.Type, is Int?.Type, is Int64?.Type: "an integer"
        case is Double.Type, is Double?.Type: "a number"
        case is Bool.Type, is Bool?.Type: "a yes/no value (0 or 1)"
        case is String.Type, is String?.Type: "text"
        case is Data.Type, is Data?.Type: "data"
        default: "a \(type) value"
        }
    }
}

extension Row {
    /// The row with decoding that names `table`, the row's id and the column on a bad cell.
    func checked(_ table: String, key: String = "id") -> CheckedRow { CheckedRow(self, table: table, keyColumn: key) }
}

extension Row {
    /// `body` applied to every row of `statement`, in order. Each row is read where the statement
    /// stands, not copied first: a column is found through the statement's own index of names (one
    /// dictionary lookup), where a copied row (`Row.fetchAll`) compares every name case-folded until
    /// it finds it, and only the cells asked for are read. `body` must not keep the row (it changes
    /// with the next step); it may run other statements.
    static func mapEach<T>(_ statement: Statement, arguments: StatementArguments = StatementArguments(),
                           _ body: (Row) throws -> T) throws -> [T] {
        var out: [T] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() { out.append(try body(row)) }
        return out
    }
}

/// A JSON column's type whose empty value has one spelling, decoded without the decoder.
protocol EmptyJSONValue {
    /// "[]" or "{}".
    static var emptyJSONText: String { get }
    static var emptyJSONValue: Any { get }
}

extension Array: EmptyJSONValue where Element: Decodable {
    static var emptyJSONText: String { "[]" }
    static var emptyJSONValue: Any { [Element]() }
}

/// Only maps keyed by text: JSON spells them as objects (other keys make an array of pairs).
extension Dictionary: EmptyJSONValue where Key == String, Value: Decodable {
    static var emptyJSONText: String { "{}" }
    static var emptyJSONValue: Any { [String: Value]() }
}
