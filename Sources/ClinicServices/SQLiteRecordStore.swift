internal import ClinicStore

// The SQLite record store: ClinicStore's `ClinicDatabase` and its `StoreTransaction` already
// have every operation the use cases need, with the same signatures, so they conform as they
// are. These conformances live here, not in ClinicStore, because the protocols belong to the
// services and ClinicStore must not import ClinicServices.

/// The SQLite store's transaction reads and writes clinic records.
extension StoreTransaction: ClinicRecords {}

/// The SQLite store (one GRDB `DatabasePool` per file) is a clinic record store.
extension ClinicDatabase: ClinicRecordStore {}
