import Foundation
import GRDB
import GRDBSQLite
import ClinicModel

/// One run of a cached statement whose parameters are bound from typed values straight into
/// SQLite, in order, without building GRDB's `StatementArguments` (an array of existentials, one
/// per value, made and taken apart for every row: a measurable part of writing each visit and
/// its entries in a whole-clinic import). The statement runs through GRDB's `execute()`, so its
/// transaction observers (the row seals' `RowChangeCollector`) see every row it writes, and a
/// failure is reported and the statement dropped from GRDB's cache as for any other; inside a
/// whole-clinic load (`direct`, `DirectSteps`) it runs straight through SQLite with the collector
/// told of every row it writes, and a failure is run again, and reported, through GRDB.
///
/// Each value is bound as GRDB binds it, so what is stored is the same: integers (and `Bool`,
/// as 0 or 1) as 64-bit integers, `Double` as a real, a `String` as text up to its first NUL
/// (GRDB binds strings as C strings), nil as NULL, a `DatabaseValue` by its storage.
///
/// Its SQL starts with `InPlaceBinding.marker` (`/* bound in place */`), so the cached statement
/// is bound no other way: after `execute(arguments:)` GRDB holds a statement's arguments as
/// unset and would bind those again over these; this binder sets them once, on a statement
/// that has none yet.
struct InPlaceBinding {
    /// What the SQL of every statement bound in place starts with (keeps it apart in GRDB's cache).
    static let marker = "/* bound in place */"

    private let statement: Statement
    private let stmt: SQLiteStatement
    private let direct: DirectSteps?
    private var index: Int32 = 0
    private var rc: Int32 = SQLITE_OK

    /// Starts a run of `statement` (from `db.cachedStatement`, with SQL used only this way), run
    /// by `direct` when given (the transaction's `TransactionScratch.directSteps`), else by GRDB.
    init(_ statement: Statement, direct: DirectSteps?) {
        self.direct = direct
        assert(statement.sql.hasPrefix(Self.marker), "a statement bound in place must be marked")
        self.statement = statement
        stmt = statement.sqliteStatement
        // GRDB runs `execute()` only once it holds the arguments as bound: NULLs, once (a
        // statement without parameters needs none, and making none each run was not free).
        let count = Int(sqlite3_bind_parameter_count(stmt))
        if count > 0, statement.arguments.isEmpty {
            statement.setUncheckedArguments(StatementArguments(Array(repeating: DatabaseValue.null, count: count)))
        }
        // A statement whose last run failed reports it again on its first reset: cleared here.
        sqlite3_reset(stmt)
    }

    /// SQLite copies the value as it is bound (`SQLITE_TRANSIENT`).
    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    /// SQLite reads the value where it lies, for as long as it stays bound (`SQLITE_STATIC`).
    static let `static` = unsafeBitCast(OpaquePointer(bitPattern: 0), to: sqlite3_destructor_type.self)

    private mutating func next(_ bind: (SQLiteStatement, Int32) -> Int32) {
        index += 1
        if rc == SQLITE_OK { rc = bind(stmt, index) }
    }

    /// NULL.
    mutating func null() { next { sqlite3_bind_null($0, $1) } }

    /// An integer, or NULL.
    mutating func int(_ value: Int64?) {
        guard let value else { return null() }
        next { sqlite3_bind_int64($0, $1, value) }
    }

    /// An integer, or NULL.
    mutating func int(_ value: Int?) { int(value.map(Int64.init)) }

    /// 1 or 0 (as GRDB stores a `Bool`), or NULL.
    mutating func bool(_ value: Bool?) { int(value.map { $0 ? Int64(1) : 0 }) }

    /// A real, or NULL.
    mutating func double(_ value: Double?) {
        guard let value else { return null() }
        next { sqlite3_bind_double($0, $1, value) }
    }

    /// Text (up to a first NUL, as GRDB binds it), or NULL.
    mutating func text(_ value: String?) {
        guard let value else { return null() }
        next { s, i in value.withCString { sqlite3_bind_text(s, i, $0, -1, Self.transient) } }
    }

    /// A date as its `YYYY-MM-DD` text (`LocalDate.databaseValue`), or NULL.
    mutating func date(_ value: LocalDate?) { text(value?.description) }

    /// A value by its `databaseValue` (what `StatementArguments` binds for it), or NULL.
    mutating func convertible<T: DatabaseValueConvertible>(_ value: T?) {
        guard let value else { return null() }
        self.value(value.databaseValue)
    }

    /// A value by its storage, as GRDB binds it.
    mutating func value(_ value: DatabaseValue) {
        switch value.storage {
        case .null: null()
        case .int64(let v): int(v)
        case .double(let v): double(v)
        case .string(let v): text(v)
        case .blob(let v):
            next { s, i in
                v.withUnsafeBytes { sqlite3_bind_blob(s, i, $0.baseAddress, Int32($0.count), Self.transient) }
            }
        }
    }

