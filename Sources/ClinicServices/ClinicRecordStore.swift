import Foundation

/// Where a clinic's records live: transactions over `ClinicRecords`, and the few maintenance
/// operations the use cases need (integrity check, applied migrations, backup, close).
///
/// ClinicServices owns this protocol so that every use case reaches storage through it and none
/// names an engine. `ClinicDatabase` (SQLite through GRDB) conforms in SQLiteRecordStore.swift;
/// the PostgreSQL store for clinic groups (`PostgresRecordStore`, PostgresRecordStore+Services.swift)
/// stands beside it without touching a use case.
/// Each `read` and `write` closure is one transaction: a write lands whole or not at all, with
/// its audit rows; a read sees one consistent snapshot.
///
/// The transaction types are associated types so that the SQLite store conforms with its own
/// `StoreTransaction`; through `any ClinicRecordStore` they are seen as `any ClinicRecordReader`
/// and `any ClinicRecords`.
public protocol ClinicRecordStore: Sendable {
    /// What a read transaction hands out.
    associatedtype Reader: ClinicRecordReader
    /// What a write transaction hands out.
    associatedtype Writer: ClinicRecords

    /// Where the records are (a file path for SQLite), for messages, `knot check` and `knot`'s banner.
    var path: String { get }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (Reader) throws -> T) throws -> T
    /// Runs `body` in one write transaction: all of it or none of it.
    func write<T>(_ body: (Writer) throws -> T) throws -> T
    /// Runs `body` on a consistent snapshot while `beside` runs on exactly the same snapshot,
    /// on another thread where the store can promise that (SQLite: another connection, see
    /// ClinicDatabase+SameSnapshot.swift), else first, in `body`'s own transaction. `body`'s
    /// second argument waits for `beside`'s result; `beside` has ended when this returns.
    func read<T, S: Sendable>(alongside beside: @escaping @Sendable (Reader) throws -> S,
                              _ body: (Reader, _ besideResult: () throws -> S) throws -> T) throws -> T

    /// The schema migrations applied, oldest first (for `knot check`).
    func appliedMigrations() throws -> [String]
    /// The store's own integrity and foreign-key checks: empty when healthy.
    func integrityProblems() throws -> [String]
    /// A consistent copy at `destination`, safe while others write; refuses to overwrite a file.
    func backup(to destination: String) throws
    /// Ends every connection (after folding in anything not yet in the main store).
    func close() throws
}

extension ClinicRecordStore {
    /// One transaction, `beside` first: for stores with no second connection on one snapshot.
    public func read<T, S: Sendable>(alongside beside: @escaping @Sendable (Reader) throws -> S,
                                     _ body: (Reader, _ besideResult: () throws -> S) throws -> T) throws -> T {
        try read { reader in
            let result = Result { try beside(reader) }
            return try body(reader, { try result.get() })
        }
    }
}
