import Foundation
import ClinicModel
import PostgresNIO

/// How the PostgreSQL store writes and reads the values the SQLite store keeps as text, so rows,
/// exports and audit hashes are byte-identical between the stores: a timestamp as GRDB writes
/// a `Date` ("2026-01-02 09:00:00.000", UTC), a date as `YYYY-MM-DD`, a flag as 0/1.
enum PGText {
    private static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 0)
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return f
    }()
    private static let lock = NSLock()

    /// A timestamp as the SQLite store writes it.
    static func timestamp(_ date: Date) -> String {
        lock.lock(); defer { lock.unlock() }
        return formatter.string(from: date)
    }

    /// A timestamp read back: GRDB's form, or ISO 8601 (as an export or a template writes it).
    static func date(_ text: String) -> Date? {
        lock.lock()
        let parsed = formatter.date(from: text)
        lock.unlock()
        if let parsed { return parsed }
        return try? Date(text, strategy: .iso8601)
    }
}

extension PostgresTransaction {
    /// A timestamp column, or `damaged` naming the row and column.
    func timestamp(_ text: String, table: String, row: Int64?, column: String) throws -> Date {
        guard let date = PGText.date(text) else {
            throw PostgresStoreError.damaged(table: table, row: row.map(String.init) ?? "", column: column, problem: "'\(text)' is not a timestamp")
        }
        return date
    }

    /// A date column (`YYYY-MM-DD`), or `damaged`.
    func localDate(_ text: String, table: String, row: Int64?, column: String) throws -> LocalDate {
        do { return try LocalDate(parsing: text) } catch {
            throw PostgresStoreError.damaged(table: table, row: row.map(String.init) ?? "", column: column, problem: "'\(text)' is not a date (YYYY-MM-DD)")
        }
    }

    /// A column holding one of an enumeration's raw values, or `damaged`.
    func enumeration<E: RawRepresentable>(_ text: String, as type: E.Type = E.self, table: String, row: Int64?,
                                          column: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else {
            throw PostgresStoreError.damaged(table: table, row: row.map(String.init) ?? "", column: column, problem: "'\(text)' is not a known value")
        }
        return value
    }
}
