internal import ClinicStorePostgres

// The PostgreSQL record store (clinic groups, issue 20): ClinicStorePostgres's
// `PostgresRecordStore` and its `PostgresTransaction` have the protocols' operations with the
// same signatures (those not built yet throw "… is not built on PostgreSQL yet", listed in
// PostgresNotYetBuilt.swift), so they conform as they are, like the SQLite store in
// SQLiteRecordStore.swift. ClinicStorePostgres must not import ClinicServices.

/// The PostgreSQL store's transaction reads and writes clinic records.
extension PostgresTransaction: ClinicRecords {}

/// The PostgreSQL store (a small pool of connections to one database) is a clinic record store.
extension PostgresRecordStore: ClinicRecordStore {}
