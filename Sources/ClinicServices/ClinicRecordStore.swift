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

    /// The schema migrations applied, oldest first (for `knot check`).
    func appliedMigrations() throws -> [String]
    /// The store's own integrity and foreign-key checks: empty when healthy.
    func integrityProblems() throws -> [String]
    /// A consistent copy at `destination`, safe while others write; refuses to overwrite a file.
    func backup(to destination: String) throws
    /// Ends every connection (after folding in anything not yet in the main store).
    func close() throws
}