    /// Runs the statement once every parameter is bound: through GRDB (its observers see the
    /// change), or by `direct` (the collector told of every row).
    func execute() throws {
        guard rc == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errstr(rc)), sql: statement.sql)
        }
        guard index == sqlite3_bind_parameter_count(stmt) else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "\(index) values bound for \(sqlite3_bind_parameter_count(stmt)) parameters", sql: statement.sql)
        }
        if let direct { try direct.execute(statement) } else { try statement.execute() }
    }

    /// Runs the statement, a query, once every parameter is bound, straight through SQLite (a
    /// read: no observer has anything to see), handing `read` the statement on each row in turn
    /// (it reads the columns with `sqlite3_column_*`) and returning what it made of them.
    ///
    /// Nil, with the statement reset, when `read` returns nil for a row (a value not of the type
    /// it reads: data edited outside Knot) or the step fails: the caller then asks again through
    /// GRDB, which decodes each value, and reports each failure, in its own words.
    ///
    /// Why: for the lookups a letter's writer makes (is the letter filed, who holds this
    /// identifier, who was born that day), GRDB's cursor, arguments and decoding cost more than
    /// SQLite's own work, and those lookups were about a tenth of the writer's time.
    func rows<T>(_ read: (SQLiteStatement) -> T?) -> [T]? {
        guard rc == SQLITE_OK, index == sqlite3_bind_parameter_count(stmt) else { return nil }
        defer { sqlite3_reset(stmt) }
        var rows: [T] = []
        while true {
            switch sqlite3_step(stmt) {
            case SQLITE_ROW:
                guard let row = read(stmt) else { return nil }
                rows.append(row)
            case SQLITE_DONE:
                return rows
            default:
                return nil
            }
        }
    }

    /// An integer column of the row a query stands on (`rows`), nil when it holds another type.
    static func int64(_ stmt: SQLiteStatement, _ column: Int32) -> Int64? {
        sqlite3_column_type(stmt, column) == SQLITE_INTEGER ? sqlite3_column_int64(stmt, column) : nil
    }

    /// A text column of the row a query stands on (`rows`), as GRDB reads it (up to a first
    /// NUL), nil when it holds another type.
    static func text(_ stmt: SQLiteStatement, _ column: Int32) -> String? {
        guard sqlite3_column_type(stmt, column) == SQLITE_TEXT, let text = sqlite3_column_text(stmt, column) else { return nil }
        return String(cString: text)
    }
}

/// The INSERT of one table's columns bound in place, for one row or for several in one
/// statement (`VALUES (…), (…)`), its SQL made once for each number of rows.
///
/// Why several: each statement run costs SQLite more than its rows (the statement's savepoint,
/// the temporary table each `CHECK (x IN (…))` of three or more values builds per run, its
/// triggers' programs set up and torn down), and a whole-clinic load writes a visit's findings
/// and entries of one kind together. The rows go in one after the other, in order, exactly as
/// that many statements would write them (each refusal the same words: SQLite's constraint and
/// trigger messages name no row).
struct RowsInsert: Sendable {
    /// Rows one statement writes at most (a visit seldom has more entries of one kind).
    static let maxRows = 8
    private let statements: [String]

    /// `columns`: the column list as written in the SQL; `count`: how many columns it names.
    init(table: String, columns: String, count: Int) {
        let row = "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
        statements = (1...Self.maxRows).map { rows in
            "\(InPlaceBinding.marker) INSERT INTO \(table) (\(columns)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
        }
    }

    /// The statement writing `rows` rows (1 to `maxRows`).
    func sql(rows: Int) -> String { statements[rows - 1] }
}

extension StoreTransaction {
    /// Inserts `items`, rows of one table, by statements of up to `RowsInsert.maxRows` rows, each
    /// row's values bound in place by `bind` in the order of `insert`'s columns.
    func insertRows<T>(_ items: [T], _ insert: RowsInsert, bind: (T, inout InPlaceBinding) throws -> Void) throws {
        var start = 0
        while start < items.count {
            let rows = min(RowsInsert.maxRows, items.count - start)
            var bound = InPlaceBinding(try db.cachedStatement(sql: insert.sql(rows: rows)), direct: scratch.directSteps)
            for item in items[start..<(start + rows)] { try bind(item, &bound) }
            try bound.execute()
            start += rows
        }
    }
}

extension StoreTransaction {
    /// The rows of `sql` (a query whose SQL starts with `InPlaceBinding.marker`, used only this
    /// way) with the values `bind` binds, each made by `read` straight through SQLite
    /// (`InPlaceBinding.rows`); nil when the caller must read them through GRDB instead.
    func rowsBoundInPlace<T>(_ sql: String, bind: (inout InPlaceBinding) -> Void, read: (SQLiteStatement) -> T?) throws -> [T]? {
        var query = InPlaceBinding(try db.cachedStatement(sql: sql), direct: nil)
        bind(&query)
        return query.rows(read)
    }
}
