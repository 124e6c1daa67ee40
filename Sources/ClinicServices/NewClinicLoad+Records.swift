import Foundation
internal import ClinicStore

extension ClinicRecords {
    /// Inside a whole-clinic import into a database that holds no clinic: SQLite's full-text
    /// index and the per-patient tables' secondary indexes are left to `endNewClinicLoad(_:)`,
    /// which builds each once (`StoreTransaction.beginNewClinicLoad()`). Nil, changing nothing, on an engine
    /// without them (PostgreSQL) or when the database holds a patient.
    ///
    /// A cast rather than a requirement of `ClinicRecords`: only the SQLite store has anything
    /// to set aside, and the two calls stand at the start and end of one import transaction.
    ///
    /// With `leavingForAfterCommit`, the indexes of the tables with many rows per patient are
    /// left too, noted there for the caller to build after the commit.
    func beginNewClinicLoad(leavingForAfterCommit: IndexesAfterCommit? = nil) throws -> NewClinicLoad? {
        guard let sqlite = self as? StoreTransaction else { return nil }
        let load = try sqlite.beginNewClinicLoad(leavingForAfterCommit: leavingForAfterCommit != nil)
        leavingForAfterCommit?.statements = load?.leftForAfterCommit ?? []
        return load
    }

    /// This transaction with its inserts not running the model's `validate()` again, for a
    /// whole-clinic import whose reader has checked every record with the same rules (and
    /// refuses one naming file, line and path before the writer sees it): on the SQLite store,
    /// `StoreTransaction.withModelChecked()`; any other engine (PostgreSQL) unchanged, validating as before.
    func withModelChecked() -> any ClinicRecords {
        guard let sqlite = self as? StoreTransaction else { return self }
        return sqlite.withModelChecked()
    }

    /// Ends what `beginNewClinicLoad()` began, in the same transaction, before anything else
    /// the import writes reads an index: the schema is whole again. Nothing for nil.
    func endNewClinicLoad(_ load: NewClinicLoad?) throws {
        guard let load, let sqlite = self as? StoreTransaction else { return }
        try sqlite.finishNewClinicLoad(load)
    }
}

/// The indexes a new clinic's load left for after its commit (`StoreTransaction.indexesBuiltAfterCommit`),
/// as their `CREATE INDEX` text: filled inside the import's transaction, built by
/// `createClinic(at:fromExport:...)` once it has committed, before the clinic is put in place.
final class IndexesAfterCommit: @unchecked Sendable {
    var statements: [String] = []
}
