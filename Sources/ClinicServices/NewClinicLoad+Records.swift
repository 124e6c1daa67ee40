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
    func beginNewClinicLoad() throws -> NewClinicLoad? {
        guard let sqlite = self as? StoreTransaction else { return nil }
        return try sqlite.beginNewClinicLoad()
    }

    /// Ends what `beginNewClinicLoad()` began, in the same transaction, before anything else
    /// the import writes reads an index: the schema is whole again. Nothing for nil.
    func endNewClinicLoad(_ load: NewClinicLoad?) throws {
        guard let load, let sqlite = self as? StoreTransaction else { return }
        try sqlite.finishNewClinicLoad(load)
    }
}
