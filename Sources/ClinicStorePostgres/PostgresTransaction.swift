import Foundation
import ClinicModel
import PostgresNIO

/// The PostgreSQL store's typed operations inside one transaction (read or write): what
/// `StoreTransaction` is to the SQLite store, with the same method names and meaning, so that
/// both conform to ClinicServices' `ClinicRecords` as they are.
///
/// The operations live in files by area (`PostgresTransaction+Patients.swift`...); the ones not
/// built yet throw from `PostgresNotYetBuilt.swift`. Every operation file uses the helpers
/// here: `query` for rows, `execute` for a command, `insertReturningID`, `value`/`values` for
/// one column, and `decode` to read a row's columns, a value that cannot be read being
/// reported as `damaged` (changed outside Knot). SQL is written with PostgresNIO's
/// interpolation, so `"… WHERE id = \(id)"` sends `id` as a bound parameter, never as text.
public struct PostgresTransaction {
    let connection: PostgresConnection
    /// The database's URL without secrets, for messages.
    public let path: String
    let store: PostgresRecordStore
    /// When false, writes do not append their own audit rows (a records import restores the
    /// exported trail instead and logs one import event).
    var rowAudit = true

    init(connection: PostgresConnection, path: String, store: PostgresRecordStore) {
        self.connection = connection
        self.path = path
        self.store = store
    }

    /// The same transaction with per-row audit turned off.
    public func withoutRowAudit() -> PostgresTransaction {
        var t = self
        t.rowAudit = false
        return t
    }

    /// Runs `body` in a savepoint of this transaction: when it throws, what it wrote is rolled
    /// back, the rest of the transaction stays, and the error is rethrown.
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        // One name for every level: PostgreSQL keeps an outer savepoint of the same name and
        // ROLLBACK TO / RELEASE act on the innermost, which is what nesting needs.
        try execute("SAVEPOINT knot_savepoint")
        let result: T
        do {
            result = try body()
        } catch {
            try execute("ROLLBACK TO SAVEPOINT knot_savepoint")
            try execute("RELEASE SAVEPOINT knot_savepoint")
            throw error
        }
        try execute("RELEASE SAVEPOINT knot_savepoint")
        return result
    }

    // MARK: helpers for the operation files

    /// Every row `sql` returns.
    func query(_ sql: PostgresQuery) throws -> [PostgresRow] {
        try run(sql).rows
    }

    /// Runs a command; returns how many rows it changed (0 when the server does not say).
    @discardableResult
    func execute(_ sql: PostgresQuery) throws -> Int {
        try run(sql).metadata.rows ?? 0
    }

    /// Runs an `INSERT … RETURNING id` and returns the id.
    func insertReturningID(_ sql: PostgresQuery, table: String) throws -> Int64 {
        guard let row = try query(sql).first else {
            throw PostgresStoreError.constraint(message: "inserting into \(table) returned no id")
        }
        return try decode(row, Int64.self, table: table)
    }

    /// The first column of the first row, or nil when there is no row (or it is NULL).
    func value<T: PostgresDecodable>(_ sql: PostgresQuery, as type: T.Type, table: String = "") throws -> T? where T._DecodableType == T {
        guard let row = try query(sql).first else { return nil }
        return try decode(row, Optional<T>.self, table: table)
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ sql: PostgresQuery, as type: T.Type, table: String = "") throws -> [T] {
        try query(sql).map { try decode($0, T.self, table: table) }
    }

    /// A row's columns as `types`; a value that is not what its column should hold is `damaged`.
    func decode<each Column: PostgresDecodable>(_ row: PostgresRow, _ types: (repeat each Column).Type,
                                                table: String) throws -> (repeat each Column) {
        do { return try row.decode(types) } catch { throw damaged(error, row: row, table: table) }
    }

    /// A single column of a row.
    func decode<T: PostgresDecodable>(_ row: PostgresRow, _ type: T.Type, table: String) throws -> T {
        do { return try row.decode(type) } catch { throw damaged(error, row: row, table: table) }
    }

    /// A decoding failure as the store reports it: the table, the row's id, the column and why.
    private func damaged(_ error: any Error, row: PostgresRow, table: String) -> any Error {
        guard let error = error as? PostgresDecodingError else { return error }
        let columns = row.makeRandomAccess()
        let id = columns.contains("id") ? (try? columns["id"].decode(Int64?.self)).flatMap { $0.map(String.init) } ?? "" : ""
        return PostgresStoreError.damaged(table: table, row: id, column: error.columnName,
                                          problem: "a \(error.postgresType) value cannot be read as \(error.targetType)")
    }

    private func run(_ sql: PostgresQuery) throws -> PostgresQueryResult {
        // A connection the server ended (restart, failover, pg_terminate_backend) while it sat
        // idle may leave a new query waiting forever: refuse it here, as a lost connection.
        if connection.isClosed { throw PostgresStoreError.writeFailed(reason: "the connection to the PostgreSQL server was lost") }
        do {
            return try PostgresQueryWait.result(of: connection.query(sql, logger: PostgresRecordStore.logger),
                                                on: connection, timeout: .seconds(store.settings.queryTimeoutSeconds))
        } catch {
            throw PostgresStoreError.from(error, path: path)
        }
    }
}

extension PostgresStoreError {
    /// The error for an operation not built on PostgreSQL yet (see PostgresNotYetBuilt.swift).
    static func notBuilt(_ area: String, _ function: String = #function) -> PostgresStoreError {
        let name = function.split(separator: "(").first.map(String.init) ?? function
        return .notBuilt(operation: "\(area) (\(name))")
    }
}
